/*
** fuzz_json_number.c
** libFuzzer target for the Lua-free JSON number code (src/core/jsonnum.[ch]),
** linked without Lua. At every place in the input where a number could start
** (a '-' or a digit not preceded by a number's byte) the scanner must agree
** with an independent reading of the grammar; a number it accepts must equal
** what the C library reads from the same text (strtoll, or strtod in the "C"
** locale), be an integer exactly when it is an integer literal that fits
** int64 (and not "-0"), and be rejected as out of range exactly when strtod
** reads it as infinite. Every double it yields, and the first 8 input bytes
** taken as a double, must format to a text that scans back to the same bits
** and still reads as a float.
*/

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonnum.h"

#define CHECK_ABORTS
#include "../c/check.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int digit (int c) { return c >= '0' && c <= '9'; }

/* The reference reading: length of the number at p, or -1 for a syntax error
   (*at: where), -2 for a leading zero */
static long ref_scan (const char *p, const char *end, const char **at) {
  const char *q = p;
  if (q < end && *q == '-') q++;
  if (q >= end || !digit(*q)) { *at = q; return -1; }
  if (*q == '0') {
    if (q + 1 < end && digit(q[1])) return -2;
    q++;
  }
  else while (q < end && digit(*q)) q++;
  if (q < end && *q == '.') {
    q++;
    if (q >= end || !digit(*q)) { *at = q; return -1; }
    while (q < end && digit(*q)) q++;
  }
  if (q < end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < end && (*q == '+' || *q == '-')) q++;
    if (q >= end || !digit(*q)) { *at = q; return -1; }
    while (q < end && digit(*q)) q++;
  }
  return (long)(q - p);
}

static void check_format (double x, const char *from) {
  char out[48];
  size_t n = mastI_json_format_double(out, x);
  const char *stop;
  jsonnum v;
  CHECK(n > 0 && n < sizeof out && strlen(out) == n, "%s: length %zu", from, n);
  CHECK(strchr(out, '.') != NULL || strchr(out, 'e') != NULL, "%s: %s reads as an integer",
        from, out);
  CHECK(jsonnum_scan(out, out + n, &stop, &v) == JSONNUM_OK && stop == out + n && !v.isint,
        "%s: %s does not scan back as a float", from, out);
  CHECK(memcmp(&v.d, &x, sizeof x) == 0, "%s: %a formats as %s, which reads %a", from, x, out,
        v.d);
}

static void check_at (const char *s, const char *end) {
  const char *stop, *at = NULL;
  jsonnum v;
  int r = jsonnum_scan(s, end, &stop, &v);
  long want = ref_scan(s, end, &at);
  char text[4100], shown[48];
  size_t n = (size_t)(end - s) < 40 ? (size_t)(end - s) : 40;
  memcpy(shown, s, n);  /* the input is not NUL-terminated */
  shown[n] = '\0';
  if (want == -2) {
    CHECK(r == JSONNUM_LEADZERO && stop == s, "%s: result %d, want a leading-zero error", shown, r);
    return;
  }
  if (want == -1) {
    CHECK(r == JSONNUM_SYNTAX && stop == at, "%s: result %d, want a syntax error at %td", shown,
          r, at - s);
    return;
  }
  CHECK((r == JSONNUM_OK || r == JSONNUM_RANGE) && stop == s + want,
        "%s: result %d, length %td, want %ld", shown, r, stop - s, want);
  n = (size_t)want;
  memcpy(text, s, n);
  text[n] = '\0';
  if (r == JSONNUM_RANGE) {
    CHECK(isinf(strtod(text, NULL)), "%s: out of range, but strtod reads %a", text,
          strtod(text, NULL));
    return;
  }
  {
    int literal = strpbrk(text, ".eE") == NULL && strcmp(text, "-0") != 0;
    long long ll;
    errno = 0;
    ll = strtoll(text, NULL, 10);
    if (literal && errno == 0) {
      CHECK(v.isint && v.i == ll, "%s: integer %lld, want %lld", text, (long long)v.i, ll);
    }
    else {
      double want_d = strtod(text, NULL);
      CHECK(!v.isint, "%s: an integer (%lld), want a float", text, (long long)v.i);
      CHECK(!isinf(want_d), "%s: accepted, but strtod reads %a", text, want_d);
      CHECK(memcmp(&v.d, &want_d, sizeof want_d) == 0, "%s: got %a want %a", text, v.d, want_d);
      check_format(v.d, text);
    }
  }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  const char *s = (const char *)data, *end = s + size;
  size_t i;
  if (size > 4096) return 0;
  if (size >= 8) {
    double x;
    memcpy(&x, data, sizeof x);
    if (isfinite(x)) check_format(x, "raw bytes");
  }
  for (i = 0; i < size; i++) {
    int c = s[i];
    if ((c == '-' || digit(c)) &&
        (i == 0 || !(digit(s[i - 1]) || strchr("-+.eE", s[i - 1]) != NULL) ||
         s[i - 1] == '\0'))
      check_at(s + i, end);
  }
  return 0;
}
