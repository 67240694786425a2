/*
** side.c -- the error and option helpers of a side module (mast/core_plot.so,
** mast/core_fits.so): forwarded to the loaded mast.core's, found through the
** registry (bind.h, MAST_SIDE_API), so errors are the same mast.Error objects,
** scrubbed by the same context. Linked only into the side modules; libmast
** links lerror.c instead.
*/
#include <stdarg.h>

#include <lauxlib.h>

#include "bind.h"

static const mast_side_api *side(lua_State *L) {
  const mast_side_api *api;
  lua_getfield(L, LUA_REGISTRYINDEX, MAST_SIDE_API);
  api = lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (api == NULL) luaL_error(L, "mast.core must be loaded before mast.core_plot or mast.core_fits");
  return api;
}

void mast_push_error(lua_State *L, int code, const char *msg) {
  side(L)->push_error(L, code, msg);
}

int mast_raise(lua_State *L, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  mast_push_error(L, code, lua_tostring(L, -1));
  return lua_error(L);
}

const char *mast_opt_string(lua_State *L, int t, const char *k, const char *def) {
  return side(L)->opt_string(L, t, k, def);
}

double mast_opt_number(lua_State *L, int t, const char *k, double def) {
  return side(L)->opt_number(L, t, k, def);
}

int mast_opt_bool(lua_State *L, int t, const char *k, int def) {
  return side(L)->opt_bool(L, t, k, def);
}
