/*
** runtime.c -- making mast available inside a lua_State.
*/
#include <stddef.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "mast/mast_lua.h"
#include "../bind/bind.h"
#include "embedded.h"

/* MAST_OPEN_NOENV: the host's options (or the defaults) with noenv set. */
static void set_noenv(lua_State *L) {
  mast_lua_options o;
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.terminal = 1;
  if (lua_getfield(L, LUA_REGISTRYINDEX, MAST_OPTIONS_KEY) == LUA_TUSERDATA &&
      luaL_testudata(L, -1, MAST_OPTIONS_MT) != NULL)
    o = *(mast_lua_options *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  o.noenv = 1;
  mast_lua_setup(L, &o);
}

/* package.preload loader of an embedded module: upvalue 1 is its index. */
static int load_embedded(lua_State *L) {
  const mast_embedded *m = &mast_embedded_modules[lua_tointeger(L, lua_upvalueindex(1))];
  if (luaL_loadbufferx(L, m->code, m->len, m->chunkname, "t") != LUA_OK) return lua_error(L);
  lua_pushstring(L, m->name);
  lua_pushstring(L, m->chunkname + 1);
  lua_call(L, 2, 1);
  return 1;
}

MAST_API void mast_preload_lua(lua_State *L, unsigned flags) {
  int i;
  if (flags & MAST_OPEN_NOENV) set_noenv(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for (i = 0; mast_embedded_modules[i].name != NULL; i++) {
    lua_pushinteger(L, i);
    lua_pushcclosure(L, load_embedded, 1);
    lua_setfield(L, -2, mast_embedded_modules[i].name);
  }
  lua_pop(L, 1);
}

/* The searcher added by mast_add_lua_dir: upvalue 1 is the path template.
** It only answers for mast's own modules. */
static int search_dir(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *file;
  if (strcmp(name, "mast") != 0 && strncmp(name, "mast.", 5) != 0) return 0;
  if (strcmp(name, "mast.core") == 0) return 0;
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchpath");
  lua_pushstring(L, name);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return 0;   /* not in the tree: let preload answer */
  file = lua_tostring(L, -2);
  if (luaL_loadfilex(L, file, "t") != LUA_OK) return lua_error(L);
  lua_pushstring(L, file);
  return 2;
}

MAST_API void mast_add_lua_dir(lua_State *L, const char *dir) {
  int n;
  lua_getglobal(L, "package");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_getfield(L, -1, "searchers");
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dir, dir);
  lua_pushcclosure(L, search_dir, 1);
  /* shift the searchers up one and put ours first */
  for (n = (int)lua_rawlen(L, -2); n >= 1; n--) {
    lua_rawgeti(L, -2, n);
    lua_rawseti(L, -3, n + 1);
  }
  lua_rawseti(L, -2, 1);
  lua_pop(L, 2);
}
