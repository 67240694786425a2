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

int main(void) {
  char cmd[300];
  snprintf(base, sizeof base, "/tmp/mast-test-cache-XXXXXX");
  if (mkdtemp(base) == NULL) return 1;
  snprintf(root, sizeof root, "%s/root", base);
  snprintf(outside, sizeof outside, "%s/outside", base);
  if (mkdir(root, 0700) != 0) return 1;
  test_noenv_has_no_default();
  test_download_root();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", base);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
