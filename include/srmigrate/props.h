/*
 * props: read a Java-style .properties file through inih, with line numbers.
 *
 * Only a line whose first non-blank character is '#' or ';' is a comment:
 * values keep ';', '#' and inner spaces (passwords contain them). Lines may
 * be of any length. Blanks around keys and values are removed.
 */
#ifndef SRMIGRATE_PROPS_H
#define SRMIGRATE_PROPS_H

#include <stddef.h>

/* Return 0 to go on, -1 to stop (the handler has written err). */
typedef int (*props_fn)(void *ctx, const char *key, const char *value, int line);

/*
 * Parse @text, or the file @path when @text is NULL. Errors (file unreadable,
 * a line that is not key=value, a [section] header) are "PATH:LINE: why".
 * Returns 0, or -1 with err set (also when the handler stopped).
 */
int props_parse(const char *path, const char *text, props_fn fn, void *ctx,
		char *err, size_t errlen);

#endif /* SRMIGRATE_PROPS_H */
