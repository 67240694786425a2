/*
** fits.c -- FITS files through cfitsio (HEASARC's reference library), for mast.fits.
**
**   core.fits_open(path) -> file          a disk file, read-only (no extended syntax)
**   core.fits_open_memory(bytes) -> file  the same over a string (the fuzz target, tests)
**   file:nhdus() -> n
**   file:hdu(h) -> {index, name, type = "image"|"binary table"|"ascii table",
**                   bitpix, naxes = {..}, rows, cols}     h: 1-based number or EXTNAME
**   file:header(h) -> {{name, value, comment, type}, ...} in order
**   file:table(h [, names [, first, last]]) -> {n, columns, types, kinds, units, shapes, data}
**   file:image(h [, x1, x2, y1, y2, plane]) -> {width, height, data, bitpix, bunit, naxes}
**   file:cell(h, row, column) -> an image table of one vector cell, shaped by TDIM
**   file:close()  (also __gc, __close)
**   core.fits_write_table(spec) -> the bytes of a FITS file holding one binary table
**
** cfitsio reports by status codes and never calls back into Lua, so no Lua
** error can unwind through it: every Lua call that may raise happens between
** cfitsio calls, and what cfitsio holds (the fitsfile, a memory file's
** buffer) lives in a userdata whose __gc releases it on every path. The
** buffers values are read into are userdata too (nothing leaks when a memory
** error strikes). Failures are mast "io" errors naming the file, the HDU and
** cfitsio's own message.
*/
#define _XOPEN_SOURCE 700   /* fseeko, ftello */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fitsio.h>

#include "bind.h"

#define FITS_MT "mast.FitsFile"
#define WRITER_MT "mast.FitsWriter"
#define MAXDIM 9
/* values read per cfitsio call: bounds the buffers whatever the table */
#define CHUNK_VALUES ((LONGLONG)1 << 16)

typedef struct lfits {
  fitsfile *f;
  void *mem;       /* fits_open_memory: cfitsio keeps pointers to these two */
  size_t memsize;
  LONGLONG size;   /* the file's bytes, as found at opening (cfitsio's own count grows with
                      what headers claim, and its memory driver reads past the end) */
} lfits;

/* ---- errors ---- */

/* Raises a mast io error: "<file>: HDU <h>: <what>: <cfitsio's text>". The
** error stack of cfitsio is read and cleared first. hdu < 1: no HDU named. */
static int fits_fail(lua_State *L, const char *path, int hdu, int status, const char *what) {
  char text[FLEN_STATUS], detail[FLEN_ERRMSG] = "", msg[FLEN_ERRMSG];
  fits_get_errstatus(status, text);
  /* the first message cfitsio stacked says where it failed; the rest are repeats */
  if (fits_read_errmsg(msg)) {
    memcpy(detail, msg, sizeof detail);
    while (fits_read_errmsg(msg)) {}
  }
  fits_clear_errmsg();
  luaL_checkstack(L, 8, NULL);
  if (hdu > 0) lua_pushfstring(L, "%s: HDU %d: %s: %s", path, hdu, what, text);
  else lua_pushfstring(L, "%s: %s: %s", path, what, text);
  if (detail[0] && strstr(text, detail) == NULL) {
    lua_pushfstring(L, " (%s)", detail);
    lua_concat(L, 2);
  }
  mast_push_error(L, MAST_EIO, lua_tostring(L, -1));
  lua_pushstring(L, path);
  lua_setfield(L, -2, "file");
  if (hdu > 0) {
    lua_pushinteger(L, hdu);
    lua_setfield(L, -2, "hdu");
  }
  lua_pushinteger(L, status);
  lua_setfield(L, -2, "cfitsio_status");
  return lua_error(L);
}

/* The file's name for messages: the uservalue of the userdata at 1. */
static const char *file_name(lua_State *L) {
  const char *s;
  lua_getiuservalue(L, 1, 1);
  s = lua_tostring(L, -1);
  lua_pop(L, 1);   /* anchored by the userdata */
  return s ? s : "(FITS)";
}

static lfits *check_file(lua_State *L) {
  lfits *u = luaL_checkudata(L, 1, FITS_MT);
  if (u->f == NULL) luaL_argerror(L, 1, "this FITS file is closed");
  return u;
}

/* ---- opening and closing ---- */

static lfits *new_file(lua_State *L, int name) {
  lfits *u = lua_newuserdatauv(L, sizeof *u, 2);
  memset(u, 0, sizeof *u);
  luaL_setmetatable(L, FITS_MT);
  lua_pushvalue(L, name);
  lua_setiuservalue(L, -2, 1);
  return u;
}

/* ---- the headers, checked before cfitsio parses them ----
** cfitsio 4.2's table parser (ffgtbp) copies some keyword values into fixed
** buffers unchecked: an unquoted TTYPEn of 70 characters overruns one
** (found by spec/fuzz/fuzz_fits.c). So the header cards of every HDU are
** walked first (headers only: each HDU's data is skipped by its size) and a
** table keyword whose value cfitsio could overrun on is refused. */

typedef struct reader {
  FILE *fp;              /* a disk file, or */
  const char *mem;       /* bytes in memory */
  LONGLONG size;
} reader;

static int read_at(reader *r, LONGLONG off, char *buf, size_t n) {
  if (off < 0 || off + (LONGLONG)n > r->size) return 0;
  if (r->mem != NULL) {
    memcpy(buf, r->mem + off, n);
    return 1;
  }
  return fseeko(r->fp, (off_t)off, SEEK_SET) == 0 && fread(buf, 1, n, r->fp) == n;
}

/* The integer value of a card (0 if it has none). */
static LONGLONG card_int(const char *card) {
  char v[72];
  memcpy(v, card + 9, 71);
  v[71] = '\0';
  return strtoll(v, NULL, 10);
}

/* NULL if the headers are safe for cfitsio, else what is wrong (in buf). */
static const char *check_headers(reader *r, char *buf, size_t bufn) {
  LONGLONG pos = 0;
  int hdu;
  for (hdu = 1; hdu <= 10000 && pos < r->size; hdu++) {
    LONGLONG bitpix = 0, naxis = 0, prod = 1, pcount = 0, gcount = 1, data;
    int end = 0, i;
    while (!end) {
      char block[2880];
      if (!read_at(r, pos, block, sizeof block)) return NULL;   /* cut short: cfitsio reports it */
      pos += 2880;
      for (i = 0; i < 36 && !end; i++) {
        const char *card = block + 80 * i;
        if (memcmp(card, "END     ", 8) == 0) {
          end = 1;
          break;
        }
        if (card[8] != '=') continue;   /* (cfitsio takes "=" without the space too) */
        if (memcmp(card, "BITPIX  ", 8) == 0) bitpix = card_int(card);
        else if (memcmp(card, "NAXIS   ", 8) == 0) naxis = card_int(card);
        else if (memcmp(card, "NAXIS", 5) == 0 && card[5] >= '1' && card[5] <= '9') {
          LONGLONG a = card_int(card);
          if (a < 0 || (a > 0 && prod > LLONG_MAX / 2 / a)) return NULL;   /* cfitsio refuses it */
          prod *= a;
        } else if (memcmp(card, "PCOUNT  ", 8) == 0) pcount = card_int(card);
        else if (memcmp(card, "GCOUNT  ", 8) == 0) gcount = card_int(card);
        else if (card[0] == 'T' && card[1] >= 'A' && card[1] <= 'Z') {
          /* a table keyword (TTYPEn, TFORMn, TNULLn, ...): a quoted string, or a short token */
          const char *v = card + 9, *e = card + 80;
          size_t len;
          while (v < e && *v == ' ') v++;
          if (v < e && *v == '\'') {
            const char *q = v + 1;
            while (q < e && (*q != '\'' || (q + 1 < e && q[1] == '\'' && q++))) q++;
            len = (size_t)(q - v - 1);
            if (memcmp(card, "TNULL", 5) != 0 || len < 20) continue;   /* a string TNULL: 19 at most */
          } else {
            const char *t = v;
            while (t < e && *t != ' ' && *t != '/') t++;
            len = (size_t)(t - v);
            if (len <= 24) continue;   /* a number, T or F */
          }
          snprintf(buf, bufn, "HDU %d: keyword %.8s: a value cfitsio cannot hold (%d characters)", hdu, card,
                   (int)len);
          return buf;
        }
      }
    }
    if (naxis == 0) prod = 0;
    if (bitpix == 0 || prod < 0 || pcount < 0 || gcount < 0) return NULL;
    data = (prod + pcount) * gcount;   /* bounded above: NAXISn's product is checked */
    if (data < 0 || data > LLONG_MAX / 8) return NULL;
    data *= bitpix < 0 ? -bitpix / 8 : bitpix / 8;
    pos += (data + 2879) / 2880 * 2880;
  }
  return NULL;
}

static int refuse_headers(lua_State *L, const char *name, const char *why) {
  mast_push_error(L, MAST_EIO, lua_pushfstring(L, "%s: %s", name, why));
  lua_pushstring(L, name);
  lua_setfield(L, -2, "file");
  return lua_error(L);
}

/* Whether the bytes begin as every FITS file does (the primary HDU's SIMPLE card):
** a clearer refusal of another kind of file than cfitsio's read errors. */
static int looks_fits(const char *b, size_t n) {
  return n >= 10 && memcmp(b, "SIMPLE  = ", 10) == 0;
}

static int not_fits(lua_State *L, const char *name) {
  mast_push_error(L, MAST_EIO, lua_pushfstring(L, "%s: not a FITS file (it does not begin with "
                                                  "\"SIMPLE  =\")", name));
  lua_pushstring(L, name);
  lua_setfield(L, -2, "file");
  return lua_error(L);
}

/* core.fits_open(path) -> file. fits_open_diskfile: the name is a file's name
** only, never cfitsio's extended syntax (which could fetch URLs or run filters). */
static int l_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int status = 0;
  lfits *u;
  {
    char head[10];
    size_t got = 0;
    FILE *fp = fopen(path, "rb");
    if (fp != NULL) {
      char why[200];
      const char *bad;
      reader r;
      got = fread(head, 1, sizeof head, fp);
      if (!looks_fits(head, got)) {
        fclose(fp);
        return not_fits(L, path);
      }
      r.fp = fp;
      r.mem = NULL;
      r.size = fseeko(fp, 0, SEEK_END) == 0 ? (LONGLONG)ftello(fp) : 0;
      bad = check_headers(&r, why, sizeof why);
      fclose(fp);
      if (bad != NULL) return refuse_headers(L, path, bad);
    }   /* (cannot open: cfitsio says why below) */
  }
  u = new_file(L, 1);
  {
    FILE *fp = fopen(path, "rb");
    if (fp != NULL && fseek(fp, 0, SEEK_END) == 0) u->size = (LONGLONG)ftell(fp);
    if (fp != NULL) fclose(fp);
  }
  if (fits_open_diskfile(&u->f, path, READONLY, &status)) {
    u->f = NULL;
    return fits_fail(L, path, 0, status, "cannot open as FITS");
  }
  return 1;
}

/* core.fits_open_memory(bytes [, name]) -> file over the string (kept alive
** as the second uservalue: cfitsio reads it in place). */
static int l_open_memory(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  const char *name = luaL_optstring(L, 2, "(memory)");
  int status = 0;
  lfits *u;
  lua_settop(L, 2);
  if (!looks_fits(s, n)) return not_fits(L, name);
  {
    char why[200];
    const char *bad;
    reader r;
    r.fp = NULL;
    r.mem = s;
    r.size = (LONGLONG)n;
    if ((bad = check_headers(&r, why, sizeof why)) != NULL) return refuse_headers(L, name, bad);
  }
  lua_pushstring(L, name);
  u = new_file(L, 3);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 2);
  u->mem = (void *)s;
  u->memsize = n;
  u->size = (LONGLONG)n;
  /* READONLY: cfitsio never writes or reallocates the buffer */
  if (fits_open_memfile(&u->f, "mem", READONLY, &u->mem, &u->memsize, 0, NULL, &status)) {
    u->f = NULL;
    return fits_fail(L, name, 0, status, "cannot open as FITS");
  }
  return 1;
}

static int f_close(lua_State *L) {
  lfits *u = luaL_checkudata(L, 1, FITS_MT);
  int status = 0;
  if (u->f != NULL) {
    fits_close_file(u->f, &status);
    fits_clear_errmsg();
    u->f = NULL;
  }
  return 0;
}

static int f_nhdus(lua_State *L) {
  lfits *u = check_file(L);
  int n = 0, status = 0;
  LONGLONG head, start, end, size = u->size;
  if (fits_get_num_hdus(u->f, &n, &status)) return fits_fail(L, file_name(L), 0, status, "counting HDUs");
  /* cfitsio stops at an HDU it cannot read whole: a truncated file must not look like a shorter one */
  if (n > 0 && (fits_movabs_hdu(u->f, n, NULL, &status) ||
                fits_get_hduaddrll(u->f, &head, &start, &end, &status))) {
    fits_clear_errmsg();
    return mast_raise(L, MAST_EIO, "%s: HDU %d: the file is truncated (cfitsio: status %d)", file_name(L), n,
                      status);
  }
  if (n > 0 && end > size)
    return mast_raise(L, MAST_EIO, "%s: HDU %d: the file is truncated (its data ends at byte %I, the file "
                      "has %I)", file_name(L), n, (LUAI_UACINT)end, (LUAI_UACINT)size);
  if (n > 0 && size - (end + 2879) / 2880 * 2880 >= 80)   /* [INFERRED] junk this long is a cut HDU */
    return mast_raise(L, MAST_EIO, "%s: HDU %d is truncated (%I bytes after HDU %d do not make a whole "
                      "HDU)", file_name(L), n + 1, (LUAI_UACINT)(size - (end + 2879) / 2880 * 2880), n);
  lua_pushinteger(L, n);
  return 1;
}

/* Moves to the HDU named by arg idx (a number 1.., or an EXTNAME); returns
** its number and type. */
static int move_to(lua_State *L, lfits *u, int idx, int *type) {
  int status = 0, n = 0;
  if (lua_type(L, idx) == LUA_TNUMBER) {
    lua_Integer h = luaL_checkinteger(L, idx);
    int count = 0;
    fits_get_num_hdus(u->f, &count, &status);
    if (h < 1 || h > count)
      return mast_raise(L, MAST_EUSAGE, "%s: no HDU %I (the file has %d)", file_name(L), (LUAI_UACINT)h,
                        count);
    if (fits_movabs_hdu(u->f, (int)h, type, &status))
      return fits_fail(L, file_name(L), (int)h, status, "moving to the HDU");
  } else {
    const char *name = luaL_checkstring(L, idx);
    if (fits_movnam_hdu(u->f, ANY_HDU, (char *)name, 0, &status)) {
      fits_clear_errmsg();
      return mast_raise(L, MAST_EUSAGE, "%s: no HDU with EXTNAME '%s'", file_name(L), name);
    }
    fits_get_hdu_type(u->f, type, &status);
  }
  fits_get_hdu_num(u->f, &n);
  {   /* every read of this HDU's data stays inside the file */
    LONGLONG head, start, end;
    if (fits_get_hduaddrll(u->f, &head, &start, &end, &status))
      return fits_fail(L, file_name(L), n, status, "locating the HDU");
    if (end > u->size)
      return mast_raise(L, MAST_EIO, "%s: HDU %d: the file is truncated (the HDU's data ends at byte %I, the "
                        "file has %I)", file_name(L), n, (LUAI_UACINT)end, (LUAI_UACINT)u->size);
  }
  return n;
}

static const char *type_name(int type) {
  return type == IMAGE_HDU ? "image" : type == BINARY_TBL ? "binary table" : "ascii table";
}

/* file:hdu(h) -> a description of the HDU */
static int f_hdu(lua_State *L) {
  lfits *u = check_file(L);
  int type, status = 0, n = move_to(L, u, 2, &type);
  char extname[FLEN_VALUE] = "";
  const char *path = file_name(L);
  if (fits_read_key(u->f, TSTRING, "EXTNAME", extname, NULL, &status)) {
    status = 0;
    extname[0] = '\0';
    fits_clear_errmsg();
  }
  lua_createtable(L, 0, 7);
  lua_pushinteger(L, n);
  lua_setfield(L, -2, "index");
  lua_pushstring(L, extname);
  lua_setfield(L, -2, "name");
  lua_pushstring(L, type_name(type));
  lua_setfield(L, -2, "type");
  if (type == IMAGE_HDU) {
    int bitpix = 0, naxis = 0, i;
    LONGLONG naxes[MAXDIM];
    if (fits_get_img_paramll(u->f, MAXDIM, &bitpix, &naxis, naxes, &status))
      return fits_fail(L, path, n, status, "reading the image's shape");
    lua_pushinteger(L, bitpix);
    lua_setfield(L, -2, "bitpix");
    lua_createtable(L, naxis, 0);
    for (i = 0; i < naxis && i < MAXDIM; i++) {
      lua_pushinteger(L, naxes[i]);
      lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "naxes");
  } else {
    LONGLONG rows = 0;
    int cols = 0;
    if (fits_get_num_rowsll(u->f, &rows, &status) || fits_get_num_cols(u->f, &cols, &status))
      return fits_fail(L, path, n, status, "reading the table's size");
    lua_pushinteger(L, rows);
    lua_setfield(L, -2, "rows");
    lua_pushinteger(L, cols);
    lua_setfield(L, -2, "cols");
  }
  return 1;
}

/* ---- header ---- */

static void strip_right(char *s) {
  size_t n = strlen(s);
  while (n > 0 && s[n - 1] == ' ') s[--n] = '\0';
}

/* A quoted FITS string ('it''s') unquoted into out (size FLEN_VALUE). */
static void unquote(const char *v, char *out) {
  size_t j = 0;
  const char *p = v + 1;
  while (*p && j + 1 < FLEN_VALUE) {
    if (*p == '\'') {
      if (p[1] != '\'') break;
      p++;
    }
    out[j++] = *p++;
  }
  out[j] = '\0';
}

/* Pushes a keyword's value as its type says; returns the type's name. */
static const char *push_value(lua_State *L, char *value) {
  char dtype = 'C', *end;
  int status = 0;
  if (value[0] == '\0') {
    lua_pushnil(L);
    return "none";
  }
  if (fits_get_keytype(value, &dtype, &status)) {
    fits_clear_errmsg();
    lua_pushstring(L, value);
    return "string";
  }
  switch (dtype) {
    case 'L':
      lua_pushboolean(L, value[0] == 'T');
      return "logical";
    case 'I': {
      long long v;
      errno = 0;
      v = strtoll(value, &end, 10);
      if (errno == 0 && end != value) {
        lua_pushinteger(L, (lua_Integer)v);
        return "integer";
      }
      dtype = 'F';   /* too long for 64 bits: a float, as FITS readers do */
    }
  }
  switch (dtype) {
    case 'F': {
      char num[FLEN_VALUE], *d;
      double x;
      memcpy(num, value, FLEN_VALUE);
      num[FLEN_VALUE - 1] = '\0';
      if ((d = strpbrk(num, "Dd")) != NULL) *d = 'E';   /* Fortran's double exponent */
      x = strtod(num, &end);
      if (end != num) {
        lua_pushnumber(L, x);
        return "float";
      }
      lua_pushstring(L, value);
      return "string";
    }
    case 'C': {
      char s[FLEN_VALUE];
      unquote(value, s);
      strip_right(s);   /* trailing blanks are not significant (FITS 4.2.1) */
      lua_pushstring(L, s);
      return "string";
    }
    default:   /* complex: kept as written */
      lua_pushstring(L, value);
      return "complex";
  }
}

/* file:header(h) -> the keywords in order */
static int f_header(lua_State *L) {
  lfits *u = check_file(L);
  int type, status = 0, n = move_to(L, u, 2, &type), nkeys = 0, more = 0, i;
  const char *path = file_name(L);
  if (fits_get_hdrspace(u->f, &nkeys, &more, &status))
    return fits_fail(L, path, n, status, "reading the header");
  lua_createtable(L, nkeys, 0);
  for (i = 1; i <= nkeys; i++) {
    char name[FLEN_KEYWORD], value[FLEN_VALUE], comment[FLEN_COMMENT];
    const char *t;
    if (fits_read_keyn(u->f, i, name, value, comment, &status))
      return fits_fail(L, path, n, status, "reading the header");
    lua_createtable(L, 0, 4);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "name");
    t = push_value(L, value);
    lua_setfield(L, -2, "value");
    lua_pushstring(L, t);
    lua_setfield(L, -2, "type");
    strip_right(comment);
    lua_pushstring(L, comment);
    lua_setfield(L, -2, "comment");
    lua_rawseti(L, -2, i);
  }
  return 1;
}

/* ---- tables ---- */

enum { K_INT, K_UINT64, K_FLOAT, K_BOOL, K_BIT, K_STRING };

typedef struct col {
  int num;          /* cfitsio's column number */
  int kind;
  int vla;          /* variable-length array (P, Q) */
  LONGLONG repeat;  /* values per cell (strings: strings per cell) */
  long width;       /* a string's width */
  int tab;          /* stack index of its Lua array */
  LONGLONG tbcol;   /* a binary table's string: its first byte in the row (read raw), else -1 */
  LONGLONG rowlen;  /* NAXIS1 */
  LONGLONG rawlen;  /* such a string's bytes in the row */
  void *buf;        /* where cfitsio reads the values, reused chunk after chunk */
  char *nul;        /* their null flags */
  LONGLONG cap;     /* values the two hold */
} col;

static const char *kind_type(int k) {
  return k == K_FLOAT ? "float" : k == K_BOOL || k == K_BIT ? "boolean" : k == K_STRING ? "string" : "int";
}

static const char *kind_kind(int k) {
  return k == K_FLOAT ? "float" : k == K_BOOL || k == K_BIT ? "boolean" : k == K_STRING ? "string" : "integer";
}

/* A userdata buffer of n bytes (garbage collected: nothing leaks on an error). */
static void *scratch(lua_State *L, size_t n) {
  return lua_newuserdatauv(L, n ? n : 1, 0);
}

/* Pushes element i of a column's buffers. */
static void push_elem(lua_State *L, const col *c, const void *vals, const char *nul, LONGLONG i) {
  if (nul != NULL && nul[i]) {
    lua_pushlightuserdata(L, NULL);
    return;
  }
  switch (c->kind) {
    case K_INT: lua_pushinteger(L, (lua_Integer)((const LONGLONG *)vals)[i]); break;
    case K_UINT64: {
      ULONGLONG v = ((const ULONGLONG *)vals)[i];
      /* [INFERRED] above 2^63-1 a Lua integer cannot hold it: the nearest float */
      if (v <= (ULONGLONG)LLONG_MAX) lua_pushinteger(L, (lua_Integer)v);
      else lua_pushnumber(L, (double)v);
      break;
    }
    case K_FLOAT: lua_pushnumber(L, ((const double *)vals)[i]); break;
    case K_BOOL: case K_BIT: lua_pushboolean(L, ((const char *)vals)[i] != 0); break;
    default: lua_pushstring(L, ((char *const *)vals)[i]); break;
  }
}

static int read_type(int kind) {
  return kind == K_INT ? TLONGLONG : kind == K_UINT64 ? TULONGLONG : kind == K_FLOAT ? TDOUBLE
                                                                                      : TLOGICAL;
}

static size_t elem_size(int kind) {
  return kind == K_BOOL || kind == K_BIT ? 1 : 8;
}

/* Makes c's buffers hold nv values: userdata anchored in the table at index
** bufs (keyed by c), so that they are collected whatever happens, and made
** once for all the chunks (no garbage a chunk). */
static void col_buffers(lua_State *L, col *c, LONGLONG nv, int bufs) {
  size_t each = c->kind == K_STRING ? sizeof(char *) + (size_t)c->width + 1 : elem_size(c->kind);
  LONGLONG i;
  if (nv <= c->cap) return;
  c->buf = scratch(L, (size_t)nv * each + (size_t)nv);
  lua_rawsetp(L, bufs, c);   /* the old ones (if any) become garbage */
  c->nul = (char *)c->buf + (size_t)nv * each;
  if (c->kind == K_STRING) {   /* nv pointers, then nv strings of width+1 bytes */
    char **p = c->buf;
    char *str = (char *)(p + nv);
    for (i = 0; i < nv; i++) p[i] = str + i * (c->width + 1);
  }
  c->cap = nv;
}

/* Reads cells [row, row+nrows) of c (fixed width) and stores them at their rows. */
static int read_cells(lua_State *L, fitsfile *f, col *c, LONGLONG row, LONGLONG nrows,
                      lua_Integer out_row, int bufs) {
  int status = 0, anynul = 0;
  LONGLONG nv = nrows * c->repeat, i, j;
  if (c->kind == K_STRING && c->tbcol >= 0) {
    /* raw rows, cut here: cfitsio's string reader goes a string at a time (10x slower) */
    LONGLONG per = c->rowlen > 0 && c->rowlen < ((LONGLONG)4 << 20) ? ((LONGLONG)4 << 20) / c->rowlen : 1, done;
    unsigned char *raw;
    if (per > nrows) per = nrows;
    if (per * c->rowlen > c->cap) {   /* cap counts bytes for these columns */
      c->buf = scratch(L, (size_t)(per * c->rowlen));
      lua_rawsetp(L, bufs, c);
      c->cap = per * c->rowlen;
    }
    raw = c->buf;
    for (done = 0; done < nrows; done += per) {
      LONGLONG m = nrows - done < per ? nrows - done : per;
      if (fits_read_tblbytes(f, row + done, 1, m * c->rowlen, raw, &status)) return status;
      for (i = 0; i < m; i++) {
        const char *cell = (const char *)raw + i * c->rowlen + c->tbcol;
        size_t len = (size_t)c->rawlen;
        const char *z = memchr(cell, '\0', len);
        if (z != NULL) len = (size_t)(z - cell);
        while (len > 0 && cell[len - 1] == ' ') len--;   /* trailing blanks are not significant */
        lua_pushlstring(L, cell, len);
        lua_rawseti(L, c->tab, out_row + done + i);
      }
    }
    return 0;
  }
  col_buffers(L, c, c->kind == K_BIT ? c->repeat : nv, bufs);
  if (c->kind == K_STRING) {
    char **p = c->buf;
    char empty[] = "";
    if (fits_read_col_str(f, c->num, row, 1, nv, empty, p, &anynul, &status)) return status;
    for (i = 0; i < nv; i++)   /* cfitsio gives a blank cell as " ": blanks are not significant */
      if (p[i][0] == ' ' && p[i][strspn(p[i], " ")] == '\0') p[i][0] = '\0';
    for (i = 0; i < nrows; i++) {
      if (c->repeat == 1) {
        lua_pushstring(L, p[i]);
      } else {
        lua_createtable(L, (int)c->repeat, 0);
        for (j = 0; j < c->repeat; j++) {
          lua_pushstring(L, p[i * c->repeat + j]);
          lua_rawseti(L, -2, j + 1);
        }
      }
      lua_rawseti(L, c->tab, out_row + i);
    }
    return 0;
  }
  if (c->kind == K_BIT) {   /* bits are read a row at a time */
    char *v = c->buf;
    for (i = 0; i < nrows; i++) {
      if (fits_read_col_bit(f, c->num, row + i, 1, (long)c->repeat, v, &status)) return status;
      if (c->repeat == 1) {
        lua_pushboolean(L, v[0]);
      } else {
        lua_createtable(L, (int)c->repeat, 0);
        for (j = 0; j < c->repeat; j++) {
          lua_pushboolean(L, v[j]);
          lua_rawseti(L, -2, j + 1);
        }
      }
      lua_rawseti(L, c->tab, out_row + i);
    }
    return 0;
  }
  {
    void *v = c->buf;
    char *nul = c->nul;
    /* nulls flagged: TNULL for integers, NaN for floats, the null byte for logicals */
    if (fits_read_colnull(f, read_type(c->kind), c->num, row, 1, nv, v, nul, &anynul, &status)) return status;
    if (!anynul) nul = NULL;
    if (c->repeat == 1) {
      for (i = 0; i < nrows; i++) {
        push_elem(L, c, v, nul, i);
        lua_rawseti(L, c->tab, out_row + i);
      }
    } else {
      for (i = 0; i < nrows; i++) {
        lua_createtable(L, c->repeat > INT_MAX ? INT_MAX : (int)c->repeat, 0);
        for (j = 0; j < c->repeat; j++) {
          push_elem(L, c, v, nul, i * c->repeat + j);
          lua_rawseti(L, -2, j + 1);
        }
        lua_rawseti(L, c->tab, out_row + i);
      }
    }
  }
  return 0;
}

/* One row of a variable-length column: a list of its len values. */
static int read_vla(lua_State *L, fitsfile *f, col *c, LONGLONG row, lua_Integer out_row, int bufs) {
  int status = 0;
  LONGLONG len = 0, offset = 0;
  col one = *c;
  if (fits_read_descriptll(f, c->num, row, &len, &offset, &status)) return status;
  if (c->kind == K_STRING) {
    one.repeat = 1;
    one.width = (long)len;
    one.cap = 0;   /* widths differ row to row: buffers of its own */
    status = read_cells(L, f, &one, row, 1, out_row, bufs);
    return status;
  }
  if (len == 0) {
    lua_newtable(L);
    lua_rawseti(L, c->tab, out_row);
    return 0;
  }
  one.repeat = len;
  if (one.kind == K_BIT) one.kind = K_BOOL;   /* [INFERRED] PX: read as logicals */
  if (one.kind != c->kind || len > c->cap) one.cap = 0;
  status = read_cells(L, f, &one, row, 1, out_row, bufs);
  if (one.cap > c->cap && one.kind == c->kind) {   /* keep the larger buffers for the next rows */
    lua_rawgetp(L, bufs, &one);
    lua_rawsetp(L, bufs, c);   /* anchored by c's key now (&one is reused) */
    c->buf = one.buf;
    c->nul = one.nul;
    c->cap = one.cap;
  }
  if (status == 0 && len == 1) {   /* a one-value cell is still a list */
    lua_rawgeti(L, c->tab, out_row);
    lua_createtable(L, 1, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
    lua_rawseti(L, c->tab, out_row);
  }
  return status;
}

static int kind_of(int eqtype) {
  switch (eqtype < 0 ? -eqtype : eqtype) {
    case TBIT: return K_BIT;
    case TLOGICAL: return K_BOOL;
    case TSTRING: return K_STRING;
    case TULONGLONG: return K_UINT64;
    case TFLOAT: case TDOUBLE: case TCOMPLEX: case TDBLCOMPLEX: return K_FLOAT;
    default: return K_INT;   /* B, SB, I, U, J, V, K: exact as 64-bit integers */
  }
}

/* Pushes the TDIM shape of column num (a list of axis lengths). */
static int push_shape(lua_State *L, fitsfile *f, int num, int *status) {
  int naxis = 0, i;
  LONGLONG naxes[MAXDIM];
  if (fits_read_tdimll(f, num, MAXDIM, &naxis, naxes, status)) return *status;
  lua_createtable(L, naxis, 0);
  for (i = 0; i < naxis && i < MAXDIM; i++) {
    lua_pushinteger(L, naxes[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 0;
}

/* file:table(h [, names [, first, last]]) -> the columns (mast.fits makes the mast.Table) */
static int f_table(lua_State *L) {
  lfits *u = check_file(L);
  int type, status = 0, n = move_to(L, u, 2, &type), ncols = 0, ascii, i, nsel, bufs;
  const char *path = file_name(L);
  LONGLONG nrows = 0, first, last, r, chunk, naxis1 = 0;
  col *cols;
  int res;
  if (type == IMAGE_HDU)
    return mast_raise(L, MAST_EUSAGE, "%s: HDU %d is an image, not a table (use :image)", path, n);
  ascii = type == ASCII_TBL;
  if (fits_get_num_rowsll(u->f, &nrows, &status) || fits_get_num_cols(u->f, &ncols, &status))
    return fits_fail(L, path, n, status, "reading the table's size");
  first = luaL_optinteger(L, 4, 1);
  last = luaL_optinteger(L, 5, nrows);
  if (first < 1) first = 1;
  if (last > nrows) last = nrows;
  if (last < first) last = first - 1;
  if (fits_read_key(u->f, TLONGLONG, "NAXIS1", &naxis1, NULL, &status))
    return fits_fail(L, path, n, status, "reading the table's layout");
  nsel = lua_istable(L, 3) ? (int)lua_rawlen(L, 3) : ncols;
  if (nsel < 0 || nsel > 100000) return mast_raise(L, MAST_EUSAGE, "too many columns");
  luaL_checkstack(L, nsel + 20, "too many columns");
  cols = scratch(L, sizeof(col) * (size_t)(nsel ? nsel : 1));
  memset(cols, 0, sizeof(col) * (size_t)(nsel ? nsel : 1));
  lua_newtable(L);   /* the columns' read buffers */
  bufs = lua_gettop(L);
  lua_createtable(L, 0, 8);   /* the result */
  res = lua_gettop(L);
  lua_createtable(L, nsel, 0);   /* columns */
  lua_createtable(L, nsel, 0);   /* types */
  lua_createtable(L, nsel, 0);   /* kinds */
  lua_newtable(L);               /* units */
  lua_newtable(L);               /* shapes */
  lua_createtable(L, 0, nsel);   /* data */
  for (i = 0; i < nsel; i++) {
    col *c = &cols[i];
    char ttype[FLEN_VALUE] = "", tunit[FLEN_VALUE] = "", key[FLEN_KEYWORD];
    int typecode = 0, eqtype = 0;
    LONGLONG width = 0, repeat = 0;
    if (lua_istable(L, 3)) {
      lua_rawgeti(L, 3, i + 1);
      if (lua_type(L, -1) != LUA_TSTRING)
        return mast_raise(L, MAST_EUSAGE, "columns[%d] must be a column name, got %s", i + 1,
                          luaL_typename(L, -1));
      if (fits_get_colnum(u->f, CASEINSEN, (char *)lua_tostring(L, -1), &c->num, &status)) {
        fits_clear_errmsg();
        return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: no column '%s'", path, n, lua_tostring(L, -1));
      }
      lua_pop(L, 1);
    } else {
      c->num = i + 1;
    }
    if (fits_get_coltypell(u->f, c->num, &typecode, &repeat, &width, &status) ||
        fits_get_eqcoltypell(u->f, c->num, &eqtype, NULL, NULL, &status))
      return fits_fail(L, path, n, status, "reading a column's type");
    c->kind = kind_of(eqtype);
    c->vla = typecode < 0;
    c->width = (long)width;
    c->repeat = repeat < 1 ? 1 : repeat;
    if (c->kind == K_STRING && !c->vla) {
      if (ascii || width < 1) c->width = (long)(ascii ? width : repeat);
      c->repeat = (ascii || width < 1 || width >= repeat) ? 1 : repeat / width;
    }
    if (ascii) c->repeat = 1;
    c->tbcol = -1;
    c->rowlen = naxis1;
    if (c->kind == K_STRING && !ascii && !c->vla && c->repeat == 1 && typecode == TSTRING && repeat >= 1 &&
        u->f->Fptr->tableptr[c->num - 1].tbcol >= 0 &&
        u->f->Fptr->tableptr[c->num - 1].tbcol + repeat <= naxis1) {   /* (a header may lie) */
      c->tbcol = u->f->Fptr->tableptr[c->num - 1].tbcol;
      c->rawlen = repeat;
    }
    if (abs(typecode) == TCOMPLEX || abs(typecode) == TDBLCOMPLEX) c->repeat *= 2;   /* re, im pairs */
    snprintf(key, sizeof key, "TTYPE%d", c->num);
    if (fits_read_key(u->f, TSTRING, key, ttype, NULL, &status)) {
      status = 0;
      fits_clear_errmsg();
      snprintf(ttype, sizeof ttype, "col%d", c->num);
    }
    snprintf(key, sizeof key, "TUNIT%d", c->num);
    if (fits_read_key(u->f, TSTRING, key, tunit, NULL, &status)) {
      status = 0;
      fits_clear_errmsg();
      tunit[0] = '\0';
    }
    lua_pushstring(L, ttype);
    lua_rawseti(L, res + 1, i + 1);
    lua_pushstring(L, kind_type(c->kind));
    lua_rawseti(L, res + 2, i + 1);
    lua_pushstring(L, kind_kind(c->kind));
    lua_rawseti(L, res + 3, i + 1);
    if (tunit[0]) {
      lua_pushstring(L, tunit);
      lua_setfield(L, res + 4, ttype);
    }
    if (c->repeat > 1 && c->kind != K_STRING && !c->vla) {
      if (push_shape(L, u->f, c->num, &status)) return fits_fail(L, path, n, status, "reading TDIM");
      lua_setfield(L, res + 5, ttype);
    }
    /* preallocated: the rows are in the file (move_to checked), unless rows are 0 bytes wide */
    lua_createtable(L, (int)(naxis1 > 0 && last - first + 1 < INT_MAX ? last - first + 1
                             : (last - first + 1) < (1 << 16) ? (last - first + 1) : (1 << 16)), 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, res + 6, ttype);
    c->tab = lua_gettop(L);
  }
  {   /* the file must hold the rows it claims (a truncated file: one clear message) */
    LONGLONG headstart, datastart, dataend, rowlen = 0;
    if (fits_get_hduaddrll(u->f, &headstart, &datastart, &dataend, &status) ||
        fits_read_key(u->f, TLONGLONG, "NAXIS1", &rowlen, NULL, &status))
      return fits_fail(L, path, n, status, "reading the table's layout");
    if (rowlen > 0 && nrows > 0 &&
        (nrows > (LLONG_MAX - datastart) / rowlen || datastart + rowlen * nrows > u->size))
      return mast_raise(L, MAST_EIO, "%s: HDU %d: the file is truncated (the table's %I rows of %I bytes "
                        "need %I bytes, the file has %I)", path, n, (LUAI_UACINT)nrows, (LUAI_UACINT)rowlen,
                        (LUAI_UACINT)(datastart + (nrows <= (LLONG_MAX - datastart) / rowlen ? rowlen * nrows : 0)),
                        (LUAI_UACINT)u->size);
  }
  {   /* rows in chunks, every column per chunk: each chunk stays in cfitsio's buffers */
    long optimal = 0;
    LONGLONG per = 1;
    fits_get_rowsize(u->f, &optimal, &status);
    status = 0;
    for (i = 0; i < nsel; i++)
      if (!cols[i].vla && cols[i].repeat > per) per = cols[i].repeat;
    chunk = CHUNK_VALUES / per;
    if (optimal > chunk) chunk = optimal;
    if (chunk < 1) chunk = 1;
  }
  for (r = first; r <= last; r += chunk) {
    LONGLONG k = last - r + 1 < chunk ? last - r + 1 : chunk;
    for (i = 0; i < nsel; i++) {
      col *c = &cols[i];
      if (c->vla) {
        LONGLONG j;
        for (j = 0; j < k && status == 0; j++) status = read_vla(L, u->f, c, r + j, r + j - first + 1, bufs);
      } else {
        status = read_cells(L, u->f, c, r, k, r - first + 1, bufs);
      }
      if (status) return fits_fail(L, path, n, status, "reading the table");
    }
  }
  lua_settop(L, res + 6);
  lua_setfield(L, res, "data");
  lua_setfield(L, res, "shapes");
  lua_setfield(L, res, "units");
  lua_setfield(L, res, "kinds");
  lua_setfield(L, res, "types");
  lua_setfield(L, res, "columns");
  lua_pushinteger(L, last - first + 1);
  lua_setfield(L, res, "n");
  return 1;
}

/* ---- images ---- */

static int bitpix_of(int typecode) {
  switch (abs(typecode)) {
    case TBYTE: case TSBYTE: case TLOGICAL: case TBIT: return 8;
    case TSHORT: return 16;
    case TLONG: return 32;
    case TLONGLONG: return 64;
    case TFLOAT: return -32;
    default: return -64;
  }
}

/* Pushes {width, height, data, bitpix, bunit, naxes} from n doubles at v. */
static void push_image(lua_State *L, const double *v, LONGLONG w, LONGLONG h, int bitpix, const char *bunit,
                       const LONGLONG *naxes, int naxis) {
  LONGLONG i, n = w * h;
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, w);
  lua_setfield(L, -2, "width");
  lua_pushinteger(L, h);
  lua_setfield(L, -2, "height");
  lua_pushinteger(L, bitpix);
  lua_setfield(L, -2, "bitpix");
  if (bunit && bunit[0]) {
    lua_pushstring(L, bunit);
    lua_setfield(L, -2, "bunit");
  }
  lua_createtable(L, naxis, 0);
  for (i = 0; i < naxis; i++) {
    lua_pushinteger(L, naxes[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "naxes");
  lua_createtable(L, n > INT_MAX ? INT_MAX : (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushnumber(L, v[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "data");
}

/* file:image(h [, x1, x2, y1, y2, plane]) -> the image table (blank pixels NaN) */
static int f_image(lua_State *L) {
  lfits *u = check_file(L);
  int type, status = 0, n = move_to(L, u, 2, &type), bitpix = 0, naxis = 0, anynul = 0, i;
  const char *path = file_name(L);
  LONGLONG naxes[MAXDIM], w, h;
  long fpix[MAXDIM], lpix[MAXDIM], inc[MAXDIM];
  double nan = NAN, *v;
  char bunit[FLEN_VALUE] = "";
  if (type != IMAGE_HDU)
    return mast_raise(L, MAST_EUSAGE, "%s: HDU %d is a %s, not an image (use :table)", path, n,
                      type_name(type));
  if (fits_get_img_paramll(u->f, MAXDIM, &bitpix, &naxis, naxes, &status))
    return fits_fail(L, path, n, status, "reading the image's shape");
  if (naxis < 1) return mast_raise(L, MAST_EUSAGE, "%s: HDU %d holds no image (NAXIS = 0)", path, n);
  if (naxis > MAXDIM) naxis = MAXDIM;
  for (i = 0; i < naxis; i++) {
    if (naxes[i] < 1 || naxes[i] > LONG_MAX) return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: an empty image", path, n);
    fpix[i] = 1;
    lpix[i] = (long)naxes[i];
    inc[i] = 1;
  }
  {
    lua_Integer x1 = luaL_optinteger(L, 3, 1), x2 = luaL_optinteger(L, 4, naxes[0]);
    lua_Integer ny = naxis > 1 ? naxes[1] : 1;
    lua_Integer y1 = luaL_optinteger(L, 5, 1), y2 = luaL_optinteger(L, 6, ny);
    lua_Integer plane = luaL_optinteger(L, 7, 1);
    if (x1 < 1 || x2 > naxes[0] || x1 > x2 || y1 < 1 || y2 > ny || y1 > y2)
      return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: section x %I..%I, y %I..%I is outside the image "
                        "(%I x %I)", path, n, (LUAI_UACINT)x1, (LUAI_UACINT)x2, (LUAI_UACINT)y1,
                        (LUAI_UACINT)y2, (LUAI_UACINT)naxes[0], (LUAI_UACINT)ny);
    if (naxis > 2 && (plane < 1 || plane > naxes[2]))
      return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: no plane %I (NAXIS3 = %I)", path, n, (LUAI_UACINT)plane,
                        (LUAI_UACINT)naxes[2]);
    fpix[0] = (long)x1;
    lpix[0] = (long)x2;
    if (naxis > 1) {
      fpix[1] = (long)y1;
      lpix[1] = (long)y2;
    }
    if (naxis > 2) fpix[2] = lpix[2] = (long)plane;
    for (i = 3; i < naxis; i++) lpix[i] = 1;   /* higher axes: their first index */
    w = x2 - x1 + 1;
    h = y2 - y1 + 1;
  }
  if (w > (LONGLONG)(SIZE_MAX / sizeof(double)) / h)
    return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: the image is too large", path, n);
  v = scratch(L, (size_t)(w * h) * sizeof(double));
  if (fits_read_subset(u->f, TDOUBLE, fpix, lpix, inc, &nan, v, &anynul, &status))
    return fits_fail(L, path, n, status, "reading the image");
  if (fits_read_key(u->f, TSTRING, "BUNIT", bunit, NULL, &status)) {
    status = 0;
    bunit[0] = '\0';
    fits_clear_errmsg();
  }
  push_image(L, v, w, h, bitpix, bunit, naxes, naxis);
  return 1;
}

/* file:cell(h, row, column) -> one cell of a vector column as an image, shaped by TDIM */
static int f_cell(lua_State *L) {
  lfits *u = check_file(L);
  int type, status = 0, n = move_to(L, u, 2, &type), num = 0, typecode = 0, naxis = 0, anynul = 0;
  const char *path = file_name(L);
  lua_Integer row = luaL_checkinteger(L, 3);
  const char *name = luaL_checkstring(L, 4);
  LONGLONG nrows = 0, repeat = 0, width = 0, naxes[MAXDIM];
  char key[FLEN_KEYWORD], tunit[FLEN_VALUE] = "";
  double nan = NAN, *v;
  if (type == IMAGE_HDU)
    return mast_raise(L, MAST_EUSAGE, "%s: HDU %d is an image, not a table", path, n);
  if (fits_get_num_rowsll(u->f, &nrows, &status)) return fits_fail(L, path, n, status, "reading the table");
  if (row < 1 || row > nrows)
    return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: no row %I (the table has %I)", path, n, (LUAI_UACINT)row,
                      (LUAI_UACINT)nrows);
  if (fits_get_colnum(u->f, CASEINSEN, (char *)name, &num, &status)) {
    fits_clear_errmsg();
    return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: no column '%s'", path, n, name);
  }
  if (fits_get_coltypell(u->f, num, &typecode, &repeat, &width, &status) ||
      fits_read_tdimll(u->f, num, MAXDIM, &naxis, naxes, &status))
    return fits_fail(L, path, n, status, "reading the column's shape");
  if (typecode < 0 || typecode == TSTRING || typecode == TBIT || typecode == TCOMPLEX ||
      typecode == TDBLCOMPLEX || typecode == TLOGICAL)
    return mast_raise(L, MAST_EUSAGE, "%s: HDU %d: column '%s' holds no numeric frames", path, n, name);
  if (naxis < 2) {   /* a plain vector: one row of pixels */
    naxes[0] = repeat;
    naxes[1] = 1;
    naxis = 2;
  }
  v = scratch(L, (size_t)repeat * sizeof(double));
  if (fits_read_col(u->f, TDOUBLE, num, row, 1, repeat, &nan, v, &anynul, &status))
    return fits_fail(L, path, n, status, "reading the frame");
  snprintf(key, sizeof key, "TUNIT%d", num);
  if (fits_read_key(u->f, TSTRING, key, tunit, NULL, &status)) {
    status = 0;
    tunit[0] = '\0';
    fits_clear_errmsg();
  }
  push_image(L, v, naxes[0], repeat / naxes[0], bitpix_of(typecode), tunit, naxes, naxis);
  return 1;
}

/* ---- writing ---- */

typedef struct lwriter {
  fitsfile *f;
  void *buf;     /* the memory file; cfitsio reallocates it through these two */
  size_t size;
} lwriter;

static int w_gc(lua_State *L) {
  lwriter *w = luaL_checkudata(L, 1, WRITER_MT);
  int status = 0;
  if (w->f != NULL) fits_close_file(w->f, &status);
  fits_clear_errmsg();
  w->f = NULL;
  free(w->buf);
  w->buf = NULL;
  return 0;
}

/* Checks element v (at the top) against the column's kind. */
static int bad_value(lua_State *L, const char *name, lua_Integer row, const char *want) {
  return mast_raise(L, MAST_EUSAGE, "column '%s' row %I: expected %s, got %s", name, (LUAI_UACINT)row, want,
                    luaL_typename(L, -1));
}

/* Fills element j of buffer vals (kind k) from the value on top; nul gets 1 for a null. */
static void fill(lua_State *L, int k, void *vals, char *nul, LONGLONG j, LONGLONG tnull, const char *name,
                 lua_Integer row) {
  int isnull = lua_isnil(L, -1) || (lua_islightuserdata(L, -1) && lua_touserdata(L, -1) == NULL);
  if (k == K_INT) {
    int ok;
    lua_Integer x = isnull ? 0 : lua_tointegerx(L, -1, &ok);
    if (!isnull && (!ok || lua_type(L, -1) != LUA_TNUMBER)) bad_value(L, name, row, "an integer");
    ((LONGLONG *)vals)[j] = isnull ? tnull : (LONGLONG)x;
  } else if (k == K_FLOAT) {
    if (!isnull && lua_type(L, -1) != LUA_TNUMBER) bad_value(L, name, row, "a number");
    ((double *)vals)[j] = isnull ? NAN : lua_tonumber(L, -1);
  } else {
    if (!isnull && !lua_isboolean(L, -1)) bad_value(L, name, row, "a boolean");
    ((char *)vals)[j] = isnull ? 2 : (char)lua_toboolean(L, -1);
    nul[j] = (char)isnull;
  }
}

/* core.fits_write_table{extname=, n=, columns = {{name, kind = "integer"|"float"|"boolean"|
** "string", unit, width (strings), repeat, dims, data = array of n}}} -> the bytes */
static int l_write_table(lua_State *L) {
  lwriter *w;
  int status = 0, ncols, i;
  lua_Integer nrows;
  const char *extname;
  luaL_checktype(L, 1, LUA_TTABLE);
  extname = mast_opt_string(L, 1, "extname", NULL);
  lua_getfield(L, 1, "n");
  nrows = luaL_checkinteger(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "columns") != LUA_TTABLE) return luaL_error(L, "fits_write_table: no columns");
  ncols = (int)lua_rawlen(L, 2);
  if (ncols < 1 || ncols > 999)
    return mast_raise(L, MAST_EUSAGE, "a FITS table holds 1 to 999 columns, not %d", ncols);
  w = lua_newuserdatauv(L, sizeof *w, 0);   /* 3 */
  memset(w, 0, sizeof *w);
  luaL_setmetatable(L, WRITER_MT);
  {
    char **ttype = scratch(L, 3 * sizeof(char *) * (size_t)ncols);   /* 4 */
    char **tform = ttype + ncols, **tunit = tform + ncols;
    char *forms = scratch(L, 32 * (size_t)ncols);                     /* 5 */
    for (i = 0; i < ncols; i++) {
      const char *kind;
      lua_Integer repeat, width;
      int vla;
      lua_rawgeti(L, 2, i + 1);
      luaL_checktype(L, -1, LUA_TTABLE);
      ttype[i] = (char *)mast_opt_string(L, -1, "name", NULL);
      kind = mast_opt_string(L, -1, "kind", "string");
      tunit[i] = (char *)mast_opt_string(L, -1, "unit", "");
      repeat = (lua_Integer)mast_opt_number(L, -1, "repeat", 1);
      width = (lua_Integer)mast_opt_number(L, -1, "width", 1);
      vla = mast_opt_bool(L, -1, "vla", 0);
      lua_pop(L, 1);   /* the strings stay anchored by the spec */
      if (ttype[i] == NULL) return mast_raise(L, MAST_EUSAGE, "columns[%d] has no name", i + 1);
      if (repeat < 1 || repeat > INT_MAX || width < 1 || width > INT_MAX)
        return mast_raise(L, MAST_EUSAGE, "column '%s': bad repeat or width", ttype[i]);
      tform[i] = forms + 32 * i;
      if (vla)   /* [INFERRED] P (32-bit heap offsets): enough for what mast writes */
        snprintf(tform[i], 32, "1P%c(%lld)", strcmp(kind, "integer") == 0 ? 'K' : strcmp(kind, "boolean") == 0
                 ? 'L' : 'D', (long long)repeat);
      else if (strcmp(kind, "string") == 0)
        snprintf(tform[i], 32, "%lldA", (long long)(width * repeat));
      else
        snprintf(tform[i], 32, "%lld%c", (long long)repeat,
                 strcmp(kind, "integer") == 0 ? 'K' : strcmp(kind, "boolean") == 0 ? 'L' : 'D');
    }
    if (fits_create_memfile(&w->f, &w->buf, &w->size, 2880 * 4, realloc, &status) ||
        fits_create_tbl(w->f, BINARY_TBL, 0, ncols, ttype, tform, tunit, extname, &status) ||
        fits_insert_rows(w->f, 0, nrows, &status)) {   /* zero rows: empty variable-length cells */
      if (w->f == NULL) w->buf = NULL;
      return fits_fail(L, "(memory)", 0, status, "creating the table");
    }
    lua_pop(L, 2);
  }
  for (i = 0; i < ncols; i++) {   /* columns, in chunks of rows */
    const char *name, *kind;
    int k, c = i + 1;
    lua_Integer repeat, r;
    LONGLONG tnull = LLONG_MIN, chunk;
    int vla;
    void *vals;
    char *nul;
    lua_rawgeti(L, 2, c);   /* 4: the column spec */
    name = mast_opt_string(L, 4, "name", NULL);
    kind = mast_opt_string(L, 4, "kind", "string");
    repeat = (lua_Integer)mast_opt_number(L, 4, "repeat", 1);
    vla = mast_opt_bool(L, 4, "vla", 0);
    k = strcmp(kind, "integer") == 0 ? K_INT : strcmp(kind, "float") == 0 ? K_FLOAT
      : strcmp(kind, "boolean") == 0 ? K_BOOL : K_STRING;
    if (lua_getfield(L, 4, "dims") == LUA_TTABLE && repeat > 1) {   /* 5 */
      long naxes[MAXDIM];
      int d, nd = (int)lua_rawlen(L, 5);
      if (nd > MAXDIM) nd = MAXDIM;
      for (d = 0; d < nd; d++) {
        lua_rawgeti(L, 5, d + 1);
        naxes[d] = (long)lua_tointeger(L, -1);
        lua_pop(L, 1);
      }
      if (nd > 0 && fits_write_tdim(w->f, c, nd, naxes, &status))
        return fits_fail(L, "(memory)", 0, status, "writing TDIM");
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 4, "data") != LUA_TTABLE)   /* 5 */
      return mast_raise(L, MAST_EUSAGE, "column '%s' has no data", name);
    if (k == K_INT) {   /* TNULL: a value the column does not hold (only if it has nulls) */
      int has_null = 0, again = 1;
      for (r = 1; r <= nrows && !has_null; r++) {
        int t = lua_rawgeti(L, 5, r);
        has_null = t == LUA_TNIL || (t == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == NULL) ||
                   (t == LUA_TTABLE && repeat > 1);
        lua_pop(L, 1);
      }
      while (has_null && again) {
        again = 0;
        for (r = 1; r <= nrows && !again; r++) {
          if (lua_rawgeti(L, 5, r) == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) == tnull) {
            tnull++;
            again = 1;
          }
          lua_pop(L, 1);
        }
      }
      if (has_null) {
        char key[FLEN_KEYWORD];
        snprintf(key, sizeof key, "TNULL%d", c);
        if (fits_write_key(w->f, TLONGLONG, key, &tnull, "undefined value", &status) ||
            fits_set_btblnull(w->f, c, tnull, &status))
          return fits_fail(L, "(memory)", 0, status, "writing TNULL");
      }
    }
    chunk = CHUNK_VALUES / repeat;
    if (chunk < 1) chunk = 1;
    if (k == K_STRING) {
      char **p = scratch(L, sizeof(char *) * (size_t)chunk);   /* 6 */
      for (r = 1; r <= nrows; r += chunk) {
        LONGLONG j, m = nrows - r + 1 < chunk ? nrows - r + 1 : chunk;
        int top = lua_gettop(L);
        luaL_checkstack(L, (int)m + 10, "too many strings");
        for (j = 0; j < m; j++) {
          int t = lua_rawgeti(L, 5, r + j);
          if (t == LUA_TNIL || (t == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == NULL)) {
            lua_pop(L, 1);
            lua_pushliteral(L, "");   /* FITS binary tables have no null string */
          } else if (t != LUA_TSTRING) {
            bad_value(L, name, r + j, "a string");
          }
          p[j] = (char *)lua_tostring(L, -1);   /* anchored on the stack until written */
        }
        if (fits_write_col_str(w->f, c, r, 1, m, p, &status))
          return fits_fail(L, "(memory)", 0, status, "writing the table");
        lua_settop(L, top);
      }
      lua_pop(L, 3);
      continue;
    }
    if (vla) chunk = 1;   /* a row at a time: each its own length */
    vals = scratch(L, (size_t)(chunk * repeat) * elem_size(k));   /* 6 */
    nul = scratch(L, (size_t)(chunk * repeat));                    /* 7 */
    if (vla) {
      for (r = 1; r <= nrows; r++) {
        LONGLONG e, len = 0;
        if (lua_rawgeti(L, 5, r) == LUA_TTABLE) {
          len = (LONGLONG)lua_rawlen(L, -1);
          if (len > repeat) len = repeat;
          for (e = 0; e < len; e++) {
            lua_rawgeti(L, -1, e + 1);
            fill(L, k, vals, nul, e, tnull, name, r);
            lua_pop(L, 1);
          }
        } else if (!lua_isnil(L, -1) && !(lua_islightuserdata(L, -1) && !lua_touserdata(L, -1))) {
          bad_value(L, name, r, "an array");
        }
        lua_pop(L, 1);
        if (len == 0) continue;
        if (k == K_BOOL) {
          char nulchar = 2;
          status = fits_write_colnull(w->f, TLOGICAL, c, r, 1, len, vals, &nulchar, &status);
        } else {
          status = fits_write_col(w->f, k == K_INT ? TLONGLONG : TDOUBLE, c, r, 1, len, vals, &status);
        }
        if (status) return fits_fail(L, "(memory)", 0, status, "writing the table");
      }
      lua_pop(L, 4);
      continue;
    }
    for (r = 1; r <= nrows; r += chunk) {
      LONGLONG j, e, m = nrows - r + 1 < chunk ? nrows - r + 1 : chunk;
      for (j = 0; j < m; j++) {
        int t = lua_rawgeti(L, 5, r + j);
        if (repeat > 1 && t == LUA_TTABLE) {
          for (e = 0; e < repeat; e++) {
            lua_rawgeti(L, -1, e + 1);
            fill(L, k, vals, nul, j * repeat + e, tnull, name, r + j);
            lua_pop(L, 1);
          }
        } else if (repeat > 1 && t != LUA_TNIL && !(t == LUA_TLIGHTUSERDATA && !lua_touserdata(L, -1))) {
          bad_value(L, name, r + j, "an array");
        } else {
          for (e = 0; e < repeat; e++) fill(L, k, vals, nul, j * repeat + e, tnull, name, r + j);
        }
        lua_pop(L, 1);
      }
      if (k == K_BOOL) {
        char nulchar = 2;
        status = fits_write_colnull(w->f, TLOGICAL, c, r, 1, m * repeat, vals, &nulchar, &status);
      } else {
        status = fits_write_col(w->f, k == K_INT ? TLONGLONG : TDOUBLE, c, r, 1, m * repeat, vals, &status);
      }
      if (status) return fits_fail(L, "(memory)", 0, status, "writing the table");
    }
    lua_pop(L, 4);
  }
  {
    LONGLONG headstart, datastart, dataend;
    size_t len;
    if (fits_get_hduaddrll(w->f, &headstart, &datastart, &dataend, &status))
      return fits_fail(L, "(memory)", 0, status, "finishing the table");
    fits_close_file(w->f, &status);
    w->f = NULL;
    if (status) return fits_fail(L, "(memory)", 0, status, "finishing the table");
    len = (size_t)((dataend + 2879) / 2880 * 2880);   /* the file ends on a 2880-byte block */
    if (len > w->size) len = w->size;
    lua_pushlstring(L, w->buf, len);
  }
  free(w->buf);
  w->buf = NULL;
  return 1;
}

static const luaL_Reg file_methods[] = {
  {"nhdus", f_nhdus},
  {"hdu", f_hdu},
  {"header", f_header},
  {"table", f_table},
  {"image", f_image},
  {"cell", f_cell},
  {"close", f_close},
  {NULL, NULL}
};

void mast_fits_register(lua_State *L) {
  if (luaL_newmetatable(L, FITS_MT)) {
    luaL_newlib(L, file_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, f_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, f_close);
    lua_setfield(L, -2, "__close");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, WRITER_MT)) {
    lua_pushcfunction(L, w_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_open);
  lua_setfield(L, -2, "fits_open");
  lua_pushcfunction(L, l_open_memory);
  lua_setfield(L, -2, "fits_open_memory");
  lua_pushcfunction(L, l_write_table);
  lua_setfield(L, -2, "fits_write_table");
}

MAST_API int luaopen_mast_core_fits(lua_State *L) {
  luaL_checkversion(L);
  lua_newtable(L);
  mast_fits_register(L);
  lua_pushliteral(L, "mast.core_fits");
  lua_setfield(L, -2, "_NAME");
  return 1;
}
