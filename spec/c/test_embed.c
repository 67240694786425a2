/*
** test_embed.c -- the embedding API: mast_runtime in both profiles, hooks,
** limits, cancellation from another thread. Run through sandbox/with-sandbox
** (it reads MAST_SANDBOX_URL only to aim the runtime; the library itself is
** given its base URL explicitly).
*/
#define _XOPEN_SOURCE 700
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "mast/mast_lua.h"

#include "check.h"

static const char *base_url;
static char root[256];

/* ---- hooks ---- */

typedef struct log_rec {
  char text[4096];
  int calls;
} log_rec;

static void on_log(void *ud, int level, const char *msg) {
  log_rec *r = ud;
  (void)level;
  r->calls++;
  strncat(r->text, msg, sizeof r->text - strlen(r->text) - 2);
  strcat(r->text, "\n");
}

typedef struct token_rec {
  int calls;
} token_rec;

static int give_token(void *ud, char *buf, size_t len) {
  token_rec *t = ud;
  t->calls++;
  return snprintf(buf, len, "sandbox-token");
}

typedef struct events {
  int transfer, waiting;
  long long last_bytes;
} events;

static void on_event(void *ud, const mast_event *e) {
  events *ev = ud;
  if (e->kind == MAST_EVENT_TRANSFER) {
    ev->transfer++;
    ev->last_bytes = (long long)e->transfer->bytes_now;
  } else if (e->kind == MAST_EVENT_WAITING) {
    ev->waiting++;
  }
}

/* ---- helpers ---- */

static mast_runtime *full(void) {
  mast_runtime_options o;
  memset(&o, 0, sizeof o);
  o.base_url = base_url;
  return mast_runtime_new(&o);
}

static int run(mast_runtime *rt, const char *code, char **json) {
  int rc = mast_runtime_dostring(rt, code, NULL, json);
  return rc;
}

/* Resets the sandbox and adds fault rules (JSON list), using a runtime. */
static void sandbox_faults(const char *rules) {
  mast_runtime *rt = full();
  char code[2048];
  snprintf(code, sizeof code,
           "local core = require 'mast.core'\n"
           "local b = mast.config('base_url')\n"
           "core.request{method='POST', url=b..'/__sandbox/reset', body='{}'}\n"
           "core.request{method='POST', url=b..'/__sandbox/faults', body=[[{\"faults\": %s}]]}\n",
           rules);
  CHECK(run(rt, code, NULL) == MAST_OK, "%s", mast_runtime_error(rt));
  mast_runtime_close(rt);
}

/* ---- tests ---- */

static void test_basics(void) {
  mast_runtime *rt = full();
  char *json = NULL;
  CHECK(rt != NULL, "runtime");
  CHECK(run(rt, "return 1 + 1", &json) == MAST_OK, "%s", mast_runtime_error(rt));
  CHECK(json && strcmp(json, "2") == 0, "json %s", json ? json : "(null)");
  free(json);
  CHECK(run(rt, "return {b = {1, 2.5, mast.null}, a = 'x'}", &json) == MAST_OK, "%s",
        mast_runtime_error(rt));
  CHECK(json && strcmp(json, "{\"a\":\"x\",\"b\":[1,2.5,null]}") == 0, "json %s", json);
  free(json);
  CHECK(run(rt, "error('boom')", &json) == MAST_ESCRIPT, "script error code");
  CHECK(json == NULL, "no json on error");
  CHECK(strstr(mast_runtime_error(rt), "boom") != NULL, "message: %s", mast_runtime_error(rt));
  CHECK(strstr(mast_runtime_error(rt), "stack traceback") != NULL, "traceback");
  CHECK(run(rt, "return (", NULL) == MAST_EUSAGE, "syntax error");
  CHECK(run(rt, "return mast.query(42)", NULL) == MAST_EUSAGE, "usage error code");
  CHECK(strstr(mast_runtime_error(rt), "the request must be a table") != NULL, "%s",
        mast_runtime_error(rt));
  CHECK(run(rt, "return print", NULL) == MAST_OK, "functions are fine when not asked for json");
  CHECK(run(rt, "return print", &json) == MAST_EUSAGE, "a function cannot be JSON");
  /* no environment needed or read: the base URL is the one given */
  CHECK(run(rt, "return mast.config('base_url')", &json) == MAST_OK, "config");
  CHECK(json && strstr(json, base_url + 7) != NULL, "base url %s", json);
  free(json);
  mast_runtime_close(rt);
}

static void test_query_and_hooks(void) {
  mast_runtime_options o;
  log_rec log;
  token_rec tok;
  events ev;
  mast_runtime *rt;
  char *json = NULL;
  memset(&o, 0, sizeof o);
  memset(&log, 0, sizeof log);
  memset(&tok, 0, sizeof tok);
  memset(&ev, 0, sizeof ev);
  o.base_url = base_url;
  o.log = on_log;
  o.log_ud = &log;
  o.token = give_token;
  o.token_ud = &tok;
  o.progress = on_event;
  o.progress_ud = &ev;
  sandbox_faults("[{\"kind\": \"executing\", \"count\": 2, \"match\": {\"service\": \"Mast.Caom.Cone\"}}]");
  rt = mast_runtime_new(&o);
  CHECK(rt != NULL, "runtime");
  CHECK(run(rt, "local r = mast.query{service='Mast.Caom.Cone', "
                "params={ra=254.28746, dec=-4.09933, radius=0.2}}\n"
                "print('rows', #r.data)\n"
                "return {n = #r.data, first = r.data[1].obsid}", &json) == MAST_OK,
        "%s", mast_runtime_error(rt));
  CHECK(json && strstr(json, "\"n\":") != NULL, "json %s", json ? json : "(null)");
  free(json);
  CHECK(strstr(log.text, "rows\t") != NULL, "print went to the log hook: %s", log.text);
  CHECK(tok.calls > 0, "the token provider was asked");
  CHECK(ev.waiting >= 1, "EXECUTING was reported to the progress hook (%d)", ev.waiting);
  CHECK(run(rt, "local p = os.tmpname(); local d = mast.download('mast:SANDBOX/size/300000/embed.bin', p)\n"
            "os.remove(p); return d.bytes",
            &json) == MAST_OK, "%s", mast_runtime_error(rt));
  CHECK(json && strcmp(json, "300000") == 0, "bytes %s", json ? json : "(null)");
  free(json);
  CHECK(ev.transfer >= 1 && ev.last_bytes == 300000, "transfer events %d, last %lld", ev.transfer,
        ev.last_bytes);
  mast_runtime_close(rt);
}

typedef struct canceller {
  mast_runtime *rt;
  double after;
} canceller;

static void *cancel_later(void *ud) {
  canceller *c = ud;
  struct timespec ts;
  ts.tv_sec = (time_t)c->after;
  ts.tv_nsec = (long)((c->after - (double)ts.tv_sec) * 1e9);
  nanosleep(&ts, NULL);
  mast_runtime_cancel(c->rt);
  return NULL;
}

static void test_cancel(void) {
  mast_runtime *rt = full();
  pthread_t th;
  canceller c;
  double t0;
  int rc;
  /* a transfer that stalls for a minute */
  sandbox_faults("[{\"kind\": \"stall\", \"after_bytes\": 0, \"seconds\": 60, \"times\": -1, "
                 "\"match\": {\"path\": \"/api/v0/invoke\"}}]");
  c.rt = rt;
  c.after = 0.5;
  pthread_create(&th, NULL, cancel_later, &c);
  t0 = mast_now();
  rc = run(rt, "return mast.query{service='Mast.Caom.Cone', params={ra=1, dec=2, radius=0.1}}", NULL);
  pthread_join(th, NULL);
  CHECK(rc == MAST_ECANCELLED, "cancelled in a transfer, got %d: %s", rc, mast_runtime_error(rt));
  CHECK(mast_now() - t0 < 10, "promptly");
  /* pure Lua, even one that swallows errors with pcall */
  pthread_create(&th, NULL, cancel_later, &c);
  rc = run(rt, "while true do pcall(function() while true do end end) end", NULL);
  pthread_join(th, NULL);
  CHECK(rc == MAST_ECANCELLED, "cancelled in Lua, got %d: %s", rc, mast_runtime_error(rt));
  /* and the runtime works again afterwards */
  sandbox_faults("[]");
  CHECK(run(rt, "return 7", NULL) == MAST_OK, "usable after a cancel: %s", mast_runtime_error(rt));
  mast_runtime_close(rt);
}

static void test_sandbox(void) {
  mast_runtime_options o;
  mast_runtime *rt;
  char *json = NULL;
  char code[1024];
  const char *allow[2];
  char allowed[512];
  int rc;
  memset(&o, 0, sizeof o);
  o.profile = MAST_PROFILE_SANDBOX;
  o.base_url = base_url;
  o.download_root = root;
  o.instruction_limit = 5000000;
  o.memory_limit = 64u << 20;
  snprintf(allowed, sizeof allowed, "%s/api/", base_url);
  allow[0] = allowed;
  allow[1] = NULL;
  o.allow_urls = allow;
  rt = mast_runtime_new(&o);
  CHECK(rt != NULL, "sandbox runtime");
  CHECK(run(rt, "return {io == nil, debug == nil, package == nil, os.execute == nil, "
                "dofile == nil, loadfile == nil, os.time ~= nil, string.format ~= nil}", &json) == MAST_OK,
        "%s", mast_runtime_error(rt));
  CHECK(json && strcmp(json, "[true,true,true,true,true,true,true,true]") == 0, "env %s", json);
  free(json);
  CHECK(run(rt, "return require('mast.core')", NULL) == MAST_ESCRIPT, "no mast.core");
  CHECK(run(rt, "return require('io')", NULL) == MAST_ESCRIPT, "no io via require");
  CHECK(run(rt, "return load(string.dump(function() end))", &json) == MAST_OK, "load");
  CHECK(json && strcmp(json, "null") == 0, "binary chunks refused: %s", json);
  free(json);
  CHECK(run(rt, "string.upper = nil; return ('x'):upper()", &json) == MAST_ESCRIPT,
        "string library is read-only");
  CHECK(run(rt, "return getmetatable('').__index", NULL) == MAST_ESCRIPT, "string metatable hidden");
  /* queries inside the allow-list work */
  CHECK(run(rt, "return #mast.query{service='Mast.Caom.Cone', params={ra=10, dec=10, radius=0.1}}.data",
            &json) == MAST_OK, "%s", mast_runtime_error(rt));
  free(json);
  /* downloads below the root work (relative paths are taken from it) */
  snprintf(code, sizeof code, "return mast.download('mast:SANDBOX/size/100/in.bin', '%s/in.bin').bytes",
           root);
  CHECK(run(rt, code, &json) == MAST_OK, "%s", mast_runtime_error(rt));
  free(json);
  rc = run(rt, "return mast.download('mast:SANDBOX/size/100/out.bin', '/tmp/mast-escape.bin')", NULL);
  CHECK(rc == MAST_EDENIED, "a download outside the root is denied, got %d: %s", rc, mast_runtime_error(rt));
  CHECK(access("/tmp/mast-escape.bin", F_OK) != 0, "nothing written outside");
  snprintf(code, sizeof code, "return mast.download('mast:SANDBOX/size/100/x.bin', '%s/../x.bin')", root);
  CHECK(run(rt, code, NULL) == MAST_EDENIED, "'..' out of the root is denied");
  /* URLs outside the allow-list are denied in C */
  rc = run(rt, "return mast.download('http://127.0.0.1:9/file', 'f.bin')", NULL);
  CHECK(rc == MAST_EDENIED, "URL outside the allow-list, got %d: %s", rc, mast_runtime_error(rt));
  /* limits */
  rc = run(rt, "while true do end", NULL);
  CHECK(rc == MAST_ELIMIT, "instruction limit, got %d", rc);
  CHECK(strstr(mast_runtime_error(rt), "instruction limit") != NULL, "%s", mast_runtime_error(rt));
  rc = run(rt, "while true do pcall(function() while true do end end) end", NULL);
  CHECK(rc == MAST_ELIMIT, "pcall cannot swallow the limit, got %d", rc);
  rc = run(rt, "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end", NULL);
  CHECK(rc == MAST_ELIMIT, "memory limit, got %d: %s", rc, mast_runtime_error(rt));
  CHECK(run(rt, "return 1", NULL) == MAST_OK, "usable after a limit: %s",
        mast_runtime_error(rt));
  mast_runtime_close(rt);
}

/* A host that owns its lua_State: mast_openlibs makes every module of mast
** available to require, with one mast.core instance, using the host's
** allocator for mast's own memory too. */
static counted_heap host_heap;

static void test_own_state(void) {
  lua_State *L = lua_newstate(counted_alloc, &host_heap);
  long long before;
  int status;
  luaL_openlibs(L);
  mast_openlibs(L, MAST_OPEN_NOENV);
  status = luaL_dostring(L,
    "local n = 0\n"
    "for name in pairs(package.preload) do\n"
    "  if name == 'mast' or name:match('^mast%.') then assert(require(name)); n = n + 1 end\n"
    "end\n"
    "assert(require('mast.core') == require('mast.core'))\n"
    "assert(package.loaded['mast.core'] == require('mast.core'))\n"
    "assert(mast == nil)\n"
    "return n");
  CHECK(status == LUA_OK, "%s", lua_tostring(L, -1));
  CHECK(lua_tointeger(L, -1) >= 20, "modules found: %d", (int)lua_tointeger(L, -1));
  lua_settop(L, 0);
  {
    mast_ctx *ctx = mast_lua_ctx(L);
    char err[200], buf[256];
    CHECK(mast_config_set(ctx, "base_url", base_url, err, sizeof err) == MAST_OK, "%s", err);
    CHECK(mast_config_get(ctx, "base_url", buf, sizeof buf) == MAST_OK && strcmp(buf, base_url) == 0,
          "base_url %s", buf);
  }
  before = host_heap.calls;
  status = luaL_dostring(L, "return #require('mast').query{service='Mast.Caom.Cone', "
                            "params={ra=10, dec=10, radius=0.1}}.data");
  CHECK(status == LUA_OK, "%s", lua_tostring(L, -1));
  /* calls, not bytes: the collector may free more during the query than the
     query keeps (Lua's hash seeds, and so its tables' growth, vary per run) */
  CHECK(host_heap.calls > before, "the host's allocator was used");
  lua_close(L);
  CHECK(host_heap.live == 0, "everything went back through the host's allocator (%lld left)",
        host_heap.live);
}

/* ---- several threads, a state each ---- */

static void *worker(void *ud) {
  int *ok = ud;
  mast_runtime *rt = full();
  char *json = NULL;
  int i;
  *ok = rt != NULL;
  for (i = 0; rt != NULL && i < 5; i++) {
    int rc = run(rt, "local r = mast.query{service='Mast.Catalogs.GaiaDR2.Cone', "
                     "params={ra=254.287, dec=-4.09933, radius=0.02}}\n"
                     "local rows = mast.query_all{service='Mast.Caom.Cone', "
                     "params={ra=10, dec=20, radius=0.3}, pagesize=5}\n"
                     "return #r.data + #rows.data", &json);
    if (rc != MAST_OK || json == NULL || atoi(json) <= 0) *ok = 0;
    free(json);
    json = NULL;
  }
  mast_runtime_close(rt);
  return NULL;
}

static void test_threads(void) {
  pthread_t th[4];
  int ok[4];
  int i;
  sandbox_faults("[]");
  for (i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, &ok[i]);
  for (i = 0; i < 4; i++) pthread_join(th[i], NULL);
  for (i = 0; i < 4; i++) CHECK(ok[i], "thread %d", i);
}

int main(int argc, char **argv) {
  const char *only = argc > 1 ? argv[1] : NULL;
  base_url = getenv("MAST_SANDBOX_URL");
  if (base_url == NULL) {
    fprintf(stderr, "test_embed: run me through sandbox/with-sandbox\n");
    return 2;
  }
  snprintf(root, sizeof root, "/tmp/mast-embed-%d", (int)getpid());
  {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", root);
    if (system(cmd) != 0) {
      fprintf(stderr, "test_embed: cannot create %s\n", root);
      return 2;
    }
  }
  if (only == NULL || strcmp(only, "threads") != 0) {
    test_basics();
    test_own_state();
    test_query_and_hooks();
    test_cancel();
    test_sandbox();
  }
  test_threads();
  {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
  }
  if (failures) fprintf(stderr, "test_embed: %d failures\n", failures);
  else printf("test_embed: all passed\n");
  return failures ? 1 : 0;
}
