/*
** bind_api.h -- what the C core offers the Lua binding beyond mast.h.
**
** The binding (src/bind/) includes only the public headers and this one;
** it never sees struct mast_ctx. Everything here is internal to libmast
** (not installed, not exported).
*/
#ifndef MAST_BIND_API_H
#define MAST_BIND_API_H

#include <stdatomic.h>
#include <stddef.h>

#include "mast/mast.h"
#include "files.h"   /* mast_mkdirs */
#include "output.h"  /* mast_output: every file the binding writes */

/* malloc/realloc/free with lua_Alloc's signature: the allocator when a
** host gives none. */
void *mast_default_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* Makes ctx watch a cancel flag that the host owns (set by its signal
** handler, which cannot call into the library); NULL: ctx's own flag. */
void mast_ctx_use_cancel_flag(mast_ctx *ctx, atomic_int *flag);

/* While held (owning thread only), ctx does not see its cancel flag: the
** binding's cleanups (a server-side job to delete) run after a cancel. */
void mast_ctx_hold_cancel(mast_ctx *ctx, int hold);

/* The binding has raised (or returned) the "cancelled" error of the
** pending cancel: the flag goes from 1 to 2 (still cancelled), which tells
** the host's Ctrl-C hook that Lua code need not be stopped a second time. */
void mast_cancel_delivered(mast_ctx *ctx);

/* The realpath of the host's download root, or NULL when there is none. */
const char *mast_download_root(mast_ctx *ctx);

/* Whether the library may write at path under the host's policy. */
int mast_path_allowed(mast_ctx *ctx, const char *path);

/* Whether text holds the token or a piece of it mast_scrub would replace. */
int mast_mentions_token(mast_ctx *ctx, const char *text);

/* The one scrubbing walk, for every sink: calls emit(ud, piece, n) with the
** sl bytes at s in order, "<token>" standing for the token and its pieces
** (ctx may be NULL: no token). Stops at the first non-zero emit and returns
** it; 0 when all was emitted. */
typedef int (*mast_scrub_emit)(void *ud, const char *piece, size_t n);
int mast_scrub_each(mast_ctx *ctx, const char *s, size_t sl, mast_scrub_emit emit, void *ud);

/* The token to send, or NULL (written into buf): for a keyed hash of it
** (the query cache's key), never for Lua. */
const char *mast_token(mast_ctx *ctx, char *buf, size_t len);

#endif
