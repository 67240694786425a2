/*
** replay.c -- runs a fuzz target without libFuzzer: every file named on the
** command line (directories: every file in them, sorted) goes once through
** LLVMFuzzerTestOneInput. The test suite builds each target with this driver
** (gcc; under ASan and UBSan in the sanitizer build) and replays the seed
** corpus and every regression input, so what the fuzzers once found stays
** fixed. A target's assertion failure aborts, and the test fails.
**
**   replay_<target> spec/fuzz/corpus/<kind> spec/fuzz/regressions/<target>
*/
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  uint8_t *data;
  long n;
  if (f == NULL) {
    perror(path);
    return 0;
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = malloc((size_t)n + 1);   /* +1: a 0-byte input still gets a pointer */
  if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    fclose(f);
    free(data);
    return 0;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(data, (size_t)n);
  free(data);
  return 1;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, int *count) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  int ok = 1;
  if (d == NULL) return 1;   /* a target may have no regressions yet */
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      names = realloc(names, cap * sizeof *names);
      if (names == NULL) abort();
    }
    names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
    if (names[n] == NULL) abort();
    sprintf(names[n], "%s/%s", dir, e->d_name);
    n++;
  }
  closedir(d);
  if (n > 1) qsort(names, n, sizeof *names, cmp);   /* names is NULL when n is 0 */
  for (i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
      ok &= run_file(names[i]);
      (*count)++;
    }
    free(names[i]);
  }
  free(names);
  return ok;
}

int main(int argc, char **argv) {
  int i, ok = 1, count = 0;
  if (LLVMFuzzerInitialize != NULL) LLVMFuzzerInitialize(&argc, &argv);
  for (i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      ok &= run_dir(argv[i], &count);
    } else {
      ok &= run_file(argv[i]);
      count++;
    }
  }
  printf("%s: %d inputs replayed%s\n", argv[0], count, ok ? "" : " (some unreadable)");
  return ok ? 0 : 1;
}
