/*
** output.c -- the one way the library writes a file (see output.h).
*/
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "output.h"
#include "files.h"

char *mast_output_resolve(mast_ctx *ctx, const char *path) {
  if (ctx->download_root != NULL && path[0] != '/')
    return mast_format(ctx, "%s/%s", ctx->download_root, path);
  return mast_strdup(ctx, path);
}

int mast_output_init(mast_ctx *ctx, mast_output *o, const char *path, char **msg) {
  memset(o, 0, sizeof *o);   /* o->ctx stays NULL until it holds something to free */
  o->fd = -1;
  *msg = NULL;
  if (path == NULL || *path == '\0') {
    *msg = mast_format(ctx, "an empty path was given to write to");
    return MAST_EUSAGE;
  }
  o->path = mast_output_resolve(ctx, path);
  if (o->path == NULL) return MAST_ENOMEM;
  /* The policy looks at the final path; its .part is opened with O_NOFOLLOW
     beside it, and the rename replaces (never follows) a link at path. */
  if (!mast_path_allowed(ctx, o->path)) {
    *msg = mast_format(ctx, "this host does not allow writing %s (only below %s; no '..', no "
                       "symbolic link out of it)", o->path, ctx->download_root);
    mast_strfree(ctx, o->path);
    o->path = NULL;
    return MAST_EDENIED;
  }
  o->part = mast_format(ctx, "%s.part", o->path);
  if (o->part == NULL) {
    mast_strfree(ctx, o->path);
    o->path = NULL;
    return MAST_ENOMEM;
  }
  o->ctx = ctx;
  return MAST_OK;
}

/* Takes the .part's lock: a download holds an exclusive flock on its .part
** while it writes, so a second process aiming at the same path (two shards
** overlapping by mistake) fails at once instead of writing the same file. A
** killed process's lock goes with it: a stale .part never blocks the next
** run. (On NFS, Linux turns flock into a whole-file POSIX lock held by the
** server: it works across nodes when the mount has locking, as NFSv4 does.)
** 0, or -1 with errno (EWOULDBLOCK: another process holds it). */
static int lock_part(int fd) {
  while (flock(fd, LOCK_EX | LOCK_NB) != 0)
    if (errno != EINTR) return -1;
  return 0;
}

/* Whether a failed lock_part means the file system has no locks at all
** (an NFS mount without lockd: ENOLCK; others: EOPNOTSUPP, ENOSYS, EINVAL),
** rather than that another process holds this one. */
static int no_locks_here(int err) {
  return err != EWOULDBLOCK && err != EAGAIN;
}

/* Opens the .part to keep what an earlier attempt wrote, but only if it is
** a file of our own: a .part that is a link (symbolic, or hard to some
** other file) is not written through. fd, or -1 to start afresh (errno 0),
** or -1 on an error (errno set; EWOULDBLOCK: another process writes it). */
static int open_to_resume(const char *part) {
  struct stat st, now;
  int tries;
  for (tries = 0; tries < 3; tries++) {
    int fd = open(part, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
      if (errno == ELOOP) errno = 0;
      return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
      close(fd);
      errno = 0;
      return -1;
    }
    if (lock_part(fd) != 0) {
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    /* between our open and our lock, the holder may have renamed this file
       into place (or dropped it): then the name is another file, or none */
    if (lstat(part, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev) return fd;
    close(fd);
  }
  errno = 0;
  return -1;
}

int mast_output_open(mast_output *o, int how, char **msg) {
  char dir[PATH_MAX];
  int err = 0;
  *msg = NULL;
  if (o->fd >= 0) return MAST_OK;
  if (!mast_parent_dir(o->part, dir, sizeof dir) || !mast_mkdirs(dir, &err)) {
    *msg = mast_format(o->ctx, "cannot create the directory for %s: %s", o->path,
                       strerror(err ? err : ENAMETOOLONG));
    return MAST_EIO;
  }
  if (how == MAST_OUT_PRIVATE || how == MAST_OUT_OWN) {
    /* no other writer shares this name, so none can rename our half-written file */
    char *own = mast_format(o->ctx, "%s.%ld-%08lx.part", o->path, (long)getpid(),
                            (unsigned long)(mast_random(o->ctx) * 4294967296.0));
    if (own == NULL) {
      *msg = mast_format(o->ctx, "out of memory opening %s", o->path);
      return MAST_ENOMEM;
    }
    mast_strfree(o->ctx, o->part);
    o->part = own;
  }
  errno = 0;
  if (how == MAST_OUT_RESUME) o->fd = open_to_resume(o->part);
  if (o->fd < 0 && errno == 0) {
    /* a fresh file: whatever sat at the .part goes, and is never written through */
    if (unlink(o->part) == 0 || errno == ENOENT)
      o->fd = open(o->part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   how == MAST_OUT_PRIVATE ? 0600 : 0666);
    /* an own .part is locked too: mast_output_sweep tells a dead writer's by
       it. Only a download's shared .part needs its lock to be right (two
       writers of one name); an own .part's name is this writer's alone, so
       where the file system has no locks (ENOLCK on NFS without lockd,
       EOPNOTSUPP, ENOSYS) it is written unlocked: a sweep there cannot lock
       it either, so it is left alone, and the writer renames it as usual */
    if (o->fd >= 0 && how != MAST_OUT_FRESH && lock_part(o->fd) != 0 &&
        !((how == MAST_OUT_PRIVATE || how == MAST_OUT_OWN) && no_locks_here(errno))) {
      int e = errno;
      mast_output_close(o);
      errno = e;
    }
  }
  if (o->fd < 0 && (errno == EWOULDBLOCK || errno == EAGAIN)) {
    *msg = mast_format(o->ctx, "%s is in progress elsewhere: another process is downloading it "
                       "(%s is locked); nothing was written, run again once it has finished",
                       o->path, o->part);
    return MAST_EIO;
  }
  if (o->fd < 0 || lseek(o->fd, 0, SEEK_END) < 0) {
    *msg = mast_format(o->ctx, "cannot open %s: %s", o->part, strerror(errno));
    mast_output_close(o);
    return MAST_EIO;
  }
  return MAST_OK;
}

/* Whether name is <base>.<pid>-<8 hex>.part. */
static int own_part_of(const char *name, const char *base) {
  size_t n = strlen(base), i;
  const char *p = name + n;
  if (strncmp(name, base, n) != 0 || *p++ != '.') return 0;
  for (i = 0; p[i] >= '0' && p[i] <= '9'; i++) {}
  if (i == 0 || p[i] != '-') return 0;
  p += i + 1;
  for (i = 0; i < 8; i++)
    if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f'))) return 0;
  return strcmp(p + 8, ".part") == 0;
}

void mast_output_sweep(mast_output *o) {
  char dir[PATH_MAX], file[PATH_MAX];
  const char *base;
  struct dirent *e;
  DIR *d;
  if (o->path == NULL || !mast_parent_dir(o->path, dir, sizeof dir)) return;
  base = strrchr(o->path, '/');
  base = base ? base + 1 : o->path;
  if ((d = opendir(dir)) == NULL) return;
  while ((e = readdir(d)) != NULL) {
    struct stat st, now;
    int fd;
    if (!own_part_of(e->d_name, base)) continue;
    if (snprintf(file, sizeof file, "%s/%s", dir, e->d_name) >= (int)sizeof file) continue;
    fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) continue;
    /* unlocked: its writer is gone (a lock dies with its process). An empty
       file just made may not be locked yet: left for a later sweep */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        !(st.st_size == 0 && time(NULL) - st.st_mtime < 5) && lock_part(fd) == 0 &&
        lstat(file, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev)
      unlink(file);
    close(fd);
  }
  closedir(d);
}

int mast_output_write(mast_output *o, const void *p, size_t n, char **msg) {
  size_t done = 0;
  *msg = NULL;
  while (done < n) {
    ssize_t w = write(o->fd, (const char *)p + done, n - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      *msg = mast_format(o->ctx, "cannot write %s: %s", o->part, strerror(errno));
      return MAST_EIO;
    }
    done += (size_t)w;
  }
  return MAST_OK;
}

void mast_output_close(mast_output *o) {
  if (o->fd >= 0) {
    close(o->fd);
    o->fd = -1;
  }
}

int mast_output_truncate(mast_output *o, char **msg) {
  *msg = NULL;
  if (o->fd >= 0 && (ftruncate(o->fd, 0) != 0 || lseek(o->fd, 0, SEEK_SET) != 0)) {
    *msg = mast_format(o->ctx, "cannot truncate %s: %s", o->part, strerror(errno));
    return MAST_EIO;
  }
  return MAST_OK;
}

int mast_output_commit(mast_output *o, int64_t size, char **msg) {
  const char *what = NULL;
  *msg = NULL;
  if (o->fd < 0) {
    *msg = mast_format(o->ctx, "%s is not open", o->part);
    return MAST_EIO;
  }
  if (size >= 0 && ftruncate(o->fd, (off_t)size) != 0) what = "cannot write";
  else if (fsync(o->fd) != 0) what = "cannot flush to disk";
  if (what != NULL) {
    *msg = mast_format(o->ctx, "%s %s: %s", what, o->part, strerror(errno));
    mast_output_close(o);
    unlink(o->part);
    return MAST_EIO;
  }
  /* renamed while still open: a download's lock on the .part is held until
     the name is the final one, so no other process can take the .part between */
  if (rename(o->part, o->path) != 0) {
    *msg = mast_format(o->ctx, "cannot rename %s to %s: %s", o->part, o->path, strerror(errno));
    unlink(o->part);
    mast_output_close(o);
    return MAST_EIO;
  }
  mast_output_close(o);
  o->committed = 1;
  mast_fsync_dir(o->path);
  return MAST_OK;
}

/* <part>.meta, or NULL (ENOMEM) */
static char *meta_path(mast_output *o, const char *suffix) {
  return o->part == NULL ? NULL : mast_format(o->ctx, "%s.meta%s", o->part, suffix);
}

static void meta_unlink(mast_output *o) {
  char *m = meta_path(o, "");
  if (m != NULL) unlink(m);
  mast_strfree(o->ctx, m);
}

int mast_output_meta_write(mast_output *o, const char *text, char **msg) {
  char *m, *tmp;
  int fd, rc = MAST_OK;
  *msg = NULL;
  if (text == NULL) {
    meta_unlink(o);
    return MAST_OK;
  }
  m = meta_path(o, "");
  tmp = meta_path(o, ".tmp");
  if (m == NULL || tmp == NULL) {
    rc = MAST_ENOMEM;
    goto done;
  }
  /* the .part's lock holder alone writes these names: a fresh tmp is ours */
  (void)unlink(tmp);
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    rc = MAST_EIO;
  } else {
    size_t n = strlen(text), done = 0;
    while (done < n) {
      ssize_t w = write(fd, text + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      done += (size_t)w;
    }
    if (close(fd) != 0 || done < n || rename(tmp, m) != 0) rc = MAST_EIO;
  }
  if (rc == MAST_EIO) {
    *msg = mast_format(o->ctx, "cannot write %s: %s", m, strerror(errno));
    unlink(tmp);
  }
done:
  mast_strfree(o->ctx, m);
  mast_strfree(o->ctx, tmp);
  return rc;
}

char *mast_output_meta_read(mast_output *o) {
  char buf[4096], *m = meta_path(o, "");
  ssize_t n = -1;
  int fd = m ? open(m, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
  mast_strfree(o->ctx, m);
  if (fd < 0) return NULL;
  do n = read(fd, buf, sizeof buf - 1); while (n < 0 && errno == EINTR);
  close(fd);
  if (n < 0) return NULL;
  buf[n] = '\0';
  return mast_format(o->ctx, "%s", buf);
}

void mast_output_drop_empty(mast_output *o) {
  struct stat st, now;
  int fd;
  if (o->part == NULL || o->fd >= 0) return;
  fd = open(o->part, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  /* only a .part no other process is writing: an overlapping download that was
     refused must not remove the one it was refused for, even while it is empty */
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 && lock_part(fd) == 0 &&
      lstat(o->part, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev) {
    unlink(o->part);
    meta_unlink(o);
  }
  close(fd);
}

void mast_output_free(mast_output *o) {
  if (o->ctx == NULL) return;
  mast_output_close(o);
  if (!o->committed && !o->keep_part && o->part != NULL) {
    unlink(o->part);
    meta_unlink(o);
  }
  mast_strfree(o->ctx, o->path);
  mast_strfree(o->ctx, o->part);
  o->path = o->part = NULL;
  o->ctx = NULL;
}
