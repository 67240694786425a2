/*
** ljson.c -- the Lua face of the exact JSON codec (json.c).
*/
#include <string.h>

#include "bind.h"
#include "json.h"

/* core.json_decode(text [, what]) -> value; raises a "json" error that
** names `what` (e.g. "the response of Mast.Caom.Cone") and the offset. */
static int l_json_decode(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *what = luaL_optstring(L, 2, NULL);
  mast_json_error err;
  lua_settop(L, 2);
  if (mast_json_decode(L, s, len, &err)) return 1;
  if (what != NULL) lua_pushfstring(L, "%s is not valid JSON: %s", what, err.msg);
  else lua_pushstring(L, err.msg);
  mast_push_error(L, MAST_EJSON, lua_tostring(L, -1));
  lua_pushinteger(L, (lua_Integer)err.offset);
  lua_setfield(L, -2, "offset");
  return lua_error(L);
}

/* core.json_encode(value [, root]) -> text; raises a "usage" error naming
** the path of what cannot be encoded. */
static int l_json_encode(lua_State *L) {
  const char *root = luaL_optstring(L, 2, "value");
  mast_json_error err;
  luaL_checkany(L, 1);
  lua_settop(L, 2);
  if (mast_json_encode(L, 1, root, &err)) return 1;
  return mast_raise(L, MAST_EUSAGE, "%s", err.msg);
}

static int mark(lua_State *L, const char *mt) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_newtable(L);
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  luaL_setmetatable(L, mt);
  return 1;
}

/* core.array([t]) / core.object([t]) mark t (or a new table) so that it
** encodes as a JSON array / object even when empty. */
static int l_array(lua_State *L) { return mark(L, MAST_JSON_ARRAY_MT); }
static int l_object(lua_State *L) { return mark(L, MAST_JSON_OBJECT_MT); }

void mast_json_register(lua_State *L) {
  static const luaL_Reg f[] = {
    {"json_decode", l_json_decode},
    {"json_encode", l_json_encode},
    {"array", l_array},
    {"object", l_object},
    {NULL, NULL}
  };
  mast_json_init(L);
  luaL_setfuncs(L, f, 0);
  lua_pushlightuserdata(L, NULL);   /* the same value as cjson.null */
  lua_setfield(L, -2, "null");
}
