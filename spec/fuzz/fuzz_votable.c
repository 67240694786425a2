/*
** fuzz_votable.c
** libFuzzer target: core.votable_decode on arbitrary bytes. Must never crash,
** leak or hang; a failure must be a mast error (json, or memory under the
** capped heap) whose message names a line and column; a success must be a
** dataset whose every row has a value (or null) for every field. And the
** differential check of the rows' scanner: the default path and expat alone
** (votable_decode(text, nil, "expat")) give the same dataset or the same error.
*/

#include "fuzz_common.h"
#include "bind.h"

/* The error's code and message (both strings), or NULL when it is not a mast error. */
static const char *err_code (lua_State *L, int e, const char **msg) {
  const char *code;
  e = lua_absindex(L, e);
  lua_getfield(L, e, "code");
  lua_getfield(L, e, "message");
  code = lua_tostring(L, -2);
  *msg = lua_tostring(L, -1);
  lua_pop(L, 2);   /* the error table holds both strings */
  return *msg != NULL ? code : NULL;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  int ok, ok2;
  lua_State *L = fuzz_state(&h);
  if (L == NULL) return 0;
  mast_error_init(L);
  lua_newtable(L);
  mast_votable_register(L);
  lua_getfield(L, -1, "votable_decode");
  lua_pushvalue(L, -1);
  lua_pushlstring(L, (const char *)data, size);
  ok = lua_pcall(L, 1, 1, 0) == LUA_OK;   /* stack: t f r */
  lua_insert(L, -2);                     /* stack: t r f */
  lua_pushlstring(L, (const char *)data, size);
  lua_pushnil(L);
  lua_pushliteral(L, "expat");
  ok2 = lua_pcall(L, 3, 1, 0) == LUA_OK;  /* stack: t r r2 */
  if (ok) {
    lua_Integer i, n, j, nf;
    FUZZ_ASSERT(lua_istable(L, -2), "a result that is not a table");
    FUZZ_ASSERT(lua_getfield(L, -2, "fields") == LUA_TTABLE, "no fields");
    FUZZ_ASSERT(lua_getfield(L, -3, "data") == LUA_TTABLE, "no data");
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
    lua_pop(L, 2);
  } else {
    const char *msg, *code = err_code(L, -2, &msg);
    FUZZ_ASSERT(code != NULL, "an error without code or message");
    FUZZ_ASSERT(strcmp(code, "memory") == 0 || strcmp(code, "usage") == 0 ||
                (strcmp(code, "json") == 0 && strstr(msg, "VOTable") != NULL), "%s: %s", code, msg);
  }
  /* the differential check; a memory error under the capped heap may strike one path only */
  if (ok && ok2) FUZZ_ASSERT(fuzz_same(L, -2, -1, 0), "the scanner's dataset differs from expat's");
  else {
    const char *m1 = NULL, *m2 = NULL, *c1 = ok ? NULL : err_code(L, -2, &m1),
               *c2 = ok2 ? NULL : err_code(L, -1, &m2);
    int mem = (c1 != NULL && strcmp(c1, "memory") == 0) || (c2 != NULL && strcmp(c2, "memory") == 0);
    FUZZ_ASSERT(mem || (c1 != NULL && c2 != NULL && strcmp(c1, c2) == 0 && strcmp(m1, m2) == 0),
                "the scanner's error differs from expat's: %s / %s", ok ? "(none)" : m1,
                ok2 ? "(none)" : m2);
  }
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
