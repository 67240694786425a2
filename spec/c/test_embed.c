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
#include <fcntl.h>
#include <sys/stat.h>
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
  /* the hook raises mast's error object (code "cancelled"), not a string at a position */
  CHECK(strncmp(mast_runtime_error(rt), "cancelled by the host\n", 22) == 0, "the cancel's text: %s",
        mast_runtime_error(rt));
  /* a TAP job the cancel left on the server is deleted there, though the
     host's hook forbids any more Lua code: the binding sends it from C */
  sandbox_faults("[{\"kind\": \"stall\", \"after_bytes\": 0, \"seconds\": 60, \"times\": -1, "
                 "\"match\": {\"path\": \"/vo-tap/api/v0.1/tic/async/\", \"method\": \"GET\"}}]");
  pthread_create(&th, NULL, cancel_later, &c);
  rc = run(rt, "return mast.tap.query('tic', 'SELECT TOP 2 ID FROM dbo.catalogrecord', {async = true})", NULL);
  pthread_join(th, NULL);
  CHECK(rc == MAST_ECANCELLED, "cancelled in a TAP poll, got %d: %s", rc, mast_runtime_error(rt));
  {
    char *json = NULL;
    CHECK(run(rt, "local core = require 'mast.core'\n"
                  "local r = core.request{url = mast.config('base_url') .. '/__sandbox/requests'}\n"
                  "local n = 0\n"
                  "for _, q in ipairs(core.json_decode(r.body).requests) do\n"
                  "  if q.method == 'POST' and q.path:match('/tic/async/%x+$') and q.body == 'ACTION=DELETE' then\n"
                  "    n = n + 1 end end\n"
                  "return n", &json) == MAST_OK, "%s", mast_runtime_error(rt));
    CHECK(json != NULL && strcmp(json, "1") == 0, "one DELETE of the job, got %s", json ? json : "(null)");
    free(json);
  }
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

/* ---- settings, owners, printing, set-up, codes, mast_free ---- */

static void test_settings_table(void) {
  counted_heap heap = {0, 0};
  mast_ctx *ctx = mast_ctx_new(counted_alloc, &heap);
  const char *const *keys = mast_config_keys();
  const mast_setting *d;
  const char *sv;
  char err[300], *enc;
  double dv;
  long long live;
  size_t i, outlen;
  mast_config_value many[2];
  CHECK(ctx != NULL, "context");
  for (i = 0; (d = mast_setting_at(i)) != NULL; i++)
    CHECK(keys[i] != NULL && strcmp(keys[i], d->name) == 0, "key %zu: %s", i, d->name);
  CHECK(keys[i] == NULL, "as many keys as descriptors");
  d = mast_setting_find("token");
  CHECK(d && d->secret && d->type == MAST_SETTING_STRING, "the token is a secret string");
  d = mast_setting_find("concurrency");
  CHECK(d && d->type == MAST_SETTING_INTEGER && d->min == 1 && d->max == 64, "concurrency bounds");
  CHECK(mast_setting_find("base_url")->owner == MAST_OWNER_HOST, "base_url is the host's");
  CHECK(mast_setting_find("deadline") == NULL, "deadline is a Lua setting");
  /* typed get/set */
  CHECK(mast_config_set_string(ctx, "user_agent", "12345", err, sizeof err) == MAST_OK, "%s", err);
  CHECK(mast_config_get_string(ctx, "user_agent", &sv) == MAST_OK && strcmp(sv, "12345") == 0, "ua");
  CHECK(mast_config_set_number(ctx, "retries", 5, err, sizeof err) == MAST_OK, "%s", err);
  CHECK(mast_config_get_number(ctx, "retries", &dv) == MAST_OK && dv == 5, "retries %g", dv);
  CHECK(mast_config_set_number(ctx, "retries", 1.5, err, sizeof err) == MAST_EUSAGE, "whole");
  CHECK(mast_config_set_number(ctx, "user_agent", 1, err, sizeof err) == MAST_EUSAGE, "not a number");
  CHECK(mast_config_get_number(ctx, "user_agent", &dv) == MAST_EUSAGE, "a string is not a number");
  /* all or none */
  many[0].key = "retries"; many[0].is_number = 1; many[0].number = 7; many[0].text = NULL;
  many[1].key = "timeout"; many[1].is_number = 0; many[1].text = "soon"; many[1].number = 0;
  CHECK(mast_config_set_many(ctx, many, 2, err, sizeof err) == MAST_EUSAGE, "one bad value");
  CHECK(strstr(err, "timeout must be a number, got 'soon'") != NULL, "%s", err);
  mast_config_get_number(ctx, "retries", &dv);
  CHECK(dv == 5, "nothing changed: retries %g", dv);
  many[1].text = "30";
  CHECK(mast_config_set_many(ctx, many, 2, err, sizeof err) == MAST_OK, "%s", err);
  mast_config_get_number(ctx, "retries", &dv);
  CHECK(dv == 7, "both changed: retries %g", dv);
  /* the secret */
  CHECK(mast_config_set(ctx, "token", "abcdef123456", err, sizeof err) == MAST_OK, "%s", err);
  CHECK(mast_config_get_string(ctx, "token", &sv) == MAST_OK && strcmp(sv, "<set>") == 0, "<set>");
  /* the lock */
  mast_config_lock(ctx);
  CHECK(mast_config_set(ctx, "base_url", "http://127.0.0.1:1", err, sizeof err) == MAST_EDENIED,
        "base_url is locked");
  CHECK(strstr(err, "base_url") && strstr(err, "owned by the host"), "%s", err);
  mast_config_get_string(ctx, "base_url", &sv);
  CHECK(strcmp(sv, "https://mast.stsci.edu") == 0, "unchanged: %s", sv);
  CHECK(mast_config_set(ctx, "retries", "2", err, sizeof err) == MAST_OK, "a script's setting: %s", err);
  /* memory handed to the host is freed without a size */
  live = heap.live;
  enc = mast_urlencode(ctx, "a b/c", 5, "/", &outlen);
  CHECK(enc && strcmp(enc, "a%20b/c") == 0, "urlencode %s", enc ? enc : "(null)");
  mast_free(ctx, enc);
  mast_free(ctx, NULL);
  CHECK(heap.live == live, "mast_free gave back every byte (%lld)", heap.live - live);
  {
    char *msg = NULL;
    CHECK(mast_extract(ctx, "/nonexistent/x.tar", root, NULL, NULL, &msg) != MAST_OK && msg != NULL,
          "an extraction that fails has a message");
    mast_free(ctx, msg);
    CHECK(heap.live == live, "its message freed without a size (%lld)", heap.live - live);
  }
  mast_ctx_free(ctx);
  CHECK(heap.live == 0, "all freed (%lld)", heap.live);
}

static void test_codes(void) {
  int c;
  for (c = 0; c < MAST_NCODES; c++)
    CHECK(mast_code_from_name(mast_code_name(c)) == c, "code %d (%s)", c, mast_code_name(c));
  CHECK(strcmp(mast_code_name(MAST_EDENIED), "denied") == 0, "denied");
  CHECK(mast_code_from_name("nonsense") == -1 && mast_code_from_name(NULL) == -1, "no such code");
  CHECK(strcmp(mast_code_name(MAST_NCODES), "unknown") == 0, "past the last");
}

static mast_runtime *sandboxed(void) {
  mast_runtime_options o;
  memset(&o, 0, sizeof o);
  o.profile = MAST_PROFILE_SANDBOX;
  o.base_url = base_url;
  o.download_root = root;
  return mast_runtime_new(&o);
}

static void test_owners(void) {
  static const char *const host_owned[] = {
    "base_url = 'http://127.0.0.1:1'", "ca_file = '/etc/hosts'", "ca_path = '/etc'",
    "user_agent = 'evil/1'", "progress = 'on'", "hla_url = 'http://127.0.0.1:1'", NULL
  };
  mast_runtime *rt = sandboxed();
  char code[512], *json = NULL;
  int i, rc;
  CHECK(rt != NULL, "sandbox runtime");
  for (i = 0; host_owned[i] != NULL; i++) {
    snprintf(code, sizeof code, "mast.config{retries = 1, %s}", host_owned[i]);
    rc = run(rt, code, NULL);
    CHECK(rc == MAST_EDENIED, "%s: denied, got %d: %s", host_owned[i], rc, mast_runtime_error(rt));
    CHECK(strstr(mast_runtime_error(rt), "owned by the host") != NULL, "%s", mast_runtime_error(rt));
  }
  CHECK(run(rt, "local c = mast.config() return {c.base_url, c.user_agent:match('^mast%-lua') ~= nil, "
                "c.progress, c.hla_url, c.retries}", &json) == MAST_OK, "%s", mast_runtime_error(rt));
  snprintf(code, sizeof code, "[\"%s\",true,\"off\",\"https://hla.stsci.edu\",3]", base_url);
  CHECK(json && strcmp(json, code) == 0, "unchanged, and readable: %s", json ? json : "(null)");
  free(json);
  CHECK(run(rt, "mast.config{retries = 2, deadline = 30} return mast.config('retries')", &json) ==
        MAST_OK, "a script's own settings: %s", mast_runtime_error(rt));
  CHECK(json && strcmp(json, "2") == 0, "retries %s", json ? json : "(null)");
  free(json);
  mast_runtime_close(rt);
  /* the full profile has no lock */
  rt = full();
  CHECK(run(rt, "mast.config{user_agent = 'mine/1', progress = 'on'}", NULL) == MAST_OK, "%s",
        mast_runtime_error(rt));
  mast_runtime_close(rt);
}

/* Runs code in rt with fd 2 sent to a file; returns the bytes written there. */
static long stderr_bytes(mast_runtime *rt, const char *code, int *rc) {
  char path[300];
  struct stat st;
  int saved, fd;
  snprintf(path, sizeof path, "%s/stderr.txt", root);
  fflush(stderr);
  saved = dup(2);
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 2);
  close(fd);
  *rc = run(rt, code, NULL);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  if (stat(path, &st) != 0) return -1;
  unlink(path);
  return (long)st.st_size;
}

static void test_never_prints(void) {
  char code[2048], dir[300];
  mast_runtime *rt;
  long n;
  int rc, profile;
  for (profile = 0; profile < 2; profile++) {
    sandbox_faults("[{\"kind\": \"executing\", \"count\": 2, \"match\": {\"service\": \"Mast.Caom.Cone\"}}]");
    rt = profile ? sandboxed() : full();
    CHECK(rt != NULL, "runtime");
    /* the sandbox takes relative paths from its root */
    snprintf(dir, sizeof dir, "%s", profile ? "" : root);
    /* ask for the progress line: the full profile lets a script set it, the
       sandbox does not; neither may print */
    snprintf(code, sizeof code,
             "pcall(mast.config, {progress = 'on'})\n"
             "local d = mast.download('mast:SANDBOX/size/3000000/quiet.bin', '%s/quiet.bin')\n"
             "mast.download_many({{uri = 'mast:SANDBOX/size/1000/q1.bin', dest = '%s/q1.bin'}, "
             "{uri = 'mast:SANDBOX/size/1000/q2.bin', dest = '%s/q2.bin'}})\n"
             "local r = mast.query{service='Mast.Caom.Cone', "
             "params={ra=254.28746, dec=-4.09933, radius=0.2}}\n"
             "return d.bytes + #r.data", profile ? "." : dir, profile ? "." : dir,
             profile ? "." : dir);
    n = stderr_bytes(rt, code, &rc);
    CHECK(rc == MAST_OK, "profile %d: %s", profile, mast_runtime_error(rt));
    CHECK(n == 0, "profile %d: nothing written to stderr (%ld bytes)", profile, n);
    mast_runtime_close(rt);
  }
  sandbox_faults("[]");
}

/* Whether anything at all sits in directory d (other than . and ..). */
static int dir_empty(const char *d) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", d);
  return system(cmd) == 0;
}

/* Every writer of the library goes through the one output capability: in
** the sandboxed profile, nothing reaches outside the download root (by an
** absolute path, by '..', through a planted link), and what is inside is
** whole or absent. */
static void test_outputs(void) {
  static const char *const writers[] = {
    /* %s: the target path, as the script names it */
    "mast.json2csv({fields = {{name = 'a', type = 'int'}}, data = {{a = 1}}}, {file = '%s'})",
    "mast.download_products({{obs_collection = 'HST', obs_id = 'x', productFilename = 'p.fits', "
    "dataURI = 'mast:SANDBOX/size/100/p.fits', size = 100}}, 'products', "
    "{manifest = '%s', progress = false})",
    "mast.bundle({'mast:SANDBOX/size/1000/a.fits'}, 'b.tar.gz', {extract = '%s'})",
    "mast.download('mast:SANDBOX/size/100/d.fits', '%s')",
    /* the writers of results as data: a VOTable, a FITS table, a plot */
    "mast.write({fields = {{name = 'a', type = 'int'}}, data = {{a = 1}}}, '%s.vot')",
    "mast.fits.write({fields = {{name = 'a', type = 'int'}}, data = {{a = 1}}}, '%s.fits')",
    "mast.plot.scatter({fields = {{name = 'a', type = 'float'}, {name = 'b', type = 'float'}}, "
    "data = {{a = 1, b = 2}, {a = 2, b = 3}}}, {file = '%s.png', x = 'a', y = 'b'})",
    NULL
  };
  /* the function each writer's refusal names (NULL: not checked) */
  static const char *const names[] = {
    "mast.json2csv: ", NULL, NULL, NULL, "mast.write: ", "mast.fits.write: ", "mast.plot.scatter: "
  };
  /* the new writers inside the root: %s is a path without its extension */
  static const char *const inside[][2] = {
    {"return mast.write({fields = {{name = 'a', type = 'int'}}, data = {{a = 1}}}, '%s.vot')", ".vot"},
    {"return mast.fits.write({fields = {{name = 'a', type = 'int'}}, data = {{a = 1}}}, '%s.fits')", ".fits"},
    {"return mast.plot.scatter({fields = {{name = 'a', type = 'float'}, {name = 'b', type = 'float'}}, "
     "data = {{a = 1, b = 2}, {a = 2, b = 3}}}, {file = '%s.png', x = 'a', y = 'b'}).file", ".png"},
  };
  char outside[300], rel[400], esc[400], linked[400], code[2048], path[400], *json = NULL;
  const char *targets[3];
  mast_runtime *rt = sandboxed();
  int w, t, rc;
  struct stat st;
  CHECK(rt != NULL, "sandbox runtime");
  snprintf(outside, sizeof outside, "%s-outside", root);
  mkdir(outside, 0700);
  snprintf(rel, sizeof rel, "../%s-outside/rel", strrchr(root, '/') + 1);
  snprintf(esc, sizeof esc, "%s/escape", root);
  unlink(esc);
  CHECK(symlink(outside, esc) == 0, "plant a link to %s", outside);
  snprintf(linked, sizeof linked, "escape/linked");
  targets[0] = outside;   /* an absolute path outside */
  targets[1] = rel;       /* out through '..' */
  targets[2] = linked;    /* out through a link planted inside the root */
  for (w = 0; writers[w] != NULL; w++) {
    for (t = 0; t < 3; t++) {
      char target[500];
      snprintf(target, sizeof target, t == 0 ? "%s/abs" : "%s", targets[t]);
      snprintf(code, sizeof code, writers[w], target);
      rc = run(rt, code, NULL);
      CHECK(rc == MAST_EDENIED, "writer %d, %s: denied, got %d: %s", w, target, rc,
            mast_runtime_error(rt));
      CHECK(strstr(mast_runtime_error(rt), "does not allow writing") != NULL, "says why: %s",
            mast_runtime_error(rt));
      CHECK(names[w] == NULL || strncmp(mast_runtime_error(rt), names[w], strlen(names[w])) == 0,
            "writer %d: the refusal names %s: %s", w, names[w], mast_runtime_error(rt));
      CHECK(dir_empty(outside), "writer %d, %s: nothing appeared outside the root", w, target);
    }
  }
  /* inside the root: relative paths are taken from it, directories made, no .part left */
  CHECK(run(rt, "return mast.json2csv({fields = {{name = 'a', type = 'int'}}, data = {{a = 1}}}, "
                "{file = 'csv/in.csv'})", &json) == MAST_OK, "%s", mast_runtime_error(rt));
  snprintf(path, sizeof path, "\"%s/csv/in.csv\"", root);
  CHECK(json && strcmp(json, path) == 0, "the path written: %s", json ? json : "(null)");
  free(json);
  snprintf(path, sizeof path, "%s/csv/in.csv", root);
  CHECK(stat(path, &st) == 0 && st.st_size == 8, "the CSV is there, whole");
  snprintf(path, sizeof path, "%s/csv/in.csv.part", root);
  CHECK(stat(path, &st) != 0, "no .part left");
  for (w = 0; w < (int)(sizeof inside / sizeof inside[0]); w++) {
    char name[64];
    snprintf(name, sizeof name, "data/w%d", w);
    snprintf(code, sizeof code, inside[w][0], name);
    CHECK(run(rt, code, &json) == MAST_OK, "inside, writer %s: %s", inside[w][1], mast_runtime_error(rt));
    snprintf(path, sizeof path, "\"%s/%s%s\"", root, name, inside[w][1]);
    CHECK(json && strcmp(json, path) == 0, "the path written: %s", json ? json : "(null)");
    free(json);
    json = NULL;
    snprintf(path, sizeof path, "%s/%s%s", root, name, inside[w][1]);
    CHECK(stat(path, &st) == 0 && st.st_size > 100, "the %s is there (%lld bytes)", inside[w][1],
          (long long)st.st_size);
    strncat(path, ".part", sizeof path - strlen(path) - 1);
    CHECK(stat(path, &st) != 0, "no %s left", path);
  }
  /* a .part planted as a hard link to a file outside is not written through */
  snprintf(path, sizeof path, "%s/victim", outside);
  {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "victim");
    if (f != NULL) {
      fputs("keep", f);
      fclose(f);
    }
  }
  snprintf(code, sizeof code, "%s/hard.csv.part", root);
  unlink(code);
  CHECK(link(path, code) == 0, "plant a hard link");
  CHECK(run(rt, "mast.json2csv({fields = {{name = 'a', type = 'int'}}, data = {{a = 1}}}, "
                "{file = 'hard.csv'})", NULL) == MAST_OK, "%s", mast_runtime_error(rt));
  CHECK(stat(path, &st) == 0 && st.st_size == 4, "the file outside is untouched (%lld bytes)",
        (long long)st.st_size);
  unlink(path);
  mast_runtime_close(rt);
  unlink(esc);
  /* mast's modules run where io.open, os.rename and os.remove are not (the
     full profile lets a script reach a module's _ENV through debug) */
  rt = full();
  CHECK(run(rt, "local f, env = require('mast.csv').json2csv\n"
                "for i = 1, 255 do local n, v = debug.getupvalue(f, i)\n"
                "  if n == nil then break elseif n == '_ENV' then env = v end end\n"
                "assert(env and env ~= _G, 'a module environment')\n"
                "return {env.io.open == nil, env.io.lines == nil, env.os.remove == nil, "
                "env.os.rename == nil, env.os.execute == nil, env.debug == nil, env.loadfile == nil, "
                "env.package.loaded.io == nil, (pcall(env.require, 'os')) == false, "
                "env.io.stderr == io.stderr, env.string == string, env.package.preload ~= nil}",
            &json) == MAST_OK, "%s", mast_runtime_error(rt));
  CHECK(json && strcmp(json, "[true,true,true,true,true,true,true,true,true,true,true,true]") == 0,
        "the modules' environment: %s", json ? json : "(null)");
  free(json);
  mast_runtime_close(rt);
  rmdir(outside);
}

/* mast_lua_setup: the host's cancel flag works with no registry key. */
static void test_lua_setup(void) {
  lua_State *L = luaL_newstate();
  mast_lua_options o;
  mast_flag flag;
  double t0;
  int status;
  atomic_init(&flag, 0);
  luaL_openlibs(L);
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.cancel_flag = &flag;
  o.noenv = 1;
  o.terminal = 0;
  CHECK(mast_lua_setup(L, &o) == MAST_OK, "setup");
  o.struct_size = 1;
  CHECK(mast_lua_setup(L, &o) == MAST_EUSAGE, "a struct too short is refused");
  mast_openlibs(L, 0);
  setenv("MAST_RETRIES", "9", 1);
  setenv("MAST_DEADLINE", "42", 1);
  status = luaL_dostring(L,
    "local core = require 'mast.core'\n"
    "local mast = require 'mast'\n"
    "assert(mast.config('retries') == 3, 'noenv: C settings')\n"
    "assert(mast.config('deadline') == 600, 'noenv: Lua settings')\n"
    "assert(core.terminal() == false, 'no terminal')\n"
    "assert(debug.getregistry()['mast.cancel_flag'] == nil, 'no registry side channel')\n"
    "assert(debug.getregistry()['mast.noenv'] == nil, 'no registry side channel')");
  CHECK(status == LUA_OK, "%s", lua_tostring(L, -1));
  unsetenv("MAST_RETRIES");
  unsetenv("MAST_DEADLINE");
  lua_settop(L, 0);
  atomic_store(&flag, 1);   /* what the host's signal handler does */
  t0 = mast_now();
  status = luaL_dostring(L, "local ok, e = pcall(require('mast.core').sleep, 5)\n"
                            "assert(not ok and e.code == 'cancelled', tostring(e))");
  CHECK(status == LUA_OK, "%s", lua_tostring(L, -1));
  CHECK(mast_now() - t0 < 2, "the flag stopped the wait (%.1f s)", mast_now() - t0);
  CHECK(mast_cancelled(mast_lua_ctx(L)), "the context watches the host's flag");
  lua_close(L);
}

/* A host's mast_cancel from another thread during downloads (the host has
** no hook of its own): the script gets one "cancelled" error saying what the
** cancel left, even with a progress callback running, not a callback error
** nor files failed one by one. */
typedef struct ctx_canceller {
  mast_ctx *ctx;
  double after;
} ctx_canceller;

static void *cancel_ctx_later(void *ud) {
  ctx_canceller *c = ud;
  struct timespec ts;
  ts.tv_sec = (time_t)c->after;
  ts.tv_nsec = (long)((c->after - (double)ts.tv_sec) * 1e9);
  nanosleep(&ts, NULL);
  mast_cancel(c->ctx);
  return NULL;
}

static void test_host_cancel(void) {
  static const char *const progress[] = {"function() end", "false"};
  size_t k;
  for (k = 0; k < 2; k++) {
    lua_State *L = luaL_newstate();
    mast_lua_options o;
    mast_flag flag;
    pthread_t th;
    ctx_canceller c;
    char code[2048];
    int status;
    atomic_init(&flag, 0);
    luaL_openlibs(L);
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.cancel_flag = &flag;
    o.noenv = 1;
    CHECK(mast_lua_setup(L, &o) == MAST_OK, "setup");
    mast_openlibs(L, 0);
    /* the first file whole, the other two stall after 100000 bytes */
    sandbox_faults("[{\"kind\": \"stall\", \"after_bytes\": 100000, \"seconds\": 60, \"times\": -1, "
                   "\"match\": {\"uri\": \"stall\"}}]");
    snprintf(code, sizeof code,
             "local mast = require 'mast'\n"
             "mast.config{base_url = '%s', retries = 0}\n"
             "local items = {}\n"
             "for i, name in ipairs{'whole%d', 'stall2-%d', 'stall3-%d'} do\n"
             "  items[i] = {uri = 'mast:SANDBOX/size/200000/' .. name .. '.fits', dest = '%s/' .. name .. '.fits'}\n"
             "end\n"
             "local ok, e = pcall(mast.download_many, items, {progress = %s})\n"
             "assert(not ok, 'a cancel raises')\n"
             "assert(mast.is_error(e, 'cancelled'), tostring(e))\n"
             "assert(e.message == 'cancelled: 1 of 3 files complete, 2 kept as .part to resume', tostring(e))\n"
             "assert(#e.results == 3 and e.results[1].ok and e.results[2].error.code == 'cancelled')\n",
             base_url, (int)k, (int)k, (int)k, root, progress[k]);
    c.ctx = mast_lua_ctx(L);
    c.after = 1.5;
    pthread_create(&th, NULL, cancel_ctx_later, &c);
    status = luaL_dostring(L, code);
    pthread_join(th, NULL);
    CHECK(status == LUA_OK, "progress = %s: %s", progress[k], lua_tostring(L, -1));
    lua_close(L);
  }
  sandbox_faults("[]");
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

/* ---- two threads of one host downloading one file to one path ---- */

struct same_dest { const char *code; char result[512]; };

static void *download_same(void *ud) {
  struct same_dest *d = ud;
  mast_runtime *rt = full();
  char *json = NULL;
  int rc = rt ? run(rt, d->code, &json) : MAST_ENOMEM;
  snprintf(d->result, sizeof d->result, "%s", rc == MAST_OK && json ? json : "(the run failed)");
  free(json);
  mast_runtime_close(rt);
  return NULL;
}

/* The everyday accident of overlapping jobs, inside one process: the two threads'
** first transfers stall after 1,000 bytes and are cut (so they overlap; the
** retry of the one holding the .part resumes it), and the .part lock of
** the first keeps the second from writing into it: the second reports "in
** progress elsewhere" (or, if it came late, finds the file there), and the
** file at the path is whole, with nothing left beside it. */
static void test_same_destination(void) {
  char code[1024], path[400];
  struct same_dest d[2];
  pthread_t th[2];
  int i, ok = 0;
  long size = -1;
  FILE *f;
  snprintf(path, sizeof path, "%s/same/la4sv4c0q_drz.fits", root);
  snprintf(code, sizeof code,
           "local ok, r = pcall(mast.download, 'mast:HST/product/la4sv4c0q_drz.fits', '%s',\n"
           "  {size = 51840, progress = false})\n"
           "if ok then return 'ok' end\n"
           "return tostring(r):find('in progress elsewhere', 1, true) and 'busy' or tostring(r)", path);
  sandbox_faults("[{\"kind\": \"stall\", \"after_bytes\": 1000, \"seconds\": 0.5, \"times\": 2, "
                 "\"match\": {\"path\": \"/api/v0.1/Download/file\"}}]");
  for (i = 0; i < 2; i++) {
    d[i].code = code;
    d[i].result[0] = '\0';
    pthread_create(&th[i], NULL, download_same, &d[i]);
  }
  for (i = 0; i < 2; i++) pthread_join(th[i], NULL);
  for (i = 0; i < 2; i++) {
    CHECK(strcmp(d[i].result, "\"ok\"") == 0 || strcmp(d[i].result, "\"busy\"") == 0,
          "thread %d: %s", i, d[i].result);
    if (strcmp(d[i].result, "\"ok\"") == 0) ok++;
  }
  CHECK(ok >= 1, "one of the two downloads completes (%s, %s)", d[0].result, d[1].result);
  f = fopen(path, "rb");
  if (f != NULL) {
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
  }
  CHECK(size == 51840, "the file at the path is whole: %ld bytes", size);
  {
    char part[420];
    snprintf(part, sizeof part, "%s.part", path);
    CHECK(access(part, F_OK) != 0, "no .part is left beside it");
  }
  sandbox_faults("[]");
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
    test_settings_table();
    test_codes();
    test_owners();
    test_never_prints();
    test_outputs();
    test_lua_setup();
    test_host_cancel();
    test_same_destination();
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
