/*
** test_request.c -- what a request can say, through the C API (mast_perform)
** against the sandbox: struct_size (too small refused, an older and
** smaller struct read only within its size, arrays stepped by it), extra
** headers (sent; CR/LF and Authorization refused, naming the header), the
** auth policies (none; a host credential provider asked per hop, so a
** redirect to another origin gets only what the provider gives that URL),
** the chunk sink (exact bytes, told to start again before a retry, a
** non-zero return stops it), http/https only, and messages that state facts
** (no mast.config, no MAST policy) with the CURLcode beside them.
**
** Run through sandbox/with-sandbox (ctest does).
*/
#define _XOPEN_SOURCE 700
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "mast/mast.h"

#include "check.h"

static mast_ctx *ctx;
static const char *base;
static char url_buf[4][512];

static const char *at(int slot, const char *path) {
  snprintf(url_buf[slot], sizeof url_buf[slot], "%s%s", base, path);
  return url_buf[slot];
}

static const char *file_url(int slot, const char *uri) {
  char path[400];
  snprintf(path, sizeof path, "/api/v0.1/Download/file?uri=%s", uri);
  return at(slot, path);
}

/* One request, run alone; r must be cleared by the caller. */
static int perform1(const mast_request *q, mast_result *r) {
  return mast_perform(ctx, q, r, 1, NULL);
}

static void control(const char *what, const char *json) {
  mast_request q = MAST_REQUEST_INIT;
  mast_result r;
  char path[100];
  snprintf(path, sizeof path, "/__sandbox/%s", what);
  q.method = MAST_POST;
  q.url = at(3, path);
  q.body = json;
  q.body_len = strlen(json);
  q.content_type = "application/json";
  CHECK(perform1(&q, &r) == MAST_OK, "control %s: %s", what, r.message ? r.message : "");
  mast_result_clear(ctx, &r);
}

static void reset(const char *faults) {
  char json[1000];
  control("reset", "{}");
  if (faults != NULL) {
    snprintf(json, sizeof json, "{\"faults\": %s}", faults);
    control("faults", json);
  }
}

/* The sandbox's request log as text (malloc'd). */
static char *request_log(void) {
  mast_request q = MAST_REQUEST_INIT;
  mast_result r;
  char *log;
  q.url = at(3, "/__sandbox/requests");
  CHECK(perform1(&q, &r) == MAST_OK, "request log: %s", r.message ? r.message : "");
  log = strdup(r.body ? r.body : "");
  mast_result_clear(ctx, &r);
  return log;
}

/* The log's entries: objects of its "requests" list (indent 1, so each
** begins a line with two spaces and a brace). */
static const char *next_entry(const char *p) { return strstr(p, "\n  {"); }

static int log_entries(const char *log) {
  int n = 0;
  const char *p = log;
  while ((p = next_entry(p)) != NULL) {
    n++;
    p++;
  }
  return n;
}

/* Whether the n-th (0-based) entry holds text. */
static int entry_has(const char *log, int n, const char *text) {
  const char *p = log, *end;
  int i, has;
  char *entry;
  for (i = 0; i <= n; i++) {
    p = next_entry(p);
    if (p == NULL) return 0;
    p++;
  }
  end = next_entry(p);
  entry = strndup(p, end ? (size_t)(end - p) : strlen(p));
  has = strstr(entry, text) != NULL;
  free(entry);
  return has;
}

/* ---- struct_size ---- */

static void test_struct_size(void) {
  mast_request q = MAST_REQUEST_INIT;
  mast_batch b = MAST_BATCH_INIT;
  mast_result r;
  union { max_align_t align; char bytes[2 * sizeof(mast_request)]; } arr;
  mast_request v1;

  q.url = file_url(0, "mast:SANDBOX/size/10/a.fits");
  q.struct_size = 0;
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "struct_size 0 accepted");
  CHECK(r.message && strstr(r.message, "struct_size"), "message: %s", r.message);
  mast_result_clear(ctx, &r);
  q.struct_size = MAST_REQUEST_V1_SIZE - 1;
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "a too-small struct_size accepted");
  mast_result_clear(ctx, &r);

  q.struct_size = sizeof q;
  b.struct_size = 3;
  CHECK(mast_perform(ctx, &q, &r, 1, &b) == MAST_EUSAGE, "batch struct_size 3 accepted");
  CHECK(r.code == MAST_EUSAGE && r.message && strstr(r.message, "batch"), "message: %s", r.message);
  mast_result_clear(ctx, &r);
  b.struct_size = sizeof b;
  CHECK(mast_perform(ctx, &q, &r, 1, &b) == MAST_OK, "batch: %s", r.message);
  mast_result_clear(ctx, &r);

  /* a host built against the first version: what lies past its struct is
     not read (here: junk that would be refused if it were) */
  v1 = q;
  v1.struct_size = MAST_REQUEST_V1_SIZE;
  v1.headers = (const char *const *)(uintptr_t)1;
  v1.auth = 77;
  CHECK(perform1(&v1, &r) == MAST_OK, "a v1-sized request: %s", r.message);
  CHECK(r.body_len == 10, "v1 body %zu bytes", r.body_len);
  mast_result_clear(ctx, &r);

  /* an array of v1-sized requests is stepped by struct_size */
  {
    mast_request a = v1, c = v1;
    mast_result rs[2];
    c.url = file_url(1, "mast:SANDBOX/size/20/b.fits");
    memcpy(arr.bytes, &a, MAST_REQUEST_V1_SIZE);
    memcpy(arr.bytes + MAST_REQUEST_V1_SIZE, &c, MAST_REQUEST_V1_SIZE);
    CHECK(mast_perform(ctx, (const mast_request *)(void *)arr.bytes, rs, 2, NULL) == MAST_OK,
          "v1 array: %s / %s", rs[0].message, rs[1].message);
    CHECK(rs[0].body_len == 10 && rs[1].body_len == 20, "v1 array bodies %zu %zu",
          rs[0].body_len, rs[1].body_len);
    mast_result_clear(ctx, &rs[0]);
    mast_result_clear(ctx, &rs[1]);
  }

  {
    mast_request init;
    mast_request_init(&init);
    CHECK(init.struct_size == sizeof init && init.expected_size == -1 && init.auth == MAST_AUTH_MAST,
          "mast_request_init");
  }
}

/* ---- headers ---- */

static void test_headers(void) {
  static const char *const good[] = {"X-Mast-Test: hello", "Accept: text/plain", NULL};
  static const char *const crlf[] = {"X-Ok: 1", "X-Split: a\r\nX-Evil: 1", NULL};
  static const char *const lf[] = {"X-Lf: a\nb", NULL};
  static const char *const authz[] = {"authorization: Bearer x", NULL};
  static const char *const noname[] = {"no colon here", NULL};
  mast_request q = MAST_REQUEST_INIT;
  mast_result r;
  char *log;

  reset(NULL);
  q.url = at(0, "/whoami");
  q.headers = good;
  CHECK(perform1(&q, &r) == MAST_OK, "headers: %s", r.message);
  mast_result_clear(ctx, &r);
  log = request_log();
  CHECK(strstr(log, "\"x-mast-test\": \"hello\""), "header not sent: %s", log);
  CHECK(strstr(log, "\"accept\": \"text/plain\""), "header not sent: %s", log);
  free(log);

  reset(NULL);
  q.headers = crlf;
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "a CR/LF header accepted");
  CHECK(r.message && strstr(r.message, "'X-Split'") && strstr(r.message, "line break"),
        "message: %s", r.message);
  mast_result_clear(ctx, &r);
  q.headers = lf;
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "an LF header accepted");
  mast_result_clear(ctx, &r);
  q.headers = authz;
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "an Authorization header accepted");
  CHECK(r.message && strstr(r.message, "'authorization'") && strstr(r.message, "auth policy") &&
        !strstr(r.message, "Bearer"), "message: %s", r.message);
  mast_result_clear(ctx, &r);
  q.headers = noname;
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "a line without a name accepted");
  mast_result_clear(ctx, &r);
  log = request_log();
  CHECK(log_entries(log) == 0, "a refused request was sent: %s", log);
  free(log);
}

/* ---- auth ---- */

static int provider_calls;
static char provider_urls[4][512];
static int provider_everywhere;

static int provide(void *ud, const char *name, const char *url, char *buf, size_t len) {
  (void)ud;
  if (provider_calls < 4) snprintf(provider_urls[provider_calls], 512, "%s", url);
  provider_calls++;
  CHECK(strcmp(name, "archive") == 0, "provider asked for '%s'", name);
  if (!provider_everywhere && strncmp(url, base, strlen(base)) != 0) return -1;
  return snprintf(buf, len, "Bearer sekrit-%s", name);
}

static void test_auth(void) {
  mast_request q = MAST_REQUEST_INIT;
  mast_result r;
  char err[200], *log;

  CHECK(mast_config_set(ctx, "token", "sandbox-token", err, sizeof err) == MAST_OK, "%s", err);
  reset(NULL);
  q.url = at(0, "/whoami");
  CHECK(perform1(&q, &r) == MAST_OK, "%s", r.message);   /* default: the MAST token */
  mast_result_clear(ctx, &r);
  q.auth = MAST_AUTH_NONE;
  CHECK(perform1(&q, &r) == MAST_OK, "%s", r.message);
  mast_result_clear(ctx, &r);
  log = request_log();
  CHECK(log_entries(log) == 2, "%d requests", log_entries(log));
  CHECK(entry_has(log, 0, "\"authorization\": \"token sandbox-token\""), "no token: %s", log);
  CHECK(!entry_has(log, 1, "authorization"), "auth none sent one: %s", log);
  free(log);

  /* the provider: none set is a usage error */
  q.auth = MAST_AUTH_PROVIDER;
  q.credential = "archive";
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "a provider request without a provider");
  CHECK(r.message && strstr(r.message, "provider"), "message: %s", r.message);
  mast_result_clear(ctx, &r);

  /* asked per hop: a redirect to another origin gets what it says for that URL */
  mast_set_credential_provider(ctx, provide, NULL);
  q.url = file_url(0, "mast:SANDBOX/redirect/100/r.fits");
  reset(NULL);
  provider_calls = 0;
  CHECK(perform1(&q, &r) == MAST_OK, "%s", r.message);
  CHECK(r.body_len == 100, "body %zu", r.body_len);
  mast_result_clear(ctx, &r);
  CHECK(provider_calls == 2, "provider asked %d times", provider_calls);
  CHECK(strncmp(provider_urls[0], base, strlen(base)) == 0, "first hop %s", provider_urls[0]);
  CHECK(strncmp(provider_urls[1], base, strlen(base)) != 0, "second hop %s", provider_urls[1]);
  log = request_log();
  CHECK(log_entries(log) == 2, "%d requests", log_entries(log));
  CHECK(entry_has(log, 0, "\"authorization\": \"Bearer sekrit-archive\""), "main hop: %s", log);
  CHECK(entry_has(log, 1, "\"listener\": \"alt\""), "second hop not on alt: %s", log);
  CHECK(!entry_has(log, 1, "authorization"), "the other origin got a credential: %s", log);
  CHECK(!strstr(log, "sandbox-token"), "the MAST token went with a provider request: %s", log);
  free(log);

  provider_everywhere = 1;
  reset(NULL);
  CHECK(perform1(&q, &r) == MAST_OK, "%s", r.message);
  mast_result_clear(ctx, &r);
  log = request_log();
  CHECK(entry_has(log, 1, "\"authorization\": \"Bearer sekrit-archive\""),
        "the provider's answer for the alt URL was not sent: %s", log);
  free(log);
  provider_everywhere = 0;

  /* a failure's message never holds the credential, even when the server
     echoes it */
  reset("[{\"kind\": \"status\", \"status\": 400, \"body\": \"you sent Bearer "
        "sekrit-archive, and sekrit-ar\"}]");
  q.url = at(0, "/whoami");
  CHECK(perform1(&q, &r) == MAST_EHTTP && r.status == 400, "echo: %d", r.code);
  CHECK(r.message && !strstr(r.message, "sekrit") && strstr(r.message, "<credential>"),
        "message: %s", r.message);
  mast_result_clear(ctx, &r);
  mast_set_credential_provider(ctx, NULL, NULL);
  CHECK(mast_config_set(ctx, "token", NULL, err, sizeof err) == MAST_OK, "%s", err);
}

/* ---- the chunk sink ---- */

typedef struct sink {
  char *data;
  size_t len, cap, biggest;
  int calls, restarts, stop_after;
} sink;

static int collect_chunk(void *ud, const char *data, size_t len) {
  sink *s = ud;
  if (data == NULL) {
    CHECK(len == 0, "restart with len %zu", len);
    s->len = 0;
    s->restarts++;
    return 0;
  }
  if (s->len + len > s->cap) {
    s->cap = (s->len + len) * 2;
    s->data = realloc(s->data, s->cap);
    if (s->data == NULL) abort();
  }
  memcpy(s->data + s->len, data, len);
  s->len += len;
  if (len > s->biggest) s->biggest = len;
  s->calls++;
  return s->stop_after > 0 && s->calls >= s->stop_after;
}

static void test_chunk_sink(void) {
  mast_request q = MAST_REQUEST_INIT;
  mast_result ref, r;
  sink s;
  char err[200];

  reset(NULL);
  q.url = file_url(0, "mast:SANDBOX/size/3000000/c.fits");
  CHECK(perform1(&q, &ref) == MAST_OK, "reference: %s", ref.message);

  memset(&s, 0, sizeof s);
  q.chunk = collect_chunk;
  q.chunk_ud = &s;
  CHECK(perform1(&q, &r) == MAST_OK, "chunk sink: %s", r.message);
  CHECK(r.body == NULL && r.bytes == 3000000, "body %p, bytes %lld", (void *)r.body,
        (long long)r.bytes);
  CHECK(s.len == ref.body_len && memcmp(s.data, ref.body, s.len) == 0, "sink got %zu bytes",
        s.len);
  CHECK(s.calls > 1 && s.restarts == 0, "%d calls, %d restarts", s.calls, s.restarts);
  CHECK(s.biggest < 3000000, "one chunk of %zu bytes: the body was accumulated", s.biggest);
  mast_result_clear(ctx, &r);

  /* cut mid-body, then retried: the sink is told to start again */
  CHECK(mast_config_set(ctx, "retry_delay", "0.01", err, sizeof err) == MAST_OK, "%s", err);
  reset("[{\"kind\": \"drop\", \"after_bytes\": 1000000, \"times\": 1, "
        "\"match\": {\"uri\": \"c.fits\"}}]");
  s.len = 0;
  s.calls = s.restarts = 0;
  CHECK(perform1(&q, &r) == MAST_OK, "chunk sink, retried: %s", r.message);
  CHECK(r.attempts == 2, "%d attempts", r.attempts);
  CHECK(s.restarts == 1, "%d restarts", s.restarts);
  CHECK(s.len == ref.body_len && memcmp(s.data, ref.body, s.len) == 0,
        "after a retry the sink holds %zu bytes", s.len);
  CHECK(r.bytes == 3000000, "bytes %lld", (long long)r.bytes);
  mast_result_clear(ctx, &r);

  /* a non-zero return stops that transfer only */
  reset(NULL);
  {
    mast_request two[2];
    mast_result rs[2];
    sink other;
    memset(&other, 0, sizeof other);
    s.len = 0;
    s.calls = 0;
    s.stop_after = 1;
    two[0] = q;
    two[1] = q;
    two[1].chunk_ud = &other;
    CHECK(mast_perform(ctx, two, rs, 2, NULL) == MAST_ECALLBACK, "stop: %d", rs[0].code);
    CHECK(rs[0].code == MAST_ECALLBACK && rs[0].message && strstr(rs[0].message, "chunk"),
          "message: %s", rs[0].message);
    CHECK(s.calls == 1, "called %d times after asking to stop", s.calls);
    CHECK(rs[1].code == MAST_OK && other.len == ref.body_len, "the other transfer: %s",
          rs[1].message);
    mast_result_clear(ctx, &rs[0]);
    mast_result_clear(ctx, &rs[1]);
    free(other.data);
    s.stop_after = 0;
  }

  /* an error page does not reach the sink */
  s.len = 0;
  s.calls = 0;
  q.url = file_url(0, "mast:SANDBOX/missing/nothing.fits");
  CHECK(perform1(&q, &r) == MAST_EHTTP && r.status == 404, "missing: %d", r.code);
  CHECK(s.calls == 0, "the sink was given an error page");
  mast_result_clear(ctx, &r);

  /* one sink per request */
  q.dest = "/tmp/mast-test-request-never";
  CHECK(perform1(&q, &r) == MAST_EUSAGE, "dest and chunk both accepted");
  mast_result_clear(ctx, &r);
  free(s.data);
  mast_result_clear(ctx, &ref);
}

/* ---- protocols and facts ---- */

static void test_protocols(void) {
  static const char *const urls[] = {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x/",
                                     NULL};
  int i;
  for (i = 0; urls[i]; i++) {
    mast_request q = MAST_REQUEST_INIT;
    mast_result r;
    q.url = urls[i];
    CHECK(perform1(&q, &r) == MAST_EUSAGE, "%s: code %d", urls[i], r.code);
    CHECK(r.body == NULL, "%s gave a body", urls[i]);
    CHECK(r.curl_code == CURLE_UNSUPPORTED_PROTOCOL, "%s: curl_code %d", urls[i], r.curl_code);
    mast_result_clear(ctx, &r);
  }
}

static void no_advice(const char *what, const char *m) {
  CHECK(m != NULL, "%s: no message", what);
  if (m == NULL) return;
  CHECK(!strstr(m, "mast.config"), "%s names the Lua API: %s", what, m);
  CHECK(!strstr(m, "MAST_API_TOKEN"), "%s gives token advice: %s", what, m);
  CHECK(!strstr(m, "exclusive"), "%s claims a MAST policy: %s", what, m);
}

static void test_facts(void) {
  mast_request q = MAST_REQUEST_INIT;
  mast_result r;
  char err[200], dest[] = "/tmp/mast-test-request-XXXXXX";
  int fd = mkstemp(dest);
  CHECK(fd >= 0, "mkstemp");
  close(fd);
  unlink(dest);

  reset(NULL);
  q.url = file_url(0, "mast:SANDBOX/eap/100/secret.fits");
  q.dest = dest;
  CHECK(perform1(&q, &r) == MAST_EHTTP && r.status == 401, "401: %d %ld", r.code, r.status);
  CHECK(r.curl_code == 0 && r.url != NULL, "curl_code %d", r.curl_code);
  no_advice("a 401", r.message);
  mast_result_clear(ctx, &r);

  CHECK(mast_config_set(ctx, "timeout", "1", err, sizeof err) == MAST_OK, "%s", err);
  CHECK(mast_config_set(ctx, "retries", "0", err, sizeof err) == MAST_OK, "%s", err);
  reset("[{\"kind\": \"stall\", \"after_bytes\": 10, \"seconds\": 15, "
        "\"match\": {\"uri\": \"slow.fits\"}}]");
  q.url = file_url(0, "mast:SANDBOX/size/100/slow.fits");
  q.dest = NULL;
  CHECK(perform1(&q, &r) == MAST_ETIMEOUT, "stall: %d %s", r.code, r.message);
  CHECK(r.curl_code == CURLE_OPERATION_TIMEDOUT, "curl_code %d", r.curl_code);
  CHECK(r.message && strstr(r.message, "stalled"), "message: %s", r.message);
  no_advice("a stall", r.message);
  mast_result_clear(ctx, &r);
  CHECK(mast_config_set(ctx, "timeout", "60", err, sizeof err) == MAST_OK, "%s", err);
  CHECK(mast_config_set(ctx, "retries", "3", err, sizeof err) == MAST_OK, "%s", err);
}

int main(void) {
  char err[300];
  base = getenv("MAST_BASE_URL");
  if (base == NULL) {
    fprintf(stderr, "test_request: run through sandbox/with-sandbox\n");
    return 2;
  }
  ctx = mast_ctx_new(NULL, NULL);
  CHECK(ctx != NULL, "mast_ctx_new");
  if (ctx == NULL) return 1;
  CHECK(mast_config_set(ctx, "base_url", base, err, sizeof err) == MAST_OK, "%s", err);
  test_struct_size();
  test_headers();
  test_auth();
  test_chunk_sink();
  test_protocols();
  test_facts();
  mast_ctx_free(ctx);
  if (failures) fprintf(stderr, "test_request: %d check(s) failed\n", failures);
  else printf("test_request: all checks passed\n");
  return failures ? 1 : 0;
}
