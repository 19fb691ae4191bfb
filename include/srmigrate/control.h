/*
 * control: the control socket (control_socket, default LOG_DIR/srmigrate.sock).
 *
 * A thread serves text lines on a Unix socket, mode 0600, and only to
 * clients of our own uid (or root). Each line is one command:
 *   status | pause | resume | retry TABLE | retry all | approve ID | skip ID | help
 * The answer is "OK" or "ERR", then the text, then an empty line.
 * Commands reach the engine through their own SPSC ring and the engine's
 * reply comes back on another, so the answer is the engine's own, not a guess.
 */
#ifndef SRMIGRATE_CONTROL_H
#define SRMIGRATE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "srmigrate/event.h"
#include "srmigrate/ring.h"

struct control;

/*
 * Bind the socket and start the thread. A live socket at @path (another
 * srmigrate) is an error; a stale one is replaced.
 */
struct control *control_start(const char *path, struct ring *commands, struct ring *replies,
			      char *err, size_t errlen);
void control_stop(struct control *c);

/* Parse one command line into @cmd; false with a message for a bad one or "help". */
bool control_parse(const char *line, struct command *cmd, char *msg, size_t msglen);

/* Client: send @line to the socket at @path and print the answer. Exit status. */
int control_client(const char *path, const char *line);

#endif /* SRMIGRATE_CONTROL_H */
