/*
** sky.c -- the kernel of mast.sky.match (lua/mast/sky.lua): every pair of
** positions of two lists within a radius on the sky.
**
**   core.sky_match(a, b, radius_deg, all) -> ia, ib, sep_arcsec, bad_a, bad_b
**
** a and b describe one side each, as columns {ra = array, dec = array [, n =]}
** or as rows {rows = array of tables, ra = "key", dec = "key" [, n =]}.
** ia/ib are 1-based row numbers, sep the separations in arcseconds, ordered
** by ia, then by separation, then by ib. With all false, each row of a keeps
** only its nearest row of b (ties: the lower row of b). A position that is
** not two numbers (null, a string, NaN, inf, |dec| > 90) matches nothing and
** is counted in bad_a / bad_b.
**
** How: b is sorted into declination zones of height >= radius, each zone by
** right ascension. A row of a looks in the zones its circle touches, in the
** right-ascension window of that circle (asin(sin r / cos dec), across
** 0/360; the whole zone when the circle holds a pole), and keeps what is
** within the radius by Vincenty's formula (stable for tiny and antipodal
** separations, like mast.coords.separation). Every buffer is Lua-owned
** userdata, so a Lua error (memory, a row's field) leaks nothing.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"

#define DEG (3.14159265358979323846 / 180.0)
#define MAX_ZONES (1 << 22)
#define MAX_ROWS INT32_MAX

typedef struct point {
  double ra, dec;   /* degrees, ra in [0, 360) */
  int32_t row;      /* 1-based */
  int32_t zone;
} point;

typedef struct pair {
  int32_t ia, ib;
  double sep;       /* degrees */
} pair;

/* A growable array in a userdata at stack slot `slot` (replaced as it grows). */
typedef struct vec {
  int slot;
  size_t n, cap, size;
  void *p;
} vec;

static void *vec_push(lua_State *L, vec *v) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    void *p;
    if (cap > SIZE_MAX / v->size) luaL_error(L, "sky_match: too many matches");
    p = lua_newuserdatauv(L, cap * v->size, 0);
    if (v->n) memcpy(p, v->p, v->n * v->size);
    lua_replace(L, v->slot);
    v->p = p;
    v->cap = cap;
  }
  return (char *)v->p + v->size * v->n++;
}

/* A side's description: columns or rows, its length. */
typedef struct side {
  int t;            /* stack index of the description */
  int rows;         /* 1: rows mode */
  int ra, dec;      /* stack indexes: the columns (arrays) or the keys (strings) */
  int src;          /* rows mode: the rows array */
  lua_Integer n;
} side;

static void side_open(lua_State *L, int t, const char *name, side *s) {
  int tra, tdec;
  luaL_checktype(L, t, LUA_TTABLE);
  s->t = t;
  tra = lua_getfield(L, t, "ra");
  s->ra = lua_gettop(L);
  tdec = lua_getfield(L, t, "dec");
  s->dec = lua_gettop(L);
  s->rows = lua_getfield(L, t, "rows") == LUA_TTABLE;
  s->src = lua_gettop(L);
  if (s->rows ? (tra != LUA_TSTRING || tdec != LUA_TSTRING) : (tra != LUA_TTABLE || tdec != LUA_TTABLE))
    luaL_error(L, "sky_match: %s must be {ra = array, dec = array} or {rows = array, ra = key, dec = key}",
               name);
  if (lua_getfield(L, t, "n") == LUA_TNUMBER) {
    s->n = lua_tointeger(L, -1);
  } else {
    s->n = (lua_Integer)lua_rawlen(L, s->rows ? s->src : s->ra);
  }
  lua_pop(L, 1);
  if (s->n < 0 || s->n > MAX_ROWS) luaL_error(L, "sky_match: %s has a bad row count", name);
}

/* Row i's position into p; 0 when it is not a position. */
static int side_get(lua_State *L, const side *s, lua_Integer i, point *p) {
  double ra, dec;
  int ok;
  if (s->rows) {
    if (lua_rawgeti(L, s->src, i) != LUA_TTABLE) {
      lua_pop(L, 1);
      return 0;
    }
    lua_pushvalue(L, s->ra);
    lua_rawget(L, -2);
    lua_pushvalue(L, s->dec);
    lua_rawget(L, -3);
  } else {
    lua_rawgeti(L, s->ra, i);
    lua_rawgeti(L, s->dec, i);
  }
  ok = lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TNUMBER;
  ra = lua_tonumber(L, -2);
  dec = lua_tonumber(L, -1);
  lua_pop(L, s->rows ? 3 : 2);
  if (!ok || !isfinite(ra) || !isfinite(dec) || dec < -90.0 || dec > 90.0) return 0;
  ra = fmod(ra, 360.0);
  if (ra < 0) ra += 360.0;
  if (ra >= 360.0) ra = 0.0;   /* -tiny + 360 rounds to 360 */
  p->ra = ra;
  p->dec = dec;
  p->row = (int32_t)i;
  return 1;
}

/* Vincenty's formula, in degrees; sa, ca: sin and cos of a's dec. (The
** sines are taken here, for the few candidates, not for every point.) */
static double separation(const point *a, double sa, double ca, const point *b) {
  double dra = (b->ra - a->ra) * DEG;
  double sdra = sin(dra), cdra = cos(dra);
  double sb = sin(b->dec * DEG), cb = cos(b->dec * DEG);
  double x = cb * sdra;
  double y = ca * sb - sa * cb * cdra;
  double z = sa * sb + ca * cb * cdra;
  return atan2(sqrt(x * x + y * y), z) / DEG;
}

static int by_ra(const void *x, const void *y) {
  const point *a = x, *b = y;
  if (a->ra != b->ra) return a->ra < b->ra ? -1 : 1;
  return (a->row > b->row) - (a->row < b->row);
}

typedef struct zindex {
  point *pts;        /* sorted by zone, then ra */
  int32_t *start;    /* zone z holds pts[start[z] .. start[z+1]) */
  int32_t zones;
  double height;     /* degrees */
} zindex;

static int32_t zone_of(const zindex *x, double dec) {
  double z = floor((dec + 90.0) / x->height);
  if (z < 0) return 0;
  if (z >= x->zones) return x->zones - 1;
  return (int32_t)z;
}

/* The first point of zone z with ra >= v. */
static int32_t lower(const zindex *x, int32_t z, double v) {
  int32_t lo = x->start[z], hi = x->start[z + 1];
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (x->pts[mid].ra < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

typedef struct query {
  const zindex *x;
  double r;          /* degrees */
  double sin_r;
  int all;
  vec *out;
  double sa, ca;     /* of the row of a searched for; sa > 1: not yet taken */
  pair best;         /* nearest mode: the best so far (ib 0: none) */
} query;

static void consider(lua_State *L, query *q, const point *a, const point *b) {
  double sep;
  if (fabs(b->dec - a->dec) > q->r) return;   /* sep >= |ddec| */
  if (q->sa > 1.0) {
    q->sa = sin(a->dec * DEG);
    q->ca = cos(a->dec * DEG);
  }
  sep = separation(a, q->sa, q->ca, b);
  if (!(sep <= q->r)) return;
  if (q->all) {
    pair *p = vec_push(L, q->out);
    p->ia = a->row;
    p->ib = b->row;
    p->sep = sep;
  } else if (q->best.ib == 0 || sep < q->best.sep || (sep == q->best.sep && b->row < q->best.ib)) {
    q->best.ib = b->row;
    q->best.sep = sep;
  }
}

/* Zone z's points with ra in [lo, hi]. */
static void scan(lua_State *L, query *q, const point *a, int32_t z, double lo, double hi) {
  const zindex *x = q->x;
  int32_t i = lo <= 0.0 ? x->start[z] : lower(x, z, lo), end = x->start[z + 1];
  for (; i < end && x->pts[i].ra <= hi; i++) consider(L, q, a, &x->pts[i]);
}

static void search(lua_State *L, query *q, const point *a) {
  const zindex *x = q->x;
  double r = q->r, pad = 1e-9 * r + 1e-12;   /* rounding of the windows: never too narrow */
  double window = 360.0;
  int32_t z, z0 = zone_of(x, a->dec - r - pad), z1 = zone_of(x, a->dec + r + pad);
  if (fabs(a->dec) + r + pad < 90.0) {
    /* the circle's half-width in ra: asin(sin r / cos dec); for a small
    ** one, s (1 + s^2) is above it and costs no asin */
    double s = q->sin_r / cos(a->dec * DEG);
    if (s < 1e-3) window = s * (1 + s * s) / DEG * (1 + 1e-9) + pad;
    else if (s < 1.0) window = asin(s) / DEG * (1 + 1e-9) + pad;
  }
  for (z = z0; z <= z1; z++) {
    if (x->start[z] == x->start[z + 1]) continue;
    if (window >= 180.0) {
      scan(L, q, a, z, 0.0, 360.0);
      continue;
    }
    scan(L, q, a, z, a->ra - window, a->ra + window);
    if (a->ra - window < 0.0) scan(L, q, a, z, a->ra - window + 360.0, 360.0);
    if (a->ra + window >= 360.0) scan(L, q, a, z, 0.0, a->ra + window - 360.0);
  }
}

/* A side's valid positions, grouped by zone (x's zones), into a new
** userdata left on the stack; *n: how many, *bad: how many rows were not
** positions. With start, the zones' offsets are written there too. */
static point *load(lua_State *L, const side *s, const zindex *x, int32_t *start, int32_t *n,
                   lua_Integer *bad) {
  int32_t m = 0, z, *count;
  lua_Integer i;
  point *raw = lua_newuserdatauv(L, (size_t)(s->n ? s->n : 1) * sizeof *raw, 0), *pts;
  int slot = lua_gettop(L);
  *bad = 0;
  for (i = 1; i <= s->n; i++) {
    if (side_get(L, s, i, &raw[m])) {
      raw[m].zone = zone_of(x, raw[m].dec);
      m++;
    } else {
      (*bad)++;
    }
  }
  count = lua_newuserdatauv(L, ((size_t)x->zones + 1) * sizeof *count, 0);
  memset(count, 0, ((size_t)x->zones + 1) * sizeof *count);
  for (i = 0; i < m; i++) count[raw[i].zone + 1]++;
  for (z = 0; z < x->zones; z++) count[z + 1] += count[z];
  if (start != NULL) memcpy(start, count, ((size_t)x->zones + 1) * sizeof *count);
  /* a scatter into a second copy: faster than grouping in place (whose
  ** swaps wait on each other's cache misses) */
  pts = lua_newuserdatauv(L, (size_t)(m ? m : 1) * sizeof *pts, 0);
  for (i = 0; i < m; i++) pts[count[raw[i].zone]++] = raw[i];
  lua_replace(L, slot);   /* the unsorted copy and the counts may go (userdata never move) */
  lua_settop(L, slot);
  *n = m;
  return pts;
}

static int by_row(const void *x, const void *y) {
  const pair *a = x, *b = y;
  if (a->ia != b->ia) return a->ia < b->ia ? -1 : 1;
  if (a->sep != b->sep) return a->sep < b->sep ? -1 : 1;
  return (a->ib > b->ib) - (a->ib < b->ib);
}

static int l_sky_match(lua_State *L) {
  side sa, sb;
  zindex x;
  query q;
  vec out;
  point *pa;
  int32_t na, nb, z, j;
  lua_Integer bad_a, bad_b;
  double r = luaL_checknumber(L, 3), zones;
  int all = lua_toboolean(L, 4);
  size_t k;
  if (!(r > 0.0) || !(r <= 180.0)) return luaL_argerror(L, 3, "the radius must be in (0, 180] degrees");
  lua_settop(L, 4);
  side_open(L, 1, "a", &sa);
  side_open(L, 2, "b", &sb);

  /* zones no lower than the radius (a circle spans 2 or 3), no more than
  ** b has points (more would buy nothing) */
  zones = floor(180.0 / r);
  if (zones > 2.0 * (double)sb.n + 1) zones = 2.0 * (double)sb.n + 1;
  if (zones > MAX_ZONES) zones = MAX_ZONES;
  if (zones < 1) zones = 1;
  x.zones = (int32_t)zones;
  x.height = 180.0 / x.zones;
  x.start = lua_newuserdatauv(L, ((size_t)x.zones + 1) * sizeof *x.start, 0);
  x.pts = load(L, &sb, &x, x.start, &nb, &bad_b);
  for (z = 0; z < x.zones; z++) {
    int32_t n = x.start[z + 1] - x.start[z];
    if (n > 16) {
      qsort(x.pts + x.start[z], (size_t)n, sizeof *x.pts, by_ra);
    } else {   /* most zones hold a few points: no call a comparison */
      point *p = x.pts + x.start[z];
      int32_t u, v;
      for (u = 1; u < n; u++) {
        point t = p[u];
        for (v = u; v > 0 && by_ra(&p[v - 1], &t) > 0; v--) p[v] = p[v - 1];
        p[v] = t;
      }
    }
  }
  /* a by zone too: consecutive searches then read neighbouring memory */
  pa = load(L, &sa, &x, NULL, &na, &bad_a);

  lua_pushnil(L);
  out.slot = lua_gettop(L);
  out.n = out.cap = 0;
  out.size = sizeof(pair);
  out.p = NULL;
  q.x = &x;
  q.r = r;
  q.sin_r = sin(r * DEG);
  q.all = all;
  q.out = &out;
  for (j = 0; j < na; j++) {
    q.best.ib = 0;
    q.sa = 2.0;
    search(L, &q, &pa[j]);
    if (!all && q.best.ib != 0) {
      pair *p = vec_push(L, &out);
      p->ia = pa[j].row;
      p->ib = q.best.ib;
      p->sep = q.best.sep;
    }
  }
  if (out.n > 1) qsort(out.p, out.n, sizeof(pair), by_row);

  /* three arrays */
  lua_createtable(L, out.n > INT32_MAX ? 0 : (int)out.n, 0);
  lua_createtable(L, out.n > INT32_MAX ? 0 : (int)out.n, 0);
  lua_createtable(L, out.n > INT32_MAX ? 0 : (int)out.n, 0);
  for (k = 0; k < out.n; k++) {
    const pair *p = (const pair *)out.p + k;
    lua_pushinteger(L, p->ia);
    lua_rawseti(L, -4, (lua_Integer)k + 1);
    lua_pushinteger(L, p->ib);
    lua_rawseti(L, -3, (lua_Integer)k + 1);
    lua_pushnumber(L, p->sep * 3600.0);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_pushinteger(L, bad_a);
  lua_pushinteger(L, bad_b);
  return 5;
}

void mast_sky_register(lua_State *L) {
  lua_pushcfunction(L, l_sky_match);
  lua_setfield(L, -2, "sky_match");
}
