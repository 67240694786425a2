/*
** buf.c -- memory through the context's allocator, and a growable buffer.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *mast_malloc(mast_ctx *ctx, size_t n) {
  return ctx->alloc(ctx->alloc_ud, NULL, 0, n);
}

void *mast_realloc(mast_ctx *ctx, void *p, size_t old, size_t n) {
  return ctx->alloc(ctx->alloc_ud, p, old, n);
}

void mast_sfree(mast_ctx *ctx, void *p, size_t size) {
  if (p != NULL) ctx->alloc(ctx->alloc_ud, p, size, 0);
}

void *mast_default_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

/* Memory handed to a host keeps its size in a header in front, so the host
** frees it with mast_free(ctx, p) alone (the allocator wants the size). */
typedef union host_head {
  size_t size;
  max_align_t align;
} host_head;

void *mast_hmalloc(mast_ctx *ctx, size_t n) {
  host_head *h;
  if (n > SIZE_MAX - sizeof *h) return NULL;
  h = mast_malloc(ctx, sizeof *h + n);
  if (h == NULL) return NULL;
  h->size = sizeof *h + n;
  return h + 1;
}

void mast_free(mast_ctx *ctx, void *p) {
  host_head *h;
  if (p == NULL) return;
  h = (host_head *)p - 1;
  mast_sfree(ctx, h, h->size);
}

char *mast_host_string(mast_ctx *ctx, char *s) {
  char *out;
  size_t n;
  if (s == NULL) return NULL;
  n = strlen(s) + 1;
  out = mast_hmalloc(ctx, n);
  if (out != NULL) memcpy(out, s, n);
  mast_strfree(ctx, s);
  return out;
}

char *mast_strdup(mast_ctx *ctx, const char *s) {
  size_t n;
  char *d;
  if (s == NULL) return NULL;
  n = strlen(s) + 1;
  d = mast_malloc(ctx, n);
  if (d != NULL) memcpy(d, s, n);
  return d;
}

void mast_strfree(mast_ctx *ctx, char *s) {
  if (s != NULL) mast_sfree(ctx, s, strlen(s) + 1);
}

char *mast_vformat(mast_ctx *ctx, const char *fmt, va_list ap) {
  va_list aq;
  int n;
  char *s;
  va_copy(aq, ap);
  n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n < 0) return NULL;
  s = mast_malloc(ctx, (size_t)n + 1);
  if (s != NULL) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

char *mast_format(mast_ctx *ctx, const char *fmt, ...) {
  va_list ap;
  char *s;
  va_start(ap, fmt);
  s = mast_vformat(ctx, fmt, ap);
  va_end(ap);
  return s;
}

/* Appends n bytes and keeps a NUL after them. Returns 0 when out of memory
** (the buffer is left as it was). */
int mast_buf_add(mast_ctx *ctx, mast_buf *b, const void *p, size_t n) {
  if (b->cap - b->len <= n) {
    size_t cap = b->cap ? b->cap : 256;
    char *d;
    while (cap - b->len <= n) {
      if (cap > ((size_t)-1) / 2) return 0;
      cap *= 2;
    }
    d = mast_realloc(ctx, b->data, b->cap, cap);
    if (d == NULL) return 0;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 1;
}

void mast_buf_free(mast_ctx *ctx, mast_buf *b) {
  mast_sfree(ctx, b->data, b->cap);
  b->data = NULL;
  b->len = b->cap = 0;
}
