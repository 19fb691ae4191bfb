/*
 * thriftsrv: the Thrift listener of an FE (rpc_port) serving startTableReplication.
 */
#ifndef SRSIM_THRIFTSRV_H
#define SRSIM_THRIFTSRV_H

/* The net handler of an FE rpc listener (arg: struct node *). */
void tsrv_serve(int fd, void *arg);

#endif /* SRSIM_THRIFTSRV_H */
