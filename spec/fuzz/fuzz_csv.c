/*
** fuzz_csv.c
** libFuzzer target: the CSV tokenizer (core.csv_record, core.csv_columns,
** src/bind/csv.c) on arbitrary bytes. Must never crash, leak or hang. The
** header is read with csv_record, the rest with csv_columns: a success is
** ncol arrays of count fields each (a string, or {string} for a quoted
** one); a failure is false, a line and a column at least 1, and a message.
** The first input byte chooses the separator (',' ';' or tab).
*/

#include "fuzz_common.h"
#include "bind.h"

static void check_failure(lua_State *L, int at) {
  FUZZ_ASSERT(lua_isboolean(L, at) && !lua_toboolean(L, at), "a failure that is not false");
  FUZZ_ASSERT(lua_tointeger(L, at + 1) >= 1 && lua_tointeger(L, at + 2) >= 1, "a failure without line/column");
  FUZZ_ASSERT(lua_isstring(L, at + 3) && lua_rawlen(L, at + 3) > 0, "a failure without a message");
}

static int is_field(lua_State *L, int i) {
  if (lua_type(L, i) == LUA_TSTRING) return 1;
  if (lua_type(L, i) != LUA_TTABLE || lua_rawlen(L, i) != 1) return 0;
  lua_rawgeti(L, i, 1);
  i = lua_type(L, -1) == LUA_TSTRING;
  lua_pop(L, 1);
  return i;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  static const char seps[] = ",;\t";
  fuzz_heap h;
  lua_State *L;
  char sep[2] = ",";
  int t;
  if (size > 0) {
    sep[0] = seps[data[0] % 3];
    data++;
    size--;
  }
  L = fuzz_state(&h);
  if (L == NULL) return 0;
  mast_error_init(L);
  lua_newtable(L);
  mast_csv_register(L);
  t = lua_gettop(L);
  lua_getfield(L, t, "csv_record");
  lua_pushlstring(L, (const char *)data, size);
  lua_pushstring(L, sep);
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 1);
  if (lua_pcall(L, 4, LUA_MULTRET, 0) == LUA_OK && !lua_isnil(L, t + 1)) {
    if (lua_istable(L, t + 1)) {
      lua_Integer ncol = (lua_Integer)lua_rawlen(L, t + 1), pos = lua_tointeger(L, t + 2), j;
      int r;
      FUZZ_ASSERT(ncol >= 1, "a header without fields");
      FUZZ_ASSERT(pos >= 1 && (size_t)pos <= size + 1, "a position outside the text");
      lua_settop(L, t + 3);
      lua_getfield(L, t, "csv_columns");
      lua_pushlstring(L, (const char *)data, size);
      lua_pushstring(L, sep);
      lua_pushvalue(L, t + 2);
      lua_pushvalue(L, t + 3);
      lua_pushinteger(L, ncol);
      r = lua_gettop(L) - 5;
      if (lua_pcall(L, 5, LUA_MULTRET, 0) == LUA_OK) {
        if (lua_istable(L, r)) {
          lua_Integer count = lua_tointeger(L, r + 1), i;
          FUZZ_ASSERT((lua_Integer)lua_rawlen(L, r) == ncol, "not ncol columns");
          for (j = 1; j <= ncol; j++) {
            lua_rawgeti(L, r, j);
            FUZZ_ASSERT((lua_Integer)lua_rawlen(L, -1) >= count, "column %d is short", (int)j);
            for (i = 1; i <= count; i++) {
              lua_rawgeti(L, -1, i);
              FUZZ_ASSERT(is_field(L, -1), "row %d, column %d is no field", (int)i, (int)j);
              lua_pop(L, 1);
            }
            lua_pop(L, 1);
          }
        } else {
          check_failure(L, r);
        }
      }
    } else {
      check_failure(L, t + 1);
    }
  }
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
