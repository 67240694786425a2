/*
** lerror.c -- the error objects mast raises.
**
** Every failure mast reports is a table with a stable `code` (the names
** of mast_code_name) and a `message` that says what went wrong
** of its own; layers add context fields (fn, service, item, page, hint,
** ...) as it travels, and tostring(err) composes the text from them all
** (e_tostring). Extra fields (status, url, ...) depend on the code.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "../core/bind_api.h"

/* Appends "<k>: " for a string field k (nonzero if there was one). */
static int add_string(lua_State *L, luaL_Buffer *b, int e, const char *k) {
  int has = lua_getfield(L, e, k) == LUA_TSTRING;
  if (has) {
    luaL_addvalue(b);
    luaL_addstring(b, ": ");
  } else {
    lua_pop(L, 1);
  }
  return has;
}

/* Appends "<word> <n>[ of <total>]: " when the integer field n is set. */
static void add_position(lua_State *L, luaL_Buffer *b, int e, const char *n, const char *total,
                         const char *word) {
  lua_Integer i, t;
  int isnum;
  lua_getfield(L, e, n);
  i = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  if (!isnum) return;
  lua_getfield(L, e, total);
  t = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  lua_pushfstring(L, isnum ? "%s %I of %I: " : "%s %I: ", word, (LUAI_UACINT)i, (LUAI_UACINT)t);
  luaL_addvalue(b);
}

static int cause_text(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/* tostring(err): the one place an error's text is composed from its parts,
** so that no layer rewrites another's message. A layer adds context fields
** as the error travels up:
**   "<fn or service>: <item_kind or item> <item>[ of <items>]: page <page>[ of <pages>]:
**    <message> (<hint>): <cause>"
** fn (the function the caller called) names the error; when no function
** did, the service does. */
static int e_tostring(lua_State *L) {
  luaL_Buffer b;
  const char *kind = "item";
  luaL_checkstack(L, 8, NULL);
  lua_settop(L, 1);
  luaL_buffinit(L, &b);   /* the buffer may sit on the stack: keep pushes balanced */
  if (lua_istable(L, 1)) {
    if (!add_string(L, &b, 1, "fn")) add_string(L, &b, 1, "service");
    if (lua_getfield(L, 1, "item_kind") == LUA_TSTRING) kind = lua_tostring(L, -1);
    lua_pop(L, 1);   /* still anchored by the error table */
    add_position(L, &b, 1, "item", "items", kind);
    add_position(L, &b, 1, "page", "pages", "page");
    if (lua_getfield(L, 1, "message") == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
      luaL_addvalue(&b);
    } else {
      lua_pop(L, 1);
      luaL_addstring(&b, "mast error");
    }
    if (lua_getfield(L, 1, "hint") == LUA_TSTRING) {
      luaL_addstring(&b, " (");
      luaL_addvalue(&b);
      luaL_addchar(&b, ')');
    } else {
      lua_pop(L, 1);
    }
    if (lua_getfield(L, 1, "cause") != LUA_TNIL) {   /* e.g. what a callback raised */
      lua_pushcfunction(L, cause_text);
      lua_insert(L, -2);
      if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) {
        luaL_addstring(&b, ": ");
        luaL_addvalue(&b);
      } else {
        lua_pop(L, 1);
      }
    } else {
      lua_pop(L, 1);
    }
  } else {
    luaL_addstring(&b, "mast error");
  }
  luaL_pushresult(&b);
  return 1;
}

void mast_error_init(lua_State *L) {
  if (luaL_newmetatable(L, MAST_ERROR_MT)) {
    lua_pushcfunction(L, e_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
}

/* Appends a piece to the string on top of the stack. */
static int to_lua(void *ud, const char *piece, size_t n) {
  lua_State *L = ud;
  lua_pushlstring(L, piece, n);
  lua_concat(L, 2);
  return 0;
}

/* Pushes s with the token (and any piece of it, see mast_scrub) replaced
** by "<token>": a server may echo the token in what it answers, and such
** text ends up in messages. No C allocation, so a memory error leaks
** nothing. */
static void push_scrubbed(lua_State *L, const char *s) {
  luaL_checkstack(L, 3, NULL);
  lua_pushliteral(L, "");
  mast_scrub_each(mast_bind_ctx_if_open(L), s, strlen(s), to_lua, L);
}

void mast_push_error(lua_State *L, int code, const char *msg) {
  lua_createtable(L, 0, 4);
  lua_pushstring(L, mast_code_name(code));
  lua_setfield(L, -2, "code");
  push_scrubbed(L, msg ? msg : mast_code_name(code));
  lua_setfield(L, -2, "message");
  luaL_setmetatable(L, MAST_ERROR_MT);
}

int mast_raise(lua_State *L, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  mast_push_error(L, code, lua_tostring(L, -1));
  return lua_error(L);
}

/* Pushes the error object describing a failed result. */
void mast_push_result_error(lua_State *L, const mast_result *r) {
  mast_push_error(L, r->code, r->message);
  if (r->status > 0) {
    lua_pushinteger(L, r->status);
    lua_setfield(L, -2, "status");
  }
  if (r->url != NULL) {
    lua_pushstring(L, r->url);
    lua_setfield(L, -2, "url");
  }
  if (r->curl_code != 0) {
    lua_pushinteger(L, r->curl_code);
    lua_setfield(L, -2, "curl_code");
  }
  lua_pushinteger(L, r->attempts);
  lua_setfield(L, -2, "attempts");
}

/* core.error(code, message [, fields]) -> a new error object.
** code must be one of the stable names. */
static int l_error(lua_State *L) {
  const char *codes[MAST_NCODES + 1];   /* luaL_checkoption's list, from the one C table */
  int i, code;
  for (i = 0; i < MAST_NCODES; i++) codes[i] = mast_code_name(i);
  codes[i] = NULL;
  code = luaL_checkoption(L, 1, NULL, codes);
  const char *msg = luaL_checkstring(L, 2);
  mast_push_error(L, code, msg);
  if (lua_istable(L, 3)) {
    lua_pushnil(L);
    while (lua_next(L, 3)) {   /* stack: err, key, value */
      if (lua_type(L, -1) == LUA_TSTRING) {   /* e.g. MAST's own text */
        push_scrubbed(L, lua_tostring(L, -1));
        lua_replace(L, -2);
      }
      lua_pushvalue(L, -2);
      lua_insert(L, -2);       /* stack: err, key, key, value */
      lua_rawset(L, -4);
    }
  }
  return 1;
}

/* core.is_error(v [, code]) -> true if v is a mast error (of that code). */
static int l_is_error(lua_State *L) {
  int is = 0;
  if (lua_getmetatable(L, 1)) {
    luaL_getmetatable(L, MAST_ERROR_MT);
    is = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
  }
  if (is && !lua_isnoneornil(L, 2)) {
    lua_getfield(L, 1, "code");
    is = lua_rawequal(L, -1, 2) || (lua_isstring(L, -1) && lua_isstring(L, 2) &&
                                    strcmp(lua_tostring(L, -1), lua_tostring(L, 2)) == 0);
    lua_pop(L, 1);
  }
  lua_pushboolean(L, is);
  return 1;
}

void mast_error_register(lua_State *L) {
  lua_pushcfunction(L, l_error);
  lua_setfield(L, -2, "error");
  lua_pushcfunction(L, l_is_error);
  lua_setfield(L, -2, "is_error");
  luaL_getmetatable(L, MAST_ERROR_MT);
  lua_setfield(L, -2, "Error");
}

/* ---- option tables ---- */

const char *mast_opt_string(lua_State *L, int t, const char *k, const char *def) {
  const char *s;
  if (lua_getfield(L, t, k) == LUA_TNIL) {
    lua_pop(L, 1);
    return def;
  }
  if (lua_type(L, -1) != LUA_TSTRING)   /* a number's string would be anchored nowhere */
    mast_raise(L, MAST_EUSAGE, "option '%s' must be a string, got %s", k, luaL_typename(L, -1));
  s = lua_tostring(L, -1);
  lua_pop(L, 1);   /* anchored by the table t (while nothing changes it) */
  return s;
}

double mast_opt_number(lua_State *L, int t, const char *k, double def) {
  int isnum;
  double d;
  if (lua_getfield(L, t, k) == LUA_TNIL) {
    lua_pop(L, 1);
    return def;
  }
  d = lua_tonumberx(L, -1, &isnum);
  if (!isnum) mast_raise(L, MAST_EUSAGE, "option '%s' must be a number, got %s", k,
                         luaL_typename(L, -1));
  lua_pop(L, 1);
  return d;
}

int mast_opt_bool(lua_State *L, int t, const char *k, int def) {
  int v;
  if (lua_getfield(L, t, k) == LUA_TNIL) {
    lua_pop(L, 1);
    return def;
  }
  if (!lua_isboolean(L, -1))
    mast_raise(L, MAST_EUSAGE, "option '%s' must be true or false, got %s", k,
               luaL_typename(L, -1));
  v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}
