/*
** internal.h -- shared between the files of the C core (never installed).
*/
#ifndef MAST_INTERNAL_H
#define MAST_INTERNAL_H

#include <stdatomic.h>
#include <stdarg.h>
#include "curl_lazy.h"

#include "mast/mast.h"
#include "bind_api.h"
#include "settings.h"

/* A growable byte buffer that allocates through the context. */
typedef struct mast_buf {
  char *data;
  size_t len, cap;
} mast_buf;

/* The storage of the settings, one field per row of MAST_SETTINGS. */
#define MAST_FIELD_STRING(n) char *n;
#define MAST_FIELD_NUMBER(n) double n;
#define MAST_FIELD_INTEGER(n) int n;
#define MAST_FIELD(name, env, type, def, lo, hi, owner, flags) MAST_FIELD_##type(name)
typedef struct mast_config {
  MAST_SETTINGS(MAST_FIELD)
} mast_config;
#undef MAST_FIELD

typedef struct mast_prefix {
  struct mast_prefix *next;
  size_t len;
  char text[];
} mast_prefix;

struct mast_ctx {
  mast_alloc_fn alloc;
  void *alloc_ud;
  _Atomic(CURLM *) multi;   /* made at the first batch (libcurl loads then) */
  mast_config cfg;
  int config_locked;         /* host-owned settings are read-only */
  mast_token_fn token_fn;
  void *token_ud;
  mast_credential_fn credential_fn;   /* engine.c: mast_set_credential_provider */
  void *credential_ud;
  mast_log_fn log_fn;
  void *log_ud;
  mast_event_fn event_fn;
  void *event_ud;
  mast_prefix *allow;        /* URL allow-list; NULL: anything */
  char *download_root;       /* realpath of the download jail; NULL: none */
  atomic_int *cancel;        /* &own_cancel, or a flag the host owns */
  atomic_int own_cancel;
  int cancel_held;           /* cleanups after a cancel run with the flag held off */
  uint64_t rng;              /* jitter */
};

/* Sized memory of the core (lua_Alloc's contract). What is handed to a
** host comes from mast_hmalloc instead and is freed by mast_free(ctx, p). */
void *mast_malloc(mast_ctx *ctx, size_t n);
void *mast_realloc(mast_ctx *ctx, void *p, size_t old, size_t n);
void mast_sfree(mast_ctx *ctx, void *p, size_t size);
void *mast_hmalloc(mast_ctx *ctx, size_t n);
/* s (from mast_malloc) moved into host memory; NULL when out of memory. */
char *mast_host_string(mast_ctx *ctx, char *s);
char *mast_strdup(mast_ctx *ctx, const char *s);
char *mast_vformat(mast_ctx *ctx, const char *fmt, va_list ap);
char *mast_format(mast_ctx *ctx, const char *fmt, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 2, 3)))
#endif
  ;

/* The context's multi handle, made (and libcurl loaded) at the first batch;
** NULL when out of memory, or with *why (the ctx's) when libcurl cannot be
** loaded. */
CURLM *mast_ctx_multi(mast_ctx *ctx, char **why);

int mast_buf_add(mast_ctx *ctx, mast_buf *b, const void *p, size_t n);
void mast_buf_free(mast_ctx *ctx, mast_buf *b);

void mast_log(mast_ctx *ctx, int level, const char *fmt, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 3, 4)))
#endif
  ;
double mast_random(mast_ctx *ctx);   /* uniform in [0, 1) */

/* url.c */
int mast_same_origin(const char *a, const char *b);
int mast_url_allowed(mast_ctx *ctx, const char *url);
/* Copies the text of s with the token replaced by "<token>", so no message
** can carry it: the whole token, and any piece of it of MAST_TOKEN_RUN bytes
** or more (an excerpt of an error page may cut it). Tokens shorter than 4
** bytes are not scrubbed. */
#define MAST_TOKEN_RUN 8
char *mast_scrub(mast_ctx *ctx, const char *s);
/* How many bytes at s (of sl) are the token or a piece of it that
** mast_scrub replaces; 0 if none. */
size_t mast_token_match(const char *s, size_t sl, const char *t, size_t tl);
/* The token to send, or NULL. Writes into buf. */
const char *mast_token(mast_ctx *ctx, char *buf, size_t len);

#endif
