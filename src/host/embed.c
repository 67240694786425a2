/*
** embed.c -- mast_runtime: mast for C hosts that do not otherwise use Lua.
**
** A runtime is one lua_State with mast loaded and configured from C, an
** allocator that can enforce a memory limit, a count hook that enforces an
** instruction limit and notices cancellation, and (in the sandboxed
** profile) an environment without io, os or debug for the host's scripts.
** Nothing here prints, exits or keeps global state.
*/
#define _XOPEN_SOURCE 700
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "mast/mast_lua.h"
#include "../bind/json.h"   /* the codec's C interface, shared with the host on purpose */
#include "../core/bind_api.h"   /* mast_default_alloc */

#define HOOK_EVERY 1000   /* instructions between limit and cancel checks */

struct mast_runtime {
  lua_State *L;
  mast_ctx *ctx;
  mast_alloc_fn alloc;
  void *alloc_ud;
  size_t used, limit;
  int over_memory;
  unsigned long ilimit, icount;
  int over_instructions;
  atomic_int cancel;        /* the context watches this flag too */
  int sandbox;
  int env_ref;              /* the sandbox environment (registry reference) */
  mast_log_fn log;
  void *log_ud;
  char *error;
};

/* Counts the Lua heap and refuses to grow it past the limit. */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  mast_runtime *rt = ud;
  void *p;
  if (ptr == NULL) osize = 0;   /* then osize only tells the object's type */
  if (nsize > osize && rt->limit > 0 && rt->used - osize + nsize > rt->limit) {
    rt->over_memory = 1;
    return NULL;
  }
  p = rt->alloc(rt->alloc_ud, ptr, osize, nsize);
  if (nsize == 0) rt->used -= osize;
  else if (p != NULL) rt->used = rt->used - osize + nsize;
  return p;
}

static mast_runtime *runtime_of(lua_State *L) { return *(mast_runtime **)lua_getextraspace(L); }

static void count_hook(lua_State *L, lua_Debug *ar) {
  mast_runtime *rt = runtime_of(L);
  (void)ar;
  rt->icount += HOOK_EVERY;
  /* Both conditions stay true until the next run, and once one holds the
     hook fires at every instruction: a pcall in the script may catch the
     error, but the very next instruction raises it again, so it cannot be
     swallowed. */
  if (atomic_load(&rt->cancel)) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    mast_lua_cancel_error(L, "cancelled by the host");   /* code "cancelled", as the engine's */
  }
  if (rt->ilimit > 0 && rt->icount > rt->ilimit) {
    rt->over_instructions = 1;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    luaL_error(L, "the instruction limit of %I was reached", (lua_Integer)rt->ilimit);
  }
}

/* print() for the host: to its log hook (level 1), or nowhere. */
static int host_print(lua_State *L) {
  mast_runtime *rt = runtime_of(L);
  luaL_Buffer b;
  int i, n = lua_gettop(L);
  luaL_buffinit(L, &b);
  for (i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&b, '\t');
    luaL_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  if (rt->log != NULL) rt->log(rt->log_ud, 1, lua_tostring(L, -1));
  return 0;
}

static int set(lua_State *L, mast_ctx *ctx, const char *key, const char *value) {
  char err[300];
  if (mast_config_set(ctx, key, value, err, sizeof err) != MAST_OK)
    return luaL_error(L, "mast_runtime_new: %s", err);
  return 0;
}

/* Sets the runtime up; runs under lua_pcall (arg 1: the options). */
static int setup(lua_State *L) {
  const mast_runtime_options *o = lua_touserdata(L, 1);
  mast_runtime *rt = runtime_of(L);
  mast_ctx *ctx;
  mast_lua_options lo;
  luaL_openlibs(L);
  memset(&lo, 0, sizeof lo);
  lo.struct_size = sizeof lo;
  lo.cancel_flag = &rt->cancel;           /* the context watches the runtime's flag */
  lo.noenv = !o->use_environment;
  lo.terminal = 0;                        /* a library never prints: events go to the hook */
  mast_lua_setup(L, &lo);
  mast_openlibs(L, 0);
  ctx = rt->ctx = mast_lua_ctx(L);
  if (o->base_url != NULL) set(L, ctx, "base_url", o->base_url);
  if (o->token != NULL) mast_set_token_provider(ctx, o->token, o->token_ud);
  if (o->log != NULL) mast_set_log_hook(ctx, o->log, o->log_ud);
  if (o->progress != NULL) mast_set_progress_hook(ctx, o->progress, o->progress_ud);
  if (rt->log != NULL || rt->sandbox) {
    lua_pushcfunction(L, host_print);
    lua_setglobal(L, "print");
  }
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "config");   /* a library host shows no progress line */
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "off");
  lua_setfield(L, -2, "progress");
  lua_call(L, 1, 0);
  lua_setglobal(L, "mast");
  if (rt->sandbox) {
    char base[2048];
    if (o->download_root == NULL) return luaL_error(L, "the sandbox profile needs a download_root");
    if (mast_set_download_root(ctx, o->download_root) != MAST_OK)
      return luaL_error(L, "the download root %s does not exist", o->download_root);
    if (o->allow_urls != NULL) {
      const char *const *u;
      for (u = o->allow_urls; *u != NULL; u++) mast_allow_url_prefix(ctx, *u);
    } else {
      mast_config_get(ctx, "base_url", base, sizeof base - 1);
      strcat(base, "/");
      mast_allow_url_prefix(ctx, base);
    }
    lua_getglobal(L, "require");
    lua_pushliteral(L, "mast.sandbox");
    lua_call(L, 1, 1);                  /* stack: opts, sandbox */
    lua_getfield(L, -1, "protect_strings");
    lua_call(L, 0, 0);
    lua_getfield(L, -1, "env");
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, host_print);
    lua_setfield(L, -2, "print");
    lua_getglobal(L, "mast");
    lua_setfield(L, -2, "mast");
    lua_call(L, 1, 1);                  /* stack: opts, sandbox, env */
    rt->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    mast_config_lock(ctx);   /* the host's settings are set: scripts may only read them */
  }
  return 0;
}

MAST_API mast_runtime *mast_runtime_new(const mast_runtime_options *opts) {
  mast_runtime_options none;
  mast_runtime *rt;
  mast_alloc_fn alloc;
  if (opts == NULL) {
    memset(&none, 0, sizeof none);
    opts = &none;
  }
  alloc = opts->alloc ? opts->alloc : mast_default_alloc;
  rt = alloc(opts->alloc_ud, NULL, 0, sizeof *rt);
  if (rt == NULL) return NULL;
  memset(rt, 0, sizeof *rt);
  rt->alloc = alloc;
  rt->alloc_ud = opts->alloc_ud;
  rt->limit = opts->memory_limit;
  rt->ilimit = opts->instruction_limit;
  rt->sandbox = opts->profile == MAST_PROFILE_SANDBOX;
  rt->env_ref = LUA_NOREF;
  rt->log = opts->log;
  rt->log_ud = opts->log_ud;
  atomic_init(&rt->cancel, 0);
  rt->L = lua_newstate(limited_alloc, rt);
  if (rt->L == NULL) {
    alloc(opts->alloc_ud, rt, sizeof *rt, 0);
    return NULL;
  }
  *(mast_runtime **)lua_getextraspace(rt->L) = rt;
  lua_pushcfunction(rt->L, setup);
  lua_pushlightuserdata(rt->L, (void *)opts);
  if (lua_pcall(rt->L, 1, 0, 0) != LUA_OK) {
    if (rt->log != NULL) rt->log(rt->log_ud, 2, lua_tostring(rt->L, -1));
    mast_runtime_close(rt);
    return NULL;
  }
  return rt;
}

static void set_error(mast_runtime *rt, const char *msg) {
  size_t n = strlen(msg) + 1;
  free(rt->error);
  rt->error = malloc(n);
  if (rt->error != NULL) memcpy(rt->error, msg, n);
}

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) msg = lua_tostring(L, -1);
    else msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  /* keep the error object for its code: return it and the text */
  luaL_traceback(L, L, msg, 1);
  lua_createtable(L, 2, 0);
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, 1);
  lua_insert(L, -2);
  lua_rawseti(L, -2, 2);
  return 1;
}

/* The code of a failed run, from the error object (at the top of the
** stack: {error, text}) and the runtime's flags. */
static int code_of(mast_runtime *rt, lua_State *L) {
  int code = MAST_ESCRIPT;
  if (rt->over_memory || rt->over_instructions) return MAST_ELIMIT;
  if (atomic_load(&rt->cancel)) return MAST_ECANCELLED;
  lua_rawgeti(L, -1, 1);
  if (lua_type(L, -1) == LUA_TTABLE && lua_getfield(L, -1, "code") == LUA_TSTRING) {
    int c = mast_code_from_name(lua_tostring(L, -1));
    if (c >= 0) code = c;
    lua_pop(L, 1);
  } else if (lua_type(L, -1) == LUA_TTABLE) {
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return code;
}

/* Encodes the value at index 1 (runs under lua_pcall: the encoder may
** raise a memory error). Arg 2: a mast_json_error. Returns the text or nil. */
static int encode_result(lua_State *L) {
  mast_json_error *err = lua_touserdata(L, 2);
  if (!mast_json_encode(L, 1, "result", err)) lua_pushnil(L);
  return 1;
}

static int run(mast_runtime *rt, int status, char **json) {
  lua_State *L = rt->L;
  int code = MAST_OK;
  if (json != NULL) *json = NULL;
  if (status != LUA_OK) {   /* a syntax error, or a file that cannot be read */
    set_error(rt, lua_tostring(L, -1) ? lua_tostring(L, -1) : "cannot load the chunk");
    lua_settop(L, 0);
    if (status == LUA_ERRMEM) return rt->over_memory ? MAST_ELIMIT : MAST_ENOMEM;
    return MAST_EUSAGE;
  }
  if (rt->sandbox) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->env_ref);
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
  }
  atomic_store(&rt->cancel, 0);
  mast_cancel_reset(rt->ctx);
  rt->icount = 0;
  rt->over_memory = rt->over_instructions = 0;
  lua_pushcfunction(L, traceback);
  lua_insert(L, -2);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
  status = lua_pcall(L, 0, 1, -2);
  lua_sethook(L, NULL, 0, 0);
  if (status != LUA_OK) mast_lua_cleanup(L);   /* e.g. a TAP job a cancel left on the server */
  if (status != LUA_OK) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      code = code_of(rt, L);
      lua_rawgeti(L, -1, 2);
      set_error(rt, lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
    } else {   /* memory error, or an error in the handler */
      code = rt->over_memory ? MAST_ELIMIT : MAST_ENOMEM;
      set_error(rt, rt->over_memory ? "the memory limit was reached"
                                    : (lua_tostring(L, -1) ? lua_tostring(L, -1) : "error"));
    }
  } else {
    set_error(rt, "");
    if (json != NULL) {
      mast_json_error err;
      lua_pushcfunction(L, encode_result);
      lua_insert(L, -2);
      lua_pushlightuserdata(L, &err);
      if (lua_pcall(L, 2, 1, 0) != LUA_OK) {   /* out of memory */
        code = rt->over_memory ? MAST_ELIMIT : MAST_ENOMEM;
        set_error(rt, rt->over_memory ? "the memory limit was reached"
                                      : "not enough memory to encode the result");
      } else if (lua_isnil(L, -1)) {
        set_error(rt, err.msg);
        code = MAST_EUSAGE;
      } else {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        *json = malloc(len + 1);
        if (*json == NULL) code = MAST_ENOMEM;
        else memcpy(*json, s, len + 1);
      }
    }
  }
  lua_settop(L, 0);
  return code;
}

MAST_API int mast_runtime_dostring(mast_runtime *rt, const char *code, const char *name,
                                   char **json) {
  int status;
  lua_settop(rt->L, 0);
  status = luaL_loadbufferx(rt->L, code, strlen(code), name ? name : "=(host)", "t");
  return run(rt, status, json);
}

MAST_API int mast_runtime_dofile(mast_runtime *rt, const char *path, char **json) {
  int status;
  lua_settop(rt->L, 0);
  status = luaL_loadfilex(rt->L, path, "t");
  return run(rt, status, json);
}

MAST_API const char *mast_runtime_error(mast_runtime *rt) { return rt->error ? rt->error : ""; }

MAST_API void mast_runtime_cancel(mast_runtime *rt) {
  atomic_store(&rt->cancel, 1);
  if (rt->ctx != NULL) mast_cancel(rt->ctx);   /* wakes a transfer or a poll wait */
}

MAST_API lua_State *mast_runtime_state(mast_runtime *rt) { return rt->L; }
MAST_API mast_ctx *mast_runtime_ctx(mast_runtime *rt) { return rt->ctx; }

MAST_API void mast_runtime_close(mast_runtime *rt) {
  mast_alloc_fn alloc;
  void *ud;
  if (rt == NULL) return;
  if (rt->L != NULL) lua_close(rt->L);
  free(rt->error);
  alloc = rt->alloc;
  ud = rt->alloc_ud;
  alloc(ud, rt, sizeof *rt, 0);
}
