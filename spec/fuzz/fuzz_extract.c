/*
** fuzz_extract.c
** libFuzzer target: archive extraction (mast_extract, src/core/extract.c)
** of arbitrary bytes as a tar, tar.gz or zip archive.
**
** Each input is written to <root>/archive and extracted into <root>/out,
** next to a sentinel file <root>/sentinel. Checks:
**   - nothing is created in <root> outside <root>/out, and the sentinel keeps
**     its content and its single link (no hard link reaches it);
**   - nothing appears at /tmp/mast-fuzz-abs (where the seed corpus's
**     absolute entries and links point);
**   - every symbolic link under <root>/out that resolves, resolves inside it;
**   - an archive refused as hostile ("refusing to extract ...") leaves
**     nothing at all in <root>/out;
**   - a failure has a message, success has none, the file callback sees only
**     paths inside <root>/out, and the context's allocator is empty after
**     mast_ctx_free (no leak on any path).
** Files are limited to 16 MB each (RLIMIT_FSIZE, SIGXFSZ ignored: a write
** past it fails with EFBIG) so that a gzip bomb costs little.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define CHECK_ABORTS
#include "../c/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


#define ABS_TARGET "/tmp/mast-fuzz-abs"
#define SENTINEL "sentinel: must stay as it is\n"

static char root[256], out[300], archive[300], sentinel[300], real_out[PATH_MAX];
static counted_heap heap;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st; (void)flag; (void)ftw;
  if (remove(path) != 0 && errno == EACCES) {   /* a directory extracted without write permission */
    chmod(path, 0700);
    remove(path);
  }
  return 0;
}

static int unlock_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)ftw;
  if (flag == FTW_D || flag == FTW_DNR || (st && S_ISDIR(st->st_mode))) chmod(path, 0700);
  return 0;
}

static void wipe(const char *path) {
  nftw(path, unlock_one, 16, FTW_PHYS);
  nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void cleanup(void) { wipe(root); }

static int outside;

static int inside_out(const char *path) {
  size_t n = strlen(out);
  return strncmp(path, out, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int look(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)flag; (void)ftw;
  if (strcmp(path, root) == 0 || strcmp(path, archive) == 0 || strcmp(path, sentinel) == 0)
    return 0;
  if (!inside_out(path)) {
    fprintf(stderr, "created outside the extraction directory: %s\n", path);
    outside = 1;
    return 0;
  }
  if (S_ISLNK(st->st_mode)) {
    char real[PATH_MAX];
    if (realpath(path, real) != NULL) {
      size_t n = strlen(real_out);
      if (!(strncmp(real, real_out, n) == 0 && (real[n] == '\0' || real[n] == '/'))) {
        fprintf(stderr, "a link leads outside: %s -> %s\n", path, real);
        outside = 1;
      }
    }
  }
  return 0;
}

static int count_entries;

static int count_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st; (void)flag; (void)ftw;
  if (strcmp(path, out) != 0) count_entries++;
  return 0;
}

static int on_file(void *ud, const char *path, int64_t size) {
  (void)ud;
  CHECK(inside_out(path), "told of a file outside: %s", path);
  CHECK(size >= 0, "size %lld", (long long)size);
  return 0;
}

static void setup(void) {
  struct rlimit rl;
  if (root[0] != '\0') return;
  snprintf(root, sizeof root, "/tmp/mast-fuzz-extract-%d", (int)getpid());
  snprintf(out, sizeof out, "%s/out", root);
  snprintf(archive, sizeof archive, "%s/archive", root);
  snprintf(sentinel, sizeof sentinel, "%s/sentinel", root);
  wipe(root);
  CHECK(mkdir(root, 0700) == 0, "mkdir %s: %s", root, strerror(errno));
  atexit(cleanup);
  signal(SIGXFSZ, SIG_IGN);
  rl.rlim_cur = rl.rlim_max = 16 << 20;
  setrlimit(RLIMIT_FSIZE, &rl);
}

static void write_file(const char *path, const void *data, size_t size) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
  CHECK(size == 0 || write(fd, data, size) == (ssize_t)size, "write %s", path);
  close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mast_ctx *ctx;
  char *msg = NULL, buf[64];
  struct stat st;
  int code, fd;
  ssize_t n;
  if (size > (1 << 20)) return 0;
  setup();
  wipe(out);
  wipe(ABS_TARGET);
  write_file(archive, data, size);
  write_file(sentinel, SENTINEL, strlen(SENTINEL));
  heap.live = 0;
  ctx = mast_ctx_new(counted_alloc, &heap);
  CHECK(ctx != NULL, "mast_ctx_new");
  code = mast_extract(ctx, archive, out, on_file, NULL, &msg);
  if (code == MAST_OK) {
    CHECK(msg == NULL, "a message on success: %s", msg);
  } else {
    CHECK(code == MAST_EIO || code == MAST_ENOMEM, "code %d", code);
    CHECK(msg != NULL && *msg != '\0', "a failure without a message");
  }
  /* nothing outside, no link out, the sentinel untouched */
  if (realpath(out, real_out) == NULL) snprintf(real_out, sizeof real_out, "%s", out);
  outside = 0;
  nftw(root, look, 16, FTW_PHYS);
  CHECK(!outside, "extraction escaped (%s)", msg ? msg : "it succeeded");
  CHECK(lstat(ABS_TARGET, &st) != 0, "%s was created", ABS_TARGET);
  CHECK(lstat(sentinel, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1,
        "the sentinel was replaced or linked");
  fd = open(sentinel, O_RDONLY);
  n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
  if (fd >= 0) close(fd);
  CHECK(n == (ssize_t)strlen(SENTINEL) && memcmp(buf, SENTINEL, (size_t)n) == 0,
        "the sentinel changed");
  if (msg != NULL && strncmp(msg, "refusing to extract", 19) == 0) {
    count_entries = 0;
    nftw(out, count_one, 16, FTW_PHYS);
    CHECK(count_entries == 0, "a refused archive left %d entries: %s", count_entries, msg);
  }
  mast_free(ctx, msg);
  mast_ctx_free(ctx);
  CHECK(heap.live == 0, "%lld bytes left allocated", heap.live);
  return 0;
}
