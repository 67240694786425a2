/*
** lmast.c -- the Lua module mast.core: a thin binding of the C core.
**
** It converts arguments and results and owns the per-state context; the
** protocol (MAST requests, polling, paging, result shaping) lives in the
** Lua modules under lua/mast/. Failures raise mast.Error objects
** (lerror.c). Lua callbacks run under lua_pcall between libcurl calls, so
** no Lua error ever unwinds through libcurl.
*/
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "bind.h"
#include "json.h"
#include "mast/mast_lua.h"
#include "../core/bind_api.h"   /* the core's one header for the binding */

/* ---- the per-state context ---- */

static const char ctx_key = 'C';   /* its address keys the registry entry */

typedef struct ctxbox {
  mast_ctx *ctx;
} ctxbox;

static int ctx_gc(lua_State *L) {
  ctxbox *b = luaL_checkudata(L, 1, MAST_CONTEXT_MT);
  if (b->ctx != NULL) {
    mast_ctx_free(b->ctx);
    b->ctx = NULL;
  }
  return 0;
}

/* ---- what the host said before the context was made (mast_lua_setup) ---- */

/* The host's options: the copy mast_lua_setup stored, or the defaults of
** a plain Lua (environment read, terminal output allowed). */
static const mast_lua_options *host_options(lua_State *L, mast_lua_options *def) {
  const mast_lua_options *o = NULL;
  if (lua_getfield(L, LUA_REGISTRYINDEX, MAST_OPTIONS_KEY) == LUA_TUSERDATA)
    o = luaL_testudata(L, -1, MAST_OPTIONS_MT);
  lua_pop(L, 1);   /* the registry keeps it */
  if (o != NULL) return o;
  memset(def, 0, sizeof *def);
  def->struct_size = sizeof *def;
  def->terminal = 1;
  return def;
}

/* Creates the context on first use, as the host's options say. */
mast_ctx *mast_bind_ctx(lua_State *L) {
  ctxbox *b;
  void *aud;
  lua_Alloc af;
  mast_lua_options def;
  const mast_lua_options *o;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &ctx_key) == LUA_TUSERDATA) {
    b = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (b->ctx != NULL) return b->ctx;
    luaL_error(L, "the mast context of this state is closed");
  }
  lua_pop(L, 1);
  o = host_options(L, &def);
  b = lua_newuserdatauv(L, sizeof *b, 0);   /* closed box first, then the resource */
  b->ctx = NULL;
  if (luaL_newmetatable(L, MAST_CONTEXT_MT)) {
    lua_pushcfunction(L, ctx_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  af = lua_getallocf(L, &aud);
  b->ctx = mast_ctx_new((mast_alloc_fn)af, aud);
  if (b->ctx == NULL) luaL_error(L, "cannot create the mast context (out of memory, or libcurl "
                                    "failed to initialise)");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &ctx_key);
  if (o->cancel_flag != NULL) mast_ctx_use_cancel_flag(b->ctx, o->cancel_flag);
  if (!o->noenv) {
    char err[300];
    if (mast_config_from_env(b->ctx, err, sizeof err) != MAST_OK)
      mast_raise(L, MAST_EUSAGE, "%s", err);
  }
  return b->ctx;
}

MAST_API mast_ctx *mast_lua_ctx(lua_State *L) { return mast_bind_ctx(L); }

mast_ctx *mast_bind_ctx_if_open(lua_State *L) {
  mast_ctx *ctx = NULL;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &ctx_key) == LUA_TUSERDATA)
    ctx = ((ctxbox *)lua_touserdata(L, -1))->ctx;
  lua_pop(L, 1);
  return ctx;
}

/* ---- a box that frees results even if a Lua error intervenes ---- */

typedef struct resbox {
  mast_ctx *ctx;
  size_t n;
  mast_request *reqs;
  mast_result *res;
} resbox;

static int resbox_gc(lua_State *L) {
  resbox *b = lua_touserdata(L, 1);
  size_t i;
  if (b->res != NULL) {
    for (i = 0; i < b->n; i++) mast_result_clear(b->ctx, &b->res[i]);
    b->res = NULL;
  }
  return 0;
}

static resbox *new_resbox(lua_State *L, mast_ctx *ctx, size_t n) {
  resbox *b = lua_newuserdatauv(L, sizeof *b, 2);
  memset(b, 0, sizeof *b);
  b->ctx = ctx;
  if (luaL_newmetatable(L, "mast.Results")) {
    lua_pushcfunction(L, resbox_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, resbox_gc);
    lua_setfield(L, -2, "__close");
  }
  lua_setmetatable(L, -2);
  /* the arrays are Lua-owned userdata (user values 1 and 2 of the box) */
  b->reqs = lua_newuserdatauv(L, (n ? n : 1) * sizeof *b->reqs, 0);
  lua_setiuservalue(L, -2, 1);
  b->res = lua_newuserdatauv(L, (n ? n : 1) * sizeof *b->res, 0);
  memset(b->res, 0, (n ? n : 1) * sizeof *b->res);
  lua_setiuservalue(L, -2, 2);
  b->n = n;
  return b;
}

/* ---- request specs ---- */

static const char *const spec_keys[] = {
  "method", "url", "body", "content_type", "dest", "size", "overwrite", "resume", "retry",
  "any_status", "redirect", "label", "max_body", "stall_timeout", "decode", "keep_body", "headers", "auth", "sink",
  NULL
};

/* The string field k of the table at t, kept alive by the anchor table at
** a (so a callback that changes the spec cannot free it). NULL if absent. */
static const char *anchored(lua_State *L, int t, int a, const char *k, size_t *len,
                            lua_Integer i) {
  const char *s;
  if (lua_getfield(L, t, k) == LUA_TNIL) {
    lua_pop(L, 1);
    return NULL;
  }
  if (lua_type(L, -1) != LUA_TSTRING)
    mast_raise(L, MAST_EUSAGE, "request %d: field '%s' must be a string, got %s", (int)i, k,
               luaL_typename(L, -1));
  s = lua_tolstring(L, -1, len);
  lua_rawseti(L, a, (lua_Integer)lua_rawlen(L, a) + 1);
  return s;
}

/* headers = {"Name: value", ...} (sent as given) or {Name = "value", ...}
** (sent as "Name: value", in no particular order): a NULL-terminated array
** of anchored strings. The engine checks each line. */
static void read_headers(lua_State *L, int t, int a, mast_request *q, lua_Integer i) {
  const char **v;
  size_t n = 0, k = 0;
  int h;
  if (lua_getfield(L, t, "headers") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1))
    mast_raise(L, MAST_EUSAGE, "request %d: field 'headers' must be a table, got %s", (int)i,
               luaL_typename(L, -1));
  h = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, h)) {
    lua_pop(L, 1);
    n++;
  }
  v = lua_newuserdatauv(L, (n + 1) * sizeof *v, 0);
  lua_rawseti(L, a, (lua_Integer)lua_rawlen(L, a) + 1);
  lua_pushnil(L);
  while (lua_next(L, h)) {   /* key, value */
    if (lua_type(L, -1) != LUA_TSTRING)
      mast_raise(L, MAST_EUSAGE, "request %d: headers: each value must be a string, got %s",
                 (int)i, luaL_typename(L, -1));
    if (lua_type(L, -2) == LUA_TSTRING) {
      lua_pushfstring(L, "%s: %s", lua_tostring(L, -2), lua_tostring(L, -1));
      lua_replace(L, -2);
    } else if (!lua_isinteger(L, -2)) {
      mast_raise(L, MAST_EUSAGE, "request %d: headers: keys must be names or list positions",
                 (int)i);
    }
    v[k++] = lua_tostring(L, -1);
    lua_rawseti(L, a, (lua_Integer)lua_rawlen(L, a) + 1);
  }
  v[k] = NULL;
  q->headers = v;
  lua_pop(L, 1);
}

/* auth = "mast" (the default) | "none" | {credential = "<name>"}. */
static void read_auth(lua_State *L, int t, int a, mast_request *q, lua_Integer i) {
  int type = lua_getfield(L, t, "auth");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (type == LUA_TSTRING && strcmp(lua_tostring(L, -1), "mast") == 0) {
    q->auth = MAST_AUTH_MAST;
  } else if (type == LUA_TSTRING && strcmp(lua_tostring(L, -1), "none") == 0) {
    q->auth = MAST_AUTH_NONE;
  } else if (type == LUA_TTABLE) {
    q->auth = MAST_AUTH_PROVIDER;
    q->credential = anchored(L, lua_gettop(L), a, "credential", NULL, i);
    if (q->credential == NULL)
      mast_raise(L, MAST_EUSAGE, "request %d: auth = {credential = <name>} needs the name", (int)i);
  } else {
    mast_raise(L, MAST_EUSAGE, "request %d: auth must be \"mast\", \"none\" or "
               "{credential = <name>}", (int)i);
  }
  lua_pop(L, 1);
}

/* A Lua chunk sink: the function, and where its error goes, both in the
** anchor table (the error slot exists beforehand, so storing the error
** allocates nothing outside the pcall). */
typedef struct sink_ud {
  lua_State *L;
  int anchor;          /* stack index of the anchor table */
  lua_Integer fn;      /* the function's key in it */
  lua_Integer err;     /* the error's key: false until the sink raises */
} sink_ud;

/* Under pcall: fn(chunk) with chunk a string (arg 2 light userdata, arg 3
** length) or nil (the body starts again). */
static int call_sink(lua_State *L) {
  const char *data = lua_touserdata(L, 2);
  lua_settop(L, 3);
  lua_pushvalue(L, 1);
  if (data != NULL) lua_pushlstring(L, data, (size_t)lua_tointeger(L, 3));
  else lua_pushnil(L);
  lua_call(L, 1, 1);
  return 1;
}

static int on_chunk(void *ud, const char *data, size_t len) {
  sink_ud *u = ud;
  lua_State *L = u->L;
  int stop;
  if (!lua_checkstack(L, 5)) return 1;
  lua_pushcfunction(L, call_sink);
  lua_rawgeti(L, u->anchor, u->fn);
  lua_pushlightuserdata(L, (void *)data);
  lua_pushinteger(L, (lua_Integer)len);
  if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
    lua_rawseti(L, u->anchor, u->err);   /* an existing key: no allocation */
    return 1;
  }
  stop = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
  lua_pop(L, 1);
  return stop;   /* returning false stops, as a progress callback's does */
}

/* The key of request i's sink error in the anchor table. */
static lua_Integer sink_err_key(lua_Integer i) { return -i; }

/* sink = function(chunk): the body in pieces instead of in memory. */
static void read_sink(lua_State *L, int t, int a, mast_request *q, lua_Integer i) {
  sink_ud *u;
  if (lua_getfield(L, t, "sink") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (!lua_isfunction(L, -1))
    mast_raise(L, MAST_EUSAGE, "request %d: field 'sink' must be a function, got %s", (int)i,
               luaL_typename(L, -1));
  u = lua_newuserdatauv(L, sizeof *u, 0);
  u->L = L;
  u->anchor = a;
  u->err = sink_err_key(i);
  lua_rawseti(L, a, (lua_Integer)lua_rawlen(L, a) + 1);
  u->fn = (lua_Integer)lua_rawlen(L, a) + 1;
  lua_rawseti(L, a, u->fn);
  lua_pushboolean(L, 0);
  lua_rawseti(L, a, u->err);
  q->chunk = on_chunk;
  q->chunk_ud = u;
}

/* A JSON answer decoded while it arrives (json.h, mast_json_stream): the
** engine shows it the body between libcurl calls (request.observe); the
** rows decoded so far are the userdata's user value. Kept in the anchor
** table's "live" list at the request's number. */
typedef struct live_ud {
  lua_State *L;
  int anchor;          /* stack index of the anchor table */
  lua_Integer i;       /* the request's number */
  mast_json_stream s;
  int off;             /* a feed raised (memory): the body is decoded whole at the end */
  const char *data;    /* this feed's text (NULL: it starts again) */
  size_t len;
  size_t fed;          /* the length of the last text fed */
} live_ud;

/* Bytes that must have arrived since the last feed before the next. A feed
** costs a decoder set-up, and the element cut at its end is parsed again by
** the next one; on loopback (16 KB libcurl rounds) feeding every round made a
** 38 MB page 10% slower, every 1 MB costs 2% (within the noise), and what is
** left at the end (under 1 MB) decodes in about 2 ms. */
#define LIVE_EVERY (1u << 20)

/* Pushes request i's live_ud userdata (or nil). */
static live_ud *get_live(lua_State *L, int anchor, lua_Integer i) {
  live_ud *u = NULL;
  if (lua_getfield(L, anchor, "live") == LUA_TTABLE) {
    lua_rawgeti(L, -1, i);
    lua_remove(L, -2);
    u = lua_touserdata(L, -1);
  }
  return u;
}

/* Under pcall, with the userdata at 1: one feed, or a new start. */
static int live_feed(lua_State *L) {
  live_ud *u = lua_touserdata(L, 1);
  if (u->data == NULL) {
    mast_json_stream_init(&u->s);
    lua_newtable(L);
    lua_setiuservalue(L, 1, 1);
    u->off = 0;
    return 0;
  }
  lua_getiuservalue(L, 1, 1);
  mast_json_stream_feed(L, &u->s, -1, u->data, u->len, 0);
  return 0;
}

static int on_observe(void *ud, const char *data, size_t len) {
  live_ud *u = ud;
  lua_State *L = u->L;
  if (data != NULL && (u->off || len < u->fed + LIVE_EVERY)) return 0;
  u->fed = data != NULL ? len : 0;
  if (!lua_checkstack(L, 4)) {
    u->off = 1;
    return 0;
  }
  u->data = data;
  u->len = len;
  lua_pushcfunction(L, live_feed);
  get_live(L, u->anchor, u->i);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {   /* a memory error: decoded whole at the end */
    lua_pop(L, 1);
    u->off = 1;
  }
  return 0;
}

/* decode = "json" with the body in memory: decoded while it arrives. */
static void read_live(lua_State *L, int t, int a, mast_request *q, lua_Integer i) {
  live_ud *u;
  int decode;
  if (q->dest != NULL || q->chunk != NULL || q->method == MAST_HEAD) return;
  lua_getfield(L, t, "decode");
  decode = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "json") == 0;
  lua_pop(L, 1);
  if (!decode) return;
  if (lua_getfield(L, a, "live") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, a, "live");
  }
  u = lua_newuserdatauv(L, sizeof *u, 1);
  memset(u, 0, sizeof *u);
  u->L = L;
  u->anchor = a;
  u->i = i;
  mast_json_stream_init(&u->s);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);
  lua_rawseti(L, -2, i);
  lua_pop(L, 1);
  q->observe = on_observe;
  q->observe_ud = u;
}

/* Reads the spec table at index t into *q. */
static void read_spec(lua_State *L, int t, int a, mast_request *q, lua_Integer i) {
  static const char *const methods[] = {"GET", "POST", "HEAD", NULL};
  const char *m;
  mast_request_init(q);
  luaL_checktype(L, t, LUA_TTABLE);
  /* unknown keys are mistakes: say so instead of ignoring them */
  lua_pushnil(L);
  while (lua_next(L, t)) {
    int k, known = 0;
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING)
      for (k = 0; spec_keys[k]; k++)
        if (strcmp(lua_tostring(L, -1), spec_keys[k]) == 0) known = 1;
    if (!known) mast_raise(L, MAST_EUSAGE, "request %d: unknown field '%s'", (int)i,
                           luaL_tolstring(L, -1, NULL));
  }
  m = anchored(L, t, a, "method", NULL, i);
  if (m == NULL) m = "GET";
  for (q->method = 0; methods[q->method]; q->method++)
    if (strcmp(methods[q->method], m) == 0) break;
  if (methods[q->method] == NULL)
    mast_raise(L, MAST_EUSAGE, "request %d: method must be GET, POST or HEAD, got '%s'", (int)i, m);
  q->url = anchored(L, t, a, "url", NULL, i);
  if (q->url == NULL) mast_raise(L, MAST_EUSAGE, "request %d: no url", (int)i);
  q->body = anchored(L, t, a, "body", &q->body_len, i);
  q->content_type = anchored(L, t, a, "content_type", NULL, i);
  q->dest = anchored(L, t, a, "dest", NULL, i);
  q->label = anchored(L, t, a, "label", NULL, i);
  {
    double size = mast_opt_number(L, t, "size", -1);
    if (size >= 0 && (size != floor(size) || size > 9.0e18))
      mast_raise(L, MAST_EUSAGE, "request %d: size must be a whole number of bytes", (int)i);
    q->expected_size = size < 0 ? -1 : (int64_t)size;
  }
  if (mast_opt_bool(L, t, "overwrite", 0)) q->flags |= MAST_F_OVERWRITE;
  if (!mast_opt_bool(L, t, "resume", 1)) q->flags |= MAST_F_NO_RESUME;
  if (!mast_opt_bool(L, t, "retry", 1)) q->flags |= MAST_F_NO_RETRY;
  if (mast_opt_bool(L, t, "any_status", 0)) q->flags |= MAST_F_ANY_STATUS;
  if (!mast_opt_bool(L, t, "redirect", 1)) q->flags |= MAST_F_NO_REDIRECT;
  {
    double mb = mast_opt_number(L, t, "max_body", 0);
    q->max_body = mb > 0 ? (size_t)mb : 0;
  }
  q->stall_timeout = mast_opt_number(L, t, "stall_timeout", 0);
  if (q->dest != NULL && q->method == MAST_HEAD)
    mast_raise(L, MAST_EUSAGE, "request %d: a HEAD request cannot have a dest", (int)i);
  read_headers(L, t, a, q, i);
  read_auth(L, t, a, q, i);
  read_sink(L, t, a, q, i);
  read_live(L, t, a, q, i);
}

/* Decodes a successful body straight from the transfer's buffer (no Lua
** string of it is made): sets result.value, or result.json_error. live:
** the stack index of the request's live_ud (what was decoded while the
** body arrived), or 0. */
static void decode_body(lua_State *L, const mast_result *r, const char *label, int live) {
  mast_json_error err;
  live_ud *u = live ? lua_touserdata(L, live) : NULL;
  int ok;
  if (u != NULL && !u->off) {
    lua_pushinteger(L, u->s.n);        /* rows decoded before the last byte */
    lua_setfield(L, -2, "early_rows");
    lua_getiuservalue(L, live, 1);     /* stack: ... result rows */
    ok = mast_json_stream_finish(L, &u->s, -1, r->body, r->body_len, &err);
    if (ok) lua_remove(L, -2);         /* stack: ... result value */
    else lua_pop(L, 1);
  } else {
    ok = mast_json_decode(L, r->body, r->body_len, &err);
  }
  if (ok) {
    lua_setfield(L, -2, "value");
    return;
  }
  mast_push_json_error(L, label, r->body, r->body_len, &err);
  lua_setfield(L, -2, "json_error");
}

/* Pushes the Lua table for one result. With `decode`, a successful body
** comes back decoded as `value` (what: how to name it in an error), and
** with `keep` also as the bytes (`body`): the query cache and the recorder
** keep those. */
static void push_result(lua_State *L, const mast_result *r, int decode, int keep, const char *what,
                        int live) {
  lua_createtable(L, 0, 12);
  lua_pushboolean(L, r->code == MAST_OK);
  lua_setfield(L, -2, "ok");
  if (r->status > 0) {
    lua_pushinteger(L, r->status);
    lua_setfield(L, -2, "status");
  }
  if (r->body != NULL) {
    if (decode && r->code == MAST_OK) {
      decode_body(L, r, what, live);
      if (keep) {
        lua_pushlstring(L, r->body, r->body_len);
        lua_setfield(L, -2, "body");
      }
    } else {
      lua_pushlstring(L, r->body, r->body_len);
      lua_setfield(L, -2, "body");
    }
  }
  if (r->url != NULL) {
    lua_pushstring(L, r->url);
    lua_setfield(L, -2, "url");
  }
  if (r->curl_code != 0) {
    lua_pushinteger(L, r->curl_code);
    lua_setfield(L, -2, "curl_code");
  }
  if (r->content_type != NULL) {
    lua_pushstring(L, r->content_type);
    lua_setfield(L, -2, "content_type");
  }
  if (r->content_length >= 0) {
    lua_pushinteger(L, (lua_Integer)r->content_length);
    lua_setfield(L, -2, "content_length");
  }
  lua_pushinteger(L, (lua_Integer)r->bytes);
  lua_setfield(L, -2, "bytes");
  lua_pushinteger(L, r->attempts);
  lua_setfield(L, -2, "attempts");
  lua_pushboolean(L, r->resumed);
  lua_setfield(L, -2, "resumed");
  lua_pushboolean(L, r->skipped);
  lua_setfield(L, -2, "skipped");
  lua_pushnumber(L, r->seconds);
  lua_setfield(L, -2, "seconds");
  if (r->code != MAST_OK) {
    mast_push_result_error(L, r);
    lua_setfield(L, -2, "error");
  }
}

/* ---- progress: a Lua callback, run under pcall ---- */

typedef struct progress_ud {
  lua_State *L;
  int fn;        /* stack index of the Lua function */
  int errslot;   /* stack index where a raised error is kept */
  int anchor;    /* stack index of the specs' anchor table (sink errors) */
} progress_ud;

static int on_progress(void *ud, const mast_progress *p) {
  progress_ud *u = ud;
  lua_State *L = u->L;
  if (!lua_checkstack(L, 4)) return 1;
  lua_pushvalue(L, u->fn);
  lua_createtable(L, 0, 9);
  lua_pushinteger(L, (lua_Integer)p->total);
  lua_setfield(L, -2, "total");
  lua_pushinteger(L, (lua_Integer)p->done);
  lua_setfield(L, -2, "done");
  lua_pushinteger(L, (lua_Integer)p->failed);
  lua_setfield(L, -2, "failed");
  lua_pushinteger(L, (lua_Integer)p->active);
  lua_setfield(L, -2, "active");
  lua_pushinteger(L, (lua_Integer)p->bytes_now);
  lua_setfield(L, -2, "bytes");
  if (p->bytes_total >= 0) {
    lua_pushinteger(L, (lua_Integer)p->bytes_total);
    lua_setfield(L, -2, "bytes_total");
  }
  lua_pushnumber(L, p->elapsed);
  lua_setfield(L, -2, "elapsed");
  lua_pushnumber(L, p->rate);
  lua_setfield(L, -2, "rate");
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    lua_replace(L, u->errslot);   /* keep the error; abort the batch */
    return 1;
  }
  {
    int stop = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    return stop;   /* returning false stops too */
  }
}

static void get_batch_opts(lua_State *L, int o, mast_batch *b, progress_ud *pu) {
  const mast_batch init = MAST_BATCH_INIT;
  *b = init;
  if (lua_isnoneornil(L, o)) return;
  luaL_checktype(L, o, LUA_TTABLE);
  {
    const mast_setting *c = mast_setting_find("concurrency");   /* 0: the setting */
    double d = mast_opt_number(L, o, "concurrency", 0);
    if (d != 0 && (d < c->min || d > c->max || d != floor(d)))
      mast_raise(L, MAST_EUSAGE, "concurrency must be from %d to %d, got %s", (int)c->min,
                 (int)c->max, lua_pushfstring(L, "%f", d));
    b->concurrency = (int)d;
  }
  {
    double d = mast_opt_number(L, o, "deadline", 0);
    if (d > 0) b->deadline = mast_now() + d;
  }
  if (lua_getfield(L, o, "label") != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TSTRING)
      mast_raise(L, MAST_EUSAGE, "option 'label' must be a string, got %s", luaL_typename(L, -1));
    b->label = lua_tostring(L, -1);   /* stays on the stack during the batch: a callback */
  } else {                            /* may change the options table */
    lua_pop(L, 1);
  }
  if (lua_getfield(L, o, "progress") != LUA_TNIL) {
    luaL_checktype(L, -1, LUA_TFUNCTION);
    pu->fn = lua_gettop(L);        /* stays on the stack during the batch */
    pu->L = L;
    lua_pushnil(L);
    pu->errslot = lua_gettop(L);
    b->progress = on_progress;
    b->progress_ud = pu;
  } else {
    lua_pop(L, 1);
  }
}

/* Runs the specs in the table at index 1 with options at index 2; leaves
** the results box on the stack and returns it. */
static resbox *run(lua_State *L, progress_ud *pu) {
  mast_ctx *ctx = mast_bind_ctx(L);
  mast_batch batch;
  size_t i, n;
  int anchor;
  resbox *b;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = (size_t)lua_rawlen(L, 1);
  memset(pu, 0, sizeof *pu);
  get_batch_opts(L, 2, &batch, pu);
  lua_newtable(L);
  anchor = pu->anchor = lua_gettop(L);
  b = new_resbox(L, ctx, n);
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, 1, (lua_Integer)i + 1);
    read_spec(L, lua_gettop(L), anchor, &b->reqs[i], (lua_Integer)i + 1);
    lua_pop(L, 1);
  }
  mast_perform(ctx, b->reqs, b->res, n, &batch);
  return b;
}

/* If request i's sink raised an error, its result's error says so (with
** the Lua error's text) and keeps it as `cause`. */
static void sink_error(lua_State *L, int anchor, int results, lua_Integer i) {
  const char *what;
  int err;
  lua_rawgeti(L, anchor, sink_err_key(i));
  err = lua_gettop(L);
  if (lua_toboolean(L, err)) {
    lua_rawgeti(L, results, i);
    lua_getfield(L, -1, "error");
    lua_rawgeti(L, 1, i);
    lua_getfield(L, -1, "label");
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_getfield(L, -1, "url");
    }
    what = lua_tostring(L, -1);
    lua_pushfstring(L, "%s: the sink raised an error: %s", what, luaL_tolstring(L, err, NULL));
    lua_setfield(L, err + 2, "message");
    lua_pushvalue(L, err);
    lua_setfield(L, err + 2, "cause");
  }
  lua_settop(L, results);
}

/* Pushes the list of results of the batch that ran, freeing each C
** result as soon as it is converted. Specs are at index 1. An error raised
** by the progress callback becomes the `cause` of the "callback" errors. */
static int collect(lua_State *L, progress_ud *pu, resbox *b) {
  size_t i;
  int results, reported = 0;
  lua_createtable(L, (int)b->n, 0);
  results = lua_gettop(L);
  for (i = 0; i < b->n; i++) {
    int decode, keep, live;
    const char *what;
    lua_rawgeti(L, 1, (lua_Integer)i + 1);               /* the spec */
    lua_getfield(L, -1, "decode");
    decode = lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "json") == 0;
    lua_pop(L, 1);
    lua_getfield(L, -1, "keep_body");
    keep = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "label");
    what = lua_tostring(L, -1);
    if (what != NULL) what = lua_pushfstring(L, "the response of %s", what);
    live = get_live(L, pu->anchor, (lua_Integer)i + 1) != NULL ? lua_gettop(L) : 0;
    push_result(L, &b->res[i], decode, keep, what, live);
    lua_rawseti(L, results, (lua_Integer)i + 1);
    lua_settop(L, results);
    if (b->res[i].code == MAST_ECALLBACK && pu->L != NULL && !lua_isnil(L, pu->errslot)) {
      reported = 1;
      lua_rawgeti(L, results, (lua_Integer)i + 1);
      lua_getfield(L, -1, "error");
      lua_pushvalue(L, pu->errslot);   /* tostring(err) shows it after the message */
      lua_setfield(L, -2, "cause");
      lua_settop(L, results);
    }
    if (b->res[i].code == MAST_ECALLBACK) sink_error(L, pu->anchor, results, (lua_Integer)i + 1);
    mast_result_clear(b->ctx, &b->res[i]);               /* free the body now */
  }
  /* a cancel that stopped the callback (the host's Ctrl-C hook raised in
     it) is the transfers' "cancelled", not a callback error */
  if (!reported && pu->L != NULL && !lua_isnil(L, pu->errslot) && !mast_cancelled(b->ctx)) {
    /* the callback raised at the last report, when every transfer had
       already finished: nothing was aborted, but the error is not lost */
    mast_push_error(L, MAST_ECALLBACK, "the progress callback raised an error after the transfers "
                                       "had finished (they are complete)");
    lua_pushvalue(L, pu->errslot);
    lua_setfield(L, -2, "cause");
    lua_error(L);
  }
  return results;
}

/* core.perform(specs [, opts]) -> results
** A spec: {url, method, body, content_type, dest, size, overwrite, resume,
** retry, any_status, redirect (false: a 3xx is the answer, url its
** Location), label, max_body, stall_timeout, decode, keep_body (with
** decode: the bytes as well, as body),
** headers = {"Name: value", ...} or {Name = "value"},
** auth = "mast" (default) | "none" | {credential = "<name>"},
** sink = function(chunk) (the body in pieces; chunk nil: it starts again;
** an error or a false return stops that item with code "callback")}.
** Each result: {ok, status, body (or value, with decode = "json"), url,
** content_type, content_length, bytes, attempts, resumed, skipped, seconds,
** curl_code, error, early_rows (decode = "json": how many elements of the
** answer's "data" array were decoded while it arrived, before its last
** byte)}. One failure does not stop the others. */
static void cleanup_now(lua_State *L);

/* Whether a cancel stopped one of the batch's transfers (before collect
** clears the results): then the results say so ("cancelled"), and the
** cancel counts as raised. */
static int stopped_by_cancel(lua_State *L, const resbox *b) {
  mast_ctx *ctx = mast_bind_ctx(L);
  size_t i;
  if (!mast_cancelled(ctx)) return 0;
  for (i = 0; i < b->n; i++)
    if (b->res[i].code == MAST_ECANCELLED) return 1;
  return 0;
}

static void after_batch(lua_State *L, int cancel_shown) {
  mast_ctx *ctx = mast_bind_ctx(L);
  if (cancel_shown) mast_cancel_delivered(ctx);
  if (mast_cancelled(ctx)) cleanup_now(L);
}

static int l_perform(lua_State *L) {
  progress_ud pu;
  resbox *b = run(L, &pu);
  int shown = stopped_by_cancel(L, b);
  collect(L, &pu, b);
  after_batch(L, shown);
  return 1;
}

/* core.request(spec [, opts]) -> result; raises the error of a failure. */
static int l_request(lua_State *L) {
  progress_ud pu;
  resbox *b;
  int results, shown;
  lua_settop(L, 2);
  lua_createtable(L, 1, 0);    /* wrap the spec as a batch of one */
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, 1);
  lua_replace(L, 1);
  b = run(L, &pu);
  shown = stopped_by_cancel(L, b);
  results = collect(L, &pu, b);
  after_batch(L, shown);
  lua_rawgeti(L, results, 1);
  if (lua_getfield(L, -1, "error") != LUA_TNIL) return lua_error(L);
  lua_pop(L, 1);
  return 1;
}

/* ---- cleanups: requests that must reach the server even after a cancel ----
** A protocol that leaves state on the server (a TAP job) registers the
** request that removes it: core.cleanup_add(spec) -> id, and
** core.cleanup_remove(id) once it has removed the state itself. When a
** transfer or a wait is cancelled, the registered requests are sent at once
** (with the cancel flag held off, within CLEANUP_SECONDS) and forgotten; a
** host whose cancel stops Lua code elsewhere calls mast_lua_cleanup
** (setup.c: core.cleanup_run) after the run. They run from C: a host's hook may forbid any more Lua code. */
#define CLEANUP_KEY "mast.cleanups"
#define CLEANUP_SECONDS 5.0

static int cleanups(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, CLEANUP_KEY) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, CLEANUP_KEY);
  }
  return lua_gettop(L);
}

static int l_cleanup_add(lua_State *L) {
  int t;
  lua_Integer id;
  luaL_checktype(L, 1, LUA_TTABLE);
  t = cleanups(L);
  lua_getfield(L, t, "n");
  id = lua_tointeger(L, -1) + 1;
  lua_pop(L, 1);
  lua_pushinteger(L, id);
  lua_setfield(L, t, "n");
  lua_pushvalue(L, 1);
  lua_rawseti(L, t, id);
  lua_pushinteger(L, id);
  return 1;
}

static int l_cleanup_remove(lua_State *L) {
  lua_Integer id = luaL_checkinteger(L, 1);
  int t = cleanups(L);
  lua_pushnil(L);
  lua_rawseti(L, t, id);
  return 0;
}

static int l_perform(lua_State *L);

/* Runs under lua_pcall: the registered specs as one batch, then forgets them. */
static int run_cleanups(lua_State *L) {
  int t = cleanups(L), list, n = 0;
  lua_newtable(L);
  list = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, t) != 0) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_pushvalue(L, -1);
      lua_rawseti(L, list, ++n);
    }
    lua_pop(L, 1);
  }
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, CLEANUP_KEY);
  if (n == 0) return 0;
  lua_pushcfunction(L, l_perform);
  lua_pushvalue(L, list);
  lua_createtable(L, 0, 1);
  lua_pushnumber(L, CLEANUP_SECONDS);
  lua_setfield(L, -2, "deadline");
  lua_call(L, 2, 0);
  return 0;
}

static void cleanup_now(lua_State *L) {
  mast_ctx *ctx = mast_bind_ctx_if_open(L);
  if (ctx == NULL) return;
  if (lua_getfield(L, LUA_REGISTRYINDEX, CLEANUP_KEY) != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  {
    /* the host's hook (lua.c's Ctrl-C hook fires on calls, C ones too) is
       held off with the cancel flag, then put back as it was */
    lua_Hook hook = lua_gethook(L);
    int mask = lua_gethookmask(L), count = lua_gethookcount(L);
    lua_sethook(L, NULL, 0, 0);
    mast_ctx_hold_cancel(ctx, 1);
    lua_pushcfunction(L, run_cleanups);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) lua_pop(L, 1);   /* best effort: nothing to report to */
    mast_ctx_hold_cancel(ctx, 0);
    lua_sethook(L, hook, mask, count);
  }
}

/* core.cleanup_run(): what mast_lua_cleanup (setup.c) calls. */
static int l_cleanup_run(lua_State *L) {
  cleanup_now(L);
  return 0;
}

static int l_sleep(lua_State *L) {
  double s = luaL_checknumber(L, 1);
  mast_ctx *ctx = mast_bind_ctx(L);
  if ((s > 0 && mast_sleep(ctx, s) != MAST_OK) || (s <= 0 && mast_cancelled(ctx))) {
    mast_cancel_delivered(ctx);
    cleanup_now(L);
    return mast_raise(L, MAST_ECANCELLED, "cancelled");
  }
  return 0;
}

static int l_now(lua_State *L) {
  lua_pushnumber(L, mast_now());
  return 1;
}

static int l_isatty(lua_State *L) {
  lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}

/* core.terminal_width([fd = 1]) -> columns, or nil when fd is no terminal
** (or it does not say): the grid fits the real width, not $COLUMNS. */
static int l_terminal_width(lua_State *L) {
  struct winsize ws;
  int fd = (int)luaL_optinteger(L, 1, 1);
  memset(&ws, 0, sizeof ws);
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, ws.ws_col);
  return 1;
}

/* core.waiting(label, percent, polls, elapsed): tells the host's progress
** hook that MAST is still EXECUTING a query. Returns whether there is a
** hook (if not, the Lua side shows its own line on a terminal). */
static int l_waiting(lua_State *L) {
  mast_ctx *ctx = mast_bind_ctx(L);
  mast_event e;
  if (!mast_has_progress_hook(ctx)) {
    lua_pushboolean(L, 0);
    return 1;
  }
  memset(&e, 0, sizeof e);
  e.kind = MAST_EVENT_WAITING;
  e.label = luaL_checkstring(L, 1);
  e.percent = luaL_optnumber(L, 2, -1);
  e.polls = (int)luaL_optinteger(L, 3, 0);
  e.elapsed = luaL_optnumber(L, 4, 0);
  mast_emit(ctx, &e);
  lua_pushboolean(L, 1);
  return 1;
}

/* core.mentions_token(text) -> whether text holds the token (or a long
** piece of it): for the REPL, which must not write such a line to its
** history. */
static int l_mentions_token(lua_State *L) {
  lua_pushboolean(L, mast_mentions_token(mast_bind_ctx(L), luaL_checkstring(L, 1)));
  return 1;
}

static int l_has_progress_hook(lua_State *L) {
  lua_pushboolean(L, mast_has_progress_hook(mast_bind_ctx(L)));
  return 1;
}

static int l_cancelled(lua_State *L) {
  lua_pushboolean(L, mast_cancelled(mast_bind_ctx(L)));
  return 1;
}

/* ---- settings ---- */

static void push_setting(lua_State *L, mast_ctx *ctx, const mast_setting *d) {
  if (d->type == MAST_SETTING_STRING) {
    const char *v;
    mast_config_get_string(ctx, d->name, &v);
    if (v != NULL) lua_pushstring(L, v);
    else lua_pushnil(L);
  } else {
    double v;
    mast_config_get_number(ctx, d->name, &v);
    /* an integer setting is a Lua integer; a number one too when whole */
    if (d->type == MAST_SETTING_INTEGER || (v == floor(v) && fabs(v) < 1e15))
      lua_pushinteger(L, (lua_Integer)v);
    else
      lua_pushnumber(L, v);
  }
}

/* Reads the Lua value at index i as the value of setting key into *v;
** strings made here are kept alive in the table at index anchor. */
static void to_value(lua_State *L, int i, const char *key, int anchor, mast_config_value *v) {
  const mast_setting *d = mast_setting_find(key);
  v->key = key;
  v->is_number = 0;
  v->text = NULL;
  v->number = 0;
  switch (lua_type(L, i)) {
    case LUA_TNIL: break;
    case LUA_TBOOLEAN:
      if (lua_toboolean(L, i)) mast_raise(L, MAST_EUSAGE, "mast.config: %s cannot be true", key);
      break;   /* false clears */
    case LUA_TNUMBER:
      if (d != NULL && d->type != MAST_SETTING_STRING) {
        v->is_number = 1;
        v->number = lua_tonumber(L, i);
      } else {   /* a number for a string setting: its text */
        lua_pushvalue(L, i);
        v->text = lua_tostring(L, -1);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
      }
      break;
    case LUA_TSTRING: v->text = lua_tostring(L, i); break;
    default:
      mast_raise(L, MAST_EUSAGE, "mast.config: %s cannot be a %s", key, luaL_typename(L, i));
  }
}

static int config_error(lua_State *L, int rc, const char *err) {
  return mast_raise(L, rc, "mast.config: %s", err);
}

/* core.config(key) -> value, typed; core.config(key, value) sets it (nil
** or false clears a string setting). */
static int l_config(lua_State *L) {
  mast_ctx *ctx = mast_bind_ctx(L);
  const char *key = luaL_checkstring(L, 1);
  const mast_setting *d = mast_setting_find(key);
  if (lua_gettop(L) >= 2) {
    char err[400];
    mast_config_value v;
    int rc;
    lua_settop(L, 2);
    lua_newtable(L);
    to_value(L, 2, key, 3, &v);
    rc = mast_config_set_many(ctx, &v, 1, err, sizeof err);
    if (rc != MAST_OK) return config_error(L, rc, err);
    return 0;
  }
  if (d == NULL) return mast_raise(L, MAST_EUSAGE, "mast.config: unknown setting '%s'", key);
  push_setting(L, ctx, d);
  return 1;
}

/* core.config_set{key = value, ...}: all or none. */
static int l_config_set(lua_State *L) {
  mast_ctx *ctx = mast_bind_ctx(L);
  mast_config_value *v;
  size_t n = 0, i = 0;
  char err[400];
  int rc;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newtable(L);   /* 2: anchor */
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    n++;
  }
  v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *v, 0);   /* Lua-owned: no leak on error */
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      return mast_raise(L, MAST_EUSAGE, "mast.config: setting names are strings, got %s",
                        luaL_typename(L, -2));
    to_value(L, lua_gettop(L), lua_tostring(L, -2), 2, &v[i++]);
    lua_pop(L, 1);
  }
  rc = mast_config_set_many(ctx, v, n, err, sizeof err);
  if (rc != MAST_OK) return config_error(L, rc, err);
  return 0;
}

static int l_config_keys(lua_State *L) {
  const char *const *k = mast_config_keys();
  int i;
  lua_newtable(L);
  for (i = 0; k[i]; i++) {
    lua_pushstring(L, k[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* core.settings() -> list of {name, env, type, owner, secret, min, max}:
** the C table, so Lua checks with the same bounds. */
static int l_settings(lua_State *L) {
  static const char *const types[] = {"?", "string", "number", "integer"};
  const mast_setting *d;
  size_t i;
  lua_newtable(L);
  for (i = 0; (d = mast_setting_at(i)) != NULL; i++) {
    lua_createtable(L, 0, 7);
    lua_pushstring(L, d->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, d->env);
    lua_setfield(L, -2, "env");
    lua_pushstring(L, types[d->type >= 1 && d->type <= 3 ? d->type : 0]);
    lua_setfield(L, -2, "type");
    lua_pushstring(L, d->owner == MAST_OWNER_HOST ? "host" : "script");
    lua_setfield(L, -2, "owner");
    lua_pushboolean(L, d->secret);
    lua_setfield(L, -2, "secret");
    if (d->type != MAST_SETTING_STRING) {
      if (d->type == MAST_SETTING_INTEGER) {
        lua_pushinteger(L, (lua_Integer)d->min);
        lua_setfield(L, -2, "min");
        lua_pushinteger(L, (lua_Integer)d->max);
      } else {
        lua_pushnumber(L, d->min);
        lua_setfield(L, -2, "min");
        lua_pushnumber(L, d->max);
      }
      lua_setfield(L, -2, "max");
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* core.config_locked() -> whether host-owned settings are read-only. */
static int l_config_locked(lua_State *L) {
  lua_pushboolean(L, mast_config_locked(mast_bind_ctx(L)));
  return 1;
}

/* core.env(name) -> a MAST_* environment variable, or nil (also when the
** host said to ignore the environment). */
static int l_env(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  mast_lua_options def;
  const char *v = NULL;
  if (strncmp(name, "MAST_", 5) == 0 && !host_options(L, &def)->noenv) v = getenv(name);
  if (v != NULL && *v != '\0') lua_pushstring(L, v);
  else lua_pushnil(L);
  return 1;
}

/* core.terminal() -> whether mast may draw on the terminal (stderr). */
static int l_terminal(lua_State *L) {
  mast_lua_options def;
  lua_pushboolean(L, host_options(L, &def)->terminal);
  return 1;
}

/* Pushes the string (arg 1, light userdata) of length arg 2; runs under
** lua_pcall so that a memory error cannot leak the C buffer it copies. */
static int push_buffer(lua_State *L) {
  lua_pushlstring(L, lua_touserdata(L, 1), (size_t)lua_tointeger(L, 2));
  return 1;
}

static int l_urlencode(lua_State *L) {
  size_t len, outlen;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *safe = luaL_optstring(L, 2, "/");
  mast_ctx *ctx = mast_bind_ctx(L);
  char *out;
  int status;
  lua_settop(L, 2);
  out = mast_urlencode(ctx, s, len, safe, &outlen);
  if (out == NULL)
    return mast_raise(L, MAST_ENOMEM, "out of memory percent-encoding %I bytes", (lua_Integer)len);
  lua_pushcfunction(L, push_buffer);
  lua_pushlightuserdata(L, out);
  lua_pushinteger(L, (lua_Integer)outlen);
  status = lua_pcall(L, 2, 1, 0);
  mast_free(ctx, out);
  if (status != LUA_OK) return lua_error(L);
  return 1;
}

/* core.stat(path) -> "file" | "directory" | "other", size; or nil if absent. */
static int l_stat(lua_State *L) {
  struct stat st;
  if (stat(luaL_checkstring(L, 1), &st) != 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushstring(L, S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "directory" : "other");
  lua_pushinteger(L, (lua_Integer)st.st_size);
  return 2;
}

/* An open directory of list_dir, closed by __gc if a memory error raises
** while the names are pushed (no Lua error leaves a DIR open). */
#define DIR_MT "mast.DirReader"
static int dir_gc(lua_State *L) {
  DIR **d = luaL_checkudata(L, 1, DIR_MT);
  if (*d != NULL) closedir(*d);
  *d = NULL;
  return 0;
}

/* core.list_dir(dir) -> the names in dir, in no order (no "." or ".."), or nil, message. */
static int l_list_dir(lua_State *L) {
  const char *p = luaL_checkstring(L, 1);
  DIR **d;
  struct dirent *e;
  lua_Integer n = 0;
  if (!mast_path_allowed(mast_bind_ctx(L), p))
    return mast_raise(L, MAST_EDENIED, "this host does not allow reading %s", p);
  d = lua_newuserdatauv(L, sizeof *d, 0);
  *d = NULL;
  if (luaL_newmetatable(L, DIR_MT)) {
    lua_pushcfunction(L, dir_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_newtable(L);
  *d = opendir(p);
  if (*d == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "cannot list %s: %s", p, strerror(errno));
    return 2;
  }
  while ((e = readdir(*d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    lua_pushstring(L, e->d_name);
    lua_rawseti(L, -2, ++n);
  }
  closedir(*d);
  *d = NULL;
  return 1;
}

/* core.resolve_path(path) -> the path mast will use: under a host's
** download root, a relative path is taken from the root. */
static int l_resolve_path(lua_State *L) {
  const char *p = luaL_checkstring(L, 1);
  mast_ctx *ctx = mast_bind_ctx(L);
  char *r = mast_output_resolve(ctx, p);
  if (r == NULL) return mast_raise(L, MAST_ENOMEM, "out of memory");
  lua_pushstring(L, r);
  mast_strfree(ctx, r);
  return 1;
}

/* core.mkdirs(path): creates a directory and its parents. */
static int l_mkdirs(lua_State *L) {
  const char *p = luaL_checkstring(L, 1);
  int err = 0;
  if (!mast_path_allowed(mast_bind_ctx(L), p))
    return mast_raise(L, MAST_EDENIED, "this host does not allow writing to %s", p);
  if (!mast_mkdirs(p, &err))
    return mast_raise(L, MAST_EIO, "cannot create directory %s: %s", p, strerror(err));
  return 0;
}

/* Pushes true, or false and why not, from a mast_unsafe_* checker. */
static int safe(lua_State *L, const char *(*unsafe)(const char *, size_t)) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *why = unsafe(s, len);
  lua_pushboolean(L, why == NULL);
  if (why == NULL) return 1;
  lua_pushstring(L, why);
  return 2;
}

/* core.safe_name(s) -> true | false, why: is s safe as one path component? */
static int l_safe_name(lua_State *L) { return safe(L, mast_unsafe_name); }

/* core.safe_path(s) -> true | false, why: is s safe as a relative path? */
static int l_safe_path(lua_State *L) { return safe(L, mast_unsafe_path); }

typedef struct extract_ud {
  lua_State *L;
  int list;
} extract_ud;

/* Appends {path = arg 2 (a C string as light userdata), size = arg 3} to
** the list at arg 1. */
static int append_entry(lua_State *L) {
  lua_createtable(L, 0, 2);
  lua_pushstring(L, (const char *)lua_touserdata(L, 2));
  lua_setfield(L, -2, "path");
  lua_pushvalue(L, 3);
  lua_setfield(L, -2, "size");
  lua_rawseti(L, 1, (lua_Integer)lua_rawlen(L, 1) + 1);
  return 0;
}

/* Called from inside mast_extract, which holds libarchive state: a memory
** error must not longjmp out of it, so the Lua work runs under pcall. */
static int on_entry(void *ud, const char *path, int64_t size) {
  extract_ud *u = ud;
  lua_State *L = u->L;
  if (!lua_checkstack(L, 4)) return 1;
  lua_pushcfunction(L, append_entry);
  lua_pushvalue(L, u->list);
  lua_pushlightuserdata(L, (void *)path);   /* no allocation outside the pcall */
  lua_pushinteger(L, (lua_Integer)size);
  if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
    lua_pop(L, 1);
    return 1;
  }
  return 0;
}

/* core.extract(archive, dir) -> list of {path, size}; refuses hostile
** archives whole (see mast_extract). */
static int l_extract(lua_State *L) {
  const char *archive = luaL_checkstring(L, 1);
  const char *dir = luaL_checkstring(L, 2);
  mast_ctx *ctx = mast_bind_ctx(L);
  extract_ud u;
  char *msg = NULL;
  int code;
  lua_settop(L, 2);
  lua_newtable(L);
  u.L = L;
  u.list = 3;
  code = mast_extract(ctx, archive, dir, on_entry, &u, &msg);
  if (code == MAST_ECANCELLED) mast_cancel_delivered(ctx);
  if (code != MAST_OK) {
    lua_pushstring(L, msg ? msg : "extraction failed");
    mast_free(ctx, msg);
    mast_push_error(L, code, lua_tostring(L, -1));
    return lua_error(L);
  }
  return 1;
}

static const luaL_Reg core_funcs[] = {
  {"safe_name", l_safe_name},
  {"safe_path", l_safe_path},
  {"extract", l_extract},
  {"perform", l_perform},
  {"request", l_request},
  {"sleep", l_sleep},
  {"cleanup_add", l_cleanup_add},
  {"cleanup_remove", l_cleanup_remove},
  {"cleanup_run", l_cleanup_run},
  {"now", l_now},
  {"isatty", l_isatty},
  {"terminal_width", l_terminal_width},
  {"cancelled", l_cancelled},
  {"waiting", l_waiting},
  {"has_progress_hook", l_has_progress_hook},
  {"mentions_token", l_mentions_token},
  {"config", l_config},
  {"config_keys", l_config_keys},
  {"config_set", l_config_set},
  {"config_locked", l_config_locked},
  {"settings", l_settings},
  {"env", l_env},
  {"terminal", l_terminal},
  {"urlencode", l_urlencode},
  {"stat", l_stat},
  {"list_dir", l_list_dir},
  {"mkdirs", l_mkdirs},
  {"resolve_path", l_resolve_path},
  {NULL, NULL}
};

static const mast_side_api side_api = {mast_push_error, mast_opt_string, mast_opt_number,
                                        mast_opt_bool};

MAST_API int luaopen_mast_core(lua_State *L) {
  luaL_checkversion(L);
  mast_error_init(L);
  mast_bind_ctx(L);
  luaL_newlib(L, core_funcs);
  mast_error_register(L);
  mast_json_register(L);
  mast_ops_register(L);
  mast_output_register(L);
  mast_cache_register(L);
  mast_votable_register(L);
  mast_votable_write_register(L);
  mast_csv_register(L);
  mast_xml_register(L);
  mast_sky_register(L);
  lua_pushlightuserdata(L, (void *)&side_api);   /* for mast.core_plot, mast.core_fits */
  lua_setfield(L, LUA_REGISTRYINDEX, MAST_SIDE_API);
  lua_pushliteral(L, "mast.core");
  lua_setfield(L, -2, "_NAME");
  lua_pushliteral(L, MAST_VERSION_STRING);
  lua_setfield(L, -2, "_VERSION");
  lua_pushliteral(L, LIBCURL_VERSION);   /* built against; libcurl itself loads at the */
  lua_setfield(L, -2, "curl_version");    /* first transfer (src/core/curl_lazy.h) */
  return 1;
}
