/*
** test_cache.c -- the disk cache under a host's policy: a host that ignores
** the environment has no cache unless it sets cache_dir, and under a
** download root the cache writes only inside the root (anything else: off).
** No network.
*/
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "mast/mast_lua.h"

#include "check.h"

static char base[64], root[128], outside[128];

static lua_State *new_state(void) {
  lua_State *L = luaL_newstate();
  mast_lua_options o;
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.noenv = 1;
  luaL_openlibs(L);
  mast_lua_setup(L, &o);
  mast_openlibs(L, MAST_OPEN_NOENV);
  return L;
}

/* Runs code (which gets the module as dc) and returns its string result, or
** "error: ..." (static buffer). */
static const char *run(lua_State *L, const char *code) {
  static char out[512];
  char chunk[1024];
  snprintf(chunk, sizeof chunk, "local dc = require 'mast.diskcache'\n%s", code);
  if (luaL_dostring(L, chunk) != LUA_OK) snprintf(out, sizeof out, "error: %s", lua_tostring(L, -1));
  else snprintf(out, sizeof out, "%s", luaL_tolstring(L, -1, NULL));
  lua_settop(L, 0);
  return out;
}

static void set_dir(lua_State *L, const char *dir) {
  char err[300];
  int rc = mast_config_set(mast_lua_ctx(L), "cache_dir", dir, err, sizeof err);
  CHECK(rc == MAST_OK, "cache_dir %s: %s", dir ? dir : "(null)", err);
}

static void test_noenv_has_no_default(void) {
  lua_State *L;
  setenv("MAST_CACHE_DIR", outside, 1);
  setenv("XDG_CACHE_HOME", outside, 1);
  L = new_state();
  CHECK(strcmp(run(L, "return tostring(dc.dir())"), "nil") == 0, "no cache without the environment");
  lua_close(L);
  unsetenv("MAST_CACHE_DIR");
  unsetenv("XDG_CACHE_HOME");
}

static void test_download_root(void) {
  lua_State *L = new_state();
  char path[512], link[256];
  const char *r;
  CHECK(mast_set_download_root(mast_lua_ctx(L), root) == MAST_OK, "root %s", root);

  /* outside the root: off, and nothing is created there */
  set_dir(L, outside);
  CHECK(strcmp(run(L, "return tostring(dc.dir())"), "nil") == 0, "off outside the root");
  r = run(L, "local ok, why = dc.put('k', 'v', 60) return tostring(ok) .. ' ' .. tostring(why)");
  CHECK(strncmp(r, "false", 5) == 0, "put outside the root: %s", r);
  CHECK(access(outside, F_OK) != 0, "nothing written outside the root");

  /* climbing out, or a symbolic link out: off too */
  snprintf(path, sizeof path, "%s/../escape", root);
  set_dir(L, path);
  CHECK(strcmp(run(L, "return tostring(dc.put('k', 'v', 60))"), "false") == 0, "'..' is off");
  snprintf(link, sizeof link, "%s/link", root);
  CHECK(mkdir(outside, 0700) == 0 && symlink(outside, link) == 0, "link set up");
  snprintf(path, sizeof path, "%s/cache", link);
  set_dir(L, path);
  CHECK(strcmp(run(L, "return tostring(dc.put('k', 'v', 60))"), "false") == 0, "a link out is off");
  snprintf(path, sizeof path, "%s/cache", outside);
  CHECK(access(path, F_OK) != 0, "nothing written through the link");

  /* inside the root, absolute or relative (taken from the root): on */
  snprintf(path, sizeof path, "%s/abs", root);
  set_dir(L, path);
  r = run(L, "assert(dc.put('k', 'inside', 60)) return dc.get('k')");
  CHECK(strcmp(r, "inside") == 0, "inside the root: %s", r);
  set_dir(L, "rel/cache");
  snprintf(path, sizeof path, "%s/rel/cache", root);
  r = run(L, "return dc.dir()");
  CHECK(strcmp(r, path) == 0, "a relative cache_dir is under the root: %s", r);
  r = run(L, "assert(dc.put('k', 'relative', 60)) return dc.get('k')");
  CHECK(strcmp(r, "relative") == 0, "relative: %s", r);
  lua_close(L);
}

/* Runs code with core as c and returns its string result, or "error: ...". */
static const char *run_core(lua_State *L, const char *code) {
  static char out[512];
  char chunk[2048];
  snprintf(chunk, sizeof chunk, "local c = require 'mast.core'\n%s", code);
  if (luaL_dostring(L, chunk) != LUA_OK) snprintf(out, sizeof out, "error: %s", lua_tostring(L, -1));
  else snprintf(out, sizeof out, "%s", luaL_tolstring(L, -1, NULL));
  lua_settop(L, 0);
  return out;
}

/* The query cache's helpers: hashes, the token's keyed hash, a directory
** of its own (stats, LRU trim, clear by age), damaged entries as misses. */
static void test_query_cache(void) {
  lua_State *L = new_state();
  char err[300], code[1024], path[512];
  const char *r;
  FILE *f;
  r = run_core(L, "return c.sha256('abc')");
  CHECK(strcmp(r, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0, "sha256: %s", r);
  r = run_core(L, "return tostring(c.token_identity())");
  CHECK(strcmp(r, "nil") == 0, "no token, no identity: %s", r);
  CHECK(mast_config_set(mast_lua_ctx(L), "token", "secret-token-123", err, sizeof err) == MAST_OK, "%s", err);
  /* HMAC-SHA256 under the purpose string (checked against Python's hmac) */
  r = run_core(L, "return c.token_identity()");
  CHECK(strcmp(r, "8dfb84e3eb79cfcadd12af1f0d5f4c9ec978807e769852ce4018e9a81f4d2e3d") == 0, "identity: %s", r);
  CHECK(strstr(r, "secret") == NULL, "the identity is not the token");

  snprintf(path, sizeof path, "%s/q", base);
  snprintf(code, sizeof code,
           "local d = '%s'\n"
           "assert(c.cache_put('a', 'AAAA', 60, d)) assert(c.cache_put('b', 'BBBBBBBB', 60, d))\n"
           "assert(c.cache_get('a', d) == 'AAAA') assert(c.cache_get('a') == nil)\n"
           "local n, bytes = c.cache_stats(d)\n"
           "return n .. ' ' .. tostring(bytes > 12)", path);
  r = run_core(L, code);
  CHECK(strcmp(r, "2 true") == 0, "put, get, stats in a directory of its own: %s", r);
  {
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0700, "the directory is private");
  }
  /* trim: the least recently used goes first (a hit touches mtime) */
  snprintf(code, sizeof code,
           "local d = '%s'\n"
           "os.execute(\"touch -d '1 hour ago' \" .. d .. \"/*\")\n"
           "assert(c.cache_get('b', d))\n"
           "local one = select(2, c.cache_stats(d)) / 2\n"
           "local removed = c.cache_trim(d, one * 1.5)\n"
           "return removed .. ' ' .. tostring(c.cache_get('a', d)) .. ' ' .. tostring(c.cache_get('b', d))",
           path);
  r = run_core(L, code);
  CHECK(strcmp(r, "1 nil BBBBBBBB") == 0, "LRU trim: %s", r);
  /* a truncated entry is a miss and is removed */
  snprintf(code, sizeof code,
           "local d = '%s'\n"
           "assert(c.cache_put('t', string.rep('x', 100), 60, d))\n"
           "for name in io.popen('ls ' .. d):lines() do\n"
           "  local p = d .. '/' .. name local f = io.open(p, 'rb') local s = f:read('a') f:close()\n"
           "  if s:find('xxxx', 1, true) then f = io.open(p, 'wb') f:write(s:sub(1, #s - 1)) f:close() end\n"
           "end\n"
           "return tostring((c.cache_get('t', d))) .. ' ' .. c.cache_stats(d)", path);
  r = run_core(L, code);
  CHECK(strcmp(r, "nil 1") == 0, "truncated: a miss, removed: %s", r);
  /* clear by age, then all */
  snprintf(code, sizeof code,
           "local d = '%s'\n"
           "os.execute(\"touch -d '1 hour ago' \" .. d .. \"/*\")\n"
           "assert(c.cache_put('n', 'new', 60, d))\n"
           "local old = c.cache_clear(d, 600)\n"
           "return old .. ' ' .. c.cache_clear(d) .. ' ' .. c.cache_stats(d)", path);
  r = run_core(L, code);
  CHECK(strcmp(r, "1 1 0") == 0, "clear older_than, then all: %s", r);
  r = run_core(L, "return tostring(pcall(c.cache_clear, nil, -1))");
  CHECK(strcmp(r, "false") == 0, "a negative age is refused: %s", r);
  /* sha256 of a file, under the policy */
  snprintf(path, sizeof path, "%s/f.txt", base);
  f = fopen(path, "wb");
  CHECK(f != NULL, "file");
  if (f) {
    fputs("abc", f);
    fclose(f);
  }
  snprintf(code, sizeof code, "local h, n = c.sha256_file('%s') return h .. ' ' .. n", path);
  r = run_core(L, code);
  CHECK(strcmp(r, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3") == 0, "file: %s", r);
  snprintf(code, sizeof code, "return c.read_file('%s')", path);
  r = run_core(L, code);
  CHECK(strcmp(r, "abc") == 0, "read_file: %s", r);
  lua_close(L);
}

int main(void) {
  char cmd[300];
  snprintf(base, sizeof base, "/tmp/mast-test-cache-XXXXXX");
  if (mkdtemp(base) == NULL) return 1;
  snprintf(root, sizeof root, "%s/root", base);
  snprintf(outside, sizeof outside, "%s/outside", base);
  if (mkdir(root, 0700) != 0) return 1;
  test_noenv_has_no_default();
  test_download_root();
  test_query_cache();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", base);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
