/*
** fuzz_common.h
** Shared helpers for the libFuzzer targets of src/bind/json.c: a Lua state per
** input with a capped allocator (allocation failures become Lua memory
** errors, which are allowed), and protected calls of the codec.
*/

#ifndef MAST_FUZZ_COMMON_H
#define MAST_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "json.h"

#define FUZZ_HEAP_LIMIT ((size_t)256 << 20)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct fuzz_heap { size_t used; } fuzz_heap;

static inline void *fuzz_alloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  fuzz_heap *h = (fuzz_heap *)ud;
  if (ptr == NULL) osize = 0;
  if (nsize == 0) {
    free(ptr);
    h->used -= osize;
    return NULL;
  }
  if (nsize > osize && h->used + (nsize - osize) > FUZZ_HEAP_LIMIT) return NULL;
  ptr = realloc(ptr, nsize);
  if (ptr != NULL) h->used = h->used - osize + nsize;
  return ptr;
}

#define FUZZ_ASSERT(c, ...) do { if (!(c)) { \
    fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #c); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* lua_CFunction: decode(s) -> value | nil, err.offset, err.msg */
static inline int fuzz_decode (lua_State *L) {
  mast_json_error err;
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  int top = lua_gettop(L);
  if (mast_json_decode(L, s, len, &err)) {
    FUZZ_ASSERT(lua_gettop(L) == top + 1, "decode pushed %d values", lua_gettop(L) - top);
    return 1;
  }
  FUZZ_ASSERT(lua_gettop(L) == top, "failed decode changed the stack");
  FUZZ_ASSERT(err.offset <= len, "offset %zu > length %zu", err.offset, len);
  FUZZ_ASSERT(memchr(err.msg, '\0', sizeof err.msg) != NULL && err.msg[0] != '\0', "bad msg");
  FUZZ_ASSERT(strncmp(err.msg, "JSON decode error at byte offset ", 33) == 0, "%s", err.msg);
  lua_pushnil(L);
  lua_pushinteger(L, (lua_Integer)err.offset);
  lua_pushstring(L, err.msg);
  return 3;
}

/* lua_CFunction: encode(v) -> string | nil, err.msg */
static inline int fuzz_encode (lua_State *L) {
  mast_json_error err;
  int top = lua_gettop(L);
  if (mast_json_encode(L, 1, "value", &err)) {
    FUZZ_ASSERT(lua_gettop(L) == top + 1 && lua_type(L, -1) == LUA_TSTRING, "encode result");
    return 1;
  }
  FUZZ_ASSERT(lua_gettop(L) == top, "failed encode changed the stack");
  FUZZ_ASSERT(memchr(err.msg, '\0', sizeof err.msg) != NULL && err.msg[0] != '\0', "bad msg");
  lua_pushnil(L);
  lua_pushstring(L, err.msg);
  return 2;
}

/* Deep equality of the values at a and b (floats bitwise, same metatables) */
static inline int fuzz_same (lua_State *L, int a, int b, int depth) {
  int t = lua_type(L, a), ok = 1;
  a = lua_absindex(L, a);
  b = lua_absindex(L, b);
  if (t != lua_type(L, b) || depth > 1100) return 0;
  if (t == LUA_TNUMBER) {
    double x, y;
    if (lua_isinteger(L, a) != lua_isinteger(L, b)) return 0;
    if (lua_isinteger(L, a)) return lua_tointeger(L, a) == lua_tointeger(L, b);
    x = lua_tonumber(L, a);
    y = lua_tonumber(L, b);
    return memcmp(&x, &y, sizeof x) == 0;
  }
  if (t != LUA_TTABLE) return lua_rawequal(L, a, b);
  if (!lua_checkstack(L, 6)) return 0;
  if (lua_getmetatable(L, a)) {  /* stack: mta */
    if (!lua_getmetatable(L, b)) { lua_pop(L, 1); return 0; }
    ok = lua_rawequal(L, -1, -2);  /* stack: mta mtb */
    lua_pop(L, 2);
  }
  else if (lua_getmetatable(L, b)) { lua_pop(L, 1); return 0; }
  if (!ok || lua_rawlen(L, a) != lua_rawlen(L, b)) return 0;
  lua_pushnil(L);
  while (ok && lua_next(L, a)) {  /* stack: k va */
    lua_pushvalue(L, -2);
    lua_rawget(L, b);  /* stack: k va vb */
    ok = !lua_isnil(L, -1) && fuzz_same(L, -2, -1, depth + 1);
    lua_pop(L, 2);  /* stack: k */
  }
  if (!ok) { lua_pop(L, 1); return 0; }
  lua_pushnil(L);
  while (lua_next(L, b)) {  /* stack: k vb: every key of b is in a */
    lua_pushvalue(L, -2);
    ok = (lua_rawget(L, a) != LUA_TNIL);  /* stack: k vb va */
    lua_pop(L, 2);
    if (!ok) { lua_pop(L, 1); return 0; }
  }
  return 1;
}

static inline lua_State *fuzz_state (fuzz_heap *h) {
  lua_State *L;
  h->used = 0;
  L = lua_newstate(fuzz_alloc, h);
  if (L != NULL) mast_json_init(L);
  return L;
}

#endif
