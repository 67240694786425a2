/*
** lerror.c -- the error objects mast raises.
**
** Every failure mast reports is a table with a stable `code` (the names
** of mast_code_name) and a `message` that says what went wrong
** and what to do; tostring(err) gives the message. Extra fields (status,
** url, service, ...) depend on the code.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "../core/bind_api.h"

static int e_tostring(lua_State *L) {
  lua_getfield(L, 1, "message");
  if (!lua_isstring(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "mast error");
  }
  if (lua_getfield(L, 1, "hint") == LUA_TSTRING) {   /* advice a layer added (hints.lua) */
    lua_pushfstring(L, "%s (%s)", lua_tostring(L, -2), lua_tostring(L, -1));
    return 1;
  }
  lua_pop(L, 1);
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
