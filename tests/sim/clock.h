/*
 * clock: the thread that moves simulated time: loads and replication jobs.
 */
#ifndef SRSIM_CLOCK_H
#define SRSIM_CLOCK_H

void clock_start(void);
void clock_stop(void);

#endif /* SRSIM_CLOCK_H */
