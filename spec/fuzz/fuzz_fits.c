/*
** fuzz_fits.c
** libFuzzer target: the FITS reader (src/bind/fits.c) on arbitrary bytes.
** cfitsio opens the input as a memory file (fits_open_memfile) and the reader
** walks every HDU: its description, its header, and its table (every column,
** every row) or its image (and one frame of each vector column). Must never
** crash, leak or hang; each failure must be a mast error of code io (naming
** the HDU when there is one), usage (e.g. "holds no image") or memory (the
** capped heap).
*/

#include "fuzz_common.h"
#include "bind.h"

/* cfitsio callocs what a header claims (TFIELDS columns, ...) and reports a
** NULL as its memory error: let a huge request fail as it does without ASan,
** instead of ASan aborting on it (this target's binaries only). */
const char *__asan_default_options (void);
__attribute__((visibility("default"))) const char *__asan_default_options (void) {
  return "allocator_may_return_null=1";
}

/* Checks the error at the top: a mast error of an allowed code. */
static void check_error (lua_State *L, const char *what) {
  const char *code, *msg;
  if (!lua_istable(L, -1)) {   /* Lua's own memory error (the capped heap) is a string */
    FUZZ_ASSERT(lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "not enough memory") == 0,
                "%s: an error that is not a mast error: %s", what, luaL_typename(L, -1));
    lua_pop(L, 1);
    return;
  }
  lua_getfield(L, -1, "code");
  lua_getfield(L, -2, "message");
  code = lua_tostring(L, -2);
  msg = lua_tostring(L, -1);
  FUZZ_ASSERT(code != NULL && msg != NULL, "%s: an error without code or message", what);
  FUZZ_ASSERT(strcmp(code, "io") == 0 || strcmp(code, "usage") == 0 || strcmp(code, "memory") == 0,
              "%s: %s: %s", what, code, msg);
  lua_pop(L, 3);
}

/* Calls method m of the file at index f with the HDU h (and extra args on the stack). */
static int call (lua_State *L, int f, const char *m, int h, int nextra) {
  int ok;
  lua_getfield(L, f, m);
  lua_pushvalue(L, f);
  lua_pushinteger(L, h);
  lua_rotate(L, -(nextra + 3), 3);   /* method, file, h, extras... */
  ok = lua_pcall(L, 2 + nextra, 1, 0) == LUA_OK;
  if (!ok) check_error(L, m);
  return ok;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  int f, n, i;
  lua_State *L = fuzz_state(&h);
  if (L == NULL) return 0;
  mast_error_init(L);
  lua_newtable(L);
  mast_fits_register(L);
  lua_getfield(L, -1, "fits_open_memory");
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    check_error(L, "open");
    goto done;
  }
  f = lua_gettop(L);
  lua_getfield(L, f, "nhdus");
  lua_pushvalue(L, f);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    check_error(L, "nhdus");
    goto done;
  }
  n = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  for (i = 1; i <= n && i <= 64; i++) {
    const char *type;
    int is_image;
    if (!call(L, f, "hdu", i, 0)) continue;
    lua_getfield(L, -1, "type");
    type = lua_tostring(L, -1);
    FUZZ_ASSERT(type != NULL, "an HDU without type");
    is_image = strcmp(type, "image") == 0;
    lua_pop(L, 2);
    if (call(L, f, "header", i, 0)) lua_pop(L, 1);
    if (is_image) {
      if (call(L, f, "image", i, 0)) {
        lua_Integer w, hh;
        lua_getfield(L, -1, "width");
        lua_getfield(L, -2, "height");
        lua_getfield(L, -3, "data");
        w = lua_tointeger(L, -3);
        hh = lua_tointeger(L, -2);
        FUZZ_ASSERT((lua_Integer)lua_rawlen(L, -1) == w * hh, "an image of %d x %d with %d pixels",
                    (int)w, (int)hh, (int)lua_rawlen(L, -1));
        lua_pop(L, 4);
      }
    } else if (call(L, f, "table", i, 0)) {
      lua_Integer rows, c, nc;
      lua_getfield(L, -1, "n");
      rows = lua_tointeger(L, -1);
      lua_getfield(L, -2, "columns");
      lua_getfield(L, -3, "data");
      lua_getfield(L, -4, "shapes");
      nc = (lua_Integer)lua_rawlen(L, -3);
      for (c = 1; c <= nc; c++) {
        lua_rawgeti(L, -3, c);
        lua_pushvalue(L, -1);
        FUZZ_ASSERT(lua_gettable(L, -4) == LUA_TTABLE, "column %d without data", (int)c);
        FUZZ_ASSERT((lua_Integer)lua_rawlen(L, -1) == rows, "column %d: %d values for %d rows", (int)c,
                    (int)lua_rawlen(L, -1), (int)rows);
        lua_pop(L, 1);
        if (lua_getfield(L, -2, lua_tostring(L, -1)) == LUA_TTABLE && rows > 0) {   /* a vector: a frame */
          lua_pop(L, 1);
          lua_pushinteger(L, 1);
          lua_pushvalue(L, -2);
          if (call(L, f, "cell", i, 2)) lua_pop(L, 1);
        } else {
          lua_pop(L, 1);
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 5);
    }
  }
  lua_getfield(L, f, "close");
  lua_pushvalue(L, f);
  lua_call(L, 1, 0);
done:
  lua_close(L);
  FUZZ_ASSERT(h.used == 0, "Lua heap not empty after lua_close");
  return 0;
}
