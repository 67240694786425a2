/*
** files.c -- local files: the download jail, directories, durable renames.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "files.h"

/* The deepest existing ancestor of path, resolved. Returns a malloc'd
** string (free()) or NULL. */
static char *resolve_existing(const char *path) {
  char buf[PATH_MAX];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) return NULL;
  memcpy(buf, path, n + 1);
  for (;;) {
    char *real = realpath(buf, NULL);
    char *slash;
    if (real != NULL) return real;
    if (errno != ENOENT && errno != ENOTDIR) return NULL;
    slash = strrchr(buf, '/');
    if (slash == NULL) return realpath(".", NULL);
    if (slash == buf) return realpath("/", NULL);
    *slash = '\0';
  }
}

int mast_path_allowed(mast_ctx *ctx, const char *path) {
  char *real;
  size_t n;
  int ok;
  if (ctx->download_root == NULL) return 1;
  /* a path that names a parent directory could climb out once created */
  if (strstr(path, "..") != NULL) {
    const char *p = path;
    while ((p = strstr(p, "..")) != NULL) {
      int start = (p == path || p[-1] == '/');
      int end = (p[2] == '\0' || p[2] == '/');
      if (start && end) return 0;
      p += 2;
    }
  }
  real = resolve_existing(path);
  if (real == NULL) return 0;
  n = strlen(ctx->download_root);
  ok = strncmp(real, ctx->download_root, n) == 0 && (real[n] == '\0' || real[n] == '/' ||
                                                      strcmp(ctx->download_root, "/") == 0);
  free(real);
  return ok;
}

int mast_mkdirs(const char *dir, int *err) {
  char buf[PATH_MAX];
  size_t i, n = strlen(dir);
  if (n == 0) return 1;
  if (n >= sizeof buf) {
    *err = ENAMETOOLONG;
    return 0;
  }
  memcpy(buf, dir, n + 1);
  for (i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      struct stat st;
      buf[i] = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
        *err = errno;
        return 0;
      }
      if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        *err = ENOTDIR;
        return 0;
      }
      buf[i] = c;
    }
  }
  return 1;
}

int mast_parent_dir(const char *path, char *buf, size_t len) {
  const char *slash = strrchr(path, '/');
  size_t n;
  if (slash == NULL) {
    if (len < 2) return 0;
    strcpy(buf, ".");
    return 1;
  }
  n = (slash == path) ? 1 : (size_t)(slash - path);
  if (n >= len) return 0;
  memcpy(buf, path, n);
  buf[n] = '\0';
  return 1;
}

int mast_fsync_dir(const char *path) {
  char dir[PATH_MAX];
  int fd, rc;
  if (!mast_parent_dir(path, dir, sizeof dir)) return -1;
  fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return -1;
  rc = fsync(fd);
  close(fd);
  return rc;
}
