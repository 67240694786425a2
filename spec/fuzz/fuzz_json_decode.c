/*
** fuzz_json_decode.c
** libFuzzer target: decode arbitrary bytes. Must never crash, leak or break
** the stack contract; Lua memory errors (capped heap) are fine. A decoded
** value is also encoded, which must succeed.
*/

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  lua_State *L = fuzz_state(&h);
  if (L == NULL) return 0;
  lua_pushcfunction(L, fuzz_decode);
  lua_pushlstring(L, (const char *)data, size);  /* stack: decode s */
  if (lua_pcall(L, 1, 3, 0) == LUA_OK && !lua_isnil(L, 1)) {  /* stack: v nil nil */
    lua_settop(L, 1);  /* stack: v */
    lua_pushcfunction(L, fuzz_encode);
    lua_insert(L, 1);  /* stack: encode v */
    if (lua_pcall(L, 1, 2, 0) == LUA_OK)  /* stack: json|nil msg */
      FUZZ_ASSERT(!lua_isnil(L, 1), "a decoded value did not encode: %s", lua_tostring(L, 2));
  }
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
