/*
** output.h -- the one way the library writes a file.
**
** Every file mast writes (a download, an extracted archive entry, a CSV, a
** manifest, and any writer added later) goes through a mast_output:
**
**   mast_output o;
**   if (mast_output_init(ctx, &o, path, &msg) != MAST_OK) ...   resolve + policy
**   if (mast_output_open(&o, MAST_OUT_FRESH, &msg) != MAST_OK) ... <path>.part
**   mast_output_write(&o, p, n, &msg) ...
**   mast_output_commit(&o, &msg);    flush, rename onto path, sync the directory
**   mast_output_free(&o);            closes, and removes an uncommitted .part
**
** so a half-written file never sits at its final path, and the host's path
** policy (the download root: no "..", nothing that resolves outside it
** through a symbolic link) is applied in one place, below any script.
** Messages come from mast_format: free them with mast_strfree (declared
** here, where the binding sees it, for the whole core).
*/
#ifndef MAST_OUTPUT_H
#define MAST_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "mast/mast.h"   /* mast_ctx; the binding includes this header too (bind_api.h) */

void mast_strfree(mast_ctx *ctx, char *s);

typedef struct mast_output {
  mast_ctx *ctx;   /* NULL: nothing held (not set up, or freed) */
  char *path;    /* the final path, resolved against the download root */
  char *part;    /* <path>.part */
  int fd;        /* the open .part, or -1 */
  int committed; /* the .part became path */
  int keep_part; /* mast_output_free leaves the .part (a download to resume) */
} mast_output;

/* How mast_output_open treats a .part already there. */
enum {
  MAST_OUT_FRESH = 0,  /* truncate it: the file is written from its start */
  MAST_OUT_RESUME = 1, /* keep its bytes, writing after them (a resumed download) */
  MAST_OUT_PRIVATE = 2, /* fresh, mode 0600, and a .part of this writer's own
                          (<path>.<pid>-<random>.part): many processes may write
                          the same path at once, the last rename wins; locked
                          against the sweep of dead writers' .part files where
                          flock works, written unlocked where it cannot lock
                          (ENOLCK on NFS without lockd, EOPNOTSUPP, ENOSYS) */
  MAST_OUT_OWN = 3     /* as MAST_OUT_PRIVATE, mode 0666 (less the umask): a CSV,
                          a manifest, any file a script writes */
};

/* The path mast writes for path: under a download root a relative path is
** taken from the root; otherwise path as it is. A mast_format string. */
char *mast_output_resolve(mast_ctx *ctx, const char *path);

/* Resolves path and applies the policy; opens nothing. MAST_OK, MAST_EUSAGE
** (empty path), MAST_EDENIED (outside the root), MAST_ENOMEM. On failure o
** holds nothing (o->ctx is NULL); mast_output_free on it does nothing. */
int mast_output_init(mast_ctx *ctx, mast_output *o, const char *path, char **msg);

/* Creates the parent directories and opens <path>.part (never through a
** symbolic link). MAST_OK or MAST_EIO (MAST_ENOMEM: MAST_OUT_PRIVATE's name). */
int mast_output_open(mast_output *o, int how, char **msg);

/* Removes what writers of path that died (SIGKILL, a crash) left: the
** <path>.<pid>-<random>.part files of MAST_OUT_OWN and MAST_OUT_PRIVATE
** whose lock no live writer holds. Costs one read of path's directory. */
void mast_output_sweep(mast_output *o);

/* Writes all n bytes at the end of the .part. MAST_OK or MAST_EIO. */
int mast_output_write(mast_output *o, const void *p, size_t n, char **msg);

/* Closes the .part, leaving it for a later open (MAST_OUT_RESUME). */
void mast_output_close(mast_output *o);

/* Empties the .part (a download that must start again). MAST_OK/MAST_EIO. */
int mast_output_truncate(mast_output *o, char **msg);

/* Syncs the .part to disk, renames it onto path and syncs the directory.
** size >= 0: first cuts the .part to size bytes (an archive entry written
** with holes). MAST_OK or MAST_EIO (the .part is then removed). */
int mast_output_commit(mast_output *o, int64_t size, char **msg);

/* Removes the (closed) .part if it is empty and no other process holds its
** lock (a failed download leaves no empty litter, nor takes another's file). */
void mast_output_drop_empty(mast_output *o);

/* The validator of a partial download (ETag, Last-Modified, its length), kept
** beside its .part as <path>.part.meta so that a later run resumes only the
** same version of the file. Written only by the holder of the .part's lock:
** a temporary file renamed over it, never through a link. text NULL removes
** it. MAST_OK or MAST_EIO. */
int mast_output_meta_write(mast_output *o, const char *text, char **msg);

/* The .part.meta's text (a mast_format string; at most 4 KB), or NULL. */
char *mast_output_meta_read(mast_output *o);

/* Closes; removes the .part (and its .part.meta) unless committed or
** o->keep_part; frees. */
void mast_output_free(mast_output *o);

#endif
