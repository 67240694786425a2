/*
** fuzz_json_decode.c
** libFuzzer target: decode arbitrary bytes. Must never crash, leak or break
** the stack contract; Lua memory errors (capped heap) are fine. A decoded
** value is also encoded, which must succeed, and the input is decoded again
** wrapped in 32 arrays (below the depths that use the decoder's column cache
** and size hints), which must give the same value (or hit the depth limit).
*/

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  lua_State *L = fuzz_state(&h);
  if (L == NULL) return 0;
  lua_pushcfunction(L, fuzz_decode);
  lua_pushlstring(L, (const char *)data, size);  /* stack: decode s */
  if (lua_pcall(L, 1, 3, 0) != LUA_OK) goto done;  /* stack: v|nil off msg */
  if (!lua_isnil(L, 1)) {
    size_t skip = (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    char *w = malloc(size + 64);
    int i;
    memset(w, '[', 32);
    if (size > skip) memcpy(w + 32, data + skip, size - skip);
    memset(w + 32 + size - skip, ']', 32);
    lua_pushcfunction(L, fuzz_decode);
    lua_pushlstring(L, w, size - skip + 64);  /* stack: v nil nil decode w */
    free(w);
    if (lua_pcall(L, 1, 3, 0) != LUA_OK) goto done;  /* stack: v nil nil v2|nil off2 msg2 */
    if (lua_isnil(L, 4))
      FUZZ_ASSERT(strstr(lua_tostring(L, 6), "nesting deeper") != NULL,
                  "wrapped input fails: %s", lua_tostring(L, 6));
    else {
      lua_settop(L, 4);  /* stack: v nil nil v2 */
      for (i = 0; i < 32; i++) {
        lua_rawgeti(L, -1, 1);
        lua_remove(L, -2);
      }  /* stack: v nil nil unwrapped */
      FUZZ_ASSERT(fuzz_same(L, 1, 4, 0), "wrapped input decodes to another value");
    }
    lua_settop(L, 3);  /* stack: v nil nil */
  }
  if (!lua_isnil(L, 1)) {  /* stack: v nil nil */
    lua_settop(L, 1);  /* stack: v */
    lua_pushcfunction(L, fuzz_encode);
    lua_insert(L, 1);  /* stack: encode v */
    if (lua_pcall(L, 1, 2, 0) == LUA_OK)  /* stack: json|nil msg */
      FUZZ_ASSERT(!lua_isnil(L, 1), "a decoded value did not encode: %s", lua_tostring(L, 2));
  }
 done:
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
