/*
** setup.c -- mast_lua_setup: the host's options, kept for the binding;
** mast_lua_cleanup: the binding's cleanups after a cancelled run.
**
** Apart from runtime.c (which carries the embedded Lua modules) so that a
** program can set options without the modules: the mast program (which
** loads the binding lazily), and the fuzz targets (which load the modules
** from the source tree).
*/
#include <stddef.h>
#include <string.h>

#include <lauxlib.h>

#include "mast/mast_lua.h"
#include "../bind/bind.h"

MAST_API int mast_lua_setup(lua_State *L, const mast_lua_options *o) {
  mast_lua_options *box;
  size_t n;
  if (o == NULL || o->struct_size < offsetof(mast_lua_options, terminal) + sizeof o->terminal)
    return MAST_EUSAGE;
  box = lua_newuserdatauv(L, sizeof *box, 0);
  memset(box, 0, sizeof *box);
  n = o->struct_size < sizeof *box ? o->struct_size : sizeof *box;   /* an older host's struct */
  memcpy(box, o, n);
  box->struct_size = sizeof *box;
  luaL_newmetatable(L, MAST_OPTIONS_MT);
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, MAST_OPTIONS_KEY);
  return MAST_OK;
}

/* Through package.loaded, as the binding may be a separately loaded
** core.so; nothing to do before mast.core is loaded. Calls only C code,
** so a host's hook that stops Lua code does not stop it. */
static int cleanup(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, -1, "mast.core") == LUA_TTABLE &&
      lua_getfield(L, -1, "cleanup_run") == LUA_TFUNCTION)
    lua_call(L, 0, 0);
  return 0;
}

MAST_API void mast_lua_cleanup(lua_State *L) {
  lua_pushcfunction(L, cleanup);
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) lua_pop(L, 1);
}

/* The error a cancel raises in Lua code: a mast error {code = "cancelled",
** message = msg} once mast.core has made its metatable, else the bare text
** (a script that never loaded mast). Allocates a little: a hook calls it. */
MAST_API int mast_lua_cancel_error(lua_State *L, const char *msg) {
  if (msg == NULL) msg = "cancelled";
  if (luaL_getmetatable(L, MAST_ERROR_MT) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_pushstring(L, msg);
    return lua_error(L);
  }
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "cancelled");
  lua_setfield(L, -2, "code");
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  lua_insert(L, -2);
  lua_setmetatable(L, -2);
  return lua_error(L);
}
