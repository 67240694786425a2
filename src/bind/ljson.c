/*
** ljson.c -- the Lua face of the exact JSON codec (json.c).
*/
#include <string.h>

#include "bind.h"
#include "json.h"

/* Where needle (lower case) starts in s[0, n), ignoring case; NULL if not. */
static const char *find_nocase(const char *s, size_t n, const char *needle) {
  size_t i, j, m = strlen(needle);
  for (i = 0; i + m <= n; i++) {
    for (j = 0; j < m; j++) {
      char c = s[i + j];
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      if (c != needle[j]) break;
    }
    if (j == m) return s + i;
  }
  return NULL;
}

/* Pushes the page's title (spaces collapsed, at most 200 bytes) if text is an
** HTML page; returns whether it is one. */
static int push_html_title(lua_State *L, const char *s, size_t len) {
  size_t i = 0, n = len < 65536 ? len : 65536;
  const char *t, *end;
  luaL_Buffer b;
  int space = 0;
  size_t kept = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
  if (i == n || s[i] != '<' || (find_nocase(s, n, "<html") == NULL && find_nocase(s, n, "<title") == NULL))
    return 0;
  luaL_buffinit(L, &b);
  t = find_nocase(s, n, "<title");
  t = t ? memchr(t, '>', n - (size_t)(t - s)) : NULL;
  end = t ? find_nocase(t, n - (size_t)(t - s), "</title") : NULL;
  if (t != NULL) {
    if (end == NULL) end = s + n;
    for (t++; t < end && kept < 200; t++) {
      unsigned char c = (unsigned char)*t;
      if (c <= ' ' || c == 127) {
        space = kept > 0;
        continue;
      }
      if (space) luaL_addchar(&b, ' ');
      luaL_addchar(&b, (char)c);
      kept += 1 + (size_t)space;
      space = 0;
    }
  }
  luaL_pushresult(&b);
  return 1;
}

void mast_push_json_error(lua_State *L, const char *what, const char *text, size_t len,
                          const mast_json_error *err) {
  if (push_html_title(L, text, len)) {
    const char *title = lua_tostring(L, -1);
    if (*title) lua_pushfstring(L, "%s is an HTML page, not JSON: \"%s\"", what ? what : "the text", title);
    else lua_pushfstring(L, "%s is an HTML page (without a title), not JSON", what ? what : "the text");
    mast_push_error(L, MAST_EJSON, lua_tostring(L, -1));
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "html_title");
    lua_replace(L, -3);
    lua_pop(L, 1);
    return;
  }
  if (what != NULL) lua_pushfstring(L, "%s is not valid JSON: %s", what, err->msg);
  else lua_pushstring(L, err->msg);
  mast_push_error(L, MAST_EJSON, lua_tostring(L, -1));
  lua_pushinteger(L, (lua_Integer)err->offset);
  lua_setfield(L, -2, "offset");
  lua_replace(L, -2);
}

#define STREAM_FLAG 0x100   /* decode_options: options.cuts was given */

/* The flags of core.json_decode's options table at index t */
static int decode_options(lua_State *L, int t) {
  int flags = 0;
  if (!lua_istable(L, t))
    mast_raise(L, MAST_EUSAGE, "json_decode: options must be a table, got %s", luaL_typename(L, t));
  lua_pushnil(L);
  while (lua_next(L, t)) {   /* stack: ... k v */
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (k != NULL && strcmp(k, "cuts") == 0) {
      if (!lua_istable(L, -1))
        mast_raise(L, MAST_EUSAGE, "json_decode: option 'cuts' must be a list of byte counts, got %s",
                   luaL_typename(L, -1));
      flags |= STREAM_FLAG;
      lua_pop(L, 1);
      continue;
    }
    if (k == NULL || strcmp(k, "columnar") != 0)
      mast_raise(L, MAST_EUSAGE, "json_decode: unknown option %s%s%s", k ? "'" : "",
                 k ? k : luaL_typename(L, -2), k ? "'" : " key");
    if (!lua_isboolean(L, -1))
      mast_raise(L, MAST_EUSAGE, "json_decode: option 'columnar' must be a boolean, got %s",
                 luaL_typename(L, -1));
    if (lua_toboolean(L, -1)) flags |= MAST_JSON_COLUMNAR;
    lua_pop(L, 1);
  }
  if ((flags & STREAM_FLAG) && (flags & MAST_JSON_COLUMNAR))
    mast_raise(L, MAST_EUSAGE, "json_decode: options 'cuts' and 'columnar' do not go together");
  return flags;
}

/* The decode of s[0,len) as it is done while an answer arrives
** (mast_json_stream): fed the prefixes of the lengths in the list at index
** cuts, in order, then finished with the whole text. */
static int decode_cut(lua_State *L, const char *s, size_t len, int cuts, mast_json_error *err) {
  mast_json_stream st;
  lua_Integer i, n = (lua_Integer)lua_rawlen(L, cuts), last = 0;
  int arr;
  mast_json_stream_init(&st);
  lua_newtable(L);
  arr = lua_gettop(L);
  for (i = 1; i <= n; i++) {
    lua_Integer c;
    int ok;
    lua_rawgeti(L, cuts, i);
    c = lua_tointegerx(L, -1, &ok);
    lua_pop(L, 1);
    if (!ok || c < last || c > (lua_Integer)len)
      mast_raise(L, MAST_EUSAGE, "json_decode: cuts[%d] must be an integer from %d to %d",
                 (int)i, (int)last, (int)len);
    mast_json_stream_feed(L, &st, arr, s, (size_t)c, 0);
    last = c;
  }
  if (!mast_json_stream_finish(L, &st, arr, s, len, err)) {
    lua_remove(L, arr);
    return 0;
  }
  lua_remove(L, arr);
  return 1;
}

/* core.json_decode(text [, what] [, options]) -> value [, columnar]; raises a
** "json" error that names `what` (e.g. "the response of Mast.Caom.Cone") and
** the offset. options: {columnar = true} decodes a MAST envelope's "data"
** rows as columns (json.h, MAST_JSON_COLUMNAR); the second result is then
** true when it did. {cuts = {n1, n2, ...}} decodes as while an answer
** arrives, fed the first n1, n2, ... bytes before the whole (for specs and
** fuzzing: the value is the same). */
static int l_json_decode(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *what = NULL;
  mast_json_error err;
  int flags = 0, r;
  lua_settop(L, 3);
  if (lua_istable(L, 2)) {   /* (text, options) */
    lua_copy(L, 2, 3);
    lua_pushnil(L);
    lua_replace(L, 2);
  }
  what = luaL_optstring(L, 2, NULL);
  if (!lua_isnil(L, 3)) flags = decode_options(L, 3);
  if (flags & STREAM_FLAG) {
    lua_getfield(L, 3, "cuts");
    r = decode_cut(L, s, len, lua_gettop(L), &err);
    if (r) return 1;
    flags = 0;
  } else {
    r = mast_json_decode_opt(L, s, len, flags, &err);
  }
  if (r && flags == 0) return 1;
  if (r) {
    lua_pushboolean(L, r == 2);
    return 2;
  }
  mast_push_json_error(L, what, s, len, &err);
  return lua_error(L);
}

/* The options table at index t for mast_json_encode_opt (keys, names: in a
** userdata pushed on the stack, the strings anchored by t's list). Raises a
** "usage" error naming what is wrong. */
static void encode_options(lua_State *L, int t, mast_json_encode_options *o) {
  mast_json_name *names;
  lua_Integer i, n;
  memset(o, 0, sizeof *o);
  if (!lua_istable(L, t))
    mast_raise(L, MAST_EUSAGE, "json_encode: options must be a table, got %s", luaL_typename(L, t));
  lua_pushnil(L);
  while (lua_next(L, t)) {   /* stack: ... k v */
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (k == NULL || (strcmp(k, "empty_array_keys") != 0 && strcmp(k, "empty_array_depth") != 0))
      mast_raise(L, MAST_EUSAGE, "json_encode: unknown option %s%s%s", k ? "'" : "",
                 k ? k : luaL_typename(L, -2), k ? "'" : " key");
    lua_pop(L, 1);
  }
  if (lua_getfield(L, t, "empty_array_depth") != LUA_TNIL) {   /* stack: ... depth */
    int isint;
    lua_Integer d = lua_tointegerx(L, -1, &isint);
    if (!isint || d < 1 || d > MAST_JSON_MAX_DEPTH)
      mast_raise(L, MAST_EUSAGE, "json_encode: option 'empty_array_depth' must be an integer "
                 "from 1 to %d", MAST_JSON_MAX_DEPTH);
    o->empty_array_depth = (int)d;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, t, "empty_array_keys") == LUA_TNIL) {   /* stack: ... keys */
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1))
    mast_raise(L, MAST_EUSAGE, "json_encode: option 'empty_array_keys' must be a list of "
               "strings, got %s", luaL_typename(L, -1));
  n = (lua_Integer)lua_rawlen(L, -1);
  names = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *names, 0);  /* stack: ... keys ud */
  for (i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -2, i) != LUA_TSTRING)   /* stack: ... keys ud key */
      mast_raise(L, MAST_EUSAGE, "json_encode: option 'empty_array_keys'[%d] must be a string, "
                 "got %s", (int)i, luaL_typename(L, -1));
    names[i - 1].s = lua_tolstring(L, -1, &names[i - 1].len);   /* anchored by keys */
    lua_pop(L, 1);
  }
  o->empty_array_keys = names;
  o->n_empty_array_keys = (size_t)n;
  /* stack: ... keys ud (both stay until the call returns) */
}

/* core.json_encode(value [, root [, options]]) -> text; raises a "usage"
** error naming the path of what cannot be encoded. options:
** {empty_array_keys = {names}, empty_array_depth = n} (json.h). */
static int l_json_encode(lua_State *L) {
  const char *root = luaL_optstring(L, 2, "value");
  mast_json_encode_options opt;
  mast_json_error err;
  int has_opt;
  luaL_checkany(L, 1);
  lua_settop(L, 3);
  has_opt = !lua_isnil(L, 3);
  if (has_opt) encode_options(L, 3, &opt);
  if (mast_json_encode_opt(L, 1, root, has_opt ? &opt : NULL, &err)) return 1;
  return mast_raise(L, MAST_EUSAGE, "%s", err.msg);
}

/* core.json_coerce(column, n, kind) -> done: converts column[1..n] in place by
** the kind of its declared type as mast.columnar's CONVERT does for numbers
** ("float": integers become floats; "integer": integral floats become
** integers; "boolean": 1 and 0 become true and false); false when a value
** it does not handle (a string) is left for the Lua conversion. */
static int l_json_coerce(lua_State *L) {
  lua_Integer i, n;
  const char *kind;
  int k;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = luaL_checkinteger(L, 2);
  kind = luaL_checkstring(L, 3);
  k = strcmp(kind, "float") == 0 ? 1 : strcmp(kind, "integer") == 0 ? 2
    : strcmp(kind, "boolean") == 0 ? 3 : 0;
  if (k == 0) mast_raise(L, MAST_EUSAGE, "json_coerce: unknown kind '%s'", kind);
  lua_settop(L, 1);
  for (i = 1; i <= n; i++) {
    int t = lua_rawgeti(L, 1, i);  /* stack: t v */
    if (t == LUA_TNUMBER) {
      if (k == 1 && lua_isinteger(L, -1)) {
        lua_pushnumber(L, (lua_Number)lua_tointeger(L, -1));
        lua_rawseti(L, 1, i);
      }
      else if (k == 2 && !lua_isinteger(L, -1)) {
        int ok;
        lua_Integer v = lua_tointegerx(L, -1, &ok);
        if (ok) { lua_pushinteger(L, v); lua_rawseti(L, 1, i); }
      }
      else if (k == 3) {
        lua_Number x = lua_tonumber(L, -1);
        if (x == 1 || x == 0) { lua_pushboolean(L, x == 1); lua_rawseti(L, 1, i); }
      }
    }
    else if (t == LUA_TSTRING) {
      lua_pushboolean(L, 0);
      return 1;
    }
    lua_pop(L, 1);  /* stack: t */
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int mark(lua_State *L, const char *mt) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_newtable(L);
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  luaL_setmetatable(L, mt);
  return 1;
}

/* core.array([t]) / core.object([t]) mark t (or a new table) so that it
** encodes as a JSON array / object even when empty. */
static int l_array(lua_State *L) { return mark(L, MAST_JSON_ARRAY_MT); }
static int l_object(lua_State *L) { return mark(L, MAST_JSON_OBJECT_MT); }

void mast_json_register(lua_State *L) {
  static const luaL_Reg f[] = {
    {"json_decode", l_json_decode},
    {"json_encode", l_json_encode},
    {"json_coerce", l_json_coerce},
    {"array", l_array},
    {"object", l_object},
    {NULL, NULL}
  };
  mast_json_init(L);
  luaL_setfuncs(L, f, 0);
  lua_pushlightuserdata(L, NULL);   /* the same value as cjson.null */
  lua_setfield(L, -2, "null");
}
