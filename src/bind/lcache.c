/*
** lcache.c -- the disk cache's files, for mast.diskcache (lua/mast/diskcache.lua).
**
**   core.cache_dir()                 -> the directory in use, or nil (off)
**   core.cache_get(key)              -> the bytes put under key, or nil
**   core.cache_put(key, bytes, ttl)  -> true | false, why (never raises for the disk)
**   core.cache_clear([dir [, older_than]]) -> how many entries were removed
**   core.cache_stats([dir])          -> entries, bytes
**   core.cache_trim(dir, max_bytes)  -> how many entries were removed (LRU)
**   core.token_identity()            -> a keyed hash of the token, or nil
**   core.sha256(bytes)               -> 64 hex digits
**   core.sha256_file(path)           -> 64 hex digits, bytes; or nil, why
**
** get, put, clear and stats take an optional directory (get: 2nd argument,
** put: 4th, clear and stats: 1st): the query cache (lua/mast/qcache.lua)
** keeps its entries, in this format, in a directory of its own; without
** it, the cache_dir setting's (column configurations). Both pass one policy.
**
** An entry is one file, <dir>/<SHA-256 of the key, in hex>:
**
**   mast-cache 1 <expires> <key length> <body length> <FNV-1a 64 of key..body>\n
**   <key><body>
**
** (expires: Unix seconds). It is written through mast_output (a .part of the
** writer's own, mode 0600, renamed into place), so a reader sees a whole
** entry or none and many processes may share the directory with no lock:
** the last rename wins. A reader believes nothing it has not checked: an
** entry of another format version is left alone (another mast may own it);
** an expired, truncated or corrupt one is removed and reads as nil. The key
** is kept in the entry so that two keys with one name can never be mixed up.
**
** The modules cannot open files (src/host/runtime.c), which is why this is C.
** Under a host's download root the cache is off unless its directory is
** inside the root: the cache writes nowhere downloads could not.
*/
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bind.h"
#include "../core/bind_api.h"

#define CACHE_VERSION 1
#define CACHE_MAGIC "mast-cache "
#define HEADER_MAX 128
#define ENTRY_MAX ((int64_t)1 << 30)   /* bigger than any metadata: not ours */
#define NAME_LEN 64                    /* hex of SHA-256 */

/* ---- SHA-256 (FIPS 180-4): the name of a key's file ---- */

typedef struct sha256 {
  uint32_t h[8];
  unsigned char block[64];
  size_t used;
  uint64_t total;
} sha256;

static const uint32_t K256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(sha256 *s, const unsigned char *p) {
  uint32_t w[64], a, b, c, d, e, f, g, h;
  int i;
  for (i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
           (uint32_t)p[4 * i + 3];
  for (i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
  e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
  for (i = 0; i < 64; i++) {
    uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g, g = f, f = e, e = d + t1;
    d = c, c = b, b = a, a = t1 + t2;
  }
  s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
  s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static void sha256_init(sha256 *s) {
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, h0, sizeof h0);
  s->used = 0;
  s->total = 0;
}

static void sha256_add(sha256 *s, const void *data, size_t n) {
  const unsigned char *p = data;
  s->total += n;
  while (n > 0) {
    size_t take = 64 - s->used < n ? 64 - s->used : n;
    memcpy(s->block + s->used, p, take);
    s->used += take, p += take, n -= take;
    if (s->used == 64) {
      sha256_block(s, s->block);
      s->used = 0;
    }
  }
}

/* Writes the 64 hex digits and a NUL to out. */
static void sha256_hex(sha256 *s, char out[NAME_LEN + 1]) {
  static const char hex[] = "0123456789abcdef";
  uint64_t bits = s->total * 8;
  unsigned char len[8];
  int i;
  for (i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha256_add(s, "\x80", 1);
  while (s->used != 56) sha256_add(s, "", 1);   /* "" is one NUL byte */
  sha256_add(s, len, 8);
  for (i = 0; i < 32; i++) {
    unsigned v = (unsigned)(s->h[i / 4] >> (24 - 8 * (i % 4))) & 0xff;
    out[2 * i] = hex[v >> 4];
    out[2 * i + 1] = hex[v & 15];
  }
  out[NAME_LEN] = '\0';
}

/* ---- FNV-1a 64: the checksum of an entry's key and body ---- */

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  while (n--) h = (h ^ *p++) * 0x100000001b3ull;
  return h;
}
#define FNV_START 0xcbf29ce484222325ull

/* ---- where ---- */

/* Pushes the directory in use and returns it, or returns NULL (nothing
** pushed) when the cache is off: no cache_dir, or one outside the host's
** download root. A string at stack index arg (0: none) is the directory
** instead of the setting's. */
static const char *push_dir_at(lua_State *L, mast_ctx *ctx, int arg) {
  const char *dir = NULL;
  char *resolved;
  if (arg > 0 && lua_type(L, arg) == LUA_TSTRING) dir = lua_tostring(L, arg);
  else if (mast_config_get_string(ctx, "cache_dir", &dir) != MAST_OK) return NULL;
  if (dir == NULL || *dir == '\0') return NULL;
  resolved = mast_output_resolve(ctx, dir);   /* relative: under the root, as downloads are */
  if (resolved == NULL) return NULL;
  if (!mast_path_allowed(ctx, resolved)) {
    mast_strfree(ctx, resolved);
    return NULL;
  }
  lua_pushstring(L, resolved);
  mast_strfree(ctx, resolved);
  return lua_tostring(L, -1);
}

#define push_dir(L, ctx) push_dir_at(L, ctx, 0)

/* Pushes <dir>/<name of key> and returns it. */
static const char *push_entry_path(lua_State *L, const char *dir, const char *key, size_t klen) {
  char name[NAME_LEN + 1];
  sha256 s;
  sha256_init(&s);
  sha256_add(&s, key, klen);
  sha256_hex(&s, name);
  return lua_pushfstring(L, "%s/%s", dir, name);
}

/* ---- reading ---- */

/* Reads a decimal number ending at sep; advances *p past sep. */
static int parse_u64(const char **p, const char *end, char sep, uint64_t *out) {
  const char *s = *p;
  uint64_t v = 0;
  if (s >= end || *s < '0' || *s > '9') return 0;
  for (; s < end && *s >= '0' && *s <= '9'; s++) {
    if (v > (UINT64_MAX - 9) / 10) return 0;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  if (s >= end || *s != sep) return 0;
  *p = s + 1;
  *out = v;
  return 1;
}

static int parse_hex64(const char **p, const char *end, char sep, uint64_t *out) {
  const char *s = *p;
  uint64_t v = 0;
  int i;
  for (i = 0; i < 16; i++, s++) {
    int d;
    if (s >= end) return 0;
    if (*s >= '0' && *s <= '9') d = *s - '0';
    else if (*s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
    else return 0;
    v = v << 4 | (uint64_t)d;
  }
  if (s >= end || *s != sep) return 0;
  *p = s + 1;
  *out = v;
  return 1;
}

enum { ENTRY_OK, ENTRY_MISS, ENTRY_BAD };   /* BAD: expired or damaged, to remove */

/* Checks the n bytes of an entry read for key; on ENTRY_OK *body and *blen
** are its body. */
static int check_entry(const char *buf, size_t n, const char *key, size_t klen,
                       const char **body, size_t *blen) {
  const char *p = buf, *end = buf + (n < HEADER_MAX ? n : HEADER_MAX);
  uint64_t version, expires, kl, bl, sum;
  size_t hlen;
  if (n < sizeof CACHE_MAGIC - 1 || memcmp(p, CACHE_MAGIC, sizeof CACHE_MAGIC - 1) != 0)
    return ENTRY_BAD;
  p += sizeof CACHE_MAGIC - 1;
  if (!parse_u64(&p, end, ' ', &version)) return ENTRY_BAD;
  if (version != CACHE_VERSION) return ENTRY_MISS;   /* another mast's: not ours to judge */
  if (!parse_u64(&p, end, ' ', &expires) || !parse_u64(&p, end, ' ', &kl) ||
      !parse_u64(&p, end, ' ', &bl) || !parse_hex64(&p, end, '\n', &sum))
    return ENTRY_BAD;
  hlen = (size_t)(p - buf);
  /* the lengths must account for every byte: a truncated entry fails here */
  if (kl > n - hlen || bl != n - hlen - kl) return ENTRY_BAD;
  if (fnv1a(FNV_START, buf + hlen, n - hlen) != sum) return ENTRY_BAD;
  if (expires <= (uint64_t)time(NULL)) return ENTRY_BAD;
  if (kl != klen || memcmp(buf + hlen, key, klen) != 0) return ENTRY_MISS;   /* a namesake */
  *body = buf + hlen + kl;
  *blen = (size_t)bl;
  return ENTRY_OK;
}

/* Removes path if it is still the file read (st): a writer may have just
** renamed a fresh entry there, which must stay. */
static void drop(const char *path, const struct stat *st) {
  struct stat now;
  if (lstat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino)
    unlink(path);
}

/* core.cache_get(key [, dir]) -> bytes, or nil (off, absent, expired, damaged) */
static int cache_get(lua_State *L) {
  size_t klen, n = 0;
  const char *key = luaL_checklstring(L, 1, &klen);
  mast_ctx *ctx = mast_bind_ctx(L);
  const char *dir, *path, *body;
  struct stat st, fst;
  char *buf;
  size_t blen;
  int fd, ok, verdict;
  lua_settop(L, 2);
  if ((dir = push_dir_at(L, ctx, 2)) == NULL) return 0;
  path = push_entry_path(L, dir, key, klen);
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > ENTRY_MAX) return 0;
  /* the buffer first, Lua's: no file is open while Lua may raise */
  buf = lua_newuserdatauv(L, st.st_size > 0 ? (size_t)st.st_size : 1, 0);
  fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return 0;
  ok = fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode) && fst.st_size == st.st_size;
  while (ok && n < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) ok = 0;
    else n += (size_t)r;
  }
  close(fd);
  if (!ok) return 0;   /* replaced while read: a miss, and the new entry stays */
  verdict = check_entry(buf, n, key, klen, &body, &blen);
  if (verdict == ENTRY_BAD) drop(path, &fst);
  if (verdict != ENTRY_OK) return 0;
  /* a hit is a use: the size cap evicts the least recently used first */
  utimensat(AT_FDCWD, path, NULL, 0);
  lua_pushlstring(L, body, blen);
  return 1;
}

static int l_cache_get(lua_State *L) {
  if (cache_get(L) == 0) lua_pushnil(L);   /* a nil, not nothing: tostring(get()) works */
  return 1;
}

/* ---- writing ---- */

/* Creates dir (mode 0700) and its parents. 1, or 0 with errno. */
static int make_dir(const char *dir) {
  char parent[4096];
  int err = 0;
  struct stat st;
  if (stat(dir, &st) == 0) return S_ISDIR(st.st_mode) ? 1 : (errno = ENOTDIR, 0);
  if (mast_parent_dir(dir, parent, sizeof parent) && !mast_mkdirs(parent, &err))
    return errno = err, 0;
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) return 0;
  return 1;
}

/* Pushes false and why (the core's message, freed); returns 2. */
static int put_failed(lua_State *L, mast_ctx *ctx, char *msg, const char *fallback) {
  char why[512];
  snprintf(why, sizeof why, "%s", msg != NULL ? msg : fallback);
  if (msg != NULL) mast_strfree(ctx, msg);
  lua_pushboolean(L, 0);
  lua_pushstring(L, why);
  return 2;
}

/* core.cache_put(key, bytes, ttl_seconds [, dir]) -> true | false, why */
static int l_cache_put(lua_State *L) {
  size_t klen, blen;
  const char *key = luaL_checklstring(L, 1, &klen);
  const char *bytes = luaL_checklstring(L, 2, &blen);
  lua_Number ttl = luaL_checknumber(L, 3);
  mast_ctx *ctx = mast_bind_ctx(L);
  const char *path, *dir;
  char header[HEADER_MAX], *msg = NULL;
  uint64_t sum;
  int hlen, code;
  mast_output o;
  lua_settop(L, 4);
  if (!(ttl > 0) || !isfinite(ttl))
    return mast_raise(L, MAST_EUSAGE, "the time to keep an entry must be a positive number of "
                      "seconds, got %f", (double)ttl);
  if (ttl > 100.0 * 365 * 86400) ttl = 100.0 * 365 * 86400;   /* time_t stays far from overflow */
  if ((dir = push_dir_at(L, ctx, 4)) == NULL) {
    lua_pushboolean(L, 0);
    lua_pushliteral(L, "the disk cache is off");
    return 2;
  }
  path = push_entry_path(L, dir, key, klen);
  if ((int64_t)klen > ENTRY_MAX - HEADER_MAX || (int64_t)blen > ENTRY_MAX - HEADER_MAX - (int64_t)klen)
    return put_failed(L, ctx, NULL, "the entry is too big for the disk cache");
  sum = fnv1a(fnv1a(FNV_START, key, klen), bytes, blen);
  hlen = snprintf(header, sizeof header, CACHE_MAGIC "%d %lld %llu %llu %016llx\n", CACHE_VERSION,
                  (long long)time(NULL) + (long long)ceil(ttl), (unsigned long long)klen,
                  (unsigned long long)blen, (unsigned long long)sum);
  if (!make_dir(dir)) {
    char why[512];
    snprintf(why, sizeof why, "cannot create the cache directory %s: %s", dir, strerror(errno));
    return put_failed(L, ctx, NULL, why);
  }
  /* from here to mast_output_free nothing may raise: o holds a file */
  if ((code = mast_output_init(ctx, &o, path, &msg)) != MAST_OK)
    return put_failed(L, ctx, msg, "out of memory");
  if ((code = mast_output_open(&o, MAST_OUT_PRIVATE, &msg)) == MAST_OK &&
      (code = mast_output_write(&o, header, (size_t)hlen, &msg)) == MAST_OK &&
      (code = mast_output_write(&o, key, klen, &msg)) == MAST_OK &&
      (code = mast_output_write(&o, bytes, blen, &msg)) == MAST_OK)
    code = mast_output_commit(&o, -1, &msg);
  mast_output_free(&o);
  if (code != MAST_OK) return put_failed(L, ctx, msg, "out of memory");
  lua_pushboolean(L, 1);
  return 1;
}

/* ---- the directory ---- */

static int is_hex(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  return 1;
}

/* Whether a file name is an entry or a writer's .part of one: clear()
** removes nothing else, whatever else the directory holds. */
static int is_ours(const char *name) {
  size_t n = strlen(name);
  const char *p;
  if (n < NAME_LEN || !is_hex(name, NAME_LEN)) return 0;
  if (n == NAME_LEN) return 1;
  p = name + NAME_LEN;   /* .<pid>-<8 hex>.part */
  if (*p++ != '.' || *p < '0' || *p > '9') return 0;
  while (*p >= '0' && *p <= '9') p++;
  return *p == '-' && strlen(p) == 14 && is_hex(p + 1, 8) && strcmp(p + 9, ".part") == 0;
}

/* One file of the directory, for stats, clear and trim. */
typedef struct cache_file {
  char name[NAME_LEN + 24];
  struct timespec mtime;   /* to the nanosecond: uses within one second keep their order */
  int64_t size;
  int part;   /* a writer's .part */
} cache_file;

/* Reads the entries and .part files of dir into a malloc'ed list (*n of
** them); NULL with *n = 0 when there are none or the directory cannot be
** read. No Lua call happens here: nothing may raise while d is open. */
static cache_file *list_dir(const char *dir, size_t *n) {
  cache_file *list = NULL, *grown;
  size_t cap = 0;
  struct dirent *e;
  struct stat st;
  DIR *d = opendir(dir);
  *n = 0;
  if (d == NULL) return NULL;
  while ((e = readdir(d)) != NULL) {
    if (!is_ours(e->d_name) || strlen(e->d_name) >= sizeof list->name) continue;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      if ((grown = realloc(list, cap * sizeof *list)) == NULL) break;
      list = grown;
    }
    memcpy(list[*n].name, e->d_name, strlen(e->d_name) + 1);   /* fits: checked above */
    list[*n].mtime = st.st_mtim;
    list[*n].size = (int64_t)st.st_size;
    list[*n].part = strlen(e->d_name) != NAME_LEN;
    (*n)++;
  }
  closedir(d);
  return list;
}

/* Removes dir/name if it still is the file listed (a writer may have just
** renamed a fresh entry in its place). */
static int drop_listed(const char *dir, const cache_file *f) {
  char path[4096 + NAME_LEN + 32];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", dir, f->name);
  if (lstat(path, &st) != 0 || st.st_mtim.tv_sec != f->mtime.tv_sec ||
      st.st_mtim.tv_nsec != f->mtime.tv_nsec || (int64_t)st.st_size != f->size)
    return 0;
  return unlink(path) == 0;
}

/* A .part older than this belongs to a writer that died (killed, power
** cut): a live writer renames its file within a transfer's time. */
#define STALE_PART_SECONDS 3600

/* core.cache_clear([dir [, older_than]]) -> the number of files removed.
** older_than (seconds): only entries not used for that long (a hit
** touches an entry's mtime); without it, every entry and .part. */
static int l_cache_clear(lua_State *L) {
  mast_ctx *ctx = mast_bind_ctx(L);
  const char *dir;
  lua_Integer removed = 0;
  lua_Number older = -1;
  cache_file *list;
  size_t n, i;
  time_t now = time(NULL);
  lua_settop(L, 2);
  if (!lua_isnoneornil(L, 2)) {
    older = luaL_checknumber(L, 2);
    if (!(older >= 0) || !isfinite(older))
      return mast_raise(L, MAST_EUSAGE, "older_than must be a number of seconds, 0 or more");
  }
  if ((dir = push_dir_at(L, ctx, 1)) == NULL) {
    lua_pushinteger(L, 0);
    return 1;
  }
  list = list_dir(dir, &n);
  for (i = 0; i < n; i++)
    if (older < 0 || difftime(now, list[i].mtime.tv_sec) >= older) removed += drop_listed(dir, &list[i]);
  free(list);
  lua_pushinteger(L, removed);
  return 1;
}

/* core.cache_stats([dir]) -> entries, bytes (of whole entries; .part files
** are not counted) */
static int l_cache_stats(lua_State *L) {
  const char *dir;
  cache_file *list;
  size_t n, i;
  lua_Integer entries = 0, bytes = 0;
  lua_settop(L, 1);
  if ((dir = push_dir_at(L, mast_bind_ctx(L), 1)) != NULL) {
    list = list_dir(dir, &n);
    for (i = 0; i < n; i++)
      if (!list[i].part) entries++, bytes += (lua_Integer)list[i].size;
    free(list);
  }
  lua_pushinteger(L, entries);
  lua_pushinteger(L, bytes);
  return 2;
}

/* Oldest first, to the nanosecond (a file system with coarser times gives
** ties, which fall back to the name: an order, if not the true one). */
static int by_mtime(const void *a, const void *b) {
  const cache_file *x = a, *y = b;
  if (x->mtime.tv_sec != y->mtime.tv_sec) return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
  if (x->mtime.tv_nsec != y->mtime.tv_nsec) return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
  return strcmp(x->name, y->name);
}

/* core.cache_trim(dir, max_bytes) -> the number of files removed: the
** least recently used entries until the rest fit in max_bytes, and any
** stale .part. Many processes may trim at once: each removes only the file
** it listed, and removing an entry twice is harmless (a miss). */
static int l_cache_trim(lua_State *L) {
  const char *dir;
  lua_Number max = luaL_checknumber(L, 2);
  cache_file *list;
  size_t n, i;
  int64_t total = 0;
  lua_Integer removed = 0;
  time_t now = time(NULL);
  lua_settop(L, 2);
  if (!(max >= 0) || !isfinite(max))
    return mast_raise(L, MAST_EUSAGE, "the cache size cap must be a number of bytes, 0 or more");
  if ((dir = push_dir_at(L, mast_bind_ctx(L), 1)) == NULL) {
    lua_pushinteger(L, 0);
    return 1;
  }
  list = list_dir(dir, &n);
  if (n > 0) qsort(list, n, sizeof *list, by_mtime);
  for (i = 0; i < n; i++)
    if (!list[i].part) total += list[i].size;
  for (i = 0; i < n; i++) {
    if (list[i].part) {
      if (difftime(now, list[i].mtime.tv_sec) > STALE_PART_SECONDS) removed += drop_listed(dir, &list[i]);
    } else if ((lua_Number)total > max) {
      total -= list[i].size;   /* gone, whoever removed it */
      removed += drop_listed(dir, &list[i]);
    }
  }
  free(list);
  lua_pushinteger(L, removed);
  return 1;
}

/* core.cache_dir() -> the directory in use, or nil when the cache is off */
static int l_cache_dir(lua_State *L) {
  if (push_dir(L, mast_bind_ctx(L)) == NULL) lua_pushnil(L);
  return 1;
}

/* ---- hashes ---- */

/* HMAC-SHA256 (RFC 2104) of msg under key (key at most 64 bytes), in hex. */
static void hmac_hex(const char *key, size_t klen, const char *msg, size_t mlen,
                     char out[NAME_LEN + 1]) {
  unsigned char pad[64], inner[32];
  char hex[NAME_LEN + 1];
  sha256 s;
  int i;
  memset(pad, 0, sizeof pad);
  memcpy(pad, key, klen);
  for (i = 0; i < 64; i++) pad[i] ^= 0x36;
  sha256_init(&s);
  sha256_add(&s, pad, 64);
  sha256_add(&s, msg, mlen);
  sha256_hex(&s, hex);
  for (i = 0; i < 32; i++) {   /* back from hex: the inner digest's bytes */
    unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
    unsigned lo = (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
    inner[i] = (unsigned char)(hi << 4 | lo);
  }
  for (i = 0; i < 64; i++) pad[i] ^= 0x36 ^ 0x5c;
  sha256_init(&s);
  sha256_add(&s, pad, 64);
  sha256_add(&s, inner, 32);
  sha256_hex(&s, out);
}

/* core.token_identity() -> a keyed hash of the token in use, or nil when
** there is none. The query cache keys token-bearing answers with it, so the
** token itself never reaches Lua, a key or a file. */
static int l_token_identity(lua_State *L) {
  static const char purpose[] = "mast query cache: token identity, version 1";
  char tok[4096], out[NAME_LEN + 1];
  const char *t = mast_token(mast_bind_ctx(L), tok, sizeof tok);
  if (t == NULL) {
    lua_pushnil(L);
    return 1;
  }
  hmac_hex(purpose, sizeof purpose - 1, t, strlen(t), out);
  memset(tok, 0, sizeof tok);
  lua_pushstring(L, out);
  return 1;
}

/* core.sha256(bytes) -> 64 hex digits */
static int l_sha256(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  char out[NAME_LEN + 1];
  sha256 h;
  sha256_init(&h);
  sha256_add(&h, s, n);
  sha256_hex(&h, out);
  lua_pushstring(L, out);
  return 1;
}

/* core.sha256_file(path) -> 64 hex digits, bytes; or nil, why. Only where
** the library may write (the host's policy): it hashes what it downloaded. */
static int l_sha256_file(lua_State *L) {
  mast_ctx *ctx = mast_bind_ctx(L);
  const char *given = luaL_checkstring(L, 1);
  char *resolved = mast_output_resolve(ctx, given), buf[65536], out[NAME_LEN + 1], why[512];
  sha256 h;
  int fd, err = 0;
  lua_Integer total = 0;
  if (resolved == NULL || !mast_path_allowed(ctx, resolved)) {
    if (resolved != NULL) mast_strfree(ctx, resolved);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: not a path mast may read here", given);
    return 2;
  }
  fd = open(resolved, O_RDONLY | O_CLOEXEC);
  mast_strfree(ctx, resolved);
  if (fd < 0) {
    snprintf(why, sizeof why, "%s: %s", given, strerror(errno));
    lua_pushnil(L);
    lua_pushstring(L, why);
    return 2;
  }
  sha256_init(&h);   /* no Lua call while fd is open */
  for (;;) {
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) err = errno;
    if (r <= 0) break;
    sha256_add(&h, buf, (size_t)r);
    total += r;
  }
  close(fd);
  if (err != 0) {
    snprintf(why, sizeof why, "%s: %s", given, strerror(err));
    lua_pushnil(L);
    lua_pushstring(L, why);
    return 2;
  }
  sha256_hex(&h, out);
  lua_pushstring(L, out);
  lua_pushinteger(L, total);
  return 2;
}

static const luaL_Reg cache_funcs[] = {
  {"cache_dir", l_cache_dir},
  {"cache_get", l_cache_get},
  {"cache_put", l_cache_put},
  {"cache_clear", l_cache_clear},
  {"cache_stats", l_cache_stats},
  {"cache_trim", l_cache_trim},
  {"token_identity", l_token_identity},
  {"sha256", l_sha256},
  {"sha256_file", l_sha256_file},
  {NULL, NULL}
};

void mast_cache_register(lua_State *L) { luaL_setfuncs(L, cache_funcs, 0); }
