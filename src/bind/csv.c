/*
** csv.c -- the CSV tokenizer under mast.read_csv (lua/mast/csv.lua), in C.
**
**   core.csv_record(text, sep, pos, line)
**     -> fields, next_pos, next_line      one record (the header, json2csv's type row)
**     -> nil                              at the end of the text
**   core.csv_columns(text, sep, pos, line, ncol)
**     -> cols, count, line_at             every record from pos on, as ncol arrays
**   either -> false, line, column, message   a malformed record
**
** RFC 4180: fields separated by sep, records by LF or CRLF; a field that
** starts with a double quote runs to the next lone double quote ("" is one
** quote) and may hold separators and line breaks; a closing quote must end
** the field. A quoted field is returned boxed, {text}, so that the Lua side
** can tell "" (an empty string) from an empty field (a null) and a quoted
** "42" (a string) from a bare 42. A quote inside a bare field is kept as it
** is. In csv_columns, a blank line is skipped when ncol > 1 (in a one-column
** CSV it is an empty field), and line_at[i] is row i's first line where it
** is not the line after row i - 1's first (after a record that held line
** breaks, or a blank line), for messages. Types are the Lua side's.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"

#define SCRATCH_MT "mast.CSVScratch"

typedef struct scratch {
  char *p;
  size_t cap;
} scratch;

static int scratch_gc(lua_State *L) {
  scratch *b = luaL_checkudata(L, 1, SCRATCH_MT);
  free(b->p);
  b->p = NULL;
  return 0;
}

typedef struct csv {
  lua_State *L;
  const char *s;
  size_t len, pos;     /* pos: 0-based */
  long line;
  char sep;
  scratch *tmp;        /* a quoted field without its doubled quotes */
  long err_line, err_col;
  const char *err;
  char msg[80];
} csv;

/* Pushes the field at c->pos and moves past it. Returns 1 when a record
** continues after it (a separator), 0 when the record ends (a line end or
** the end of the text), -1 on an error. *quoted: it was quoted. */
static int field(csv *c, int col, int *quoted) {
  lua_State *L = c->L;
  const char *s = c->s;
  size_t p = c->pos, len = c->len;
  *quoted = 0;
  if (p < len && s[p] == '"') {
    size_t q = p + 1, out = 0, open_line = (size_t)c->line;
    const char *z;
    *quoted = 1;
    for (;;) {
      size_t run;
      z = memchr(s + q, '"', len - q);
      if (z == NULL) {
        c->err_line = (long)open_line;
        c->err_col = col;
        c->err = "a quoted field is never closed";
        return -1;
      }
      run = (size_t)(z - (s + q));
      if (out + run + 1 > c->tmp->cap) {
        size_t cap = c->tmp->cap ? c->tmp->cap : 256;
        char *np;
        while (cap < out + run + 1) cap *= 2;
        np = realloc(c->tmp->p, cap);
        if (np == NULL) luaL_error(L, "out of memory reading a CSV");
        c->tmp->p = np;
        c->tmp->cap = cap;
      }
      memcpy(c->tmp->p + out, s + q, run);
      out += run;
      q = (size_t)(z - s) + 1;
      if (q < len && s[q] == '"') {   /* a doubled quote: one quote of the text */
        c->tmp->p[out++] = '"';
        q++;
        continue;
      }
      break;
    }
    {
      size_t k;
      for (k = 0; k < out; k++)
        if (c->tmp->p[k] == '\n') c->line++;
    }
    lua_createtable(L, 1, 0);
    lua_pushlstring(L, c->tmp->p, out);
    lua_rawseti(L, -2, 1);
    p = q;
    if (p >= len) {
      c->pos = p;
      return 0;
    }
    if (s[p] == c->sep) {
      c->pos = p + 1;
      return 1;
    }
    if (s[p] == '\n' || (s[p] == '\r' && p + 1 < len && s[p + 1] == '\n')) {
      c->pos = p + (s[p] == '\r' ? 2 : 1);
      c->line++;
      return 0;
    }
    lua_pop(L, 1);
    c->err_line = c->line;
    c->err_col = col;
    if (s[p] > ' ' && s[p] < 127)
      snprintf(c->msg, sizeof c->msg, "a closing quote must end the field, but \"%c\" follows it", s[p]);
    else
      snprintf(c->msg, sizeof c->msg, "a closing quote must end the field, but byte %d follows it",
               (unsigned char)s[p]);
    c->err = c->msg;
    c->pos = p;
    return -1;
  }
  {  /* a bare field: up to the separator or the line end */
    size_t e = p;
    int more;
    while (e < len && s[e] != c->sep && s[e] != '\n') e++;
    more = e < len && s[e] == c->sep;
    c->pos = e < len ? e + 1 : len;
    if (e < len && s[e] == '\n') c->line++;
    if (!more && e > p && s[e - 1] == '\r' && e < len) e--;   /* CRLF */
    else if (!more && e == len && e > p && s[e - 1] == '\r') e--;   /* a last CR */
    lua_pushlstring(L, s + p, e - p);
    return more;
  }
}

static void setup(lua_State *L, csv *c) {
  size_t seplen;
  const char *sep;
  c->L = L;
  c->s = luaL_checklstring(L, 1, &c->len);
  sep = luaL_checklstring(L, 2, &seplen);
  luaL_argcheck(L, seplen == 1, 2, "one character");
  c->sep = sep[0];
  c->pos = (size_t)luaL_checkinteger(L, 3) - 1;
  luaL_argcheck(L, c->pos <= c->len, 3, "a position in the text");
  c->line = (long)luaL_checkinteger(L, 4);
  c->err = NULL;
  c->tmp = lua_newuserdatauv(L, sizeof *c->tmp, 0);
  memset(c->tmp, 0, sizeof *c->tmp);
  luaL_setmetatable(L, SCRATCH_MT);
}

static int fail(csv *c) {
  lua_pushboolean(c->L, 0);
  lua_pushinteger(c->L, c->err_line);
  lua_pushinteger(c->L, c->err_col);
  lua_pushstring(c->L, c->err);
  return 4;
}

static int l_csv_record(lua_State *L) {
  csv c;
  int n = 0, more, quoted;
  lua_settop(L, 4);
  setup(L, &c);
  if (c.pos >= c.len) {
    lua_pushnil(L);
    return 1;
  }
  lua_newtable(L);
  do {
    more = field(&c, n + 1, &quoted);
    if (more < 0) return fail(&c);
    lua_rawseti(L, -2, ++n);
  } while (more);
  lua_pushinteger(L, (lua_Integer)c.pos + 1);
  lua_pushinteger(L, c.line);
  return 3;
}

static int l_csv_columns(lua_State *L) {
  csv c;
  lua_Integer ncol = luaL_checkinteger(L, 5), j, count = 0;
  int cols, line_at, base;
  long expected;
  lua_settop(L, 5);
  luaL_argcheck(L, ncol >= 1 && ncol < 100000, 5, "a number of columns");
  setup(L, &c);
  if (!lua_checkstack(L, (int)ncol + 20)) return luaL_error(L, "too many columns");
  lua_createtable(L, (int)ncol, 0);
  cols = lua_gettop(L);
  lua_newtable(L);
  line_at = lua_gettop(L);
  base = lua_gettop(L);   /* column j's array at base + j */
  for (j = 1; j <= ncol; j++) {
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawseti(L, cols, j);
  }
  expected = c.line;   /* the line the next row starts on if each row is one line */
  while (c.pos < c.len) {
    long first = c.line;
    lua_Integer k = 0;
    int more, quoted = 0, blank;
    do {
      more = field(&c, (int)k + 1, &quoted);
      if (more < 0) return fail(&c);
      k++;
      if (k > ncol) {
        lua_pop(L, 1);
        c.err_line = first;
        c.err_col = (long)ncol + 1;
        while (more > 0) {   /* count the record's fields, for the message */
          more = field(&c, (int)k + 1, &quoted);
          if (more < 0) return fail(&c);
          lua_pop(L, 1);
          k++;
        }
        lua_pushboolean(L, 0);
        lua_pushinteger(L, first);
        lua_pushinteger(L, c.err_col);
        lua_pushfstring(L, "this row has %d fields, the header has %d", (int)k, (int)ncol);
        return 4;
      }
      lua_rawseti(L, base + (int)k, count + 1);
    } while (more);
    blank = 0;
    if (k == 1 && !quoted) {
      blank = lua_rawgeti(L, base + 1, count + 1) == LUA_TSTRING && lua_rawlen(L, -1) == 0;
      lua_pop(L, 1);
    }
    if (k != ncol) {
      if (blank) continue;   /* a blank line */
      lua_pushboolean(L, 0);
      lua_pushinteger(L, first);
      lua_pushinteger(L, (lua_Integer)k + 1);
      lua_pushfstring(L, "this row has %d field%s, the header has %d", (int)k, k == 1 ? "" : "s", (int)ncol);
      return 4;
    }
    count++;
    if (first != expected) {
      lua_pushinteger(L, first);
      lua_rawseti(L, line_at, count);
    }
    expected = first + 1;   /* what line_of assumes: one line per row */
  }
  lua_pushvalue(L, cols);
  lua_pushinteger(L, count);
  lua_pushvalue(L, line_at);
  return 3;
}

void mast_csv_register(lua_State *L) {
  if (luaL_newmetatable(L, SCRATCH_MT)) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_csv_record);
  lua_setfield(L, -2, "csv_record");
  lua_pushcfunction(L, l_csv_columns);
  lua_setfield(L, -2, "csv_columns");
}
