/*
** bench_json.c
** Decode a generated MAST-like JSON response (50,000 rows x 30 columns, ~38 MB by
** default) with mast_json_decode and with lua-cjson's cjson.decode; report the
** best and median times and the Lua heap each result takes, and check that both
** decodes agree on every value except the 64-bit ids that cjson rounds; then
** time encoding the decoded response back with both.
**
** usage: bench_json [rows [runs]]     (defaults: 50000 rows, 7 runs each)
** Exit status: 0 when the decodes agree (whatever the timings), 1 otherwise.
*/

#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "lua-cjson.h"

#include "json.h"

/* ---- deterministic generator ---- */

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t rnd (void) {
  uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double unit (void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

typedef struct sbuf { char *p; size_t n, cap; } sbuf;

static void put (sbuf *b, const char *s, size_t k) {
  if (b->n + k + 1 > b->cap) {
    b->cap = (b->cap + k + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) { fprintf(stderr, "out of memory\n"); exit(2); }
  }
  memcpy(b->p + b->n, s, k);
  b->n += k;
  b->p[b->n] = '\0';
}

static void puts_ (sbuf *b, const char *s) { put(b, s, strlen(s)); }

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void putf (sbuf *b, const char *fmt, ...);

#include <stdarg.h>
static void putf (sbuf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  int k;
  va_start(ap, fmt);
  k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k > 0) put(b, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

static const char *const collections[] = {"HST", "TESS", "GALEX", "JWST", "Kepler", "PS1", "SWIFT"};
static const char *const instruments[] = {"WFPC2/WFC", "ACS/WFC", "STIS/CCD", "WFC3/IR", "NIRCAM/IMAGE", "Photometer"};
static const char *const ptypes[] = {"image", "spectrum", "timeseries", "cube"};
static const char *const regions[] = {"OPTICAL", "INFRARED", "UV", "X-RAY"};
static const char *const filters[] = {"F814W", "F606W", "F555W;F814W", "CLEAR", "NUV", "TESS"};
static const char *const pis[] = {"Griffiths", "Osten", "Smith, John", "M\\u00fcller", "Garc\\u00eda", "Lee"};

/* A 17-significant-digit double in MAST's .NET style */
static void put17 (sbuf *b, double x) { putf(b, "%.17g", x); }

static void gen_response (sbuf *b, long rows, int64_t *ids) {
  long i;
  puts_(b, "{\"status\" : \"COMPLETE\",\"msg\" : \"\",\"data\":[");
  for (i = 0; i < rows; i++) {
    double ra = unit() * 360, dec = unit() * 180 - 90;
    double tmin = 49000 + unit() * 12000;
    uint64_t r = rnd();
    int64_t gaia = 5853498713190525696LL + (int64_t)(rnd() % 1000000000000000ULL) * 1000;
    ids[i] = gaia;
    if (i) puts_(b, ",");
    putf(b, "{\"dataproduct_type\":\"%s\",\"obs_collection\":\"%s\",\"instrument_name\":\"%s\","
            "\"filters\":\"%s\",\"wavelength_region\":\"%s\",",
         ptypes[r % 4], collections[(r >> 4) % 7], instruments[(r >> 8) % 6],
         filters[(r >> 12) % 6], regions[(r >> 16) % 4]);
    putf(b, "\"target_name\":\"TARGET-%ld\",\"target_classification\":\"%s\",\"obs_id\":\"U%07lXT\",",
         (long)(r >> 20) % 5000, (r >> 33) & 1 ? "STARS;GALAXIES" : "ACTIVE GALAXIES;GALAXIES;STARS",
         (unsigned long)((r >> 24) & 0xfffffff));
    puts_(b, "\"s_ra\":"); put17(b, ra);
    puts_(b, ",\"s_dec\":"); put17(b, dec);
    putf(b, ",\"proposal_id\":\"%d\",\"proposal_pi\":\"%s\",\"calib_level\":%d,",
         (int)((r >> 40) % 20000), pis[(r >> 45) % 6], (int)((r >> 50) % 4));
    putf(b, "\"t_min\":%.5f,\"t_max\":%.5f,\"t_exptime\":%d,", tmin, tmin + unit() * 0.05,
         (int)((r >> 52) % 3000));
    puts_(b, "\"em_min\":"); put17(b, 200 + unit() * 800);
    puts_(b, ",\"em_max\":"); put17(b, 1000 + unit() * 1000);
    putf(b, ",\"obs_title\":\"SURVEY OF FIELD %ld: CYCLE %d\",\"t_obs_release\":%.5f,",
         (long)(r % 100000), (int)((r >> 30) % 30), tmin + 365);
    if ((r >> 5) & 1)
      putf(b, "\"s_region\":\"POLYGON ICRS %.8f %.8f %.8f %.8f %.8f %.8f %.8f %.8f\",",
           ra - 0.01, dec - 0.01, ra + 0.01, dec - 0.01, ra + 0.01, dec + 0.01, ra - 0.01, dec + 0.01);
    else
      putf(b, "\"s_region\":\"CIRCLE ICRS %.8f %.8f 0.00694444\",", ra, dec);
    /* URLs are unique per row, like the obs_id they are made from */
    if ((r >> 7) & 1) puts_(b, "\"jpegURL\":null,");
    else putf(b, "\"jpegURL\":\"https://archive.stsci.edu/hst/previews/U%03lX/U%07lXT.jpg\",",
              (unsigned long)((r >> 24) & 0xfff), (unsigned long)((r >> 24) & 0xfffffff));
    if ((r >> 9) & 1) puts_(b, "\"dataURL\":null,");
    else putf(b, "\"dataURL\":\"mast:HST/product/u%07lxt_drz.fits\",",
              (unsigned long)((r >> 24) & 0xfffffff));
    putf(b, "\"obsid\":%lld,\"objID\":%lld,\"source_id\":%lld,",
         (long long)(2000000000 + (r % 1000000000)), (long long)(10000000000LL + (long long)(r % 100000000000LL)),
         (long long)gaia);
    puts_(b, "\"distance\":"); put17(b, unit() * 1000);
    putf(b, ",\"dataRights\":\"%s\",\"mtFlag\":%s,\"_selected_\":null}",
         (r >> 13) & 1 ? "PUBLIC" : "EXCLUSIVE",
         (r >> 14) & 1 ? "true" : "false");
  }
  puts_(b, "],\"fields\":[");
  {
    static const char *const f[] = {
      "dataproduct_type", "obs_collection", "instrument_name", "filters",
      "wavelength_region", "target_name", "target_classification", "obs_id", "s_ra", "s_dec",
      "proposal_id", "proposal_pi", "calib_level", "t_min", "t_max", "t_exptime", "em_min",
      "em_max", "obs_title", "t_obs_release", "s_region", "jpegURL", "dataURL", "obsid",
      "objID", "source_id", "distance", "dataRights", "mtFlag", "_selected_"};
    size_t k;
    for (k = 0; k < sizeof f / sizeof f[0]; k++)
      putf(b, "%s{\"name\":\"%s\",\"type\":\"string\"}", k ? "," : "", f[k]);
  }
  putf(b, "],\"paging\":{\"page\":1,\"pageSize\":%ld,\"pagesFiltered\":1,\"rows\":%ld,"
          "\"rowsFiltered\":%ld,\"rowsTotal\":%ld}}", rows, rows, rows, rows);
}

/* ---- timing ---- */

static double now (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t heap (lua_State *L) {
  return (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
}

static int cmp_double (const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct result { double t[64], best, median; size_t heap; } result;

/* One timed decode. stack: json cjson_decode; which: 0 = mast, 1 = cjson.
   The heap the result takes is measured after a full collection with the
   result still on the stack; the result is then dropped. */
static void run_once (lua_State *L, int which, result *r, int i) {
  size_t len, h0;
  const char *s = lua_tolstring(L, 1, &len);
  double t0;
  lua_settop(L, 2);
  lua_gc(L, LUA_GCCOLLECT, 0);
  h0 = heap(L);
  t0 = now();
  if (which == 0) {
    mast_json_error err;
    if (!mast_json_decode(L, s, len, &err)) {
      fprintf(stderr, "decode failed: %s\n", err.msg);
      exit(1);
    }
  }
  else {
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
  }
  r->t[i] = now() - t0;
  lua_gc(L, LUA_GCCOLLECT, 0);  /* the result is still on the stack */
  r->heap = heap(L) - h0;
  lua_settop(L, 2);
}

static void summarize (result *r, int runs) {
  qsort(r->t, (size_t)runs, sizeof r->t[0], cmp_double);
  r->best = r->t[0];
  r->median = r->t[runs / 2];
}

/* ---- agreement check ---- */

typedef struct diffs { long values, mangled, bad; } diffs;

static void compare (lua_State *L, int a, int b, diffs *d, const char *where) {
  int ta = lua_type(L, a), tb = lua_type(L, b);
  a = lua_absindex(L, a);
  b = lua_absindex(L, b);
  d->values++;
  if (ta == LUA_TNUMBER && tb == LUA_TNUMBER) {
    double y = lua_tonumber(L, b);
    if (lua_isinteger(L, a)) {
      lua_Integer i = lua_tointeger(L, a);
      if ((double)i == y && (i < -9007199254740992LL || i > 9007199254740992LL)) {
        /* equal as doubles, but cjson's double may not be this integer */
        if (fabs(y) >= 9.2e18 || (lua_Integer)y != i) d->mangled++;
      }
      else if ((double)i != y) {
        if (d->bad++ < 10) printf("  %s: %lld vs %.17g\n", where, (long long)i, y);
      }
    }
    else {
      double x = lua_tonumber(L, a);
      if (memcmp(&x, &y, sizeof x) != 0 && d->bad++ < 10)
        printf("  %s: %.17g vs %.17g\n", where, x, y);
    }
    return;
  }
  if (ta != tb) {
    if (d->bad++ < 10) printf("  %s: type %s vs %s\n", where, lua_typename(L, ta), lua_typename(L, tb));
    return;
  }
  if (ta == LUA_TTABLE) {
    long na = 0, nb = 0;
    lua_checkstack(L, 6);
    lua_pushnil(L);
    while (lua_next(L, a)) {  /* stack: k va */
      char w[200];
      na++;
      if (lua_type(L, -2) == LUA_TSTRING)
        snprintf(w, sizeof w, "%.150s.%.40s", where, lua_tostring(L, -2));
      else
        snprintf(w, sizeof w, "%.150s[%lld]", where, (long long)lua_tointeger(L, -2));
      lua_pushvalue(L, -2);
      lua_rawget(L, b);  /* stack: k va vb */
      compare(L, -2, -1, d, w);
      lua_pop(L, 2);
    }
    lua_pushnil(L);
    while (lua_next(L, b)) { nb++; lua_pop(L, 1); }
    if (na != nb && d->bad++ < 10) printf("  %s: %ld vs %ld entries\n", where, na, nb);
    return;
  }
  if (!lua_rawequal(L, a, b) && d->bad++ < 10) printf("  %s: values differ\n", where);
}

int main (int argc, char **argv) {
  long rows = (argc > 1) ? atol(argv[1]) : 50000;
  int runs = (argc > 2) ? atoi(argv[2]) : 7;
  sbuf b = {NULL, 0, 0};
  int64_t *ids;
  lua_State *L;
  result rm, rc;
  diffs d = {0, 0, 0};
  long i, idbad = 0;
  if (rows < 1) rows = 1;
  if (runs < 1) runs = 1;
  if (runs > 64) runs = 64;
  ids = malloc((size_t)rows * sizeof *ids);
  gen_response(&b, rows, ids);
  L = luaL_newstate();
  luaL_openlibs(L);
  mast_json_init(L);
  lua_pushlstring(L, b.p, b.n);  /* stack: json */
  free(b.p);
  luaL_requiref(L, "cjson", luaopen_cjson, 0);  /* stack: json cjson */
  lua_getfield(L, -1, "decode");  /* stack: json cjson decode */
  lua_remove(L, -2);  /* stack: json decode */
  {
    size_t len;
    lua_tolstring(L, 1, &len);
    printf("input: %ld rows x 30 columns, %.1f MB, %d runs each\n", rows, (double)len / 1e6, runs);
    /* interleaved, alternating which goes first, so that both decoders see
       the same machine load */
    for (i = 0; i < runs; i++) {
      run_once(L, (int)(i & 1), (i & 1) ? &rc : &rm, (int)i);
      run_once(L, (int)!(i & 1), (i & 1) ? &rm : &rc, (int)i);
    }
    summarize(&rc, runs);
    summarize(&rm, runs);
    printf("cjson.decode      best %.3f s  median %.3f s  heap %.1f MB  (%.0f MB/s)\n",
           rc.best, rc.median, (double)rc.heap / 1048576, (double)len / 1e6 / rc.best);
    printf("mast_json_decode  best %.3f s  median %.3f s  heap %.1f MB  (%.0f MB/s)\n",
           rm.best, rm.median, (double)rm.heap / 1048576, (double)len / 1e6 / rm.best);
    printf("heap bytes: cjson %zu, mast %zu\n", rc.heap, rm.heap);
    printf("speed-up          best %.2fx  median %.2fx; heap ratio %.3f\n",
           rc.best / rm.best, rc.median / rm.median, (double)rm.heap / (double)rc.heap);
  }
  /* agreement */
  lua_settop(L, 2);  /* stack: json decode */
  {
    mast_json_error err;
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (!mast_json_decode(L, s, len, &err)) {  /* stack: json decode mresult */
      fprintf(stderr, "decode failed: %s\n", err.msg);
      return 1;
    }
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);  /* stack: json decode mresult cjresult */
  compare(L, 3, 4, &d, "response");
  lua_getfield(L, 3, "data");  /* stack: json decode mresult cjresult data */
  for (i = 0; i < rows; i++) {
    lua_rawgeti(L, -1, i + 1);
    lua_getfield(L, -1, "source_id");
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) != ids[i]) idbad++;
    lua_pop(L, 2);
  }
  printf("agreement: %ld values compared, %ld 64-bit ids rounded by cjson, %ld other differences; "
         "%ld source_id values not exact in mast_json_decode\n", d.values, d.mangled, d.bad, idbad);
  /* encoding the decoded response back, interleaved likewise (the
     encoder's number formatting and UTF-8 checks are timed here) */
  lua_settop(L, 4);  /* stack: json decode mresult cjresult */
  luaL_requiref(L, "cjson", luaopen_cjson, 0);
  lua_getfield(L, -1, "encode");
  lua_replace(L, 1);  /* stack: encode decode mresult cjresult cjson */
  lua_settop(L, 4);
  {
    result em, ec;
    size_t mlen = 0;
    for (i = 0; i < runs; i++) {
      int k;
      for (k = 0; k < 2; k++) {
        double t0 = now();
        if ((k ^ (int)(i & 1)) == 0) {
          mast_json_error err;
          if (!mast_json_encode(L, 3, "response", &err)) {
            fprintf(stderr, "encode failed: %s\n", err.msg);
            return 1;
          }
          em.t[i] = now() - t0;
          lua_tolstring(L, -1, &mlen);
        }
        else {
          lua_pushvalue(L, 1);
          lua_pushvalue(L, 4);
          lua_call(L, 1, 1);
          ec.t[i] = now() - t0;
        }
        lua_settop(L, 4);
      }
    }
    summarize(&ec, runs);
    summarize(&em, runs);
    printf("cjson.encode      best %.3f s  median %.3f s\n", ec.best, ec.median);
    printf("mast_json_encode  best %.3f s  median %.3f s  (%.0f MB/s)\n", em.best, em.median,
           (double)mlen / 1e6 / em.best);
  }
  free(ids);
  lua_close(L);
  return (d.bad == 0 && idbad == 0) ? 0 : 1;
}
