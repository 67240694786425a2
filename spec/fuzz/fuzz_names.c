/*
** fuzz_names.c
** libFuzzer target: the names mast takes from the server and turns into local
** paths (src/core/extract.c): a product's obs_collection, obs_id and
** productFilename (mast_unsafe_name, core.safe_name in Lua, used by
** mast.download_products for <dir>/mastDownload/<coll>/<id>/<file>), and an
** archive entry's relative path (mast_unsafe_path).
**
** Input: two length bytes, then the three names (the rest is the file name);
** the whole input is also tried as one relative path.
** Checks, against the file system in a scratch directory:
**   - mast_unsafe_name refuses exactly the empty name, '.', '..', and names
**     holding '/', '\' or NUL, and says why;
**   - three accepted names (of at most 255 bytes) can be created as
**     <scratch>/<coll>/<id>/<file>, and the file lands exactly there
**     (realpath), with nothing else created;
**   - mast_unsafe_path refuses exactly the empty path, absolute paths, paths
**     with NUL and paths with a '..' component; an accepted path, created
**     with mast_mkdirs below the scratch directory, stays inside it.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define CHECK_ABORTS
#include "../c/check.h"
#include "files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static char root[256], scratch[300], real_scratch[PATH_MAX];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st; (void)flag; (void)ftw;
  remove(path);
  return 0;
}

static void wipe(void) {
  nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  CHECK(mkdir(scratch, 0700) == 0, "mkdir %s: %s", scratch, strerror(errno));
}

static int outside;

/* Nothing may exist in root but the scratch directory and what is below it. */
static int look(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  size_t n = strlen(scratch);
  (void)st; (void)flag; (void)ftw;
  if (strcmp(path, root) != 0 && !(strncmp(path, scratch, n) == 0 &&
                                   (path[n] == '\0' || path[n] == '/'))) {
    fprintf(stderr, "created outside the scratch directory: %s\n", path);
    outside = 1;
  }
  return 0;
}

static void check_nothing_outside(void) {
  outside = 0;
  nftw(root, look, 16, FTW_PHYS);
  CHECK(!outside, "a name led outside");
}

static void cleanup(void) { nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

static void setup(void) {
  if (root[0] != '\0') return;
  atexit(cleanup);
  snprintf(root, sizeof root, "/tmp/mast-fuzz-names-%d", (int)getpid());
  snprintf(scratch, sizeof scratch, "%s/s", root);
  CHECK(mkdir(root, 0700) == 0 || errno == EEXIST, "mkdir %s", root);
  mkdir(scratch, 0700);
  CHECK(realpath(scratch, real_scratch) != NULL, "realpath");
}

static int bad_name(const char *s, size_t n) {
  return n == 0 || memchr(s, '\0', n) || memchr(s, '/', n) || memchr(s, '\\', n) ||
         (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

static int bad_path(const char *s, size_t n) {
  size_t i = 0;
  if (n == 0 || memchr(s, '\0', n) || s[0] == '/') return 1;
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != '/') j++;
    if (j - i == 2 && s[i] == '.' && s[i + 1] == '.') return 1;
    i = j + 1;
  }
  return 0;
}

static void check_names(const char *p[3], const size_t n[3]) {
  char path[PATH_MAX * 2], real[PATH_MAX], want[PATH_MAX * 2];
  int k, fd;
  size_t len;
  for (k = 0; k < 3; k++) {
    const char *why = mast_unsafe_name(p[k], n[k]);
    CHECK((why == NULL) == !bad_name(p[k], n[k]), "name %d of %zu bytes: %s", k, n[k],
          why ? why : "accepted");
    if (why != NULL) {
      CHECK(*why != '\0', "an empty reason");
      return;
    }
    if (n[k] > 255) return;   /* the file system's limit, not a safety question */
  }
  wipe();
  len = (size_t)snprintf(path, sizeof path, "%s/", scratch);
  for (k = 0; k < 3; k++) {
    memcpy(path + len, p[k], n[k]);
    len += n[k];
    path[len] = '\0';
    if (k < 2) {
      CHECK(mkdir(path, 0700) == 0, "mkdir %s: %s", path, strerror(errno));
      path[len++] = '/';
    }
  }
  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  CHECK(fd >= 0, "cannot create %s: %s", path, strerror(errno));
  close(fd);
  CHECK(realpath(path, real) != NULL, "realpath %s", path);
  snprintf(want, sizeof want, "%s/%.*s/%.*s/%.*s", real_scratch, (int)n[0], p[0], (int)n[1], p[1],
           (int)n[2], p[2]);
  CHECK(strcmp(real, want) == 0, "the file is at %s, not at %s", real, want);
  check_nothing_outside();
}

static void check_path(const char *s, size_t n) {
  const char *why = mast_unsafe_path(s, n);
  char path[PATH_MAX * 2], dir[PATH_MAX * 2], real[PATH_MAX];
  int err = 0, fd;
  size_t i, comp = 0;
  CHECK((why == NULL) == !bad_path(s, n), "path of %zu bytes: %s", n, why ? why : "accepted");
  if (why != NULL || n > 1000) return;
  for (i = 0; i < n; i++) {   /* components the file system cannot hold */
    comp = s[i] == '/' ? 0 : comp + 1;
    if (comp > 255) return;
  }
  wipe();
  snprintf(path, sizeof path, "%s/%.*s", scratch, (int)n, s);
  CHECK(mast_parent_dir(path, dir, sizeof dir), "parent of %s", path);
  if (!mast_mkdirs(dir, &err)) {
    /* only because a component exists as something else: never an escape */
    CHECK(err == ENOTDIR || err == EEXIST, "mkdirs %s: %s", dir, strerror(err));
  } else {
    fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW, 0600);
    if (fd >= 0) close(fd);
    CHECK(realpath(dir, real) != NULL, "realpath %s", dir);
    CHECK(strncmp(real, real_scratch, strlen(real_scratch)) == 0, "%s leads to %s", s, real);
  }
  check_nothing_outside();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p[3];
  size_t n[3];
  if (size < 2 || size > 4096) return 0;
  setup();
  n[0] = data[0] < size - 2 ? data[0] : size - 2;
  n[1] = data[1] < size - 2 - n[0] ? data[1] : size - 2 - n[0];
  n[2] = size - 2 - n[0] - n[1];
  p[0] = (const char *)data + 2;
  p[1] = p[0] + n[0];
  p[2] = p[1] + n[1];
  check_names(p, n);
  check_path((const char *)data + 2, size - 2);
  return 0;
}
