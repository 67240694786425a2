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

#define DEFAULT_BASE_URL "https://mast.stsci.edu"
#define DEFAULT_HLA_URL "https://hla.stsci.edu"

static const char *const code_names[] = {
  "ok", "usage", "http", "mast", "timeout", "json", "io", "network",
  "cancelled", "memory", "denied", "callback", "script", "limit"
};

const char *mast_code_name(int code) {
  if (code < 0 || code >= (int)(sizeof code_names / sizeof *code_names)) return "unknown";
  return code_names[code];
}

const char *mast_version(void) { return MAST_VERSION_STRING; }
int mast_version_num(void) { return MAST_VERSION_NUM; }

double mast_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud; (void)osize;
  if (nsize == 0) { free(ptr); return NULL; }
  return realloc(ptr, nsize);
}

/* curl_global_init is the one piece of process-wide state; it runs once. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_OK;

static void curl_init_once(void) {
  if (getenv("MAST_NO_CURL_INIT") == NULL) curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int set_string(mast_ctx *ctx, char **slot, const char *value) {
  char *copy = NULL;
  if (value != NULL && *value != '\0') {
    copy = mast_strdup(ctx, value);
    if (copy == NULL) return 0;
  }
  mast_strfree(ctx, *slot);
  *slot = copy;
  return 1;
}

/* Frees the token without leaving it in freed memory: wiped first, then
** freed with its size (strlen of the wiped bytes would be 0). */
static void free_token(mast_ctx *ctx) {
  if (ctx->cfg.token != NULL) {
    size_t n = strlen(ctx->cfg.token), i = n;
    volatile char *t = ctx->cfg.token;
    while (i--) t[i] = 0;
    mast_free(ctx, ctx->cfg.token, n + 1);
    ctx->cfg.token = NULL;
  }
}

mast_ctx *mast_ctx_new(mast_alloc_fn alloc, void *ud) {
  mast_ctx *ctx;
  char ua[128];
  curl_version_info_data *cv;
  if (alloc == NULL) alloc = default_alloc;
  pthread_once(&curl_once, curl_init_once);
  if (curl_init_result != CURLE_OK) return NULL;
  ctx = alloc(ud, NULL, 0, sizeof *ctx);
  if (ctx == NULL) return NULL;
  memset(ctx, 0, sizeof *ctx);
  ctx->alloc = alloc;
  ctx->alloc_ud = ud;
  atomic_init(&ctx->own_cancel, 0);
  ctx->cancel = &ctx->own_cancel;
  ctx->rng = (uint64_t)(mast_now() * 1e9) ^ (uint64_t)(uintptr_t)ctx ^ 0x9E3779B97F4A7C15ull;
  ctx->cfg.connect_timeout = 30;
  ctx->cfg.timeout = 60;
  ctx->cfg.deadline = 600;
  ctx->cfg.retry_delay = 0.5;
  ctx->cfg.retries = 3;
  ctx->cfg.concurrency = 4;
  cv = curl_version_info(CURLVERSION_NOW);
  snprintf(ua, sizeof ua, "mast-lua/%s libcurl/%s Lua/5.4", MAST_VERSION_STRING, cv->version);
  ctx->multi = curl_multi_init();
  if (ctx->multi == NULL || !set_string(ctx, &ctx->cfg.base_url, DEFAULT_BASE_URL) ||
      !set_string(ctx, &ctx->cfg.hla_url, DEFAULT_HLA_URL) ||
      !set_string(ctx, &ctx->cfg.user_agent, ua)) {
    mast_ctx_free(ctx);
    return NULL;
  }
  return ctx;
}

void mast_ctx_free(mast_ctx *ctx) {
  mast_prefix *p;
  if (ctx == NULL) return;
  if (ctx->multi != NULL) curl_multi_cleanup(ctx->multi);
  mast_strfree(ctx, ctx->cfg.base_url);
  free_token(ctx);
  mast_strfree(ctx, ctx->cfg.user_agent);
  mast_strfree(ctx, ctx->cfg.hla_url);
  mast_strfree(ctx, ctx->cfg.ca_file);
  mast_strfree(ctx, ctx->cfg.ca_path);
  mast_strfree(ctx, ctx->download_root);
  while ((p = ctx->allow) != NULL) {
    ctx->allow = p->next;
    mast_free(ctx, p, sizeof *p + p->len + 1);
  }
  ctx->alloc(ctx->alloc_ud, ctx, sizeof *ctx, 0);
}

/* ---- configuration ---- */

enum { K_STR, K_NUM, K_INT, K_PROGRESS };

typedef struct key_info {
  const char *name;
  int kind;
  size_t offset;
  double min, max;
} key_info;

#define OFF(f) offsetof(mast_config, f)
static const key_info keys[] = {
  {"base_url", K_STR, OFF(base_url), 0, 0},
  {"token", K_STR, OFF(token), 0, 0},
  {"user_agent", K_STR, OFF(user_agent), 0, 0},
  {"hla_url", K_STR, OFF(hla_url), 0, 0},
  {"ca_file", K_STR, OFF(ca_file), 0, 0},
  {"ca_path", K_STR, OFF(ca_path), 0, 0},
  {"connect_timeout", K_NUM, OFF(connect_timeout), 0.001, 3600},
  {"timeout", K_NUM, OFF(timeout), 1, 86400},
  {"deadline", K_NUM, OFF(deadline), 0.001, 30 * 86400},
  {"retries", K_INT, OFF(retries), 0, 100},
  {"retry_delay", K_NUM, OFF(retry_delay), 0, 600},
  {"concurrency", K_INT, OFF(concurrency), 1, 64},
  {"progress", K_PROGRESS, OFF(progress), 0, 0},
};
#undef OFF

static const char *const key_names[] = {
  "base_url", "token", "user_agent", "hla_url", "ca_file", "ca_path", "connect_timeout",
  "timeout", "deadline", "retries", "retry_delay", "concurrency", "progress", NULL
};

const char *const *mast_config_keys(void) { return key_names; }

static const key_info *find_key(const char *name) {
  size_t i;
  for (i = 0; i < sizeof keys / sizeof *keys; i++)
    if (strcmp(keys[i].name, name) == 0) return &keys[i];
  return NULL;
}

static int check_url(const char *value, char *err, size_t errlen, const char *key) {
  if (value == NULL || *value == '\0') {
    snprintf(err, errlen, "%s must not be empty", key);
    return 0;
  }
  if (strncasecmp(value, "http://", 7) != 0 && strncasecmp(value, "https://", 8) != 0) {
    snprintf(err, errlen, "%s must be an http:// or https:// URL, got '%.200s'", key, value);
    return 0;
  }
  return 1;
}

int mast_config_set(mast_ctx *ctx, const char *key, const char *value, char *err, size_t errlen) {
  const key_info *k = find_key(key);
  char *base = (char *)&ctx->cfg;
  if (k == NULL) {
    snprintf(err, errlen, "unknown setting '%.100s' (known: base_url, token, user_agent, hla_url, "
             "ca_file, ca_path, connect_timeout, timeout, deadline, retries, retry_delay, "
             "concurrency, progress)", key);
    return MAST_EUSAGE;
  }
  switch (k->kind) {
    case K_STR: {
      char *copy;
      size_t n;
      if ((strcmp(key, "base_url") == 0 || strcmp(key, "hla_url") == 0) &&
          !check_url(value, err, errlen, key))
        return MAST_EUSAGE;
      if (strcmp(key, "user_agent") == 0 && (value == NULL || *value == '\0')) {
        snprintf(err, errlen, "user_agent must not be empty");
        return MAST_EUSAGE;
      }
      if (value != NULL && strpbrk(value, "\r\n") != NULL) {
        snprintf(err, errlen, "%s must not contain line breaks", key);
        return MAST_EUSAGE;
      }
      copy = NULL;
      if (value != NULL && *value != '\0') {
        n = strlen(value);
        /* a base URL is kept without its trailing slashes */
        if (strcmp(key, "base_url") == 0 || strcmp(key, "hla_url") == 0)
          while (n > 0 && value[n - 1] == '/') n--;
        copy = mast_malloc(ctx, n + 1);
        if (copy == NULL) {
          snprintf(err, errlen, "out of memory");
          return MAST_ENOMEM;
        }
        memcpy(copy, value, n);
        copy[n] = '\0';
      }
      if (k->offset == offsetof(mast_config, token)) free_token(ctx);
      mast_strfree(ctx, *(char **)(base + k->offset));
      *(char **)(base + k->offset) = copy;
      return MAST_OK;
    }
    case K_PROGRESS: {
      int *slot = (int *)(base + k->offset);
      if (value != NULL && strcmp(value, "auto") == 0) *slot = 0;
      else if (value != NULL && (strcmp(value, "on") == 0 || strcmp(value, "true") == 0)) *slot = 1;
      else if (value != NULL && (strcmp(value, "off") == 0 || strcmp(value, "false") == 0)) *slot = 2;
      else {
        snprintf(err, errlen, "progress must be 'auto', 'on' or 'off', got '%.50s'", value ? value : "");
        return MAST_EUSAGE;
      }
      return MAST_OK;
    }
    default: {
      char *end;
      double d;
      errno = 0;
      d = value ? strtod(value, &end) : 0;
      if (value == NULL || end == value || *end != '\0' || errno != 0 || !isfinite(d)) {
        snprintf(err, errlen, "%s must be a number, got '%.50s'", key, value ? value : "");
        return MAST_EUSAGE;
      }
      if (d < k->min || d > k->max || (k->kind == K_INT && d != floor(d))) {
        snprintf(err, errlen, "%s must be %s from %g to %g, got %.50s", key,
                 k->kind == K_INT ? "a whole number" : "a number", k->min, k->max, value);
        return MAST_EUSAGE;
      }
      if (k->kind == K_INT) *(int *)(base + k->offset) = (int)d;
      else *(double *)(base + k->offset) = d;
      return MAST_OK;
    }
  }
}

int mast_config_get(mast_ctx *ctx, const char *key, char *buf, size_t len) {
  const key_info *k = find_key(key);
  char *base = (char *)&ctx->cfg;
  if (k == NULL || len == 0) return MAST_EUSAGE;
  switch (k->kind) {
    case K_STR: {
      const char *s = *(char **)(base + k->offset);
      if (strcmp(key, "token") == 0) s = (s != NULL || ctx->token_fn != NULL) ? "<set>" : NULL;
      snprintf(buf, len, "%s", s ? s : "");
      break;
    }
    case K_PROGRESS: {
      static const char *const names[] = {"auto", "on", "off"};
      snprintf(buf, len, "%s", names[*(int *)(base + k->offset)]);
      break;
    }
    case K_INT: snprintf(buf, len, "%d", *(int *)(base + k->offset)); break;
    default: snprintf(buf, len, "%.17g", *(double *)(base + k->offset)); break;
  }
  return MAST_OK;
}

double mast_config_number(mast_ctx *ctx, const char *key) {
  const key_info *k = find_key(key);
  char *base = (char *)&ctx->cfg;
  if (k == NULL) return 0;
  if (k->kind == K_INT || k->kind == K_PROGRESS) return *(int *)(base + k->offset);
  if (k->kind == K_NUM) return *(double *)(base + k->offset);
  return 0;
}

int mast_config_from_env(mast_ctx *ctx, char *err, size_t errlen) {
  static const char *const env[][2] = {
    {"MAST_BASE_URL", "base_url"}, {"MAST_API_TOKEN", "token"},
    {"MAST_USER_AGENT", "user_agent"}, {"MAST_HLA_URL", "hla_url"},
    {"MAST_CA_FILE", "ca_file"}, {"MAST_CA_PATH", "ca_path"},
    {"MAST_CONNECT_TIMEOUT", "connect_timeout"}, {"MAST_TIMEOUT", "timeout"},
    {"MAST_DEADLINE", "deadline"}, {"MAST_RETRIES", "retries"},
    {"MAST_RETRY_DELAY", "retry_delay"}, {"MAST_CONCURRENCY", "concurrency"},
    {"MAST_PROGRESS", "progress"},
  };
  size_t i;
  for (i = 0; i < sizeof env / sizeof *env; i++) {
    const char *v = getenv(env[i][0]);
    char msg[256];
    int rc;
    if (v == NULL || *v == '\0') continue;
    rc = mast_config_set(ctx, env[i][1], v, msg, sizeof msg);
    if (rc != MAST_OK) {
      snprintf(err, errlen, "environment variable %s: %s", env[i][0], msg);
      return rc;
    }
  }
  return MAST_OK;
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
  atomic_store(ctx->cancel, 1);
  curl_multi_wakeup(ctx->multi);
}

void mast_interrupt(mast_ctx *ctx) { atomic_store(ctx->cancel, 1); }
void mast_cancel_reset(mast_ctx *ctx) { atomic_store(ctx->cancel, 0); }
int mast_cancelled(mast_ctx *ctx) { return atomic_load(ctx->cancel) != 0; }

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
