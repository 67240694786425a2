/*
** json.c
** Exact, fast, hostile-input-safe JSON codec for Lua 5.4. See json.h for the rules.
**
** Layout: decoder (recursive descent, depth bounded by MAST_JSON_MAX_DEPTH),
** encoder; both build or walk Lua values. Numbers and UTF-8 checks are the
** Lua-free src/core/jsonnum.[ch] (the scanner inline, for speed).
** No global mutable state: every table below is const.
*/

#include <float.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "json.h"
#include "../core/jsonnum.h"

#if LUA_MAXINTEGER != 9223372036854775807LL || !defined(LUA_FLOAT_DOUBLE) || \
    LUA_FLOAT_TYPE != LUA_FLOAT_DOUBLE
#error "mast json needs Lua with 64-bit integers and double floats"
#endif

#define ISDIGIT(c)  JSONNUM_ISDIGIT(c)

/* Keeps big locals of leaf helpers out of the frames of the recursive
   functions (C stack per nesting level) */
#if defined(__GNUC__)
#define JSON_NOINLINE __attribute__((noinline))
#else
#define JSON_NOINLINE
#endif


/*
** {======================================================
** Decoder
** =======================================================
** Recursive descent; each container costs one C frame, and the depth is
** checked before entering one, so the C recursion is bounded by
** MAST_JSON_MAX_DEPTH. Values are built directly on the Lua stack.
**
** Speed-ups for MAST's row-shaped data: they apply to "later rows", that is
** containers (below depth KC_DEPTH) that are an element of an array whose
** previous element was a container of the same kind; a small document pays
** nothing for them.
** - column cache: for each depth and member position (or array index) the
**   decoder remembers where in the input the last key and a few recent short
**   string values were (their raw bytes between the quotes), and keeps the Lua
**   strings made from them in an anchor table. When the bytes after the quote
**   at the cursor are the same and are followed by '"', the Lua string is
**   fetched from the anchor instead of being decoded, hashed and interned
**   again. The match is exact: the cached bytes are the whole inside of a
**   valid string token (no unescaped '"', no unfinished escape), so the same
**   bytes between quotes are the same token. Value caching gives up on a
**   column whose values rarely repeat;
** - a later row is pre-sized with the size of the previous element (the waste
**   is bounded by the memory of that sibling). Members of objects are not
**   pre-sized: siblings there are unrelated ("data", "fields").
*/

#define KC_DEPTH   32    /* depths with column caches and size hints */
#define KC_KEYS    1024  /* positions cached per depth */
#define VC_WAYS    8     /* recent values cached per column */
#define VC_MAXLEN  64    /* longest value cached */
#define KC_STRIDE  (1 + VC_WAYS)  /* anchor slots per position */

typedef struct colent {
  const char *kp;              /* last key at this position (raw, in the input) */
  size_t kl;
  const char *vp[VC_WAYS];     /* recent string values (raw, in the input) */
  unsigned char vl[VC_WAYS];   /* their lengths */
  unsigned char rr;            /* next way to replace */
  unsigned char off;           /* value caching given up for this column */
  unsigned short tries, hits;  /* value cache statistics */
} colent;

typedef struct jdec {
  lua_State *L;
  const char *start, *end;
  mast_json_error *err;
  int base;                 /* stack top on entry */
  int kcslot;               /* table: [depth] = anchor, [KC_DEPTH + depth] = colents */
  int amtslot, omtslot;     /* marker metatables, fetched when first needed */
  int sbslot;               /* scratch buffer for strings with escapes */
  char *sb;
  size_t sbcap;
  unsigned long serial;     /* arrays started so far: identifies a parent */
  unsigned long opar[KC_DEPTH], apar[KC_DEPTH];  /* parent array of ... */
  int ohint[KC_DEPTH];      /* ... the previous object at each depth, its size */
  int ahint[KC_DEPTH];      /* ... the previous array at each depth, its size */
  colent *cols[KC_DEPTH];   /* column caches (userdata kept in the kc table) */
  int ncols[KC_DEPTH];
  int columnar;             /* decode the envelope's "data" rows as columns */
  int colfail;              /* ... they are not rows of objects: decode again as rows */
  int coldone;              /* ... they were decoded as columns */
  int substslot;            /* a stream's prebuilt array (0: none) stands for ... */
  const char *substat;      /* ... the depth-1 member value that starts here ... */
  const char *substend;     /* ... and ends here (mast_json_stream_finish) */
} jdec;

/* 1 for bytes that end a plain run inside a string: '"', '\\', < 0x20, >= 0x80 */
static const unsigned char str_special[256] = {
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
  0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1
};

#define ONES8   ((uint64_t)0x0101010101010101u)
#define HIGHS8  ((uint64_t)0x8080808080808080u)

/* First byte in [p,end) that str_special marks, or end */
static const char *scan_plain (const char *p, const char *end) {
  while (end - p >= 8) {  /* eight bytes at a time while none is special */
    uint64_t x, qt, bs;
    memcpy(&x, p, 8);
    qt = x ^ (ONES8 * '"');
    bs = x ^ (ONES8 * '\\');
    /* (v - 1) & ~v has a high bit set in some byte iff v has a zero byte;
       likewise (x - 0x20) & ~x for a byte below 0x20 */
    if ((((qt - ONES8) & ~qt) | ((bs - ONES8) & ~bs) |
         ((x - ONES8 * 0x20) & ~x) | x) & HIGHS8)
      break;
    p += 8;
  }
  while (p < end && !str_special[(unsigned char)*p]) p++;
  return p;
}

static const char *skip_ws (const char *p, const char *end) {
  if (p < end && (unsigned char)*p > ' ') return p;  /* the usual case */
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
  return p;
}

/* Escape s[lo,hi) for an error message: printable ASCII as is, the rest as
   \n \r \t \\ or \xNN (and '"' as \" when quote is set). Writes at most
   4 * (hi - lo) bytes. */
static size_t escape_bytes (char *out, const char *s, size_t lo, size_t hi,
                            int quote) {
  static const char hex[] = "0123456789abcdef";
  size_t n = 0, i;
  for (i = lo; i < hi; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' || (quote && c == '"')) { out[n++] = '\\'; out[n++] = (char)c; }
    else if (c >= 0x20 && c < 0x7f) out[n++] = (char)c;
    else if (c == '\n') { out[n++] = '\\'; out[n++] = 'n'; }
    else if (c == '\r') { out[n++] = '\\'; out[n++] = 'r'; }
    else if (c == '\t') { out[n++] = '\\'; out[n++] = 't'; }
    else {
      out[n++] = '\\'; out[n++] = 'x';
      out[n++] = hex[c >> 4]; out[n++] = hex[c & 15];
    }
  }
  return n;
}

/* Record a decode error at `at`; always returns NULL */
JSON_NOINLINE static const char *dec_fail (jdec *d, const char *at, const char *what) {
  mast_json_error *err = d->err;
  size_t len = (size_t)(d->end - d->start), off = (size_t)(at - d->start);
  int radius;
  err->offset = off;
  for (radius = 20; radius >= 0; radius -= 4) {  /* shrink until it fits */
    char ex[4 * 40 + 8];
    size_t lo = (off > (size_t)radius) ? off - (size_t)radius : 0;
    size_t hi = (len - off > (size_t)radius) ? off + (size_t)radius : len;
    size_t n = 0;
    int w;
    if (lo > 0) { memcpy(ex, "...", 3); n = 3; }
    n += escape_bytes(ex + n, d->start, lo, hi, 0);
    if (hi < len) { memcpy(ex + n, "...", 3); n += 3; }
    ex[n] = '\0';
    w = snprintf(err->msg, sizeof err->msg,
                 "JSON decode error at byte offset %zu: %s near '%s'", off, what, ex);
    if (w >= 0 && (size_t)w < sizeof err->msg) break;
  }
  return NULL;
}

/* Give the table on top the marker metatable kept (or first fetched) in slot */
static void dec_mark (jdec *d, int slot, const char *name) {
  lua_State *L = d->L;
  /* stack: ... t */
  if (lua_type(L, slot) != LUA_TTABLE) {
    luaL_newmetatable(L, name);  /* stack: ... t mt (found or created) */
    lua_replace(L, slot);  /* stack: ... t */
  }
  lua_pushvalue(L, slot);  /* stack: ... t mt */
  lua_setmetatable(L, -2);  /* stack: ... t */
}

static const char *dec_value (jdec *d, const char *p, int depth,
                              unsigned long parent);
static const char *dec_columns (jdec *d, const char *p, int depth);
static int is_data_key (lua_State *L);

static int hexval (int c) {
  if (ISDIGIT(c)) return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Read the 4 hex digits after "\u" at p; -1 if they are not there */
static long read_hex4 (const char *p, const char *end) {
  long v = 0;
  int i;
  if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return -1;
  for (i = 2; i < 6; i++) {
    int h = hexval((unsigned char)p[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/*
** Room for `extra` more bytes after the first n bytes of the scratch buffer
** (a userdata in a reserved slot, replaced by a bigger one when it grows; no
** luaL_Buffer, whose to-be-closed box is unsafe to drop on an error path in
** Lua 5.4.4). Returns the buffer.
*/
static char *sb_reserve (jdec *d, size_t n, size_t extra) {
  if (d->sbcap - n < extra) {
    lua_State *L = d->L;
    size_t cap = (d->sbcap > 0) ? 2 * d->sbcap : 256;
    char *nb;
    while (cap - n < extra) cap *= 2;
    nb = (char *)lua_newuserdatauv(L, cap, 0);  /* stack: ... newbuf */
    if (n > 0) memcpy(nb, d->sb, n);
    lua_replace(L, d->sbslot);  /* stack: ... (the old buffer is garbage) */
    d->sb = nb;
    d->sbcap = cap;
  }
  return d->sb;
}

/*
** Rest of a string that contains an escape: s is the first content byte, p the
** first backslash. Builds the content in the scratch buffer and pushes it.
** Returns the byte after the closing quote, or NULL.
*/
JSON_NOINLINE static const char *dec_string_escaped (jdec *d, const char *s,
                                                    const char *p) {
  const char *end = d->end;
  size_t n = (size_t)(p - s);
  char *b = sb_reserve(d, 0, n + 16);  /* never NULL, even for n == 0 */
  memcpy(b, s, n);
  for (;;) {
    const char *r = scan_plain(p, end);
    unsigned char c;
    if (r > p) {
      b = sb_reserve(d, n, (size_t)(r - p));
      memcpy(b + n, p, (size_t)(r - p));
      n += (size_t)(r - p);
      p = r;
    }
    if (p >= end) return dec_fail(d, p, "unterminated string");
    c = (unsigned char)*p;
    if (c == '"') break;
    if (c == '\\') {
      if (end - p < 2) return dec_fail(d, p, "unterminated string");
      b = sb_reserve(d, n, 4);
      switch (p[1]) {
        case '"': b[n++] = '"'; p += 2; break;
        case '\\': b[n++] = '\\'; p += 2; break;
        case '/': b[n++] = '/'; p += 2; break;
        case 'b': b[n++] = '\b'; p += 2; break;
        case 'f': b[n++] = '\f'; p += 2; break;
        case 'n': b[n++] = '\n'; p += 2; break;
        case 'r': b[n++] = '\r'; p += 2; break;
        case 't': b[n++] = '\t'; p += 2; break;
        case 'u': {
          long cp = read_hex4(p, end);
          if (cp < 0)
            return dec_fail(d, p, "invalid \\u escape (expected 4 hex digits)");
          if (cp >= 0xdc00 && cp <= 0xdfff)
            return dec_fail(d, p, "invalid \\u escape: lone low surrogate");
          if (cp >= 0xd800 && cp <= 0xdbff) {
            long lo = read_hex4(p + 6, end);
            if (lo < 0xdc00 || lo > 0xdfff)
              return dec_fail(d, p, "invalid \\u escape: high surrogate not followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
          }
          n += mastI_json_utf8_put(b + n, (unsigned long)cp);
          p += 6;
          break;
        }
        default:
          return dec_fail(d, p, "invalid escape sequence in string");
      }
    }
    else if (c < 0x20)
      return dec_fail(d, p, "unescaped control character in string");
    else {  /* c >= 0x80 */
      int k = jsonnum_utf8_len((const unsigned char *)p, (const unsigned char *)end);
      if (k == 0) return dec_fail(d, p, "invalid UTF-8 in string");
      b = sb_reserve(d, n, (size_t)k);
      memcpy(b + n, p, (size_t)k);
      n += (size_t)k;
      p += k;
    }
  }
  lua_pushlstring(d->L, d->sb, n);  /* stack: ... string */
  return p + 1;
}

/*
** String at p (the opening quote): pushes it and returns the byte after the
** closing quote (NULL on error). *plain is set when it had no escape, that is
** when its raw bytes are its content.
*/
static const char *dec_string (jdec *d, const char *p, int *plain) {
  const char *end = d->end;
  const char *s = p + 1, *r = s;
  for (;;) {
    unsigned char c;
    r = scan_plain(r, end);
    if (r >= end) return dec_fail(d, r, "unterminated string");
    c = (unsigned char)*r;
    if (c == '"') {
      lua_pushlstring(d->L, s, (size_t)(r - s));  /* straight from the input */
      *plain = 1;
      return r + 1;
    }
    if (c == '\\') { *plain = 0; return dec_string_escaped(d, s, r); }
    if (c < 0x20) return dec_fail(d, r, "unescaped control character in string");
    else {
      int n = jsonnum_utf8_len((const unsigned char *)r, (const unsigned char *)end);
      if (n == 0) return dec_fail(d, r, "invalid UTF-8 in string");
      r += n;
    }
  }
}

JSON_NOINLINE static const char *dec_number (jdec *d, const char *p) {
  jsonnum v;
  const char *stop;
  switch (jsonnum_scan(p, d->end, &stop, &v)) {
    case JSONNUM_OK:
      if (v.isint) lua_pushinteger(d->L, (lua_Integer)v.i);
      else lua_pushnumber(d->L, v.d);
      return stop;
    case JSONNUM_LEADZERO:
      return dec_fail(d, p, "invalid number (leading zeros are not allowed)");
    case JSONNUM_RANGE: {
      char what[96];
      size_t n = (size_t)(stop - p);
      snprintf(what, sizeof what, "number %.*s%s is out of the double range",
               (int)(n > 40 ? 40 : n), p, n > 40 ? "..." : "");
      return dec_fail(d, p, what);
    }
    default:
      return dec_fail(d, stop, "invalid number (expected a digit)");
  }
}

/* Push the anchor table of depth, creating it (and the kc table) if needed,
   with room for `size` positions */
static void kc_push (jdec *d, int depth, int size) {
  lua_State *L = d->L;
  if (lua_type(L, d->kcslot) != LUA_TTABLE) {
    lua_createtable(L, 2 * KC_DEPTH, 0);
    lua_replace(L, d->kcslot);
  }
  if (lua_rawgeti(L, d->kcslot, depth) != LUA_TTABLE) {  /* stack: ... x */
    lua_pop(L, 1);
    lua_createtable(L, (size < KC_KEYS ? size : KC_KEYS) * KC_STRIDE + 1, 0);  /* stack: ... anchor */
    lua_pushvalue(L, -1);
    lua_rawseti(L, d->kcslot, depth);
  }
}

/* Grow the column entries of depth to hold position pos */
JSON_NOINLINE static void kc_grow (jdec *d, int depth, lua_Integer pos) {
  lua_State *L = d->L;
  int n = d->ncols[depth] ? 2 * d->ncols[depth] : 16;
  colent *c;
  while (n <= pos) n *= 2;
  c = (colent *)lua_newuserdatauv(L, (size_t)n * sizeof(colent), 0);  /* stack: ... ud */
  memset(c, 0, (size_t)n * sizeof(colent));
  if (d->ncols[depth] > 0)
    memcpy(c, d->cols[depth], (size_t)d->ncols[depth] * sizeof(colent));
  lua_rawseti(L, d->kcslot, KC_DEPTH + depth);  /* stack: ... (old array is garbage) */
  d->cols[depth] = c;
  d->ncols[depth] = n;
}

/* Column entry pos (0-based, < KC_KEYS) of depth */
static colent *kc_col (jdec *d, int depth, lua_Integer pos) {
  if (pos >= d->ncols[depth]) kc_grow(d, depth, pos);
  return &d->cols[depth][pos];
}

/*
** String value at p (the opening quote) for column ce whose anchor slots start
** at anchor[slot]: reuse a cached Lua string or read it and cache it.
*/
static const char *dec_string_col (jdec *d, const char *p, colent *ce,
                                   int anchor, lua_Integer slot) {
  lua_State *L = d->L;
  const char *q;
  int plain, w;
  if (ce->off) return dec_string(d, p, &plain);
  if (ce->tries == USHRT_MAX) { ce->tries /= 2; ce->hits /= 2; }
  ce->tries++;
  for (w = 0; w < VC_WAYS; w++) {
    size_t l = ce->vl[w];
    const char *v = ce->vp[w];
    if (v != NULL && (size_t)(d->end - p) > l + 1 && p[l + 1] == '"' &&
        memcmp(p + 1, v, l) == 0) {
      lua_rawgeti(L, anchor, slot + 1 + w);  /* stack: ... string */
      ce->hits++;
      return p + l + 2;
    }
  }
  q = dec_string(d, p, &plain);  /* stack: ... string */
  if (q != NULL && (size_t)(q - p - 2) <= VC_MAXLEN) {
    w = ce->rr;
    ce->rr = (unsigned char)((w + 1) % VC_WAYS);
    lua_pushvalue(L, -1);  /* stack: ... string string */
    lua_rawseti(L, anchor, slot + 1 + w);  /* stack: ... string */
    ce->vp[w] = p + 1;
    ce->vl[w] = (unsigned char)(q - p - 2);
  }
  if (ce->tries >= 64 && ce->hits < ce->tries / 8) ce->off = 1;
  return q;
}

/* parent: serial of the enclosing array, 0 when not an array element */
static const char *dec_array (jdec *d, const char *p, int depth,
                              unsigned long parent) {
  lua_State *L = d->L;
  const char *end = d->end;
  lua_Integer n = 0;
  int arr, anchor = 0, hinted;
  unsigned long self;
  if (depth > MAST_JSON_MAX_DEPTH)
    return dec_fail(d, p, "nesting deeper than 1000 levels");
  if (!lua_checkstack(L, 5))
    return dec_fail(d, p, "Lua stack overflow");
  p = skip_ws(p + 1, end);
  if (p < end && *p == ']') {
    lua_createtable(L, 0, 0);  /* stack: ... [] */
    dec_mark(d, d->amtslot, MAST_JSON_ARRAY_MT);
    return p + 1;
  }
  hinted = (parent != 0 && depth < KC_DEPTH);
  if (hinted && d->apar[depth] == parent) {  /* a later row: sized and cached */
    lua_createtable(L, d->ahint[depth], 0);  /* stack: ... arr */
    arr = lua_gettop(L);
    kc_push(d, depth, d->ahint[depth]);  /* stack: ... arr anchor */
    anchor = arr + 1;
  }
  else {
    lua_createtable(L, 0, 0);  /* stack: ... arr */
    arr = lua_gettop(L);
  }
  self = ++d->serial;
  for (;;) {
    if (anchor && n < KC_KEYS && p < end && *p == '"')
      p = dec_string_col(d, p, kc_col(d, depth, n), anchor, n * KC_STRIDE + 1);
    else
      p = dec_value(d, p, depth, self);  /* stack: ... arr [anchor] value */
    if (p == NULL) return NULL;
    lua_rawseti(L, arr, ++n);  /* stack: ... arr [anchor] */
    p = skip_ws(p, end);
    if (p < end && *p == ',') { p = skip_ws(p + 1, end); continue; }
    if (p < end && *p == ']') break;
    return dec_fail(d, p, "expected ',' or ']' after an array element");
  }
  if (anchor) lua_pop(L, 1);  /* stack: ... arr */
  if (hinted) {
    d->apar[depth] = parent;
    d->ahint[depth] = (n > INT_MAX / 2) ? INT_MAX / 2 : (int)n;
  }
  return p + 1;
}

static const char *dec_object (jdec *d, const char *p, int depth,
                               unsigned long parent) {
  lua_State *L = d->L;
  const char *end = d->end;
  int obj, anchor = 0, hinted;
  lua_Integer n = 0;
  if (depth > MAST_JSON_MAX_DEPTH)
    return dec_fail(d, p, "nesting deeper than 1000 levels");
  if (!lua_checkstack(L, 6))
    return dec_fail(d, p, "Lua stack overflow");
  p = skip_ws(p + 1, end);
  if (p < end && *p == '}') {
    lua_createtable(L, 0, 0);  /* stack: ... {} */
    dec_mark(d, d->omtslot, MAST_JSON_OBJECT_MT);
    return p + 1;
  }
  hinted = (parent != 0 && depth < KC_DEPTH);
  if (hinted && d->opar[depth] == parent) {  /* a later row: sized and cached */
    lua_createtable(L, 0, d->ohint[depth]);  /* stack: ... obj */
    obj = lua_gettop(L);
    kc_push(d, depth, d->ohint[depth]);  /* stack: ... obj anchor */
    anchor = obj + 1;
  }
  else {
    lua_createtable(L, 0, 0);  /* stack: ... obj */
    obj = lua_gettop(L);
  }
  for (;;) {
    colent *ce = NULL;
    int plain;
    if (p >= end || *p != '"')
      return dec_fail(d, p, n == 0 ? "expected a string key or '}'"
                                   : "expected a string key after ','");
    if (anchor && n < KC_KEYS) {
      ce = kc_col(d, depth, n);
      if (ce->kp != NULL && (size_t)(end - p) > ce->kl + 1 && p[ce->kl + 1] == '"' &&
          memcmp(p + 1, ce->kp, ce->kl) == 0) {
        lua_rawgeti(L, anchor, n * KC_STRIDE + 1);  /* stack: ... obj anchor key */
        p += ce->kl + 2;
      }
      else {
        const char *q = dec_string(d, p, &plain);  /* stack: ... obj anchor key */
        if (q == NULL) return NULL;
        lua_pushvalue(L, -1);  /* stack: ... obj anchor key key */
        lua_rawseti(L, anchor, n * KC_STRIDE + 1);  /* stack: ... obj anchor key */
        ce->kp = p + 1;
        ce->kl = (size_t)(q - p - 2);
        p = q;
      }
    }
    else {
      p = dec_string(d, p, &plain);  /* stack: ... obj [anchor] key */
      if (p == NULL) return NULL;
    }
    p = skip_ws(p, end);
    if (p >= end || *p != ':')
      return dec_fail(d, p, "expected ':' after an object key");
    p = skip_ws(p + 1, end);
    if (d->substslot && depth == 1 && p == d->substat) {  /* decoded as it arrived */
      lua_pushvalue(L, d->substslot);  /* stack: ... obj key array */
      p = d->substend;
    }
    else if (ce != NULL && p < end && *p == '"')
      p = dec_string_col(d, p, ce, anchor, n * KC_STRIDE + 1);
    else if (d->columnar && depth == 1 && p < end && *p == '[' && is_data_key(L))
      p = dec_columns(d, p, depth + 1);  /* stack: ... obj key columns */
    else
      p = dec_value(d, p, depth, 0);  /* stack: ... obj [anchor] key value */
    if (p == NULL) return NULL;
    lua_rawset(L, obj);  /* stack: ... obj [anchor] */
    n++;
    p = skip_ws(p, end);
    if (p < end && *p == ',') { p = skip_ws(p + 1, end); continue; }
    if (p < end && *p == '}') break;
    return dec_fail(d, p, "expected ',' or '}' after an object member");
  }
  if (anchor) lua_pop(L, 1);  /* stack: ... obj */
  if (hinted) {
    d->opar[depth] = parent;
    d->ohint[depth] = (n > INT_MAX / 2) ? INT_MAX / 2 : (int)n;
  }
  return p + 1;
}

/* Is the string on top "data"? */
static int is_data_key (lua_State *L) {
  size_t l;
  const char *k = lua_tolstring(L, -1, &l);
  return l == 4 && memcmp(k, "data", 4) == 0;
}

/*
** {------------------------------------------------------
** Columnar decode of an envelope's "data" (core.json_decode's columnar option)
** -------------------------------------------------------
** The rows (objects) go straight into one Lua array per column, kept on the
** Lua stack, so a value costs one rawseti and no row table is made. Keys are
** matched by their raw bytes against the column the same member position had
** in the previous row (rows of one answer share their order), so a key is
** read and looked up only when the order changes. A key missing from a row
** gets a null there; a key first seen in row r gets a new column back-filled
** with nulls for rows 1..r-1. Anything that is not an array of objects sets
** colfail and the whole text is decoded again as rows.
*/

#define COL_MAX 10000     /* more distinct keys than this: decode as rows */

typedef struct colst {
  const char *kp;         /* the column's key (raw, in the input) */
  size_t kl;
  lua_Integer stamp;      /* last row that set it */
  int pred;               /* column of member position i in the previous row */
  int seen;               /* the kinds of values it has (COL_SEEN_*) */
  colent ce;              /* recent string values */
} colst;

/* Kinds of values a column has: the result's `seen` tells the caller which
   columns need a conversion to their declared type */
#define COL_SEEN_INT    1
#define COL_SEEN_FLOAT  2
#define COL_SEEN_STRING 4
#define COL_SEEN_BOOL   8
#define COL_SEEN_OTHER  16  /* arrays, objects */

/* Room for column state index i (the userdata in slot grows by doubling) */
static colst *col_room (jdec *d, int slot, colst *cs, int *cap, int i) {
  if (i >= *cap) {
    int n = *cap * 2;
    colst *nc;
    while (n <= i) n *= 2;
    nc = (colst *)lua_newuserdatauv(d->L, (size_t)n * sizeof(colst), 0);
    memset(nc, 0, (size_t)n * sizeof(colst));
    memcpy(nc, cs, (size_t)*cap * sizeof(colst));
    lua_replace(d->L, slot);  /* the old state is garbage */
    *cap = n;
    cs = nc;
  }
  return cs;
}

/* The column of the key string on top (popped); creates it, back-filled with
   nulls for rows 1..r-1 and sized for est rows; -1 when there are too many */
static int col_find (jdec *d, int idxslot, int namslot, int colbase, int *k,
                     lua_Integer r, lua_Integer est) {
  lua_State *L = d->L;
  lua_Integer i;
  int j;
  lua_pushvalue(L, -1);  /* stack: ... key key */
  if (lua_rawget(L, idxslot) == LUA_TNUMBER) {  /* stack: ... key j */
    j = (int)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return j;
  }
  lua_pop(L, 1);  /* stack: ... key */
  if (*k >= COL_MAX || !lua_checkstack(L, 4)) return -1;
  j = (*k)++;
  lua_pushvalue(L, -1);
  lua_rawseti(L, namslot, j + 1);  /* names[j + 1] = key */
  lua_pushinteger(L, j);
  lua_rawset(L, idxslot);  /* idx[key] = j; stack: ... */
  lua_createtable(L, (int)(est < r ? r : est), 0);  /* stack: ... column */
  for (i = 1; i < r; i++) {
    lua_pushlightuserdata(L, NULL);
    lua_rawseti(L, -2, i);
  }
  (void)colbase;  /* the column lands at colbase + j: the stack top */
  return j;
}

JSON_NOINLINE static const char *dec_columns (jdec *d, const char *p, int depth) {
  lua_State *L = d->L;
  const char *end = d->end, *rows0;
  lua_Integer r = 0, est = 0;
  int w0, idxslot, namslot, stslot, anchor, colbase, k = 0, cap = 16, j;
  colst *cs;
  if (depth > MAST_JSON_MAX_DEPTH)
    return dec_fail(d, p, "nesting deeper than 1000 levels");
  if (!lua_checkstack(L, 12)) { d->colfail = 1; return NULL; }
  w0 = lua_gettop(L) + 1;
  idxslot = w0; namslot = w0 + 1; stslot = w0 + 2; anchor = w0 + 3; colbase = w0 + 4;
  lua_createtable(L, 0, 0);  /* idx: name -> column number (0-based) */
  lua_createtable(L, 0, 0);  /* names, in order of first appearance */
  cs = (colst *)lua_newuserdatauv(L, (size_t)cap * sizeof(colst), 0);
  memset(cs, 0, (size_t)cap * sizeof(colst));
  lua_createtable(L, 0, 0);  /* anchor of the cached value strings */
  rows0 = p = skip_ws(p + 1, end);
  if (p < end && *p == ']') p++;
  else for (;;) {
    lua_Integer n = 0, set = 0;
    if (p >= end || *p != '{') { d->colfail = 1; return NULL; }
    if (depth + 1 > MAST_JSON_MAX_DEPTH)
      return dec_fail(d, p, "nesting deeper than 1000 levels");
    r++;
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') p++;
    else for (;;) {
      colst *c = NULL;
      if (p >= end || *p != '"')
        return dec_fail(d, p, n == 0 ? "expected a string key or '}'"
                                     : "expected a string key after ','");
      if (n >= cap && n < COL_MAX) cs = col_room(d, stslot, cs, &cap, (int)n);
      if (n < COL_MAX) {  /* the column this position had in the previous row */
        colst *q = &cs[cs[n].pred];
        if (cs[n].pred < k && q->kp != NULL && (size_t)(end - p) > q->kl + 1 &&
            p[q->kl + 1] == '"' && memcmp(p + 1, q->kp, q->kl) == 0) {
          c = q;
          p += q->kl + 2;
        }
      }
      if (c == NULL) {
        int plain;
        const char *q = dec_string(d, p, &plain);  /* stack: ... key */
        if (q == NULL) return NULL;
        j = col_find(d, idxslot, namslot, colbase, &k, r, est);  /* stack: ... [column] */
        if (j < 0) { d->colfail = 1; return NULL; }
        if (k >= cap) cs = col_room(d, stslot, cs, &cap, k);
        c = &cs[j];
        c->kp = p + 1;
        c->kl = (size_t)(q - p - 2);
        if (n < COL_MAX) cs[n].pred = j;
        p = q;
      }
      j = (int)(c - cs);
      p = skip_ws(p, end);
      if (p >= end || *p != ':')
        return dec_fail(d, p, "expected ':' after an object key");
      p = skip_ws(p + 1, end);
      if (p >= end) return dec_fail(d, p, "unexpected end of input, expected a JSON value");
      switch (*p) {
        case '"':
          p = dec_string_col(d, p, &c->ce, anchor, (lua_Integer)j * KC_STRIDE + 1);
          c->seen |= COL_SEEN_STRING;
          break;
        case '-': case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          p = dec_number(d, p);  /* stack: ... number */
          if (p != NULL)
            c->seen |= lua_isinteger(L, -1) ? COL_SEEN_INT : COL_SEEN_FLOAT;
          break;
        case 'n': p = dec_value(d, p, depth + 1, 0); break;
        case 't': case 'f': p = dec_value(d, p, depth + 1, 0); c->seen |= COL_SEEN_BOOL; break;
        default: p = dec_value(d, p, depth + 1, 0); c->seen |= COL_SEEN_OTHER;  /* stack: ... value */
      }
      if (p == NULL) return NULL;
      c = &cs[j];  /* (a nested container cannot move cs, but stay safe) */
      lua_rawseti(L, colbase + j, r);
      if (c->stamp != r) { c->stamp = r; set++; }
      n++;
      p = skip_ws(p, end);
      if (p < end && *p == ',') { p = skip_ws(p + 1, end); continue; }
      if (p < end && *p == '}') { p++; break; }
      return dec_fail(d, p, "expected ',' or '}' after an object member");
    }
    if (set < k) {  /* ragged: the keys this row lacks are null */
      for (j = 0; j < k; j++)
        if (cs[j].stamp != r) {
          lua_pushlightuserdata(L, NULL);
          lua_rawseti(L, colbase + j, r);
        }
    }
    if (r == 1 || r == 64) {
      /* size the columns for the rows the text holds if the rest are like
         these (first from one row, then from 64, with a 5% margin: an array
         that outgrows its size doubles) */
      lua_Integer i;
      est = r + (lua_Integer)((double)(end - p) / (double)(p - rows0 + 1) * (double)r * 1.05);
      if (est > INT_MAX / 2) est = INT_MAX / 2;
      for (j = 0; j < k; j++) {
        lua_createtable(L, (int)est, 0);  /* stack: ... old new */
        for (i = 1; i <= r; i++) {
          lua_rawgeti(L, colbase + j, i);
          lua_rawseti(L, -2, i);
        }
        lua_replace(L, colbase + j);
      }
    }
    p = skip_ws(p, end);
    if (p < end && *p == ',') { p = skip_ws(p + 1, end); continue; }
    if (p < end && *p == ']') { p++; break; }
    return dec_fail(d, p, "expected ',' or ']' after an array element");
  }
  /* {columns = names, data = {name = column}, seen = {name = COL_SEEN_*}, n = rows} */
  lua_createtable(L, 0, 4);  /* stack: ... result */
  lua_createtable(L, 0, k);  /* stack: ... result seen */
  for (j = 0; j < k; j++) {
    lua_rawgeti(L, namslot, j + 1);
    lua_pushinteger(L, cs[j].seen);
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "seen");
  lua_pushvalue(L, namslot);
  lua_setfield(L, -2, "columns");
  lua_pushinteger(L, r);
  lua_setfield(L, -2, "n");
  lua_createtable(L, 0, k);  /* stack: ... result data */
  for (j = 0; j < k; j++) {
    lua_rawgeti(L, namslot, j + 1);
    lua_pushvalue(L, colbase + j);
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "data");  /* stack: ... result */
  lua_replace(L, w0);
  lua_settop(L, w0);  /* stack: ... result */
  d->coldone = 1;
  return p;
}

/* }------------------------------------------------------ */

/* Value at p (already past whitespace): pushes it; returns the byte after it.
   parent: serial of the enclosing array, 0 when not an array element. */
static const char *dec_value (jdec *d, const char *p, int depth,
                              unsigned long parent) {
  const char *end = d->end;
  int plain;
  if (p >= end)
    return dec_fail(d, p, "unexpected end of input, expected a JSON value");
  switch (*p) {
    case '"': return dec_string(d, p, &plain);
    case '{': return dec_object(d, p, depth + 1, parent);
    case '[': return dec_array(d, p, depth + 1, parent);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return dec_number(d, p);
    case 't':
      if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
        lua_pushboolean(d->L, 1);
        return p + 4;
      }
      return dec_fail(d, p, "invalid literal (expected true)");
    case 'f':
      if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
        lua_pushboolean(d->L, 0);
        return p + 5;
      }
      return dec_fail(d, p, "invalid literal (expected false)");
    case 'n':
      if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
        lua_pushlightuserdata(d->L, NULL);
        return p + 4;
      }
      return dec_fail(d, p, "invalid literal (expected null)");
    default:
      return dec_fail(d, p, "expected a JSON value");
  }
}

void mast_json_init (lua_State *L) {
  luaL_newmetatable(L, MAST_JSON_ARRAY_MT);  /* stack: ... amt */
  luaL_newmetatable(L, MAST_JSON_OBJECT_MT);  /* stack: ... amt omt */
  lua_pop(L, 2);
}

int mast_json_decode (lua_State *L, const char *buf, size_t len,
                      mast_json_error *err) {
  return mast_json_decode_opt(L, buf, len, 0, err);
}

/* Sets d up to decode buf[0,len) and pushes its four scratch slots; 0 (an
   error in *err) when the Lua stack has no room. */
static int dec_begin (jdec *d, lua_State *L, const char *buf, size_t len,
                      mast_json_error *err) {
  memset(d, 0, sizeof *d);
  d->L = L;
  d->start = buf;
  d->end = buf + len;
  d->err = err;
  if (!lua_checkstack(L, 8)) {
    dec_fail(d, buf, "Lua stack overflow");
    return 0;
  }
  d->base = lua_gettop(L);
  d->kcslot = d->base + 1;
  d->amtslot = d->base + 2;
  d->omtslot = d->base + 3;
  d->sbslot = d->base + 4;
  lua_settop(L, d->base + 4);  /* stack: ... nil nil nil nil (scratch slots) */
  return 1;
}

/* The decoders' one body: subst (NULL: none) is a stream's prebuilt array */
static int decode_doc (lua_State *L, const char *buf, size_t len, int flags,
                       const mast_json_stream *subst, int substslot,
                       mast_json_error *err) {
  jdec d;
  mast_json_error dummy;
  const char *p;
  if (buf == NULL) { buf = ""; len = 0; }
  if (err == NULL) err = &dummy;
  err->offset = 0;
  err->msg[0] = '\0';
  if (substslot) substslot = lua_absindex(L, substslot);
again:
  if (!dec_begin(&d, L, buf, len, err)) return 0;
  d.columnar = (flags & MAST_JSON_COLUMNAR) != 0;
  if (subst != NULL) {
    d.substslot = substslot;
    d.substat = buf + subst->open_at;
    d.substend = buf + subst->close_end;
  }
  p = buf;
  if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;  /* BOM */
  p = dec_value(&d, skip_ws(p, d.end), 0, 0);  /* stack: ... kc amt omt sb value */
  if (p != NULL) {
    p = skip_ws(p, d.end);
    if (p != d.end) p = dec_fail(&d, p, "unexpected data after the JSON value");
  }
  if (p == NULL) {
    lua_settop(L, d.base);
    if (d.colfail) {  /* "data" is not rows of objects: rows it is */
      flags &= ~MAST_JSON_COLUMNAR;
      err->offset = 0;
      err->msg[0] = '\0';
      goto again;
    }
    return 0;
  }
  lua_replace(L, d.base + 1);  /* stack: ... value amt omt sb */
  lua_settop(L, d.base + 1);  /* stack: ... value */
  return d.coldone ? 2 : 1;
}

int mast_json_decode_opt (lua_State *L, const char *buf, size_t len, int flags,
                          mast_json_error *err) {
  return decode_doc(L, buf, len, flags, NULL, 0, err);
}

/*
** {------------------------------------------------------
** Decoding while the text arrives (mast_json_stream)
** -------------------------------------------------------
** A prefix scanner follows strings and brackets up to the top-level
** object's "data" member; from there the elements of that array are decoded
** one after another by dec_value, each kept once the ',' or ']' after it has
** arrived (a number at the very end might still grow). An element that does
** not decode yet is tried again with more text; one that still fails with
** more than STREAM_GIVEUP bytes after its start, or at the end, turns the
** stream off, and the whole text is then decoded as before (which reports
** the error). At the end the text is decoded once more with the array
** standing for the member it came from (decode_doc's subst): the envelope's
** other members are decoded, checked and placed exactly as in a whole
** decode, so the value is the same table mast_json_decode would give.
*/

#define STREAM_GIVEUP (1u << 20)
#define STREAM_PARENT 1ul   /* the elements' parent serial: constant, so the
                               hints of later rows carry over between feeds */

enum { ST_PREFIX = 0, ST_ITEMS = 1, ST_DONE = 2, ST_OFF = -1 };

void mast_json_stream_init (mast_json_stream *s) {
  memset(s, 0, sizeof *s);
  s->phase = ST_PREFIX;
}

/* Follows the text from s->scanned to the "data" array's '['. */
static void stream_prefix (mast_json_stream *s, const char *buf, size_t len, int final) {
  size_t i = s->scanned;
  if (i == 0) {
    if (len < 4 && !final) return;  /* a BOM, or not yet a first byte */
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) i++;
    if (i == len) {
      if (final) s->phase = ST_OFF;
      return;
    }
    if (buf[i] != '{') { s->phase = ST_OFF; return; }
    s->depth = 1;
    i++;
  }
  for (; i < len; i++) {
    unsigned char c = (unsigned char)buf[i];
    if (s->instr) {
      if (s->esc) s->esc = 0;
      else if (c == '\\') s->esc = 1;
      else if (c == '"') {
        s->instr = 0;
        if (s->depth == 1) s->key_len = i - s->key_at;
      }
      continue;
    }
    switch (c) {
      case '"':
        s->instr = 1;
        if (s->depth == 1) s->key_at = i + 1;
        break;
      case '[':
        if (s->depth == 1 && s->key_len == 4 && memcmp(buf + s->key_at, "data", 4) == 0) {
          s->phase = ST_ITEMS;
          s->open_at = i;
          s->next = i + 1;
          s->scanned = i + 1;
          return;
        }
        /* fall through */
      case '{':
        if (s->depth >= MAST_JSON_MAX_DEPTH) { s->phase = ST_OFF; return; }
        s->depth++;
        break;
      case ']': case '}':
        if (--s->depth == 0) { s->phase = ST_OFF; return; }  /* no "data" array */
        break;
      default:
        break;
    }
  }
  s->scanned = i;
}

/* Decodes the complete elements after s->next into the table at arr. */
static void stream_items (lua_State *L, mast_json_stream *s, int arr, const char *buf,
                          size_t len, int final) {
  jdec d;
  mast_json_error err;
  const char *p, *end = buf + len;
  if (!dec_begin(&d, L, buf, len, &err)) { s->phase = ST_OFF; return; }
  if (s->hinted) {
    d.opar[3] = d.apar[3] = STREAM_PARENT;
    d.ohint[3] = s->ohint;
    d.ahint[3] = s->ahint;
  }
  d.serial = STREAM_PARENT;  /* arrays inside elements get serials above it */
  p = buf + s->next;
  for (;;) {
    const char *elem, *q;
    unsigned long op, ap;
    int oh, ah, top = lua_gettop(L);
    p = skip_ws(p, end);
    if (p == end) {
      if (final) s->phase = ST_OFF;
      break;
    }
    if (s->n == 0 && *p == ']') {  /* [] */
      lua_pushvalue(L, arr);
      dec_mark(&d, d.amtslot, MAST_JSON_ARRAY_MT);
      lua_pop(L, 1);
      s->close_end = (size_t)(p + 1 - buf);
      s->phase = ST_DONE;
      break;
    }
    elem = p;
    op = d.opar[3]; oh = d.ohint[3]; ap = d.apar[3]; ah = d.ahint[3];
    q = dec_value(&d, p, 2, STREAM_PARENT);  /* stack: ... value */
    if (q != NULL) q = skip_ws(q, end);
    if (q == NULL || q == end) {  /* not whole yet (or not JSON) */
      lua_settop(L, top);
      d.opar[3] = op; d.ohint[3] = oh; d.apar[3] = ap; d.ahint[3] = ah;   /* as if not tried */
      if (final || (q == NULL && (size_t)(end - elem) > STREAM_GIVEUP)) s->phase = ST_OFF;
      break;
    }
    if (*q != ',' && *q != ']') {
      lua_settop(L, top);
      s->phase = ST_OFF;
      break;
    }
    lua_rawseti(L, arr, ++s->n);
    if (*q == ']') {
      s->close_end = (size_t)(q + 1 - buf);
      s->phase = ST_DONE;
      break;
    }
    p = q + 1;
    s->next = (size_t)(p - buf);
  }
  if (d.opar[3] == STREAM_PARENT) { s->ohint = d.ohint[3]; s->hinted = 1; }
  if (d.apar[3] == STREAM_PARENT) { s->ahint = d.ahint[3]; s->hinted = 1; }
  lua_settop(L, d.base);
}

void mast_json_stream_feed (lua_State *L, mast_json_stream *s, int arr, const char *buf,
                            size_t len, int final) {
  arr = lua_absindex(L, arr);
  if (buf == NULL) len = 0;
  if (s->phase == ST_PREFIX) stream_prefix(s, buf, len, final);
  if (s->phase == ST_ITEMS) stream_items(L, s, arr, buf, len, final);
}

int mast_json_stream_finish (lua_State *L, mast_json_stream *s, int arr, const char *buf,
                             size_t len, mast_json_error *err) {
  arr = lua_absindex(L, arr);
  if (s->phase == ST_PREFIX || s->phase == ST_ITEMS) mast_json_stream_feed(L, s, arr, buf, len, 1);
  if (s->phase != ST_DONE) return decode_doc(L, buf, len, 0, NULL, 0, err);
  return decode_doc(L, buf, len, 0, s, arr, err);
}

/* }------------------------------------------------------ */

/* }====================================================== */

/*
** {======================================================
** Encoder
** =======================================================
** Output goes to a userdata box kept in a fixed stack slot (grown by making a
** bigger box and replacing the old one), so a memory error leaks nothing.
** Ancestors are tracked in a Lua table (cycle detection); the JSON path is a
** chain of C structs on the C stack, rendered only when an error is reported.
*/

typedef struct jpath {
  const struct jpath *up;
  const char *key;        /* string key, or NULL for an array index */
  size_t klen;
  lua_Integer index;
} jpath;

typedef struct jenc {
  lua_State *L;
  mast_json_error *err;
  const char *root;
  const mast_json_encode_options *opt;  /* NULL: none */
  char *b;                /* output so far: b[0,n), capacity cap */
  size_t n, cap;
  int bufslot, seenslot, amtslot, omtslot;
} jenc;

typedef struct jkey {
  const char *s;
  size_t len;
} jkey;

enum { MARK_NONE, MARK_ARRAY, MARK_OBJECT };

static void enc_grow (jenc *e, size_t need) {
  lua_State *L = e->L;
  size_t cap = e->cap * 2;
  char *nb;
  if (cap < e->n + need) cap = e->n + need;
  nb = (char *)lua_newuserdatauv(L, cap, 0);  /* stack: ... newbox */
  memcpy(nb, e->b, e->n);
  lua_replace(L, e->bufslot);  /* stack: ... (old box is garbage) */
  e->b = nb;
  e->cap = cap;
}

static void enc_put (jenc *e, const char *s, size_t k) {
  if (e->cap - e->n < k) enc_grow(e, k);
  memcpy(e->b + e->n, s, k);
  e->n += k;
}

static void enc_putc (jenc *e, char c) {
  if (e->cap == e->n) enc_grow(e, 1);
  e->b[e->n++] = c;
}

static int is_ident (const char *s, size_t len) {
  size_t i;
  if (len == 0 || len > 48) return 0;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    int alpha = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
    if (!alpha && (i == 0 || !ISDIGIT(c))) return 0;
  }
  return 1;
}

/* s as a quoted, escaped string cut to 24 bytes; out needs 24 * 4 + 8 bytes */
static size_t fmt_quoted (char *out, const char *s, size_t len) {
  size_t n = 0;
  out[n++] = '"';
  n += escape_bytes(out + n, s, 0, len > 24 ? 24 : len, 1);
  if (len > 24) { memcpy(out + n, "...", 3); n += 3; }
  out[n++] = '"';
  out[n] = '\0';
  return n;
}

/* One path component: ".name", "[3]" or ["odd key"]; out needs 112 bytes */
static size_t path_part (char *out, const jpath *p) {
  size_t n;
  if (p->key == NULL)
    return (size_t)snprintf(out, 112, "[%lld]", (long long)p->index);
  if (is_ident(p->key, p->klen)) {
    out[0] = '.';
    memcpy(out + 1, p->key, p->klen);
    out[p->klen + 1] = '\0';
    return p->klen + 1;
  }
  out[0] = '[';
  n = 1 + fmt_quoted(out + 1, p->key, p->klen);
  out[n++] = ']';
  out[n] = '\0';
  return n;
}

/* Root name followed by the path, at most ~150 bytes (the start elided) */
static void fmt_path (const jenc *e, const jpath *path, char *out, size_t outsz) {
  char tail[160];
  size_t pos = sizeof tail - 1;
  int cut = 0;
  tail[pos] = '\0';
  for (; path != NULL; path = path->up) {
    char part[112];
    size_t k = path_part(part, path);
    if (k > pos) { cut = 1; break; }
    pos -= k;
    memcpy(tail + pos, part, k);
  }
  snprintf(out, outsz, "%s%s%s", e->root, cut ? "..." : "", tail + pos);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int enc_error (jenc *e, const jpath *path, const char *fmt, ...);

JSON_NOINLINE static int enc_error (jenc *e, const jpath *path, const char *fmt, ...) {
  char where[200], problem[200];
  va_list ap;
  fmt_path(e, path, where, sizeof where);
  va_start(ap, fmt);
  vsnprintf(problem, sizeof problem, fmt, ap);
  va_end(ap);
  if (snprintf(e->err->msg, sizeof e->err->msg, "%s: %s", where, problem) < 0)
    e->err->msg[0] = '\0';
  return 0;
}

static void enc_integer (jenc *e, lua_Integer i) {
  char buf[24], *p = buf + sizeof buf;
  uint64_t u = (i < 0) ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
  do { *--p = (char)('0' + u % 10); u /= 10; } while (u != 0);
  if (i < 0) *--p = '-';
  enc_put(e, p, (size_t)(buf + sizeof buf - p));
}

/* Quoted, escaped string; 0 (with *bad = offset) if s is not valid UTF-8 */
static int enc_string (jenc *e, const char *s, size_t len, size_t *bad) {
  static const char hex[] = "0123456789abcdef";
  const char *p = s, *run = s, *end = s + len;
  if (e->cap - e->n < len + 2) enc_grow(e, len + 2);
  e->b[e->n++] = '"';
  for (;;) {
    unsigned char c;
    p = scan_plain(p, end);
    if (p >= end) break;
    c = (unsigned char)*p;
    if (c >= 0x80) {
      int k = jsonnum_utf8_len((const unsigned char *)p, (const unsigned char *)end);
      if (k == 0) { *bad = (size_t)(p - s); return 0; }
      p += k;
      continue;
    }
    enc_put(e, run, (size_t)(p - run));
    switch (c) {
      case '"': enc_put(e, "\\\"", 2); break;
      case '\\': enc_put(e, "\\\\", 2); break;
      case '\n': enc_put(e, "\\n", 2); break;
      case '\r': enc_put(e, "\\r", 2); break;
      case '\t': enc_put(e, "\\t", 2); break;
      case '\b': enc_put(e, "\\b", 2); break;
      case '\f': enc_put(e, "\\f", 2); break;
      default: {
        char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        enc_put(e, u, 6);
      }
    }
    run = ++p;
  }
  enc_put(e, run, (size_t)(end - run));
  enc_putc(e, '"');
  return 1;
}

/* Describe the key at stack index k for a message: [3], [1.5], "name", or
   "of type boolean"; out needs 112 bytes */
static void describe_key (lua_State *L, int k, char *out) {
  switch (lua_type(L, k)) {
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, k, &len);  /* a string already: no conversion */
      fmt_quoted(out, s, len);
      break;
    }
    case LUA_TNUMBER:
      if (lua_isinteger(L, k))
        snprintf(out, 112, "[%lld]", (long long)lua_tointeger(L, k));
      else {
        double x = lua_tonumber(L, k);
        char num[48];
        if (x != x) strcpy(num, "nan");
        else if (x > DBL_MAX || x < -DBL_MAX) strcpy(num, x > 0 ? "inf" : "-inf");
        else mastI_json_format_double(num, x);
        snprintf(out, 112, "[%s]", num);
      }
      break;
    default:
      snprintf(out, 112, "of type %s", lua_typename(L, lua_type(L, k)));
  }
}

static int key_cmp (const void *a, const void *b) {
  const jkey *x = (const jkey *)a, *y = (const jkey *)b;
  size_t m = (x->len < y->len) ? x->len : y->len;
  int c = memcmp(x->s, y->s, m);
  if (c != 0) return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* The caller's empty-array keys (see json.h): is an empty unmarked table at
   path (depth components) an array? */
static int empty_is_array (const jenc *e, const jpath *path, int depth) {
  const mast_json_encode_options *o = e->opt;
  size_t i;
  if (o == NULL || path == NULL || path->key == NULL || depth < o->empty_array_depth)
    return 0;
  for (i = 0; i < o->n_empty_array_keys; i++) {
    const mast_json_name *k = &o->empty_array_keys[i];
    if (path->klen == k->len && memcmp(path->key, k->s, k->len) == 0) return 1;
  }
  return 0;
}

static int enc_value (jenc *e, int idx, int depth, const jpath *path);
static int enc_badkey (jenc *e, const jkey *k, const jpath *path);

static int enc_array (jenc *e, int t, lua_Integer n, int depth, const jpath *path) {
  lua_State *L = e->L;
  lua_Integer i;
  enc_putc(e, '[');
  for (i = 1; i <= n; i++) {
    jpath sub;
    sub.up = path; sub.key = NULL; sub.klen = 0; sub.index = i;
    if (i > 1) enc_putc(e, ',');
    lua_rawgeti(L, t, i);  /* stack: ... value */
    if (!enc_value(e, lua_gettop(L), depth + 1, &sub)) return 0;
    lua_pop(L, 1);  /* stack: ... */
  }
  enc_putc(e, ']');
  return 1;
}

static int enc_object (jenc *e, int t, size_t n, int depth, const jpath *path) {
  lua_State *L = e->L;
  jkey *keys;
  size_t i = 0;
  keys = (jkey *)lua_newuserdatauv(L, n * sizeof(jkey), 0);  /* stack: ... keys */
  lua_pushnil(L);  /* stack: ... keys nil */
  while (lua_next(L, t)) {  /* stack: ... keys k v */
    lua_pop(L, 1);  /* stack: ... keys k */
    /* all keys are strings here; t anchors them, so the pointers stay valid
       (a finalizer that changes t meanwhile is not supported; the bound
       check only keeps such a case inside the array) */
    if (i < n && lua_type(L, -1) == LUA_TSTRING) {
      keys[i].s = lua_tolstring(L, -1, &keys[i].len);
      i++;
    }
  }  /* stack: ... keys */
  n = i;
  qsort(keys, n, sizeof(jkey), key_cmp);
  enc_putc(e, '{');
  for (i = 0; i < n; i++) {
    jpath sub;
    size_t bad;
    sub.up = path; sub.key = keys[i].s; sub.klen = keys[i].len; sub.index = 0;
    if (i > 0) enc_putc(e, ',');
    if (!enc_string(e, keys[i].s, keys[i].len, &bad))
      return enc_badkey(e, &keys[i], path);
    enc_putc(e, ':');
    lua_pushlstring(L, keys[i].s, keys[i].len);  /* stack: ... keys k */
    lua_rawget(L, t);  /* stack: ... keys v */
    if (!enc_value(e, lua_gettop(L), depth + 1, &sub)) return 0;
    lua_pop(L, 1);  /* stack: ... keys */
  }
  lua_pop(L, 1);  /* stack: ... */
  enc_putc(e, '}');
  return 1;
}

/*
** Checks before encoding the table at absolute index t (depth, stack, cycle),
** marks it as an ancestor and classifies its keys. Sets *mark (MARK_ARRAY or
** MARK_OBJECT) and *n (elements or keys); 0 on error. Not inlined: its
** locals stay off the recursion.
*/
JSON_NOINLINE static int enc_classify (jenc *e, int t, int depth, const jpath *path,
                                       int *mark, lua_Integer *n) {
  lua_State *L = e->L;
  int hasbad = 0;
  lua_Integer nstr = 0, nint = 0, maxint = 0, minint = 0;
  jkey minstr = {NULL, 0};
  char bad[112] = "";
  if (depth + 1 > MAST_JSON_MAX_DEPTH)
    return enc_error(e, path, "nesting deeper than 1000 levels");
  if (!lua_checkstack(L, 6))
    return enc_error(e, path, "Lua stack overflow");
  lua_pushvalue(L, t);  /* stack: ... t */
  if (lua_rawget(L, e->seenslot) != LUA_TNIL) {  /* stack: ... seen[t] */
    char where[200];
    fmt_path(e, path, where, sizeof where);
    if (snprintf(e->err->msg, sizeof e->err->msg, "cycle detected at %s", where) < 0)
      e->err->msg[0] = '\0';
    return 0;
  }
  lua_pop(L, 1);  /* stack: ... */
  lua_pushvalue(L, t);
  lua_pushboolean(L, 1);
  lua_rawset(L, e->seenslot);  /* seen[t] = true */
  *mark = MARK_NONE;
  if (lua_getmetatable(L, t)) {  /* stack: ... mt */
    if (lua_rawequal(L, -1, e->amtslot)) *mark = MARK_ARRAY;
    else if (lua_rawequal(L, -1, e->omtslot)) *mark = MARK_OBJECT;
    lua_pop(L, 1);  /* stack: ... */
  }
  lua_pushnil(L);  /* stack: ... nil */
  while (lua_next(L, t)) {  /* stack: ... k v */
    int kt = lua_type(L, -2);
    if (kt == LUA_TSTRING) {
      jkey k;
      k.s = lua_tolstring(L, -2, &k.len);  /* a string already: no conversion */
      if (nstr++ == 0 || key_cmp(&k, &minstr) < 0) minstr = k;
    }
    else if (kt == LUA_TNUMBER && lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1) {
      lua_Integer i = lua_tointeger(L, -2);
      if (nint++ == 0 || i < minint) minint = i;
      if (i > maxint) maxint = i;
    }
    else if (!hasbad) {
      describe_key(L, -2, bad);  /* the key is not a string: no conversion */
      hasbad = 1;
    }
    lua_pop(L, 1);  /* stack: ... k */
  }  /* stack: ... */
  if (*mark == MARK_OBJECT) {
    if (hasbad) return enc_error(e, path, "object-marked table has non-string key %s", bad);
    if (nint > 0)
      return enc_error(e, path, "object-marked table has non-string key [%lld]",
                       (long long)minint);
  }
  else {
    if (hasbad) {
      if (*mark == MARK_ARRAY)
        return enc_error(e, path, "array-marked table has invalid key %s", bad);
      return enc_error(e, path, "invalid table key %s", bad);
    }
    if (nstr > 0 && (*mark == MARK_ARRAY || nint > 0)) {
      char kd[112];
      fmt_quoted(kd, minstr.s, minstr.len);
      if (*mark == MARK_ARRAY)
        return enc_error(e, path, "array-marked table has string key %s", kd);
      return enc_error(e, path,
                       "table mixes string keys and integer keys (key [%lld], key %s)",
                       (long long)minint, kd);
    }
    if (nint > 0 && maxint != nint) {  /* keys are not exactly 1..n */
      lua_Integer miss = 1;
      while (lua_rawgeti(L, t, miss) != LUA_TNIL) {  /* stack: ... v */
        lua_pop(L, 1);
        miss++;
      }
      lua_pop(L, 1);  /* stack: ... */
      return enc_error(e, path, "sparse array (index [%lld] is missing, largest is [%lld])",
                       (long long)miss, (long long)maxint);
    }
    if (*mark == MARK_NONE && nint == 0 && nstr == 0)
      *mark = empty_is_array(e, path, depth) ? MARK_ARRAY : MARK_OBJECT;
    else if (*mark == MARK_NONE)
      *mark = (nint > 0) ? MARK_ARRAY : MARK_OBJECT;
  }
  *n = (*mark == MARK_ARRAY) ? nint : nstr;
  return 1;
}

/* The table at absolute index t, `depth` path components below the root */
static int enc_table (jenc *e, int t, int depth, const jpath *path) {
  lua_State *L = e->L;
  int mark, ok;
  lua_Integer n;
  if (!enc_classify(e, t, depth, path, &mark, &n)) return 0;
  if (mark == MARK_ARRAY) ok = enc_array(e, t, n, depth, path);
  else ok = enc_object(e, t, (size_t)n, depth, path);
  if (!ok) return 0;
  lua_pushvalue(L, t);
  lua_pushnil(L);
  lua_rawset(L, e->seenslot);  /* seen[t] = nil */
  return 1;
}

/* Number at idx: integer, or float in the shortest exact form */
JSON_NOINLINE static int enc_number (jenc *e, int idx, const jpath *path) {
  lua_State *L = e->L;
  if (lua_isinteger(L, idx))
    enc_integer(e, lua_tointeger(L, idx));
  else {
    double x = lua_tonumber(L, idx);
    char num[48];
    if (x != x) return enc_error(e, path, "cannot encode NaN");
    if (x > DBL_MAX) return enc_error(e, path, "cannot encode inf");
    if (x < -DBL_MAX) return enc_error(e, path, "cannot encode -inf");
    enc_put(e, num, mastI_json_format_double(num, x));
  }
  return 1;
}

/* String at idx (a string already), or an error naming the bad byte */
JSON_NOINLINE static int enc_strval (jenc *e, int idx, const jpath *path) {
  size_t len, bad;
  const char *s = lua_tolstring(e->L, idx, &len);
  if (!enc_string(e, s, len, &bad))
    return enc_error(e, path, "string is not valid UTF-8 (byte offset %zu)", bad);
  return 1;
}

/* Key i of an object that is not valid UTF-8 */
JSON_NOINLINE static int enc_badkey (jenc *e, const jkey *k, const jpath *path) {
  char kd[112];
  fmt_quoted(kd, k->s, k->len);
  return enc_error(e, path, "table key %s is not valid UTF-8", kd);
}

static int enc_value (jenc *e, int idx, int depth, const jpath *path) {
  lua_State *L = e->L;
  switch (lua_type(L, idx)) {
    case LUA_TNIL:
      enc_put(e, "null", 4);
      return 1;
    case LUA_TBOOLEAN:
      if (lua_toboolean(L, idx)) enc_put(e, "true", 4);
      else enc_put(e, "false", 5);
      return 1;
    case LUA_TNUMBER:
      return enc_number(e, idx, path);
    case LUA_TSTRING:
      return enc_strval(e, idx, path);
    case LUA_TTABLE:
      return enc_table(e, idx, depth, path);
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, idx) == NULL) {  /* json null */
        enc_put(e, "null", 4);
        return 1;
      }
      return enc_error(e, path, "cannot encode a light userdata (only NULL, json null)");
    case LUA_TFUNCTION:
      return enc_error(e, path, "cannot encode a function");
    case LUA_TTHREAD:
      return enc_error(e, path, "cannot encode a thread");
    default:
      return enc_error(e, path, "cannot encode a %s", luaL_typename(L, idx));
  }
}

int mast_json_encode (lua_State *L, int idx, const char *root,
                      mast_json_error *err) {
  return mast_json_encode_opt(L, idx, root, NULL, err);
}

int mast_json_encode_opt (lua_State *L, int idx, const char *root,
                          const mast_json_encode_options *opt, mast_json_error *err) {
  jenc e;
  mast_json_error dummy;
  int base, ok;
  if (err == NULL) err = &dummy;
  err->offset = 0;
  err->msg[0] = '\0';
  e.L = L;
  e.err = err;
  e.root = (root != NULL) ? root : "value";
  e.opt = (opt != NULL && opt->n_empty_array_keys > 0) ? opt : NULL;
  idx = lua_absindex(L, idx);
  if (!lua_checkstack(L, 8)) {
    snprintf(err->msg, sizeof err->msg, "%s: Lua stack overflow", e.root);
    return 0;
  }
  base = lua_gettop(L);
  e.bufslot = base + 1;
  e.seenslot = base + 2;
  e.amtslot = base + 3;
  e.omtslot = base + 4;
  e.cap = 256;
  e.n = 0;
  e.b = (char *)lua_newuserdatauv(L, e.cap, 0);  /* stack: ... box */
  lua_newtable(L);  /* stack: ... box seen */
  luaL_getmetatable(L, MAST_JSON_ARRAY_MT);  /* stack: ... box seen amt|nil */
  luaL_getmetatable(L, MAST_JSON_OBJECT_MT);  /* stack: ... box seen amt omt */
  ok = enc_value(&e, idx, 0, NULL);
  if (!ok) {
    lua_settop(L, base);
    return 0;
  }
  lua_settop(L, base + 4);  /* stack: ... box seen amt omt */
  lua_pushlstring(L, e.b, e.n);  /* stack: ... box seen amt omt json */
  lua_replace(L, base + 1);  /* stack: ... json seen amt omt */
  lua_settop(L, base + 1);  /* stack: ... json */
  return 1;
}

/* }====================================================== */
