/*
 * fuzz: what every target in tests/fuzz shares.
 *
 * A target defines LLVMFuzzerTestOneInput. `make fuzz` links it with clang's
 * libFuzzer; `make test` links it with driver.c, which feeds it the seed
 * corpus and the regression inputs. A target checks what must hold whatever
 * the input (FUZZ_CHECK): a broken promise aborts like a crash does.
 */
#ifndef SRMIGRATE_TESTS_FUZZ_H
#define SRMIGRATE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string (it stops at an inner NUL, as a file read by C would). */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#define FUZZ_CHECK(cond)                                                           \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                   \
		}                                                                  \
	} while (0)

#endif /* SRMIGRATE_TESTS_FUZZ_H */
