/*
** engine.c -- runs batches of transfers over the context's multi handle.
**
** mast_perform() takes n requests and drives them to completion: at most
** `concurrency` at once, each retried on its own after a transient failure
** (connection errors, stalls, HTTP 429/5xx) with exponential backoff and
** jitter, honouring Retry-After, until the batch deadline. Redirects are
** followed here, not by libcurl, so that every hop passes the URL policy
** and the token is only ever attached for the base URL's origin.
** Downloads stream into <dest>.part, resume it with a range request, and
** are renamed into place only when complete and flushed to disk.
** Nothing here calls back into Lua except through the progress hook and
** the chunk sink, which run between libcurl calls, never inside one.
** Messages state facts (what failed, where, the server's words); advice
** that depends on who is asking is the caller's (lua/mast/hints.lua).
*/
#define _XOPEN_SOURCE 700
#ifdef __linux__
#define _GNU_SOURCE              /* sync_file_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "files.h"
#include "output.h"

#define MAX_REDIRECTS 10
#define POLL_MS 100              /* cancellation is noticed within this */
#define PROGRESS_EVERY 0.1       /* seconds between progress reports */
#define ERROR_BODY_MAX 4096      /* bytes of an error body kept for the message */
#define DOWNLOAD_BUFFERS (2L << 20) /* bytes of receive buffer shared by a batch's downloads */
#define DOWNLOAD_BUFFER_MIN 65536L   /* and the bounds of one download's buffer */
#define DOWNLOAD_BUFFER_MAX 524288L
#define WRITEBACK_EVERY (8 << 20) /* bytes of a download between early writebacks */
#define BACKOFF_CAP 30.0         /* seconds; the longest computed backoff */
#define PROGRESS_MIN (64 * 1024) /* bytes past its best that make a download's attempt progress */
#define RETRY_AFTER_CAP 600.0    /* seconds; the longest Retry-After obeyed */
#define BOMB_BYTES (64L << 20)   /* decoded bytes of an API answer past which... */
#define BOMB_RATIO 200           /* ...it may expand at most this much over the wire */

typedef enum { X_WAIT, X_ACTIVE, X_DONE } xstate;

/* What names one version of a file: the server's validators and its length
** (-1 unknown). A partial download keeps its own in <path>.part.meta. */
#define VALIDATOR_MAX 256
typedef struct validator {
  char etag[VALIDATOR_MAX];
  char modified[VALIDATOR_MAX];
  int64_t length;
} validator;

typedef struct xfer {
  mast_ctx *ctx;
  const mast_request *req;   /* &rq */
  mast_request rq;           /* the caller's request, read within its struct_size */
  mast_result *res;
  CURL *easy;
  struct curl_slist *headers;
  char *url;                 /* the URL of this hop (changes on redirect) */
  int method;
  int redirects;
  int restarts;              /* range restarts, bounded */
  mast_buf body;             /* in-memory body, or a failed download's body */
  mast_buf chunk;            /* a chunk sink's bytes not yet delivered */
  int64_t delivered;         /* bytes given to the chunk sink since the body began */
  size_t observed;           /* bytes of the in-memory body shown to request.observe */
  mast_output out;           /* a download's file (output.h): its .part, its policy */
  int64_t offset;            /* bytes already in .part when the attempt began */
  int64_t got;               /* bytes received in this attempt */
  int64_t flushed;           /* bytes of this attempt handed to the disk early */
  int64_t total;             /* expected final size, -1 unknown */
  validator was;             /* the .part's version, when resuming (from its .part.meta) */
  int checked;               /* this attempt's answer was checked against it */
  const char *changed;       /* why this answer is another version of the file, or NULL */
  long buffer;               /* libcurl's receive buffer for a download, bytes */
  int attempt;               /* attempts made so far */
  int progressed;            /* attempts made before the last one that took a
                                download's .part further: retries count from it */
  int64_t reached;           /* the most bytes a download's .part has held */
  xstate state;
  double wake;               /* a waiting transfer starts at this time */
  double started;
  char *cred;                /* the provider's last value, to keep out of messages */
  size_t cred_len;
  int fail_code;             /* set when a callback aborts the transfer */
  char *fail_msg;
  char errbuf[CURL_ERROR_SIZE];
} xfer;

static const char *label_of(const xfer *x) {
  return x->req->label ? x->req->label : x->req->url;
}

static int is_download(const xfer *x) { return x->req->dest != NULL; }
static int is_stream(const xfer *x) { return x->req->chunk != NULL; }
static int ok_status(long s) { return s >= 200 && s < 300; }

/* ---- results ---- */

/* msg with each piece of the credential that mast_token_match finds (an
** error page may echo it) replaced by "<credential>"; NULL on ENOMEM. */
static char *scrub_credential(xfer *x, const char *msg) {
  mast_buf b = {NULL, 0, 0};
  size_t i = 0, n = strlen(msg), m;
  char *out;
  while (i < n) {
    m = mast_token_match(msg + i, n - i, x->cred, x->cred_len);
    if (!(m ? mast_buf_add(x->ctx, &b, "<credential>", 12) : mast_buf_add(x->ctx, &b, msg + i, 1))) {
      mast_buf_free(x->ctx, &b);
      return NULL;
    }
    i += m ? m : 1;
  }
  out = mast_strdup(x->ctx, b.data ? b.data : "");
  mast_buf_free(x->ctx, &b);
  return out;
}

static void forget_credential(xfer *x) {
  if (x->cred == NULL) return;
  memset(x->cred, 0, x->cred_len);
  mast_sfree(x->ctx, x->cred, x->cred_len + 1);
  x->cred = NULL;
  x->cred_len = 0;
}

static void set_message(xfer *x, char *msg) {
  mast_result *r = x->res;
  mast_strfree(x->ctx, r->message);
  if (msg != NULL && x->cred != NULL) {
    char *clean = scrub_credential(x, msg);
    mast_strfree(x->ctx, msg);
    msg = clean;
  }
  r->message = msg ? mast_scrub(x->ctx, msg) : NULL;
  mast_strfree(x->ctx, msg);
}

static void close_part(xfer *x) {
  if (x->out.ctx != NULL) mast_output_close(&x->out);
}

/* A failed download keeps its .part for the next call to resume, unless it
** holds nothing (an error page, a refused connection): then it would only
** be litter beside the caller's files. */
static void drop_empty_part(xfer *x) {
  if (x->out.part != NULL && x->res->code != MAST_OK) mast_output_drop_empty(&x->out);
}

static void finish(xfer *x, int code, char *msg) {
  mast_result *r = x->res;
  r->code = code;
  if (code != MAST_OK && msg == NULL)
    msg = code == MAST_ENOMEM ? mast_format(x->ctx, "out of memory handling %s", label_of(x))
                              : mast_format(x->ctx, "%s failed", label_of(x));
  if (code != MAST_OK) set_message(x, msg);
  else mast_strfree(x->ctx, msg);
  close_part(x);
  r->attempts = x->attempt;
  r->seconds = mast_now() - x->started;
  x->state = X_DONE;
}

/* A short, printable start of a body, for an error message. */
static char *excerpt(mast_ctx *ctx, const mast_buf *b) {
  size_t i, n = b->len < 200 ? b->len : 200;
  const char *more = b->len > n ? "..." : "";
  /* exactly strlen + 1 bytes: it is freed with mast_strfree */
  char *s = mast_malloc(ctx, n + strlen(more) + 1);
  if (s == NULL) return NULL;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)b->data[i];
    s[i] = (c < 32 || c == 127) ? ' ' : (char)c;
  }
  strcpy(s + n, more);
  return s;
}

/* Moves the in-memory body into the result as an exactly sized block, so
** mast_result_clear() frees it with the size it was allocated with. */
static int take_body(xfer *x) {
  mast_ctx *ctx = x->ctx;
  mast_result *r = x->res;
  char *b;
  if (x->body.data == NULL) {
    b = mast_strdup(ctx, "");
  } else {
    b = mast_realloc(ctx, x->body.data, x->body.cap, x->body.len + 1);
    if (b == NULL) return 0;   /* x->body still owns the old block */
  }
  if (b == NULL) return 0;
  r->body = b;
  r->body_len = x->body.len;
  x->body.data = NULL;
  x->body.len = x->body.cap = 0;
  return 1;
}

/* ---- the version of a partial download ---- */

/* A header value fit to keep and to send back: printable, no line break. */
static void copy_value(char *dst, const char *v) {
  size_t i, n = v ? strlen(v) : 0;
  dst[0] = '\0';
  if (n == 0 || n >= VALIDATOR_MAX) return;
  for (i = 0; i < n; i++)
    if ((unsigned char)v[i] < 32 || (unsigned char)v[i] == 127) return;
  memcpy(dst, v, n + 1);
}

static const char *header_of(xfer *x, const char *name) {
  struct curl_header *h;
  if (curl_easy_header(x->easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK) return NULL;
  return h->value;
}

/* The validators of this answer; *start: where its Content-Range starts (-1: none). */
static void answer_version(xfer *x, long status, validator *v, int64_t *start) {
  const char *cr = header_of(x, "Content-Range");
  curl_off_t cl = -1;
  copy_value(v->etag, header_of(x, "ETag"));
  copy_value(v->modified, header_of(x, "Last-Modified"));
  v->length = -1;
  *start = -1;
  if (status == 206 && cr != NULL) {
    long long a, b, total;
    char star;
    if (sscanf(cr, "bytes %lld-%lld/%lld", &a, &b, &total) == 3) {
      *start = a;
      v->length = total;
    } else if (sscanf(cr, "bytes %lld-%lld/%c", &a, &b, &star) == 3) {
      *start = a;
    }
  } else if (status == 200 && curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) ==
             CURLE_OK && cl >= 0) {
    v->length = cl;
  }
}

/* The .part.meta's text for v, or NULL when v names nothing. */
static char *version_text(xfer *x, const validator *v) {
  if (!v->etag[0] && !v->modified[0] && v->length < 0) return NULL;
  return mast_format(x->ctx, "etag %s\nlast-modified %s\nlength %lld\n", v->etag, v->modified,
                     (long long)v->length);
}

/* Reads the .part.meta into x->was (empty when there is none: an old .part,
** or a server that sent no validator; such a .part resumes as before). */
static void read_version(xfer *x) {
  char *text = mast_output_meta_read(&x->out), *line, *next;
  size_t size;
  memset(&x->was, 0, sizeof x->was);
  x->was.length = -1;
  if (text == NULL) return;
  size = strlen(text) + 1;   /* the lines are cut in place: free it by this size */
  for (line = text; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    if (strncmp(line, "etag ", 5) == 0) copy_value(x->was.etag, line + 5);
    else if (strncmp(line, "last-modified ", 14) == 0) copy_value(x->was.modified, line + 14);
    else if (strncmp(line, "length ", 7) == 0) x->was.length = strtoll(line + 7, NULL, 10);
  }
  mast_sfree(x->ctx, text, size);
}

/* The If-Range value for a resume: a strong ETag, else Last-Modified. */
static const char *if_range_of(const validator *v) {
  if (v->etag[0] && strncmp(v->etag, "W/", 2) != 0) return v->etag;
  return v->modified[0] ? v->modified : NULL;
}

/* Why the answer v is not the version the .part was written from, or NULL. */
static const char *another_version(const validator *was, const validator *v) {
  if (was->etag[0] && v->etag[0]) {
    if (strcmp(was->etag, v->etag) != 0) return "its ETag is not the partial file's";
  } else if (was->modified[0] && v->modified[0] && strcmp(was->modified, v->modified) != 0) {
    return "its Last-Modified is not the partial file's";
  }
  if (was->length >= 0 && v->length >= 0 && was->length != v->length)
    return "its total length is not the partial file's";
  return NULL;
}

/* The first bytes of a download's answer: a resume goes on only when the answer
** is the rest of the same version of the file; a whole file (200) starts the
** .part again; a fresh start records the version. 0 stops the transfer:
** x->changed (start again) or x->fail_msg. Called from inside libcurl. */
static int first_bytes(xfer *x, long status) {
  validator now;
  int64_t start;
  char *text;
  x->checked = 1;
  answer_version(x, status, &now, &start);
  if (status == 206) {
    if (start != x->offset) x->changed = "its Content-Range does not start where the partial file ends";
    else if (x->offset > 0) x->changed = another_version(&x->was, &now);
    if (x->changed != NULL) return 0;
  } else if (x->offset > 0) {
    /* the server ignored our range, or If-Range said the file changed */
    if (mast_output_truncate(&x->out, &x->fail_msg) != MAST_OK) return 0;
    x->offset = 0;
  }
  if (x->offset > 0 || x->method == MAST_POST) return 1;
  text = version_text(x, &now);
  if (text == NULL && (now.etag[0] || now.modified[0] || now.length >= 0)) {
    x->fail_msg = mast_format(x->ctx, "out of memory writing %s", x->out.part);
    return 0;
  }
  if (mast_output_meta_write(&x->out, text, &x->fail_msg) != MAST_OK) {
    mast_strfree(x->ctx, text);
    return 0;
  }
  mast_strfree(x->ctx, text);
  return 1;
}

/* ---- callbacks (called from inside libcurl: no Lua, no longjmp) ---- */

/* An answer we asked to be compressed that expands past all reason (a small
** gzip body of gigabytes): stopped with an error before it takes the memory.
** decoded: its bytes after decoding so far. */
static int is_bomb(xfer *x, int64_t decoded) {
  curl_off_t wire = 0;
  curl_easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);   /* bytes as received */
  if (wire > 0 && decoded / wire < BOMB_RATIO) return 0;
  x->fail_code = MAST_ENOMEM;
  x->fail_msg = mast_format(x->ctx, "the response from %s expands from %lld compressed bytes to "
                            "more than %lld bytes: refused as a compression bomb", label_of(x),
                            (long long)wire, (long long)decoded);
  return 1;
}

static size_t on_write(char *p, size_t size, size_t nmemb, void *ud) {
  xfer *x = ud;
  size_t n = size * nmemb;
  long status = 0;
  curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
  if (is_download(x) && status >= 200 && status < 300) {
    if (!x->checked && !first_bytes(x, status)) {
      if (x->changed != NULL) return 0;   /* classify() starts the file again */
      goto write_error;
    }
    if (mast_output_write(&x->out, p, n, &x->fail_msg) != MAST_OK) goto write_error;
    x->got += (int64_t)n;
#ifdef __linux__
    /* start writing a large download to disk while it still arrives, so
       that the fsync at the end has little left to wait for */
    if (x->got - x->flushed >= WRITEBACK_EVERY) {
      (void)sync_file_range(x->out.fd, x->offset + x->flushed, x->got - x->flushed,
                            SYNC_FILE_RANGE_WRITE);
      x->flushed = x->got;
    }
#endif
    return n;
  write_error:
    x->fail_code = MAST_EIO;
    return 0;
  }
  if (is_stream(x) && ok_status(status)) {   /* handed to the sink after this round */
    if (x->got + (int64_t)n > BOMB_BYTES && is_bomb(x, x->got + (int64_t)n)) return 0;
    if (!mast_buf_add(x->ctx, &x->chunk, p, n)) {
      x->fail_code = MAST_ENOMEM;
      x->fail_msg = mast_format(x->ctx, "out of memory reading the response from %s", label_of(x));
      return 0;
    }
    x->got += (int64_t)n;
    return n;
  }
  if (is_download(x) || is_stream(x)) {   /* an error page: keep its start for the message */
    if (x->body.len < ERROR_BODY_MAX) {
      size_t keep = ERROR_BODY_MAX - x->body.len;
      if (!mast_buf_add(x->ctx, &x->body, p, n < keep ? n : keep)) return 0;
    }
    return n;
  }
  if (x->body.len + n > (size_t)BOMB_BYTES && is_bomb(x, (int64_t)(x->body.len + n))) return 0;
  if (x->req->max_body > 0 && x->body.len + n > x->req->max_body) {
    x->fail_code = MAST_ENOMEM;
    x->fail_msg = mast_format(x->ctx, "the response from %s is larger than the %zu-byte limit",
                              label_of(x), x->req->max_body);
    return 0;
  }
  /* every answer kept in memory has a ceiling: a body that never ends stops
     here, not when the machine runs out of memory */
  if ((double)(x->body.len + n) > x->ctx->cfg.max_answer) {
    x->fail_code = MAST_ENOMEM;
    x->fail_msg = mast_format(x->ctx, "the response from %s is larger than %.0f bytes (the max_answer "
                              "setting): refused before it took more memory", label_of(x),
                              x->ctx->cfg.max_answer);
    return 0;
  }
  if (!mast_buf_add(x->ctx, &x->body, p, n)) {
    x->fail_code = MAST_ENOMEM;
    x->fail_msg = mast_format(x->ctx, "out of memory reading the response from %s", label_of(x));
    return 0;
  }
  x->got += (int64_t)n;
  return n;
}

/* ---- starting an attempt ---- */

static int open_part(xfer *x) {
  struct stat st;
  if (mast_output_open(&x->out, MAST_OUT_RESUME, &x->fail_msg) != MAST_OK) return 0;
  if (fstat(x->out.fd, &st) != 0) {
    x->fail_msg = mast_format(x->ctx, "cannot open %s: %s", x->out.part, strerror(errno));
    return 0;
  }
  x->offset = (int64_t)st.st_size;
  memset(&x->was, 0, sizeof x->was);
  x->was.length = -1;
  if (x->offset > 0) read_version(x);
  /* resume=false drops an old .part (later attempts of this call may still
     resume what this call wrote); a POST's answer is made afresh each time */
  if (((x->req->flags & MAST_F_NO_RESUME) && x->attempt == 0) || x->method == MAST_POST)
    x->offset = 0;
  if (x->req->expected_size >= 0 && x->offset > x->req->expected_size) x->offset = 0;
  /* a .part of a version whose length is not the product's: another version */
  if (x->req->expected_size >= 0 && x->was.length >= 0 && x->was.length != x->req->expected_size)
    x->offset = 0;
  if (x->offset == 0 && st.st_size > 0 && mast_output_truncate(&x->out, &x->fail_msg) != MAST_OK)
    return 0;
  if (x->offset > 0) x->res->resumed = 1;
  return 1;
}

static int add_header(xfer *x, const char *h) {
  struct curl_slist *l = curl_slist_append(x->headers, h);
  if (l == NULL) return 0;
  x->headers = l;
  return 1;
}

/* Adds "Authorization: <scheme> <value>" (scheme may be ""), wiping the
** copies made on the way: freeing does not wipe, so the credential lives
** only in libcurl's copy. */
static int add_auth(xfer *x, const char *scheme, const char *value, size_t len) {
  char h[1200];
  int ok;
  snprintf(h, sizeof h, "Authorization: %s%s%.*s", scheme, *scheme ? " " : "", (int)len, value);
  ok = add_header(x, h);
  memset(h, 0, sizeof h);
  return ok;
}

/* The request's authorisation policy, applied to this hop's URL. */
static int authorise(xfer *x) {
  mast_ctx *ctx = x->ctx;
  char buf[1100];
  const char *token;
  int n, ok = 1;
  if (x->req->auth == MAST_AUTH_MAST) {
    /* the token goes to the configured base URL's origin and nowhere else */
    if (ctx->cfg.base_url && mast_same_origin(x->url, ctx->cfg.base_url) &&
        (token = mast_token(ctx, buf, sizeof buf)) != NULL)
      ok = add_auth(x, "token", token, strlen(token));
  } else if (x->req->auth == MAST_AUTH_PROVIDER && ctx->credential_fn != NULL) {
    n = ctx->credential_fn(ctx->credential_ud, x->req->credential, x->url, buf, sizeof buf);
    if (n >= 0 && (size_t)n < sizeof buf) {
      if (memchr(buf, '\r', (size_t)n) || memchr(buf, '\n', (size_t)n)) {
        memset(buf, 0, sizeof buf);
        x->fail_msg = mast_format(ctx, "the credential provider's value for '%s' holds a line "
                                  "break", x->req->credential);
        return MAST_EUSAGE;
      }
      ok = add_auth(x, "", buf, (size_t)n);
      forget_credential(x);
      if (ok && (x->cred = mast_malloc(ctx, (size_t)n + 1)) != NULL) {
        memcpy(x->cred, buf, (size_t)n);
        x->cred[n] = '\0';
        x->cred_len = (size_t)n;
      }
      ok = ok && x->cred != NULL;
    }
  }
  memset(buf, 0, sizeof buf);
  return ok ? MAST_OK : MAST_ENOMEM;
}

/* The chunk sink stopped x: a cancel (the host's Ctrl-C hook raises in
** the sink's Lua code) is not the callback's own doing. Returns the code. */
static int sink_stopped(xfer *x) {
  if (mast_cancelled(x->ctx)) {
    x->fail_msg = mast_format(x->ctx, "%s: cancelled", label_of(x));
    return MAST_ECANCELLED;
  }
  x->fail_msg = mast_format(x->ctx, "the chunk callback of %s stopped it", label_of(x));
  return MAST_ECALLBACK;
}

/* Tells a chunk sink that the body starts again, if it was given any. */
static int rewind_sink(xfer *x) {
  x->chunk.len = 0;
  if (!is_stream(x) || x->delivered == 0) return MAST_OK;
  x->delivered = 0;
  if (x->req->chunk(x->req->chunk_ud, NULL, 0) == 0) return MAST_OK;
  return sink_stopped(x);
}

/* Hands the bytes of the last libcurl round to the chunk sink. */
static int deliver(xfer *x) {
  int stop;
  if (x->chunk.len == 0 || x->fail_code != MAST_OK) return 1;
  stop = x->req->chunk(x->req->chunk_ud, x->chunk.data, x->chunk.len);
  x->delivered += (int64_t)x->chunk.len;
  x->chunk.len = 0;
  if (stop == 0) return 1;
  x->fail_code = sink_stopped(x);
  return 0;
}

static int start(xfer *x) {
  mast_ctx *ctx = x->ctx;
  const mast_request *q = x->req;
  const mast_config *c = &ctx->cfg;
  CURL *e;
  int rc;
  double stall = q->stall_timeout > 0 ? q->stall_timeout : c->timeout;

  x->got = x->flushed = 0;
  x->checked = 0;
  x->changed = NULL;
  x->fail_code = MAST_OK;
  mast_strfree(ctx, x->fail_msg);
  x->fail_msg = NULL;
  x->body.len = 0;
  if (x->body.data) x->body.data[0] = '\0';
  if (x->observed > 0) {   /* the observer was shown a body that starts again */
    x->observed = 0;
    (void)x->req->observe(x->req->observe_ud, NULL, 0);
  }
  if ((rc = rewind_sink(x)) != MAST_OK) return rc;
  if (is_download(x) && !open_part(x)) return MAST_EIO;

  e = x->easy = curl_easy_init();
  if (e == NULL) return MAST_ENOMEM;
  x->errbuf[0] = '\0';
  curl_easy_setopt(e, CURLOPT_URL, x->url);
  curl_easy_setopt(e, CURLOPT_PRIVATE, x);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(c->connect_timeout * 1000));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)ceil(stall));
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
  if (c->ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
  if (c->ca_path) curl_easy_setopt(e, CURLOPT_CAPATH, c->ca_path);
  /* HTTP/2 where TLS offers it (ALPN), else HTTP/1.1; over https a transfer
     waits for a connection being made rather than opening another, so that
     pages and concurrent downloads share one multiplexed connection */
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  if (strncmp(x->url, "https:", 6) == 0) curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  /* API answers may come compressed; downloads never (their bytes, length
     and ranges are the file's own) */
  if (!is_download(x)) curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  if (is_download(x) && x->offset > 0) {
    /* the range by hand, not CURLOPT_RESUME_FROM: libcurl would take a 200 as
       long as the .part for the whole file, which a changed file may be */
    char range[48], ifr[VALIDATOR_MAX + 16];
    const char *v = if_range_of(&x->was);
    snprintf(range, sizeof range, "%lld-", (long long)x->offset);
    curl_easy_setopt(e, CURLOPT_RANGE, range);
    if (v != NULL) {
      snprintf(ifr, sizeof ifr, "If-Range: %s", v);
      if (!add_header(x, ifr)) return MAST_ENOMEM;
    }
  }
  /* a download is written to disk as it arrives: big reads mean fewer
     system calls (1 GiB on loopback: 0.61 s instead of 0.95 s with 16 KB) */
  if (is_download(x)) curl_easy_setopt(e, CURLOPT_BUFFERSIZE, x->buffer);

  /* "Expect:" stops libcurl waiting for a 100-continue on large bodies */
  if (!add_header(x, "Expect:")) return MAST_ENOMEM;
  if (x->method == MAST_POST) {
    char ct[256];
    snprintf(ct, sizeof ct, "Content-Type: %s",
             q->content_type ? q->content_type : "application/x-www-form-urlencoded");
    if (!add_header(x, ct)) return MAST_ENOMEM;
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
    curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, q->body ? q->body : "");
  } else if (x->method == MAST_HEAD) {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  }
  if (q->headers != NULL) {
    const char *const *h;
    for (h = q->headers; *h != NULL; h++)
      if (!add_header(x, *h)) return MAST_ENOMEM;
  }
  if ((rc = authorise(x)) != MAST_OK) return rc;
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
  if (curl_multi_add_handle(ctx->multi, e) != CURLM_OK) return MAST_ENOMEM;
  x->attempt++;
  x->state = X_ACTIVE;
  return MAST_OK;
}

static void release_easy(xfer *x) {
  if (x->easy != NULL) {
    curl_multi_remove_handle(x->ctx->multi, x->easy);
    curl_easy_cleanup(x->easy);
    x->easy = NULL;
  }
  curl_slist_free_all(x->headers);   /* freeing does not wipe: the token */
  x->headers = NULL;                 /* header lives in libcurl's copy only */
}

/* ---- finishing an attempt ---- */

static const char *reason(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

static int retryable_status(long s) {
  return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

static int retryable_curl(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR: case CURLE_RECV_ERROR: case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE: case CURLE_HTTP2: case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR: case CURLE_HTTP3:
      return 1;
    default:
      return 0;
  }
}

/* Schedules another attempt, or finishes with (code, msg) when retries or
** time have run out. */
static void retry_or_fail(xfer *x, int code, char *msg, double retry_after, double deadline) {
  mast_ctx *ctx = x->ctx;
  double delay, now = mast_now();
  int streak;
  /* A download that each attempt takes further (its .part kept, resumed) is
     not failing: the retries count the attempts since the last one that
     added PROGRESS_MIN bytes past the most the .part had held (a server that
     restarts the file each time makes no such progress) */
  if (is_download(x) && x->method == MAST_GET) {
    int64_t now_at = x->offset + x->got;
    if (now_at >= x->reached + PROGRESS_MIN) x->progressed = x->attempt - 1;
    if (now_at > x->reached) x->reached = now_at;
  }
  streak = x->attempt - x->progressed;
  if ((x->req->flags & MAST_F_NO_RETRY) || streak > ctx->cfg.retries) {
    if (x->attempt > streak && msg != NULL) {
      char *m = mast_format(ctx, "%s (gave up after %d attempts, the last %d without getting 64 KB further)", msg,
                            x->attempt, streak);
      if (m != NULL) {
        mast_strfree(ctx, msg);
        msg = m;
      }
    } else if (x->attempt > 1 && msg != NULL) {
      char *m = mast_format(ctx, "%s (gave up after %d attempts)", msg, x->attempt);
      if (m != NULL) {
        mast_strfree(ctx, msg);
        msg = m;
      }
    }
    finish(x, code, msg);
    return;
  }
  delay = ctx->cfg.retry_delay * pow(2.0, streak - 1);
  if (delay > BACKOFF_CAP) delay = BACKOFF_CAP;
  delay *= 0.5 + 0.5 * mast_random(ctx);    /* jitter */
  if (retry_after > 0) delay = retry_after > RETRY_AFTER_CAP ? RETRY_AFTER_CAP : retry_after;
  if (retry_after > RETRY_AFTER_CAP) {
    /* a Retry-After far off (seconds or an HTTP date): obeyed only up to the cap, and said */
    char *m = mast_format(ctx, "%s (the server's Retry-After asks for %.0f s; waiting at most "
                          "%.0f s)", msg ? msg : label_of(x), retry_after, RETRY_AFTER_CAP);
    if (m != NULL) {
      mast_strfree(ctx, msg);
      msg = m;
    }
  }
  if (deadline > 0 && now + delay > deadline) {
    char *m = mast_format(ctx, "%s (no time left before the deadline to retry)", msg ? msg : "");
    if (m != NULL) {
      mast_strfree(ctx, msg);
      msg = m;
    }
    finish(x, code, msg);
    return;
  }
  mast_log(ctx, 1, "%s; retrying in %.1f s (attempt %d of %d)", msg ? msg : label_of(x), delay,
           x->attempt + 1, x->progressed + ctx->cfg.retries + 1);
  mast_strfree(ctx, msg);
  close_part(x);
  x->state = X_WAIT;
  x->wake = now + delay;
}

/* Flushes the .part file, checks its size and renames it into place. */
static void complete_download(xfer *x) {
  mast_ctx *ctx = x->ctx;
  struct stat st;
  char *msg;
  if (fstat(x->out.fd, &st) != 0) {
    finish(x, MAST_EIO, mast_format(ctx, "cannot stat %s: %s", x->out.part, strerror(errno)));
    return;
  }
  if (x->req->expected_size >= 0 && (int64_t)st.st_size != x->req->expected_size) {
    /* wrong content cannot be repaired by resuming: drop it (before closing:
       the lock keeps another process's .part from being the one unlinked) */
    unlink(x->out.part);
    (void)mast_output_meta_write(&x->out, NULL, &msg);
    close_part(x);
    finish(x, MAST_EIO,
           mast_format(ctx, "%s: received %lld bytes but the product's size is %lld bytes; "
                       "nothing was written to %s", label_of(x), (long long)st.st_size,
                       (long long)x->req->expected_size, x->out.path));
    return;
  }
  if (mast_output_commit(&x->out, -1, &msg) != MAST_OK) {
    finish(x, MAST_EIO, msg);
    return;
  }
  (void)mast_output_meta_write(&x->out, NULL, &msg);   /* the version is the file's now */
  x->res->bytes = (int64_t)st.st_size;
  finish(x, MAST_OK, NULL);
}

/* Empties the .part file and schedules a fresh start (not a new attempt). */
static void restart_download(xfer *x) {
  char *msg;
  if (mast_output_truncate(&x->out, &msg) != MAST_OK) {
    finish(x, MAST_EIO, msg);
    return;
  }
  close_part(x);
  x->attempt--;
  x->state = X_WAIT;
  x->wake = 0;
}

static char *http_error_message(xfer *x, long status) {
  mast_ctx *ctx = x->ctx;
  char *ex = excerpt(ctx, &x->body), *m;
  const char *lab = label_of(x);
  if (is_download(x) && status == 401)
    m = mast_format(ctx, "HTTP 401 Unauthorized for %s", lab);
  else if (is_download(x) && status == 404)
    m = mast_format(ctx, "HTTP 404 Not Found: %s does not exist at %s", lab, x->url);
  else
    m = mast_format(ctx, "HTTP %ld %s from %s%s%s", status, reason(status), x->url,
                    (ex && *ex) ? ": " : "", ex ? ex : "");
  mast_strfree(ctx, ex);
  return m;
}

/* ---- finishing an attempt: classify it, then one handler per outcome ---- */

typedef enum { O_DONE, O_REDIRECT, O_RESTART, O_RETRY, O_FAIL } outcome;

/* What a finished attempt said, and what classify() made of it. */
typedef struct facts {
  CURLcode rc;
  long status;
  double retry_after;
  int64_t range_total;   /* N of "Content-Range: bytes * /N" on a 416, else -1 */
  char *loc;             /* a redirect's target (owned), or NULL */
  int complete;          /* O_DONE: the .part holds the whole file */
  int code;              /* O_RETRY, O_FAIL: the error */
  char *msg;
} facts;

/* Reads what libcurl knows of the attempt into f and the result, then lets
** the handle go and hands the chunk sink what is left of the body. */
static void read_facts(xfer *x, CURLcode rc, facts *f) {
  mast_ctx *ctx = x->ctx;
  mast_result *r = x->res;
  curl_off_t cl = -1, retry_after = 0;
  char *loc = NULL, *ct = NULL, *eff = NULL;
  memset(f, 0, sizeof *f);
  f->rc = rc;
  f->range_total = -1;
  curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &f->status);
  curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
  curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &retry_after);
  curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
  curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
  curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
  f->retry_after = (double)retry_after;
  r->status = f->status;
  r->content_length = cl;
  r->curl_code = x->fail_code != MAST_OK ? 0 : (int)rc;   /* our own abort is not libcurl's */
  mast_strfree(ctx, r->content_type);
  r->content_type = mast_strdup(ctx, ct);
  mast_strfree(ctx, r->url);
  r->url = mast_strdup(ctx, eff ? eff : x->url);
  if (loc != NULL) f->loc = mast_strdup(ctx, loc);   /* outlives the handle */
  if (f->status == 416) {
    struct curl_header *h;
    if (curl_easy_header(x->easy, "Content-Range", 0, CURLH_HEADER, -1, &h) == CURLHE_OK) {
      const char *star = strchr(h->value, '/');
      if (star != NULL) f->range_total = strtoll(star + 1, NULL, 10);
    }
  }
  release_easy(x);
  if (is_stream(x)) deliver(x);
}

static outcome fail_with(facts *f, int code, char *msg) {
  f->code = code;
  f->msg = msg;
  return O_FAIL;
}

/* A libcurl error: its code and the fact it states. */
static outcome curl_failure(xfer *x, facts *f) {
  mast_ctx *ctx = x->ctx;
  const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(f->rc);
  f->code = MAST_ENET;
  switch (f->rc) {
    case CURLE_OPERATION_TIMEDOUT:
      f->code = MAST_ETIMEOUT;
      f->msg = mast_format(ctx, "%s stalled: %s", x->url, detail);
      break;
    case CURLE_URL_MALFORMAT: case CURLE_UNSUPPORTED_PROTOCOL:
      return fail_with(f, MAST_EUSAGE, mast_format(ctx, "bad URL %s: %s", x->url, detail));
    case CURLE_WRITE_ERROR:
      return fail_with(f, MAST_EIO, mast_format(ctx, "cannot write the data from %s: %s", x->url,
                                                detail));
    case CURLE_SSL_CACERT_BADFILE:
      f->msg = mast_format(ctx, "could not get %s: %s (the ca_file or ca_path setting names "
                           "something that cannot be read)", x->url, detail);
      break;
    default:   /* TLS verification too: never retried, never relaxed */
      f->msg = mast_format(ctx, "could not get %s: %s", x->url, detail);
      break;
  }
  return retryable_curl(f->rc) ? O_RETRY : O_FAIL;
}

/* Why a redirect's target is never followed, or NULL: only http(s), and no
** user-info (libcurl would send it as credentials; it may hide the host). */
static const char *bad_redirect(const char *loc) {
  size_t n;
  const char *auth;
  if (strncasecmp(loc, "http://", 7) == 0) auth = loc + 7;
  else if (strncasecmp(loc, "https://", 8) == 0) auth = loc + 8;
  else return "only http and https are followed";
  n = strcspn(auth, "/?#");
  if (memchr(auth, '@', n) != NULL) return "a URL with user-info is never followed";
  return NULL;
}

/* What the finished attempt means. Decides only; the handlers act. */
static outcome classify(xfer *x, facts *f) {
  long s = f->status;
  if (x->changed != NULL) {                   /* another version of the file: start again */
    if (x->restarts < 2) {
      mast_log(x->ctx, 1, "%s changed on the server (%s); starting it again", label_of(x),
               x->changed);
      return O_RESTART;
    }
    return fail_with(f, MAST_EHTTP, mast_format(x->ctx, "%s kept changing on the server while it "
                                                "was downloaded (%s); nothing was written to %s",
                                                label_of(x), x->changed, x->out.path));
  }
  if (x->fail_code != MAST_OK) {              /* we aborted it ourselves */
    char *m = x->fail_msg;
    x->fail_msg = NULL;
    return fail_with(f, x->fail_code, m);
  }
  if (f->rc == CURLE_OK && s >= 300 && s < 400 && s != 304 && f->loc != NULL &&
      (x->req->flags & MAST_F_NO_REDIRECT)) {
    mast_strfree(x->ctx, x->res->url);   /* where it points is the answer */
    x->res->url = f->loc;
    f->loc = NULL;
    return O_DONE;
  }
  if (f->rc == CURLE_OK && s >= 300 && s < 400 && s != 304 && f->loc != NULL) {
    if (x->redirects >= MAX_REDIRECTS)
      return fail_with(f, MAST_EHTTP, mast_format(x->ctx, "too many redirects (more than %d) "
                                                  "from %s", MAX_REDIRECTS, x->req->url));
    const char *why = bad_redirect(f->loc);
    if (why != NULL)
      return fail_with(f, MAST_EDENIED, mast_format(x->ctx, "%s redirected to %s: refused (%s)",
                                                    x->url, strstr(why, "user-info") ? "a URL"
                                                    : f->loc, why));
    if (!mast_url_allowed(x->ctx, f->loc))
      return fail_with(f, MAST_EDENIED, mast_format(x->ctx, "%s redirected to %s, which this "
                                                    "host does not allow", x->url, f->loc));
    return O_REDIRECT;
  }
  if (f->rc == CURLE_OK && ok_status(s)) {
    f->complete = is_download(x) && x->method != MAST_HEAD;
    /* a whole file with no body at all, to a resume: the .part is not it */
    if (f->complete && !x->checked && x->offset > 0 && s != 206 &&
        mast_output_truncate(&x->out, &f->msg) != MAST_OK) {
      f->code = MAST_EIO;
      return O_FAIL;
    }
    return O_DONE;
  }
  if (f->rc == CURLE_OK && s == 416 && is_download(x) && x->offset > 0) {
    /* our range starts at or past the end: complete, or a stale .part */
    int64_t want = x->req->expected_size >= 0 ? x->req->expected_size : f->range_total;
    if (x->was.length >= 0 && f->range_total >= 0 && x->was.length != f->range_total)
      want = -1;   /* the file's length is not the one the .part was written for */
    if (want >= 0 && want == x->offset && x->out.fd >= 0) {
      f->complete = 1;
      return O_DONE;
    }
    if (x->restarts < 2) return O_RESTART;
  }
  if ((f->rc == CURLE_RANGE_ERROR || f->rc == CURLE_BAD_DOWNLOAD_RESUME) && is_download(x) &&
      x->restarts < 2)
    return O_RESTART;   /* the server would not resume: start again */
  if (f->rc != CURLE_OK) return curl_failure(x, f);
  if (x->req->flags & MAST_F_ANY_STATUS) return O_DONE;   /* the status is the answer */
  f->code = MAST_EHTTP;
  f->msg = http_error_message(x, s);
  return retryable_status(s) ? O_RETRY : O_FAIL;
}

/* O_DONE: the file into place, or the body into the result. */
static void on_success(xfer *x, const facts *f) {
  if (f->complete) {
    complete_download(x);
  } else if (!is_download(x) && !(is_stream(x) && ok_status(f->status)) && !take_body(x)) {
    finish(x, MAST_ENOMEM, mast_format(x->ctx, "out of memory keeping the response"));
  } else {
    if (is_stream(x)) x->res->bytes = x->delivered;
    finish(x, MAST_OK, NULL);
  }
}

/* O_REDIRECT: the next hop, at once (a hop is not a new attempt). */
static void follow(xfer *x, facts *f) {
  mast_strfree(x->ctx, x->url);
  x->url = f->loc;
  f->loc = NULL;
  x->redirects++;
  if (f->status == 303 || ((f->status == 301 || f->status == 302) && x->method == MAST_POST))
    x->method = MAST_GET;
  x->attempt--;
  close_part(x);
  x->state = X_WAIT;
  x->wake = 0;
}

static void on_done(xfer *x, CURLcode rc, double deadline) {
  facts f;
  read_facts(x, rc, &f);
  switch (classify(x, &f)) {
    case O_DONE: on_success(x, &f); break;
    case O_REDIRECT: follow(x, &f); break;
    case O_RESTART: x->restarts++; restart_download(x); break;
    case O_RETRY: retry_or_fail(x, f.code, f.msg, f.retry_after, deadline); break;
    case O_FAIL: finish(x, f.code, f.msg); break;
  }
  mast_strfree(x->ctx, f.loc);
}

/* ---- the batch ---- */

typedef struct batch {
  mast_ctx *ctx;
  xfer *xs;
  size_t n, active, left;
  mast_batch opt;            /* the caller's options, read within struct_size */
  int concurrency, stop, watched;   /* watched: someone wants progress */
  double t0, last_t, rate;   /* rate: bytes per second, smoothed */
  int64_t last_bytes;
} batch;

static void abort_all(batch *b, int code, const char *why) {
  size_t i;
  for (i = 0; i < b->n; i++) {
    xfer *x = &b->xs[i];
    if (x->state == X_DONE) continue;
    release_easy(x);
    finish(x, code, mast_format(x->ctx, "%s: %s", label_of(x), why));
  }
}

static int tchar(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Why the extra header h cannot be sent, or NULL; *n: its name's length. */
static const char *bad_header(const char *h, size_t *n) {
  size_t i;
  *n = strcspn(h, ":\r\n");
  if (h[strcspn(h, "\r\n")] != '\0') return "holds a line break (CR or LF)";
  if (*n == 0 || h[*n] != ':') return "is not a \"Name: value\" line";
  for (i = 0; i < *n; i++)
    if (!tchar((unsigned char)h[i])) return "has a name that is not an HTTP token";
  if (*n == 13 && strncasecmp(h, "Authorization", 13) == 0)
    return "sets Authorization, which the request's auth policy decides";
  return NULL;
}

/* The checks of the fields after the first version: headers, auth, sink. */
static char *bad_request(mast_ctx *ctx, const xfer *x) {
  const mast_request *q = x->req;
  if (q->headers != NULL) {
    const char *const *h;
    for (h = q->headers; *h != NULL; h++) {
      size_t n;
      const char *why = bad_header(*h, &n);
      if (why != NULL)
        return mast_format(ctx, "%s: the header '%.*s' %s", label_of(x), (int)(n > 80 ? 80 : n),
                           *h, why);
    }
  }
  if (q->auth < MAST_AUTH_MAST || q->auth > MAST_AUTH_PROVIDER)
    return mast_format(ctx, "%s: unknown auth policy %d", label_of(x), q->auth);
  if (q->auth == MAST_AUTH_PROVIDER && (q->credential == NULL || *q->credential == '\0'))
    return mast_format(ctx, "%s: the provider auth policy needs a credential name", label_of(x));
  if (q->auth == MAST_AUTH_PROVIDER && ctx->credential_fn == NULL)
    return mast_format(ctx, "%s: asks for the credential '%s', but the host set no credential "
                       "provider", label_of(x), q->credential);
  if (q->chunk != NULL && q->dest != NULL)
    return mast_format(ctx, "%s: a request has one sink: a dest or a chunk callback, not both",
                       label_of(x));
  if (q->observe != NULL && (q->chunk != NULL || q->dest != NULL))
    return mast_format(ctx, "%s: observe watches an answer kept in memory: not with a dest or "
                       "a chunk callback", label_of(x));
  return NULL;
}

static int prepare(mast_ctx *ctx, xfer *x, const mast_request *q, size_t size, mast_result *r) {
  char *bad;
  memset(x, 0, sizeof *x);
  memset(r, 0, sizeof *r);
  x->ctx = ctx;
  memcpy(&x->rq, q, size < sizeof x->rq ? size : sizeof x->rq);   /* the rest stays 0 */
  x->req = q = &x->rq;
  x->res = r;
  x->total = -1;
  r->content_length = -1;
  x->started = mast_now();
  x->method = q->method;
  if (q->struct_size != size) {
    finish(x, MAST_EUSAGE, mast_format(ctx, "a request's struct_size is %zu, not %zu as the "
                                       "array's first", q->struct_size, size));
    return 0;
  }
  if (q->url == NULL || *q->url == '\0') {
    finish(x, MAST_EUSAGE, mast_format(ctx, "no URL given"));
    return 0;
  }
  if ((bad = bad_request(ctx, x)) != NULL) {
    finish(x, MAST_EUSAGE, bad);
    return 0;
  }
  if (!mast_url_allowed(ctx, q->url)) {
    finish(x, MAST_EDENIED, mast_format(ctx, "this host does not allow fetching %s", q->url));
    return 0;
  }
  x->url = mast_strdup(ctx, q->url);
  if (x->url == NULL) {
    finish(x, MAST_ENOMEM, NULL);
    return 0;
  }
  if (q->dest != NULL) {
    struct stat st;
    char *msg;
    int code;
    if (*q->dest == '\0') {
      finish(x, MAST_EUSAGE, mast_format(ctx, "empty destination path for %s", label_of(x)));
      return 0;
    }
    if ((code = mast_output_init(ctx, &x->out, q->dest, &msg)) != MAST_OK) {
      finish(x, code, msg);
      return 0;
    }
    x->out.keep_part = 1;   /* a failed download's .part is resumed later (drop_empty_part) */
    x->total = q->expected_size;
    if (!(q->flags & MAST_F_OVERWRITE) && q->expected_size >= 0 && stat(x->out.path, &st) == 0 &&
        S_ISREG(st.st_mode) && (int64_t)st.st_size == q->expected_size) {
      r->skipped = 1;
      r->bytes = (int64_t)st.st_size;
      finish(x, MAST_OK, NULL);
      return 0;
    }
  }
  x->state = X_WAIT;
  return 1;
}

/* Bytes of x so far, for progress. */
static int64_t have_of(const xfer *x) {
  if (x->state != X_DONE) return is_download(x) ? x->offset + x->got : x->got;
  if (is_download(x) || is_stream(x)) return x->res->code == MAST_OK ? x->res->bytes : 0;
  return (int64_t)x->res->body_len;
}

static void report(batch *b) {
  mast_progress p;
  size_t i;
  double now = mast_now();
  memset(&p, 0, sizeof p);
  p.total = b->n;
  for (i = 0; i < b->n; i++) {
    xfer *x = &b->xs[i];
    int64_t have = have_of(x);
    p.bytes_now += have;
    if (x->state == X_DONE) {
      if (x->res->code == MAST_OK) p.done++;
      else p.failed++;
    } else if (x->state == X_ACTIVE) {
      p.active++;
    }
    if (p.bytes_total >= 0) {
      int64_t t = x->total;
      if (x->state == X_DONE) t = have;
      else if (t < 0 && x->easy != NULL) {
        curl_off_t cl = -1;
        curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
        if (cl >= 0) t = x->offset + cl;
      }
      p.bytes_total = t < 0 ? -1 : p.bytes_total + t;
    }
  }
  p.elapsed = now - b->t0;
  if (now > b->last_t) {
    double inst = (double)(p.bytes_now - b->last_bytes) / (now - b->last_t);
    b->rate = b->rate <= 0 ? inst : 0.7 * b->rate + 0.3 * inst;
  }
  p.rate = b->rate > 0 ? b->rate : 0;
  b->last_t = now;
  b->last_bytes = p.bytes_now;
  if (b->ctx->event_fn != NULL) {
    mast_event e;
    memset(&e, 0, sizeof e);
    e.kind = MAST_EVENT_TRANSFER;
    e.label = b->opt.label ? b->opt.label : label_of(&b->xs[0]);
    e.transfer = &p;
    e.percent = -1;
    e.elapsed = p.elapsed;
    mast_emit(b->ctx, &e);
  }
  if (b->opt.progress != NULL && b->opt.progress(b->opt.progress_ud, &p) != 0) b->stop = 1;
}

/* Stops the batch if it was cancelled or stopped, or its deadline passed. */
static int interrupted(batch *b) {
  if (mast_cancelled(b->ctx)) abort_all(b, MAST_ECANCELLED, "cancelled");
  else if (b->stop) abort_all(b, MAST_ECALLBACK, "stopped by the progress callback");
  else if (b->opt.deadline > 0 && mast_now() >= b->opt.deadline)
    abort_all(b, MAST_ETIMEOUT, "the deadline passed before it finished");
  else return 0;
  return 1;
}

/* Ends x now with the error its start or its sink left. */
static void end_early(batch *b, xfer *x, int code) {
  char *msg = x->fail_msg;
  x->fail_msg = NULL;
  release_easy(x);
  finish(x, code, msg);
  b->left--;
}

/* Starts the waiting transfers that are due, while slots are free; returns
** the seconds until the next one is due (at most POLL_MS). */
static double start_due(batch *b) {
  double now = mast_now(), wait = POLL_MS / 1000.0;
  size_t i;
  for (i = 0; i < b->n && (int)b->active < b->concurrency; i++) {
    xfer *x = &b->xs[i];
    if (x->state == X_WAIT && x->wake <= now) {
      int rc = start(x);
      if (rc != MAST_OK) end_early(b, x, rc);
      else b->active++;
    } else if (x->state == X_WAIT && x->wake - now < wait) {
      wait = x->wake - now;
    }
  }
  return wait;
}

/* Shows request.observe the in-memory body of a 2xx answer that has grown. */
static void observe(xfer *x) {
  long status = 0;
  if (x->req->observe == NULL || x->easy == NULL || x->body.len <= x->observed ||
      x->fail_code != MAST_OK || is_download(x) || is_stream(x))
    return;
  curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
  if (!ok_status(status)) return;
  x->observed = x->body.len;
  (void)x->req->observe(x->req->observe_ud, x->body.data, x->body.len);
}

/* One libcurl round: moves data, settles finished transfers, then feeds
** the chunk sinks (between libcurl calls). Returns the slots it freed. */
static int round_trip(batch *b) {
  int running = 0, q, freed = 0;
  size_t i;
  CURLMsg *m;
  curl_multi_perform(b->ctx->multi, &running);
  while ((m = curl_multi_info_read(b->ctx->multi, &q)) != NULL) {
    xfer *x = NULL;
    if (m->msg != CURLMSG_DONE) continue;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
    if (x == NULL) continue;
    on_done(x, m->data.result, b->opt.deadline);
    b->active--;
    freed++;
    if (x->state == X_DONE) b->left--;
  }
  for (i = 0; i < b->n; i++) {
    xfer *x = &b->xs[i];
    if (x->state == X_ACTIVE && is_stream(x) && !deliver(x)) {
      end_early(b, x, x->fail_code);
      b->active--;
      freed++;
    } else if (x->state == X_ACTIVE) {
      observe(x);
    }
  }
  return freed;
}

/* Every result failed with code and message (nothing was sent). */
static int fail_all(mast_ctx *ctx, mast_result *res, size_t n, int code, const char *msg) {
  size_t i;
  for (i = 0; i < n; i++) {
    memset(&res[i], 0, sizeof res[i]);
    res[i].code = code;
    res[i].content_length = -1;
    if (msg != NULL) res[i].message = mast_strdup(ctx, msg);
  }
  return code;
}

static int setup(batch *b, mast_ctx *ctx, const mast_request *reqs, mast_result *res, size_t n,
                 const mast_batch *opt) {
  size_t i, stride = reqs->struct_size;
  memset(b, 0, sizeof *b);
  b->ctx = ctx;
  b->n = n;
  if (opt != NULL && opt->struct_size < MAST_BATCH_V1_SIZE)
    return fail_all(ctx, res, n, MAST_EUSAGE, "the batch's struct_size is too small "
                    "(start from MAST_BATCH_INIT)");
  if (stride < MAST_REQUEST_V1_SIZE)
    return fail_all(ctx, res, n, MAST_EUSAGE, "the request's struct_size is too small "
                    "(start from MAST_REQUEST_INIT)");
  if (opt != NULL) memcpy(&b->opt, opt, opt->struct_size < sizeof b->opt ? opt->struct_size
                                                                        : sizeof b->opt);
  {
    char *why = NULL;
    if (mast_ctx_multi(ctx, &why) == NULL) {   /* libcurl loads at the first batch */
      int rc = fail_all(ctx, res, n, why != NULL ? MAST_EIO : MAST_ENOMEM, why);
      mast_strfree(ctx, why);
      return rc;
    }
  }
  b->concurrency = b->opt.concurrency > 0 ? b->opt.concurrency : ctx->cfg.concurrency;
  b->watched = b->opt.progress != NULL || ctx->event_fn != NULL;
  b->t0 = b->last_t = mast_now();
  b->xs = mast_malloc(ctx, n * sizeof *b->xs);
  if (b->xs == NULL) return fail_all(ctx, res, n, MAST_ENOMEM, NULL);
  for (i = 0; i < n; i++) {
    xfer *x = &b->xs[i];
    const void *q = (const char *)reqs + i * stride;   /* the caller's element size */
    if (prepare(ctx, x, q, stride, &res[i])) b->left++;
    /* large buffers for few downloads at once, smaller ones for many, so
       that a batch's buffers stay within about 2-3 MB */
    x->buffer = b->concurrency > 0 ? DOWNLOAD_BUFFERS / b->concurrency : DOWNLOAD_BUFFER_MAX;
    if (x->buffer > DOWNLOAD_BUFFER_MAX) x->buffer = DOWNLOAD_BUFFER_MAX;
    if (x->buffer < DOWNLOAD_BUFFER_MIN) x->buffer = DOWNLOAD_BUFFER_MIN;
  }
  return MAST_OK;
}

static int teardown(batch *b) {
  size_t i;
  int first_error = MAST_OK;
  for (i = 0; i < b->n; i++) {
    xfer *x = &b->xs[i];
    release_easy(x);
    close_part(x);
    drop_empty_part(x);
    mast_buf_free(b->ctx, &x->body);
    mast_buf_free(b->ctx, &x->chunk);
    mast_strfree(b->ctx, x->url);
    mast_output_free(&x->out);
    mast_strfree(b->ctx, x->fail_msg);
    forget_credential(x);
    if (x->res->code != MAST_OK && first_error == MAST_OK) first_error = x->res->code;
  }
  mast_sfree(b->ctx, b->xs, b->n * sizeof *b->xs);
  return first_error;
}

int mast_perform(mast_ctx *ctx, const mast_request *reqs, mast_result *res, size_t n,
                 const mast_batch *opt) {
  batch b;
  int rc;
  if (n == 0) return MAST_OK;
  if ((rc = setup(&b, ctx, reqs, res, n, opt)) != MAST_OK) return rc;
  while (b.left > 0 && !interrupted(&b)) {
    double wait = start_due(&b);
    int freed;
    if (b.left == 0) break;
    freed = round_trip(&b);
    if (b.watched && mast_now() - b.last_t >= PROGRESS_EVERY) report(&b);
    /* a finished transfer freed a slot (or a redirect hop is due): start
       the next one now rather than after the poll below times out */
    if (b.left == 0 || freed > 0) continue;
    if (b.active > 0 || wait > 0) {
      int ms = (int)(wait * 1000);
      if (ms < 1) ms = 1;
      if (ms > POLL_MS) ms = POLL_MS;
      curl_multi_poll(ctx->multi, NULL, 0, ms, NULL);
    }
  }
  if (b.watched && !b.stop) report(&b);
  return teardown(&b);
}

void mast_request_init(mast_request *q) {
  const mast_request init = MAST_REQUEST_INIT;
  *q = init;
}

void mast_set_credential_provider(mast_ctx *ctx, mast_credential_fn fn, void *ud) {
  ctx->credential_fn = fn;
  ctx->credential_ud = ud;
}

void mast_result_clear(mast_ctx *ctx, mast_result *r) {
  if (r->body != NULL) mast_sfree(ctx, r->body, r->body_len + 1);
  mast_strfree(ctx, r->content_type);
  mast_strfree(ctx, r->url);
  mast_strfree(ctx, r->message);
  memset(r, 0, sizeof *r);
}

int mast_sleep(mast_ctx *ctx, double seconds) {
  double end = mast_now() + seconds;
  for (;;) {
    double left;
    if (mast_cancelled(ctx)) return MAST_ECANCELLED;
    left = end - mast_now();
    if (left <= 0) return MAST_OK;
    curl_multi_poll(ctx->multi, NULL, 0, left * 1000 < POLL_MS ? (int)(left * 1000) + 1 : POLL_MS,
                    NULL);
  }
}
