/*
** fuzz_json_decode.c
** libFuzzer target: decode arbitrary bytes. Must never crash, leak or break
** the stack contract; Lua memory errors (capped heap) are fine. A decoded
** value is also encoded, which must succeed, and the input is decoded again
** wrapped in 32 arrays (below the depths that use the decoder's column cache
** and size hints), which must give the same value (or hit the depth limit).
** The columnar decode (MAST_JSON_COLUMNAR) of the input, and of the input
** wrapped as {"data":[input]}, must fail as the row decode does or give the
** row decode's value with its rows turned into columns.
** The decode while the text arrives (mast_json_stream: fed prefixes of it,
** each in a block of exactly its length, then finished) of the input and
** of {"data":[input]} must give the whole decode's value or its error.
*/

#include "fuzz_common.h"

/* lua_CFunction: cdecode(s) -> value, columnar | nil, err.offset, err.msg */
static int fuzz_cdecode (lua_State *L) {
  mast_json_error err;
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  int top = lua_gettop(L), r = mast_json_decode_opt(L, s, len, MAST_JSON_COLUMNAR, &err);
  if (r) {
    FUZZ_ASSERT(lua_gettop(L) == top + 1, "columnar decode pushed %d values", lua_gettop(L) - top);
    lua_pushboolean(L, r == 2);
    return 2;
  }
  FUZZ_ASSERT(lua_gettop(L) == top, "failed columnar decode changed the stack");
  lua_pushnil(L);
  lua_pushinteger(L, (lua_Integer)err.offset);
  lua_pushstring(L, err.msg);
  return 3;
}

/* lua_CFunction: sdecode(s, step) -> value | nil, err.offset, err.msg; the
   stream is fed the first step, 2 step, ... bytes, each a copy of exactly
   that length (so a read past what has arrived is a sanitizer error) */
static int fuzz_sdecode (lua_State *L) {
  mast_json_error err;
  mast_json_stream st;
  size_t len, c, step = (size_t)lua_tointeger(L, 2);
  const char *s = lua_tolstring(L, 1, &len);
  int arr, top;
  mast_json_stream_init(&st);
  lua_newtable(L);
  arr = lua_gettop(L);
  for (c = step; c < len; c += step) {
    /* a userdata's bytes end its block (the heap hands out exact sizes) */
    char *prefix = lua_newuserdatauv(L, c, 0);
    memcpy(prefix, s, c);
    top = lua_gettop(L);
    mast_json_stream_feed(L, &st, arr, prefix, c, 0);
    FUZZ_ASSERT(lua_gettop(L) == top, "a feed changed the stack");
    lua_pop(L, 1);
  }
  top = lua_gettop(L);
  if (mast_json_stream_finish(L, &st, arr, s, len, &err)) {
    FUZZ_ASSERT(lua_gettop(L) == top + 1, "finish pushed %d values", lua_gettop(L) - top);
    return 1;
  }
  FUZZ_ASSERT(lua_gettop(L) == top, "a failed finish changed the stack");
  lua_pushnil(L);
  lua_pushinteger(L, (lua_Integer)err.offset);
  lua_pushstring(L, err.msg);
  return 3;
}

/* The stream decode of s[0,n) against the whole decode */
static void check_stream (const char *s, size_t n, size_t step) {
  fuzz_heap h;
  lua_State *L = fuzz_state(&h);
  if (L == NULL) return;
  lua_pushcfunction(L, fuzz_decode);
  lua_pushlstring(L, s, n);
  if (lua_pcall(L, 1, 3, 0) != LUA_OK) goto done;  /* stack: v|nil off msg */
  lua_pushcfunction(L, fuzz_sdecode);
  lua_pushlstring(L, s, n);
  lua_pushinteger(L, (lua_Integer)step);
  if (lua_pcall(L, 2, 3, 0) != LUA_OK) goto done;  /* stack: v off msg sv soff smsg */
  if (lua_isnil(L, 1)) {
    FUZZ_ASSERT(lua_isnil(L, 4), "stream decode of bad input succeeded");
    FUZZ_ASSERT(lua_tointeger(L, 2) == lua_tointeger(L, 5) &&
                strcmp(lua_tostring(L, 3), lua_tostring(L, 6)) == 0,
                "stream decode fails otherwise: %s / %s", lua_tostring(L, 3), lua_tostring(L, 6));
  }
  else {
    FUZZ_ASSERT(!lua_isnil(L, 4), "stream decode fails: %s", lua_tostring(L, 6));
    FUZZ_ASSERT(fuzz_same(L, 1, 4, 0), "stream decode gives another value");
  }
 done:
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
}

/* Is the columnar value at c the row value at r with r.data as columns? */
static int same_as_columns (lua_State *L, int r, int c) {
  lua_Integer n, i, k, j;
  int ok = 1;
  lua_settop(L, c);
  lua_getfield(L, r, "data");  /* stack: ... rows */
  lua_getfield(L, c, "data");  /* stack: ... rows cdata */
  lua_getfield(L, -1, "n");    /* stack: ... rows cdata n */
  lua_getfield(L, -2, "columns");  /* stack: ... rows cdata n names */
  lua_getfield(L, -3, "data");  /* stack: ... rows cdata n names cols */
  if (lua_type(L, -5) != LUA_TTABLE || !lua_isinteger(L, -3)) return 0;
  n = lua_tointeger(L, -3);
  k = (lua_Integer)lua_rawlen(L, -2);
  if ((lua_Integer)lua_rawlen(L, -5) != n) return 0;
  for (j = 1; ok && j <= k; j++) {
    lua_rawgeti(L, -2, j);  /* stack: ... name */
    lua_pushvalue(L, -1);
    lua_rawget(L, -3);  /* stack: ... name col */
    ok = (lua_type(L, -1) == LUA_TTABLE && (lua_Integer)lua_rawlen(L, -1) == n);
    for (i = 1; ok && i <= n; i++) {
      lua_rawgeti(L, c + 1, i);  /* stack: ... name col row */
      lua_pushvalue(L, -3);
      if (lua_rawget(L, -2) == LUA_TNIL) {  /* stack: ... name col row v */
        lua_pop(L, 1);
        lua_pushlightuserdata(L, NULL);
      }
      lua_rawgeti(L, -3, i);  /* stack: ... name col row v cv */
      ok = fuzz_same(L, -2, -1, 0);
      lua_pop(L, 3);
    }
    lua_pop(L, 2);
  }
  for (i = 1; ok && i <= n; i++) {  /* every key of every row is a column */
    lua_rawgeti(L, c + 1, i);  /* stack: ... row */
    lua_pushnil(L);
    while (ok && lua_next(L, -2)) {  /* stack: ... row key v */
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      ok = (lua_rawget(L, c + 5) == LUA_TTABLE);  /* stack: ... row key col */
      lua_pop(L, 1);
    }
    if (!ok) lua_pop(L, 1);
    lua_pop(L, 1);
  }
  lua_settop(L, c);
  if (!ok) return 0;
  /* the rest of the envelope is the same */
  lua_pushnil(L);
  while (ok && lua_next(L, r)) {  /* stack: ... key v */
    int isdata = lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "data") == 0;
    lua_pushvalue(L, -2);
    lua_rawget(L, c);  /* stack: ... key v cv */
    ok = isdata || fuzz_same(L, -2, -1, 0);
    lua_pop(L, 2);
  }
  if (!ok) lua_pop(L, 1);
  lua_settop(L, c);
  return ok;
}

/* Columnar decode of s[0,n) against the row decode; 0 on a memory error */
static int check_columnar (const char *s, size_t n) {
  fuzz_heap h;
  lua_State *L = fuzz_state(&h);
  int ok = 1;
  if (L == NULL) return 0;
  lua_pushcfunction(L, fuzz_decode);
  lua_pushlstring(L, s, n);
  if (lua_pcall(L, 1, 3, 0) != LUA_OK) { ok = 0; goto done; }  /* stack: v|nil off msg */
  lua_pushcfunction(L, fuzz_cdecode);
  lua_pushlstring(L, s, n);
  if (lua_pcall(L, 1, 3, 0) != LUA_OK) { ok = 0; goto done; }  /* stack: v off msg cv done cmsg */
  if (lua_isnil(L, 1)) {
    FUZZ_ASSERT(lua_isnil(L, 4), "columnar decode of bad input succeeded");
    FUZZ_ASSERT(lua_tointeger(L, 2) == lua_tointeger(L, 5) &&
                strcmp(lua_tostring(L, 3), lua_tostring(L, 6)) == 0,
                "columnar decode fails otherwise: %s / %s", lua_tostring(L, 3), lua_tostring(L, 6));
  }
  else {
    FUZZ_ASSERT(!lua_isnil(L, 4), "columnar decode fails: %s", lua_tostring(L, 6));
    lua_settop(L, 5);  /* stack: v nil nil cv done */
    if (lua_toboolean(L, 5)) {
      lua_settop(L, 4);
      FUZZ_ASSERT(same_as_columns(L, 1, 4), "columnar value differs from the rows");
    }
    else FUZZ_ASSERT(fuzz_same(L, 1, 4, 0), "columnar fallback differs from the row decode");
  }
 done:
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return ok;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  lua_State *L;
  if (size < ((size_t)1 << 20)) {
    char *w = malloc(size + 16);
    memcpy(w, "{\"data\":[", 9);
    memcpy(w + 9, data, size);
    memcpy(w + 9 + size, "]}", 2);
    check_columnar((const char *)data, size);
    check_columnar(w, size + 11);
    if (size < ((size_t)1 << 16)) {   /* about 64 feeds, the first byte varying the cuts */
      size_t step = size / 64 + 1 + (size > 0 ? data[0] % 7 : 0);
      check_stream((const char *)data, size, step);
      check_stream(w, size + 11, step);
    }
    free(w);
  }
  L = fuzz_state(&h);
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
