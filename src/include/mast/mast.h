/*
** mast.h -- the C core of mast: MAST archive transfers on libcurl.
**
** This header knows nothing of Lua. It offers a per-state context
** (configuration, hooks, cancellation) and one blocking entry point,
** mast_perform(), that runs a batch of HTTP transfers concurrently over the
** context's libcurl multi handle, with retries, resumable downloads and a
** deadline. See mast_lua.h for the Lua binding and the embedding API.
**
** Thread model: a context belongs to one thread at a time. mast_cancel() and
** mast_interrupt() are the only functions that may be called from another
** thread (mast_interrupt() also from a signal handler).
*/
#ifndef MAST_H
#define MAST_H

#include <stddef.h>
#include <stdint.h>

#define MAST_VERSION_MAJOR 0
#define MAST_VERSION_MINOR 1
#define MAST_VERSION_PATCH 0
#define MAST_VERSION_STRING "0.1.0"
#define MAST_VERSION_NUM \
  ((MAST_VERSION_MAJOR * 10000) + (MAST_VERSION_MINOR * 100) + MAST_VERSION_PATCH)

#if defined(MAST_BUILDING) && defined(__GNUC__)
#define MAST_API __attribute__((visibility("default")))
#else
#define MAST_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes. mast_code_name() gives the stable string used in Lua. */
typedef enum mast_code {
  MAST_OK = 0,
  MAST_EUSAGE,     /* "usage": bad arguments; nothing was sent */
  MAST_EHTTP,      /* "http": the server answered an HTTP error */
  MAST_EMAST,      /* "mast": the service answered status ERROR */
  MAST_ETIMEOUT,   /* "timeout": deadline passed, or the transfer stalled */
  MAST_EJSON,      /* "json": a body that is not the JSON it should be */
  MAST_EIO,        /* "io": a local file could not be written or read */
  MAST_ENET,       /* "network": no connection, or it broke */
  MAST_ECANCELLED, /* "cancelled": mast_cancel(), Ctrl-C, or a callback */
  MAST_ENOMEM,     /* "memory": an allocation failed */
  MAST_EDENIED,    /* "denied": the host's policy forbids this URL or path */
  MAST_ECALLBACK,  /* "callback": a progress or chunk callback stopped it */
  MAST_ESCRIPT,    /* "script": a script raised an error of its own */
  MAST_ELIMIT,     /* "limit": a script hit the host's instruction or memory limit */
  MAST_EREPLAY     /* "replay": a replayed run asked for what its recording does not hold */
} mast_code;
#define MAST_NCODES (MAST_EREPLAY + 1)

/* The stable name of a code ("unknown" for none), and back (-1 for none). */
MAST_API const char *mast_code_name(int code);
MAST_API int mast_code_from_name(const char *name);
MAST_API const char *mast_version(void);
MAST_API int mast_version_num(void);

typedef struct mast_ctx mast_ctx;

/* The allocator has lua_Alloc's signature, so a host can pass its own. */
typedef void *(*mast_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

/* Creates a context; alloc may be NULL (malloc). Returns NULL when out of
** memory or when libcurl cannot be initialised. Calls curl_global_init once
** per process (thread-safe), unless MAST_NO_CURL_INIT is set in the
** environment, in which case the host promises to have called it. */
MAST_API mast_ctx *mast_ctx_new(mast_alloc_fn alloc, void *ud);
MAST_API void mast_ctx_free(mast_ctx *ctx);

/* Configuration. The settings of the C core are listed, with their types,
** bounds, owners and environment variables, by mast_setting_at (README
** gives their meaning). mast_config_from_env applies the variables (and
** takes cache_dir's default, the user's cache directory, from
** $XDG_CACHE_HOME or $HOME). A
** secret setting (the token) reads back as "<set>" (or nothing) and is
** wiped from memory when replaced.
**
** Every setter returns MAST_OK, MAST_EUSAGE (bad name or value),
** MAST_EDENIED (a host-owned setting after mast_config_lock) or
** MAST_ENOMEM, with a message in err. */
enum { MAST_SETTING_STRING = 1, MAST_SETTING_NUMBER = 2, MAST_SETTING_INTEGER = 3 };
enum { MAST_OWNER_SCRIPT = 0, MAST_OWNER_HOST = 1 };

/* A setting's descriptor (read-only; new fields are only ever added at the
** end). */
typedef struct mast_setting {
  const char *name;
  const char *env;          /* its environment variable */
  int type;                 /* MAST_SETTING_* */
  int owner;                /* MAST_OWNER_*: who may change it once locked */
  int secret;               /* never read back */
  double min, max;          /* bounds of a number or integer */
} mast_setting;

/* The i-th setting (from 0), NULL past the last. */
MAST_API const mast_setting *mast_setting_at(size_t i);
MAST_API const mast_setting *mast_setting_find(const char *name);
MAST_API const char *const *mast_config_keys(void);   /* NULL-terminated */

/* Text: numbers are parsed; NULL or "" clears a string setting. */
MAST_API int mast_config_set(mast_ctx *ctx, const char *key, const char *value,
                             char *err, size_t errlen);
/* Copies the value as text into buf ("" when unset). */
MAST_API int mast_config_get(mast_ctx *ctx, const char *key, char *buf, size_t len);
MAST_API int mast_config_from_env(mast_ctx *ctx, char *err, size_t errlen);

/* Typed. A string read is NULL when unset and stays valid until the
** setting next changes. */
MAST_API int mast_config_set_string(mast_ctx *ctx, const char *key, const char *value,
                                    char *err, size_t errlen);
MAST_API int mast_config_set_number(mast_ctx *ctx, const char *key, double value,
                                    char *err, size_t errlen);
MAST_API int mast_config_get_string(mast_ctx *ctx, const char *key, const char **value);
MAST_API int mast_config_get_number(mast_ctx *ctx, const char *key, double *value);

/* All or none: either every value is valid and all are set, or nothing
** changes. A value is a number (is_number) or text (parsed for a number
** setting; NULL clears a string setting). */
typedef struct mast_config_value {
  const char *key;
  int is_number;
  const char *text;
  double number;
} mast_config_value;
MAST_API int mast_config_set_many(mast_ctx *ctx, const mast_config_value *values, size_t n,
                                  char *err, size_t errlen);

/* From now on the settings owned by the host (base_url, user_agent, TLS
** trust) are read-only: setting one is MAST_EDENIED. There is no unlock; a
** sandboxing host calls it after applying its own options. */
MAST_API void mast_config_lock(mast_ctx *ctx);
MAST_API int mast_config_locked(mast_ctx *ctx);

/* A token provider is asked for the token each time one is needed, in
** place of the configured value. It writes at most len-1 bytes to buf and
** returns the length, or -1 for "no token". */
typedef int (*mast_token_fn)(void *ud, char *buf, size_t len);
MAST_API void mast_set_token_provider(mast_ctx *ctx, mast_token_fn fn, void *ud);

/* Log hook: level 0 debug, 1 info, 2 warning. The library never prints. */
typedef void (*mast_log_fn)(void *ud, int level, const char *message);
MAST_API void mast_set_log_hook(mast_ctx *ctx, mast_log_fn fn, void *ud);

/* Policy (for sandboxed hosts; enforced here, below Lua).
** mast_allow_url_prefix: once any prefix is added, only URLs that start
** with one of them may be fetched (redirects included); others fail with
** MAST_EDENIED. mast_set_download_root: downloads may only write below
** this directory (after resolving symlinks). */
MAST_API int mast_allow_url_prefix(mast_ctx *ctx, const char *prefix);
MAST_API int mast_set_download_root(mast_ctx *ctx, const char *dir);

/* Cancellation. mast_cancel() may be called from any thread: it makes any
** running or later mast_perform()/mast_sleep() on ctx stop with
** MAST_ECANCELLED until mast_cancel_reset(). mast_interrupt() does the same
** without waking the poll (it only stores a flag), so it is safe in a
** signal handler; the poll loop notices it within 100 ms. */
MAST_API void mast_cancel(mast_ctx *ctx);
MAST_API void mast_interrupt(mast_ctx *ctx);
MAST_API void mast_cancel_reset(mast_ctx *ctx);
MAST_API int mast_cancelled(mast_ctx *ctx);

/* ---- transfers ---- */

enum { MAST_GET = 0, MAST_POST, MAST_HEAD };

/* Request flags. */
#define MAST_F_NO_RETRY     0x01u /* fail at once on a transient error */
#define MAST_F_ANY_STATUS   0x02u /* an HTTP error status is a result, not an error */
#define MAST_F_OVERWRITE    0x04u /* download even if dest has the expected size */
#define MAST_F_NO_RESUME    0x08u /* discard an existing <dest>.part */
#define MAST_F_NO_REDIRECT  0x10u /* a 3xx is the answer, not followed: its status, and
                                     url = its Location (e.g. a UWS job's address) */

/* Who may be sent an Authorization header (request.auth). */
enum {
  MAST_AUTH_MAST = 0,   /* the MAST token, only to the base URL's origin (checked per hop) */
  MAST_AUTH_NONE,       /* no Authorization header, ever */
  MAST_AUTH_PROVIDER    /* ask the credential provider, per hop, for request.credential */
};

/* A chunk sink: called with each piece of a successful (2xx) body, in order,
** between libcurl calls (never from inside one), so it may do anything but
** call mast_perform on the same context. Returns 0 to go on; non-zero aborts
** that transfer with MAST_ECALLBACK. data == NULL, len == 0 means "discard
** what you were given: the body starts again from byte 0" (before a retry
** or a restart re-delivers it). Nothing of the body is kept in memory
** beyond the chunk being delivered. */
typedef int (*mast_chunk_fn)(void *ud, const char *data, size_t len);

/* request.observe has the chunk sink's type, with another meaning: the body
** is still kept in memory (result.body), and between libcurl calls observe
** is shown all of it received so far (data, len: a prefix of the final body
** of a successful (2xx) answer; data may move from call to call), so a host
** can start work on it while the rest arrives (libmast's Lua binding
** decodes JSON that way). data == NULL, len == 0: the body starts again
** (a retry). Its return value is ignored: it cannot stop the transfer. */
/* A request. Start from MAST_REQUEST_INIT (or mast_request_init()), which
** sets struct_size: the library reads only the fields that fit in
** struct_size, so a host built against an older header keeps working when
** fields are added at the end; a struct_size smaller than the first
** version's is MAST_EUSAGE. In an array, every element must have the same
** struct_size (the library steps through it by that size). */
typedef struct mast_request {
  size_t struct_size;       /* sizeof(mast_request) of the caller's header */
  int method;               /* MAST_GET, MAST_POST, MAST_HEAD */
  const char *url;          /* http or https only (other schemes: MAST_EUSAGE) */
  const char *body;         /* POST body (copied); may be NULL */
  size_t body_len;
  const char *content_type; /* POST content type; NULL: form-urlencoded */
  const char *dest;         /* download to this path (via <dest>.part); NULL: body in memory */
  int64_t expected_size;    /* bytes the file must have; -1 unknown */
  unsigned flags;
  const char *label;        /* what this is, for messages (a service name or URI) */
  size_t max_body;          /* in-memory cap in bytes; 0: no cap */
  double stall_timeout;     /* seconds without a byte; 0: the configured timeout */
  /* -- the fields above are the first version (MAST_REQUEST_V1_SIZE) -- */
  const char *const *headers; /* NULL-terminated "Name: value" lines; no CR/LF, no
                                 Authorization (that is `auth`'s job): else MAST_EUSAGE */
  int auth;                 /* MAST_AUTH_*; 0 (MAST_AUTH_MAST) as before */
  const char *credential;   /* MAST_AUTH_PROVIDER: the name the provider is asked for */
  mast_chunk_fn chunk;      /* a chunk sink instead of memory (not with dest) */
  void *chunk_ud;
  /* -- observe: added after the chunk sink -- */
  mast_chunk_fn observe;    /* an answer kept in memory, watched while it arrives (not
                               with dest or chunk): see mast_observe_fn below */
  void *observe_ud;
} mast_request;

#define MAST_REQUEST_V1_SIZE (offsetof(mast_request, stall_timeout) + sizeof(double))
#define MAST_REQUEST_INIT {sizeof(mast_request), MAST_GET, NULL, NULL, 0, NULL, NULL, -1, 0u, \
                           NULL, 0, 0.0, NULL, MAST_AUTH_MAST, NULL, NULL, NULL, NULL, NULL}
/* The same as MAST_REQUEST_INIT, for a request already allocated. */
MAST_API void mast_request_init(mast_request *q);

/* The credential provider, for requests with auth = MAST_AUTH_PROVIDER: asked
** before every hop (redirects included) with the credential's name and that
** hop's URL, so it decides per origin. It writes at most len-1 bytes of the
** Authorization header's value (e.g. "Bearer abc") to buf and returns the
** length, or -1 to send none to that URL. The value never appears in a
** message. */
typedef int (*mast_credential_fn)(void *ud, const char *name, const char *url, char *buf,
                                  size_t len);
MAST_API void mast_set_credential_provider(mast_ctx *ctx, mast_credential_fn fn, void *ud);

typedef struct mast_result {
  int code;                 /* MAST_OK or an error code */
  long status;              /* last HTTP status, 0 if none */
  char *body;               /* in-memory body (NUL-terminated), owned by ctx */
  size_t body_len;
  int64_t bytes;            /* bytes of the final file (downloads), or given to the chunk sink */
  int64_t content_length;   /* from the last response, -1 if absent */
  char *content_type;
  char *url;                /* effective URL after redirects */
  char *message;            /* error message, NULL on success: facts only, no advice */
  int attempts;
  int resumed;              /* a download continued an existing .part */
  int skipped;              /* a download found dest complete and did nothing */
  double seconds;
  int curl_code;            /* the last attempt's CURLcode, 0 if none */
} mast_result;

/* Progress of a whole batch, reported at most every 100 ms. */
typedef struct mast_progress {
  size_t total, done, failed, active;
  int64_t bytes_now;        /* bytes received so far, all transfers */
  int64_t bytes_total;      /* sum of known sizes, -1 if any is unknown */
  double elapsed;           /* seconds since the batch started */
  double rate;              /* bytes per second, recent */
} mast_progress;

/* Returns 0 to go on; non-zero aborts the batch (results get ECALLBACK). */
typedef int (*mast_progress_fn)(void *ud, const mast_progress *p);

/* Progress events for a host that shows progress itself (instead of the
** line mast prints on a terminal): transfers, and queries MAST is still
** EXECUTING. */
enum { MAST_EVENT_TRANSFER = 1, MAST_EVENT_WAITING = 2 };
typedef struct mast_event {
  int kind;
  const char *label;                /* a service name, a URI, "3 files" */
  const mast_progress *transfer;    /* MAST_EVENT_TRANSFER */
  double percent;                   /* MAST_EVENT_WAITING: 0..100, or -1 if not given */
  int polls;                        /* MAST_EVENT_WAITING */
  double elapsed;                   /* seconds */
} mast_event;
typedef void (*mast_event_fn)(void *ud, const mast_event *e);
MAST_API void mast_set_progress_hook(mast_ctx *ctx, mast_event_fn fn, void *ud);
MAST_API int mast_has_progress_hook(mast_ctx *ctx);
MAST_API void mast_emit(mast_ctx *ctx, const mast_event *e);

/* Options of a batch; may be NULL. Start from MAST_BATCH_INIT (struct_size
** as for mast_request). */
typedef struct mast_batch {
  size_t struct_size;       /* sizeof(mast_batch) of the caller's header */
  int concurrency;          /* 0: the configured concurrency */
  double deadline;          /* absolute mast_now() time; 0: none */
  mast_progress_fn progress;
  void *progress_ud;
  const char *label;        /* for the progress hook: what the batch is */
} mast_batch;
#define MAST_BATCH_V1_SIZE (offsetof(mast_batch, label) + sizeof(const char *))
#define MAST_BATCH_INIT {sizeof(mast_batch), 0, 0.0, NULL, NULL, NULL}

/* Runs n requests to completion (each succeeds or fails on its own) and
** fills res[0..n). Returns MAST_OK when all succeeded, else the first
** failure's code (MAST_ECANCELLED if cancelled; MAST_EUSAGE for a batch
** whose struct_size is too small). Never calls exit(), never
** prints. Results must be released with mast_result_clear(). */
MAST_API int mast_perform(mast_ctx *ctx, const mast_request *reqs, mast_result *res,
                          size_t n, const mast_batch *batch);
MAST_API void mast_result_clear(mast_ctx *ctx, mast_result *res);

/* Sleeps, waking early (MAST_ECANCELLED) on cancellation. */
MAST_API int mast_sleep(mast_ctx *ctx, double seconds);
/* Monotonic seconds. */
MAST_API double mast_now(void);

/* Whether s is safe as one component of a local path (a product's
** obs_collection, obs_id or file name): NULL if so, else why not. */
MAST_API const char *mast_unsafe_name(const char *s, size_t len);
/* Whether s is safe as a relative path below a directory: NULL or why not. */
MAST_API const char *mast_unsafe_path(const char *s, size_t len);

/* Extracts a tar, tar.gz or zip archive into dir, refusing the whole
** archive (before writing anything) if any entry is an absolute path, has a
** ".." component, lies below a symlink entry, is a link leading outside dir,
** or is not a file, directory or link. fn (may be NULL) is told of each
** file written; non-zero from it stops. On failure *message is set (free
** it with mast_free(ctx, m)). */
typedef int (*mast_entry_fn)(void *ud, const char *path, int64_t size);
MAST_API int mast_extract(mast_ctx *ctx, const char *archive, const char *dir, mast_entry_fn fn,
                          void *ud, char **message);

/* Percent-encodes s as Python's urllib.parse.quote does (safe "/", so
** "unreserved" plus "/" stay as they are; space becomes %20). The result is
** allocated with ctx's allocator; free it with mast_free(ctx, p). NULL on ENOMEM. */
MAST_API char *mast_urlencode(mast_ctx *ctx, const char *s, size_t len, const char *safe,
                              size_t *outlen);
/* Frees memory mast handed to the host (mast_urlencode's result,
** mast_extract's message); NULL is fine. */
MAST_API void mast_free(mast_ctx *ctx, void *p);

#ifdef __cplusplus
}
#endif
#endif
