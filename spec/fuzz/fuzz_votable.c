/*
** fuzz_votable.c
** libFuzzer target: core.votable_decode on arbitrary bytes. Must never crash,
** leak or hang; a failure must be a mast error (json, or memory under the
** capped heap) whose message names a line and column; a success must be a
** dataset whose every row has a value (or null) for every field.
*/

#include "fuzz_common.h"
#include "bind.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  lua_State *L = fuzz_state(&h);
  if (L == NULL) return 0;
  mast_error_init(L);
  lua_newtable(L);
  mast_votable_register(L);
  lua_getfield(L, -1, "votable_decode");
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
    lua_Integer i, n, j, nf;
    FUZZ_ASSERT(lua_istable(L, -1), "a result that is not a table");
    FUZZ_ASSERT(lua_getfield(L, -1, "fields") == LUA_TTABLE, "no fields");
    FUZZ_ASSERT(lua_getfield(L, -2, "data") == LUA_TTABLE, "no data");
    nf = (lua_Integer)lua_rawlen(L, -2);
    n = (lua_Integer)lua_rawlen(L, -1);
    for (i = 1; i <= n; i++) {
      FUZZ_ASSERT(lua_rawgeti(L, -1, i) == LUA_TTABLE, "row %d is not a table", (int)i);
      for (j = 1; j <= nf; j++) {
        lua_rawgeti(L, -3, j);
        lua_getfield(L, -1, "name");
        FUZZ_ASSERT(lua_gettable(L, -3) != LUA_TNIL, "row %d lacks field %d", (int)i, (int)j);
        lua_pop(L, 2);
      }
      lua_pop(L, 1);
    }
  } else if (lua_istable(L, -1)) {
    const char *code, *msg;
    lua_getfield(L, -1, "code");
    lua_getfield(L, -2, "message");
    code = lua_tostring(L, -2);
    msg = lua_tostring(L, -1);
    FUZZ_ASSERT(code != NULL && msg != NULL, "an error without code or message");
    FUZZ_ASSERT(strcmp(code, "memory") == 0 || strcmp(code, "usage") == 0 ||
                (strcmp(code, "json") == 0 && strstr(msg, "VOTable") != NULL), "%s: %s", code, msg);
  }
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
