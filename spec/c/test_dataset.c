/*
** test_dataset.c -- datasets handed to C (mast_dataset_*): typed columns of
** a real query's answer through the sandbox (as test_embed does), 64-bit ids
** exact, nulls, columns that outlive the runtime, and the errors.
*/
#define _XOPEN_SOURCE 700
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mast/mast_lua.h"

#include "check.h"

static const char *base_url;

static mast_runtime *full(void) {
  mast_runtime_options o;
  memset(&o, 0, sizeof o);
  o.base_url = base_url;
  return mast_runtime_new(&o);
}

/* The JSON text of a Lua expression, as a C string (caller frees). */
static char *eval(mast_runtime *rt, const char *code) {
  char *json = NULL;
  int rc = mast_runtime_dostring(rt, code, NULL, &json);
  CHECK(rc == MAST_OK, "%s", mast_runtime_error(rt));
  return json;
}

static long count_nulls(const mast_dataset *ds, long c) {
  const unsigned char *n = mast_dataset_nulls(ds, (size_t)c);
  long k = 0;
  size_t i;
  for (i = 0; i < mast_dataset_rows(ds); i++) k += n[i];
  return k;
}

/* A Gaia cone: MAST declares source_id "string" and sends 64-bit integers. */
static void test_gaia_query(void) {
  mast_runtime *rt = full();
  char err[1024] = "";
  mast_dataset *ds;
  char *want_id, *want_nulls, *want_rows, *want_par;
  long sid, par;
  CHECK(mast_runtime_dostring(rt, "g = mast.query{service = 'Mast.Catalogs.GaiaDR2.Cone', "
                                  "params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}", NULL, NULL) == MAST_OK,
        "%s", mast_runtime_error(rt));
  want_rows = eval(rt, "return #g.data");
  want_id = eval(rt, "return ('%d'):format(g.data[1].source_id)");
  want_par = eval(rt, "for i, r in ipairs(g.data) do if r.parallax ~= mast.null then "
                      "return {i, ('%.17g'):format(r.parallax)} end end");
  want_nulls = eval(rt, "local n = 0 for _, r in ipairs(g.data) do if r.parallax == mast.null then n = n + 1 end end "
                        "return n");
  ds = mast_dataset_get(rt, "g", err, sizeof err);
  CHECK(ds != NULL, "%s", err);
  if (ds == NULL) goto done;
  CHECK(want_rows && mast_dataset_rows(ds) == (size_t)atol(want_rows), "rows %zu", mast_dataset_rows(ds));
  CHECK(mast_dataset_cols(ds) > 5, "cols %zu", mast_dataset_cols(ds));
  sid = mast_dataset_find(ds, "source_id");
  CHECK(sid >= 0, "source_id");
  CHECK(strcmp(mast_dataset_name(ds, (size_t)sid), "source_id") == 0, "name");
  CHECK(mast_dataset_type(ds, (size_t)sid) == MAST_COLUMN_INT64, "type %d", mast_dataset_type(ds, (size_t)sid));
  CHECK(strcmp(mast_dataset_mast_type(ds, (size_t)sid), "string") == 0, "MAST type");
  {
    char got[32];
    const int64_t *ids = mast_dataset_int64(ds, (size_t)sid);
    CHECK(ids != NULL, "int64 column");
    snprintf(got, sizeof got, "%" PRId64, ids ? ids[0] : 0);
    char quoted[40];
    snprintf(quoted, sizeof quoted, "\"%s\"", got);
    CHECK(want_id && strcmp(want_id, quoted) == 0, "id %s vs %s", quoted, want_id);
    CHECK(ids && ids[0] > ((int64_t)1 << 53), "a 64-bit id: %s", got);   /* beyond a double's exact range */
    CHECK(mast_dataset_double(ds, (size_t)sid) == NULL, "not a double column");
  }
  par = mast_dataset_find(ds, "parallax");
  CHECK(par >= 0 && mast_dataset_type(ds, (size_t)par) == MAST_COLUMN_DOUBLE, "parallax is a double column");
  CHECK(want_nulls && count_nulls(ds, par) == atol(want_nulls) && count_nulls(ds, par) > 0, "nulls %ld vs %s",
        count_nulls(ds, par), want_nulls);
  {
    long row = 0;
    char text[64] = "";
    const double *p = mast_dataset_double(ds, (size_t)par);
    if (want_par && sscanf(want_par, "[%ld,\"%63[^\"]", &row, text) == 2 && p != NULL) {
      CHECK(p[row - 1] == strtod(text, NULL), "parallax %.17g vs %s", p[row - 1], text);
      CHECK(!mast_dataset_nulls(ds, (size_t)par)[row - 1], "not null");
    } else {
      CHECK(0, "no parallax to compare: %s", want_par ? want_par : "(null)");
    }
  }
  CHECK(mast_dataset_find(ds, "no such column") == -1, "find");
  CHECK(mast_dataset_name(ds, 100000) == NULL && mast_dataset_type(ds, 100000) == 0, "out of range");
done:
  free(want_id);
  free(want_nulls);
  free(want_rows);
  free(want_par);
  mast_runtime_close(rt);
  mast_dataset_free(ds);   /* after the runtime: the columns are the host's own */
}

/* CAOM: strings (with nulls), an obsid declared "string", a boolean column of nulls. */
static void test_caom_query(void) {
  mast_runtime *rt = full();
  char err[1024] = "";
  mast_dataset *ds = mast_dataset_get(rt,
    "local r = mast.query{service = 'Mast.Caom.Cone', params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}\n"
    "first_obs_id, first_obsid = r.data[1].obs_id, ('%d'):format(r.data[1].obsid)\n"
    "return mast.json2table(r)", err, sizeof err);   /* a columnar table is a dataset too */
  char *want_obs = eval(rt, "return first_obs_id");
  char *want_obsid = eval(rt, "return first_obsid");
  long c;
  CHECK(ds != NULL, "%s", err);
  if (ds == NULL) goto done;
  c = mast_dataset_find(ds, "obs_id");
  CHECK(c >= 0 && mast_dataset_type(ds, (size_t)c) == MAST_COLUMN_STRING, "obs_id is a string column");
  if (c >= 0 && want_obs) {
    const char *const *s = mast_dataset_string(ds, (size_t)c);
    char quoted[256];
    snprintf(quoted, sizeof quoted, "\"%s\"", s && s[0] ? s[0] : "");
    CHECK(strcmp(quoted, want_obs) == 0, "obs_id %s vs %s", quoted, want_obs);
  }
  c = mast_dataset_find(ds, "obsid");
  CHECK(c >= 0 && mast_dataset_type(ds, (size_t)c) == MAST_COLUMN_INT64, "obsid is an int64 column");
  if (c >= 0 && want_obsid) {
    char got[64];
    const int64_t *v = mast_dataset_int64(ds, (size_t)c);
    snprintf(got, sizeof got, "\"%" PRId64 "\"", v ? v[0] : 0);
    CHECK(strcmp(got, want_obsid) == 0, "obsid %s vs %s", got, want_obsid);
  }
  c = mast_dataset_find(ds, "target_classification");
  CHECK(c >= 0 && count_nulls(ds, c) > 0, "nulls in a string column");
  if (c >= 0) {
    const char *const *s = mast_dataset_string(ds, (size_t)c);
    const unsigned char *n = mast_dataset_nulls(ds, (size_t)c);
    size_t i;
    for (i = 0; s && i < mast_dataset_rows(ds); i++) CHECK((s[i] == NULL) == (n[i] == 1), "row %zu", i);
  }
  c = mast_dataset_find(ds, "_selected_");
  CHECK(c >= 0 && mast_dataset_type(ds, (size_t)c) == MAST_COLUMN_BOOL, "a boolean column");
  CHECK(c >= 0 && count_nulls(ds, c) == (long)mast_dataset_rows(ds), "all null");
done:
  free(want_obs);
  free(want_obsid);
  mast_dataset_free(ds);
  mast_runtime_close(rt);
}

/* Every C type, values converted, and a dataset read from a CSV. */
static void test_types(void) {
  mast_runtime *rt = full();
  char err[1024] = "";
  mast_dataset *ds = mast_dataset_get(rt,
    "mast.read_csv{text = 'id,x,ok,s,n\\n5853498713190525697,0.5,true,a,7\\n,NaN,,,\\n-1,3,false,\"b,c\",8\\n'}",
    err, sizeof err);
  CHECK(ds != NULL, "%s", err);
  if (ds != NULL) {
    const int64_t *id = mast_dataset_int64(ds, 0);
    const double *x = mast_dataset_double(ds, 1);
    const unsigned char *ok = mast_dataset_bool(ds, 2);
    const char *const *s = mast_dataset_string(ds, 3);
    CHECK(mast_dataset_rows(ds) == 3 && mast_dataset_cols(ds) == 5, "shape");
    CHECK(id && id[0] == INT64_C(5853498713190525697) && id[2] == -1 && id[1] == 0, "ids");
    CHECK(mast_dataset_nulls(ds, 0)[1] == 1 && mast_dataset_nulls(ds, 0)[0] == 0, "null id");
    CHECK(x && x[0] == 0.5 && isnan(x[1]) && x[2] == 3.0, "doubles");
    CHECK(mast_dataset_nulls(ds, 1)[1] == 0, "NaN is a value, not a null");
    CHECK(ok && ok[0] == 1 && ok[2] == 0 && mast_dataset_nulls(ds, 2)[1] == 1, "bools");
    CHECK(s && strcmp(s[0], "a") == 0 && s[1] == NULL && strcmp(s[2], "b,c") == 0, "strings");
    CHECK(strcmp(mast_dataset_mast_type(ds, 4), "int") == 0, "MAST type");
  }
  mast_dataset_free(ds);
  /* declared string, values of every kind: their exact text */
  ds = mast_dataset_get(rt,
    "local r = {fields = {{name = 'v', type = 'string'}, {name = 'l', type = 'array'}}, "
    "data = {{v = 0.1, l = {1, 2}}, {v = 12, l = {3}}, {v = true}, {v = 1/0}}}\n return r", err, sizeof err);
  CHECK(ds != NULL, "%s", err);
  if (ds != NULL) {
    const char *const *v = mast_dataset_string(ds, 0);
    const char *const *l = mast_dataset_string(ds, 1);
    CHECK(v && strcmp(v[0], "0.1") == 0 && strcmp(v[1], "12") == 0 && strcmp(v[2], "true") == 0 &&
              strcmp(v[3], "Infinity") == 0, "texts");
    CHECK(l && strcmp(l[0], "[1,2]") == 0 && strcmp(l[1], "[3]") == 0 && l[2] == NULL, "lists as JSON");
    CHECK(strcmp(mast_dataset_mast_type(ds, 1), "array") == 0, "declared type kept");
  }
  mast_dataset_free(ds);
  /* an empty dataset */
  ds = mast_dataset_get(rt, "{fields = {{name = 'a', type = 'int'}}, data = {}}", err, sizeof err);
  CHECK(ds != NULL && mast_dataset_rows(ds) == 0 && mast_dataset_cols(ds) == 1, "%s", err);
  CHECK(ds && mast_dataset_int64(ds, 0) != NULL, "a column even without rows");
  mast_dataset_free(ds);
  mast_runtime_close(rt);
}

static void test_errors(void) {
  mast_runtime *rt = full();
  char err[1024] = "";
  mast_dataset *ds = mast_dataset_get(rt, "42", err, sizeof err);
  CHECK(ds == NULL && strstr(err, "not a dataset") != NULL, "%s", err);
  CHECK(strstr(mast_runtime_error(rt), "not a dataset") != NULL, "%s", mast_runtime_error(rt));
  ds = mast_dataset_get(rt, "{fields = {{name = 'n', type = 'int'}}, data = {{n = 1}, {n = 'seven'}}}", err,
                        sizeof err);
  CHECK(ds == NULL && strstr(err, "row 2, column 'n'") != NULL && strstr(err, "'seven'") != NULL, "%s", err);
  ds = mast_dataset_get(rt, "{fields = {{name = 'n', type = 'int'}}, data = {{n = 1.5}}}", err, sizeof err);
  CHECK(ds == NULL && strstr(err, "row 1, column 'n'") != NULL, "%s", err);
  ds = mast_dataset_get(rt, "error('boom')", err, sizeof err);
  CHECK(ds == NULL && strstr(err, "boom") != NULL, "%s", err);
  ds = mast_dataset_get(rt, "return (", NULL, 0);
  CHECK(ds == NULL && strstr(mast_runtime_error(rt), "expected") != NULL, "%s", mast_runtime_error(rt));
  ds = mast_dataset_get(rt, "mast.query{service = 'Mast.No.Such.Service', params = {}}", err, sizeof err);
  CHECK(ds == NULL && err[0] != '\0', "a failed query");
  /* the runtime goes on working */
  ds = mast_dataset_get(rt, "{fields = {{name = 'n', type = 'int'}}, data = {{n = 1}}}", err, sizeof err);
  CHECK(ds != NULL && mast_dataset_int64(ds, 0)[0] == 1, "%s", err);
  mast_dataset_free(ds);
  mast_dataset_free(NULL);
  mast_runtime_close(rt);
}

int main(void) {
  base_url = getenv("MAST_SANDBOX_URL");
  if (base_url == NULL) {
    fprintf(stderr, "test_dataset: run me through sandbox/with-sandbox\n");
    return 2;
  }
  test_types();
  test_errors();
  test_gaia_query();
  test_caom_query();
  if (failures) fprintf(stderr, "test_dataset: %d check(s) failed\n", failures);
  else printf("test_dataset: ok\n");
  return failures ? 1 : 0;
}
