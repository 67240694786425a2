/*
** mast_lua.h -- embedding mast in a program that owns a lua_State.
**
**   lua_State *L = luaL_newstate();
**   luaL_openlibs(L);
**   mast_openlibs(L, 0);                  -- require "mast" now works
**   mast_ctx *ctx = mast_lua_ctx(L);      -- configure it from C if you like
**
** One lua_State per thread; each state has its own mast context.
*/
#ifndef MAST_LUA_H
#define MAST_LUA_H

#include <lua.h>

#include "mast/mast.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The C module behind require "mast.core". */
MAST_API int luaopen_mast_core(lua_State *L);

/* The context of L's mast module, created on first use (raises a Lua
** memory error if it cannot be). */
MAST_API mast_ctx *mast_lua_ctx(lua_State *L);

#define MAST_OPEN_NOENV 0x01u   /* ignore the MAST_* environment variables */

/* Makes mast.core and every Lua module of mast (compiled into the library)
** available to require, through package.preload. Opens nothing else: the
** host chooses which standard libraries to open. */
MAST_API void mast_openlibs(lua_State *L, unsigned flags);

/* The Lua half of mast_openlibs: only the embedded Lua modules (for a host
** that loads mast.core itself, as the mast program does). */
MAST_API void mast_preload_lua(lua_State *L, unsigned flags);

/* Adds a package searcher, ahead of package.preload, that loads mast's Lua
** modules from dir (dir/?.lua, dir/?/init.lua): a development tree then
** wins over the compiled-in copies. */
MAST_API void mast_add_lua_dir(lua_State *L, const char *dir);

#ifdef __cplusplus
}
#endif
#endif
