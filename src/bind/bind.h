/*
** bind.h -- internal declarations shared by the Lua binding's files.
*/
#ifndef MAST_BIND_H
#define MAST_BIND_H

#include <lua.h>
#include <lauxlib.h>

#include "mast/mast.h"

#define MAST_ERROR_MT "mast.Error"
#define MAST_CONTEXT_MT "mast.Context"

/* The context of L's mast module (created on first use). Never NULL: raises
** a memory error if it cannot be made. */
mast_ctx *mast_bind_ctx(lua_State *L);
/* Where mast_lua_setup (src/host/setup.c, linked into the host) leaves
** its copy of the host's options for the binding (which may be a separately
** loaded core.so): a full userdata of type mast_lua_options with this
** metatable, at this registry field. */
#define MAST_OPTIONS_KEY "mast.options"
#define MAST_OPTIONS_MT "mast.LuaOptions"
/* The context if it exists (NULL if not yet made, or closed); never raises. */
mast_ctx *mast_bind_ctx_if_open(lua_State *L);

/* Error objects: a table {code=, message=, ...} with metatable mast.Error,
** whose __tostring is the message. push: leaves it on the stack. */
void mast_error_init(lua_State *L);
void mast_push_error(lua_State *L, int code, const char *msg);
int mast_raise(lua_State *L, int code, const char *fmt, ...);
void mast_push_result_error(lua_State *L, const mast_result *r);
void mast_error_register(lua_State *L);   /* adds error() etc. to the table on top */

/* Field helpers for option tables. */
const char *mast_opt_string(lua_State *L, int t, const char *k, const char *def);
double mast_opt_number(lua_State *L, int t, const char *k, double def);
int mast_opt_bool(lua_State *L, int t, const char *k, int def);

/* output (loutput.c): adds open_output to the table on top */
void mast_output_register(lua_State *L);

/* disk cache (lcache.c): adds cache_dir/cache_get/cache_put/cache_clear to the table on top */
void mast_cache_register(lua_State *L);

/* votable.c: adds votable_decode to the table on top */
void mast_votable_register(lua_State *L);

/* csv.c: adds csv_record and csv_columns to the table on top */
void mast_csv_register(lua_State *L);

/* votable_write.c: adds votable_rows to the table on top */
void mast_votable_write_register(lua_State *L);

/* xml.c: adds xml_decode to the table on top */
void mast_xml_register(lua_State *L);

/* What both XML readers (xml.c, votable.c) share, so that they refuse and
** report alike: "line L, column C: msg" at the parser's place into buf; the
** local name of an element (its namespace prefix dropped); the refusal of a
** DOCTYPE (so that no entity can expand). p is an XML_Parser (expat.h). */
struct XML_ParserStruct;
void mast_xml_where(struct XML_ParserStruct *p, char *buf, size_t n, const char *msg);
const char *mast_xml_local(const char *name);
#define MAST_XML_NO_DOCTYPE "a DOCTYPE (refused: entities could expand without bound)"

/* sky.c: adds sky_match (mast.sky's cross-match kernel) to the table on top */
void mast_sky_register(lua_State *L);
/* lops.c: adds argsort/take/pluck to the table on top, and gives the null
** (every light userdata of L) its metatable: ordered last, printed "null" */
void mast_ops_register(lua_State *L);
/* plot.c: adds plot_canvas/plot_stretch/png_read to the table on top */
void mast_plot_register(lua_State *L);
/* fits.c: adds fits_open/fits_open_memory/fits_write_table to the table on top */
void mast_fits_register(lua_State *L);

/* The parts that link cairo and cfitsio are side modules, mast.core_plot and
** mast.core_fits (mast/core_plot.so, mast/core_fits.so), loaded on first
** use, so that `require "mast"` does not pay for those libraries and theirs.
** A side module is its own shared object: it borrows the error and option
** helpers of the mast.core already loaded (whose context scrubs messages)
** through this table, a light userdata at registry field MAST_SIDE_API.
** In libmast both are linked in and preloaded under the same names. */
typedef struct mast_side_api {
  void (*push_error)(lua_State *L, int code, const char *msg);
  const char *(*opt_string)(lua_State *L, int t, const char *k, const char *def);
  double (*opt_number)(lua_State *L, int t, const char *k, double def);
  int (*opt_bool)(lua_State *L, int t, const char *k, int def);
} mast_side_api;
#define MAST_SIDE_API "mast.side_api"
MAST_API int luaopen_mast_core_plot(lua_State *L);
MAST_API int luaopen_mast_core_fits(lua_State *L);

/* json */
void mast_json_register(lua_State *L);   /* adds json_encode/json_decode/null/array/object */
struct mast_json_error;
/* Pushes the "json" error for text (len bytes) that did not decode: what
** (may be NULL) names it. An HTML page (a proxy's or a maintenance page sent
** with status 200) is named by its <title>, not by a JSON offset. */
void mast_push_json_error(lua_State *L, const char *what, const char *text, size_t len,
                          const struct mast_json_error *err);

#endif
