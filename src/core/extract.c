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
** Links are checked lexically, so a link may not pass through another link
** of the archive (a -> b/.. with b -> . would lead outside), and nothing is
** written through a symbolic link already on disk below the directory.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>

#include "internal.h"
#include "files.h"
#include "output.h"
#include "jsonnum.h"

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

/* A growable list of strings (entry names), allocated through ctx. */
typedef struct names {
  char **v;
  size_t n, cap;
} names;

static int names_add(mast_ctx *ctx, names *l, const char *s) {
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 8;
    char **nv = mast_realloc(ctx, l->v, l->cap * sizeof *l->v, nc * sizeof *l->v);
    if (nv == NULL) return 0;
    l->v = nv;
    l->cap = nc;
  }
  if ((l->v[l->n] = mast_strdup(ctx, s)) == NULL) return 0;
  l->n++;
  return 1;
}

static void names_free(mast_ctx *ctx, names *l) {
  size_t k;
  for (k = 0; k < l->n; k++) mast_strfree(ctx, l->v[k]);
  mast_sfree(ctx, l->v, l->cap * sizeof *l->v);
  memset(l, 0, sizeof *l);
}

static int is_link_name(const names *links, const char *path, size_t len) {
  size_t k;
  for (k = 0; k < links->n; k++)
    if (strlen(links->v[k]) == len && memcmp(links->v[k], path, len) == 0) return 1;
  return 0;
}

/* Walks `rel` lexically from the directory `base` (both relative to the
** extraction directory; base may be ""). Returns 1 if the walk never climbs
** above the extraction directory and never passes through one of the
** archive's symbolic links (ending at one is fine): a link's target is
** resolved on disk, so b/.. with b -> . is the directory's parent, whatever
** the letters say. */
static int walk_inside(const char *base, const char *rel, const names *links) {
  char buf[PATH_MAX * 2], path[PATH_MAX * 2];
  char *p, *save = NULL;
  size_t len = 0, depth = 0;
  size_t nb = strlen(base), nr = strlen(rel);
  if (rel[0] == '/' || nb + 1 + nr + 1 > sizeof buf) return 0;
  memcpy(buf, base, nb);
  buf[nb] = '/';
  memcpy(buf + nb + 1, rel, nr + 1);
  path[0] = '\0';
  for (p = strtok_r(buf, "/", &save); p != NULL; p = strtok_r(NULL, "/", &save)) {
    if (strcmp(p, ".") == 0) continue;
    if (depth > 0 && is_link_name(links, path, len)) return 0;   /* through a link */
    if (strcmp(p, "..") == 0) {
      char *slash;
      if (depth == 0) return 0;   /* climbs above the directory */
      depth--;
      slash = strrchr(path, '/');
      len = slash ? (size_t)(slash - path) : 0;
      path[len] = '\0';
    } else {
      size_t n = strlen(p);
      if (len + 1 + n + 1 > sizeof path) return 0;
      if (depth > 0) path[len++] = '/';
      memcpy(path + len, p, n + 1);
      len += n;
      depth++;
    }
  }
  return 1;
}

/* The directory part of an entry name ("" at the top). */
static void entry_dir(const char *name, char *out, size_t len) {
  const char *slash = strrchr(name, '/');
  size_t n = slash ? (size_t)(slash - name) : 0;
  if (n >= len) n = len - 1;
  memcpy(out, name, n);
  out[n] = '\0';
}

/* Whether a directory on the way from dir to the entry `name` (its parents
** only) is a symbolic link already on disk: writing there would follow it. */
static int link_on_disk(const char *dir, const char *name) {
  char path[PATH_MAX * 2];
  size_t i, n = strlen(dir), nn = strlen(name);
  if (n + 1 + nn + 1 > sizeof path) return 1;
  memcpy(path, dir, n);
  path[n] = '/';
  memcpy(path + n + 1, name, nn + 1);
  for (i = n + 1; path[i] != '\0'; i++) {
    struct stat st;
    if (path[i] != '/') continue;
    path[i] = '\0';
    if (lstat(path, &st) != 0) return 0;   /* the rest will be made as directories */
    if (S_ISLNK(st.st_mode)) return 1;
    path[i] = '/';
  }
  return 0;
}

/* libarchive is opened only when an archive is extracted: it drags libxml2,
** ICU and libstdc++ in, which would otherwise cost every start of mast. The
** handle is RTLD_NODELETE, so the next extraction finds it loaded. */
#define ARC_FUNCS(X)                                                              \
  X(struct archive *, archive_read_new, (void))                                  \
  X(int, archive_read_support_filter_gzip, (struct archive *))                   \
  X(int, archive_read_support_filter_none, (struct archive *))                   \
  X(int, archive_read_support_format_tar, (struct archive *))                    \
  X(int, archive_read_support_format_zip, (struct archive *))                    \
  X(int, archive_read_open_filename, (struct archive *, const char *, size_t))   \
  X(int, archive_read_next_header, (struct archive *, struct archive_entry **))  \
  X(la_ssize_t, archive_read_data_block,                                         \
    (struct archive *, const void **, size_t *, la_int64_t *))                   \
  X(int, archive_read_free, (struct archive *))                                  \
  X(const char *, archive_error_string, (struct archive *))                      \
  X(const char *, archive_entry_pathname, (struct archive_entry *))              \
  X(const char *, archive_entry_hardlink, (struct archive_entry *))              \
  X(const char *, archive_entry_symlink, (struct archive_entry *))               \
  X(__LA_MODE_T, archive_entry_filetype, (struct archive_entry *))             \
  X(int, archive_entry_size_is_set, (struct archive_entry *))                    \
  X(la_int64_t, archive_entry_size, (struct archive_entry *))

#define ARC_MEMBER(ret, name, args) ret(*name) args;
typedef struct arc_api {
  ARC_FUNCS(ARC_MEMBER)
} arc_api;

/* Fills api from the libarchive the build was made against; NULL, or why not. */
static char *arc_load(mast_ctx *ctx, arc_api *api) {
  void *lib = dlopen(MAST_LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (lib == NULL)
    return mast_format(ctx, "extracting an archive needs libarchive (%s): %s",
                       MAST_LIBARCHIVE_SONAME, dlerror());
#define ARC_LOAD(ret, name, args)                                      \
  if ((*(void **)(&api->name) = dlsym(lib, #name)) == NULL)            \
    return mast_format(ctx, "%s lacks %s", MAST_LIBARCHIVE_SONAME, #name);
  ARC_FUNCS(ARC_LOAD)
#undef ARC_LOAD
  return NULL;   /* never dlclosed: LeakSanitizer counts ld.so's list of a NODELETE
                 ** library closed as a leak; another dlopen only counts up */
}

static char *fail(mast_ctx *ctx, const char *archive, const char *entry, const char *why) {
  return mast_format(ctx, "refusing to extract %s: entry '%s' %s; nothing was extracted",
                     archive, entry, why);
}

static struct archive *open_archive(const arc_api *A, const char *path) {
  struct archive *a = A->archive_read_new();
  if (a == NULL) return NULL;
  A->archive_read_support_filter_gzip(a);
  A->archive_read_support_filter_none(a);
  A->archive_read_support_format_tar(a);
  A->archive_read_support_format_zip(a);
  if (A->archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) return a;   /* caller checks */
  return a;
}

/* A trimmed entry name: a leading "./" is dropped, trailing '/' too; the
** directory itself ("./", as `tar -C dir -cf a.tar .` writes it) is ".". */
static void entry_name(const char *raw, char *out, size_t len) {
  size_t n;
  while (raw[0] == '.' && raw[1] == '/') raw += 2;
  snprintf(out, len, "%s", raw[0] != '\0' ? raw : ".");
  n = strlen(out);
  while (n > 1 && out[n - 1] == '/') out[--n] = '\0';
}

/* Why an entry's name cannot be a file name mast writes, or NULL: a control
** character (a newline breaks every listing and manifest), or bytes that are
** not UTF-8. */
static const char *bad_bytes(const char *raw) {
  const unsigned char *p = (const unsigned char *)raw, *end = p + strlen(raw);
  while (p < end) {
    int n = 1;
    if (*p < 32 || *p == 127) return "holds a control character (a newline, a tab, ...)";
    if (*p >= 0x80 && (n = jsonnum_utf8_len(p, end)) == 0) return "is not valid UTF-8";
    p += n;
  }
  return NULL;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bytes free below dir (or its nearest existing parent), or -1. */
static int64_t free_below(const char *dir) {
  char d[PATH_MAX];
  struct statvfs v;
  if (snprintf(d, sizeof d, "%s", dir) >= (int)sizeof d) return -1;
  while (statvfs(d, &v) != 0) {
    char *slash = strrchr(d, '/');
    if (errno != ENOENT || slash == NULL) return -1;
    if (slash == d) slash[1] = '\0';
    else *slash = '\0';
    if (strcmp(d, "/") == 0 && statvfs(d, &v) != 0) return -1;
  }
  return (int64_t)v.f_bavail * (int64_t)v.f_frsize;
}

/* Pass 1: checks every entry. Returns NULL if all are safe, else a message.
** Links are checked once every link of the archive is known, since a link
** may come after the entries it would affect. */
static char *check_all(const arc_api *A, mast_ctx *ctx, const char *archive, const char *dir, int *count) {
  struct archive *a = open_archive(A, archive);
  struct archive_entry *e;
  names entries = {0}, links = {0}, targets = {0}, hard = {0}, hard_targets = {0}, files = {0};
  size_t i, k;
  char *msg = NULL;
  int64_t bytes = 0, room;
  int r;
  *count = 0;
  if (a == NULL) return mast_format(ctx, "out of memory opening %s", archive);
  while ((r = A->archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    const char *raw = A->archive_entry_pathname(e);
    char name[PATH_MAX];
    const char *why;
    mode_t type = A->archive_entry_filetype(e);
    if (raw == NULL) {
      msg = mast_format(ctx, "refusing to extract %s: an entry has no name", archive);
      break;
    }
    if ((why = bad_bytes(raw)) != NULL) {   /* named by its place: the name is the trouble */
      msg = mast_format(ctx, "refusing to extract %s: the name of entry %d %s; nothing was "
                        "extracted", archive, *count + 1, why);
      break;
    }
    if (raw[0] == '/') {
      msg = fail(ctx, archive, raw, "is an absolute path");
      break;
    }
    entry_name(raw, name, sizeof name);
    if (strcmp(name, ".") == 0) {   /* the directory itself: nothing to write */
      if (type == AE_IFDIR && A->archive_entry_hardlink(e) == NULL) continue;
      msg = fail(ctx, archive, raw, "names the directory itself, as something else");
      break;
    }
    if ((why = mast_unsafe_path(name, strlen(name))) != NULL) {
      msg = fail(ctx, archive, raw, why);
      break;
    }
    if (link_on_disk(dir, name)) {
      msg = fail(ctx, archive, raw, "lies below a symbolic link already in the directory");
      break;
    }
    if (A->archive_entry_hardlink(e) != NULL) {
      const char *t = A->archive_entry_hardlink(e);
      char tname[PATH_MAX];
      entry_name(t, tname, sizeof tname);
      if (t[0] == '/' || mast_unsafe_path(tname, strlen(tname)) != NULL) {
        msg = fail(ctx, archive, raw, "is a hard link to a place outside the directory");
        break;
      }
      if (link_on_disk(dir, tname)) {
        msg = fail(ctx, archive, raw, "is a hard link through a symbolic link already in the "
                   "directory");
        break;
      }
      if (!names_add(ctx, &hard, name) || !names_add(ctx, &hard_targets, tname)) {
        msg = mast_format(ctx, "out of memory");
        break;
      }
    } else if (type == AE_IFLNK) {
      const char *t = A->archive_entry_symlink(e);
      char base[PATH_MAX];
      entry_dir(name, base, sizeof base);
      if (t == NULL || !walk_inside(base, t, &links)) {
        msg = fail(ctx, archive, raw, "is a symbolic link that leads outside the directory");
        break;
      }
      if (!names_add(ctx, &links, name) || !names_add(ctx, &targets, t)) {
        msg = mast_format(ctx, "out of memory");
        break;
      }
    } else if (type != AE_IFREG && type != AE_IFDIR) {
      msg = fail(ctx, archive, raw, "is not a file, a directory or a link");
      break;
    }
    if (!names_add(ctx, &entries, name) || (type != AE_IFDIR && !names_add(ctx, &files, name))) {
      msg = mast_format(ctx, "out of memory");
      break;
    }
    if (type == AE_IFREG && A->archive_entry_size_is_set(e) && A->archive_entry_size(e) > 0)
      bytes = A->archive_entry_size(e) > INT64_MAX - bytes ? INT64_MAX : bytes + A->archive_entry_size(e);
    (*count)++;
  }
  /* two entries of one name: the second would silently replace the first */
  if (msg == NULL && files.n > 1) {
    qsort(files.v, files.n, sizeof *files.v, by_name);
    for (i = 1; msg == NULL && i < files.n; i++)
      if (strcmp(files.v[i - 1], files.v[i]) == 0)
        msg = fail(ctx, archive, files.v[i], "appears twice in the archive");
  }
  /* entries that expand past the room left: refused before one is written */
  if (msg == NULL && bytes > 0 && (room = free_below(dir)) >= 0 && bytes > room)
    msg = mast_format(ctx, "refusing to extract %s: its entries expand to %lld bytes, more than "
                      "the %lld bytes free in %s; nothing was extracted", archive,
                      (long long)bytes, (long long)room, dir);
  if (msg == NULL && r != ARCHIVE_EOF)
    msg = mast_format(ctx, "cannot read %s as a tar, tar.gz or zip archive: %s", archive,
                      A->archive_error_string(a) ? A->archive_error_string(a) : "unknown error");
  /* every link is known now */
  for (i = 0; msg == NULL && i < entries.n; i++)
    for (k = 0; msg == NULL && k < links.n; k++) {
      size_t n = strlen(links.v[k]);
      if (strncmp(entries.v[i], links.v[k], n) == 0 && entries.v[i][n] == '/')
        msg = fail(ctx, archive, entries.v[i], "lies below a symbolic link in the same archive");
    }
  for (k = 0; msg == NULL && k < links.n; k++) {
    char base[PATH_MAX];
    entry_dir(links.v[k], base, sizeof base);
    if (!walk_inside(base, targets.v[k], &links))
      msg = fail(ctx, archive, links.v[k], "is a symbolic link that leads through another link "
                 "of the archive (and so, possibly, outside the directory)");
  }
  for (k = 0; msg == NULL && k < hard.n; k++)
    if (!walk_inside("", hard_targets.v[k], &links))
      msg = fail(ctx, archive, hard.v[k], "is a hard link through a symbolic link of the archive");
  names_free(ctx, &entries);
  names_free(ctx, &links);
  names_free(ctx, &targets);
  names_free(ctx, &hard);
  names_free(ctx, &hard_targets);
  names_free(ctx, &files);
  A->archive_read_free(a);
  return msg;
}

static char *write_file(const arc_api *A, mast_ctx *ctx, struct archive *a, const char *path, int64_t *size) {
  mast_output o;
  const void *buf;
  size_t len;
  la_int64_t off;
  char *msg = NULL;
  int r;
  *size = 0;
  if (mast_output_init(ctx, &o, path, &msg) != MAST_OK ||
      mast_output_open(&o, MAST_OUT_FRESH, &msg) != MAST_OK) {
    mast_output_free(&o);
    return msg != NULL ? msg : mast_format(ctx, "out of memory writing %s", path);
  }
  while ((r = A->archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
    if (lseek(o.fd, (off_t)off, SEEK_SET) < 0) {
      msg = mast_format(ctx, "cannot write %s: %s", o.part, strerror(errno));
      break;
    }
    if (mast_output_write(&o, buf, len, &msg) != MAST_OK) break;
    if ((int64_t)(off + (la_int64_t)len) > *size) *size = (int64_t)(off + (la_int64_t)len);
  }
  if (msg == NULL && r != ARCHIVE_EOF)
    msg = mast_format(ctx, "cannot read %s from the archive: %s", path,
                      A->archive_error_string(a) ? A->archive_error_string(a) : "unknown error");
  if (msg == NULL) mast_output_commit(&o, *size, &msg);   /* sparse entries: cut to size */
  mast_output_free(&o);
  return msg;
}

static int extract(const arc_api *A, mast_ctx *ctx, const char *archive, const char *dir, mast_entry_fn fn, void *ud,
                   char **message) {
  struct archive *a;
  struct archive_entry *e;
  int count, written = 0, r, err = 0, code = MAST_OK;
  char *msg = NULL;
  *message = NULL;
  if (!mast_path_allowed(ctx, dir)) {
    *message = mast_format(ctx, "this host does not allow writing to %s", dir);
    return MAST_EDENIED;
  }
  if ((msg = check_all(A, ctx, archive, dir, &count)) != NULL) {
    *message = msg;
    return strncmp(msg, "out of memory", 13) == 0 ? MAST_ENOMEM : MAST_EIO;
  }
  if (!mast_mkdirs(dir, &err)) {
    *message = mast_format(ctx, "cannot create directory %s: %s", dir, strerror(err));
    return MAST_EIO;
  }
  a = open_archive(A, archive);
  if (a == NULL) {
    *message = mast_format(ctx, "out of memory opening %s", archive);
    return MAST_ENOMEM;
  }
  while ((r = A->archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    char name[PATH_MAX], path[PATH_MAX * 2], parent[PATH_MAX * 2];
    mode_t type = A->archive_entry_filetype(e);
    int64_t size = 0;
    if (mast_cancelled(ctx)) {   /* between entries: each one is whole or absent */
      msg = mast_format(ctx, "cancelled while extracting %s: %d of %d entries written", archive,
                        written, count);
      code = MAST_ECANCELLED;
      break;
    }
    written++;
    entry_name(A->archive_entry_pathname(e), name, sizeof name);
    if (strcmp(name, ".") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!mast_parent_dir(path, parent, sizeof parent) || !mast_mkdirs(parent, &err)) {
      msg = mast_format(ctx, "cannot create the directory for %s: %s", path, strerror(err));
      code = MAST_EIO;
      break;
    }
    if (A->archive_entry_hardlink(e) != NULL) {
      char tname[PATH_MAX], target[PATH_MAX * 2];
      entry_name(A->archive_entry_hardlink(e), tname, sizeof tname);
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
      if (symlink(A->archive_entry_symlink(e), path) != 0) {
        msg = mast_format(ctx, "cannot create the link %s: %s", path, strerror(errno));
        code = MAST_EIO;
        break;
      }
    } else if ((msg = write_file(A, ctx, a, path, &size)) != NULL) {
      code = MAST_EIO;
      break;
    }
    if (fn != NULL && fn(ud, path, size) != 0) {
      /* a cancel that reached the callback first (a host's Ctrl-C hook
         stops the Lua code the callback runs) is still a cancel */
      if (mast_cancelled(ctx)) {
        msg = mast_format(ctx, "cancelled while extracting %s: %d of %d entries written", archive,
                          written, count);
        code = MAST_ECANCELLED;
      } else {
        msg = mast_format(ctx, "extraction of %s stopped by the caller", archive);
        code = MAST_ECALLBACK;
      }
      break;
    }
  }
  if (code == MAST_OK && r != ARCHIVE_EOF) {
    msg = mast_format(ctx, "cannot read %s: %s", archive,
                      A->archive_error_string(a) ? A->archive_error_string(a) : "unknown error");
    code = MAST_EIO;
  }
  A->archive_read_free(a);
  *message = msg;
  return code;
}

int mast_extract(mast_ctx *ctx, const char *archive, const char *dir, mast_entry_fn fn, void *ud,
                 char **message) {
  char *m = NULL;
  arc_api api;
  char *where;
  int code;
  if ((m = arc_load(ctx, &api)) != NULL) {
    *message = mast_host_string(ctx, m);
    return MAST_EIO;
  }
  where = mast_output_resolve(ctx, dir);   /* relative: under the download root */
  code = where == NULL ? MAST_ENOMEM : extract(&api, ctx, archive, where, fn, ud, &m);
  mast_strfree(ctx, where);
  *message = mast_host_string(ctx, m);   /* the host frees it with mast_free */
  return code;
}
