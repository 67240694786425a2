/*
** fuzz_urlencode.c
** libFuzzer target: URL and form encoding (mast_urlencode, src/core/url.c),
** and the token scrubber that keeps the token out of every message
** (mast_scrub).
**
** The first byte picks the mode, the rest is the text:
**   0: a URI path, safe "/" (what query bodies use)
**   1: a mast: URI in a download URL, safe ":/"
**   2: a form field value (bundle uri= fields), safe "" (nothing is safe)
**   3: default safe set (NULL, which means "/")
**   4: the scrubber: text is "<token>\n<message>"
** Encoding checks: the output is exactly as long as reported, holds no NUL,
** only unreserved bytes, bytes of the safe set and %XX with upper-case hex;
** every other byte was escaped; a form value contains none of & = + # ? or
** space; decoding gives back the input, byte for byte; and an independent
** encoder written here agrees. Scrubbing: the message comes back with the
** token, and every piece of it of 8 bytes or more (an excerpt may cut it),
** replaced by "<token>", so the output holds neither (unless the token is
** shorter than 4 bytes, which is not scrubbed, or is part of the placeholder
** "<token>" or holds '<' or '>', so that the placeholder itself could spell
** it), and a message without any of it comes back unchanged. Every allocation goes through the
** context's allocator, which must be empty once the context is freed.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CHECK_ABORTS
#include "../c/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static counted_heap heap;

static int unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;   /* lower case is not what mast sends */
}

static void check_encoding(mast_ctx *ctx, const char *s, size_t len, const char *safe) {
  size_t outlen = (size_t)-1, i, j;
  const char *set = safe ? safe : "/";
  char *out = mast_urlencode(ctx, s, len, safe, &outlen), *ref, *back;
  CHECK(out != NULL, "out of memory for %zu bytes", len);
  CHECK(strlen(out) == outlen, "reported %zu bytes, holds %zu", outlen, strlen(out));
  CHECK(outlen <= 3 * len, "%zu bytes from %zu", outlen, len);
  /* an independent encoder */
  ref = malloc(3 * len + 1);
  for (i = j = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (unreserved(c) || (c != 0 && strchr(set, c) != NULL)) ref[j++] = (char)c;
    else j += (size_t)sprintf(ref + j, "%%%02X", c);
  }
  ref[j] = '\0';
  CHECK(j == outlen && memcmp(ref, out, j) == 0, "differs from the reference encoder");
  free(ref);
  /* what may appear, and decoding */
  back = malloc(len + 1);
  for (i = j = 0; i < outlen; i++) {
    unsigned char c = (unsigned char)out[i];
    if (c == '%') {
      int hi, lo;
      CHECK(i + 2 < outlen && (hi = hexval(out[i + 1])) >= 0 && (lo = hexval(out[i + 2])) >= 0,
            "bad escape at %zu", i);
      back[j] = (char)(hi * 16 + lo);
      CHECK(!(unreserved((unsigned char)back[j]) ||
              (back[j] != 0 && strchr(set, back[j]) != NULL)),
            "byte 0x%02x escaped though safe", (unsigned char)back[j]);
      j++;
      i += 2;
    } else {
      CHECK(unreserved(c) || strchr(set, c) != NULL, "byte 0x%02x not escaped", c);
      back[j++] = (char)c;
    }
  }
  CHECK(j == len && memcmp(back, s, len) == 0, "decoding does not give the input back");
  free(back);
  if (safe != NULL && *safe == '\0')
    CHECK(strpbrk(out, "&=+#? /:") == NULL, "a form value lets a separator through: %s", out);
  mast_free(ctx, out);
}

static int contains(const char *hay, size_t n, const char *needle, size_t m) {
  size_t i;
  if (m == 0 || m > n) return 0;
  for (i = 0; i + m <= n; i++)
    if (memcmp(hay + i, needle, m) == 0) return 1;
  return 0;
}

/* Whether text holds the token or a piece of it of min(tl, 8) bytes. */
static int holds_token(const char *text, size_t n, const char *token, size_t tl) {
  size_t w = tl < MAST_TOKEN_RUN ? tl : MAST_TOKEN_RUN, i;
  for (i = 0; i + w <= tl; i++)
    if (contains(text, n, token + i, w)) return 1;
  return 0;
}

static void check_scrub(mast_ctx *ctx, const char *s, size_t len) {
  const char *nl = memchr(s, '\n', len);
  char token[512], err[300], *msg, *out;
  size_t tl, ml, ol;
  if (nl == NULL || (size_t)(nl - s) >= sizeof token) return;
  tl = (size_t)(nl - s);
  memcpy(token, s, tl);
  token[tl] = '\0';
  if (strlen(token) != tl) return;   /* a NUL inside: not a C string */
  if (mast_config_set(ctx, "token", token, err, sizeof err) != MAST_OK) return;
  ml = len - tl - 1;
  msg = malloc(ml + 1);
  memcpy(msg, nl + 1, ml);
  msg[ml] = '\0';
  ml = strlen(msg);   /* messages are C strings */
  out = mast_scrub(ctx, msg);
  CHECK(out != NULL, "out of memory");
  ol = strlen(out);
  if (tl >= 4) {
    if (strpbrk(token, "<>") == NULL && strstr("<token>", token) == NULL)
      CHECK(!holds_token(out, ol, token, tl), "the token survives scrubbing: [%s] in [%s]", token,
            out);
    if (!holds_token(msg, ml, token, tl))
      CHECK(ol == ml && memcmp(out, msg, ml) == 0, "a message without the token was changed");
    else
      CHECK(strstr(out, "<token>") != NULL, "the token was not replaced");
  } else {
    CHECK(ol == ml && memcmp(out, msg, ml) == 0, "a short token changed the message");
  }
  mast_strfree(ctx, out);
  free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const safes[] = {"/", ":/", "", NULL};
  mast_ctx *ctx;
  const char *s = (const char *)data + 1;
  size_t len;
  if (size == 0 || size > 65536) return 0;
  len = size - 1;
  heap.live = 0;
  ctx = mast_ctx_new(counted_alloc, &heap);
  CHECK(ctx != NULL, "mast_ctx_new");
  if (data[0] % 5 < 4) check_encoding(ctx, s, len, safes[data[0] % 5]);
  else check_scrub(ctx, s, len);
  mast_ctx_free(ctx);
  CHECK(heap.live == 0, "%lld bytes left allocated", heap.live);
  return 0;
}
