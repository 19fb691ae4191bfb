/*
 * snapshot: what a target BE or CN checks in the SNAPSHOTING step, for real
 * over loopback. For every distinct source backend named in a request it
 * connects to host:be_port (make_snapshot's Thrift port), checks in memory
 * that the BE behind that port holds every tablet listed for it at the
 * requested version, and downloads one snapshot file list from
 * host:http_port/api/_tablet/_download with the request's token, which the
 * source BE's http listener checks as download_action.cpp does. So an
 * unmapped .invalid host, a wrong port, a BE without the tablet or a wrong
 * token fails the job with that BE's reason. One connect and one download per
 * backend per job keeps a 10 000-table run cheap.
 */
#ifndef SRSIM_SNAPSHOT_H
#define SRSIM_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

struct rjob;
struct snapcheck;

void snap_init(void);
void snap_shutdown(void);
/* Queue the checks of a job (world lock held); the job keeps the handle. */
struct snapcheck *snap_start(struct rjob *j);
/* false while running; then ok, or err set. */
bool snap_done(struct snapcheck *s, bool *ok, char *err, size_t n);
void snap_release(struct snapcheck *s);

#endif /* SRSIM_SNAPSHOT_H */
