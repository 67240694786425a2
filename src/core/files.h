/*
** files.h -- local file helpers of the C core.
*/
#ifndef MAST_FILES_H
#define MAST_FILES_H

#include <stddef.h>

/* mkdir -p; returns 1, or 0 with *err set to an errno value. */
int mast_mkdirs(const char *dir, int *err);
/* The directory part of path ("." when there is none); 0 if too long. */
int mast_parent_dir(const char *path, char *buf, size_t len);
/* fsync the directory that holds path, so a rename in it is durable. */
int mast_fsync_dir(const char *path);

#endif
