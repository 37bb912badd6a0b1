/*
 * arena.c: a region allocator for one request.  Everything a handler
 * allocates from the request's arena is released by one arena_free at the
 * end of the request, so handlers never free piecemeal; it is wiped before
 * it is freed.  Allocation failure
 * returns NULL; callers treat it as a 500.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

#define ARENA_CHUNK	16384
#define ARENA_ALIGN	16

struct chunk {
	struct chunk	*next;
	size_t		 used;
	size_t		 size;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct chunk	*head;
};

struct arena *
arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

/* Zeroes everything allocated from a so far (sodium_memzero, which the
 * compiler may not drop). */
void
arena_wipe(struct arena *a)
{
	struct chunk	*c;

	for (c = a != NULL ? a->head : NULL; c != NULL; c = c->next)
		sodium_memzero(c->data, c->used);
}

void
arena_free(struct arena *a)
{
	struct chunk	*c, *next;

	if (a == NULL)
		return;
	/* Wiped first: a request's memory holds its raw form (a secret,
	 * an answer), so no handler has to remember to. */
	arena_wipe(a);
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* Returns zeroed memory aligned for any type, or NULL. */
void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk	*c;
	size_t		 size;
	void		*p;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		if (a->head != NULL && n > ARENA_CHUNK) {
			/* Keep the current chunk's free space in front. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	if (n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Room for one more element of size in the arena array v of n: the
 * array, doubled and copied when full (*cap its room), or NULL. */
void *
arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	void	*nv;

	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	if ((nv = arena_alloc(a, *cap * size)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(nv, v, n * size);
	return nv;
}
