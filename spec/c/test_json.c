/*
** test_json.c
** Tests for src/bind/json.c (mast's JSON codec). Plain C, exit status 0 when
** every check passes; one line per failure with file:line.
**
** usage: test_json [fixtures-dir [fuzz-regressions-dir]]
**   defaults: sandbox/fixtures/mast-recorded and spec/fuzz/regressions (relative
**   to the repository root), or the MAST_JSON_FIXTURES / MAST_JSON_REGRESSIONS
**   macros when they are defined
*/

#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "json.h"

#ifndef MAST_JSON_FIXTURES
#define MAST_JSON_FIXTURES "sandbox/fixtures/mast-recorded"
#endif
#ifndef MAST_JSON_REGRESSIONS
#define MAST_JSON_REGRESSIONS "spec/fuzz/regressions"
#endif

static int n_checks = 0, n_failed = 0;

#define CHECK(c) check_((c) != 0, __FILE__, __LINE__, #c, "")
#define CHECKM(c, ...) do { char m_[600]; \
    if (snprintf(m_, sizeof m_, __VA_ARGS__) < 0) m_[0] = '\0'; \
    check_((c) != 0, __FILE__, __LINE__, #c, m_); } while (0)

static void check_ (int ok, const char *file, int line, const char *what,
                    const char *more) {
  n_checks++;
  if (!ok) {
    n_failed++;
    printf("%s:%d: FAILED: %s %s\n", file, line, what, more);
    fflush(stdout);
  }
}

static uint64_t dbits (double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

static int lightud (lua_State *L) {
  lua_pushlightuserdata(L, (void *)&n_checks);
  return 1;
}

static lua_State *new_state (void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  mast_json_init(L);
  lua_pushlightuserdata(L, NULL);
  lua_setglobal(L, "null");
  luaL_getmetatable(L, MAST_JSON_ARRAY_MT);
  lua_setglobal(L, "ARRAY_MT");
  luaL_getmetatable(L, MAST_JSON_OBJECT_MT);
  lua_setglobal(L, "OBJECT_MT");
  lua_pushcfunction(L, lightud);
  lua_setglobal(L, "lightud");
  (void)luaL_dostring(L,
    "function array(t) return setmetatable(t or {}, ARRAY_MT) end\n"
    "function object(t) return setmetatable(t or {}, OBJECT_MT) end\n");
  return L;
}

/* ---- decode helpers ---- */

/* decode s (len bytes); on success leaves the value on the stack */
static int dec (lua_State *L, const char *s, size_t len, mast_json_error *err) {
  int top = lua_gettop(L);
  int ok = mast_json_decode(L, s, len, err);
  if (ok) CHECKM(lua_gettop(L) == top + 1, "decode pushed %d values", lua_gettop(L) - top);
  else CHECKM(lua_gettop(L) == top, "failed decode changed the stack by %d", lua_gettop(L) - top);
  return ok;
}

#define DEC_INT(s, v) dec_int_(L, s, v, __LINE__)
static void dec_int_ (lua_State *L, const char *s, lua_Integer v, int line) {
  mast_json_error err;
  if (!dec(L, s, strlen(s), &err)) {
    check_(0, __FILE__, line, s, err.msg);
    return;
  }
  check_(lua_isinteger(L, -1) && lua_tointeger(L, -1) == v, __FILE__, line,
         "integer decode", s);
  lua_pop(L, 1);
}

#define DEC_FLT(s, v) dec_flt_(L, s, v, __LINE__)
static void dec_flt_ (lua_State *L, const char *s, double v, int line) {
  mast_json_error err;
  char m[200];
  if (!dec(L, s, strlen(s), &err)) {
    check_(0, __FILE__, line, s, err.msg);
    return;
  }
  snprintf(m, sizeof m, "%s: got %.17g (%s), want %.17g", s, lua_tonumber(L, -1),
           lua_isinteger(L, -1) ? "integer" : "float", v);
  check_(lua_type(L, -1) == LUA_TNUMBER && !lua_isinteger(L, -1) &&
         dbits(lua_tonumber(L, -1)) == dbits(v), __FILE__, line, "float decode", m);
  lua_pop(L, 1);
}

#define DEC_ERR(s, len, off, frag) dec_err_(L, s, len, off, frag, __LINE__)
static void dec_err_ (lua_State *L, const char *s, size_t len, size_t off,
                      const char *frag, int line) {
  mast_json_error err;
  char m[600];
  if (dec(L, s, len, &err)) {
    lua_pop(L, 1);
    check_(0, __FILE__, line, "decode should fail", s);
    return;
  }
  snprintf(m, sizeof m, "offset %zu (want %zu), msg: %s", err.offset, off, err.msg);
  check_(err.offset == off, __FILE__, line, "error offset", m);
  snprintf(m, sizeof m, "want \"%s\" in: %s", frag, err.msg);
  check_(strstr(err.msg, frag) != NULL, __FILE__, line, "error message", m);
}

#define DEC_STR(s, want, wlen) dec_str_(L, s, want, wlen, __LINE__)
static void dec_str_ (lua_State *L, const char *s, const char *want, size_t wlen,
                      int line) {
  mast_json_error err;
  size_t len;
  const char *got;
  if (!dec(L, s, strlen(s), &err)) {
    check_(0, __FILE__, line, s, err.msg);
    return;
  }
  got = lua_tolstring(L, -1, &len);
  check_(lua_type(L, -1) == LUA_TSTRING && len == wlen && memcmp(got, want, len) == 0,
         __FILE__, line, "string decode", s);
  lua_pop(L, 1);
}

/* ---- encode helpers ---- */

/* evaluate Lua expression; leaves its value on the stack */
static void eval (lua_State *L, const char *expr) {
  char code[4096];
  snprintf(code, sizeof code, "return %s", expr);
  if (luaL_dostring(L, code) != LUA_OK) {
    printf("eval error: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_pushnil(L);
  }
}

/* MAST's request schema, as mast.query's encoder passes it */
static const mast_json_name request_keys[] = {
  {"values", 6}, {"filters", 7}, {"fields", 6}, {"data", 4}
};
static const mast_json_encode_options request_opt = {request_keys, 4, 2};

#define ENC(expr, want) enc_(L, expr, want, NULL, __LINE__)
#define ENC_REQ(expr, want) enc_(L, expr, want, &request_opt, __LINE__)
static void enc_ (lua_State *L, const char *expr, const char *want,
                  const mast_json_encode_options *opt, int line) {
  mast_json_error err;
  char m[800];
  int top;
  eval(L, expr);
  top = lua_gettop(L);
  if (!(opt ? mast_json_encode_opt(L, -1, "request", opt, &err)
            : mast_json_encode(L, -1, "request", &err))) {
    snprintf(m, sizeof m, "%s: %s", expr, err.msg);
    check_(0, __FILE__, line, "encode failed", m);
  }
  else {
    size_t len;
    const char *got = lua_tolstring(L, -1, &len);
    snprintf(m, sizeof m, "%s: got %s want %s", expr, got, want);
    check_(lua_gettop(L) == top + 1 && strlen(want) == len && memcmp(got, want, len) == 0,
           __FILE__, line, "encode", m);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

#define ENC_ERR(expr, want) enc_err_(L, expr, want, __LINE__)
static void enc_err_ (lua_State *L, const char *expr, const char *want, int line) {
  mast_json_error err;
  char m[800];
  int top;
  eval(L, expr);
  top = lua_gettop(L);
  if (mast_json_encode(L, -1, "request", &err)) {
    snprintf(m, sizeof m, "%s gave %s", expr, lua_tostring(L, -1));
    check_(0, __FILE__, line, "encode should fail", m);
    lua_pop(L, 1);
  }
  else {
    snprintf(m, sizeof m, "%s: got '%s' want '%s'", expr, err.msg, want);
    check_(strcmp(err.msg, want) == 0, __FILE__, line, "encode error", m);
    check_(lua_gettop(L) == top, __FILE__, line, "stack unchanged after failed encode", expr);
  }
  lua_pop(L, 1);
}

/* ---- deep comparison of two Lua values (floats compared bitwise) ---- */

static int same_value (lua_State *L, int a, int b, int depth) {
  int t = lua_type(L, a);
  a = lua_absindex(L, a);
  b = lua_absindex(L, b);
  if (t != lua_type(L, b)) return 0;
  switch (t) {
    case LUA_TNUMBER:
      if (lua_isinteger(L, a) != lua_isinteger(L, b)) return 0;
      if (lua_isinteger(L, a)) return lua_tointeger(L, a) == lua_tointeger(L, b);
      return dbits(lua_tonumber(L, a)) == dbits(lua_tonumber(L, b));
    case LUA_TTABLE: {
      int ok = 1, na = 0, nb = 0;
      if (depth > 1100) return 0;
      /* same marker metatable (or none) */
      if (lua_getmetatable(L, a)) {
        if (!lua_getmetatable(L, b)) { lua_pop(L, 1); return 0; }
        ok = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
      }
      else if (lua_getmetatable(L, b)) { lua_pop(L, 1); return 0; }
      if (!ok) return 0;
      lua_checkstack(L, 6);
      lua_pushnil(L);
      while (lua_next(L, a)) {  /* stack: k va */
        na++;
        lua_pushvalue(L, -2);
        lua_rawget(L, b);  /* stack: k va vb */
        if (lua_isnil(L, -1) || !same_value(L, -2, -1, depth + 1)) ok = 0;
        lua_pop(L, 2);
        if (!ok) { lua_pop(L, 1); return 0; }
      }
      lua_pushnil(L);
      while (lua_next(L, b)) { nb++; lua_pop(L, 1); }
      return na == nb;
    }
    default:
      return lua_rawequal(L, a, b);
  }
}

/* ---- file helpers ---- */

static char *read_file (const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  fclose(f);
  if (buf) { buf[n] = '\0'; *len = (size_t)n; }
  return buf;
}

/* ================================================================ */

static void test_numbers (lua_State *L) {
  mast_json_error err;
  DEC_INT("0", 0);
  DEC_FLT("-0", -0.0);
  CHECK(dbits(-0.0) != dbits(0.0));
  DEC_FLT("-0.0", -0.0);
  DEC_FLT("0.0", 0.0);
  DEC_FLT("0e0", 0.0);
  DEC_FLT("-0e-400", -0.0);
  DEC_INT("-1", -1);
  DEC_INT("9223372036854775807", INT64_MAX);
  DEC_INT("-9223372036854775808", INT64_MIN);
  DEC_FLT("9223372036854775808", 9223372036854775808.0);  /* 2^63 */
  DEC_FLT("-9223372036854775809", -9223372036854775808.0);
  DEC_FLT("18446744073709551616", 18446744073709551616.0);  /* 2^64 */
  DEC_FLT("12345678901234567890123", 1.2345678901234568e22);
  DEC_INT("5853498713190525696", 5853498713190525696LL);  /* Gaia source_id */
  DEC_INT("10000732589", 10000732589LL);
  DEC_FLT("1e308", 1e308);
  DEC_FLT("1.7976931348623157e308", DBL_MAX);
  DEC_FLT("1.7976931348623158e308", DBL_MAX);  /* below the halfway point */
  DEC_FLT("-1.7976931348623157e308", -DBL_MAX);
  DEC_ERR("1e309", 5, 0, "number 1e309 is out of the double range");
  DEC_ERR("-1e309", 6, 0, "out of the double range");
  DEC_ERR("1.7976931348623159e308", 22, 0, "out of the double range");
  DEC_ERR("[1,2e99999999999]", 17, 3, "out of the double range");
  DEC_FLT("5e-324", 4.9406564584124654e-324);
  CHECK(dbits(4.9406564584124654e-324) == 1);
  DEC_FLT("4.9406564584124654e-324", 4.9406564584124654e-324);
  DEC_FLT("2.4703282292062327e-324", 0.0);  /* just below half the smallest: 0 */
  DEC_FLT("2.4703282292062328e-324", 4.9406564584124654e-324);  /* above half */
  DEC_FLT("1e-400", 0.0);
  DEC_FLT("2.2250738585072011e-308", 2.2250738585072011e-308);
  {
    mast_json_error e2;
    if (dec(L, "2.2250738585072011e-308", 23, &e2)) {
      CHECK(dbits(lua_tonumber(L, -1)) == 0x000fffffffffffffULL);  /* largest subnormal */
      lua_pop(L, 1);
    }
    if (dec(L, "2.2250738585072014e-308", 23, &e2)) {
      CHECK(dbits(lua_tonumber(L, -1)) == 0x0010000000000000ULL);  /* smallest normal */
      lua_pop(L, 1);
    }
    if (dec(L, "1e-310", 6, &e2)) {
      CHECK(dbits(lua_tonumber(L, -1)) == dbits(strtod("1e-310", NULL)));
      lua_pop(L, 1);
    }
  }
  DEC_FLT("0.1", 0.1);
  DEC_FLT("293.09734393044442", 293.09734393044442);
  DEC_FLT("867.45001220703125", 867.45001220703125);
  DEC_FLT("50121.79450", 50121.7945);
  DEC_INT("9007199254740993", 9007199254740993LL);  /* integers stay exact */
  DEC_FLT("9007199254740993.0", 9007199254740992.0);
  DEC_FLT("9007199254740995.0", 9007199254740996.0);
  DEC_FLT("1E2", 100.0);
  DEC_FLT("1e+2", 100.0);
  DEC_FLT("123.456e-2", 1.23456);
  DEC_FLT("0.000000000000000000000000000000000000000000001", 1e-45);
  /* > 19 significant digits, truncation and the strtod fallback */
  DEC_FLT("3.14159265358979323846264338327950288419716939937510582097494459", 3.141592653589793);
  DEC_FLT("0.30000000000000000000000000000000000000001", 0.3);
  DEC_FLT("9007199254740992.00000000000000000000000000001", 9007199254740992.0);
  DEC_FLT("9007199254740993.00000000000000000000000000001", 9007199254740994.0);
  /* halfway between 1 and the next double, plus and minus a hair */
  DEC_FLT("1.00000000000000011102230246251565404236316680908203125", 1.0);
  DEC_FLT("1.000000000000000111022302462515654042363166809082031250001", 1.0000000000000002);
  DEC_FLT("1.000000000000000111022302462515654042363166809082031249999", 1.0);
  /* a 2000-digit number and a number with many leading zeros */
  {
    char buf[2100];
    memset(buf, '7', 2000);
    buf[2000] = '\0';
    DEC_ERR(buf, 2000, 0, "out of the double range");  /* 7.7e1999 */
    memset(buf, '0', 2002);
    memcpy(buf, "0.", 2);
    buf[2002] = '5';
    buf[2003] = '\0';  /* 0.000...05 (2001 zeros) -> 0 */
    DEC_FLT(buf, 0.0);
    memset(buf, '1', 2000);
    memcpy(buf + 2000, "e-1990", 7);  /* 1.111...e9 */
    if (dec(L, buf, strlen(buf), &err)) {
      CHECK(dbits(lua_tonumber(L, -1)) == dbits(strtod(buf, NULL)));
      lua_pop(L, 1);
    }
    else CHECK(0);
  }
  /* syntax errors */
  DEC_ERR("01", 2, 0, "leading zeros are not allowed");
  DEC_ERR("-01", 3, 0, "leading zeros");
  DEC_ERR("-", 1, 1, "invalid number (expected a digit)");
  DEC_ERR("-x", 2, 1, "expected a digit");
  DEC_ERR("1.", 2, 2, "expected a digit");
  DEC_ERR("1.e5", 4, 2, "expected a digit");
  DEC_ERR("1e", 2, 2, "expected a digit");
  DEC_ERR("1e+", 3, 3, "expected a digit");
  DEC_ERR(".5", 2, 0, "expected a JSON value");
  DEC_ERR("+1", 2, 0, "expected a JSON value");
  DEC_ERR("NaN", 3, 0, "expected a JSON value");
  DEC_ERR("Infinity", 8, 0, "expected a JSON value");
  DEC_ERR("-Infinity", 9, 1, "expected a digit");
  DEC_ERR("0x10", 4, 1, "unexpected data after the JSON value");
}

/* Random decimal strings against strtod (C locale): shapes of MAST data,
   near-halfway values, subnormals, long mantissas. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd (void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Generate test number i into s (C locale must be in force) */
static void gen_number (long i, char *s, size_t sz) {
  uint64_t r = rnd();
  double x;
  int k;
  switch (i % 6) {
    case 0: {  /* a random double in 17, 16 or 15 digits */
      uint64_t b = rnd() & 0x7fefffffffffffffULL;
      memcpy(&x, &b, sizeof x);
      snprintf(s, sz, "%.*g", 15 + (int)(r % 3), (r & 8) ? -x : x);
      break;
    }
    case 1: {  /* near the halfway point between two doubles */
      uint64_t b = rnd() & 0x7fefffffffffffffULL;
      long double mid;
      double y;
      memcpy(&x, &b, sizeof x);
      y = nextafter(x, HUGE_VAL);
      mid = ((long double)x + (long double)y) / 2;
      snprintf(s, sz, "%.*Le", 17 + (int)(r % 24), mid);
      break;
    }
    case 2:  /* MAST-like: 1-6 integer digits, 1-12 fraction digits */
      snprintf(s, sz, "%llu.%0*llu", (unsigned long long)(r % 1000000),
               1 + (int)((r >> 20) % 12), (unsigned long long)(rnd() % 1000000000000ULL));
      break;
    case 3:  /* random digits, random exponent over the whole range */
      k = snprintf(s, sz, "%llu", (unsigned long long)(rnd() >> (r % 64)));
      snprintf(s + k, sz - (size_t)k, "e%d", (int)(r % 700) - 350);
      break;
    case 4: {  /* subnormals */
      uint64_t b = rnd() & 0x000fffffffffffffULL;
      memcpy(&x, &b, sizeof x);
      snprintf(s, sz, "%.*e", 1 + (int)(r % 25), x);
      break;
    }
    default:  /* long mantissas (20-40 digits) */
      k = snprintf(s, sz, "%llu%llu", (unsigned long long)rnd(), (unsigned long long)rnd());
      snprintf(s + k, sz - (size_t)k, "e%d", (int)(r % 640) - 340);
      break;
  }
}

/* decode s and compare with want (strtod in the C locale) */
static int cmp_number (lua_State *L, const char *s, double want) {
  mast_json_error err;
  double got;
  if (!mast_json_decode(L, s, strlen(s), &err)) {
    if (fabs(want) > DBL_MAX && strstr(err.msg, "out of the double range")) return 1;
    printf("  %s: decode failed: %s\n", s, err.msg);
    return 0;
  }
  got = lua_tonumber(L, -1);
  lua_pop(L, 1);
  if (dbits(got) != dbits(want)) {
    printf("  %s: got %a want %a\n", s, got, want);
    return 0;
  }
  return 1;
}

static void test_numbers_random (lua_State *L, long count) {
  long i, bad = 0;
  char s[128];
  for (i = 0; i < count && bad < 10; i++) {
    gen_number(i, s, sizeof s);
    if (!cmp_number(L, s, strtod(s, NULL))) bad++;
  }
  CHECKM(bad == 0, "%ld of %ld random numbers differ from strtod", bad, i);
}

static void test_strings (lua_State *L) {
  DEC_STR("\"\"", "", 0);
  DEC_STR("\"abc\"", "abc", 3);
  DEC_STR("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "a\"b\\c/d\b\f\n\r\t", 12);
  DEC_STR("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6);
  DEC_STR("\"\\u0000x\"", "\0x", 2);
  DEC_STR("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4);  /* U+1F600 */
  DEC_STR("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4);  /* U+10FFFF */
  DEC_STR("\"\xf0\x9f\x98\x80 \xc3\xa9 \xe2\x82\xac \xf4\x8f\xbf\xbf\"",
          "\xf0\x9f\x98\x80 \xc3\xa9 \xe2\x82\xac \xf4\x8f\xbf\xbf", 16);
  DEC_STR("\"\x7f\"", "\x7f", 1);
  DEC_STR("\"POLYGON GSC1  23.17474785  60.66012593  23.15424076  60.61702967\"",
          "POLYGON GSC1  23.17474785  60.66012593  23.15424076  60.61702967", 64);
  /* lone or broken surrogates */
  DEC_ERR("\"\\ud83d\"", 8, 1, "high surrogate not followed by a low surrogate");
  DEC_ERR("\"ab\\ud83dx\"", 11, 3, "high surrogate not followed");
  DEC_ERR("\"\\ud83d\\u0041\"", 14, 1, "high surrogate not followed");
  DEC_ERR("\"\\ud83d\\ud83d\"", 14, 1, "high surrogate not followed");
  DEC_ERR("\"\\ude00\"", 8, 1, "lone low surrogate");
  DEC_ERR("\"\\u12\"", 6, 1, "expected 4 hex digits");
  DEC_ERR("\"\\u12g4\"", 8, 1, "expected 4 hex digits");
  DEC_ERR("\"a\\qb\"", 6, 2, "invalid escape sequence");
  DEC_ERR("\"a\\", 3, 2, "unterminated string");
  DEC_ERR("\"abc", 4, 4, "unterminated string");
  DEC_ERR("\"abc\\n", 6, 6, "unterminated string");
  /* invalid UTF-8 */
  DEC_ERR("\"\xc0\xaf\"", 4, 1, "invalid UTF-8 in string");       /* overlong '/' */
  DEC_ERR("\"\xe0\x80\xaf\"", 5, 1, "invalid UTF-8");              /* overlong, 3 bytes */
  DEC_ERR("\"\xf0\x80\x80\xaf\"", 6, 1, "invalid UTF-8");          /* overlong, 4 bytes */
  DEC_ERR("\"ab\xe2\x82\"", 6, 3, "invalid UTF-8");                /* truncated */
  DEC_ERR("\"ab\xe2\x82", 5, 3, "invalid UTF-8");                  /* truncated at end */
  DEC_ERR("\"\xff\"", 3, 1, "invalid UTF-8");
  DEC_ERR("\"\xfe\"", 3, 1, "invalid UTF-8");
  DEC_ERR("\"\x80\"", 3, 1, "invalid UTF-8");                      /* stray continuation */
  DEC_ERR("\"\xed\xa0\x80\"", 5, 1, "invalid UTF-8");              /* encoded surrogate */
  DEC_ERR("\"\xf4\x90\x80\x80\"", 6, 1, "invalid UTF-8");          /* > U+10FFFF */
  DEC_ERR("\"x\\n\xff\"", 6, 4, "invalid UTF-8");                  /* after an escape */
  /* raw control characters */
  DEC_ERR("\"\x01\"", 3, 1, "unescaped control character");
  DEC_ERR("\"a\nb\"", 5, 2, "unescaped control character");
  DEC_ERR("\"a\\tb\tc\"", 8, 5, "unescaped control character");
  DEC_ERR("\"\x1f\"", 3, 1, "unescaped control character");
  DEC_ERR("\"ab\0c\"", 6, 3, "unescaped control character");
}

static void test_structure (lua_State *L) {
  mast_json_error err;
  /* literals, whitespace, BOM */
  if (dec(L, " \t\r\n null \n", 12, &err)) {
    CHECK(lua_type(L, -1) == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == NULL);
    lua_pop(L, 1);
  }
  if (dec(L, "true", 4, &err)) { CHECK(lua_toboolean(L, -1) == 1 && lua_isboolean(L, -1)); lua_pop(L, 1); }
  if (dec(L, "false", 5, &err)) { CHECK(lua_toboolean(L, -1) == 0 && lua_isboolean(L, -1)); lua_pop(L, 1); }
  if (dec(L, "\xef\xbb\xbf{\"a\":1}", 10, &err)) { CHECK(lua_istable(L, -1)); lua_pop(L, 1); }
  else CHECKM(0, "BOM: %s", err.msg);
  DEC_INT("\xef\xbb\xbf 7", 7);
  DEC_ERR("\xef\xbb\xbf", 3, 3, "unexpected end of input, expected a JSON value");
  DEC_ERR(" \xef\xbb\xbf{}", 6, 1, "expected a JSON value");  /* BOM only at the start */
  DEC_ERR("", 0, 0, "unexpected end of input, expected a JSON value");
  DEC_ERR("   ", 3, 3, "unexpected end of input");
  DEC_ERR("tru", 3, 0, "invalid literal (expected true)");
  DEC_ERR("nul", 3, 0, "invalid literal (expected null)");
  DEC_ERR("falsy", 5, 0, "invalid literal (expected false)");
  DEC_ERR("nulll", 5, 4, "unexpected data after the JSON value");
  DEC_ERR("[1]x", 4, 3, "unexpected data after the JSON value");
  DEC_ERR("{} {}", 5, 3, "unexpected data after the JSON value");
  DEC_ERR("1 2", 3, 2, "unexpected data");
  DEC_ERR("{\"a\":1,}", 8, 7, "expected a string key after ','");
  DEC_ERR("{,}", 3, 1, "expected a string key or '}'");
  DEC_ERR("{1:2}", 5, 1, "expected a string key or '}'");
  DEC_ERR("{'a':1}", 7, 1, "expected a string key or '}'");
  DEC_ERR("{\"a\" 1}", 7, 5, "expected ':' after an object key");
  DEC_ERR("{\"a\":1 \"b\":2}", 13, 7, "expected ',' or '}' after an object member");
  DEC_ERR("{\"a\":}", 6, 5, "expected a JSON value");
  DEC_ERR("{\"a\":1", 6, 6, "expected ',' or '}' after an object member");
  DEC_ERR("[1,2", 4, 4, "expected ',' or ']' after an array element");
  DEC_ERR("[1 2]", 5, 3, "expected ',' or ']' after an array element");
  DEC_ERR("[1,]", 4, 3, "expected a JSON value");
  DEC_ERR("[,1]", 4, 1, "expected a JSON value");
  DEC_ERR("[", 1, 1, "unexpected end of input");
  DEC_ERR("]", 1, 0, "expected a JSON value");
  DEC_ERR("{\"a\":[1,{\"b\":nul}]}", 19, 13, "invalid literal (expected null)");
  /* exact messages with excerpts */
  {
    const char *s = "{\"status\":\"COMPLETE\",\"ra\":210.8,\"dec\":-4.1 \"x\":1,\"rows\":[1,2,3]}";
    DEC_ERR(s, strlen(s), 43, "");
    CHECK(s[43] == '"' && s[44] == 'x');
    if (!dec(L, s, strlen(s), &err))
      CHECKM(strcmp(err.msg, "JSON decode error at byte offset 43: expected ',' or '}' "
             "after an object member near '...a\":210.8,\"dec\":-4.1 \"x\":1,\"rows\":[1,2,3]...'") == 0,
             "got: %s", err.msg);
    if (!dec(L, "[1,2", 4, &err))
      CHECKM(strcmp(err.msg, "JSON decode error at byte offset 4: expected ',' or ']' "
             "after an array element near '[1,2'") == 0, "got: %s", err.msg);
    if (!dec(L, "\"a\tb\"", 5, &err))
      CHECKM(strcmp(err.msg, "JSON decode error at byte offset 2: unescaped control "
             "character in string near '\"a\\tb\"'") == 0, "got: %s", err.msg);
    if (!dec(L, "[\"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0"
                "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0"
                "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0\"]", 52, &err)) {
      CHECKM(err.offset == 2 && strlen(err.msg) < 256 && strstr(err.msg, "near '[\"\\xff\\xfe") != NULL,
             "got: %s", err.msg);
    }
  }
  /* duplicate keys: last wins */
  if (dec(L, "{\"a\":1,\"b\":2,\"a\":3}", 19, &err)) {
    lua_getfield(L, -1, "a");
    CHECK(lua_tointeger(L, -1) == 3);
    lua_pop(L, 2);
  }
  /* empty containers get the markers; non-empty ones do not */
  if (dec(L, "{\"o\":{},\"a\":[],\"x\":[1],\"y\":{\"k\":null}}", 38, &err)) {
    int t = lua_gettop(L);
    CHECK(!lua_getmetatable(L, t));
    lua_getfield(L, t, "o");
    CHECK(lua_getmetatable(L, -1) && (luaL_getmetatable(L, MAST_JSON_OBJECT_MT), lua_rawequal(L, -1, -2)));
    lua_settop(L, t);
    lua_getfield(L, t, "a");
    CHECK(lua_getmetatable(L, -1) && (luaL_getmetatable(L, MAST_JSON_ARRAY_MT), lua_rawequal(L, -1, -2)));
    lua_settop(L, t);
    lua_getfield(L, t, "x");
    CHECK(!lua_getmetatable(L, -1) && lua_rawlen(L, -1) == 1);
    lua_settop(L, t);
    lua_getfield(L, t, "y");
    CHECK(!lua_getmetatable(L, -1));
    lua_getfield(L, -1, "k");
    CHECK(lua_type(L, -1) == LUA_TLIGHTUSERDATA);
    lua_settop(L, t - 1);
  }
  else CHECKM(0, "%s", err.msg);
  /* arrays keep nulls in place */
  if (dec(L, "[1,null,\"x\",null]", 17, &err)) {
    CHECK(lua_rawlen(L, -1) == 4);
    lua_rawgeti(L, -1, 2);
    CHECK(lua_type(L, -1) == LUA_TLIGHTUSERDATA);
    lua_pop(L, 2);
  }
  /* keys are cached per depth: same keys in different order and escapes */
  if (dec(L, "[{\"a\":1,\"b\":2},{\"b\":3,\"a\":4},{\"a\\u0062\":5,\"b\":6,\"c\":7},{\"ab\":8},{\"a\":9}]", 72, &err)) {
    const char *chk = "local t = ...; return t[1].a == 1 and t[1].b == 2 and t[2].a == 4 and "
                      "t[2].b == 3 and t[3].ab == 5 and t[3].b == 6 and t[3].c == 7 and "
                      "t[4].ab == 8 and t[5].a == 9 and t[5].ab == nil";
    luaL_loadstring(L, chk);
    lua_insert(L, -2);
    lua_call(L, 1, 1);
    CHECK(lua_toboolean(L, -1));
    lua_pop(L, 1);
  }
  else CHECKM(0, "%s", err.msg);
  /* cached raw spans with escapes, for keys and values, and near misses */
  {
    const char *s = "[{\"k\\\"\":\"a\\\"b\",\"x\":\"a\\\\\"},"
                    "{\"k\\\"\":\"a\\\"b\",\"x\":\"a\\\\\"},"
                    "{\"k\\\"\":\"a\\\"bc\",\"x\":\"a\\\\\\\"y\"},"
                    "{\"k\\\"x\":\"a\\u0022b\",\"x\":\"a\\\\\"}]";
    if (dec(L, s, strlen(s), &err)) {
      (void)luaL_loadstring(L,
        "local t = ...; local k = 'k\"'; return t[1][k] == 'a\"b' and t[1].x == 'a\\\\' and "
        "t[2][k] == 'a\"b' and t[2].x == 'a\\\\' and t[3][k] == 'a\"bc' and t[3].x == 'a\\\\\"y' and "
        "t[4]['k\"x'] == 'a\"b' and t[4].x == 'a\\\\' and t[4][k] == nil");
      lua_insert(L, -2);
      lua_call(L, 1, 1);
      CHECKM(lua_toboolean(L, -1), "escaped cache cases: %s", s);
      lua_pop(L, 1);
    }
    else CHECKM(0, "%s", err.msg);
  }
  /* a key whose raw bytes contain what a cached decoded key holds */
  if (dec(L, "[{\"a\\\"b\":1},{\"a\\\"b\":2},{\"a\":3}]", 31, &err)) {
    luaL_loadstring(L, "local t = ...; return t[1]['a\"b'] == 1 and t[2]['a\"b'] == 2 and t[3].a == 3");
    lua_insert(L, -2);
    lua_call(L, 1, 1);
    CHECK(lua_toboolean(L, -1));
    lua_pop(L, 1);
  }
  else CHECKM(0, "%s", err.msg);
}

static void test_depth (lua_State *L) {
  mast_json_error err;
  size_t n = 100000, i;
  char *buf = malloc(2 * n + 10);
  /* 1000 levels of arrays: ok; 1001: error at offset 1000 */
  for (i = 0; i < 1000; i++) { buf[i] = '['; buf[2000 - 1 - i] = ']'; }
  if (dec(L, buf, 2000, &err)) {
    mast_json_error e2;
    int d = 0;
    /* re-encodes to the same text */
    if (mast_json_encode(L, -1, "v", &e2)) {
      size_t len;
      const char *s = lua_tolstring(L, -1, &len);
      CHECK(len == 2000 && memcmp(s, buf, len) == 0);
      lua_pop(L, 1);
    }
    else CHECKM(0, "%s", e2.msg);
    while (lua_istable(L, -1) && d < 2000) {
      lua_rawgeti(L, -1, 1);
      lua_remove(L, -2);
      d++;
    }
    CHECK(d == 1000);
    lua_pop(L, 1);
  }
  else CHECKM(0, "1000 deep: %s", err.msg);
  memmove(buf + 1, buf, 2000);
  buf[0] = '[';
  buf[2001] = ']';
  DEC_ERR(buf, 2002, 1000, "nesting deeper than 1000 levels");
  /* objects and arrays mixed: {"a":[{"a":[...]}]} */
  {
    size_t k = 0;
    char *b2 = malloc(10 * 1001 + 10);
    for (i = 0; i < 500; i++) { memcpy(b2 + k, "{\"a\":[", 6); k += 6; }
    b2[k++] = '1';
    for (i = 0; i < 500; i++) { memcpy(b2 + k, "]}", 2); k += 2; }
    if (dec(L, b2, k, &err)) lua_pop(L, 1);
    else CHECKM(0, "1000 mixed: %s", err.msg);
    k = 0;
    for (i = 0; i < 500; i++) { memcpy(b2 + k, "{\"a\":[", 6); k += 6; }
    memcpy(b2 + k, "{}", 2); k += 2;
    for (i = 0; i < 500; i++) { memcpy(b2 + k, "]}", 2); k += 2; }
    DEC_ERR(b2, k, 3000, "nesting deeper than 1000 levels");
    free(b2);
  }
  /* 100,000 levels: rejected, no crash */
  for (i = 0; i < n; i++) { buf[i] = '['; buf[2 * n - 1 - i] = ']'; }
  DEC_ERR(buf, 2 * n, 1000, "nesting deeper than 1000 levels");
  for (i = 0; i < n; i++) buf[i] = (i % 2) ? '[' : '{';
  DEC_ERR(buf, n, 1, "expected a string key or '}'");
  for (i = 0; i < n; i++) { memcpy(buf + 2 * i, "[[", 2); }
  DEC_ERR(buf, n, 1000, "nesting deeper");
  free(buf);
  /* encoder: 1000 nested tables ok, 1001 not */
  (void)luaL_dostring(L, "local t = {} ; local r = t; for i = 2, 1000 do local u = {}; t[1] = u; t = u end; "
                   "t[1] = 1; return r");
  if (mast_json_encode(L, -1, "v", &err)) lua_pop(L, 1);
  else CHECKM(0, "%s", err.msg);
  lua_pop(L, 1);
  (void)luaL_dostring(L, "local t = {} ; local r = t; for i = 2, 1001 do local u = {}; t[1] = u; t = u end; "
                   "t[1] = 1; return r");
  if (mast_json_encode(L, -1, "v", &err)) { CHECK(0); lua_pop(L, 1); }
  else CHECKM(strncmp(err.msg, "v...[1][1]", 10) == 0 &&
              strstr(err.msg, "[1][1][1]: nesting deeper than 1000 levels") != NULL &&
              strlen(err.msg) < 256, "%s", err.msg);
  lua_pop(L, 1);
}

/* Fuzzer finds: a failed decode of a long escaped string at various stack
   depths must leave the stack exactly as it was (with Lua 5.4.4, popping a
   luaL_Buffer box, a to-be-closed slot, could corrupt the stack). */
static int decode_in_c (lua_State *L) {
  mast_json_error err;
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  int top = lua_gettop(L), ok = mast_json_decode(L, s, len, &err);
  lua_pushboolean(L, lua_gettop(L) == top + ok);
  return 1;
}

static void test_error_stack (void) {
  lua_State *L = new_state();
  static const char *const tails[] = {"\\q\"", "\xaf\xc0\"", "\x01\"", "\\ud800\"", ""};
  int depth, t, bad = 0, runs = 0;
  char *buf = malloc(20000);
  for (t = 0; t < 5; t++) {
    for (depth = 0; depth < 240; depth += 1) {
      size_t k = 0, i;
      for (i = 0; i < (size_t)depth; i++) buf[k++] = (i % 3 == 2) ? '[' : '[';
      buf[k++] = '"';
      for (i = 0; i < 700 + (size_t)depth * 7; i++) { buf[k++] = '\\'; buf[k++] = 'n'; }
      memcpy(buf + k, tails[t], strlen(tails[t]));
      k += strlen(tails[t]);
      lua_settop(L, 0);
      for (i = 0; i < (size_t)depth % 37; i++) lua_pushinteger(L, (lua_Integer)i);
      lua_pushcfunction(L, decode_in_c);
      lua_pushlstring(L, buf, k);
      if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_toboolean(L, -1)) bad++;
      runs++;
    }
  }
  CHECKM(bad == 0, "%d of %d failed decodes of escaped strings changed the stack", bad, runs);
  free(buf);
  lua_close(L);
}

/* The inputs the fuzzers reduced (see spec/fuzz/README.md) */
static void test_fuzz_finds (const char *dir) {
  static const char *const names[] = {"crash-decode-stack-1", "crash-roundtrip-stack-2", NULL};
  char path[4096];
  int i;
  for (i = 0; names[i]; i++) {
    lua_State *L = new_state();
    size_t len;
    char *buf;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    buf = read_file(path, &len);
    if (!buf) { CHECKM(0, "cannot read %s", path); lua_close(L); continue; }
    lua_pushcfunction(L, decode_in_c);
    lua_pushlstring(L, buf, len);
    CHECKM(lua_pcall(L, 1, 1, 0) == LUA_OK && lua_toboolean(L, -1), "%s", names[i]);
    free(buf);
    lua_close(L);
  }
}

static void test_big (lua_State *L) {
  mast_json_error err;
  size_t n = 1000000, i, k = 0;
  char *buf = malloc(n * 8 + 16);
  /* 1,000,000-element array */
  buf[k++] = '[';
  for (i = 0; i < n; i++) {
    k += (size_t)sprintf(buf + k, "%zu,", i % 1000);
  }
  buf[k - 1] = ']';
  if (dec(L, buf, k, &err)) {
    CHECK(lua_rawlen(L, -1) == n);
    lua_rawgeti(L, -1, (lua_Integer)n);
    CHECK(lua_tointeger(L, -1) == (lua_Integer)((n - 1) % 1000));
    lua_pop(L, 2);
  }
  else CHECKM(0, "%s", err.msg);
  free(buf);
  /* a 10 MB string, plain and with escapes */
  n = 10 * 1024 * 1024;
  buf = malloc(n + 16);
  buf[0] = '"';
  for (i = 1; i <= n; i++) buf[i] = (char)('a' + i % 26);
  buf[n + 1] = '"';
  if (dec(L, buf, n + 2, &err)) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    CHECK(len == n && memcmp(s, buf + 1, n) == 0);
    /* encode it back */
    if (mast_json_encode(L, -1, "v", &err)) {
      const char *e = lua_tolstring(L, -1, &len);
      CHECK(len == n + 2 && memcmp(e, buf, len) == 0);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  else CHECKM(0, "%s", err.msg);
  for (i = 1; i + 1 <= n; i += 2) { buf[i] = '\\'; buf[i + 1] = 'n'; }
  if (dec(L, buf, n + 2, &err)) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    CHECK(len == n / 2 && s[0] == '\n' && s[len - 1] == '\n');
    lua_pop(L, 1);
  }
  else CHECKM(0, "%s", err.msg);
  buf[n + 1] = 'x';  /* unterminated */
  DEC_ERR(buf, n + 2, n + 2, "unterminated string");
  free(buf);
}

/*
** Decode s twice: as is, and wrapped in 32 arrays so that every container of s
** lies below the depths that use the column cache and size hints. Both must
** give the same value. Returns 1 when they do (s must be valid JSON).
*/
static int same_uncached (lua_State *L, const char *s, size_t len) {
  mast_json_error e1, e2;
  int top = lua_gettop(L), ok1, ok2, same = 0, i;
  char *w = malloc(len + 64);
  memset(w, '[', 32);
  memcpy(w + 32, s, len);
  memset(w + 32 + len, ']', 32);
  ok1 = mast_json_decode(L, s, len, &e1);
  ok2 = mast_json_decode(L, w, len + 64, &e2);
  free(w);
  if (ok1 && ok2) {
    for (i = 0; i < 32 && lua_istable(L, -1); i++) {
      lua_rawgeti(L, -1, 1);
      lua_remove(L, -2);
    }
    same = (i == 32) && same_value(L, -2, -1, 0);
  }
  else if (!ok1) printf("  %s\n", e1.msg);
  else printf("  wrapped: %s\n", e2.msg);
  lua_settop(L, top);
  return same;
}

/* Row-shaped documents with repeated, escaped and near-miss strings */
static void test_cache_random (lua_State *L) {
  static const char *const pool[] = {
    "\"HST\"", "\"HS\"", "\"HSTX\"", "\"\"", "\"a\\\"b\"", "\"a\\\\\"", "\"\\u00e9t\\u00e9\"",
    "\"\xc3\xa9t\xc3\xa9\"", "\"TESS\"", "\"image\"", "\"spectrum\"", "1", "-0", "2.5", "null",
    "true", "[]", "{}", "[\"HST\"]", "{\"k\":\"HST\"}",
    "\"a very long value, longer than sixty-four bytes, so the cache never keeps it\""
  };
  static const char *const keys[] = {"\"a\"", "\"b\"", "\"ab\"", "\"a\\\"\"", "\"\"", "\"c\\u0064\""};
  char *buf = malloc(200000);
  int doc, bad = 0;
  for (doc = 0; doc < 300; doc++) {
    size_t k = 0;
    int rows = 1 + (int)(rnd() % 60), r, asarrays = (int)(rnd() % 3 == 0);
    buf[k++] = '[';
    for (r = 0; r < rows; r++) {
      int cols = 1 + (int)(rnd() % 6), c;
      if (r) buf[k++] = ',';
      buf[k++] = asarrays ? '[' : '{';
      for (c = 0; c < cols; c++) {
        const char *v = pool[rnd() % (sizeof pool / sizeof pool[0])];
        if (c) buf[k++] = ',';
        if (!asarrays) {
          const char *key = keys[(c + (rnd() % 4 == 0 ? rnd() : 0)) % 6];
          memcpy(buf + k, key, strlen(key));
          k += strlen(key);
          buf[k++] = ':';
        }
        memcpy(buf + k, v, strlen(v));
        k += strlen(v);
      }
      buf[k++] = asarrays ? ']' : '}';
    }
    buf[k++] = ']';
    if (!same_uncached(L, buf, k)) {
      if (bad++ < 3) printf("  cache differs on: %.*s\n", (int)(k > 300 ? 300 : k), buf);
    }
  }
  CHECKM(bad == 0, "%d of 300 row-shaped documents decode differently with the cache", bad);
  free(buf);
}

/* decode(file) == decode(encode(decode(file))), and encode is a fixed point */
static void roundtrip_file (lua_State *L, const char *path) {
  mast_json_error err;
  size_t len, l1, l2;
  char *buf = read_file(path, &len);
  int top = lua_gettop(L);
  if (!buf) { CHECKM(0, "cannot read %s", path); return; }
  if (!dec(L, buf, len, &err)) {
    CHECKM(0, "%s: %s", path, err.msg);
    free(buf);
    return;
  }
  CHECKM(same_uncached(L, buf, len), "%s: decodes differently with the cache", path);
  free(buf);
  if (!mast_json_encode(L, -1, "response", &err)) {  /* stack: v1 */
    CHECKM(0, "%s: encode: %s", path, err.msg);
    lua_settop(L, top);
    return;
  }
  {
    const char *e1 = lua_tolstring(L, -1, &l1);  /* stack: v1 e1 */
    if (!dec(L, e1, l1, &err)) {
      CHECKM(0, "%s: re-decode: %s", path, err.msg);
      lua_settop(L, top);
      return;
    }
  }  /* stack: v1 e1 v2 */
  CHECKM(same_value(L, top + 1, top + 3, 0), "%s: decode(encode(v)) differs from v", path);
  if (mast_json_encode(L, -1, "response", &err)) {  /* stack: v1 e1 v2 e2 */
    const char *e1 = lua_tolstring(L, top + 2, &l1);
    const char *e2 = lua_tolstring(L, top + 4, &l2);
    CHECKM(l1 == l2 && memcmp(e1, e2, l1) == 0, "%s: encoding is not stable", path);
  }
  else CHECKM(0, "%s: second encode: %s", path, err.msg);
  lua_settop(L, top);
}

static int walk_fixtures (lua_State *L, const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *ent;
  int count = 0;
  if (!d) return 0;
  while ((ent = readdir(d)) != NULL) {
    char path[4096];
    struct stat st;
    size_t nl = strlen(ent->d_name);
    if (ent->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
    if (stat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) count += walk_fixtures(L, path);
    else if ((nl > 5 && strcmp(ent->d_name + nl - 5, ".json") == 0) ||
             (nl > 6 && strcmp(ent->d_name + nl - 6, ".extjs") == 0)) {
      roundtrip_file(L, path);
      count++;
    }
  }
  closedir(d);
  return count;
}

static void test_fixtures (lua_State *L, const char *dir) {
  mast_json_error err;
  char path[4096];
  size_t len;
  char *buf;
  int count = walk_fixtures(L, dir);
  CHECKM(count >= 30, "only %d fixtures found under %s", count, dir);
  /* spot checks on caom.json: 64-bit-safe ids, 17-digit doubles, nulls, booleans */
  snprintf(path, sizeof path, "%s/astroquery-main/caom.json", dir);
  buf = read_file(path, &len);
  if (buf && dec(L, buf, len, &err)) {
    luaL_loadstring(L,
      "local r = ...; local d = r.data; local row = d[1]\n"
      "return r.status == 'COMPLETE' and #d == 19 and row.obsid == 2003585980 and\n"
      "  math.type(row.obsid) == 'integer' and row.distance == 293.09734393044442 and\n"
      "  row.t_obs_release == 50121.7945 and row.dataURL == null and\n"
      "  row._selected_ == null and r.paging.rowsTotal == 19 and #r.fields > 10 and\n"
      "  math.type(row.t_exptime) == 'integer' and row.calib_level == 3");
    lua_insert(L, -2);
    lua_call(L, 1, 1);
    CHECK(lua_toboolean(L, -1));
    lua_pop(L, 1);
  }
  else CHECKM(0, "caom.json: %s", buf ? err.msg : "cannot read");
  free(buf);
  /* slices of a fixture: every prefix is an error at or before its end */
  snprintf(path, sizeof path, "%s/astroquery-main/countsResp.json", dir);
  buf = read_file(path, &len);
  if (buf) {
    size_t i;
    int bad = 0;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ')) len--;
    for (i = 0; i < len; i++) {
      int ok = mast_json_decode(L, buf, i, &err);
      if (ok) { lua_pop(L, 1); bad++; }
      else if (err.offset > i) bad++;
    }
    CHECKM(bad == 0, "%d prefixes of countsResp.json misbehaved", bad);
    free(buf);
  }
}

static void test_encode (lua_State *L) {
  ENC("nil", "null");
  ENC("null", "null");
  ENC("true", "true");
  ENC("false", "false");
  ENC("0", "0");
  ENC("-1", "-1");
  ENC("math.maxinteger", "9223372036854775807");
  ENC("math.mininteger", "-9223372036854775808");
  ENC("5853498713190525696", "5853498713190525696");
  /* floats: shortest that round-trips, integral ones keep .0 */
  ENC("0.1", "0.1");
  ENC("1/3", "0.3333333333333333");
  ENC("2/3", "0.6666666666666666");
  ENC("0.1 + 0.2", "0.30000000000000004");
  ENC("100.0", "100.0");
  ENC("5.0", "5.0");
  ENC("-0.0", "-0.0");
  ENC("0.0", "0.0");
  ENC("1e21", "1e+21");
  ENC("1e16", "1e+16");
  ENC("123456789012345.0", "123456789012345.0");
  ENC("2^53", "9007199254740992.0");
  ENC("2^63", "9.223372036854776e+18");
  ENC("5e-324", "4.94065645841247e-324");
  ENC("1.7976931348623157e308", "1.7976931348623157e+308");
  ENC("2.2250738585072011e-308", "2.225073858507201e-308");
  ENC("293.09734393044442", "293.0973439304444");
  ENC("-4.1", "-4.1");
  /* strings */
  ENC("''", "\"\"");
  ENC("'a\"b\\\\c/d'", "\"a\\\"b\\\\c/d\"");
  ENC("'\\n\\r\\t\\b\\f\\0\\1\\31\\127'", "\"\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\x7f\"");
  ENC("'\\u{1F600} caf\\u{E9} \\u{10FFFF}'", "\"\xf0\x9f\x98\x80 caf\xc3\xa9 \xf4\x8f\xbf\xbf\"");
  /* tables: sorted keys, arrays, markers, nesting */
  ENC("{}", "{}");
  ENC("{1, 2, 3}", "[1,2,3]");
  ENC("{b = 1, a = 2, c = {x = true}, ['A'] = 0, ['aa'] = 3, [''] = 4}",
      "{\"\":4,\"A\":0,\"a\":2,\"aa\":3,\"b\":1,\"c\":{\"x\":true}}");
  ENC("{['\\xc3\\xa9'] = 1, z = 2, ['\\x7f'] = 3}", "{\"z\":2,\"\x7f\":3,\"\xc3\xa9\":1}");
  ENC("{1, 'two', null, {3}, {k = null}}", "[1,\"two\",null,[3],{\"k\":null}]");
  ENC("array()", "[]");
  ENC("object()", "{}");
  ENC("array{1, 2}", "[1,2]");
  ENC("object{a = 1}", "{\"a\":1}");
  ENC("{a = array(), b = object(), values = {}}", "{\"a\":[],\"b\":{},\"values\":{}}");
  ENC("setmetatable({1, 2}, {__index = function() return 0 end})", "[1,2]");
  /* empty unmarked tables: "{}" for the codec alone, wherever they are */
  ENC("{service = 'X', params = {}}", "{\"params\":{},\"service\":\"X\"}");
  ENC("{params = {filters = {}}}", "{\"params\":{\"filters\":{}}}");
  ENC("{params = {fields = {}, data = {}, other = {}, Values = {}}}",
      "{\"params\":{\"Values\":{},\"data\":{},\"fields\":{},\"other\":{}}}");
  ENC("{x = {{values = {}}}}", "{\"x\":[{\"values\":{}}]}");
  ENC("{params = array()}", "{\"params\":[]}");
  /* the request schema's empty-array keys (mast.query's encoder) */
  ENC_REQ("{service = 'X', params = {}}", "{\"params\":{},\"service\":\"X\"}");
  ENC_REQ("{service = 'Mast.Caom.Filtered', format = 'json', params = {columns = '*', filters = {"
          "{paramName = 'obsid', values = {}, freeText = '%200%'}}}}",
          "{\"format\":\"json\",\"params\":{\"columns\":\"*\",\"filters\":[{\"freeText\":\"%200%\","
          "\"paramName\":\"obsid\",\"values\":[]}]},\"service\":\"Mast.Caom.Filtered\"}");
  ENC_REQ("{params = {filters = {}}}", "{\"params\":{\"filters\":[]}}");
  ENC_REQ("{filters = {}, values = {}, data = {}, fields = {}}",
          "{\"data\":{},\"fields\":{},\"filters\":{},\"values\":{}}");
  ENC_REQ("{params = {fields = {}, data = {}, other = {}, Values = {}}}",
          "{\"params\":{\"Values\":{},\"data\":[],\"fields\":[],\"other\":{}}}");
  ENC_REQ("{x = {{values = {}}}}", "{\"x\":[{\"values\":[]}]}");
  ENC_REQ("{{values = {}}}", "[{\"values\":[]}]");
  ENC_REQ("{params = {filters = object()}}", "{\"params\":{\"filters\":{}}}");
  ENC_REQ("{params = array()}", "{\"params\":[]}");
  ENC_REQ("{params = {data = {a = {}}, valuesx = {}}}",
          "{\"params\":{\"data\":{\"a\":{}},\"valuesx\":{}}}");
  {  /* keys are byte strings: a NUL inside, no prefix matches; depth 0 is 1 */
    static const mast_json_name odd[] = {{"a\0b", 3}, {"val", 3}};
    static const mast_json_encode_options oddopt = {odd, 2, 0};
    mast_json_error err;
    eval(L, "{['a\\0b'] = {}, a = {}, values = {}, val = {}}");
    CHECK(mast_json_encode_opt(L, -1, "v", &oddopt, &err));
    CHECK(strcmp(lua_tostring(L, -1), "{\"a\":{},\"a\\u0000b\":[],\"val\":[],\"values\":{}}") == 0);
    lua_settop(L, 0);
  }
  /* determinism: same table, same bytes, whatever the insertion order */
  {
    mast_json_error err;
    size_t l1, l2;
    const char *s1, *s2;
    int ok;
    eval(L, "(function() local t = {} for i = 1, 200 do t['k' .. i] = i end return t end)()");
    eval(L, "(function() local t = {} for i = 200, 1, -1 do t['k' .. i] = i end "
            "for i = 1, 50 do t['x' .. i] = 1; t['x' .. i] = nil end return t end)()");
    ok = mast_json_encode(L, -2, "a", &err) && mast_json_encode(L, -2, "b", &err);
    CHECK(ok);
    if (ok) {
      s1 = lua_tolstring(L, -2, &l1);
      s2 = lua_tolstring(L, -1, &l2);
      CHECK(l1 == l2 && memcmp(s1, s2, l1) == 0);
      CHECK(strncmp(s1, "{\"k1\":1,\"k10\":10,\"k100\":100,\"k101\":101,", 38) == 0);
    }
    lua_settop(L, 0);
  }
  /* errors name the path */
  ENC_ERR("{service = 'X', params = {filters = {{paramName = 'a', values = {1, print}}}}}",
          "request.params.filters[1].values[2]: cannot encode a function");
  ENC_ERR("print", "request: cannot encode a function");
  ENC_ERR("{co = coroutine.create(print)}", "request.co: cannot encode a thread");
  ENC_ERR("{f = io.stdout}", "request.f: cannot encode a userdata");
  ENC_ERR("{p = {x = 0/0}}", "request.p.x: cannot encode NaN");
  ENC_ERR("{p = {1, 1/0}}", "request.p[2]: cannot encode inf");
  ENC_ERR("{p = {1, -1/0}}", "request.p[2]: cannot encode -inf");
  ENC_ERR("(function() local t = {a = {}} t.a.b = t return t end)()", "cycle detected at request.a.b");
  ENC_ERR("(function() local t = {} t[1] = t return t end)()", "cycle detected at request[1]");
  ENC_ERR("{p = {1, 2, name = 'x'}}",
          "request.p: table mixes string keys and integer keys (key [1], key \"name\")");
  ENC_ERR("{p = {[1] = 1, [2] = 2, [5] = 5}}",
          "request.p: sparse array (index [3] is missing, largest is [5])");
  ENC_ERR("{p = {[2] = 1}}", "request.p: sparse array (index [1] is missing, largest is [2])");
  ENC_ERR("{p = {[0] = 1}}", "request.p: invalid table key [0]");
  ENC_ERR("{p = {[-3] = 1}}", "request.p: invalid table key [-3]");
  ENC_ERR("{p = {[1.5] = 1}}", "request.p: invalid table key [1.5]");
  ENC_ERR("{p = {[true] = 1}}", "request.p: invalid table key of type boolean");
  ENC_ERR("{p = {[{}] = 1}}", "request.p: invalid table key of type table");
  ENC_ERR("{p = {s = 'ok\\xff'}}", "request.p.s: string is not valid UTF-8 (byte offset 2)");
  ENC_ERR("{p = {s = '\\xed\\xa0\\x80'}}", "request.p.s: string is not valid UTF-8 (byte offset 0)");
  ENC_ERR("{p = {s = '\\xc0\\xaf'}}", "request.p.s: string is not valid UTF-8 (byte offset 0)");
  ENC_ERR("{p = {['k\\xff'] = 1}}", "request.p: table key \"k\\xff\" is not valid UTF-8");
  ENC_ERR("{['a b'] = {['x\"y'] = {[3] = print, [1] = 0, [2] = 0}}}",
          "request[\"a b\"][\"x\\\"y\"][3]: cannot encode a function");
  ENC_ERR("array{1, x = 2}", "request: array-marked table has string key \"x\"");
  ENC_ERR("array{[2] = 1}", "request: sparse array (index [1] is missing, largest is [2])");
  ENC_ERR("object{1}", "request: object-marked table has non-string key [1]");
  ENC_ERR("object{[true] = 1}", "request: object-marked table has non-string key of type boolean");
  ENC_ERR("{l = lightud()}",
          "request.l: cannot encode a light userdata (only NULL, json null)");
  {
    mast_json_error err;
    lua_pushinteger(L, 1);
    CHECK(mast_json_encode(L, 1, NULL, &err) == 1);  /* positive index, NULL root */
    CHECK(lua_gettop(L) == 2 && strcmp(lua_tostring(L, 2), "1") == 0);
    lua_settop(L, 0);
    lua_pushcfunction(L, luaopen_base);
    CHECK(mast_json_encode(L, -1, NULL, &err) == 0);
    CHECKM(strcmp(err.msg, "value: cannot encode a function") == 0, "%s", err.msg);
    lua_settop(L, 0);
  }
}

/* Everything that must not depend on the decimal point of the C locale */
static void locale_checks (lua_State *L) {
  DEC_FLT("0.1", 0.1);
  DEC_FLT("50121.79450", 50121.7945);
  DEC_FLT("293.09734393044442", 293.09734393044442);
  DEC_FLT("2.2250738585072011e-308", 2.2250738585072011e-308);
  DEC_FLT("3.14159265358979323846264338327950288419716939937510582097494459", 3.141592653589793);
  DEC_FLT("1.000000000000000111022302462515654042363166809082031250001", 1.0000000000000002);
  ENC("0.5", "0.5");
  ENC("{-4.1, 1/3, 100.0, 1e21, 5e-324}", "[-4.1,0.3333333333333333,100.0,1e+21,4.94065645841247e-324]");
  ENC_ERR("{[1.5] = 1}", "request: invalid table key [1.5]");
}

static void test_locale (lua_State *L) {
  static const char *const names[] = {
    "de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8", NULL
  };
  enum { NLOC = 20000 };
  const char *got = NULL;
  char dir[] = "/tmp/mast-json-locale-XXXXXX";
  int made = 0, i;
  char saved[256];
  char (*strs)[128] = malloc(NLOC * sizeof *strs);
  double *want = malloc(NLOC * sizeof *want);
  snprintf(saved, sizeof saved, "%s", setlocale(LC_ALL, NULL));
  for (i = 0; i < NLOC; i++) {  /* made in the C locale */
    gen_number(i, strs[i], sizeof strs[i]);
    want[i] = strtod(strs[i], NULL);
  }
  for (i = 0; names[i] && !got; i++)
    if (setlocale(LC_ALL, names[i])) got = names[i];
  if (!got && access("/usr/bin/localedef", X_OK) == 0 && mkdtemp(dir) != NULL) {
    /* no comma locale installed: compile de_DE into a private directory */
    char cmd[512];
    made = 1;
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
    if (system(cmd) != -1) {
      setenv("LOCPATH", dir, 1);
      if (setlocale(LC_ALL, "de_DE.UTF-8")) got = "de_DE.UTF-8 (private)";
    }
  }
  if (!got) {
    printf("test_json: note: no locale with a ',' decimal point, locale test skipped\n");
  }
  else {
    char probe[32];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    CHECKM(strcmp(probe, "1,5") == 0, "locale %s prints 1.5 as %s", got, probe);
    long bad = 0;
    printf("test_json: note: locale checks run under %s\n", got);
    locale_checks(L);
    for (i = 0; i < NLOC && bad < 10; i++)
      if (!cmp_number(L, strs[i], want[i])) bad++;
    CHECKM(bad == 0, "%ld random numbers differ from strtod under %s", bad, got);
  }
  free(strs);
  free(want);
  setlocale(LC_ALL, saved);
  if (made) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) == -1) printf("test_json: note: could not remove %s\n", dir);
    unsetenv("LOCPATH");
  }
}

/* ---- memory errors: fail allocations at every step, nothing may leak ---- */

typedef struct limit { size_t used, limit; } limit;

static void *limited_alloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  limit *l = (limit *)ud;
  if (ptr == NULL) osize = 0;
  if (nsize == 0) {
    free(ptr);
    l->used -= osize;
    return NULL;
  }
  if (nsize > osize && l->used + (nsize - osize) > l->limit) return NULL;
  ptr = realloc(ptr, nsize);
  if (ptr) l->used += nsize - osize;
  return ptr;
}

static int pdecode (lua_State *L) {
  mast_json_error err;
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  int ok = mast_json_decode(L, s, len, &err);
  if (!ok) lua_pushnil(L);
  return 1;
}

static int pencode (lua_State *L) {
  mast_json_error err;
  if (!mast_json_encode(L, 1, "r", &err)) lua_pushnil(L);
  return 1;
}

static void test_memory_errors (const char *fixtures) {
  char path[4096];
  size_t len, lim;
  char *buf;
  int errs = 0, oks = 0;
  snprintf(path, sizeof path, "%s/astroquery-main/advSearch.json", fixtures);
  buf = read_file(path, &len);
  if (!buf) { CHECKM(0, "cannot read %s", path); return; }
  for (lim = 20000; lim < 400000; lim += 1500) {
    limit l = {0, (size_t)-1};
    lua_State *L = lua_newstate(limited_alloc, &l);
    int st;
    if (!L) continue;
    luaL_openlibs(L);
    lua_pushcfunction(L, pencode);
    lua_pushcfunction(L, pdecode);
    lua_pushlstring(L, buf, len);  /* stack: pencode pdecode s */
    l.limit = l.used + (lim - 20000) / 4;  /* from here on, allocations may fail */
    st = lua_pcall(L, 1, 1, 0);  /* stack: pencode v|err */
    if (st == LUA_OK) {
      CHECK(lua_istable(L, -1));
      st = lua_pcall(L, 1, 1, 0);  /* stack: json|err */
      if (st == LUA_OK) CHECK(lua_isstring(L, -1));
    }
    if (st == LUA_OK) oks++;
    else { CHECK(st == LUA_ERRMEM); errs++; }
    l.limit = (size_t)-1;
    lua_close(L);
    CHECK(l.used == 0);
  }
  free(buf);
  CHECKM(errs > 10 && oks > 10, "memory-error runs: %d failed, %d succeeded", errs, oks);
}

static int pcdecode (lua_State *L) {
  mast_json_error err;
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  int r = mast_json_decode_opt(L, s, len, MAST_JSON_COLUMNAR, &err);
  if (!r) lua_pushnil(L);
  return 1;
}

/* The columnar decode: its result, stack contract and memory errors */
static void test_columnar (void) {
  static const char ragged[] = "{\"data\":[{\"a\":1,\"b\":\"x\"},{\"b\":\"y\"},{\"c\":2.5,\"a\":3}],\"n\":1}";
  lua_State *L = new_state();
  mast_json_error err;
  char *buf;
  size_t n = 0, lim;
  int i, errs = 0, oks = 0;
  CHECK(mast_json_decode_opt(L, ragged, sizeof ragged - 1, MAST_JSON_COLUMNAR, &err) == 2);
  CHECK(lua_gettop(L) == 1);
  lua_getfield(L, 1, "data");  /* stack: v cols */
  lua_getfield(L, 2, "n");
  CHECK(lua_tointeger(L, -1) == 3);
  lua_getfield(L, 2, "data");  /* stack: v cols n data */
  lua_getfield(L, -1, "a");
  lua_rawgeti(L, -1, 2);
  CHECK(lua_type(L, -1) == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == NULL);
  lua_rawgeti(L, -2, 3);
  CHECK(lua_tointeger(L, -1) == 3);
  lua_getfield(L, -4, "c");
  CHECK(lua_rawlen(L, -1) == 3);
  lua_settop(L, 0);
  CHECK(mast_json_decode_opt(L, "{\"data\":[1]}", 12, MAST_JSON_COLUMNAR, &err) == 1);
  CHECK(lua_gettop(L) == 1);
  lua_settop(L, 0);
  CHECK(mast_json_decode_opt(L, "{\"data\":[{\"a\":1},]}", 19, MAST_JSON_COLUMNAR, &err) == 0);
  CHECK(lua_gettop(L) == 0 && err.offset == 17);
  lua_close(L);
  /* memory errors anywhere in a columnar decode leak nothing */
  buf = malloc(2000 * 80 + 64);
  n += (size_t)sprintf(buf + n, "{\"data\":[");
  for (i = 0; i < 2000; i++)
    n += (size_t)sprintf(buf + n, "%s{\"id\":%d,\"s\":\"v%d\",\"x\":%d.5%s}", i ? "," : "", i, i % 50,
                         i, (i % 7 == 0) ? ",\"late\":null" : "");
  n += (size_t)sprintf(buf + n, "]}");
  for (lim = 0; lim < 200000; lim += 1500) {
    limit l = {0, (size_t)-1};
    lua_State *M = lua_newstate(limited_alloc, &l);
    int st;
    if (!M) continue;
    luaL_openlibs(M);
    lua_pushcfunction(M, pcdecode);
    lua_pushlstring(M, buf, n);
    l.limit = l.used + lim;  /* from here on, allocations may fail */
    st = lua_pcall(M, 1, 1, 0);
    if (st == LUA_OK) { CHECK(lua_istable(M, -1)); oks++; }
    else { CHECK(st == LUA_ERRMEM); errs++; }
    l.limit = (size_t)-1;
    lua_close(M);
    CHECK(l.used == 0);
  }
  free(buf);
  CHECKM(errs > 10 && oks > 10, "columnar memory-error runs: %d failed, %d succeeded", errs, oks);
}

int main (int argc, char **argv) {
  const char *fixtures = (argc > 1) ? argv[1] : MAST_JSON_FIXTURES;
  const char *regressions = (argc > 2) ? argv[2] : MAST_JSON_REGRESSIONS;
  lua_State *L = new_state();
  test_numbers(L);
  test_numbers_random(L, 300000);
  test_strings(L);
  test_structure(L);
  test_cache_random(L);
  test_depth(L);
  test_big(L);
  test_encode(L);
  test_fixtures(L, fixtures);
  test_locale(L);
  CHECK(lua_gettop(L) == 0);
  lua_close(L);
  test_memory_errors(fixtures);
  test_columnar();
  test_error_stack();
  test_fuzz_finds(regressions);
  printf("test_json: %d passed, %d failed\n", n_checks - n_failed, n_failed);
  return n_failed == 0 ? 0 : 1;
}
