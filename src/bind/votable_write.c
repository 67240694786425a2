/*
** votable_write.c -- core.votable_rows: the TABLEDATA rows of a VOTable, in C.
**
**   core.votable_rows(rows, names, kinds, first, last)
**     -> text                         the <TR>...</TR> lines of rows[first..last]
**     -> nil, row, column, expected   a value that does not fit its column
**
** kinds[j] is the column's VOTable datatype as lua/mast/formats.lua chose it:
** "long", "double", "boolean", "char", or "list" (numbers, space-separated).
** The FIELDs and the document around the rows are written in Lua; this is
** the part that runs once per cell. Nulls (mast.null, or no value) are empty
** cells. Text is checked (UTF-8, no character XML 1.0 forbids) and escaped.
** Numbers: integers exactly, doubles in the shortest form that reads back
** the same, NaN, +Inf, -Inf. The text grows in a buffer owned by a userdata,
** so a memory error raised on the way frees it.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "json.h"
#include "../core/jsonnum.h"

#define OUT_MT "mast.VOTableRows"

typedef struct wbuf {
  char *p;
  size_t n, cap;
} wbuf;

static int wbuf_gc(lua_State *L) {
  wbuf *b = luaL_checkudata(L, 1, OUT_MT);
  free(b->p);
  b->p = NULL;
  return 0;
}

static void put(lua_State *L, wbuf *b, const char *s, size_t n) {
  if (b->cap - b->n < n) {
    size_t cap = b->cap ? b->cap : 65536;
    char *p;
    while (cap - b->n < n) cap *= 2;
    p = realloc(b->p, cap);
    if (p == NULL) luaL_error(L, "out of memory writing a VOTable");
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

#define PUTS(L, b, lit) put(L, b, lit, sizeof lit - 1)

/* Text as XML character data; 0 and *why if it cannot be. */
static int put_text(lua_State *L, wbuf *b, const char *s, size_t n, const char **why) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
  while (p < end) {
    unsigned c = *p;
    const char *esc = NULL;
    if (c >= 0x80) {
      int k = jsonnum_utf8_len(p, end);
      if (k == 0) {
        *why = "the text is not UTF-8";
        return 0;
      }
      p += k;
      continue;
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      *why = "the text holds a control character, which XML cannot carry";
      return 0;
    }
    switch (c) {
      case '<': esc = "&lt;"; break;
      case '>': esc = "&gt;"; break;
      case '&': esc = "&amp;"; break;
      case '"': esc = "&quot;"; break;
      case '\r': esc = "&#13;"; break;   /* a bare CR would be read as LF */
      default: break;
    }
    if (esc != NULL) {
      put(L, b, (const char *)run, (size_t)(p - run));
      put(L, b, esc, strlen(esc));
      run = p + 1;
    }
    p++;
  }
  put(L, b, (const char *)run, (size_t)(end - run));
  return 1;
}

/* A number: integers exactly, floats as the JSON codec writes them, the specials as VOTable does. */
static void put_number(lua_State *L, wbuf *b, int idx) {
  char num[64];
  size_t n;
  if (lua_isinteger(L, idx)) {
    n = (size_t)snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, idx));
  } else {
    double x = lua_tonumber(L, idx);
    if (isnan(x)) n = (size_t)snprintf(num, sizeof num, "NaN");
    else if (isinf(x)) n = (size_t)snprintf(num, sizeof num, x > 0 ? "+Inf" : "-Inf");
    else n = mastI_json_format_double(num, x);
  }
  put(L, b, num, n);
}

enum { W_LONG, W_DOUBLE, W_BOOL, W_CHAR, W_LIST };

/* The cell of the value at the top; NULL, or what the column expected. */
static const char *put_cell(lua_State *L, wbuf *b, int kind, const char **why) {
  int t = lua_type(L, -1);
  switch (kind) {
    case W_LONG:
      if (lua_isinteger(L, -1)) {
        put_number(L, b, -1);
      } else {
        int ok = 0;
        lua_Integer i = t == LUA_TNUMBER ? lua_tointegerx(L, -1, &ok) : 0;
        char num[32];
        if (!ok) return "an integer";
        put(L, b, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)i));
      }
      return NULL;
    case W_DOUBLE:
      if (t != LUA_TNUMBER) return "a number";
      put_number(L, b, -1);
      return NULL;
    case W_BOOL:
      if (t != LUA_TBOOLEAN) return "true or false";
      put(L, b, lua_toboolean(L, -1) ? "T" : "F", 1);
      return NULL;
    case W_LIST: {
      lua_Integer k, n;
      if (t != LUA_TTABLE) return "a list of numbers";
      n = (lua_Integer)lua_rawlen(L, -1);
      for (k = 1; k <= n; k++) {
        if (lua_rawgeti(L, -1, k) != LUA_TNUMBER) {
          lua_pop(L, 1);
          return "a list of numbers";
        }
        if (k > 1) put(L, b, " ", 1);
        put_number(L, b, -1);
        lua_pop(L, 1);
      }
      return NULL;
    }
    default: {   /* char: text, or a number's or a boolean's text, or a table's JSON */
      size_t len;
      const char *s;
      if (t == LUA_TNUMBER) {
        put_number(L, b, -1);
        return NULL;
      }
      if (t == LUA_TBOOLEAN) {
        if (lua_toboolean(L, -1)) PUTS(L, b, "true");
        else PUTS(L, b, "false");
        return NULL;
      }
      if (t == LUA_TSTRING) {
        s = lua_tolstring(L, -1, &len);
        return put_text(L, b, s, len, why) ? NULL : "";
      } else {
        mast_json_error e;
        int ok;
        if (!mast_json_encode(L, lua_gettop(L), "value", &e)) {
          *why = lua_pushfstring(L, "a %s cannot be written", luaL_typename(L, -1));
          return "";
        }
        s = lua_tolstring(L, -1, &len);
        ok = put_text(L, b, s, len, why);
        lua_pop(L, 1);
        return ok ? NULL : "";
      }
    }
  }
}

static int l_votable_rows(lua_State *L) {
  static const char *const kinds[] = {"long", "double", "boolean", "char", "list", NULL};
  lua_Integer first = luaL_checkinteger(L, 4), last = luaL_checkinteger(L, 5), r;
  int ncol, j, names;
  unsigned char *codes;
  wbuf *b;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 5);
  ncol = (int)lua_rawlen(L, 2);
  if (!lua_checkstack(L, ncol + 20)) return luaL_error(L, "too many columns");
  b = lua_newuserdatauv(L, sizeof *b, 0);   /* 6 */
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, OUT_MT);
  codes = lua_newuserdatauv(L, (size_t)ncol + 1, 0);   /* 7: each column's kind */
  names = lua_gettop(L) + 1;
  for (j = 0; j < ncol; j++) {
    lua_rawgeti(L, 3, j + 1);
    codes[j] = (unsigned char)luaL_checkoption(L, -1, NULL, kinds);
    lua_pop(L, 1);
    lua_rawgeti(L, 2, j + 1);   /* the name, at names + j */
  }
  for (r = first; r <= last; r++) {
    if (lua_rawgeti(L, 1, r) != LUA_TTABLE) return luaL_error(L, "data[%d] must be a row table", (int)r);
    PUTS(L, b, "<TR>");
    for (j = 0; j < ncol; j++) {
      PUTS(L, b, "<TD>");
      lua_pushvalue(L, names + j);
      lua_rawget(L, -2);
      if (!(lua_isnil(L, -1) || (lua_islightuserdata(L, -1) && lua_touserdata(L, -1) == NULL))) {
        const char *why = NULL;
        const char *want = put_cell(L, b, codes[j], &why);
        if (want != NULL) {
          lua_pushnil(L);
          lua_pushinteger(L, r);
          lua_pushinteger(L, j + 1);
          lua_pushstring(L, *want ? want : why);
          lua_pushboolean(L, *want != '\0');   /* true: the value is not of the column's type */
          return 5;
        }
      }
      lua_pop(L, 1);
      PUTS(L, b, "</TD>");
    }
    PUTS(L, b, "</TR>\n");
    lua_pop(L, 1);
  }
  lua_pushlstring(L, b->p ? b->p : "", b->n);
  free(b->p);
  b->p = NULL;
  return 1;
}

void mast_votable_write_register(lua_State *L) {
  if (luaL_newmetatable(L, OUT_MT)) {
    lua_pushcfunction(L, wbuf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_votable_rows);
  lua_setfield(L, -2, "votable_rows");
}
