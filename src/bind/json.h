/*
** json.h
** Exact, hostile-input-safe JSON codec for Lua 5.4 (C core of mast's json module).
**
** Decoding (mast_json_decode)
**   null            -> lightuserdata NULL (the same value as lua-cjson's cjson.null)
**   true/false      -> booleans
**   integer literal (no '.', no exponent) -> Lua integer when it fits in int64
**                   (-9223372036854775808 .. 9223372036854775807), else the correctly
**                   rounded double (2^63 -> 9.2233720368547758e18); "-0" -> float -0.0
**   other numbers   -> correctly rounded doubles, independent of the C locale
**                   (subnormals exact; a number whose magnitude rounds to infinity,
**                   e.g. 1e309, is an ERROR naming the number; one that underflows
**                   rounds to 0 or to a subnormal as IEEE round-to-nearest says)
**   strings         -> Lua strings; \uXXXX escapes become UTF-8 (surrogate pairs
**                   combined, lone surrogates rejected); raw bytes must be valid UTF-8
**                   (no overlongs, no encoded surrogates, nothing above U+10FFFF);
**                   raw control characters (< 0x20) are rejected
**   arrays/objects  -> tables; duplicate keys: the last one wins; an EMPTY array gets
**                   the metatable MAST_JSON_ARRAY_MT and an EMPTY object gets
**                   MAST_JSON_OBJECT_MT, so that re-encoding keeps [] and {} apart
**                   (non-empty containers get no metatable)
**   A leading UTF-8 BOM is skipped; empty input, trailing non-whitespace and
**   nesting deeper than MAST_JSON_MAX_DEPTH containers are errors.
**
** Encoding (mast_json_encode): compact output, no spaces.
**   nil, lightuserdata NULL -> null; booleans -> true/false
**   integers        -> decimal integers (INT64_MIN included)
**   floats          -> the shortest of %.15g/%.16g/%.17g that reads back to the same
**                   double, with '.' whatever the locale; an integral float keeps a
**                   ".0" (5.0, -0.0; exponent forms such as 1e+21 are left as they
**                   are), so the integer/float distinction survives a round trip;
**                   NaN and +-inf are errors
**   strings         -> '"', '\\' and control characters escaped (\n \r \t \b \f, the
**                   others as \u00XX); valid UTF-8 passes through; invalid UTF-8 is
**                   an error
**   tables          -> with metatable MAST_JSON_ARRAY_MT: an array (keys must be
**                   exactly 1..n); with MAST_JSON_OBJECT_MT: an object (string keys
**                   only); otherwise: keys exactly 1..n (n >= 1) -> array, string
**                   keys only -> object, anything else (mixed, sparse, zero/negative
**                   or float or other-typed keys) is an error naming the key.
**                   Object keys are written in bytewise sorted order, so the same
**                   table always gives the same bytes. Other metatables are ignored
**                   (raw access only).
**                   EMPTY UNMARKED TABLES are "{}"; use the marker metatables to
**                   force either form. A caller whose schema says otherwise names
**                   the keys (mast_json_encode_opt's empty_array_keys): an empty
**                   unmarked table that is the value of one of them, with a path
**                   of at least empty_array_depth components, is "[]". (MAST
**                   requests are one such schema: mast.query passes "values",
**                   "filters", "fields", "data" at depth 2, for params.filters =
**                   {}, a filter's values = {}, an upload's fields and data.)
**   cycles, nesting deeper than MAST_JSON_MAX_DEPTH, functions, threads, full
**   userdata and non-NULL lightuserdata are errors.
**   Error messages name the JSON path from the root, e.g.
**   "request.params.filters[2].values[1]: cannot encode a function" (array indices are
**   1-based; keys that are not identifiers are written as ["key"]).
**
** This header is the codec's C interface for code linked with the binding: the
** binding's files and, on purpose, the host runtime (src/host/embed.c encodes a
** script's result with it). It is not installed. The Lua-free number and UTF-8
** code below it is src/core/jsonnum.h.
**
** Neither function keeps global state, prints or exits. Both may raise Lua memory
** errors (only those); scratch memory is Lua-owned, so nothing leaks when they do.
*/

#ifndef MAST_JSON_H
#define MAST_JSON_H

#include <stddef.h>

#include "lua.h"

#define MAST_JSON_MAX_DEPTH 1000
#define MAST_JSON_ARRAY_MT  "mast.array"   /* registry metatable marking a table as a JSON array */
#define MAST_JSON_OBJECT_MT "mast.object"  /* registry metatable marking a table as a JSON object */

typedef struct mast_json_error {
  size_t offset;   /* decode: 0-based byte offset of the error; encode: 0 */
  char msg[256];   /* NUL-terminated, ASCII only */
} mast_json_error;

/* Create the two marker metatables (luaL_newmetatable, with __name) if absent.
   Leaves the stack as it was. */
void mast_json_init(lua_State *L);

/* Decode buf[0,len). On success push exactly one Lua value and return 1.
   On malformed input push nothing, fill *err and return 0; err->msg reads like
   "JSON decode error at byte offset 1234: expected ',' or '}' after an object
   member near '...\"dec\":-4.1 \"x\"...'". The marker metatables are created when
   missing. */
int mast_json_decode(lua_State *L, const char *buf, size_t len, mast_json_error *err);

/* Flags of mast_json_decode_opt */
#define MAST_JSON_COLUMNAR 1  /* a top-level object's "data" member that is an array
                                 of objects (a MAST envelope's rows) decodes as
                                 {columns = {names in order of first appearance},
                                 n = rows, data = {name = array of n values}, seen =
                                 {name = what kinds of values the column has: the sum
                                 of 1 integer, 2 float, 4 string, 8 boolean, 16 array
                                 or object}}: one
                                 array per column, a key missing from a row is null
                                 (lightuserdata NULL) there. When "data" is anything
                                 else the text decodes as without the flag. */

/* mast_json_decode with flags (0: the same as mast_json_decode); returns 2 instead
   of 1 when "data" was decoded as columns */
int mast_json_decode_opt(lua_State *L, const char *buf, size_t len, int flags,
                         mast_json_error *err);

/* Decoding a MAST answer while it arrives. The text is given again and again
   as it grows (each time the whole prefix received so far, which may have
   moved); the elements of its top-level "data" array are decoded as soon as
   they are whole, into a table the caller keeps (at stack index arr), so that
   when the last byte arrives only the envelope is left. finish() gives the
   same value, or the same error, as mast_json_decode of the whole text: any
   other shape (no "data" array, text that is not JSON) is decoded whole
   there. A text that starts again from byte 0 (a retry) needs init() and a
   new, empty table. feed() and finish() may raise Lua memory errors only. */
typedef struct mast_json_stream {
  int phase;                /* internal: where the stream is */
  int depth, instr, esc;    /* the prefix scanner's state */
  size_t scanned;           /* bytes the prefix scanner has seen */
  size_t key_at, key_len;   /* the last key at depth 1 (offsets) */
  size_t open_at;           /* the "data" array's '[' */
  size_t next;              /* where the next element starts */
  size_t close_end;         /* just after its ']' */
  lua_Integer n;            /* elements decoded */
  int hinted, ohint, ahint; /* size hints carried from feed to feed */
} mast_json_stream;

void mast_json_stream_init(mast_json_stream *s);
void mast_json_stream_feed(lua_State *L, mast_json_stream *s, int arr, const char *buf,
                           size_t len, int final);
/* Pushes the value and returns 1, or fills *err and returns 0 (pushes nothing). */
int mast_json_stream_finish(lua_State *L, mast_json_stream *s, int arr, const char *buf,
                            size_t len, mast_json_error *err);

/* Encode the value at idx (any acceptable index) and push the JSON text as one
   Lua string; return 1. If the value cannot be encoded push nothing, fill err->msg
   with the path (rooted at `root`, "value" when NULL) and the problem, e.g.
   "request.params.filters[2].values[1]: cannot encode a function", and return 0. */
int mast_json_encode(lua_State *L, int idx, const char *root, mast_json_error *err);

/* A byte string (need not be NUL-terminated) */
typedef struct mast_json_name {
  const char *s;
  size_t len;
} mast_json_name;

/* What a caller's schema adds to the general rules; all zero: nothing. */
typedef struct mast_json_encode_options {
  const mast_json_name *empty_array_keys;  /* an empty unmarked table under one of */
  size_t n_empty_array_keys;               /* these keys is "[]" ... */
  int empty_array_depth;                   /* ... when its path has at least this
                                              many components (0 counts as 1) */
} mast_json_encode_options;

/* mast_json_encode with options (NULL: none; the strings must outlive the call) */
int mast_json_encode_opt(lua_State *L, int idx, const char *root,
                         const mast_json_encode_options *opt, mast_json_error *err);

#endif
