/*
** curl_lazy.h -- libcurl, loaded at its first use instead of at start-up.
**
** libcurl and the libraries it needs (OpenSSL, nghttp2, libssh2, Kerberos,
** LDAP, ...) take the dynamic loader a few milliseconds, which every start
** of mast would pay, although a script that never transfers needs none of
** it. So the library is not linked: mast_curl() dlopens it (the SONAME the
** build was made against) once, looks up the functions below and runs
** curl_global_init; the names the code calls are macros for its table.
** Everything that transfers goes through mast_curl_load() first, which says
** why when the library cannot be had.
*/
#ifndef MAST_CURL_LAZY_H
#define MAST_CURL_LAZY_H

/* curl.h's argument type checks are macros of the names below; the build
** compiles the files that call libcurl once more with them (and without the
** names below: MAST_CURL_TYPECHECK, CMakeLists.txt), so they still check */
#ifdef MAST_CURL_TYPECHECK
#define MAST_CURL_LAZY_IMPL
#else
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>

#define MAST_CURL_FUNCS(X)                                                          \
  X(CURLcode, curl_global_init, (long))                                            \
  X(CURL *, curl_easy_init, (void))                                                \
  X(void, curl_easy_cleanup, (CURL *))                                             \
  X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                         \
  X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))                          \
  X(const char *, curl_easy_strerror, (CURLcode))                                  \
  X(CURLHcode, curl_easy_header,                                                   \
    (CURL *, const char *, size_t, unsigned int, int, struct curl_header **))      \
  X(struct curl_slist *, curl_slist_append, (struct curl_slist *, const char *))   \
  X(void, curl_slist_free_all, (struct curl_slist *))                              \
  X(CURLM *, curl_multi_init, (void))                                              \
  X(CURLMcode, curl_multi_cleanup, (CURLM *))                                      \
  X(CURLMcode, curl_multi_setopt, (CURLM *, CURLMoption, ...))                     \
  X(CURLMcode, curl_multi_add_handle, (CURLM *, CURL *))                           \
  X(CURLMcode, curl_multi_remove_handle, (CURLM *, CURL *))                        \
  X(CURLMcode, curl_multi_perform, (CURLM *, int *))                               \
  X(CURLMcode, curl_multi_poll, (CURLM *, struct curl_waitfd *, unsigned int, int, int *)) \
  X(CURLMcode, curl_multi_wakeup, (CURLM *))                                       \
  X(CURLMsg *, curl_multi_info_read, (CURLM *, int *))                             \
  X(CURLU *, curl_url, (void))                                                     \
  X(void, curl_url_cleanup, (CURLU *))                                             \
  X(CURLUcode, curl_url_set, (CURLU *, CURLUPart, const char *, unsigned int))     \
  X(CURLUcode, curl_url_get, (CURLU *, CURLUPart, char **, unsigned int))         \
  X(void, curl_free, (void *))

#define MAST_CURL_MEMBER(ret, name, args) ret (*name) args;
typedef struct mast_curl_api {
  MAST_CURL_FUNCS(MAST_CURL_MEMBER)
} mast_curl_api;
#undef MAST_CURL_MEMBER

/* Loads libcurl once (thread-safe); NULL when it could not be, and then
** *why (if given) says why, for a message. */
const mast_curl_api *mast_curl_load(const char **why);

/* The loaded table; only after mast_curl_load() succeeded. */
const mast_curl_api *mast_curl(void);

#ifndef MAST_CURL_LAZY_IMPL
#undef curl_easy_setopt    /* curl.h's own pass-through macros of these three */
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_easy_init (mast_curl()->curl_easy_init)
#define curl_easy_cleanup (mast_curl()->curl_easy_cleanup)
#define curl_easy_setopt (mast_curl()->curl_easy_setopt)
#define curl_easy_getinfo (mast_curl()->curl_easy_getinfo)
#define curl_easy_strerror (mast_curl()->curl_easy_strerror)
#define curl_easy_header (mast_curl()->curl_easy_header)
#define curl_slist_append (mast_curl()->curl_slist_append)
#define curl_slist_free_all (mast_curl()->curl_slist_free_all)
#define curl_multi_init (mast_curl()->curl_multi_init)
#define curl_multi_cleanup (mast_curl()->curl_multi_cleanup)
#define curl_multi_setopt (mast_curl()->curl_multi_setopt)
#define curl_multi_add_handle (mast_curl()->curl_multi_add_handle)
#define curl_multi_remove_handle (mast_curl()->curl_multi_remove_handle)
#define curl_multi_perform (mast_curl()->curl_multi_perform)
#define curl_multi_poll (mast_curl()->curl_multi_poll)
#define curl_multi_wakeup (mast_curl()->curl_multi_wakeup)
#define curl_multi_info_read (mast_curl()->curl_multi_info_read)
#define curl_url (mast_curl()->curl_url)
#define curl_url_cleanup (mast_curl()->curl_url_cleanup)
#define curl_url_set (mast_curl()->curl_url_set)
#define curl_url_get (mast_curl()->curl_url_get)
#define curl_free (mast_curl()->curl_free)
#endif

#endif
