/*
** openlibs.c -- mast_openlibs: the embedded Lua modules plus mast.core.
** (Kept apart from runtime.c so that the mast program, which loads
** mast.core lazily, does not link libcurl.)
*/
#include <lauxlib.h>
#include <lualib.h>

#include "mast/mast_lua.h"

/* the side modules (src/bind/bind.h) */
int luaopen_mast_core_plot(lua_State *L);
int luaopen_mast_core_fits(lua_State *L);

MAST_API void mast_openlibs(lua_State *L, unsigned flags) {
  mast_preload_lua(L, flags);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_mast_core);
  lua_setfield(L, -2, "mast.core");
  lua_pushcfunction(L, luaopen_mast_core_plot);   /* side modules, linked in here */
  lua_setfield(L, -2, "mast.core_plot");
  lua_pushcfunction(L, luaopen_mast_core_fits);
  lua_setfield(L, -2, "mast.core_fits");
  lua_pop(L, 1);
}
