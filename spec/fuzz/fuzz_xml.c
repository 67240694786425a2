/*
** fuzz_xml.c
** libFuzzer target: core.xml_decode on arbitrary bytes (UWS jobs, VOSI
** tables and capabilities come from the network). Must never crash, leak or
** hang; a failure must be a mast error (json, naming a line and column, or
** memory under the capped heap); a success must be a tree of elements, each
** with a name, an attr table and a text.
*/

#include "fuzz_common.h"
#include "bind.h"

static void check_element(lua_State *L, int depth) {
  lua_Integer i, n;
  FUZZ_ASSERT(depth <= 64, "nesting beyond the limit");
  FUZZ_ASSERT(lua_istable(L, -1), "an element that is not a table");
  FUZZ_ASSERT(lua_getfield(L, -1, "name") == LUA_TSTRING, "an element without a name");
  FUZZ_ASSERT(lua_getfield(L, -2, "attr") == LUA_TTABLE, "an element without attr");
  FUZZ_ASSERT(lua_getfield(L, -3, "text") == LUA_TSTRING, "an element without text");
  lua_pop(L, 3);
  n = (lua_Integer)lua_rawlen(L, -1);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    check_element(L, depth + 1);
    lua_pop(L, 1);
  }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  lua_State *L = fuzz_state(&h);
  if (L == NULL) return 0;
  mast_error_init(L);
  lua_newtable(L);
  mast_xml_register(L);
  lua_getfield(L, -1, "xml_decode");
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
    check_element(L, 1);
  } else if (lua_istable(L, -1)) {
    const char *code, *msg;
    lua_getfield(L, -1, "code");
    lua_getfield(L, -2, "message");
    code = lua_tostring(L, -2);
    msg = lua_tostring(L, -1);
    FUZZ_ASSERT(code != NULL && msg != NULL, "an error without code or message");
    FUZZ_ASSERT(strcmp(code, "memory") == 0 || strcmp(code, "usage") == 0 ||
                (strcmp(code, "json") == 0 && strstr(msg, "line ") != NULL), "%s: %s", code, msg);
  }
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
