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
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
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

static int take_dataset(mast_runtime *rt, lua_State *L, mast_dataset **ds);

static int run(mast_runtime *rt, int status, char **json, mast_dataset **ds) {
  lua_State *L = rt->L;
  int code = MAST_OK;
  if (json != NULL) *json = NULL;
  if (ds != NULL) *ds = NULL;
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
    } else if (ds != NULL) {
      code = take_dataset(rt, L, ds);
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
  return run(rt, status, json, NULL);
}

MAST_API int mast_runtime_dofile(mast_runtime *rt, const char *path, char **json) {
  int status;
  lua_settop(rt->L, 0);
  status = luaL_loadfilex(rt->L, path, "t");
  return run(rt, status, json, NULL);
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

/* ---- datasets handed to C (mast_dataset_*) ---- */

typedef struct dcol {
  char *name, *mtype;
  int type;                /* a mast_column_type; 0 while it is to be taken from the values */
  void *values;            /* int64_t[], double[], unsigned char[], or (strings) const char *[] */
  size_t *offs;            /* strings while building: offsets into the arena */
  unsigned char *nulls;
} dcol;

struct mast_dataset {
  size_t nrow, ncol;
  dcol *cols;
  char *arena;             /* every string's bytes, each NUL-terminated */
  size_t alen, acap;
};

MAST_API void mast_dataset_free(mast_dataset *ds) {
  size_t j;
  if (ds == NULL) return;
  for (j = 0; ds->cols != NULL && j < ds->ncol; j++) {
    free(ds->cols[j].name);
    free(ds->cols[j].mtype);
    free(ds->cols[j].values);
    free(ds->cols[j].offs);
    free(ds->cols[j].nulls);
  }
  free(ds->cols);
  free(ds->arena);
  free(ds);
}

static char *dup_string(lua_State *L, const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d == NULL) luaL_error(L, "out of memory");
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* Appends n bytes and a NUL to the arena; returns their offset. */
static size_t arena_add(lua_State *L, mast_dataset *ds, const char *s, size_t n) {
  size_t at = ds->alen;
  if (ds->acap - ds->alen < n + 1) {
    size_t cap = ds->acap ? ds->acap : 4096;
    char *a;
    while (cap - ds->alen < n + 1) {
      if (cap > SIZE_MAX / 2) luaL_error(L, "out of memory");
      cap *= 2;
    }
    a = realloc(ds->arena, cap);
    if (a == NULL) luaL_error(L, "out of memory");
    ds->arena = a;
    ds->acap = cap;
  }
  memcpy(ds->arena + at, s, n);
  ds->arena[at + n] = '\0';
  ds->alen += n + 1;
  return at;
}

static int is_null(lua_State *L, int i) {
  return lua_isnoneornil(L, i) || (lua_type(L, i) == LUA_TLIGHTUSERDATA && lua_touserdata(L, i) == NULL);
}

/* The C type of a column mast has no MAST type for, from its values (the
** column's value of every row is pushed in turn by the caller's loop). */
static int infer_type(lua_State *L, int data, int name, size_t nrow) {
  int ints = 1, nums = 1, bools = 1, any = 0;
  size_t r;
  for (r = 1; r <= nrow; r++) {
    if (lua_rawgeti(L, data, (lua_Integer)r) == LUA_TTABLE) {
      lua_pushvalue(L, name);
      lua_rawget(L, -2);
      if (!is_null(L, -1)) {
        any = 1;
        if (!lua_isinteger(L, -1)) ints = 0;
        if (lua_type(L, -1) != LUA_TNUMBER) nums = 0;
        if (lua_type(L, -1) != LUA_TBOOLEAN) bools = 0;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (!ints && !nums && !bools) break;
  }
  if (!any) return MAST_COLUMN_STRING;
  if (ints) return MAST_COLUMN_INT64;
  if (nums) return MAST_COLUMN_DOUBLE;
  if (bools) return MAST_COLUMN_BOOL;
  return MAST_COLUMN_STRING;
}

/* The text of a non-null value at the top, for a STRING column, into the
** arena (the value stays where it is). */
static size_t string_of(lua_State *L, mast_dataset *ds, size_t r, const dcol *c) {
  char num[64];
  size_t len;
  const char *s;
  int t = lua_type(L, -1);
  if (t == LUA_TSTRING) {
    s = lua_tolstring(L, -1, &len);
    return arena_add(L, ds, s, len);
  }
  if (t == LUA_TBOOLEAN) {
    s = lua_toboolean(L, -1) ? "true" : "false";
    return arena_add(L, ds, s, strlen(s));
  }
  if (lua_isinteger(L, -1)) {
    len = (size_t)snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, -1));
    return arena_add(L, ds, num, len);
  }
  if (t == LUA_TNUMBER) {
    double d = lua_tonumber(L, -1);
    if (isnan(d) || isinf(d)) {
      s = isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
      return arena_add(L, ds, s, strlen(s));
    }
  }
  {  /* a float (the JSON codec's shortest exact form), a list or a table: JSON text */
    mast_json_error e;
    size_t at;
    if (!mast_json_encode(L, lua_gettop(L), "value", &e))
      luaL_error(L, "row %d, column '%s': %s", (int)r, c->name, e.msg);
    s = lua_tolstring(L, -1, &len);
    at = arena_add(L, ds, s, len);
    lua_pop(L, 1);
    return at;
  }
}

/* Copies the dataset at index 1 into the mast_dataset at index 2 (a light
** userdata, zeroed). Runs under lua_pcall; on an error the caller frees
** what was copied so far. */
static int collect(lua_State *L) {
  mast_dataset *ds = lua_touserdata(L, 2);
  int env, fields, data, names;
  size_t j, r;
  lua_settop(L, 2);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast.dataset");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "of");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 2);                       /* 3 dataset module, 4 envelope or nil, 5 what it was */
  if (lua_isnil(L, 4))
    return luaL_error(L, "the result is not a dataset (a table with fields and data), but %s",
                      lua_isstring(L, 5) ? lua_tostring(L, 5) : luaL_typename(L, 1));
  lua_settop(L, 4);
  env = 4;
  lua_getfield(L, env, "fields");          /* 5 */
  lua_getfield(L, env, "data");            /* 6 */
  fields = 5;
  data = 6;
  if (!lua_istable(L, fields) || !lua_istable(L, data))
    return luaL_error(L, "the result's fields and data must be tables");
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast.columnar");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "kind");             /* 8: columnar.kind(MAST type) */
  ds->ncol = lua_rawlen(L, fields);
  ds->nrow = lua_rawlen(L, data);
  if (!lua_checkstack(L, (int)ds->ncol + 20)) return luaL_error(L, "too many columns");
  ds->cols = calloc(ds->ncol ? ds->ncol : 1, sizeof *ds->cols);
  if (ds->cols == NULL) return luaL_error(L, "out of memory");
  names = lua_gettop(L) + 1;               /* the names, as Lua strings, at names + j */
  for (j = 0; j < ds->ncol; j++) {
    dcol *c = &ds->cols[j];
    size_t len, n = ds->nrow ? ds->nrow : 1;
    const char *s;
    lua_rawgeti(L, fields, (lua_Integer)j + 1);
    if (!lua_istable(L, -1) || lua_getfield(L, -1, "name") != LUA_TSTRING)
      return luaL_error(L, "fields[%d] must be {name = <string>, type = <string>}", (int)j + 1);
    s = lua_tolstring(L, -1, &len);
    c->name = dup_string(L, s, len);
    lua_getfield(L, -2, "type");
    s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : (len = 0, "");
    c->mtype = dup_string(L, s, len);
    lua_pushvalue(L, 8);
    lua_insert(L, -2);
    lua_call(L, 1, 1);                     /* kind */
    s = lua_tostring(L, -1);
    c->type = strcmp(s, "integer") == 0   ? MAST_COLUMN_INT64
              : strcmp(s, "float") == 0   ? MAST_COLUMN_DOUBLE
              : strcmp(s, "boolean") == 0 ? MAST_COLUMN_BOOL
              : strcmp(s, "string") == 0  ? MAST_COLUMN_STRING
                                          : 0;
    lua_pop(L, 1);                          /* stack: ..., field, name */
    lua_remove(L, -2);                      /* the name stays at names + j */
    if (c->type == 0) c->type = infer_type(L, data, lua_gettop(L), ds->nrow);
    /* MAST declares its 64-bit ids "string" and sends them as integers:
       such a column stays integers, exact (as mast.json2table keeps them) */
    else if (c->type == MAST_COLUMN_STRING && ds->nrow > 0 &&
             infer_type(L, data, lua_gettop(L), ds->nrow) == MAST_COLUMN_INT64)
      c->type = MAST_COLUMN_INT64;
    c->nulls = calloc(n, 1);
    if (c->type == MAST_COLUMN_STRING) c->offs = calloc(n, sizeof *c->offs);
    else c->values = calloc(n, c->type == MAST_COLUMN_INT64 ? sizeof(int64_t)
                                 : c->type == MAST_COLUMN_DOUBLE ? sizeof(double) : 1);
    if (c->nulls == NULL || (c->offs == NULL && c->values == NULL)) return luaL_error(L, "out of memory");
  }
  for (r = 0; r < ds->nrow; r++) {
    if (lua_rawgeti(L, data, (lua_Integer)r + 1) != LUA_TTABLE)
      return luaL_error(L, "data[%d] must be a row table", (int)r + 1);
    for (j = 0; j < ds->ncol; j++) {
      dcol *c = &ds->cols[j];
      lua_pushvalue(L, names + (int)j);
      lua_rawget(L, -2);
      if (is_null(L, -1)) {
        c->nulls[r] = 1;
      } else if (c->type == MAST_COLUMN_STRING) {
        c->offs[r] = string_of(L, ds, r + 1, c);
      } else {
        int ok = 0;
        if (c->type == MAST_COLUMN_INT64) {
          lua_Integer v = 0;
          if (lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING) v = lua_tointegerx(L, -1, &ok);
          ((int64_t *)c->values)[r] = (int64_t)v;
        } else if (c->type == MAST_COLUMN_DOUBLE) {
          lua_Number v = 0;
          if (lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING) v = lua_tonumberx(L, -1, &ok);
          ((double *)c->values)[r] = (double)v;
        } else if (lua_type(L, -1) == LUA_TBOOLEAN) {
          ok = 1;
          ((unsigned char *)c->values)[r] = (unsigned char)lua_toboolean(L, -1);
        }
        if (!ok) {
          const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_pushfstring(L, "'%s'", lua_tostring(L, -1))
                                                         : luaL_tolstring(L, -1, NULL);
          return luaL_error(L, "row %d, column '%s' (type %s): %s is not %s", (int)r + 1, c->name, c->mtype, v,
                            c->type == MAST_COLUMN_INT64 ? "an integer"
                            : c->type == MAST_COLUMN_DOUBLE ? "a number" : "true or false");
        }
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return 0;
}

/* Turns the string columns' offsets into pointers, once the arena no longer moves. */
static int finish_dataset(mast_dataset *ds) {
  size_t j, r;
  for (j = 0; j < ds->ncol; j++) {
    dcol *c = &ds->cols[j];
    const char **p;
    if (c->type != MAST_COLUMN_STRING) continue;
    p = calloc(ds->nrow ? ds->nrow : 1, sizeof *p);
    if (p == NULL) return 0;
    for (r = 0; r < ds->nrow; r++) p[r] = c->nulls[r] ? NULL : ds->arena + c->offs[r];
    c->values = (void *)p;
    free(c->offs);
    c->offs = NULL;
  }
  return 1;
}

/* The run's result at the top of the stack into *ds. */
static int take_dataset(mast_runtime *rt, lua_State *L, mast_dataset **ds) {
  mast_dataset *d = calloc(1, sizeof *d);
  int status;
  if (d == NULL) {
    set_error(rt, "not enough memory for the dataset");
    return MAST_ENOMEM;
  }
  lua_pushcfunction(L, collect);
  lua_insert(L, -2);
  lua_pushlightuserdata(L, d);
  status = lua_pcall(L, 2, 0, 0);
  if (status != LUA_OK || !finish_dataset(d)) {
    int code = rt->over_memory ? MAST_ELIMIT : status == LUA_ERRMEM ? MAST_ENOMEM : MAST_EUSAGE;
    if (status == LUA_OK) code = MAST_ENOMEM;
    set_error(rt, rt->over_memory ? "the memory limit was reached"
                  : status == LUA_OK ? "not enough memory for the dataset"
                  : lua_tostring(L, -1) ? lua_tostring(L, -1) : "cannot copy the dataset");
    if (code == MAST_EUSAGE && strstr(rt->error ? rt->error : "", "out of memory") != NULL) code = MAST_ENOMEM;
    mast_dataset_free(d);
    return code;
  }
  *ds = d;
  return MAST_OK;
}

MAST_API mast_dataset *mast_dataset_get(mast_runtime *rt, const char *code, char *err, size_t errlen) {
  lua_State *L = rt->L;
  mast_dataset *ds = NULL;
  size_t n = strlen(code);
  char *expr = malloc(n + 8);
  int status, rc;
  lua_settop(L, 0);
  if (expr == NULL) {
    if (err != NULL && errlen > 0) snprintf(err, errlen, "out of memory");
    return NULL;
  }
  /* an expression first ("mast.query{...}", "r"), else the chunk as it is */
  memcpy(expr, "return ", 7);
  memcpy(expr + 7, code, n + 1);
  status = luaL_loadbufferx(L, expr, n + 7, "=(host)", "t");
  free(expr);
  if (status == LUA_ERRSYNTAX) {
    lua_pop(L, 1);
    status = luaL_loadbufferx(L, code, n, "=(host)", "t");
  }
  rc = run(rt, status, NULL, &ds);
  if (rc != MAST_OK && err != NULL && errlen > 0) snprintf(err, errlen, "%s", mast_runtime_error(rt));
  return rc == MAST_OK ? ds : NULL;
}

MAST_API size_t mast_dataset_rows(const mast_dataset *ds) { return ds ? ds->nrow : 0; }
MAST_API size_t mast_dataset_cols(const mast_dataset *ds) { return ds ? ds->ncol : 0; }

static const dcol *col_at(const mast_dataset *ds, size_t i) {
  return ds != NULL && i < ds->ncol ? &ds->cols[i] : NULL;
}

MAST_API const char *mast_dataset_name(const mast_dataset *ds, size_t i) {
  const dcol *c = col_at(ds, i);
  return c ? c->name : NULL;
}

MAST_API int mast_dataset_type(const mast_dataset *ds, size_t i) {
  const dcol *c = col_at(ds, i);
  return c ? c->type : 0;
}

MAST_API const char *mast_dataset_mast_type(const mast_dataset *ds, size_t i) {
  const dcol *c = col_at(ds, i);
  return c ? c->mtype : NULL;
}

MAST_API long mast_dataset_find(const mast_dataset *ds, const char *name) {
  size_t j;
  for (j = 0; ds != NULL && name != NULL && j < ds->ncol; j++)
    if (strcmp(ds->cols[j].name, name) == 0) return (long)j;
  return -1;
}

static const void *values_of(const mast_dataset *ds, size_t i, int type) {
  const dcol *c = col_at(ds, i);
  return c != NULL && c->type == type ? c->values : NULL;
}

MAST_API const int64_t *mast_dataset_int64(const mast_dataset *ds, size_t i) {
  return values_of(ds, i, MAST_COLUMN_INT64);
}
MAST_API const double *mast_dataset_double(const mast_dataset *ds, size_t i) {
  return values_of(ds, i, MAST_COLUMN_DOUBLE);
}
MAST_API const char *const *mast_dataset_string(const mast_dataset *ds, size_t i) {
  return values_of(ds, i, MAST_COLUMN_STRING);
}
MAST_API const unsigned char *mast_dataset_bool(const mast_dataset *ds, size_t i) {
  return values_of(ds, i, MAST_COLUMN_BOOL);
}
MAST_API const unsigned char *mast_dataset_nulls(const mast_dataset *ds, size_t i) {
  const dcol *c = col_at(ds, i);
  return c ? c->nulls : NULL;
}
