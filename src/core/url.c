/*
** url.c -- URL encoding, origin checks, the URL allow-list, the token.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static int is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

char *mast_urlencode(mast_ctx *ctx, const char *s, size_t len, const char *safe, size_t *outlen) {
  static const char hex[] = "0123456789ABCDEF";
  size_t i, n = 0;
  char *out, *o;
  if (safe == NULL) safe = "/";
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    n += (is_unreserved(c) || (c != 0 && strchr(safe, c) != NULL)) ? 1 : 3;
  }
  out = mast_hmalloc(ctx, n + 1);   /* the host frees it with mast_free */
  if (out == NULL) return NULL;
  for (o = out, i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_unreserved(c) || (c != 0 && strchr(safe, c) != NULL)) *o++ = (char)c;
    else {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  *o = '\0';
  if (outlen) *outlen = n;
  return out;
}

typedef struct origin {
  char *scheme, *host, *port;
} origin;

static int parse_origin(const char *url, origin *o) {
  CURLU *u;
  int ok = 0;
  memset(o, 0, sizeof *o);
  if (mast_curl_load(NULL) == NULL) return 0;   /* no libcurl: never the same origin */
  if ((u = curl_url()) == NULL) return 0;
  if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &o->host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) == CURLUE_OK)
    ok = 1;
  curl_url_cleanup(u);
  return ok;
}

static void free_origin(origin *o) {
  if (mast_curl_load(NULL) == NULL) return;   /* nothing was made */
  curl_free(o->scheme);
  curl_free(o->host);
  curl_free(o->port);
}

/* Same scheme, host and port (case-insensitive where the URL is). */
int mast_same_origin(const char *a, const char *b) {
  origin oa, ob;
  int ra = parse_origin(a, &oa), rb = parse_origin(b, &ob);
  int same = ra && rb && strcasecmp(oa.scheme, ob.scheme) == 0 &&
             strcasecmp(oa.host, ob.host) == 0 && strcmp(oa.port, ob.port) == 0;
  free_origin(&oa);
  free_origin(&ob);
  return same;
}

int mast_url_allowed(mast_ctx *ctx, const char *url) {
  const mast_prefix *p;
  if (ctx->allow == NULL) return 1;
  for (p = ctx->allow; p != NULL; p = p->next)
    if (strncmp(url, p->text, p->len) == 0) return 1;
  return 0;
}

const char *mast_token(mast_ctx *ctx, char *buf, size_t len) {
  if (ctx->token_fn != NULL) {
    int n = ctx->token_fn(ctx->token_ud, buf, len);
    if (n <= 0 || (size_t)n >= len) return NULL;
    buf[n] = '\0';
    return buf;
  }
  if (ctx->cfg.token == NULL) return NULL;
  snprintf(buf, len, "%s", ctx->cfg.token);
  return buf;
}

size_t mast_token_match(const char *s, size_t sl, const char *t, size_t tl) {
  size_t j, best = 0, need = tl < MAST_TOKEN_RUN ? tl : MAST_TOKEN_RUN;
  if (tl < 4) return 0;   /* too short to tell from ordinary text */
  for (j = 0; j + best < tl; j++) {
    size_t m = 0;
    while (m < sl && j + m < tl && s[m] == t[j + m]) m++;
    if (m > best) best = m;
  }
  return best >= need ? best : 0;
}

int mast_scrub_each(mast_ctx *ctx, const char *s, size_t sl, mast_scrub_emit emit, void *ud) {
  char tok[1024];
  const char *t = ctx ? mast_token(ctx, tok, sizeof tok) : NULL, *start = s;
  size_t tl = t ? strlen(t) : 0;
  int rc = 0;
  if (tl < 4) {
    rc = emit(ud, s, sl);
    memset(tok, 0, sizeof tok);
    return rc;
  }
  while (sl > 0 && rc == 0) {
    size_t m = mast_token_match(s, sl, t, tl);
    if (m == 0) {
      s++;
      sl--;
      continue;
    }
    rc = emit(ud, start, (size_t)(s - start));
    if (rc == 0) rc = emit(ud, "<token>", 7);
    s += m;
    sl -= m;
    start = s;
  }
  if (rc == 0) rc = emit(ud, start, (size_t)(s - start));
  memset(tok, 0, sizeof tok);
  return rc;
}

typedef struct buf_sink {
  mast_ctx *ctx;
  mast_buf b;
} buf_sink;

static int to_buf(void *ud, const char *piece, size_t n) {
  buf_sink *k = ud;
  return mast_buf_add(k->ctx, &k->b, piece, n) ? 0 : 1;
}

int mast_mentions_token(mast_ctx *ctx, const char *text) {
  char *scrubbed = mast_scrub(ctx, text);
  int found = scrubbed == NULL || strcmp(scrubbed, text) != 0;   /* cannot tell: say yes */
  mast_strfree(ctx, scrubbed);
  return found;
}

char *mast_scrub(mast_ctx *ctx, const char *s) {
  buf_sink k;
  char *out = NULL;
  if (s == NULL) return NULL;
  k.ctx = ctx;
  memset(&k.b, 0, sizeof k.b);
  if (mast_scrub_each(ctx, s, strlen(s), to_buf, &k) == 0)
    out = mast_strdup(ctx, k.b.data ? k.b.data : "");   /* exactly sized, for mast_strfree */
  mast_buf_free(ctx, &k.b);
  return out;
}
