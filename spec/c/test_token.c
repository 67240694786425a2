/*
** test_token.c -- what a host is given through its hooks.
**
** The token never leaves through the embedding API: not in a
** log message, a progress event, an error message, an error's fields or a
** result, even when the server echoes it back in error pages, MAST ERROR
** messages, broken JSON or retried answers; and it is sent to MAST's origin
** only (never to the redirect target on another host).
**
** Run through sandbox/with-sandbox --token <TOKEN> (ctest does), so that the
** sandbox accepts it; MAST_TEST_TOKEN names it.
*/
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mast/mast_lua.h"

#include "check.h"

static const char *token, *base_url;

/* Everything the library gives the host, in one growing text. */
static char *seen;
static size_t seen_len, seen_cap;
static int log_calls, event_calls;

static void keep(const char *what, const char *text) {
  size_t n = strlen(what) + strlen(text) + 2;
  if (seen_len + n + 1 > seen_cap) {
    seen_cap = (seen_len + n + 1) * 2;
    seen = realloc(seen, seen_cap);
    if (seen == NULL) abort();
  }
  seen_len += (size_t)sprintf(seen + seen_len, "%s %s\n", what, text);
}

static void on_log(void *ud, int level, const char *msg) {
  (void)ud;
  (void)level;
  log_calls++;
  keep("log:", msg);
}

static void on_event(void *ud, const mast_event *e) {
  char line[600];
  (void)ud;
  event_calls++;
  snprintf(line, sizeof line, "kind %d label %s percent %g", e->kind, e->label ? e->label : "",
           e->percent);
  keep("event:", line);
}

static int give_token(void *ud, char *buf, size_t len) {
  (void)ud;
  return snprintf(buf, len, "%s", token);
}

static mast_runtime *runtime(int provider) {
  mast_runtime_options o;
  memset(&o, 0, sizeof o);
  o.base_url = base_url;
  o.log = on_log;
  o.progress = on_event;
  if (provider) o.token = give_token;
  return mast_runtime_new(&o);
}

/* Runs code; keeps the error or the JSON result. Returns the code. */
static int run(mast_runtime *rt, const char *code) {
  char *json = NULL;
  int rc = mast_runtime_dostring(rt, code, "=test", &json);
  keep("error:", mast_runtime_error(rt));
  if (json != NULL) keep("result:", json);
  free(json);
  return rc;
}

/* The scenarios, in Lua: each failure's message and fields are returned (so
** they pass through the JSON result as well). The sandbox echoes the token in
** error pages (status faults), in MAST's ERROR text, in broken JSON, and in
** retried 503 answers (whose messages go to the log hook). */
static const char *SCENARIOS =
  "local core = require 'mast.core'\n"
  "local T = ...\n"
  "local b = mast.config('base_url')\n"
  "local function faults(rules)\n"
  "  core.request{method='POST', url=b..'/__sandbox/reset', body='{}'}\n"
  "  core.request{method='POST', url=b..'/__sandbox/faults', body=mast.json.encode{faults=rules}}\n"
  "end\n"
  "mast.config{retry_delay = 0.01, retries = 2}\n"
  "local out, req = {}, {service='Mast.Caom.Cone', params={ra=254.28746, dec=-4.09933, radius=0.02}}\n"
  "local function try(name, f, ...)\n"
  "  local ok, e = pcall(f, ...)\n"
  "  if ok then out[#out+1] = name .. ': ok' return end\n"
  "  local fields = {}\n"
  "  if type(e) == 'table' then for k, v in pairs(e) do fields[#fields+1] = k .. '=' .. tostring(v) end end\n"
  "  table.sort(fields)\n"
  "  out[#out+1] = name .. ': ' .. tostring(e) .. ' {' .. table.concat(fields, ', ') .. '}'\n"
  "end\n"
  "local echo = 'the token ' .. T .. ' was rejected'\n"
  "faults{{kind='status', status=503, body=echo, times=2, match={path='/api/v0/invoke'}}}\n"
  "try('503 twice, echoing', mast.query, req)\n"
  "faults{{kind='status', status=503, body=echo, times=-1, match={path='/api/v0/invoke'}}}\n"
  "try('503 always, echoing', mast.query, req)\n"
  "faults{{kind='status', status=400, body=echo, match={path='/api/v0/invoke'}}}\n"
  "try('400 echoing', mast.query, req)\n"
  "faults{{kind='error', msg='Token ' .. T .. ' has expired', match={path='/api/v0/invoke'}}}\n"
  "try('ERROR echoing', mast.query, req)\n"
  "faults{{kind='malformed', body='{\"status\" : \"COMPLETE\", \"token\": \"' .. T .. '\", oops', match={path='/api/v0/invoke'}}}\n"
  "try('broken JSON echoing', mast.query, req)\n"
  "faults{{kind='status', status=400, body=('x'):rep(186) .. T, match={path='/api/v0/invoke'}}}\n"
  "try('400, the excerpt cuts the token', mast.query, req)\n"
  "faults{{kind='malformed', body='[\\\"' .. T .. '\\\" ' .. T, match={path='/api/v0/invoke'}}}\n"
  "try('broken JSON, the excerpt cuts the token', mast.query, req)\n"
  "faults{{kind='status', status=500, body=echo, times=-1, match={uri='echo.fits'}}}\n"
  "local dir = os.tmpname(); os.remove(dir)\n"
  "try('download 500 echoing', mast.download, 'mast:SANDBOX/size/100/echo.fits', dir .. '.500', {})\n"
  "faults(mast.array{})\n"
  "try('download 404', mast.download, 'mast:SANDBOX/missing/x.fits', dir .. '.404')\n"
  "try('redirected download', mast.download, 'mast:SANDBOX/redirect/300000/r.fits', dir .. '.fits')\n"
  "os.remove(dir .. '.fits')\n"
  "try('query', mast.query, req)\n"
  "try('usage', mast.config, {token = T .. '\\n'})\n"
  "try('usage 2', mast.query, {service = 'x', params = {token = T}, serviice = T})\n"
  "print('settings', mast.config().token, mast.config('token'))\n"
  "print(table.concat(out, '\\n'))\n"
  "return {results = out, config = mast.config()}\n";

static void scenarios(mast_runtime *rt, const char *how) {
  static char code[16384];
  int rc;
  /* the token reaches the chunk as its argument, never through a global */
  snprintf(code, sizeof code, "return (load([==[\n%s\n]==], '=scenarios'))('%s')", SCENARIOS,
           token);
  rc = run(rt, code);
  CHECK(rc == MAST_OK, "%s: %s", how, mast_runtime_error(rt));
}

/* The sandbox saw the token on the main listener, never on the alt one. */
static void check_sent(mast_runtime *rt) {
  char *json = NULL;
  char code[1024];
  int rc;
  snprintf(code, sizeof code,
           "local core = require 'mast.core'\n"
           "local r = core.request{url = mast.config('base_url') .. '/__sandbox/requests'}\n"
           "local main, alt, other = 0, 0, 0\n"
           "for _, q in ipairs(mast.json.decode(r.body).requests) do\n"
           "  local a = q.headers.authorization\n"
           "  if a == 'token %s' and q.listener == 'main' then main = main + 1\n"
           "  elseif a ~= nil and q.listener == 'alt' then alt = alt + 1\n"
           "  elseif a ~= nil then other = other + 1 end\n"
           "end\n"
           "return {main = main, alt = alt, other = other}\n", token);
  rc = mast_runtime_dostring(rt, code, "=check", &json);
  CHECK(rc == MAST_OK && json != NULL, "%s", mast_runtime_error(rt));
  if (json != NULL) {
    CHECK(strstr(json, "\"alt\":0") != NULL, "the token went to the redirect's host: %s", json);
    CHECK(strstr(json, "\"other\":0") != NULL, "another authorization was sent: %s", json);
    CHECK(strstr(json, "\"main\":0") == NULL, "the token was never sent to MAST: %s", json);
  }
  free(json);
}

/* The batch label a host's progress hook is given stays valid while the
** batch runs, even if a Lua callback drops it from the options table and
** collects it (ASan would see the hook read freed memory); a label that is
** not a string is a usage error. */
static void test_label_anchored(void) {
  mast_runtime *rt = runtime(0);
  char code[2048];
  int before = event_calls;
  snprintf(code, sizeof code,
           "local core = require 'mast.core'\n"
           "local b = mast.config('base_url')\n"
           "core.request{method='POST', url=b..'/__sandbox/reset', body='{}'}\n"
           "core.request{method='POST', url=b..'/__sandbox/faults', body=[[{\"faults\": "
           "[{\"kind\": \"latency\", \"ms\": 600, \"match\": {\"uri\": \"label\"}}]}]]}\n"
           "local opts = {label = 'a label made at run time ' .. ('x'):rep(60)}\n"
           "opts.progress = function() opts.label = nil; collectgarbage(); collectgarbage() end\n"
           "local dest = os.tmpname()\n"
           "local r = core.perform({{url = b .. '/api/v0.1/Download/file?uri=mast:SANDBOX/size/1000/label',\n"
           "                        dest = dest}}, opts)\n"
           "os.remove(dest)\n"
           "assert(r[1].ok, tostring(r[1].error))\n"
           "local ok, e = pcall(core.perform, {}, {label = 12345})\n"
           "assert(not ok and mast.is_error(e, 'usage'), tostring(e))\n");
  CHECK(rt != NULL, "runtime");
  if (rt == NULL) return;
  CHECK(mast_runtime_dostring(rt, code, "=label", NULL) == MAST_OK, "%s", mast_runtime_error(rt));
  CHECK(event_calls >= before + 3, "progress events during the latency: %d", event_calls - before);
  CHECK(seen != NULL && strstr(seen, "a label made at run time xxxx") != NULL, "the label");
  mast_runtime_close(rt);
}

int main(void) {
  mast_runtime *rt;
  token = getenv("MAST_TEST_TOKEN");
  base_url = getenv("MAST_SANDBOX_URL");
  if (token == NULL || base_url == NULL || strlen(token) < 16) {
    fprintf(stderr, "test_token: run me as MAST_TEST_TOKEN=<T> sandbox/with-sandbox --token <T> "
                    "-- test_token\n");
    return 2;
  }
  /* the token from a provider */
  rt = runtime(1);
  CHECK(rt != NULL, "runtime");
  if (rt != NULL) {
    scenarios(rt, "provider");
    check_sent(rt);
    mast_runtime_close(rt);
  }
  /* the token set from Lua */
  rt = runtime(0);
  CHECK(rt != NULL, "runtime");
  if (rt != NULL) {
    char code[256];
    snprintf(code, sizeof code, "mast.config{token = '%s'}", token);
    CHECK(mast_runtime_dostring(rt, code, "=set", NULL) == MAST_OK, "%s", mast_runtime_error(rt));
    scenarios(rt, "mast.config");
    check_sent(rt);
    mast_runtime_close(rt);
  }
  test_label_anchored();
  CHECK(log_calls > 0, "no log message at all (the retries should log)");
  CHECK(event_calls > 0, "no progress event at all");
  CHECK(seen != NULL && strstr(seen, "503 twice, echoing: ok") != NULL, "%s", seen ? seen : "");
  CHECK(seen != NULL && strstr(seen, "<token>") != NULL, "the echoes were not scrubbed:\n%s",
        seen ? seen : "");
  /* neither the token nor any 8 bytes of it */
  if (seen != NULL) {
    size_t i, tl = strlen(token);
    for (i = 0; i + 8 <= tl; i++) {
      char piece[9];
      const char *p;
      memcpy(piece, token + i, 8);
      piece[8] = '\0';
      if ((p = strstr(seen, piece)) != NULL) {
        const char *start = p, *end = strchr(p, '\n');
        while (start > seen && start[-1] != '\n') start--;
        failures++;
        fprintf(stderr, "test_token: '%s' (of the token) appears in what the host was given:\n"
                "  %.*s\n", piece, (int)((end ? end : p + strlen(p)) - start), start);
        break;
      }
    }
  }
  if (getenv("TEST_TOKEN_VERBOSE") && seen) fputs(seen, stdout);
  free(seen);
  if (failures) fprintf(stderr, "test_token: %d failures\n", failures);
  else printf("test_token: all passed (%d log messages, %d progress events checked)\n", log_calls,
              event_calls);
  return failures ? 1 : 0;
}
