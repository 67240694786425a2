/*
** ctx.c -- the per-state context: configuration, hooks, cancellation.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "internal.h"

#define CODE_NAMES(X) \
  X(OK, "ok") X(EUSAGE, "usage") X(EHTTP, "http") X(EMAST, "mast") X(ETIMEOUT, "timeout") \
  X(EJSON, "json") X(EIO, "io") X(ENET, "network") X(ECANCELLED, "cancelled") \
  X(ENOMEM, "memory") X(EDENIED, "denied") X(ECALLBACK, "callback") X(ESCRIPT, "script") \
  X(ELIMIT, "limit") X(EREPLAY, "replay")

/* The one list of the codes' names, indexed by code. */
#define CODE_ENTRY(c, name) [MAST_##c] = name,
static const char *const code_names[] = {CODE_NAMES(CODE_ENTRY)};
#undef CODE_ENTRY
#define NCODES ((int)(sizeof code_names / sizeof *code_names))
_Static_assert(sizeof code_names / sizeof *code_names == MAST_NCODES, "a code without a name");

const char *mast_code_name(int code) {
  if (code < 0 || code >= NCODES || code_names[code] == NULL) return "unknown";
  return code_names[code];
}

int mast_code_from_name(const char *name) {
  int i;
  if (name == NULL) return -1;
  for (i = 0; i < NCODES; i++)
    if (code_names[i] != NULL && strcmp(code_names[i], name) == 0) return i;
  return -1;
}

const char *mast_version(void) { return MAST_VERSION_STRING; }
int mast_version_num(void) { return MAST_VERSION_NUM; }

double mast_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- configuration: everything comes from MAST_SETTINGS ---- */

typedef struct setting_row {
  mast_setting pub;   /* first: mast_setting_at hands out &pub */
  const char *def;
  unsigned flags;
  size_t offset;
} setting_row;

#define ROW(name, env, type, def, lo, hi, owner, flags)                                       \
  {{#name, env, MAST_SETTING_##type, MAST_OWNER_##owner, (MAST_SF_##flags & MAST_SF_SECRET) != 0, \
    lo, hi},                                                                                  \
   def, MAST_SF_##flags, offsetof(mast_config, name)},
static const setting_row rows[] = {MAST_SETTINGS(ROW)};
#undef ROW
#define NROWS (sizeof rows / sizeof *rows)

#define NAME(name, env, type, def, lo, hi, owner, flags) #name,
static const char *const key_names[] = {MAST_SETTINGS(NAME) NULL};
#undef NAME

const char *const *mast_config_keys(void) { return key_names; }

const mast_setting *mast_setting_at(size_t i) { return i < NROWS ? &rows[i].pub : NULL; }

static const setting_row *find_row(const char *name) {
  size_t i;
  if (name == NULL) return NULL;
  for (i = 0; i < NROWS; i++)
    if (strcmp(rows[i].pub.name, name) == 0) return &rows[i];
  return NULL;
}

const mast_setting *mast_setting_find(const char *name) {
  const setting_row *r = find_row(name);
  return r ? &r->pub : NULL;
}

static char **str_slot(mast_ctx *ctx, const setting_row *r) {
  return (char **)((char *)&ctx->cfg + r->offset);
}

/* Frees a string; a secret is wiped first (then freed with its size:
** strlen of the wiped bytes would be 0). */
static void free_value(mast_ctx *ctx, char *s, int secret) {
  size_t n, i;
  volatile char *t = s;
  if (s == NULL) return;
  n = i = strlen(s);
  if (secret)
    while (i--) t[i] = 0;
  mast_sfree(ctx, s, n + 1);
}

static void unknown_setting(const char *key, char *err, size_t errlen) {
  size_t i, o;
  int n = snprintf(err, errlen, "unknown setting '%.100s' (known: ", key ? key : "");
  o = n < 0 ? 0 : (size_t)n;
  for (i = 0; i < NROWS && o < errlen; i++) {
    n = snprintf(err + o, errlen - o, "%s%s", i ? ", " : "", rows[i].pub.name);
    o += n < 0 ? 0 : (size_t)n;
  }
  if (o < errlen) snprintf(err + o, errlen - o, ")");
}

/* A value checked and copied, not yet in place. */
typedef struct staged {
  const setting_row *row;
  char *s;
  double d;
} staged;

static int stage_string(mast_ctx *ctx, const setting_row *r, const char *value, staged *out,
                        char *err, size_t errlen) {
  const char *key = r->pub.name;
  size_t n;
  if (r->flags & MAST_SF_URL) {
    if (value == NULL || *value == '\0') {
      snprintf(err, errlen, "%s must not be empty", key);
      return MAST_EUSAGE;
    }
    if (strncasecmp(value, "http://", 7) != 0 && strncasecmp(value, "https://", 8) != 0) {
      snprintf(err, errlen, "%s must be an http:// or https:// URL, got '%.200s'", key, value);
      return MAST_EUSAGE;
    }
  }
  if ((r->flags & MAST_SF_REQUIRED) && (value == NULL || *value == '\0')) {
    snprintf(err, errlen, "%s must not be empty", key);
    return MAST_EUSAGE;
  }
  if (value != NULL && strpbrk(value, "\r\n") != NULL) {
    snprintf(err, errlen, "%s must not contain line breaks", key);
    return MAST_EUSAGE;
  }
  if (value == NULL || *value == '\0') return MAST_OK;
  n = strlen(value);
  if (r->flags & MAST_SF_URL)   /* a base URL is kept without its trailing slashes */
    while (n > 0 && value[n - 1] == '/') n--;
  out->s = mast_malloc(ctx, n + 1);
  if (out->s == NULL) {
    snprintf(err, errlen, "out of memory");
    return MAST_ENOMEM;
  }
  memcpy(out->s, value, n);
  out->s[n] = '\0';
  return MAST_OK;
}

static int stage(mast_ctx *ctx, const mast_config_value *v, staged *out, char *err,
                 size_t errlen) {
  const setting_row *r = find_row(v->key);
  const char *key;
  char text[64];
  const char *shown;
  double d;
  out->row = r;
  out->s = NULL;
  out->d = 0;
  if (r == NULL) {
    unknown_setting(v->key, err, errlen);
    return MAST_EUSAGE;
  }
  key = r->pub.name;
  if (ctx->config_locked && r->pub.owner == MAST_OWNER_HOST) {
    snprintf(err, errlen, "%s is owned by the host and cannot be changed here", key);
    return MAST_EDENIED;
  }
  if (r->pub.type == MAST_SETTING_STRING) {
    if (v->is_number) {
      snprintf(err, errlen, "%s must be a string", key);
      return MAST_EUSAGE;
    }
    return stage_string(ctx, r, v->text, out, err, errlen);
  }
  if (v->is_number) {
    d = v->number;
    snprintf(text, sizeof text, "%.14g", d);
    shown = text;
  } else {
    char *end;
    shown = v->text ? v->text : "";
    errno = 0;
    d = v->text ? strtod(v->text, &end) : 0;
    if (v->text == NULL || end == v->text || *end != '\0' || errno != 0) {
      snprintf(err, errlen, "%s must be a number, got '%.50s'", key, shown);
      return MAST_EUSAGE;
    }
  }
  if (!isfinite(d)) {
    snprintf(err, errlen, "%s must be a number, got '%.50s'", key, shown);
    return MAST_EUSAGE;
  }
  if (d < r->pub.min || d > r->pub.max || (r->pub.type == MAST_SETTING_INTEGER && d != floor(d))) {
    snprintf(err, errlen, "%s must be %s from %g to %g, got %.50s", key,
             r->pub.type == MAST_SETTING_INTEGER ? "a whole number" : "a number", r->pub.min,
             r->pub.max, shown);
    return MAST_EUSAGE;
  }
  out->d = d;
  return MAST_OK;
}

static void commit(mast_ctx *ctx, const staged *v) {
  const setting_row *r = v->row;
  char *base = (char *)&ctx->cfg;
  switch (r->pub.type) {
    case MAST_SETTING_STRING:
      free_value(ctx, *str_slot(ctx, r), r->pub.secret);
      *str_slot(ctx, r) = v->s;
      break;
    case MAST_SETTING_INTEGER: *(int *)(base + r->offset) = (int)v->d; break;
    default: *(double *)(base + r->offset) = v->d; break;
  }
}

int mast_config_set_many(mast_ctx *ctx, const mast_config_value *values, size_t n, char *err,
                         size_t errlen) {
  staged one, *st = &one;
  size_t i, j;
  int rc = MAST_OK;
  if (n == 0) return MAST_OK;
  if (n > 1) {
    if (n > SIZE_MAX / sizeof *st || (st = mast_malloc(ctx, n * sizeof *st)) == NULL) {
      snprintf(err, errlen, "out of memory");
      return MAST_ENOMEM;
    }
  }
  for (i = 0; i < n; i++) {
    rc = stage(ctx, &values[i], &st[i], err, errlen);
    if (rc != MAST_OK) break;
  }
  if (rc == MAST_OK) {
    for (j = 0; j < n; j++) commit(ctx, &st[j]);
  } else {
    for (j = 0; j < i; j++)
      if (st[j].s != NULL) free_value(ctx, st[j].s, st[j].row->pub.secret);
  }
  if (st != &one) mast_sfree(ctx, st, n * sizeof *st);
  return rc;
}

int mast_config_set(mast_ctx *ctx, const char *key, const char *value, char *err, size_t errlen) {
  mast_config_value v;
  v.key = key;
  v.is_number = 0;
  v.text = value;
  v.number = 0;
  return mast_config_set_many(ctx, &v, 1, err, errlen);
}

int mast_config_set_string(mast_ctx *ctx, const char *key, const char *value, char *err,
                           size_t errlen) {
  const setting_row *r = find_row(key);
  if (r != NULL && r->pub.type != MAST_SETTING_STRING) {
    snprintf(err, errlen, "%s is a number, not a string", key);
    return MAST_EUSAGE;
  }
  return mast_config_set(ctx, key, value, err, errlen);
}

int mast_config_set_number(mast_ctx *ctx, const char *key, double value, char *err,
                           size_t errlen) {
  mast_config_value v;
  v.key = key;
  v.is_number = 1;
  v.text = NULL;
  v.number = value;
  return mast_config_set_many(ctx, &v, 1, err, errlen);
}

int mast_config_get_string(mast_ctx *ctx, const char *key, const char **value) {
  const setting_row *r = find_row(key);
  const char *s;
  *value = NULL;
  if (r == NULL || r->pub.type != MAST_SETTING_STRING) return MAST_EUSAGE;
  s = *str_slot(ctx, r);
  if (r->pub.secret) s = (s != NULL || ctx->token_fn != NULL) ? "<set>" : NULL;
  *value = s;
  return MAST_OK;
}

int mast_config_get_number(mast_ctx *ctx, const char *key, double *value) {
  const setting_row *r = find_row(key);
  char *base = (char *)&ctx->cfg;
  *value = 0;
  if (r == NULL || r->pub.type == MAST_SETTING_STRING) return MAST_EUSAGE;
  if (r->pub.type == MAST_SETTING_INTEGER) *value = *(int *)(base + r->offset);
  else *value = *(double *)(base + r->offset);
  return MAST_OK;
}

int mast_config_get(mast_ctx *ctx, const char *key, char *buf, size_t len) {
  const setting_row *r = find_row(key);
  if (r == NULL || len == 0) return MAST_EUSAGE;
  if (r->pub.type == MAST_SETTING_STRING) {
    const char *s;
    mast_config_get_string(ctx, key, &s);
    snprintf(buf, len, "%s", s ? s : "");
  } else {
    double d;
    mast_config_get_number(ctx, key, &d);
    if (r->pub.type == MAST_SETTING_INTEGER) snprintf(buf, len, "%d", (int)d);
    else snprintf(buf, len, "%.17g", d);
  }
  return MAST_OK;
}

/* The default of cache_dir: the user's cache directory (XDG base directory
** rules: only an absolute $XDG_CACHE_HOME counts). */
static int default_cache_dir(mast_ctx *ctx, char *err, size_t errlen) {
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  char dir[4096];
  int n;
  if (xdg != NULL && xdg[0] == '/') n = snprintf(dir, sizeof dir, "%s/mast", xdg);
  else if (home != NULL && home[0] == '/') n = snprintf(dir, sizeof dir, "%s/.cache/mast", home);
  else return MAST_OK;   /* nowhere to keep one: no cache */
  if (n < 0 || (size_t)n >= sizeof dir) return MAST_OK;
  return mast_config_set(ctx, "cache_dir", dir, err, errlen);
}

int mast_config_from_env(mast_ctx *ctx, char *err, size_t errlen) {
  size_t i;
  for (i = 0; i < NROWS; i++) {
    const char *v = getenv(rows[i].pub.env);
    char msg[256];
    int rc;
    if (v == NULL && rows[i].offset == offsetof(mast_config, cache_dir)) {
      rc = default_cache_dir(ctx, msg, sizeof msg);
      if (rc != MAST_OK) {
        snprintf(err, errlen, "the cache directory from $XDG_CACHE_HOME or $HOME: %s", msg);
        return rc;
      }
      continue;
    }
    if (v == NULL || *v == '\0') continue;   /* MAST_CACHE_DIR="": no disk cache */
    rc = mast_config_set(ctx, rows[i].pub.name, v, msg, sizeof msg);
    if (rc != MAST_OK) {
      snprintf(err, errlen, "environment variable %s: %s", rows[i].pub.env, msg);
      return rc;
    }
  }
  return MAST_OK;
}

void mast_config_lock(mast_ctx *ctx) { ctx->config_locked = 1; }
int mast_config_locked(mast_ctx *ctx) { return ctx->config_locked; }

mast_ctx *mast_ctx_new(mast_alloc_fn alloc, void *ud) {
  mast_ctx *ctx;
  char ua[128], err[256];
  size_t i;
  if (alloc == NULL) alloc = mast_default_alloc;
  ctx = alloc(ud, NULL, 0, sizeof *ctx);
  if (ctx == NULL) return NULL;
  memset(ctx, 0, sizeof *ctx);
  ctx->alloc = alloc;
  ctx->alloc_ud = ud;
  atomic_init(&ctx->own_cancel, 0);
  ctx->cancel = &ctx->own_cancel;
  ctx->rng = (uint64_t)(mast_now() * 1e9) ^ (uint64_t)(uintptr_t)ctx ^ 0x9E3779B97F4A7C15ull;
  atomic_init(&ctx->multi, NULL);   /* made by the first batch (mast_ctx_multi) */
  for (i = 0; i < NROWS; i++) {
    const char *def = rows[i].def;
    if (rows[i].offset == offsetof(mast_config, user_agent)) {
      /* the libcurl the build was made against: asking the loaded one
         would load it at every start (curl_lazy.h) */
      snprintf(ua, sizeof ua, "mast-lua/%s libcurl/%s Lua/5.4", MAST_VERSION_STRING, LIBCURL_VERSION);
      def = ua;
    }
    if (def != NULL && mast_config_set(ctx, rows[i].pub.name, def, err, sizeof err) != MAST_OK) {
      mast_ctx_free(ctx);   /* out of memory: the defaults themselves are valid */
      return NULL;
    }
  }
  return ctx;
}

void mast_ctx_free(mast_ctx *ctx) {
  mast_prefix *p;
  size_t i;
  if (ctx == NULL) return;
  if (atomic_load(&ctx->multi) != NULL) curl_multi_cleanup(atomic_load(&ctx->multi));
  for (i = 0; i < NROWS; i++)
    if (rows[i].pub.type == MAST_SETTING_STRING)
      free_value(ctx, *str_slot(ctx, &rows[i]), rows[i].pub.secret);
  mast_strfree(ctx, ctx->download_root);
  while ((p = ctx->allow) != NULL) {
    ctx->allow = p->next;
    mast_sfree(ctx, p, sizeof *p + p->len + 1);
  }
  ctx->alloc(ctx->alloc_ud, ctx, sizeof *ctx, 0);
}

void mast_set_token_provider(mast_ctx *ctx, mast_token_fn fn, void *ud) {
  ctx->token_fn = fn;
  ctx->token_ud = ud;
}

void mast_set_log_hook(mast_ctx *ctx, mast_log_fn fn, void *ud) {
  ctx->log_fn = fn;
  ctx->log_ud = ud;
}

void mast_set_progress_hook(mast_ctx *ctx, mast_event_fn fn, void *ud) {
  ctx->event_fn = fn;
  ctx->event_ud = ud;
}

int mast_has_progress_hook(mast_ctx *ctx) { return ctx->event_fn != NULL; }

void mast_emit(mast_ctx *ctx, const mast_event *e) {
  if (ctx->event_fn != NULL) ctx->event_fn(ctx->event_ud, e);
}

typedef struct fixed_sink {
  char *out;
  size_t len, o;
} fixed_sink;

static int to_fixed(void *ud, const char *piece, size_t n) {
  fixed_sink *k = ud;
  size_t room = k->len - 1 - k->o;
  if (n > room) {
    if (n == 7 && memcmp(piece, "<token>", 7) == 0) return 1;   /* never half a placeholder */
    n = room;
  }
  memcpy(k->out + k->o, piece, n);
  k->o += n;
  k->out[k->o] = '\0';
  return k->o + 1 >= k->len;
}

/* Copies s into out (of len bytes) with the token replaced by "<token>",
** as mast_scrub does, without allocating. When s was cut short, a start of
** the token at its very end goes too, however short. */
static void scrub_into(mast_ctx *ctx, const char *s, int cut, char *out, size_t len) {
  fixed_sink k;
  size_t sl = strlen(s);
  k.out = out;
  k.len = len;
  k.o = 0;
  out[0] = '\0';
  if (cut) {
    char tok[1024];
    const char *t = mast_token(ctx, tok, sizeof tok);
    size_t tl = t ? strlen(t) : 0, m;
    if (tl >= 4)
      for (m = tl - 1 < sl ? tl - 1 : sl; m > 0; m--)
        if (memcmp(s + sl - m, t, m) == 0) {
          sl -= m;
          break;
        }
    memset(tok, 0, sizeof tok);
  }
  mast_scrub_each(ctx, s, sl, to_fixed, &k);
}

void mast_log(mast_ctx *ctx, int level, const char *fmt, ...) {
  char msg[2048], clean[2048];
  va_list ap;
  int n;
  if (ctx->log_fn == NULL) return;
  va_start(ap, fmt);
  n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* a server may echo the token in what it answers */
  scrub_into(ctx, msg, n < 0 || (size_t)n >= sizeof msg, clean, sizeof clean);
  ctx->log_fn(ctx->log_ud, level, clean);
}

int mast_allow_url_prefix(mast_ctx *ctx, const char *prefix) {
  size_t n = strlen(prefix);
  mast_prefix *p = mast_malloc(ctx, sizeof *p + n + 1);
  if (p == NULL) return MAST_ENOMEM;
  p->len = n;
  memcpy(p->text, prefix, n + 1);
  p->next = ctx->allow;
  ctx->allow = p;
  return MAST_OK;
}

int mast_set_download_root(mast_ctx *ctx, const char *dir) {
  char *real = realpath(dir, NULL);
  char *copy;
  if (real == NULL) return MAST_EIO;
  copy = mast_strdup(ctx, real);
  free(real);
  if (copy == NULL) return MAST_ENOMEM;
  mast_strfree(ctx, ctx->download_root);
  ctx->download_root = copy;
  return MAST_OK;
}

void mast_cancel(mast_ctx *ctx) {
  CURLM *m;
  atomic_store(ctx->cancel, 1);
  /* no multi handle yet: no batch has run, and the next one sees the flag */
  if ((m = atomic_load(&ctx->multi)) != NULL) curl_multi_wakeup(m);
}

CURLM *mast_ctx_multi(mast_ctx *ctx, char **why) {
  const char *reason = NULL;
  CURLM *m = atomic_load(&ctx->multi);
  *why = NULL;
  if (m != NULL) return m;
  if (mast_curl_load(&reason) == NULL) {
    *why = mast_format(ctx, "%s", reason);
    return NULL;
  }
  if ((m = curl_multi_init()) == NULL) return NULL;
  /* HTTP/2 streams of one batch share a connection */
  curl_multi_setopt(m, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  atomic_store(&ctx->multi, m);
  return m;
}

void mast_interrupt(mast_ctx *ctx) { atomic_store(ctx->cancel, 1); }
void mast_cancel_reset(mast_ctx *ctx) { atomic_store(ctx->cancel, 0); }
int mast_cancelled(mast_ctx *ctx) { return !ctx->cancel_held && atomic_load(ctx->cancel) != 0; }
void mast_ctx_hold_cancel(mast_ctx *ctx, int hold) { ctx->cancel_held = hold; }

void mast_cancel_delivered(mast_ctx *ctx) {
  int requested = 1;
  atomic_compare_exchange_strong(ctx->cancel, &requested, 2);   /* a newer cancel stays 1 */
}

const char *mast_download_root(mast_ctx *ctx) { return ctx->download_root; }

void mast_ctx_use_cancel_flag(mast_ctx *ctx, atomic_int *flag) {
  ctx->cancel = flag ? flag : &ctx->own_cancel;
}

double mast_random(mast_ctx *ctx) {
  uint64_t x = ctx->rng;   /* xorshift64* */
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  ctx->rng = x;
  return (double)((x * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}
