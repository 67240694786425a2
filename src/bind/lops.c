/*
** lops.c -- what mast.ops needs from C: the ordering of nulls, and the loops
** over a million values that Lua would make slow (argsort, take, pluck).
**
** core.null is the light userdata NULL (the same value as cjson.null). Lua
** gives every light userdata of a state one shared metatable; mast sets it so
** that a null (a missing value) sorts after every value, prints "null", and
** names itself when arithmetic meets it. Equality needs nothing: Lua never
** calls __eq for a light userdata, so a null equals only itself.
*/
#include <stdint.h>
#include <string.h>

#include "bind.h"

static int is_null(lua_State *L, int i) {
  return lua_type(L, i) == LUA_TLIGHTUSERDATA && lua_touserdata(L, i) == NULL;
}

/* Comparisons reach here when either side is a light userdata. Only the null
** has an order; two other light userdata stay incomparable, as in plain Lua. */
static int either_null(lua_State *L) {
  if (!is_null(L, 1) && !is_null(L, 2))
    return luaL_error(L, "attempt to compare two %s values", luaL_typename(L, 1));
  return 1;
}

/* a < b: a null is never less than anything; anything else is less than a null */
static int null_lt(lua_State *L) {
  either_null(L);
  lua_pushboolean(L, !is_null(L, 1));
  return 1;
}

/* a <= b: true when b is a null (a null equals a null), false when only a is */
static int null_le(lua_State *L) {
  either_null(L);
  lua_pushboolean(L, is_null(L, 2));
  return 1;
}

static int null_arith(lua_State *L) {
  if (!is_null(L, 1) && !is_null(L, 2))
    return luaL_error(L, "attempt to perform arithmetic on a %s value", luaL_typename(L, 1));
  return luaL_error(L, "attempt to do arithmetic on a null (a missing value)");
}

static int null_concat(lua_State *L) {
  if (!is_null(L, 1) && !is_null(L, 2))
    return luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, 1));
  return luaL_error(L, "attempt to concatenate a null (a missing value)");
}

static int null_len(lua_State *L) {
  if (!is_null(L, 1)) return luaL_error(L, "attempt to get length of a %s value", luaL_typename(L, 1));
  return luaL_error(L, "attempt to get length of a null (a missing value)");
}

static int null_index(lua_State *L) {
  if (!is_null(L, 1)) return luaL_error(L, "attempt to index a %s value", luaL_typename(L, 1));
  return luaL_error(L, "attempt to index a null (a missing value) with %s",
                    lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2));
}

static int null_tostring(lua_State *L) {
  if (is_null(L, 1)) lua_pushliteral(L, "null");
  else lua_pushfstring(L, "userdata: %p", lua_touserdata(L, 1));
  return 1;
}

static void set_null_metatable(lua_State *L) {
  static const char *const arith[] = {"__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm",
                                      "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr", "__bnot",
                                      NULL};
  int i;
  lua_createtable(L, 0, 20);
  for (i = 0; arith[i]; i++) {
    lua_pushcfunction(L, null_arith);
    lua_setfield(L, -2, arith[i]);
  }
  lua_pushcfunction(L, null_lt);
  lua_setfield(L, -2, "__lt");
  lua_pushcfunction(L, null_le);
  lua_setfield(L, -2, "__le");
  lua_pushcfunction(L, null_concat);
  lua_setfield(L, -2, "__concat");
  lua_pushcfunction(L, null_len);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, null_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, null_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "null");
  lua_setfield(L, -2, "__name");
  lua_pushlightuserdata(L, NULL);
  lua_insert(L, -2);
  lua_setmetatable(L, -2);   /* the one metatable of every light userdata of L */
  lua_pop(L, 1);
}

/* ---------------------------------------------------------------- argsort */

/* The classes of a sort key, in their order: values of different types order
** by class; NaN and null come last whatever the direction. */
enum { C_INT, C_FLOAT, C_STRING, C_FALSE, C_TRUE, C_OTHER, C_NAN, C_NULL };

typedef struct {
  unsigned char cls;
  union {
    lua_Integer i;
    double d;
    struct { const char *s; size_t len; } s;
  } v;
} cell;

typedef struct {
  cell **keys;
  const int *desc;
  int nkeys;
} order;

static void read_cell(lua_State *L, int i, cell *c) {
  switch (lua_type(L, i)) {
    case LUA_TNUMBER:
      if (lua_isinteger(L, i)) {
        c->cls = C_INT;
        c->v.i = lua_tointeger(L, i);
      } else {
        c->v.d = lua_tonumber(L, i);
        c->cls = c->v.d != c->v.d ? C_NAN : C_FLOAT;
      }
      break;
    case LUA_TSTRING:
      c->cls = C_STRING;
      c->v.s.s = lua_tolstring(L, i, &c->v.s.len);   /* anchored by the column table */
      break;
    case LUA_TBOOLEAN: c->cls = lua_toboolean(L, i) ? C_TRUE : C_FALSE; break;
    case LUA_TNIL: c->cls = C_NULL; break;
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, i) == NULL) { c->cls = C_NULL; break; }
      /* fall through */
    default: c->cls = C_OTHER; break;
  }
}

/* An integer against a float, exactly (long double holds every int64). */
static int cmp_int_float(lua_Integer i, double d) {
  long double a = (long double)i, b = (long double)d;
  return a < b ? -1 : a > b;
}

static int cmp_cell(const cell *x, const cell *y, int desc) {
  int r = 0;
  int cx = x->cls, cy = y->cls;
  if (cx == C_INT && cy == C_FLOAT) r = cmp_int_float(x->v.i, y->v.d);
  else if (cx == C_FLOAT && cy == C_INT) r = -cmp_int_float(y->v.i, x->v.d);
  else if (cx != cy) {
    if (cx >= C_NAN || cy >= C_NAN) return cx < cy ? -1 : 1;   /* last either way */
    r = cx < cy ? -1 : 1;
  } else {
    switch (cx) {
      case C_INT: r = x->v.i < y->v.i ? -1 : x->v.i > y->v.i; break;
      case C_FLOAT: r = x->v.d < y->v.d ? -1 : x->v.d > y->v.d; break;
      case C_STRING: {
        size_t n = x->v.s.len < y->v.s.len ? x->v.s.len : y->v.s.len;
        r = memcmp(x->v.s.s, y->v.s.s, n);
        if (r == 0) r = x->v.s.len < y->v.s.len ? -1 : x->v.s.len > y->v.s.len;
        else r = r < 0 ? -1 : 1;
        break;
      }
      default: return 0;
    }
  }
  return desc ? -r : r;
}

static int cmp_rows(const order *o, uint32_t a, uint32_t b) {
  int k;
  for (k = 0; k < o->nkeys; k++) {
    int r = cmp_cell(&o->keys[k][a], &o->keys[k][b], o->desc[k]);
    if (r) return r;
  }
  return 0;
}

/* What the merge sort moves: the first key's rank and an order-keeping 64-bit
** prefix of its value, inline (so that most comparisons touch no other memory),
** and the row. Equal prefixes fall back to the exact comparison of every key. */
typedef struct {
  uint64_t k;
  uint32_t rank;
  uint32_t row;
} rec;

static uint64_t float_bits(double d) {
  uint64_t u;
  if (d == 0) d = 0.0;   /* -0.0 sorts with 0.0 */
  memcpy(&u, &d, sizeof u);
  return (u & UINT64_C(0x8000000000000000)) ? ~u : u | UINT64_C(0x8000000000000000);
}

static void make_rec(const cell *c, int desc, int any_float, uint32_t row, rec *r) {
  /* ranks: number, string, false, true, other (reversed when descending), then NaN, null */
  uint32_t rank;
  uint64_t k = 0;
  switch (c->cls) {
    case C_INT:
      rank = 0;
      k = any_float ? float_bits((double)c->v.i) : (uint64_t)c->v.i ^ UINT64_C(0x8000000000000000);
      break;
    case C_FLOAT: rank = 0; k = float_bits(c->v.d); break;
    case C_STRING: {
      size_t i, n = c->v.s.len < 8 ? c->v.s.len : 8;
      rank = 1;
      for (i = 0; i < 8; i++) k = (k << 8) | (i < n ? (unsigned char)c->v.s.s[i] : 0);
      break;
    }
    case C_FALSE: rank = 2; break;
    case C_TRUE: rank = 3; break;
    case C_OTHER: rank = 4; break;
    case C_NAN: rank = 5; break;
    default: rank = 6; break;
  }
  if (desc && rank <= 4) {
    rank = 4 - rank;
    k = ~k;
  }
  r->k = k;
  r->rank = rank;
  r->row = row;
}

static int cmp_rec(const order *o, const rec *a, const rec *b) {
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  if (a->k != b->k) return a->k < b->k ? -1 : 1;
  return cmp_rows(o, a->row, b->row);
}

/* A stable merge sort of v[0..n) (insertion-sorted runs of 16, then merges
** back and forth between v and tmp). */
static void merge_sort(const order *o, rec *v, rec *tmp, size_t n) {
  const size_t RUN = 16;
  rec *src = v, *dst = tmp;
  size_t lo, width;
  for (lo = 0; lo < n; lo += RUN) {
    size_t hi = lo + RUN < n ? lo + RUN : n, i;
    for (i = lo + 1; i < hi; i++) {
      rec x = v[i];
      size_t j = i;
      while (j > lo && cmp_rec(o, &v[j - 1], &x) > 0) { v[j] = v[j - 1]; j--; }
      v[j] = x;
    }
  }
  for (width = RUN; width < n; width *= 2) {
    rec *t;
    for (lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      if (mid >= hi || cmp_rec(o, &src[mid - 1], &src[mid]) <= 0) {   /* already in order */
        memcpy(dst + lo, src + lo, (hi - lo) * sizeof *src);
        continue;
      }
      while (i < mid && j < hi) dst[k++] = cmp_rec(o, &src[j], &src[i]) < 0 ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    t = src; src = dst; dst = t;
  }
  if (src != v) memcpy(v, src, n * sizeof *v);
}

/* Sorts v[0..n) by (rank, k) with a stable LSD radix sort (16-bit digits of
** k, then the rank; a digit all rows share costs no pass), then puts each run
** of equal (rank, k) in exact order with the merge sort (its rows in their
** first order, so the whole stays stable). hist: 5 * 65536 counters. */
static void radix_sort(const order *o, rec *v, rec *tmp, size_t n, size_t *hist) {
  rec *src = v, *dst = tmp;
  size_t i, d;
  memset(hist, 0, sizeof(size_t) * 5 * 65536);
  for (i = 0; i < n; i++) {
    for (d = 0; d < 4; d++) hist[d * 65536 + ((v[i].k >> (16 * d)) & 0xffff)]++;
    hist[4 * 65536 + v[i].rank]++;
  }
  for (d = 0; d < 5; d++) {
    size_t *h = hist + d * 65536, sum = 0, b;
    int trivial = 0;
    for (b = 0; b < 65536; b++) {
      size_t c = h[b];
      if (c == n) { trivial = 1; break; }
      h[b] = sum;
      sum += c;
    }
    if (trivial) continue;
    for (i = 0; i < n; i++) {
      unsigned digit = d < 4 ? (unsigned)((src[i].k >> (16 * d)) & 0xffff) : src[i].rank;
      dst[h[digit]++] = src[i];
    }
    { rec *t = src; src = dst; dst = t; }
  }
  if (src != v) memcpy(v, src, n * sizeof *v);
  for (i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && v[j].k == v[i].k && v[j].rank == v[i].rank) j++;
    if (j - i > 1) merge_sort(o, v + i, tmp, j - i);
    i = j;
  }
}

static lua_Integer check_count(lua_State *L, int arg) {
  lua_Integer n = luaL_checkinteger(L, arg);
  luaL_argcheck(L, n >= 0 && (uint64_t)n < UINT32_MAX, arg, "a row count from 0 to 2^32-2");
  return n;
}

/* core.argsort(keys, desc, n [, columns]) -> {i1, ..., in}: the row numbers
** 1..n in order of the key columns (arrays), the first key first; desc[k] true
** sorts key k descending. Stable; nulls (and NaN) last in both directions;
** integers and floats compare exactly; strings bytewise; values of different
** types by type (numbers, strings, false, true, others). With columns (a list
** of arrays), returns those arrays put in that order instead (one pass, no
** index table). */
static int l_argsort(lua_State *L) {
  lua_Integer n = check_count(L, 3);
  int nkeys, k, any_float = 0;
  order o;
  rec *v, *tmp;
  lua_Integer i;
  int *desc;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  if (!lua_isnoneornil(L, 4)) luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  nkeys = (int)luaL_len(L, 1);
  luaL_argcheck(L, nkeys > 0 && nkeys < 1000, 1, "from 1 to 999 key columns");
  o.keys = lua_newuserdatauv(L, sizeof(cell *) * (size_t)nkeys, 0);
  desc = lua_newuserdatauv(L, sizeof(int) * (size_t)nkeys, 0);
  o.desc = desc;
  o.nkeys = nkeys;
  for (k = 0; k < nkeys; k++) {
    int col;
    lua_rawgeti(L, 2, k + 1);
    desc[k] = lua_toboolean(L, -1);
    lua_pop(L, 1);
    o.keys[k] = lua_newuserdatauv(L, sizeof(cell) * (size_t)(n ? n : 1), 0);
    lua_rawgeti(L, 1, k + 1);
    luaL_argcheck(L, lua_type(L, -1) == LUA_TTABLE, 1, "every key must be an array of values");
    col = lua_gettop(L);
    for (i = 0; i < n; i++) {
      lua_rawgeti(L, col, i + 1);
      read_cell(L, -1, &o.keys[k][i]);
      if (k == 0 && o.keys[k][i].cls == C_FLOAT) any_float = 1;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);   /* the column; its cell block stays on the stack, anchored */
  }
  v = lua_newuserdatauv(L, sizeof(rec) * (size_t)(n ? n : 1), 0);
  tmp = lua_newuserdatauv(L, sizeof(rec) * (size_t)(n ? n : 1), 0);
  for (i = 0; i < n; i++) make_rec(&o.keys[0][i], desc[0], any_float, (uint32_t)i, &v[i]);
  if (n > 256) radix_sort(&o, v, tmp, (size_t)n, lua_newuserdatauv(L, sizeof(size_t) * 5 * 65536, 0));
  else merge_sort(&o, v, tmp, (size_t)n);
  if (lua_isnil(L, 4)) {
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
      lua_pushinteger(L, (lua_Integer)v[i].row + 1);
      lua_rawseti(L, -2, i + 1);
    }
    return 1;
  } else {
    int c, ncols = (int)luaL_len(L, 4), out;
    lua_createtable(L, ncols, 0);
    out = lua_gettop(L);
    for (c = 1; c <= ncols; c++) {
      int src;
      if (lua_rawgeti(L, 4, c) != LUA_TTABLE) return luaL_argerror(L, 4, "a list of arrays");
      src = lua_gettop(L);
      lua_createtable(L, (int)n, 0);
      for (i = 0; i < n; i++) {
        if (lua_rawgeti(L, src, (lua_Integer)v[i].row + 1) == LUA_TNIL) {
          lua_pop(L, 1);
          lua_pushlightuserdata(L, NULL);
        }
        lua_rawseti(L, -2, i + 1);
      }
      lua_rawseti(L, out, c);
      lua_pop(L, 1);
    }
    return 1;
  }
}

/* ---------------------------------------------------------------- join */

/* A join key cell: a string of digits is the integer it spells (MAST sends
** some ids as strings, some as numbers); an integral float is that integer. */
static void read_key(lua_State *L, int i, cell *c) {
  read_cell(L, i, c);
  if (c->cls == C_STRING && c->v.s.len > 0 && c->v.s.len < 21) {
    size_t j = c->v.s.s[0] == '-' ? 1 : 0;
    int digits = j < c->v.s.len;
    for (; j < c->v.s.len && digits; j++) digits = c->v.s.s[j] >= '0' && c->v.s.s[j] <= '9';
    if (digits && lua_stringtonumber(L, c->v.s.s) != 0) {
      if (lua_isinteger(L, -1)) {
        c->cls = C_INT;
        c->v.i = lua_tointeger(L, -1);
      }
      lua_pop(L, 1);
    }
  } else if (c->cls == C_FLOAT && c->v.d >= -9223372036854775808.0 && c->v.d < 9223372036854775808.0
             && c->v.d == (double)(lua_Integer)c->v.d) {
    c->cls = C_INT;
    c->v.i = (lua_Integer)c->v.d;
  }
}

static uint64_t mix(uint64_t x) {
  x += UINT64_C(0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* The hash of a row's key cells; 0 when one of them matches nothing (null, NaN, a table...). */
static uint64_t key_hash(cell **keys, int nkeys, uint32_t row, int *ok) {
  uint64_t h = 0;
  int k;
  *ok = 1;
  for (k = 0; k < nkeys; k++) {
    const cell *c = &keys[k][row];
    uint64_t x;
    switch (c->cls) {
      case C_INT: x = (uint64_t)c->v.i; break;
      case C_FLOAT: memcpy(&x, &c->v.d, sizeof x); break;
      case C_STRING: {
        size_t i;
        x = UINT64_C(0xcbf29ce484222325);
        for (i = 0; i < c->v.s.len; i++) x = (x ^ (unsigned char)c->v.s.s[i]) * UINT64_C(0x100000001b3);
        break;
      }
      case C_FALSE: case C_TRUE: x = c->cls; break;
      default: *ok = 0; return 0;
    }
    h = mix(h ^ mix(x + c->cls));
  }
  return h;
}

static int key_equal(cell **a, uint32_t ra, cell **b, uint32_t rb, int nkeys) {
  int k;
  for (k = 0; k < nkeys; k++) {
    const cell *x = &a[k][ra], *y = &b[k][rb];
    if (x->cls != y->cls) return 0;
    switch (x->cls) {
      case C_INT: if (x->v.i != y->v.i) return 0; break;
      case C_FLOAT: if (x->v.d != y->v.d) return 0; break;
      case C_STRING:
        if (x->v.s.len != y->v.s.len || memcmp(x->v.s.s, y->v.s.s, x->v.s.len) != 0) return 0;
        break;
      default: break;
    }
  }
  return 1;
}

static cell **read_keys(lua_State *L, int arg, int nkeys, lua_Integer n) {
  cell **keys = lua_newuserdatauv(L, sizeof(cell *) * (size_t)nkeys, 0);
  int k;
  lua_Integer i;
  for (k = 0; k < nkeys; k++) {
    int col;
    keys[k] = lua_newuserdatauv(L, sizeof(cell) * (size_t)(n ? n : 1), 0);
    lua_rawgeti(L, arg, k + 1);
    luaL_argcheck(L, lua_type(L, -1) == LUA_TTABLE, arg, "every key must be an array of values");
    col = lua_gettop(L);
    for (i = 0; i < n; i++) {
      lua_rawgeti(L, col, i + 1);
      read_key(L, -1, &keys[k][i]);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return keys;
}

/* core.join_index(lkeys, nl, rkeys, nr, left) -> li, ri: the row pairs whose
** key columns (lists of arrays, as many on each side) are equal, in the left's
** order, a left row's matches in the right's order. Nulls and NaN match
** nothing. left: a left row without a match is kept, with ri = 0. */
static int l_join_index(lua_State *L) {
  lua_Integer nl = check_count(L, 2), nr = check_count(L, 4), i, m = 0;
  int keep = lua_toboolean(L, 5), nkeys, ok;
  cell **lk, **rk;
  uint32_t *slot, *next, *tail;
  size_t size = 16, mask;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  nkeys = (int)luaL_len(L, 1);
  luaL_argcheck(L, nkeys > 0 && nkeys < 1000 && nkeys == (int)luaL_len(L, 3), 3,
                "as many key columns on each side (1 to 999)");
  lk = read_keys(L, 1, nkeys, nl);
  rk = read_keys(L, 3, nkeys, nr);
  while (size < (size_t)nr * 2) size *= 2;
  mask = size - 1;
  /* slot: the first right row (+1) of a key; next: the following row of the same key; tail: the last */
  slot = lua_newuserdatauv(L, sizeof(uint32_t) * size, 0);
  next = lua_newuserdatauv(L, sizeof(uint32_t) * (size_t)(nr ? nr : 1), 0);
  tail = lua_newuserdatauv(L, sizeof(uint32_t) * size, 0);
  memset(slot, 0, sizeof(uint32_t) * size);
  for (i = 0; i < nr; i++) {
    uint64_t h = key_hash(rk, nkeys, (uint32_t)i, &ok);
    size_t s = (size_t)h & mask;
    next[i] = 0;
    if (!ok) continue;
    while (slot[s] && !key_equal(rk, slot[s] - 1, rk, (uint32_t)i, nkeys)) s = (s + 1) & mask;
    if (!slot[s]) slot[s] = tail[s] = (uint32_t)i + 1;
    else { next[tail[s] - 1] = (uint32_t)i + 1; tail[s] = (uint32_t)i + 1; }
  }
  lua_createtable(L, (int)nl, 0);
  lua_createtable(L, (int)nl, 0);
  for (i = 0; i < nl; i++) {
    uint64_t h = key_hash(lk, nkeys, (uint32_t)i, &ok);
    uint32_t j = 0;
    if (ok) {
      size_t s = (size_t)h & mask;
      while (slot[s] && !key_equal(rk, slot[s] - 1, lk, (uint32_t)i, nkeys)) s = (s + 1) & mask;
      j = slot[s];
    }
    if (!j && keep) {
      m++;
      lua_pushinteger(L, i + 1);
      lua_rawseti(L, -3, m);
      lua_pushinteger(L, 0);
      lua_rawseti(L, -2, m);
    }
    for (; j; j = next[j - 1]) {
      m++;
      lua_pushinteger(L, i + 1);
      lua_rawseti(L, -3, m);
      lua_pushinteger(L, j);
      lua_rawseti(L, -2, m);
    }
  }
  return 2;
}

/* core.take(values, idx) -> {values[idx[1]], ...}: idx[i] = 0 gives a null
** (a left join's missing match). */
static int l_take(lua_State *L) {
  lua_Integer m, i;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  m = luaL_len(L, 2);
  lua_createtable(L, (int)(m < INT32_MAX ? m : 0), 0);
  for (i = 1; i <= m; i++) {
    lua_Integer j;
    int ok;
    lua_rawgeti(L, 2, i);
    j = lua_tointegerx(L, -1, &ok);
    lua_pop(L, 1);
    if (!ok) return luaL_error(L, "take: index %d is not an integer", (int)i);
    if (j == 0) lua_pushlightuserdata(L, NULL);
    else if (lua_rawgeti(L, 1, j) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushlightuserdata(L, NULL);
    }
    lua_rawseti(L, -2, i);
  }
  return 1;
}

/* core.pluck(rows, name [, n]) -> {rows[1][name], ...} with null for a missing value. */
static int l_pluck(lua_State *L) {
  lua_Integer n, i;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  n = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : check_count(L, 3);
  lua_settop(L, 2);
  lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
  for (i = 1; i <= n; i++) {
    if (lua_rawgeti(L, 1, i) != LUA_TTABLE) return luaL_error(L, "row %d is not a table", (int)i);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushlightuserdata(L, NULL);
    }
    lua_rawseti(L, 3, i);
    lua_pop(L, 1);
  }
  return 1;
}

void mast_ops_register(lua_State *L) {
  static const luaL_Reg f[] = {
    {"argsort", l_argsort},
    {"take", l_take},
    {"join_index", l_join_index},
    {"pluck", l_pluck},
    {NULL, NULL}
  };
  luaL_setfuncs(L, f, 0);
  set_null_metatable(L);
}
