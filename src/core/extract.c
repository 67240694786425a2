/*
** extract.c -- safe names and safe archive extraction.
**
** Product names come from the server and archive entries from a download:
** neither is trusted. A product name component may not be empty, ".",
** "..", contain '/' or NUL, or start with '/'. An archive is read twice:
** first every entry is checked (no absolute path, no ".." component, no
** entry below a symlink entry, links only to places inside the directory,
** only files, directories and links), and only if all pass is anything
** written; each file goes to <path>.part and is renamed into place.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "internal.h"
#include "files.h"

const char *mast_unsafe_name(const char *s, size_t len) {
  if (len == 0) return "it is empty";
  if (memchr(s, '\0', len) != NULL) return "it contains a NUL byte";
  if (memchr(s, '/', len) != NULL) return s[0] == '/' ? "it is an absolute path" : "it contains '/'";
  if (memchr(s, '\\', len) != NULL) return "it contains '\\'";
  if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
    return "it names a directory ('.' or '..')";
  return NULL;
}

const char *mast_unsafe_path(const char *s, size_t len) {
  size_t i = 0;
  if (len == 0) return "it is empty";
  if (memchr(s, '\0', len) != NULL) return "it contains a NUL byte";
  if (s[0] == '/') return "it is an absolute path";
  while (i < len) {
    size_t j = i;
    while (j < len && s[j] != '/') j++;
    if (j - i == 2 && s[i] == '.' && s[i + 1] == '.') return "it has a '..' component";
    i = j + 1;
  }
  return NULL;
}

/* Whether a symlink at entry path `path` with target `target` points to a
** place inside the extraction directory (a relative target that never
** climbs above it). */
static int link_inside(const char *path, const char *target) {
  char buf[PATH_MAX * 2];
  const char *slash = strrchr(path, '/');
  char *p, *save = NULL;
  size_t depth = 0, n = slash ? (size_t)(slash - path) : 0;
  if (target[0] == '/' || n + 1 + strlen(target) + 1 > sizeof buf) return 0;
  memcpy(buf, path, n);
  buf[n] = '/';
  strcpy(buf + n + 1, target);
  for (p = strtok_r(buf, "/", &save); p != NULL; p = strtok_r(NULL, "/", &save)) {
    if (strcmp(p, ".") == 0) continue;
    if (strcmp(p, "..") == 0) {
      if (depth == 0) return 0;   /* climbs above the directory */
      depth--;
    } else {
      depth++;
    }
  }
  return 1;
}

static char *fail(mast_ctx *ctx, const char *archive, const char *entry, const char *why) {
  return mast_format(ctx, "refusing to extract %s: entry '%s' %s; nothing was extracted",
                     archive, entry, why);
}

static struct archive *open_archive(const char *path) {
  struct archive *a = archive_read_new();
  if (a == NULL) return NULL;
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_none(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_zip(a);
  if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) return a;   /* caller checks */
  return a;
}

/* A trimmed entry name: a leading "./" is dropped, trailing '/' too. */
static void entry_name(const char *raw, char *out, size_t len) {
  size_t n;
  while (raw[0] == '.' && raw[1] == '/') raw += 2;
  snprintf(out, len, "%s", raw);
  n = strlen(out);
  while (n > 1 && out[n - 1] == '/') out[--n] = '\0';
}

/* Pass 1: checks every entry. Returns NULL if all are safe, else a message. */
static char *check_all(mast_ctx *ctx, const char *archive, int *count) {
  struct archive *a = open_archive(archive);
  struct archive_entry *e;
  char **links = NULL;
  size_t nlinks = 0, caplinks = 0, k;
  char *msg = NULL;
  int r;
  *count = 0;
  if (a == NULL) return mast_format(ctx, "out of memory opening %s", archive);
  while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    const char *raw = archive_entry_pathname(e);
    char name[PATH_MAX];
    const char *why;
    mode_t type = archive_entry_filetype(e);
    if (raw == NULL) {
      msg = mast_format(ctx, "refusing to extract %s: an entry has no name", archive);
      break;
    }
    if (raw[0] == '/') {
      msg = fail(ctx, archive, raw, "is an absolute path");
      break;
    }
    entry_name(raw, name, sizeof name);
    if ((why = mast_unsafe_path(name, strlen(name))) != NULL) {
      msg = fail(ctx, archive, raw, why);
      break;
    }
    for (k = 0; k < nlinks; k++) {
      size_t n = strlen(links[k]);
      if (strncmp(name, links[k], n) == 0 && name[n] == '/') break;
    }
    if (k < nlinks) {
      msg = fail(ctx, archive, raw, "lies below a symbolic link in the same archive");
      break;
    }
    if (archive_entry_hardlink(e) != NULL) {
      const char *t = archive_entry_hardlink(e);
      char tname[PATH_MAX];
      entry_name(t, tname, sizeof tname);
      if (t[0] == '/' || mast_unsafe_path(tname, strlen(tname)) != NULL) {
        msg = fail(ctx, archive, raw, "is a hard link to a place outside the directory");
        break;
      }
    } else if (type == AE_IFLNK) {
      const char *t = archive_entry_symlink(e);
      if (t == NULL || !link_inside(name, t)) {
        msg = fail(ctx, archive, raw, "is a symbolic link that leads outside the directory");
        break;
      }
      if (nlinks == caplinks) {
        size_t nc = caplinks ? caplinks * 2 : 8;
        char **nl = mast_realloc(ctx, links, caplinks * sizeof *links, nc * sizeof *links);
        if (nl == NULL) {
          msg = mast_format(ctx, "out of memory");
          break;
        }
        links = nl;
        caplinks = nc;
      }
      if ((links[nlinks] = mast_strdup(ctx, name)) == NULL) {
        msg = mast_format(ctx, "out of memory");
        break;
      }
      nlinks++;
    } else if (type != AE_IFREG && type != AE_IFDIR) {
      msg = fail(ctx, archive, raw, "is not a file, a directory or a link");
      break;
    }
    (*count)++;
  }
  if (msg == NULL && r != ARCHIVE_EOF)
    msg = mast_format(ctx, "cannot read %s as a tar, tar.gz or zip archive: %s", archive,
                      archive_error_string(a) ? archive_error_string(a) : "unknown error");
  for (k = 0; k < nlinks; k++) mast_strfree(ctx, links[k]);
  mast_free(ctx, links, caplinks * sizeof *links);
  archive_read_free(a);
  return msg;
}

static char *write_file(mast_ctx *ctx, struct archive *a, const char *path, int64_t *size) {
  char part[PATH_MAX * 2 + 8];
  int fd;
  const void *buf;
  size_t len;
  la_int64_t off;
  int r;
  *size = 0;
  snprintf(part, sizeof part, "%s.part", path);
  fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) return mast_format(ctx, "cannot create %s: %s", part, strerror(errno));
  while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
    size_t done = 0;
    if (lseek(fd, (off_t)off, SEEK_SET) < 0) goto io_error;
    while (done < len) {
      ssize_t w = write(fd, (const char *)buf + done, len - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        goto io_error;
      }
      done += (size_t)w;
    }
    if ((int64_t)(off + (la_int64_t)len) > *size) *size = (int64_t)(off + (la_int64_t)len);
  }
  if (r != ARCHIVE_EOF) {
    close(fd);
    unlink(part);
    return mast_format(ctx, "cannot read %s from the archive: %s", path,
                       archive_error_string(a) ? archive_error_string(a) : "unknown error");
  }
  if (ftruncate(fd, (off_t)*size) != 0 || fsync(fd) != 0) goto io_error;
  close(fd);
  if (rename(part, path) != 0) {
    char *m = mast_format(ctx, "cannot rename %s to %s: %s", part, path, strerror(errno));
    unlink(part);
    return m;
  }
  return NULL;
io_error:
  {
    char *m = mast_format(ctx, "cannot write %s: %s", part, strerror(errno));
    close(fd);
    unlink(part);
    return m;
  }
}

int mast_extract(mast_ctx *ctx, const char *archive, const char *dir, mast_entry_fn fn, void *ud,
                 char **message) {
  struct archive *a;
  struct archive_entry *e;
  int count, r, err = 0, code = MAST_OK;
  char *msg;
  *message = NULL;
  if (!mast_path_allowed(ctx, dir)) {
    *message = mast_format(ctx, "this host does not allow writing to %s", dir);
    return MAST_EDENIED;
  }
  if ((msg = check_all(ctx, archive, &count)) != NULL) {
    *message = msg;
    return strncmp(msg, "out of memory", 13) == 0 ? MAST_ENOMEM : MAST_EIO;
  }
  if (!mast_mkdirs(dir, &err)) {
    *message = mast_format(ctx, "cannot create directory %s: %s", dir, strerror(err));
    return MAST_EIO;
  }
  a = open_archive(archive);
  if (a == NULL) {
    *message = mast_format(ctx, "out of memory opening %s", archive);
    return MAST_ENOMEM;
  }
  while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    char name[PATH_MAX], path[PATH_MAX * 2], parent[PATH_MAX * 2];
    mode_t type = archive_entry_filetype(e);
    int64_t size = 0;
    entry_name(archive_entry_pathname(e), name, sizeof name);
    if (strcmp(name, ".") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!mast_parent_dir(path, parent, sizeof parent) || !mast_mkdirs(parent, &err)) {
      msg = mast_format(ctx, "cannot create the directory for %s: %s", path, strerror(err));
      code = MAST_EIO;
      break;
    }
    if (archive_entry_hardlink(e) != NULL) {
      char tname[PATH_MAX], target[PATH_MAX * 2];
      entry_name(archive_entry_hardlink(e), tname, sizeof tname);
      snprintf(target, sizeof target, "%s/%s", dir, tname);
      unlink(path);
      if (link(target, path) != 0) {
        msg = mast_format(ctx, "cannot link %s to %s: %s", path, target, strerror(errno));
        code = MAST_EIO;
        break;
      }
    } else if (type == AE_IFDIR) {
      if (!mast_mkdirs(path, &err)) {
        msg = mast_format(ctx, "cannot create directory %s: %s", path, strerror(err));
        code = MAST_EIO;
        break;
      }
      continue;
    } else if (type == AE_IFLNK) {
      unlink(path);
      if (symlink(archive_entry_symlink(e), path) != 0) {
        msg = mast_format(ctx, "cannot create the link %s: %s", path, strerror(errno));
        code = MAST_EIO;
        break;
      }
    } else if ((msg = write_file(ctx, a, path, &size)) != NULL) {
      code = MAST_EIO;
      break;
    }
    if (fn != NULL && fn(ud, path, size) != 0) {
      msg = mast_format(ctx, "extraction of %s stopped by the caller", archive);
      code = MAST_ECALLBACK;
      break;
    }
  }
  if (code == MAST_OK && r != ARCHIVE_EOF) {
    msg = mast_format(ctx, "cannot read %s: %s", archive,
                      archive_error_string(a) ? archive_error_string(a) : "unknown error");
    code = MAST_EIO;
  }
  archive_read_free(a);
  *message = msg;
  return code;
}
