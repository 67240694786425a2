/*
** votable.c -- core.votable_decode: an IVOA VOTable (TABLEDATA) as a mast dataset.
**
**   core.votable_decode(text [, name]) -> {fields = {{name, type, datatype,
**       arraysize, unit, ucd, description}, ...}, data = {rows keyed by name},
**       info = {<INFO name> = value, ...}, status = "OK" | "ERROR" | "OVERFLOW"
**       | nil, status_text = <QUERY_STATUS's text or nil>, nrows = <TABLE nrows>}
**
** A document with no TABLE but a QUERY_STATUS (an ERROR) gives no rows.
** The first TABLE of the document is read, parsed with expat as the bytes go,
** cells converted by the FIELD's datatype: long/int/short/unsignedByte to Lua
** integers (64-bit ids exact), float/double to numbers (NaN, +Inf, -Inf
** included), boolean to true/false, char/unicodeChar to strings, and a
** numeric arraysize to a list. An empty TD, or one equal to the FIELD's VALUES
** null, is mast.core.null; a row missing trailing cells gets nulls.
** Hostile input: no DOCTYPE (so no entity can expand), nesting at most 64
** deep, and every error says where it is (line and column). BINARY, BINARY2
** and FITS serialisations are refused with a clear error: not supported yet.
** A Lua error (out of memory) raised inside a callback unwinds through expat's
** frames; the parser lives in a userdata whose __gc frees it.
*/
#include <math.h>
#include <string.h>

#include <expat.h>

#include "bind.h"
#include "../core/jsonnum.h"

#define VOT_MT "mast.VOTableParser"
#define MAX_DEPTH 64

enum { K_STRING, K_INT, K_FLOAT, K_BOOL };

typedef struct vfield {
  int kind;
  int array;        /* a numeric arraysize: a list of values */
  char *null;       /* VALUES null="..." (malloc'd), or NULL */
} vfield;

typedef struct vt {
  lua_State *L;
  XML_Parser p;
  int depth;
  int table;        /* 0 before the first TABLE, 1 inside it, 2 after it */
  int in_data;      /* inside TABLEDATA */
  int in_tr, in_td, in_desc, in_status;
  int col;
  char *text;       /* the text of the element being read */
  size_t len, cap;
  vfield *f;
  int nf, fcap;
  char err[300];
  int failed;
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
  snprintf(v->err, sizeof v->err, "line %lu, column %lu: %s",
           (unsigned long)XML_GetCurrentLineNumber(v->p),
           (unsigned long)XML_GetCurrentColumnNumber(v->p) + 1, msg);
  XML_StopParser(v->p, XML_FALSE);
}

static const char *attr(const XML_Char **a, const char *name) {
  for (; a[0] != NULL; a += 2)
    if (strcmp(a[0], name) == 0) return a[1];
  return NULL;
}

/* The element's local name (a namespace prefix dropped). */
static const char *local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

static void on_text(void *ud, const XML_Char *s, int n) {
  vt *v = ud;
  if (!(v->in_td || v->in_desc || v->in_status) || n <= 0) return;
  if (v->len + (size_t)n + 1 > v->cap) {
    size_t cap = v->cap ? v->cap : 256;
    char *t;
    while (cap < v->len + (size_t)n + 1) cap *= 2;
    t = vt_realloc(v, v->text, v->cap, cap);
    if (t == NULL) {
      fail(v, "out of memory");
      return;
    }
    v->text = t;
    v->cap = cap;
  }
  memcpy(v->text + v->len, s, (size_t)n);
  v->len += (size_t)n;
  v->text[v->len] = '\0';
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
  const char *n = local(el);
  if (++v->depth > MAX_DEPTH) {
    fail(v, "nesting deeper than 64 elements");
    return;
  }
  v->len = 0;
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
    add_field(v, a);
  } else if (strcmp(n, "DESCRIPTION") == 0 && v->nf > 0 && !v->in_data) {
    v->in_desc = 1;
  } else if (strcmp(n, "VALUES") == 0 && v->nf > 0 && !v->in_data) {
    const char *null = attr(a, "null");
    if (null != NULL && v->f[v->nf - 1].null == NULL) {
      size_t sz = strlen(null) + 1;
      char *copy = vt_realloc(v, NULL, 0, sz);
      if (copy == NULL) fail(v, "out of memory");
      else v->f[v->nf - 1].null = memcpy(copy, null, sz);
    }
  } else if (strcmp(n, "TABLEDATA") == 0) {
    v->in_data = 1;
  } else if (strcmp(n, "BINARY") == 0 || strcmp(n, "BINARY2") == 0 || strcmp(n, "FITS") == 0) {
    fail(v, "this VOTable's rows are in a binary serialisation, which mast does not read yet "
            "(ask for TABLEDATA)");
  } else if (strcmp(n, "TR") == 0 && v->in_data) {
    if (v->in_tr) {
      fail(v, "a TR inside a TR");
      return;
    }
    lua_settop(L, S_NAMES);
    lua_createtable(L, 0, v->nf);   /* S_ROW */
    v->col = 0;
    v->in_tr = 1;
  } else if (strcmp(n, "TD") == 0 && v->in_data) {
    if (!v->in_tr) fail(v, "a TD outside a TR");
    else if (v->in_td) fail(v, "a TD inside a TD");
    else if (v->col >= v->nf) fail(v, "a row with more cells than the table has FIELDs");
    else v->in_td = 1;
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
  if (kind == K_FLOAT) {
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
  const char *n = local(el);
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
  } else if (strcmp(n, "TABLE") == 0) {
    v->table = 2;
  }
  v->len = 0;
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int internal) {
  (void)name; (void)sys; (void)pub; (void)internal;
  fail(ud, "a DOCTYPE (refused: entities could expand without bound)");
}

/* The error for a failed parse: "json" is mast's code for an answer that is
** not the format it should be. */
static int parse_error(lua_State *L, vt *v, const char *what) {
  lua_pushfstring(L, "%s is not a VOTable mast can read: %s", lua_tostring(L, S_NAME), what);
  vt_free(v);
  return mast_raise(L, MAST_EJSON, "%s", lua_tostring(L, -1));
}

static int decode(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  vt *v;
  luaL_optstring(L, 2, NULL);
  lua_settop(L, 2);
  if (lua_isnil(L, S_NAME)) {
    lua_pushliteral(L, "the answer");
    lua_replace(L, S_NAME);
  }
  if (len > (size_t)0x7fffffff) return mast_raise(L, MAST_EUSAGE, "a VOTable over 2 GiB");
  v = lua_newuserdatauv(L, sizeof *v, 0);             /* S_BOX */
  memset(v, 0, sizeof *v);
  luaL_setmetatable(L, VOT_MT);
  v->L = L;
  v->alloc = lua_getallocf(L, &v->aud);
  lua_newtable(L);                                     /* S_RESULT */
  lua_newtable(L);                                     /* S_FIELDS */
  lua_newtable(L);                                     /* S_DATA */
  lua_newtable(L);                                     /* S_INFO */
  lua_newtable(L);                                     /* S_NAMES */
  v->p = XML_ParserCreate(NULL);
  if (v->p == NULL) return mast_raise(L, MAST_ENOMEM, "out of memory creating an XML parser");
  XML_SetUserData(v->p, v);
  XML_SetElementHandler(v->p, on_start, on_end);
  XML_SetCharacterDataHandler(v->p, on_text);
  XML_SetStartDoctypeDeclHandler(v->p, on_doctype);
  if (XML_Parse(v->p, text, (int)len, XML_TRUE) != XML_STATUS_OK || v->failed) {
    if (!v->failed)
      snprintf(v->err, sizeof v->err, "line %lu, column %lu: %s",
               (unsigned long)XML_GetCurrentLineNumber(v->p),
               (unsigned long)XML_GetCurrentColumnNumber(v->p) + 1,
               XML_ErrorString(XML_GetErrorCode(v->p)));
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
