/*
** curl_lazy.c -- loads libcurl at its first use (see curl_lazy.h).
** The table is filled once, under pthread_once: the library's one piece of
** process-wide state, with curl_global_init, which libcurl wants run once.
*/
#define _XOPEN_SOURCE 700
#define MAST_CURL_LAZY_IMPL
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "curl_lazy.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static mast_curl_api api;
static const mast_curl_api *loaded;
static char why_not[512];

static void load(void) {
  /* RTLD_NODELETE, never dlclosed: libcurl and OpenSSL stay for the process,
  ** as they would had they been linked */
  void *lib = dlopen(MAST_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  CURLcode rc;
  if (lib == NULL) {
    snprintf(why_not, sizeof why_not, "libcurl (%s) could not be loaded: %s", MAST_LIBCURL_SONAME,
             dlerror());
    return;
  }
#define MAST_CURL_SYM(ret, name, args)                                                    \
  if ((*(void **)(&api.name) = dlsym(lib, #name)) == NULL) {                             \
    snprintf(why_not, sizeof why_not, "%s lacks %s (mast needs libcurl 7.83 or later)",   \
             MAST_LIBCURL_SONAME, #name);                                                 \
    return;                                                                               \
  }
  MAST_CURL_FUNCS(MAST_CURL_SYM)
#undef MAST_CURL_SYM
  if (getenv("MAST_NO_CURL_INIT") == NULL && (rc = api.curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
    snprintf(why_not, sizeof why_not, "libcurl could not be initialised: %s", api.curl_easy_strerror(rc));
    return;
  }
  loaded = &api;
}

const mast_curl_api *mast_curl_load(const char **why) {
  pthread_once(&once, load);
  if (loaded == NULL && why != NULL) *why = why_not;
  return loaded;
}

const mast_curl_api *mast_curl(void) {
  pthread_once(&once, load);   /* after the first call, a load and a branch; it also */
  return loaded;               /* orders this thread after the one that loaded */
}
