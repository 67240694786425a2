/*
** fuzz_json_roundtrip.c
** libFuzzer target: when the bytes decode, encode -> decode -> encode must give
** identical text (and each step must succeed, memory errors aside).
*/

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  lua_State *L = fuzz_state(&h);
  size_t l1, l2;
  const char *t1, *t2;
  if (L == NULL) return 0;
  lua_pushcfunction(L, fuzz_decode);
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_isnil(L, -1)) goto done;  /* stack: v */
  lua_pushcfunction(L, fuzz_encode);
  lua_pushvalue(L, 1);
  if (lua_pcall(L, 1, 2, 0) != LUA_OK) goto done;  /* stack: v t1|nil msg */
  FUZZ_ASSERT(!lua_isnil(L, 2), "encode of a decoded value failed: %s", lua_tostring(L, 3));
  lua_settop(L, 2);  /* stack: v t1 */
  lua_pushcfunction(L, fuzz_decode);
  lua_pushvalue(L, 2);
  if (lua_pcall(L, 1, 3, 0) != LUA_OK) goto done;  /* stack: v t1 v2|nil off msg */
  FUZZ_ASSERT(!lua_isnil(L, 3), "decode of encoded text failed: %s\ntext: %.300s",
              lua_tostring(L, 5), lua_tostring(L, 2));
  lua_settop(L, 3);  /* stack: v t1 v2 */
  lua_pushcfunction(L, fuzz_encode);
  lua_pushvalue(L, 3);
  if (lua_pcall(L, 1, 2, 0) != LUA_OK) goto done;  /* stack: v t1 v2 t2|nil msg */
  FUZZ_ASSERT(!lua_isnil(L, 4), "second encode failed: %s", lua_tostring(L, 5));
  t1 = lua_tolstring(L, 2, &l1);
  t2 = lua_tolstring(L, 4, &l2);
  FUZZ_ASSERT(l1 == l2 && memcmp(t1, t2, l1) == 0, "round trip differs:\n%.300s\n%.300s", t1, t2);
 done:
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
