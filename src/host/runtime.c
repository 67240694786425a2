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

/* ---- the environment mast's own modules run in ----
** The globals, except that io has only stdout and stderr, os only its clock,
** date and environment functions, and debug, dofile and loadfile are absent;
** require and package.loaded do not hand out io, os or debug (the rest of
** package reads through). So no module
** can write a file except through mast.core's open_output, where the host's
** path policy lives (the .luacheckrc of lua/mast says the same). This keeps
** mast's own code honest; it is not a boundary against hostile code (a
** user's script in the sandboxed profile gets mast.sandbox's environment). */
#define MODULE_ENV_KEY "mast.module_env"

static const char *const hidden_globals[] = {"debug", "dofile", "loadfile", NULL};
static const char *const hidden_libs[] = {"io", "os", "debug", NULL};

static int listed(const char *const *names, const char *k) {
  for (; k != NULL && *names != NULL; names++)
    if (strcmp(*names, k) == 0) return 1;
  return 0;
}

/* __index of the environment (upvalue 1: the globals) */
static int env_index(lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING && listed(hidden_globals, lua_tostring(L, 2))) return 0;
  lua_pushvalue(L, 2);
  lua_gettable(L, lua_upvalueindex(1));
  return 1;
}

/* __index of package.loaded (upvalue 1: the real package.loaded) */
static int loaded_index(lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING && listed(hidden_libs, lua_tostring(L, 2))) return 0;
  lua_pushvalue(L, 2);
  lua_gettable(L, lua_upvalueindex(1));
  return 1;
}

/* require (upvalue 1: the real require) */
static int env_require(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  if (listed(hidden_libs, name))
    return luaL_error(L, "mast's modules cannot require '%s' (files are written through "
                      "mast.core's open_output)", name);
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* Sets t[name] = a copy of the global library lib's listed fields. */
static void copy_fields(lua_State *L, int t, const char *lib, const char *const *fields) {
  lua_newtable(L);
  if (lua_getglobal(L, lib) == LUA_TTABLE) {
    for (; *fields != NULL; fields++) {
      lua_getfield(L, -1, *fields);
      lua_setfield(L, -3, *fields);
    }
  }
  lua_pop(L, 1);
  lua_setfield(L, t, lib);
}

static void push_module_env(lua_State *L) {
  static const char *const io_fields[] = {"stdout", "stderr", NULL};
  static const char *const os_fields[] = {"clock", "date", "difftime", "getenv", "time", NULL};
  int env;
  if (lua_getfield(L, LUA_REGISTRYINDEX, MODULE_ENV_KEY) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  env = lua_gettop(L);
  copy_fields(L, env, "io", io_fields);
  copy_fields(L, env, "os", os_fields);
  lua_getglobal(L, "require");
  lua_pushcclosure(L, env_require, 1);
  lua_setfield(L, env, "require");
  lua_newtable(L);                                  /* package: the real one, loaded filtered */
  if (lua_getglobal(L, "package") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
  }
  lua_newtable(L);                                  /* package.loaded's stand-in */
  lua_newtable(L);
  lua_getfield(L, -3, "loaded");
  lua_pushcclosure(L, loaded_index, 1);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, -3, "loaded");
  lua_newtable(L);                                  /* the rest of package, as it is */
  lua_insert(L, -2);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, env, "package");
  lua_pushvalue(L, env);
  lua_setfield(L, env, "_G");
  lua_newtable(L);                                  /* the rest: the globals */
  lua_pushglobaltable(L);
  lua_pushcclosure(L, env_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushglobaltable(L);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, env);
  lua_pushvalue(L, env);
  lua_setfield(L, LUA_REGISTRYINDEX, MODULE_ENV_KEY);
}

/* Gives the chunk on top of the stack the modules' environment. */
static void use_module_env(lua_State *L) {
  push_module_env(L);
  if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
}

/* package.preload loader of an embedded module: upvalue 1 is its index. */
static int load_embedded(lua_State *L) {
  const mast_embedded *m = &mast_embedded_modules[lua_tointeger(L, lua_upvalueindex(1))];
  if (luaL_loadbufferx(L, m->code, m->len, m->chunkname, "t") != LUA_OK) return lua_error(L);
  use_module_env(L);
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
  use_module_env(L);
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
