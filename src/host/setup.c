/*
** setup.c -- mast_lua_setup: the host's options, kept for the binding.
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
