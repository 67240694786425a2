/*
** loutput.c -- core.open_output: the output capability, for Lua.
**
**   local out = core.open_output(path)   -- resolved, checked, <path>.part open
**   out:write(s, ...)                    -- appends strings
**   local final = out:commit()           -- flush, rename onto path, sync; the path
**   out:abort()                          -- drops the .part (also on __gc/__close)
**
** The Lua modules of mast write files only this way: they run where io.open,
** os.rename and os.remove cannot be reached (src/host/runtime.c), so the
** host's path policy, which lives in the C core (output.c), cannot be
** sidestepped by a module, and a file is either whole at its path or absent.
*/
#define _XOPEN_SOURCE 700  /* O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bind.h"
#include "../core/bind_api.h"

#define OUTPUT_MT "mast.Output"

typedef struct {
  mast_output o;   /* o.ctx == NULL once committed or aborted */
} loutput;

static loutput *check_output(lua_State *L) {
  loutput *u = luaL_checkudata(L, 1, OUTPUT_MT);
  if (u->o.ctx == NULL) luaL_argerror(L, 1, "this output is already closed");
  return u;
}

/* Raises code with the core's message (freed first), path as a field. */
static int raise_msg(lua_State *L, mast_ctx *ctx, int code, char *msg, const char *path) {
  if (msg == NULL) return mast_raise(L, MAST_ENOMEM, "out of memory writing %s", path);
  lua_pushstring(L, msg);
  mast_strfree(ctx, msg);
  mast_push_error(L, code, lua_tostring(L, -1));
  lua_pushstring(L, path);
  lua_setfield(L, -2, "path");
  return lua_error(L);
}

/* core.open_output(path [, "resume"]) -> output */
static int l_open_output(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  static const char *const hows[] = {"fresh", "resume", NULL};
  /* a fresh file is this writer's own .part: many processes may write one
     path at once (overlapping jobs), and the last whole file wins */
  int how = luaL_checkoption(L, 2, "fresh", hows) == 1 ? MAST_OUT_RESUME : MAST_OUT_OWN;
  mast_ctx *ctx = mast_bind_ctx(L);
  loutput *u = lua_newuserdatauv(L, sizeof *u, 0);
  char *msg = NULL;
  int code;
  memset(u, 0, sizeof *u);
  luaL_setmetatable(L, OUTPUT_MT);
  if ((code = mast_output_init(ctx, &u->o, path, &msg)) != MAST_OK)
    return raise_msg(L, ctx, code, msg, path);
  if (how == MAST_OUT_OWN) mast_output_sweep(&u->o);   /* what killed writers left */
  if ((code = mast_output_open(&u->o, how, &msg)) != MAST_OK) {
    mast_output_free(&u->o);
    return raise_msg(L, ctx, code, msg, path);
  }
  return 1;
}

/* out:write(s, ...) -> out */
static int o_write(lua_State *L) {
  loutput *u = check_output(L);
  int i, n = lua_gettop(L);
  for (i = 2; i <= n; i++) {
    size_t len;
    const char *s = luaL_checklstring(L, i, &len);
    char *msg = NULL;
    if (mast_output_write(&u->o, s, len, &msg) != MAST_OK) {
      mast_ctx *ctx = u->o.ctx;
      lua_pushstring(L, u->o.path);
      mast_output_free(&u->o);   /* a failed write leaves no .part behind */
      return raise_msg(L, ctx, MAST_EIO, msg, lua_tostring(L, -1));
    }
  }
  lua_settop(L, 1);
  return 1;
}

/* out:commit() -> the final path */
static int o_commit(lua_State *L) {
  loutput *u = check_output(L);
  mast_ctx *ctx = u->o.ctx;
  char *msg = NULL;
  int code = mast_output_commit(&u->o, -1, &msg);
  lua_pushstring(L, u->o.path);
  mast_output_free(&u->o);
  if (code != MAST_OK) return raise_msg(L, ctx, code, msg, lua_tostring(L, -1));
  return 1;
}

/* out:path() -> the final path (resolved against the download root) */
static int o_path(lua_State *L) {
  loutput *u = check_output(L);
  lua_pushstring(L, u->o.path);
  return 1;
}

/* out:abort(); also __gc and __close: the .part goes, unless committed. */
static int o_abort(lua_State *L) {
  loutput *u = luaL_checkudata(L, 1, OUTPUT_MT);
  if (u->o.ctx != NULL && mast_bind_ctx_if_open(L) != NULL) mast_output_free(&u->o);
  return 0;
}

static const luaL_Reg output_methods[] = {
  {"write", o_write},
  {"commit", o_commit},
  {"path", o_path},
  {"abort", o_abort},
  {NULL, NULL}
};

/* The open file of a read_file, closed by __gc if a memory error raises
** while it is read (no Lua error leaves a FILE open). */
#define READER_MT "mast.FileReader"
static int reader_gc(lua_State *L) {
  FILE **f = luaL_checkudata(L, 1, READER_MT);
  if (*f != NULL) fclose(*f);
  *f = NULL;
  return 0;
}

static int raise_path(lua_State *L, int code, const char *msg, const char *path) {
  mast_push_error(L, code, msg);
  lua_pushstring(L, path);
  lua_setfield(L, -2, "path");
  return lua_error(L);
}

/* core.read_file(path) -> the file's bytes. The input twin of open_output:
** the same resolution against the download root and the same path policy,
** so a sandboxed host's scripts read only below its root (mast's Lua
** modules have no io.open). Errors: denied, or io naming the path. */
static int l_read_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  mast_ctx *ctx = mast_bind_ctx(L);
  char *resolved = mast_output_resolve(ctx, path);
  const char *full;
  FILE **f;
  luaL_Buffer b;
  size_t n;
  if (resolved == NULL) return mast_raise(L, MAST_ENOMEM, "out of memory");
  full = lua_pushstring(L, resolved);   /* anchored at index 2 */
  mast_strfree(ctx, resolved);
  if (!mast_path_allowed(ctx, full))
    return raise_path(L, MAST_EDENIED, lua_pushfstring(L, "this host does not allow reading %s", full), full);
  f = lua_newuserdatauv(L, sizeof *f, 0);
  *f = NULL;
  luaL_setmetatable(L, READER_MT);
  *f = fopen(full, "rb");
  if (*f == NULL)
    return raise_path(L, MAST_EIO, lua_pushfstring(L, "cannot read %s: %s", full, strerror(errno)), full);
  luaL_buffinit(L, &b);
  do {
    char *p = luaL_prepbuffsize(&b, LUAL_BUFFERSIZE);
    n = fread(p, 1, LUAL_BUFFERSIZE, *f);
    luaL_addsize(&b, n);
  } while (n == LUAL_BUFFERSIZE);
  if (ferror(*f)) {
    fclose(*f);
    *f = NULL;
    return raise_path(L, MAST_EIO, lua_pushfstring(L, "cannot read %s", full), full);
  }
  fclose(*f);
  *f = NULL;
  luaL_pushresult(&b);
  return 1;
}

/* core.append_file(path, bytes): adds bytes at the end of the file at path,
** which must exist (made whole by open_output first), in one O_APPEND write
** (a log, such as a recording's index: it grows by whole records and is
** never rewritten). The same resolution and path policy as open_output.
** Errors: denied, or io naming the path. */
static int l_append_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t n, off = 0;
  const char *bytes = luaL_checklstring(L, 2, &n);
  mast_ctx *ctx = mast_bind_ctx(L);
  char *resolved = mast_output_resolve(ctx, path);
  const char *full;
  int fd, err = 0;
  if (resolved == NULL) return mast_raise(L, MAST_ENOMEM, "out of memory");
  full = lua_pushstring(L, resolved);
  mast_strfree(ctx, resolved);
  if (!mast_path_allowed(ctx, full))
    return raise_path(L, MAST_EDENIED, lua_pushfstring(L, "this host does not allow writing %s", full), full);
  fd = open(full, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0)
    return raise_path(L, MAST_EIO, lua_pushfstring(L, "cannot append to %s: %s", full, strerror(errno)), full);
  while (off < n) {
    ssize_t w = write(fd, bytes + off, n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) { err = w < 0 ? errno : EIO; break; }
    off += (size_t)w;
  }
  if (close(fd) != 0 && err == 0 && errno != EINTR) err = errno;
  if (err != 0)
    return raise_path(L, MAST_EIO, lua_pushfstring(L, "cannot append to %s: %s", full, strerror(err)), full);
  return 0;
}

void mast_output_register(lua_State *L) {
  if (luaL_newmetatable(L, OUTPUT_MT)) {
    luaL_newlib(L, output_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, o_abort);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, o_abort);
    lua_setfield(L, -2, "__close");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, READER_MT)) {
    lua_pushcfunction(L, reader_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_open_output);
  lua_setfield(L, -2, "open_output");
  lua_pushcfunction(L, l_read_file);
  lua_setfield(L, -2, "read_file");
  lua_pushcfunction(L, l_append_file);
  lua_setfield(L, -2, "append_file");
}
