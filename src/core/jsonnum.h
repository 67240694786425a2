/*
** jsonnum.h -- JSON numbers and UTF-8, without Lua: the number scanner (inline:
** it is the decoder's hot path), correctly rounded decimal to double, the
** shortest round-trip form of a double, and UTF-8 sequence checks. Internal to
** mast (the codec in src/bind/json.c, the fuzz targets); nothing here is API.
** No global mutable state, no locale-dependent result, no allocation.
*/
#ifndef MAST_JSONNUM_H
#define MAST_JSONNUM_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Internal symbols: hidden from the shared library's exports */
#ifndef MAST_INTERNAL
#if defined(__GNUC__)
#define MAST_INTERNAL __attribute__((visibility("hidden")))
#else
#define MAST_INTERNAL
#endif
#endif

#define JSONNUM_ISDIGIT(c)  ((unsigned)((unsigned char)(c) - '0') < 10u)

/* Results of jsonnum_scan */
enum { JSONNUM_OK, JSONNUM_SYNTAX, JSONNUM_LEADZERO, JSONNUM_RANGE };

typedef struct jsonnum {
  int isint;        /* 1: value in i; 0: value in d */
  int64_t i;
  double d;
} jsonnum;

/* 10^0 .. 10^22, all exact doubles (jsonnum.c) */
MAST_INTERNAL extern const double mastI_json_pow10[23];

/*
** The number whose digits are ip[0,ni) (integer part) and fp[0,nf) (fraction)
** times 10^ex, correctly rounded (+inf when it overflows); w holds the digits
** when ni + nf <= 19. The paths jsonnum_fast cannot take: Eisel-Lemire, then
** strtod on a rewritten copy.
*/
MAST_INTERNAL double mastI_json_decimal (const char *ip, size_t ni, const char *fp,
                                         size_t nf, int64_t ex, uint64_t w);

/*
** x (finite) in the shortest of %.15g, %.16g, %.17g that reads back as x, with
** '.' whatever the locale's decimal point, and ".0" added when it would read as
** an integer. out needs 48 bytes; returns the length (out is NUL-terminated).
*/
MAST_INTERNAL size_t mastI_json_format_double (char *out, double x);

/* Code point cp (< 0x110000, not a surrogate) as UTF-8 at out (1..4 bytes);
   returns the length */
MAST_INTERNAL size_t mastI_json_utf8_put (char *out, unsigned long cp);

/* Clinger's fast path: w * 10^q when one IEEE operation rounds it correctly
   (w <= 2^53, |q| <= 22; or w == 0). 0 when it does not apply. */
static inline int jsonnum_fast (uint64_t w, int64_t q, double *x) {
  if (w == 0) { *x = 0.0; return 1; }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
  if (w <= ((uint64_t)1 << 53) && q >= -22 && q <= 22) {
    *x = (q < 0) ? (double)w / mastI_json_pow10[-q] : (double)w * mastI_json_pow10[q];
    return 1;
  }
#endif
  return 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JSONNUM_SWAR 1

/* Eight ASCII digits at p, as a number, in *v; 0 when they are not all digits */
static inline int jsonnum_eight_digits (const char *p, uint64_t *v) {
  uint64_t x;
  memcpy(&x, p, 8);  /* first digit in the low byte */
  if ((x & 0xf0f0f0f0f0f0f0f0u) != 0x3030303030303030u ||
      ((x + 0x0606060606060606u) & 0xf0f0f0f0f0f0f0f0u) != 0x3030303030303030u)
    return 0;  /* (a byte 0x30..0x3f gains no carry from +6; above 0x39 it leaves 0x3_) */
  x -= 0x3030303030303030u;  /* bytes d0..d7, each 0..9 */
  /* byte 2k becomes d(2k)*10 + d(2k+1) (< 100: no carries), keep those */
  x = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffu;
  /* 16-bit lane 2k becomes lane(2k)*100 + lane(2k+1) (< 10000) */
  x = (x * 100 + (x >> 16)) & 0x0000ffff0000ffffu;
  *v = (x & 0xffffffffu) * 10000 + (x >> 32);
  return 1;
}
#endif

/*
** Scan a JSON number at s (grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?).
** Sets *stop to the first byte after it (or to the offending byte on a syntax
** error) and returns JSONNUM_OK, JSONNUM_SYNTAX, JSONNUM_LEADZERO or
** JSONNUM_RANGE (the value rounds to infinity). An integer literal (no '.', no
** exponent) that fits int64 gives an integer (v->isint); "-0" and every other
** number give the correctly rounded double.
*/
static inline int jsonnum_scan (const char *s, const char *end, const char **stop,
                                jsonnum *v) {
  const char *p = s, *ip, *fp = NULL;
  size_t ni, nf = 0;
  uint64_t w = 0;
  int64_t ex = 0;
  int neg = 0, isint = 1;
  double x;
  if (p < end && *p == '-') { neg = 1; p++; }
  ip = p;
  if (p >= end || !JSONNUM_ISDIGIT(*p)) { *stop = p; return JSONNUM_SYNTAX; }
  if (*p == '0') {
    p++;
    if (p < end && JSONNUM_ISDIGIT(*p)) { *stop = s; return JSONNUM_LEADZERO; }
  }
  else {
#if defined(JSONNUM_SWAR)
    uint64_t v8;
    while (end - p >= 8 && jsonnum_eight_digits(p, &v8)) { w = w * 100000000u + v8; p += 8; }
#endif
    while (p < end && JSONNUM_ISDIGIT(*p)) { w = w * 10 + (uint64_t)(*p - '0'); p++; }
  }
  ni = (size_t)(p - ip);
  if (p < end && *p == '.') {
    fp = ++p;
#if defined(JSONNUM_SWAR)
    {
      uint64_t v8;
      while (end - p >= 8 && jsonnum_eight_digits(p, &v8)) { w = w * 100000000u + v8; p += 8; }
    }
#endif
    while (p < end && JSONNUM_ISDIGIT(*p)) { w = w * 10 + (uint64_t)(*p - '0'); p++; }
    nf = (size_t)(p - fp);
    if (nf == 0) { *stop = p; return JSONNUM_SYNTAX; }
    isint = 0;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    int eneg = 0;
    p++;
    if (p < end && (*p == '+' || *p == '-')) { eneg = (*p == '-'); p++; }
    if (p >= end || !JSONNUM_ISDIGIT(*p)) { *stop = p; return JSONNUM_SYNTAX; }
    do {
      if (ex < 1000000000) ex = ex * 10 + (*p - '0');  /* saturate */
      p++;
    } while (p < end && JSONNUM_ISDIGIT(*p));
    if (eneg) ex = -ex;
    isint = 0;
  }
  *stop = p;
  if (isint && ni <= 19 && !(neg && w == 0)) {  /* "-0" is the float -0.0 */
    if (!neg && w <= (uint64_t)INT64_MAX) {
      v->isint = 1; v->i = (int64_t)w;
      return JSONNUM_OK;
    }
    if (neg && w <= (uint64_t)INT64_MAX + 1) {
      v->isint = 1;
      v->i = (w > (uint64_t)INT64_MAX) ? INT64_MIN : -(int64_t)w;
      return JSONNUM_OK;
    }
  }
  v->isint = 0;
  /* w holds every digit exactly when there are at most 19 */
  if (ni + nf > 19 || !jsonnum_fast(w, ex - (int64_t)nf, &x))
    x = mastI_json_decimal(ip, ni, fp, nf, ex, w);
  if (x > DBL_MAX) return JSONNUM_RANGE;
  v->d = neg ? -x : x;
  return JSONNUM_OK;
}

/*
** Length (2..4) of the valid UTF-8 sequence at p (*p >= 0x80), or 0 when it is
** not one (stray continuation byte, overlong form, surrogate, > U+10FFFF,
** truncated sequence, 0xF5..0xFF).
*/
static inline int jsonnum_utf8_len (const unsigned char *p, const unsigned char *end) {
  unsigned c = p[0], c1;
  size_t avail = (size_t)(end - p);
  if (c < 0xc2) return 0;
  if (c < 0xe0)
    return (avail >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;
  if (avail < 2) return 0;
  c1 = p[1];
  if (c < 0xf0) {
    if (avail < 3 || (p[2] & 0xc0) != 0x80) return 0;
    if (c == 0xe0) return (c1 >= 0xa0 && c1 <= 0xbf) ? 3 : 0;
    if (c == 0xed) return (c1 >= 0x80 && c1 <= 0x9f) ? 3 : 0;
    return ((c1 & 0xc0) == 0x80) ? 3 : 0;
  }
  if (c < 0xf5) {
    if (avail < 4 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80) return 0;
    if (c == 0xf0) return (c1 >= 0x90 && c1 <= 0xbf) ? 4 : 0;
    if (c == 0xf4) return (c1 >= 0x80 && c1 <= 0x8f) ? 4 : 0;
    return ((c1 & 0xc0) == 0x80) ? 4 : 0;
  }
  return 0;
}

#endif
