/*
** test_alloc.c -- allocation failure, swept: a mast_runtime whose allocator
** fails after N allocations, for every N, while it runs a query and a
** download against the sandbox. Each run must end in an error (or, once N
** is large enough, in the right answer), never in a crash, a wrong answer or
** a leak; and the runtime must work again at once afterwards.
**
** The runtime's allocator serves Lua and mast's C core alike (the context
** allocates through lua_getallocf), so both are swept. libcurl's own
** allocations are outside it: libcurl's allocator is process-global
** (curl_global_init_mem) and not per runtime, so it is not swept here.
**
** Leaks are caught twice: the allocator counts live bytes (every block must
** be freed with the size it was allocated with, so the count is 0 after
** mast_runtime_close), and the ASan build's LeakSanitizer sees the rest.
**
** Two kinds of failure: "persistent" (allocation N and every later one
** fail: error paths get no memory either) and "one-shot" (only allocation N
** fails; Lua's emergency collection then retries its own allocations, so
** these mostly reach the C core's). Swept: runtime creation; a query; a
** query answered 503 and then cut mid-body (retries); a query answered
** EXECUTING once (polling); a 306-row query printed as a grid; a download;
** a download cut mid-body and resumed; a chunk sink cut and retried; a
** bundle extracted.
** A successful run must give exactly the reference answer; a failed
** download leaves nothing at dest (or the whole file, when only building
** the Lua result failed after it was in place), never part of it.
**
** usage: test_alloc [quick|full [SWEEP]]   (through sandbox/with-sandbox)
**   quick (ctest): every N, except strided for runtime creation, the
**   EXECUTING query and the big query; full: every N everywhere (3-4 min).
**   SWEEP runs only the sweeps whose name contains it.
** TEST_ALLOC_VERBOSE=1 prints each failed run's message and, after a full
** collection, any change of the live bytes between runs (to find a leak).
*/
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mast/mast_lua.h"

#include "check.h"

/* ---- the failing allocator ---- */

typedef struct failing {
  long long count;    /* allocations that grew a block, since armed */
  long long fail_at;  /* the one that fails (0-based); -1: none */
  int persistent;     /* 1: that one and every later one fails */
  long long failed;   /* how many failed since armed */
  long long live;     /* bytes outstanding */
} failing;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  failing *f = ud;
  void *p;
  if (ptr == NULL) osize = 0;   /* osize then tells Lua's object type */
  if (nsize == 0) {
    free(ptr);
    f->live -= (long long)osize;
    return NULL;
  }
  if (nsize > osize) {   /* Lua requires that shrinking never fails */
    long long n = f->count++;
    if (f->fail_at >= 0 && (n == f->fail_at || (f->persistent && n > f->fail_at))) {
      f->failed++;
      return NULL;
    }
  }
  p = realloc(ptr, nsize);
  if (p != NULL) f->live += (long long)nsize - (long long)osize;
  return p;
}

static void arm(failing *f, long long at, int persistent) {
  f->count = 0;
  f->failed = 0;
  f->fail_at = at;
  f->persistent = persistent;
}

static void disarm(failing *f) { f->fail_at = -1; }

/* ---- the runs ---- */

static const char *base_url;
static char dir[256];

static mast_runtime *new_runtime(failing *f) {
  mast_runtime_options o;
  memset(&o, 0, sizeof o);
  o.base_url = base_url;
  o.alloc = failing_alloc;
  o.alloc_ud = f;
  return mast_runtime_new(&o);
}

/* Run unarmed before each run: resets the sandbox and sets its faults. */
#define SETUP_WITH(faults)                                                        \
  "local core = require 'mast.core'\n"                                           \
  "local b = mast.config('base_url')\n"                                          \
  "core.request{method='POST', url=b..'/__sandbox/reset', body='{}'}\n"          \
  "core.request{method='POST', url=b..'/__sandbox/faults', body=[[{\"faults\": " \
  faults "}]]}\n"                                                                \
  "mast.config{retry_delay = 0.001, token = 'sandbox-token'}\n"
static const char *SETUP = SETUP_WITH("[]");
static const char *SETUP_RETRY = SETUP_WITH(
  "[{\"kind\": \"status\", \"status\": 503, \"match\": {\"path\": \"/api/v0/invoke\"}},"
  " {\"kind\": \"drop\", \"after_bytes\": 300, \"match\": {\"path\": \"/api/v0/invoke\"}}]");
static const char *SETUP_EXECUTING = SETUP_WITH(
  "[{\"kind\": \"executing\", \"count\": 1, \"match\": {\"path\": \"/api/v0/invoke\"}}]");
static const char *SETUP_RESUME = SETUP_WITH(
  "[{\"kind\": \"drop\", \"after_bytes\": 40000, \"match\": {\"uri\": \"swept\"}}]");

static const char *QUERY =
  "local r = mast.query{service = 'Mast.Caom.Cone',\n"
  "                     params = {ra = 254.28746, dec = -4.09933, radius = 0.02}}\n"
  "return {n = #r.data, first = r.data[1].obsid, last = r.data[#r.data].obs_id}\n";

static const char *QUERY_BIG =
  "local r = mast.query{service = 'Mast.Caom.Cone',\n"
  "                     params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}\n"
  "local n = 0\n"
  "for _, row in ipairs(r.data) do n = n + #tostring(row.obs_id) + (row.obsid % 7) end\n"
  "return {rows = #r.data, sum = n, text = tostring(r):sub(1, 300)}\n";

/* a chunk sink (and extra headers), cut once and retried from byte 0 */
static const char *SINK =
  "local core = require 'mast.core'\n"
  "local parts, restarts = {}, 0\n"
  "local r = core.request{url = mast.config('base_url') ..\n"
  "  '/api/v0.1/Download/file?uri=mast:SANDBOX/size/100000/swept-sink.fits',\n"
  "  headers = {'X-Swept: 1'}, sink = function(c)\n"
  "    if c == nil then parts, restarts = {}, restarts + 1 else parts[#parts + 1] = c end\n"
  "  end}\n"
  "local s = table.concat(parts)\n"
  "return {bytes = r.bytes, len = #s, first = s:byte(1), last = s:byte(-1), restarts = restarts}\n";

static char DOWNLOAD[512], BUNDLE[1024];

typedef struct sweep_stats {
  long long runs, ok, errors, max_count;
  int codes[16];
} sweep_stats;

/* The whole content of a file (malloc'd), or NULL if it does not exist. */
static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  char *data;
  long n;
  *len = 0;
  if (fp == NULL) return NULL;
  fseek(fp, 0, SEEK_END);
  n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  data = malloc((size_t)n + 1);
  if (data != NULL && fread(data, 1, (size_t)n, fp) != (size_t)n) {
    free(data);
    data = NULL;
  }
  fclose(fp);
  if (data != NULL) *len = (size_t)n;
  return data;
}

/* Whatever is at dest is the whole, right file: never a part of it. */
static void check_dest(const char *what, long long n, const char *dest, const char *ref,
                       size_t ref_len, int must_exist) {
  size_t len;
  char *data = slurp(dest, &len);
  if (data == NULL) {
    CHECK(!must_exist, "%s N=%lld: nothing at %s after a success", what, n, dest);
    return;
  }
  CHECK(len == ref_len && memcmp(data, ref, len) == 0,
        "%s N=%lld: %s holds %zu bytes that are not the file (%zu bytes)", what, n, dest, len,
        ref_len);
  free(data);
}

/* Runs code once per N from 0 until a run needs fewer than N allocations
** (and so succeeds untouched). Every run must fail with an error code, or
** succeed with exactly the reference answer; a failed download leaves
** nothing at dest. The next, unarmed run must succeed. */
static const char *only_sweep;

static void sweep(const char *what, const char *setup, const char *code, const char *dest,
                  int persistent, long long stride) {
  failing f;
  mast_runtime *rt;
  char *ref = NULL, *json = NULL, *file = NULL;
  size_t file_len = 0;
  sweep_stats st;
  long long n;
  double t0 = mast_now();
  if (only_sweep != NULL && strstr(what, only_sweep) == NULL) return;
  memset(&f, 0, sizeof f);
  memset(&st, 0, sizeof st);
  disarm(&f);
  rt = new_runtime(&f);
  CHECK(rt != NULL, "%s: runtime", what);
  if (rt == NULL) return;
  /* warm up: every module the code needs is loaded and every cache made */
  CHECK(mast_runtime_dostring(rt, SETUP, "=setup", NULL) == MAST_OK, "%s", mast_runtime_error(rt));
  CHECK(mast_runtime_dostring(rt, code, "=warmup", NULL) == MAST_OK, "%s: %s", what,
        mast_runtime_error(rt));
  CHECK(mast_runtime_dostring(rt, setup, "=setup", NULL) == MAST_OK, "%s", mast_runtime_error(rt));
  CHECK(mast_runtime_dostring(rt, code, "=warmup", &ref) == MAST_OK, "%s: %s", what,
        mast_runtime_error(rt));
  if (ref == NULL) {
    mast_runtime_close(rt);
    return;
  }
  if (dest != NULL) {
    file = slurp(dest, &file_len);
    CHECK(file != NULL && file_len == 100000, "%s: the reference download", what);
  }
  for (n = 0;; n += stride) {
    int rc;
    long long used;
    if (dest != NULL) unlink(dest);
    CHECK(mast_runtime_dostring(rt, setup, "=setup", NULL) == MAST_OK, "%s",
          mast_runtime_error(rt));
    arm(&f, n, persistent);
    rc = mast_runtime_dostring(rt, code, "=swept", &json);
    used = f.count;
    disarm(&f);
    st.runs++;
    if (rc >= 0 && rc < 16) st.codes[rc]++;
    if (rc == MAST_OK) {
      st.ok++;
      CHECK(json != NULL && strcmp(json, ref) == 0, "%s N=%lld: a wrong answer: %s (want %s)",
            what, n, json ? json : "(null)", ref);
      if (dest != NULL) check_dest(what, n, dest, file, file_len, 1);
    } else {
      st.errors++;
      CHECK(json == NULL, "%s N=%lld: json on error", what, n);
      CHECK(f.failed > 0, "%s N=%lld: failed (%s: %s) with no allocation failure", what, n,
            mast_code_name(rc), mast_runtime_error(rt));
      if (getenv("TEST_ALLOC_VERBOSE")) {
        const char *m = mast_runtime_error(rt);
        fprintf(stderr, "%s N=%lld %s: %.*s\n", what, n, mast_code_name(rc),
                (int)(strchr(m, '\n') ? strchr(m, '\n') - m : (long)strlen(m)), m);
      }
      /* A failed download leaves nothing at dest (a .part may stay, to be
         resumed), except when the file was complete and in place and only
         making the Lua result failed: then dest holds the whole file. */
      if (dest != NULL) check_dest(what, n, dest, file, file_len, 0);
    }
    free(json);
    json = NULL;
    if (used > st.max_count) st.max_count = used;
    /* the runtime works again at once */
    if (rc != MAST_OK) {
      CHECK(mast_runtime_dostring(rt, setup, "=setup", NULL) == MAST_OK, "%s",
            mast_runtime_error(rt));
      rc = mast_runtime_dostring(rt, code, "=again", &json);
      CHECK(rc == MAST_OK && json != NULL && strcmp(json, ref) == 0,
            "%s N=%lld: the next run failed: %s: %s", what, n, mast_code_name(rc),
            mast_runtime_error(rt));
      free(json);
      json = NULL;
    }
    if (getenv("TEST_ALLOC_VERBOSE")) {
      static long long last = -1;
      lua_State *L = mast_runtime_state(rt);
      lua_gc(L, LUA_GCCOLLECT);
      lua_gc(L, LUA_GCCOLLECT);
      if (last >= 0 && f.live != last)
        fprintf(stderr, "%s N=%lld: live bytes %+lld\n", what, n, f.live - last);
      last = f.live;
    }
    if (f.failed == 0 && used < n) break;   /* N is beyond what the run needs */
    if (failures > 20) break;
  }
  free(ref);
  free(file);
  mast_runtime_close(rt);
  CHECK(f.live == 0, "%s: %lld bytes still allocated after mast_runtime_close", what, f.live);
  printf("[%5.1f s] ", mast_now() - t0);
  printf("%-26s %s: %lld runs (N = 0..%lld step %lld): %lld errors, %lld successes; codes:", what,
         persistent ? "persistent" : "one-shot  ", st.runs, n, stride, st.errors, st.ok);
  {
    int c;
    for (c = 0; c < 16; c++)
      if (st.codes[c]) printf(" %s %d", mast_code_name(c), st.codes[c]);
  }
  printf("\n");
  fflush(stdout);
}

/* Creating the runtime: NULL, or a runtime that works; never a leak. */
static void sweep_creation(long long stride) {
  failing f;
  long long n, nulls = 0, ok = 0, runs = 0;
  memset(&f, 0, sizeof f);
  for (n = 0;; n += stride) {
    mast_runtime *rt;
    long long used;
    f.live = 0;
    arm(&f, n, 1);
    rt = new_runtime(&f);
    used = f.count;
    disarm(&f);
    runs++;
    if (rt == NULL) {
      nulls++;
      CHECK(f.failed > 0, "creation N=%lld: NULL without an allocation failure", n);
    } else {
      ok++;
      CHECK(mast_runtime_dostring(rt, "return mast.config('base_url')", NULL, NULL) == MAST_OK,
            "creation N=%lld: the runtime does not work: %s", n, mast_runtime_error(rt));
      mast_runtime_close(rt);
    }
    CHECK(f.live == 0, "creation N=%lld: %lld bytes leaked", n, f.live);
    if (f.failed == 0 && used < n) break;
    if (failures > 20) break;
  }
  printf("%-26s persistent: %lld runs (N = 0..%lld step %lld): %lld NULL, %lld working\n",
         "mast_runtime_new", runs, n, stride, nulls, ok);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int full = argc > 1 && strcmp(argv[1], "full") == 0;
  const char *only = argc > 2 ? argv[2] : NULL;
  only_sweep = only;
  base_url = getenv("MAST_SANDBOX_URL");
  if (base_url == NULL) {
    fprintf(stderr, "test_alloc: run me through sandbox/with-sandbox\n");
    return 2;
  }
  snprintf(dir, sizeof dir, "/tmp/mast-alloc-%d", (int)getpid());
  if (mkdir(dir, 0700) != 0) {
    perror(dir);
    return 2;
  }
  snprintf(DOWNLOAD, sizeof DOWNLOAD,
           "local r = mast.download('mast:SANDBOX/size/100000/swept.fits', '%s/swept.fits',\n"
           "                        {overwrite = true})\n"
           "return {bytes = r.bytes, status = r.status}\n", dir);
  snprintf(BUNDLE, sizeof BUNDLE,
           "local r = mast.bundle({'mast:SANDBOX/size/3000/a.fits', 'mast:SANDBOX/size/5000/b.fits'},\n"
           "                      '%s/b.tar.gz', {extract = '%s/x'})\n"
           "local names = {}\n"
           "for i, f in ipairs(r.files) do names[i] = f.path:match('[^/]+$') .. '=' .. f.size end\n"
           "table.sort(names)\n"
           "return names\n", dir, dir);
  {
    char dest[300];
    snprintf(dest, sizeof dest, "%s/swept.fits", dir);
    if (only == NULL) sweep_creation(full ? 1 : 37);
    sweep("query", SETUP, QUERY, NULL, 1, 1);
    sweep("query", SETUP, QUERY, NULL, 0, 1);
    sweep("query (503, then cut)", SETUP_RETRY, QUERY, NULL, 1, 1);
    sweep("query (503, then cut)", SETUP_RETRY, QUERY, NULL, 0, 1);
    /* each run that gets as far as the EXECUTING answer waits 0.25 s */
    sweep("query (EXECUTING once)", SETUP_EXECUTING, QUERY, NULL, 1, full ? 1 : 6);
    sweep("query (EXECUTING once)", SETUP_EXECUTING, QUERY, NULL, 0, full ? 1 : 12);
    sweep("query, 306 rows, printed", SETUP, QUERY_BIG, NULL, 1, full ? 1 : 3);
    sweep("query, 306 rows, printed", SETUP, QUERY_BIG, NULL, 0, full ? 1 : 3);
    sweep("download", SETUP, DOWNLOAD, dest, 1, 1);
    sweep("download", SETUP, DOWNLOAD, dest, 0, 1);
    sweep("download (cut, resumed)", SETUP_RESUME, DOWNLOAD, dest, 1, 1);
    sweep("download (cut, resumed)", SETUP_RESUME, DOWNLOAD, dest, 0, 1);
    sweep("sink (cut, retried)", SETUP_RESUME, SINK, NULL, 1, 1);
    sweep("sink (cut, retried)", SETUP_RESUME, SINK, NULL, 0, 1);
    sweep("bundle + extract", SETUP, BUNDLE, NULL, 1, 1);
    sweep("bundle + extract", SETUP, BUNDLE, NULL, 0, 1);
    unlink(dest);
    strcat(dest, ".part");
    unlink(dest);
  }
  {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  }
  if (failures) fprintf(stderr, "test_alloc: %d failures\n", failures);
  else printf("test_alloc: all passed\n");
  return failures ? 1 : 0;
}
