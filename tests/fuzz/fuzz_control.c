/*
 * fuzz_control: control socket command lines through control_parse, each
 * line of the input on its own (as the server splits them), then the whole
 * input as one line.
 */
#include "fuzz/fuzz.h"
#include "srmigrate/control.h"

static void
parse(const char *line)
{
	struct command cmd;
	char msg[2048];

	memset(msg, 0, sizeof(msg));
	if (control_parse(line, &cmd, msg, sizeof(msg))) {
		FUZZ_CHECK(memchr(cmd.arg, '\0', sizeof(cmd.arg)) != NULL);
		if (cmd.type == CMD_APPROVE_DDL || cmd.type == CMD_SKIP_DDL)
			FUZZ_CHECK(cmd.id >= 1);
	} else {
		FUZZ_CHECK(msg[0] != '\0');
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *copy = fuzz_text(data, size), *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		parse(line);
	parse(text);
	free(copy);
	free(text);
	return 0;
}
