/*
** check.h -- what the C tests (and fuzz targets) share: CHECK, which says
** where a check failed and counts it (or, with CHECK_ABORTS defined before
** this header, as a fuzz target wants, aborts), and an allocator (lua_Alloc's
** signature) that counts live bytes and calls, to show that everything
** allocated was given back.
*/
#ifndef MAST_SPEC_CHECK_H
#define MAST_SPEC_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#ifdef CHECK_ABORTS
#define CHECK_FAILED() abort()
#else
static int failures = 0;
#define CHECK_FAILED() failures++
#endif

#define CHECK(cond, ...)                                                         \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                              \
      fputc('\n', stderr);                                                       \
      CHECK_FAILED();                                                            \
    }                                                                            \
  } while (0)

typedef struct counted_heap {
  long long live;      /* bytes allocated and not yet freed */
  long long calls;     /* calls that allocated or grew a block */
} counted_heap;

/* A lua_Alloc that counts into the counted_heap given as ud. */
static inline void *counted_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counted_heap *h = ud;
  if (ptr == NULL) osize = 0;   /* then osize only tells the object's type */
  if (nsize == 0) {
    free(ptr);
    h->live -= (long long)osize;
    return NULL;
  }
  h->calls++;
  ptr = realloc(ptr, nsize);
  if (ptr != NULL) h->live += (long long)nsize - (long long)osize;
  return ptr;
}

#endif
