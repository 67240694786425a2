/*
** mast_lua.h -- embedding mast in a program that owns a lua_State.
**
**   lua_State *L = luaL_newstate();
**   luaL_openlibs(L);
**   mast_lua_setup(L, &opts);             -- optional: cancel flag, noenv, terminal
**   mast_openlibs(L, 0);                  -- require "mast" now works
**   mast_ctx *ctx = mast_lua_ctx(L);      -- configure it from C if you like
**
** One lua_State per thread; each state has its own mast context.
*/
#ifndef MAST_LUA_H
#define MAST_LUA_H

#include <lua.h>

#include "mast/mast.h"

#ifdef __cplusplus
#include <atomic>
typedef std::atomic<int> mast_flag;
#else
#include <stdatomic.h>
typedef atomic_int mast_flag;
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* What a host tells mast about itself, before the context exists.
** Call mast_lua_setup before the first require of mast.core (the context
** is made then, and reads noenv then); a later call changes the cancel
** flag and terminal only. Without it, mast behaves as in a plain Lua
** interpreter: the environment is read, terminal output is allowed, and
** there is no host cancel flag. Start from memset 0 and set struct_size
** to sizeof(mast_lua_options): fields are only ever added at the end.
** Returns MAST_OK, or MAST_EUSAGE for a NULL or too short struct. */
typedef struct mast_lua_options {
  size_t struct_size;       /* sizeof(mast_lua_options) */
  mast_flag *cancel_flag;   /* a flag the host's signal handler may set to
                               1 (atomic_store) to cancel transfers and polling
                               waits, as mast_interrupt does; NULL: none. mast
                               sets it to 2 once it has raised its "cancelled"
                               error for that cancel, so that the host's hook
                               need not stop Lua code too (see
                               mast_lua_cancel_error) */
  int noenv;                /* ignore the MAST_* environment variables */
  int terminal;             /* mast may draw its progress line on stderr: only
                               a program that owns the terminal sets this */
} mast_lua_options;
MAST_API int mast_lua_setup(lua_State *L, const mast_lua_options *o);

/* Sends at once the requests mast registered to undo server-side state
** (an asynchronous TAP job to delete) that a cancelled run left behind,
** with cancellation held off for at most a few seconds, and forgets them.
** mast does this itself when a transfer or a wait is cancelled; a host
** whose cancel can also stop Lua code elsewhere (a debug hook) calls it
** after such a run. Never raises. */
MAST_API void mast_lua_cleanup(lua_State *L);

/* Raises the error a cancel gives Lua code: a mast error with code
** "cancelled" and message msg (NULL: "cancelled"), or that text when mast
** was never loaded. For a host's debug hook that stops Lua code on Ctrl-C;
** the hook may skip it when the cancel flag reads 2 (mast has raised the
** cancel already, with a message saying what the cancel left). */
MAST_API int mast_lua_cancel_error(lua_State *L, const char *msg);

/* The C module behind require "mast.core". */
MAST_API int luaopen_mast_core(lua_State *L);

/* The context of L's mast module, created on first use (raises a Lua
** memory error if it cannot be). */
MAST_API mast_ctx *mast_lua_ctx(lua_State *L);

#define MAST_OPEN_NOENV 0x01u   /* ignore the MAST_* environment variables
                                   (the noenv of mast_lua_setup) */

/* Makes mast.core and every Lua module of mast (compiled into the library)
** available to require, through package.preload. Opens nothing else: the
** host chooses which standard libraries to open. */
MAST_API void mast_openlibs(lua_State *L, unsigned flags);

/* The Lua half of mast_openlibs: only the embedded Lua modules (for a host
** that loads mast.core itself, as the mast program does). */
MAST_API void mast_preload_lua(lua_State *L, unsigned flags);

/* Adds a package searcher, ahead of package.preload, that loads mast's Lua
** modules from dir (dir/?.lua, dir/?/init.lua): a development tree then
** wins over the compiled-in copies. */
MAST_API void mast_add_lua_dir(lua_State *L, const char *dir);

/* ---- the convenience layer: a runtime for hosts that do not use Lua ----
**
**   mast_runtime *rt = mast_runtime_new(NULL);          -- defaults
**   char *json = NULL;
**   if (mast_runtime_dostring(rt, "return mast.query{...}", NULL, &json) == MAST_OK)
**     puts(json);                                       -- the result as JSON text
**   else
**     fprintf(stderr, "%s\n", mast_runtime_error(rt));
**   free(json);
**   mast_runtime_close(rt);
*/

typedef struct mast_runtime mast_runtime;

enum { MAST_PROFILE_FULL = 0, MAST_PROFILE_SANDBOX = 1 };

typedef struct mast_runtime_options {
  int profile;                     /* MAST_PROFILE_FULL or MAST_PROFILE_SANDBOX */
  int use_environment;             /* read MAST_* variables (default 0: no) */
  const char *base_url;            /* NULL: https://mast.stsci.edu */
  mast_alloc_fn alloc;             /* NULL: malloc; used by Lua and by mast */
  void *alloc_ud;
  mast_token_fn token;             /* asked for the token when one is needed */
  void *token_ud;
  mast_log_fn log;                 /* messages, and what the script print()s */
  void *log_ud;
  mast_event_fn progress;          /* progress of transfers and queries */
  void *progress_ud;
  /* sandbox profile: */
  const char *download_root;       /* the only directory files may be written below
                                      (relative paths are taken from it) */
  const char *const *allow_urls;   /* NULL-terminated URL prefixes; NULL: the base URL */
  /* limits, 0 for none (either profile): */
  unsigned long instruction_limit; /* Lua VM instructions per run */
  size_t memory_limit;             /* bytes of Lua heap */
} mast_runtime_options;

/* Creates a runtime: a lua_State with mast loaded (as the global `mast`) and
** configured. opts may be NULL. Returns NULL when out of memory or when a
** setting is invalid (bad base URL, missing download root). */
MAST_API mast_runtime *mast_runtime_new(const mast_runtime_options *opts);

/* Runs a chunk (Lua text only) and gives back its first result as JSON text
** (malloc'd; free() it) if json is not NULL. Returns MAST_OK or an error
** code: the mast error's code for a mast error, MAST_ESCRIPT for an error the
** script raised itself, MAST_ELIMIT for a limit, MAST_ECANCELLED. */
MAST_API int mast_runtime_dostring(mast_runtime *rt, const char *code, const char *name,
                                   char **json);
MAST_API int mast_runtime_dofile(mast_runtime *rt, const char *path, char **json);

/* The last run's error message (with a traceback), or "" after a success. */
MAST_API const char *mast_runtime_error(mast_runtime *rt);

/* Stops the running script promptly with a "cancelled" error: in-flight
** transfers, polling waits and Lua code alike. Any thread may call it. */
MAST_API void mast_runtime_cancel(mast_runtime *rt);

MAST_API lua_State *mast_runtime_state(mast_runtime *rt);
MAST_API mast_ctx *mast_runtime_ctx(mast_runtime *rt);
MAST_API void mast_runtime_close(mast_runtime *rt);

/* ---- datasets handed to C: typed columns, no JSON text ----
**
**   char err[512];
**   mast_dataset *ds = mast_dataset_get(rt, "mast.caom.cone{ra = 10.68, dec = 41.27}",
**                                       err, sizeof err);
**   if (ds == NULL) { fprintf(stderr, "%s\n", err); ... }
**   int c = mast_dataset_find(ds, "obsid");
**   const int64_t *id = mast_dataset_int64(ds, (size_t)c);   -- NULL if not an INT64 column
**   const unsigned char *null = mast_dataset_nulls(ds, (size_t)c);
**   for (size_t i = 0; i < mast_dataset_rows(ds); i++) if (!null[i]) use(id[i]);
**   mast_dataset_free(ds);
**
** Every column is copied out of Lua into C memory (malloc'd): a dataset
** outlives its runtime and never touches the lua_State again. A column's C
** type follows its MAST type ("int", "long", ... -> INT64; "float",
** "double", ... -> DOUBLE; "boolean" -> BOOL; "string", "char", "date", ...
** -> STRING, except that a "string" column whose values are all integers,
** as MAST sends its 64-bit ids, is INT64); a type mast does not know ("array", none) is taken from the
** values (all integers: INT64, all numbers: DOUBLE, all booleans: BOOL,
** else STRING). In a STRING column a number is its exact text (an integer
** in decimal, a float in the shortest form that reads back the same), a
** boolean "true"/"false", a list or table its JSON text. A value that does
** not fit its column's type (a word in an "int" column) fails the call,
** naming the row and the column. Nulls (mast.null, or a missing value) are
** 1 in mast_dataset_nulls; their value slot is 0, 0.0, false or NULL. */
typedef struct mast_dataset mast_dataset;

typedef enum mast_column_type {
  MAST_COLUMN_INT64 = 1,    /* int64_t, exact (64-bit ids) */
  MAST_COLUMN_DOUBLE = 2,   /* double (NaN and infinities kept) */
  MAST_COLUMN_STRING = 3,   /* const char * (UTF-8, NUL-terminated; NULL for a null) */
  MAST_COLUMN_BOOL = 4      /* unsigned char, 0 or 1 */
} mast_column_type;

/* Runs code in the runtime as mast_runtime_dostring does (same profile,
** hooks and limits): an expression ("mast.query{...}", "r", a global's
** name) or a chunk that returns the dataset ("local r = ...; return r").
** Its first result must be a dataset (a mast.Result, a mast.Table, or any
** {fields, data} table). Returns the dataset, or NULL with the reason in
** err (and in mast_runtime_error); err may be NULL. */
MAST_API mast_dataset *mast_dataset_get(mast_runtime *rt, const char *code, char *err, size_t errlen);

MAST_API size_t mast_dataset_rows(const mast_dataset *ds);
MAST_API size_t mast_dataset_cols(const mast_dataset *ds);
/* Column i (0-based): its name, its C type (0 for i out of range), and the
** MAST type the dataset declared for it ("" when none). */
MAST_API const char *mast_dataset_name(const mast_dataset *ds, size_t i);
MAST_API int mast_dataset_type(const mast_dataset *ds, size_t i);
MAST_API const char *mast_dataset_mast_type(const mast_dataset *ds, size_t i);
/* The index of the column called name, or -1. */
MAST_API long mast_dataset_find(const mast_dataset *ds, const char *name);
/* Column i's values, one per row; NULL when the column is of another type
** (or i is out of range). */
MAST_API const int64_t *mast_dataset_int64(const mast_dataset *ds, size_t i);
MAST_API const double *mast_dataset_double(const mast_dataset *ds, size_t i);
MAST_API const char *const *mast_dataset_string(const mast_dataset *ds, size_t i);
MAST_API const unsigned char *mast_dataset_bool(const mast_dataset *ds, size_t i);
/* Column i's null indicators: 1 where the value is null, one per row. */
MAST_API const unsigned char *mast_dataset_nulls(const mast_dataset *ds, size_t i);
MAST_API void mast_dataset_free(mast_dataset *ds);

#ifdef __cplusplus
}
#endif
#endif
