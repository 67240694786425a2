/*
** embedded.h -- the Lua modules compiled into the library.
*/
#ifndef MAST_EMBEDDED_H
#define MAST_EMBEDDED_H

#include <stddef.h>

typedef struct mast_embedded {
  const char *name;       /* module name, e.g. "mast.query" */
  const char *chunkname;  /* e.g. "@mast/query.lua" */
  const char *code;
  size_t len;
} mast_embedded;

extern const mast_embedded mast_embedded_modules[];   /* ends with a NULL name */

#endif
