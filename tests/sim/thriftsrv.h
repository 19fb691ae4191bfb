/*
 * thriftsrv: the Thrift listener of an FE (rpc_port) serving startTableReplication.
 */
#ifndef SRSIM_THRIFTSRV_H
#define SRSIM_THRIFTSRV_H

/* Before any listener starts: the c_glib struct finalize fix (thriftfix.h). */
void tsrv_init(void);

/* The net handler of an FE rpc listener (arg: struct node *). */
void tsrv_serve(int fd, void *arg);

#endif /* SRSIM_THRIFTSRV_H */
