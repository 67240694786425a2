/*
** fuzz_utf8.c
** libFuzzer target for the Lua-free UTF-8 code of the JSON codec
** (src/core/jsonnum.h: jsonnum_utf8_len; jsonnum.c: mastI_json_utf8_put),
** linked without Lua. Walking the input, the length given for every byte
** >= 0x80 must be what an independent decoder says (the sequence's length
** when it is the shortest form of a code point up to U+10FFFF that is not a
** surrogate, else 0), and encoding that code point must give back the same
** bytes. Every code point made from three input bytes must encode to a
** sequence the check accepts whole and decodes to the same code point.
*/

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonnum.h"

#define CHECK_ABORTS
#include "../c/check.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The reference decoder: the length of the valid sequence at p (code point
   in *cp), or 0 */
static int ref_decode (const uint8_t *p, const uint8_t *end, unsigned long *cp) {
  static const unsigned long least[5] = {0, 0, 0x80, 0x800, 0x10000};
  int len, i;
  unsigned long c;
  if (p[0] >= 0xf8) return 0;
  if (p[0] >= 0xf0) { len = 4; c = p[0] & 0x07u; }
  else if (p[0] >= 0xe0) { len = 3; c = p[0] & 0x0fu; }
  else if (p[0] >= 0xc0) { len = 2; c = p[0] & 0x1fu; }
  else return 0;  /* ASCII is not asked; 0x80..0xbf continue, never lead */
  if (end - p < len) return 0;
  for (i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    c = (c << 6) | (p[i] & 0x3fu);
  }
  if (c < least[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
  *cp = c;
  return len;
}

static void check_cp (unsigned long cp) {
  char out[4];
  unsigned long back = 0;
  size_t n = mastI_json_utf8_put(out, cp);
  size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  CHECK(n == want, "U+%04lX: %zu bytes, want %zu", cp, n, want);
  if (cp < 0x80) {
    CHECK((unsigned char)out[0] == cp, "U+%04lX: byte %02x", cp, (unsigned char)out[0]);
    return;
  }
  CHECK(jsonnum_utf8_len((const unsigned char *)out, (const unsigned char *)out + n) == (int)n,
        "U+%04lX: its own encoding is refused", cp);
  CHECK(ref_decode((const uint8_t *)out, (const uint8_t *)out + n, &back) == (int)n &&
        back == cp, "U+%04lX: encodes to the sequence of U+%04lX", cp, back);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  const uint8_t *end = data + size;
  size_t i;
  for (i = 0; i < size;) {
    unsigned long cp = 0;
    int got, want;
    if (data[i] < 0x80) { i++; continue; }
    got = jsonnum_utf8_len(data + i, end);
    want = ref_decode(data + i, end, &cp);
    CHECK(got == want, "byte offset %zu (0x%02x): length %d, want %d", i, data[i], got, want);
    if (want > 0) {
      char out[4];
      CHECK(mastI_json_utf8_put(out, cp) == (size_t)want && memcmp(out, data + i, (size_t)want) == 0,
            "byte offset %zu: U+%04lX encodes differently", i, cp);
      i += (size_t)want;
    }
    else i++;
  }
  for (i = 0; i + 3 <= size; i += 3) {
    unsigned long cp = (((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8) |
                        data[i + 2]) % 0x110000;
    if (cp < 0xd800 || cp > 0xdfff) check_cp(cp);
  }
  return 0;
}
