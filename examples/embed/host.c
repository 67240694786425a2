/*
** host.c -- a C program that embeds mast: it runs a CAOM cone search and
** prints how many observations came back, then the first one as JSON.
**
**   cmake -S . -B build -DCMAKE_PREFIX_PATH=<mast prefix> && cmake --build build
**   cc host.c $(pkg-config --cflags --libs mast) -o host
**   ./host [base-url]
*/
#include <stdio.h>
#include <stdlib.h>

#include <mast/mast_lua.h>

static void log_line(void *ud, int level, const char *msg) {
  (void)ud;
  fprintf(stderr, "[mast %d] %s\n", level, msg);
}

int main(int argc, char **argv) {
  mast_runtime_options opts = {0};
  mast_runtime *rt;
  char *json = NULL;
  int rc;

  opts.base_url = argc > 1 ? argv[1] : NULL;   /* NULL: the real MAST */
  opts.log = log_line;
  rt = mast_runtime_new(&opts);
  if (rt == NULL) {
    fprintf(stderr, "host: cannot start mast %s\n", mast_version());
    return 1;
  }
  rc = mast_runtime_dostring(rt,
    "local r = mast.query{service = 'Mast.Caom.Cone',\n"
    "                     params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}\n"
    "print(('%d observations'):format(#r.data))\n"
    "return {count = #r.data, first = r.data[1]}", "=cone", &json);
  if (rc != MAST_OK) {
    fprintf(stderr, "host: %s error: %s\n", mast_code_name(rc), mast_runtime_error(rt));
  } else {
    printf("%s\n", json);
    free(json);
  }
  mast_runtime_close(rt);
  return rc == MAST_OK ? 0 : 1;
}
