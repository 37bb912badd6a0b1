/*
 * fuzz.h: what the fuzz targets share: the libFuzzer entry point's
 * prototype, an invariant check that aborts (so libFuzzer and the replay
 * both report it with the input), and a private temporary folder.  The
 * targets build with clang's libFuzzer (./dev fuzz) and with replay.c's
 * main() under gcc (make check).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An invariant that must hold on every input: abort with where and why. */
#define fuzz_assert(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* A copy of data with a NUL appended (malloc'd; the caller frees). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* 1 if s[0..n) holds no NUL byte. */
static inline int
fuzz_no_nul(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL;
}

/* Writes data to path, replacing it; aborts on failure. */
static inline void
fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();
}

#endif
