/*
** votable.c -- core.votable_decode: an IVOA VOTable (TABLEDATA) as a mast dataset.
**
**   core.votable_decode(text [, name]) -> {fields = {{name, type, datatype,
**       arraysize, unit, ucd, description}, ...}, data = {rows keyed by name},
**       info = {<INFO name> = value, ...}, status = "OK" | "ERROR" | "OVERFLOW"
**       | nil, status_text = <QUERY_STATUS's text or nil>, nrows = <TABLE nrows>}
**
** A document with no TABLE but a QUERY_STATUS (an ERROR) gives no rows. The
** TABLEDATA rows are read by a strict scanner (below); a third argument
** "expat" reads the whole document with expat alone (the tests' reference).
** The first TABLE of the document is read, parsed with expat as the bytes go,
** cells converted by the FIELD's datatype: long/int/short/unsignedByte to Lua
** integers (64-bit ids exact), float/double to numbers (NaN, +Inf, -Inf
** included), boolean to true/false, char/unicodeChar to strings, and a
** numeric arraysize to a list. An empty TD, or one equal to the FIELD's VALUES
** null, is mast.core.null; a row missing trailing cells gets nulls.
** Hostile input: no DOCTYPE (so no entity can expand), nesting at most 64
** deep, and every error says where it is (line and column). BINARY2 (VOTable
** 1.3 section 5.5) is read as its base64 text arrives: each row a null-flag
** mask then big-endian cells; a row is converted once all its bytes are in.
** BINARY and FITS serialisations are refused with a clear error.
** A Lua error (out of memory) raised inside a callback unwinds through expat's
** frames; the parser lives in a userdata whose __gc frees it.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "bind.h"
#include "../core/jsonnum.h"

#define VOT_MT "mast.VOTableParser"
#define MAX_DEPTH 64

enum { K_STRING, K_INT, K_FLOAT, K_BOOL };

enum { D_BOOL, D_BIT, D_UBYTE, D_SHORT, D_INT, D_LONG, D_FLOAT, D_DOUBLE, D_CHAR, D_UCHAR,
       D_FCPLX, D_DCPLX };

typedef struct vfield {
  int kind;
  int array;        /* a numeric arraysize: a list of values */
  char *null;       /* VALUES null="..." (malloc'd), or NULL */
  int dt;           /* D_*: the BINARY2 layout */
  int var;          /* arraysize ends in '*': a 4-byte count first */
  int has_inull;    /* an integer VALUES null, compared in BINARY2 */
  long long inull;
  size_t count;     /* elements of a fixed arraysize (bits for bit) */
} vfield;

typedef struct vt {
  lua_State *L;
  XML_Parser p;
  int depth;
  int table;        /* 0 before the first TABLE, 1 inside it, 2 after it */
  int in_data;      /* inside TABLEDATA */
  int in_tr, in_td, in_desc, in_status;
  int in_bin2, in_stream;
  unsigned char *bin;   /* decoded BINARY2 bytes not yet made rows */
  size_t blen, bcap;
  unsigned quad;        /* base64: bits of the group being read */
  int nq, pad;
  int col;
  char *text;       /* the text of the element being read */
  size_t len, cap;
  vfield *f;
  int nf, fcap;
  char err[300];
  int failed;
  int not_utf8;     /* the XML declaration names another encoding */
  long long td_end; /* the byte just after the last TABLEDATA start tag */
  lua_Alloc alloc;  /* the state's allocator: every byte is the host's */
  void *aud;
} vt;

static void *vt_realloc(vt *v, void *p, size_t old, size_t n) {
  return v->alloc(v->aud, p, old, n);
}

/* stack slots of decode() */
enum { S_TEXT = 1, S_NAME, S_BOX, S_RESULT, S_FIELDS, S_DATA, S_INFO, S_NAMES, S_ROW };

static void vt_free(vt *v) {
  int i;
  if (v->p != NULL) XML_ParserFree(v->p);
  v->p = NULL;
  for (i = 0; i < v->nf; i++)
    if (v->f[i].null != NULL) vt_realloc(v, v->f[i].null, strlen(v->f[i].null) + 1, 0);
  if (v->f != NULL) vt_realloc(v, v->f, (size_t)v->fcap * sizeof *v->f, 0);
  v->f = NULL;
  v->nf = v->fcap = 0;
  if (v->bin != NULL) vt_realloc(v, v->bin, v->bcap, 0);
  v->bin = NULL;
  v->bcap = v->blen = 0;
  if (v->text != NULL) vt_realloc(v, v->text, v->cap, 0);
  v->text = NULL;
  v->cap = v->len = 0;
}

static int vt_gc(lua_State *L) {
  vt_free(luaL_checkudata(L, 1, VOT_MT));
  return 0;
}

/* Stops the parse with a message naming the place. */
static void fail(vt *v, const char *msg) {
  if (v->failed) return;
  v->failed = 1;
  mast_xml_where(v->p, v->err, sizeof v->err, msg);
  XML_StopParser(v->p, XML_FALSE);
}

static const char *attr(const XML_Char **a, const char *name) {
  for (; a[0] != NULL; a += 2)
    if (strcmp(a[0], name) == 0) return a[1];
  return NULL;
}



/* ---- BINARY2 ---- */

static const size_t el_size[] = {1, 0, 1, 2, 4, 8, 4, 8, 1, 2, 8, 16};

static unsigned long long be(const unsigned char *p, int n) {
  unsigned long long x = 0;
  int i;
  for (i = 0; i < n; i++) x = x << 8 | p[i];
  return x;
}

/* The bytes of field f at p (n available): 1 and *size, or 0 if they are not
** all in yet. *count gets the elements (a variable array's 4-byte count). */
static int cell_size(const vfield *f, const unsigned char *p, size_t n, size_t *size, size_t *count) {
  size_t head = 0, c = f->count;
  if (f->var) {
    if (n < 4) return 0;
    c = (size_t)be(p, 4);
    head = 4;
  }
  *count = c;
  /* c < 2^32, el_size <= 16: no overflow on a 64-bit size_t; on 32 bits cap it */
  if (f->dt == D_BIT) *size = head + c / 8 + (c % 8 != 0);
  else if ((unsigned long long)c * el_size[f->dt] > (size_t)-1 - 8) *size = (size_t)-1;
  else *size = head + c * el_size[f->dt];
  return *size <= n;
}

/* A float32 as the shortest decimal that reads back as it (what a TABLEDATA
** writer prints), so both serialisations give the same double. */
static double float_decimal(float x) {
  char buf[32];
  int prec;
  if (!isfinite(x)) return (double)x;
  for (prec = 6; prec <= 9; prec++) {
    const char *stop;
    jsonnum num = {0, 0, 0.0};
    int n = snprintf(buf, sizeof buf, "%.*g", prec, (double)x);
    if (n <= 0 || (size_t)n >= sizeof buf) break;
    if (jsonnum_scan(buf, buf + n, &stop, &num) != JSONNUM_OK || stop != buf + n) break;   /* a ',' locale */
    if (num.isint) num.d = (double)num.i;
    if ((float)num.d == x) return num.d;
  }
  return (double)x;
}

/* A string cell: trailing NULs and spaces dropped; empty is null, as an
** empty TD is. */
static void push_bstring(lua_State *L, const vfield *f, const unsigned char *p, size_t c) {
  if (f->dt == D_CHAR) {
    while (c > 0 && (p[c - 1] == 0 || p[c - 1] == ' ')) c--;
    if (c == 0) lua_pushlightuserdata(L, NULL);
    else lua_pushlstring(L, (const char *)p, c);
  } else {
    luaL_Buffer b;
    size_t i;
    while (c > 0 && p[2 * c - 2] == 0 && (p[2 * c - 1] == 0 || p[2 * c - 1] == ' ')) c--;
    if (c == 0) {
      lua_pushlightuserdata(L, NULL);
      return;
    }
    luaL_buffinit(L, &b);
    for (i = 0; i < c; i++) {   /* UTF-16BE to UTF-8; a lone surrogate is U+FFFD */
      unsigned long u = (unsigned long)be(p + 2 * i, 2);
      if (u >= 0xD800 && u < 0xDC00 && i + 1 < c) {
        unsigned long lo = (unsigned long)be(p + 2 * i + 2, 2);
        if (lo >= 0xDC00 && lo < 0xE000) {
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          i++;
        } else u = 0xFFFD;
      } else if (u >= 0xD800 && u < 0xE000) u = 0xFFFD;
      luaL_addsize(&b, mastI_json_utf8_put(luaL_prepbuffsize(&b, 4), u));
    }
    luaL_pushresult(&b);
  }
}

/* Pushes element i of a numeric or boolean cell at p; 0 on a bad boolean. */
static int push_elem(lua_State *L, const vfield *f, const unsigned char *p, size_t i) {
  switch (f->dt) {
  case D_BOOL: {
    int c = p[i];
    if (c == 'T' || c == 't' || c == '1') lua_pushboolean(L, 1);
    else if (c == 'F' || c == 'f' || c == '0') lua_pushboolean(L, 0);
    else if (c == '?' || c == ' ' || c == 0) lua_pushlightuserdata(L, NULL);
    else return 0;
    break;
  }
  case D_BIT: lua_pushinteger(L, (p[i / 8] >> (7 - i % 8)) & 1); break;
  case D_UBYTE: lua_pushinteger(L, p[i]); break;
  case D_SHORT: lua_pushinteger(L, (int16_t)be(p + 2 * i, 2)); break;
  case D_INT: lua_pushinteger(L, (int32_t)be(p + 4 * i, 4)); break;
  case D_LONG: lua_pushinteger(L, (lua_Integer)(int64_t)be(p + 8 * i, 8)); break;
  case D_FLOAT: case D_FCPLX: {
    uint32_t w = (uint32_t)be(p + 4 * i, 4);
    float x;
    memcpy(&x, &w, sizeof x);
    lua_pushnumber(L, (lua_Number)float_decimal(x));
    break;
  }
  default: {   /* D_DOUBLE, D_DCPLX */
    uint64_t w = (uint64_t)be(p + 8 * i, 8);
    double x;
    memcpy(&x, &w, sizeof x);
    lua_pushnumber(L, (lua_Number)x);
  }
  }
  return 1;
}

/* Converts the complete rows at the head of v->bin; keeps a partial one. */
static void bin_rows(vt *v) {
  lua_State *L = v->L;
  size_t mlen = (size_t)(v->nf + 7) / 8, pos = 0;
  while (!v->failed) {
    const unsigned char *row = v->bin + pos, *p;
    size_t n = v->blen - pos, off = mlen, size = 0, c = 0;
    int j;
    if (n < mlen || v->nf == 0) break;
    for (j = 0; j < v->nf; j++) {   /* is the whole row in? */
      if (!cell_size(&v->f[j], row + off, n - off, &size, &c)) break;
      off += size;
    }
    if (j < v->nf) break;
    lua_createtable(L, 0, v->nf);
    for (j = 0, off = mlen; j < v->nf; j++) {
      const vfield *f = &v->f[j];
      size_t i;
      cell_size(f, row + off, n - off, &size, &c);
      p = row + off + (f->var ? 4 : 0);
      off += size;
      lua_rawgeti(L, S_NAMES, j + 1);
      if (row[j / 8] & (0x80 >> (j % 8))) lua_pushlightuserdata(L, NULL);
      else if (f->kind == K_STRING) push_bstring(L, f, p, c);
      else if (f->array) {
        size_t per = f->dt == D_FCPLX || f->dt == D_DCPLX ? 2 : 1;
        lua_createtable(L, (int)(c * per < 1000000 ? c * per : 0), 0);
        for (i = 0; i < c * per; i++) {
          if (!push_elem(L, f, p, i)) {
            fail(v, "a BINARY2 boolean that is not T, F, 1, 0 or ?");
            return;
          }
          lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
      } else if (c == 0) lua_pushlightuserdata(L, NULL);
      else if (!push_elem(L, f, p, 0)) {
        fail(v, "a BINARY2 boolean that is not T, F, 1, 0 or ?");
        return;
      } else if (f->has_inull && lua_tointeger(L, -1) == f->inull) {
        lua_pop(L, 1);
        lua_pushlightuserdata(L, NULL);
      }
      lua_rawset(L, -3);
    }
    lua_rawseti(L, S_DATA, (lua_Integer)lua_rawlen(L, S_DATA) + 1);
    pos += off;
  }
  if (pos > 0) {
    memmove(v->bin, v->bin + pos, v->blen - pos);
    v->blen -= pos;
  }
}

static int b64val(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* Decodes base64 text onto v->bin, then converts the rows now complete. */
static void b64_feed(vt *v, const char *s, int n) {
  int k;
  if (v->blen + (size_t)n + 3 > v->bcap) {
    size_t cap = v->bcap ? v->bcap : 4096;
    unsigned char *t;
    while (cap < v->blen + (size_t)n + 3) cap *= 2;
    t = vt_realloc(v, v->bin, v->bcap, cap);
    if (t == NULL) {
      fail(v, "out of memory");
      return;
    }
    v->bin = t;
    v->bcap = cap;
  }
  for (k = 0; k < n; k++) {
    int c = (unsigned char)s[k], d;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '=') {
      if (v->nq < 2 || v->pad + v->nq >= 4) {
        fail(v, "bad base64 in a BINARY2 STREAM (misplaced '=')");
        return;
      }
      v->pad++;
      if (v->nq + v->pad == 4) {   /* a padded end group: 1 or 2 bytes */
        v->bin[v->blen++] = (unsigned char)(v->quad >> (v->nq == 2 ? 4 : 10));
        if (v->nq == 3) v->bin[v->blen++] = (unsigned char)(v->quad >> 2);
        v->nq = 0;
        v->quad = 0;
      }
      continue;
    }
    d = b64val(c);
    if (d < 0 || v->pad) {
      fail(v, d < 0 ? "bad base64 in a BINARY2 STREAM (a character outside the alphabet)"
                    : "bad base64 in a BINARY2 STREAM (data after '=')");
      return;
    }
    v->quad = v->quad << 6 | (unsigned)d;
    if (++v->nq == 4) {
      v->bin[v->blen++] = (unsigned char)(v->quad >> 16);
      v->bin[v->blen++] = (unsigned char)(v->quad >> 8);
      v->bin[v->blen++] = (unsigned char)v->quad;
      v->nq = 0;
      v->quad = 0;
    }
  }
  bin_rows(v);
}

/* The end of a STREAM: every byte must have made a whole row. */
static void b64_end(vt *v) {
  if (v->failed) return;
  if (v->nq != 0) fail(v, "bad base64 in a BINARY2 STREAM (it ends inside a 4-character group)");
  else if (v->blen != 0)
    fail(v, "a truncated BINARY2 STREAM: its last row is incomplete (or a variable-length "
            "count runs past the end)");
}

/* Appends n bytes to the text of the element being read; 0 when out of memory. */
static int text_add(vt *v, const char *s, size_t n) {
  if (v->len + n + 1 > v->cap) {
    size_t cap = v->cap ? v->cap : 256;
    char *t;
    while (cap < v->len + n + 1) cap *= 2;
    t = vt_realloc(v, v->text, v->cap, cap);
    if (t == NULL) {
      fail(v, "out of memory");
      return 0;
    }
    v->text = t;
    v->cap = cap;
  }
  memcpy(v->text + v->len, s, n);
  v->len += n;
  v->text[v->len] = '\0';
  return 1;
}

static void on_text(void *ud, const XML_Char *s, int n) {
  vt *v = ud;
  if (v->in_stream) {
    if (n > 0 && !v->failed) b64_feed(v, s, n);
    return;
  }
  if (!(v->in_td || v->in_desc || v->in_status) || n <= 0) return;
  text_add(v, s, (size_t)n);
}

static void set_string(lua_State *L, const char *k, const char *s) {
  if (s == NULL) return;
  lua_pushstring(L, s);
  lua_setfield(L, -2, k);
}

static void add_field(vt *v, const XML_Char **a) {
  lua_State *L = v->L;
  const char *name = attr(a, "name"), *dt = attr(a, "datatype"), *as = attr(a, "arraysize");
  vfield *f;
  if (name == NULL) name = attr(a, "ID");
  if (name == NULL || dt == NULL) {
    fail(v, "a FIELD without a name or a datatype");
    return;
  }
  if (v->nf == v->fcap) {
    int cap = v->fcap ? v->fcap * 2 : 16;
    vfield *nfs = vt_realloc(v, v->f, (size_t)v->fcap * sizeof *nfs, (size_t)cap * sizeof *nfs);
    if (nfs == NULL) {
      fail(v, "out of memory");
      return;
    }
    v->f = nfs;
    v->fcap = cap;
  }
  f = &v->f[v->nf++];
  memset(f, 0, sizeof *f);
  if (strcmp(dt, "char") == 0 || strcmp(dt, "unicodeChar") == 0) f->kind = K_STRING;
  else if (strcmp(dt, "long") == 0 || strcmp(dt, "int") == 0 || strcmp(dt, "short") == 0 ||
           strcmp(dt, "unsignedByte") == 0 || strcmp(dt, "bit") == 0) f->kind = K_INT;
  else if (strcmp(dt, "float") == 0 || strcmp(dt, "double") == 0) f->kind = K_FLOAT;
  else if (strcmp(dt, "boolean") == 0) f->kind = K_BOOL;
  else if (strcmp(dt, "floatComplex") == 0 || strcmp(dt, "doubleComplex") == 0) f->kind = K_FLOAT;
  else {
    fail(v, "a FIELD with an unknown datatype");
    return;
  }
  if (strcmp(dt, "floatComplex") == 0 || strcmp(dt, "doubleComplex") == 0) f->array = 1;
  {
    static const char *const names[] = {"boolean", "bit", "unsignedByte", "short", "int", "long",
                                        "float", "double", "char", "unicodeChar", "floatComplex",
                                        "doubleComplex"};
    int i;
    for (i = 0; i < 12; i++)
      if (strcmp(dt, names[i]) == 0) f->dt = i;
  }
  f->count = 1;
  if (as != NULL) {   /* "n", "n*", "*", "3x2", "3x*": the product of the fixed sizes */
    const char *p = as;
    size_t prod = 1;
    while (*p != '\0') {
      char *e;
      unsigned long long d;
      if (*p == '*') {
        f->var = 1;
        break;
      }
      d = strtoull(p, &e, 10);
      if (e == p || d > 0x7fffffff || (d > 0 && prod > (size_t)0x7fffffff / d)) {
        fail(v, "a FIELD with a bad arraysize");
        return;
      }
      if (*e == '*') {
        f->var = 1;
        break;
      }
      prod *= (size_t)d;
      p = *e == 'x' ? e + 1 : e;
      if (*e != 'x' && *e != '\0') {
        fail(v, "a FIELD with a bad arraysize");
        return;
      }
    }
    f->count = prod;
  }
  if (as != NULL && f->kind != K_STRING && strcmp(as, "1") != 0) f->array = 1;
  lua_createtable(L, 0, 7);
  set_string(L, "name", name);
  set_string(L, "type", f->array ? "array" : f->kind == K_STRING ? "string" : f->kind == K_INT ? "int"
                                   : f->kind == K_FLOAT ? "float" : "boolean");
  set_string(L, "datatype", dt);
  set_string(L, "arraysize", as);
  set_string(L, "unit", attr(a, "unit"));
  set_string(L, "ucd", attr(a, "ucd"));
  set_string(L, "xtype", attr(a, "xtype"));
  lua_rawseti(L, S_FIELDS, v->nf);
  lua_pushstring(L, name);
  lua_rawseti(L, S_NAMES, v->nf);
}

static void on_start(void *ud, const XML_Char *el, const XML_Char **a) {
  vt *v = ud;
  lua_State *L = v->L;
  const char *n = mast_xml_local(el);
  if (++v->depth > MAX_DEPTH) {
    fail(v, "nesting deeper than 64 elements");
    return;
  }
  v->len = 0;
  /* the hot path: a TR or TD of the rows, before the other names are tried */
  if (v->in_data && v->table == 1 && n[0] == 'T' && (n[1] == 'R' || n[1] == 'D') && n[2] == '\0') {
    if (n[1] == 'R') {
      if (v->in_tr) {
        fail(v, "a TR inside a TR");
        return;
      }
      lua_settop(L, S_NAMES);
      lua_createtable(L, 0, v->nf);   /* S_ROW */
      v->col = 0;
      v->in_tr = 1;
    } else if (!v->in_tr) fail(v, "a TD outside a TR");
    else if (v->in_td) fail(v, "a TD inside a TD");
    else if (v->col >= v->nf) fail(v, "a row with more cells than the table has FIELDs");
    else v->in_td = 1;
    return;
  }
  if (strcmp(n, "INFO") == 0) {
    const char *name = attr(a, "name"), *value = attr(a, "value");
    if (name != NULL && value != NULL) {
      lua_pushstring(L, value);
      lua_setfield(L, S_INFO, name);
      if (strcmp(name, "QUERY_STATUS") == 0 && v->table != 1) {
        lua_pushstring(L, value);
        lua_setfield(L, S_RESULT, "status");
        v->in_status = 1;
      }
    }
  } else if (strcmp(n, "TABLE") == 0) {
    if (v->table == 0) {
      const char *nrows = attr(a, "nrows");
      v->table = 1;
      if (nrows != NULL) {
        lua_pushinteger(L, (lua_Integer)strtoll(nrows, NULL, 10));
        lua_setfield(L, S_RESULT, "nrows");
      }
    }
  } else if (v->table != 1) {
    return;
  } else if (strcmp(n, "FIELD") == 0) {
    if (v->in_data || v->in_bin2 || lua_rawlen(L, S_DATA) > 0)   /* rows must have every field */
      fail(v, "a FIELD after the table's rows began");
    else add_field(v, a);
  } else if (strcmp(n, "DESCRIPTION") == 0 && v->nf > 0 && !v->in_data) {
    v->in_desc = 1;
  } else if (strcmp(n, "VALUES") == 0 && v->nf > 0 && !v->in_data) {
    const char *null = attr(a, "null");
    if (null != NULL && v->f[v->nf - 1].null == NULL) {
      size_t sz = strlen(null) + 1;
      char *copy = vt_realloc(v, NULL, 0, sz);
      if (copy == NULL) fail(v, "out of memory");
      else v->f[v->nf - 1].null = memcpy(copy, null, sz);
      if (v->f[v->nf - 1].kind == K_INT) {
        char *e;
        long long x = strtoll(null, &e, 10);
        if (e != null && *e == '\0') {
          v->f[v->nf - 1].has_inull = 1;
          v->f[v->nf - 1].inull = x;
        }
      }
    }
  } else if (strcmp(n, "TABLEDATA") == 0) {
    if (v->in_bin2) fail(v, "a TABLEDATA inside a BINARY2");
    v->in_data = 1;
    v->td_end = (long long)XML_GetCurrentByteIndex(v->p) + XML_GetCurrentByteCount(v->p);
  } else if (strcmp(n, "BINARY2") == 0) {
    if (v->in_data || v->in_bin2) {   /* a TR's row may be on the stack */
      fail(v, "a BINARY2 inside a TABLEDATA or a BINARY2");
      return;
    }
    v->in_bin2 = 1;
    lua_settop(L, S_NAMES);
  } else if (strcmp(n, "STREAM") == 0 && v->in_bin2) {
    const char *enc = attr(a, "encoding");
    if (attr(a, "href") != NULL) fail(v, "a BINARY2 STREAM by href (mast reads only inline base64)");
    else if (enc == NULL || strcmp(enc, "base64") != 0)
      fail(v, "a BINARY2 STREAM whose encoding is not base64");
    else v->in_stream = 1;
  } else if (strcmp(n, "BINARY") == 0 || strcmp(n, "FITS") == 0) {
    fail(v, "this VOTable's rows are in a binary serialisation, which mast does not read yet "
            "(ask for TABLEDATA)");
  }
}

/* Trims s in place (XML whitespace); returns it. */
static char *trim(char *s, size_t *len) {
  size_t n = *len;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
    s++;
    n--;
  }
  s[n] = '\0';
  *len = n;
  return s;
}

/* Pushes one number written as a VOTable writes it (a '+' sign, leading
** zeros, NaN and Inf allowed); 0 if it is not one. */
static int push_number(lua_State *L, const char *s, size_t n, int kind) {
  const char *p, *end, *stop;
  jsonnum num = {0, 0, 0.0};
  int neg;
  if (n > 0 && *s == '+') {
    s++;
    n--;
  }
  end = s + n;
  neg = n > 0 && *s == '-';
  p = s + neg;   /* the digits */
  if (kind == K_FLOAT && (*p == 'N' || *p == 'n' || *p == 'I' || *p == 'i')) {
    if (strcmp(p, "NaN") == 0 || strcmp(p, "nan") == 0) {
      lua_pushnumber(L, (lua_Number)NAN);
      return 1;
    }
    if (strcmp(p, "Inf") == 0 || strcmp(p, "inf") == 0 || strcmp(p, "Infinity") == 0) {
      lua_pushnumber(L, neg ? -(lua_Number)HUGE_VAL : (lua_Number)HUGE_VAL);
      return 1;
    }
  }
  while (end - p > 1 && p[0] == '0' && JSONNUM_ISDIGIT(p[1])) p++;   /* leading zeros */
  if (p == s + neg) p = s;   /* none: scan the sign too (keeps INT64_MIN exact) */
  if (jsonnum_scan(p, end, &stop, &num) != JSONNUM_OK || stop != end) return 0;
  if (neg && p != s) {       /* zeros were skipped after a '-': p holds no sign */
    if (num.isint) num.i = -num.i;
    else num.d = -num.d;
  }
  if (kind == K_INT && !num.isint) {
    if (num.d != 0) return 0;
    num.isint = 1;           /* "-0" */
    num.i = 0;
  }
  if (num.isint && kind == K_INT) lua_pushinteger(L, (lua_Integer)num.i);
  else lua_pushnumber(L, num.isint ? (lua_Number)num.i : (lua_Number)num.d);
  return 1;
}

static void push_cell(vt *v, vfield *f) {
  lua_State *L = v->L;
  size_t n = v->len;
  char *s = v->text ? trim(v->text, &n) : (char *)"";
  if (n == 0 || (f->null != NULL && strcmp(s, f->null) == 0)) {
    lua_pushlightuserdata(L, NULL);   /* mast.core.null */
    return;
  }
  if (f->kind == K_STRING) {
    lua_pushlstring(L, s, n);
  } else if (f->kind == K_BOOL) {
    int c = s[0];
    if (c == 'T' || c == 't' || c == '1') lua_pushboolean(L, 1);
    else if (c == 'F' || c == 'f' || c == '0') lua_pushboolean(L, 0);
    else if (c == '?' || c == ' ') lua_pushlightuserdata(L, NULL);
    else fail(v, "a boolean cell that is not T, F, true, false, 1, 0 or ?");
  } else if (f->array) {
    lua_Integer i = 0;
    char *p = s, *end = s + n;
    lua_newtable(L);
    while (p < end && !v->failed) {
      char *q = p;
      while (q < end && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') q++;
      if (q > p) {
        char save = *q;
        *q = '\0';
        if (!push_number(L, p, (size_t)(q - p), f->kind)) fail(v, "an array cell holding a non-number");
        else lua_rawseti(L, -2, ++i);
        *q = save;
      }
      p = q + 1;
    }
  } else if (!push_number(L, s, n, f->kind)) {
    fail(v, f->kind == K_INT ? "an integer cell that is not a whole number in range"
                             : "a floating-point cell that is not a number");
  }
}

static void on_end(void *ud, const XML_Char *el) {
  vt *v = ud;
  lua_State *L = v->L;
  const char *n = mast_xml_local(el);
  v->depth--;
  if (v->in_status && strcmp(n, "INFO") == 0) {
    size_t len = v->len;
    char *s = v->text ? trim(v->text, &len) : NULL;
    if (s != NULL && len > 0) {
      lua_pushlstring(L, s, len);
      lua_setfield(L, S_RESULT, "status_text");
    }
    v->in_status = 0;
  } else if (v->table != 1) {
    return;
  } else if (v->in_desc && strcmp(n, "DESCRIPTION") == 0) {
    size_t len = v->len;
    char *s = v->text ? trim(v->text, &len) : NULL;
    if (s != NULL && len > 0) {
      lua_rawgeti(L, S_FIELDS, v->nf);
      lua_pushlstring(L, s, len);
      lua_setfield(L, -2, "description");
      lua_pop(L, 1);
    }
    v->in_desc = 0;
  } else if (v->in_td && strcmp(n, "TD") == 0) {
    v->in_td = 0;
    if (v->failed || v->col >= v->nf) return;
    push_cell(v, &v->f[v->col]);
    if (v->failed) return;
    lua_rawgeti(L, S_NAMES, v->col + 1);
    lua_insert(L, -2);
    lua_rawset(L, S_ROW);
    v->col++;
  } else if (strcmp(n, "TR") == 0 && v->in_tr) {
    v->in_tr = 0;
    for (; v->col < v->nf; v->col++) {   /* missing cells are nulls */
      lua_rawgeti(L, S_NAMES, v->col + 1);
      lua_pushlightuserdata(L, NULL);
      lua_rawset(L, S_ROW);
    }
    lua_rawseti(L, S_DATA, (lua_Integer)lua_rawlen(L, S_DATA) + 1);
  } else if (strcmp(n, "TABLEDATA") == 0) {
    v->in_data = 0;
  } else if (v->in_stream && strcmp(n, "STREAM") == 0) {
    v->in_stream = 0;
    b64_end(v);
  } else if (strcmp(n, "BINARY2") == 0) {
    v->in_bin2 = 0;
  } else if (strcmp(n, "TABLE") == 0) {
    v->table = 2;
  }
  v->len = 0;
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int internal) {
  (void)name; (void)sys; (void)pub; (void)internal;
  fail(ud, MAST_XML_NO_DOCTYPE);
}

/* The rows' scanner reads UTF-8 only (expat gives its handlers UTF-8 whatever
** the document's encoding). */
static void on_xmldecl(void *ud, const XML_Char *version, const XML_Char *enc, int standalone) {
  vt *v = ud;
  const char *u = "UTF-8";
  (void)version; (void)standalone;
  if (enc == NULL) return;
  while (*enc != '\0' && (*enc == *u || (*u >= 'A' && *u <= 'Z' && *enc == *u + 32))) {
    enc++;
    u++;
  }
  v->not_utf8 = *enc != '\0' || *u != '\0';
}


/* ---- TABLEDATA rows without expat ----
** Most of a VOTable is its rows, and expat's callbacks per TR and TD cost
** more than the rows' own conversion. So once expat has read the document up
** to <TABLEDATA>, this strict scanner reads the rows straight from the text,
** as the expat handlers would, and hands the rest to expat. It takes only
** what it can read exactly as expat would: anything else between rows goes
** to expat from there; anything else inside a row, a cell that does not
** convert, or an error later makes decode() read the whole document again
** with expat alone (so every error names its place as before). */

static int is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* A byte of character data expat passes on unchanged: no markup, reference,
** line end to normalise, control character or non-ASCII byte to check. */
static int plain_char(unsigned char c) {
  return c >= 0x20 ? c < 0x80 && c != '<' && c != '&' && c != ']' : c == '\t' || c == '\n';
}

/* The length of the UTF-8 character at p (*p >= 0x80), 0 if XML refuses it. */
static int xml_utf8(const char *p, const char *end) {
  int n = jsonnum_utf8_len((const unsigned char *)p, (const unsigned char *)end);
  if (n == 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBF &&
      (unsigned char)p[2] >= 0xBE) return 0;   /* U+FFFE, U+FFFF */
  return n;
}

/* p starts with lit (n bytes); a loop the compiler unrolls, not a memcmp call */
static int has(const char *p, const char *end, const char *lit, size_t n) {
  size_t i;
  if ((size_t)(end - p) < n) return 0;
  for (i = 0; i < n; i++)
    if (p[i] != lit[i]) return 0;
  return 1;
}

/* At "<!--": the byte after its "-->", or NULL. */
static const char *skip_comment(const char *p, const char *end) {
  for (p += 4; p < end;) {
    unsigned char c = (unsigned char)*p;
    if (c == '-' && end - p >= 2 && p[1] == '-') return end - p >= 3 && p[2] == '>' ? p + 3 : NULL;
    if (c >= 0x80) {
      int n = xml_utf8(p, end);
      if (n == 0) return NULL;
      p += n;
    } else if (c < 0x20 && !is_ws(c)) return NULL;
    else p++;
  }
  return NULL;
}

/* After an element's name: its attributes (ignored, but checked), then '>'
** (*empty = 0) or "/>" (*empty = 1); the byte after, or NULL. */
static const char *tag_end(const char *p, const char *end, int *empty) {
  const char *names[8];
  size_t lens[8];
  int natt = 0, i;
  for (;;) {
    const char *q = p, *name;
    char quote;
    while (p < end && is_ws(*p)) p++;
    if (p >= end) return NULL;
    if (*p == '>' || (*p == '/' && p + 1 < end && p[1] == '>')) {
      *empty = *p == '/';
      return p + 1 + *empty;
    }
    if (p == q || natt == 8) return NULL;   /* an attribute comes after whitespace */
    name = p;
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' || *p == ':')) return NULL;
    while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || JSONNUM_ISDIGIT(*p) ||
                       *p == '_' || *p == ':' || *p == '.' || *p == '-')) p++;
    for (i = 0; i < natt; i++)   /* a repeated attribute is an error */
      if (lens[i] == (size_t)(p - name) && memcmp(names[i], name, lens[i]) == 0) return NULL;
    names[natt] = name;
    lens[natt++] = (size_t)(p - name);
    while (p < end && is_ws(*p)) p++;
    if (p >= end || *p++ != '=') return NULL;
    while (p < end && is_ws(*p)) p++;
    if (p >= end || (*p != '"' && *p != '\'')) return NULL;
    for (quote = *p++; p < end && *p != quote;) {
      unsigned char c = (unsigned char)*p;
      if (c >= 0x80) {
        int n = xml_utf8(p, end);
        if (n == 0) return NULL;
        p += n;
      } else if (c == '<' || c == '&' || (c < 0x20 && !is_ws(c))) return NULL;
      else p++;
    }
    if (p >= end) return NULL;
    p++;
  }
}

/* After "</" and a name: whitespace and '>'; the byte after, or NULL. */
static const char *close_tag(const char *p, const char *end) {
  while (p < end && is_ws(*p)) p++;
  return p < end && *p == '>' ? p + 1 : NULL;
}

/* At '&': appends the character a predefined entity or a character
** reference stands for; the byte after its ';', or NULL. */
static const char *reference(vt *v, const char *p, const char *end) {
  static const struct { const char *name; char c; } ent[] = {
    {"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
  unsigned long cp = 0;
  char buf[4];
  size_t i;
  p++;
  if (p < end && *p == '#') {
    int hex = ++p < end && *p == 'x', nd = 0;
    for (p += hex; p < end && *p != ';'; p++, nd++) {
      int d = JSONNUM_ISDIGIT(*p) ? *p - '0'
              : hex && *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
              : hex && *p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : -1;
      if (d < 0 || cp > 0x10FFFF) return NULL;
      cp = cp * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (p >= end || nd == 0 || cp > 0x10FFFF || (cp < 0x20 && !is_ws((int)cp)) ||
        (cp >= 0xD800 && cp < 0xE000) || cp == 0xFFFE || cp == 0xFFFF) return NULL;   /* not a Char */
    return text_add(v, buf, mastI_json_utf8_put(buf, cp)) ? p + 1 : NULL;
  }
  for (i = 0; i < sizeof ent / sizeof ent[0]; i++)
    if (has(p, end, ent[i].name, strlen(ent[i].name)))
      return text_add(v, &ent[i].c, 1) ? p + strlen(ent[i].name) : NULL;
  return NULL;
}

/* At "<![CDATA[": appends its text; the byte after its "]]>", or NULL. */
static const char *cdata(vt *v, const char *p, const char *end) {
  const char *q = p += 9;
  while (q < end) {
    unsigned char c = (unsigned char)*q;
    if (c == ']' && has(q, end, "]]>", 3)) return text_add(v, p, (size_t)(q - p)) ? q + 3 : NULL;
    if (c >= 0x80) {
      int n = xml_utf8(q, end);
      if (n == 0) return NULL;
      q += n;
    } else if (c < 0x20 && c != '\t' && c != '\n') return NULL;   /* '\r': expat normalises it */
    else q++;
  }
  return NULL;
}

/* After a TD's start tag: its text into v->text, up to and past its end tag;
** NULL for what is not read here. */
static const char *td_text(vt *v, const char *p, const char *end) {
  v->len = 0;
  for (;;) {
    const char *q = p;
    while (q < end && plain_char((unsigned char)*q)) q++;
    if (q > p && !text_add(v, p, (size_t)(q - p))) return NULL;
    p = q;
    if (p >= end) return NULL;
    if (*p == '<') {
      if (has(p, end, "</TD", 4)) return close_tag(p + 4, end);
      if (has(p, end, "<!--", 4)) p = skip_comment(p, end);
      else if (has(p, end, "<![CDATA[", 9)) p = cdata(v, p, end);
      else return NULL;   /* an element inside a TD */
    } else if (*p == '&') p = reference(v, p, end);
    else if (*p == ']') p = has(p, end, "]]>", 3) || !text_add(v, p, 1) ? NULL : p + 1;
    else if ((unsigned char)*p >= 0x80) {
      int n = xml_utf8(p, end);
      p = n > 0 && text_add(v, p, (size_t)n) ? p + n : NULL;
    } else return NULL;   /* '\r' (expat normalises it) or a control character */
    if (p == NULL) return NULL;
  }
}

/* Reads rows from p (just after the TABLEDATA start tag) up to the first
** thing between rows that is not a row or a comment: where expat goes on
** from. NULL: read the document again with expat alone. */
static const char *fast_rows(vt *v, const char *p, const char *end) {
  lua_State *L = v->L;
  lua_Integer nrow = (lua_Integer)lua_rawlen(L, S_DATA);
  if (v->depth + 2 > MAX_DEPTH) return p;   /* expat says so */
  for (;;) {
    const char *q;
    int empty, col = 0;
    while (p < end && is_ws(*p)) p++;
    if (has(p, end, "<!--", 4) && (q = skip_comment(p, end)) != NULL) {
      p = q;
      continue;
    }
    if (!has(p, end, "<TR", 3) || (q = tag_end(p + 3, end, &empty)) == NULL) return p;
    p = q;
    lua_settop(L, S_NAMES);
    lua_createtable(L, 0, v->nf);   /* S_ROW */
    while (!empty) {
      while (p < end && is_ws(*p)) p++;
      if (has(p, end, "</TR", 4)) {
        if ((p = close_tag(p + 4, end)) == NULL) return NULL;
        break;
      }
      if (has(p, end, "<!--", 4)) {
        if ((p = skip_comment(p, end)) == NULL) return NULL;
        continue;
      }
      if (!has(p, end, "<TD", 3) || col >= v->nf || (p = tag_end(p + 3, end, &empty)) == NULL)
        return NULL;
      lua_rawgeti(L, S_NAMES, col + 1);
      if (empty) v->len = 0;
      else if ((p = td_text(v, p, end)) == NULL) return NULL;
      push_cell(v, &v->f[col++]);
      if (v->failed) return NULL;
      lua_rawset(L, S_ROW);
      empty = 0;
    }
    for (; col < v->nf; col++) {   /* missing cells are nulls */
      lua_rawgeti(L, S_NAMES, col + 1);
      lua_pushlightuserdata(L, NULL);
      lua_rawset(L, S_ROW);
    }
    lua_rawseti(L, S_DATA, ++nrow);
  }
}

/* The error for a failed parse: "json" is mast's code for an answer that is
** not the format it should be. */
static int parse_error(lua_State *L, vt *v, const char *what) {
  lua_pushfstring(L, "%s is not a VOTable mast can read: %s", lua_tostring(L, S_NAME), what);
  vt_free(v);
  return mast_raise(L, MAST_EJSON, "%s", lua_tostring(L, -1));
}

/* A fresh parser and fresh result tables (S_RESULT to S_NAMES). */
static void vt_begin(lua_State *L, vt *v) {
  vt_free(v);
  memset(v, 0, sizeof *v);
  v->L = L;
  v->alloc = lua_getallocf(L, &v->aud);
  lua_settop(L, S_BOX);
  lua_newtable(L);                                     /* S_RESULT */
  lua_newtable(L);                                     /* S_FIELDS */
  lua_newtable(L);                                     /* S_DATA */
  lua_newtable(L);                                     /* S_INFO */
  lua_newtable(L);                                     /* S_NAMES */
  v->p = XML_ParserCreate(NULL);
  if (v->p == NULL) {
    mast_raise(L, MAST_ENOMEM, "out of memory creating an XML parser");
    return;
  }
  XML_SetUserData(v->p, v);
  XML_SetElementHandler(v->p, on_start, on_end);
  XML_SetCharacterDataHandler(v->p, on_text);
  XML_SetStartDoctypeDeclHandler(v->p, on_doctype);
  XML_SetXmlDeclHandler(v->p, on_xmldecl);
}

static int parsed(vt *v, const char *s, size_t n, int final) {
  return XML_Parse(v->p, s, (int)n, final ? XML_TRUE : XML_FALSE) == XML_STATUS_OK && !v->failed;
}

/* Parses with the scanner for the rows: 1 when done (v->failed or v->err
** set on an error), 0 to parse again with expat alone. */
static int parse_fast(vt *v, const char *text, size_t len) {
  const char *end = text + len, *p = text, *q;
  size_t cut;
  for (;; p++) {   /* the first "<TABLEDATA": expat confirms it below */
    p = memchr(p, '<', (size_t)(end - p));
    if (p == NULL) return parsed(v, text, len, 1), 1;
    if (has(p, end, "<TABLEDATA", 10)) break;
  }
  q = memchr(p, '>', (size_t)(end - p));
  if (q == NULL) return parsed(v, text, len, 1), 1;
  cut = (size_t)(q + 1 - text);
  if (!parsed(v, text, cut, 0)) return 1;
  if (v->td_end != (long long)cut || !v->in_data || v->table != 1 || v->not_utf8)
    return parsed(v, text + cut, len - cut, 1), 1;   /* it was not the rows' start */
  p = fast_rows(v, text + cut, end);
  v->len = 0;
  return p != NULL && parsed(v, p, (size_t)(end - p), 1);
}

static int decode(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *path = luaL_optstring(L, 3, NULL);
  vt *v;
  luaL_optstring(L, 2, NULL);
  if (path != NULL && strcmp(path, "expat") != 0)
    return mast_raise(L, MAST_EUSAGE, "votable_decode: the third argument must be \"expat\" or nil");
  lua_settop(L, 2);
  if (lua_isnil(L, S_NAME)) {
    lua_pushliteral(L, "the answer");
    lua_replace(L, S_NAME);
  }
  if (len > (size_t)0x7fffffff) return mast_raise(L, MAST_EUSAGE, "a VOTable over 2 GiB");
  v = lua_newuserdatauv(L, sizeof *v, 0);             /* S_BOX */
  memset(v, 0, sizeof *v);
  luaL_setmetatable(L, VOT_MT);
  vt_begin(L, v);
  if (path != NULL || !parse_fast(v, text, len)) {   /* "expat": the differential tests' reference */
    vt_begin(L, v);
    parsed(v, text, len, 1);
  }
  if (v->failed || XML_GetErrorCode(v->p) != XML_ERROR_NONE) {
    if (!v->failed)
      mast_xml_where(v->p, v->err, sizeof v->err, XML_ErrorString(XML_GetErrorCode(v->p)));
    return parse_error(L, v, v->err);
  }
  if (v->table == 0 && lua_getfield(L, S_RESULT, "status") == LUA_TNIL)   /* an ERROR has none */
    return parse_error(L, v, "it has no TABLE and no QUERY_STATUS");
  vt_free(v);
  lua_settop(L, S_INFO);
  lua_setfield(L, S_RESULT, "info");
  lua_setfield(L, S_RESULT, "data");
  lua_setfield(L, S_RESULT, "fields");
  return 1;
}

void mast_votable_register(lua_State *L) {
  if (luaL_newmetatable(L, VOT_MT)) {
    lua_pushcfunction(L, vt_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, decode);
  lua_setfield(L, -2, "votable_decode");
}
