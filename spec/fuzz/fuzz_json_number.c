/*
** fuzz_json_number.c
** libFuzzer target: any input that decodes to a number must equal what the C
** library reads from the same text (strtod / strtoll in the "C" locale), and
** numbers that strtod reads as infinite must be rejected.
*/

#include <errno.h>
#include <math.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_heap h;
  lua_State *L;
  mast_json_error err;
  char *s;
  if (size > 4096) return 0;
  L = fuzz_state(&h);
  if (L == NULL) return 0;
  s = malloc(size + 1);
  memcpy(s, data, size);
  s[size] = '\0';
  if (mast_json_decode(L, s, size, &err)) {
    if (lua_type(L, -1) == LUA_TNUMBER && memchr(s, '\0', size) == NULL) {
      const char *p = s;
      if (size >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;  /* BOM */
      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
      if (lua_isinteger(L, -1)) {
        long long want;
        errno = 0;
        want = strtoll(p, NULL, 10);
        FUZZ_ASSERT(errno == 0 && want == lua_tointeger(L, -1), "%s: integer %lld",
                    s, (long long)lua_tointeger(L, -1));
      }
      else {
        double want = strtod(p, NULL), got = lua_tonumber(L, -1);
        FUZZ_ASSERT(memcmp(&want, &got, sizeof got) == 0, "%s: got %a want %a", s, got, want);
      }
    }
    lua_pop(L, 1);
  }
  else if (strstr(err.msg, "out of the double range") != NULL) {
    FUZZ_ASSERT(fabs(strtod(s + err.offset, NULL)) > 1.7976931348623157e308, "%s: %s", s, err.msg);
  }
  free(s);
  lua_close(L);
  return 0;
}
