/*
** fuzz_request.c
** libFuzzer target: the request encoder, require("mast.query").encode, which
** turns a MAST request (a Lua table) into the form body mast.query sends:
** "request=" .. urlencode(json_encode(request)). It runs the real Lua module
** (lua/mast/query.lua) on the real binding (mast.core).
**
** The input is a little program that builds a Lua value on a stack (see
** OPS below; spec/fuzz/make_corpus.py writes the seed corpus, the examples
** page's requests, in this form); the value at the bottom is the request.
** Checks:
**   - encode either succeeds or raises a mast "usage" error whose message
**     starts with "mast.query: " or names where in the request the problem
**     is (nothing else: no Lua runtime error, no crash);
**   - on success the body is "request=" followed only by unreserved bytes,
**     '/' and %XX escapes; decoding the escapes gives exactly
**     json_encode(request with format defaulted to "json") with MAST's
**     empty-array keys (values, filters, fields, data at depth 2);
**   - that JSON decodes to a value equal to the request (integers stay
**     integers, floats keep every bit, strings every byte);
**   - encoding is deterministic (the same table gives the same bytes).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "mast/mast_lua.h"

#ifndef MAST_FUZZ_SOURCE_DIR
#error "compile with -DMAST_FUZZ_SOURCE_DIR=\"<repository root>\""
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c, ...) do { if (!(c)) { \
    fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #c); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* The oracle, in Lua: returns "ok" or "usage", or raises an error that the
** harness turns into a crash report. */
static const char CHECKER[] =
  "local query, core = require 'mast.query', require 'mast.core'\n"
  "local function bits(x) return string.pack('<d', x) end\n"
  "local function same(a, b, depth)\n"
  "  if depth > 200 then return false end\n"
  "  if type(a) ~= type(b) then return false end\n"
  "  if type(a) == 'number' then\n"
  "    if math.type(a) ~= math.type(b) then return false end\n"
  "    if math.type(a) == 'float' then return bits(a) == bits(b) end\n"
  "    return a == b\n"
  "  end\n"
  "  if type(a) ~= 'table' then return rawequal(a, b) end\n"
  "  for k, v in next, a do\n"
  "    local w = rawget(b, k)\n"
  "    if w == nil or not same(v, w, depth + 1) then return false end\n"
  "  end\n"
  "  for k in next, b do if rawget(a, k) == nil then return false end end\n"
  "  return true\n"
  "end\n"
  "return function(req)\n"
  "  local ok, body = pcall(query.encode, req)\n"
  "  if not ok then\n"
  "    assert(core.is_error(body, 'usage'), 'not a usage error: ' .. tostring(body))\n"
  "    local m = body.message\n"
  "    assert(type(m) == 'string' and (m:find('^mast%.query: ') or m:find('request')),\n"
  "           'a usage error that says neither the function nor where: ' .. tostring(m))\n"
  "    return 'usage'\n"
  "  end\n"
  "  assert(type(body) == 'string' and body:sub(1, 8) == 'request=', 'no request= prefix')\n"
  "  local enc = body:sub(9)\n"
  "  assert(not enc:find('[^%w%-%._~/%%]'), 'a byte that should be escaped: ' .. enc)\n"
  "  assert(not enc:find('%%%X') and not enc:find('%%.%X') and not enc:find('%%.?$'),\n"
  "         'a broken escape')\n"
  "  assert(not enc:find('%%%x?%l'), 'a lower-case escape')\n"
  "  local json = enc:gsub('%%(%x%x)', function(h) return string.char(tonumber(h, 16)) end)\n"
  "  local copy = {}\n"
  "  for k, v in next, req do copy[k] = v end\n"
  "  if copy.format == nil then copy.format = 'json' end\n"
  "  local want = core.json_encode(copy, 'request', {empty_array_depth = 2,\n"
  "    empty_array_keys = {'values', 'filters', 'fields', 'data'}})\n"
  "  assert(json == want, 'the body is not the JSON of the request:\\n' .. json .. '\\n' .. want)\n"
  "  assert(same(core.json_decode(json), copy, 0), 'the JSON decodes to another request')\n"
  "  assert(query.encode(req) == body, 'encoding again gives other bytes')\n"
  "  return 'ok'\n"
  "end\n";

static lua_State *L;
static int checker_ref;

static void close_state(void) {
  if (L != NULL) lua_close(L);
  L = NULL;
}

static void setup(void) {
  if (L != NULL) return;
  L = luaL_newstate();
  CHECK(L != NULL, "luaL_newstate");
  atexit(close_state);
  luaL_openlibs(L);
  {
    mast_lua_options o;   /* ignore MAST_* variables */
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.noenv = 1;
    mast_lua_setup(L, &o);
  }
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_mast_core);
  lua_setfield(L, -2, "mast.core");
  lua_pop(L, 1);
  lua_getglobal(L, "package");
  lua_pushstring(L, MAST_FUZZ_SOURCE_DIR "/lua/?.lua;" MAST_FUZZ_SOURCE_DIR "/lua/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  CHECK(luaL_loadstring(L, CHECKER) == LUA_OK, "%s", lua_tostring(L, -1));
  CHECK(lua_pcall(L, 0, 1, 0) == LUA_OK, "%s", lua_tostring(L, -1));
  checker_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* ---- the builder ----
** OPS, one byte each (low nibble), with operands after it:
**   0 string: a length byte, then that many bytes     8 set: t k v -> t (t[k] = v)
**   1 integer: 8 bytes, little-endian                  9 append: t v -> t (t[#t+1] = v)
**   2 float: 8 bytes, the IEEE bits                   10 mark the table on top an array
**   3 small integer: 1 signed byte                    11 mark it an object
**   4 true   5 false   6 null                         12 a known word: 1 byte picks it
**   7 new table                                       13 dup: 1 byte, depth from the top
**  14 pop                                             15 long string: 2 length bytes
**                                                        and 1 byte it is made of
** Operations that do not fit the stack are skipped. */
#define W(s) {s, sizeof s - 1}
static const struct word { const char *s; size_t n; } WORDS[] = {
  W("service"), W("params"), W("format"), W("pagesize"), W("page"), W("removenullcolumns"),
  W("timeout"), W("clearcache"), W("removecache"), W("cachebreaker"), W("cacheBreaker"),
  W("data"), W("filename"), W("filetype"), W("attachment"), W("columnsconfigid"),
  W("columnsconfig"), W("filters"), W("values"), W("fields"), W("paramName"), W("min"), W("max"),
  W("ra"), W("dec"), W("radius"), W("columns"), W("freeText"), W("separator"), W("position"),
  W("input"), W("json"), W("csv"), W("votable"), W("extjs"), W("Mast.Caom.Cone"),
  W("Mast.Name.Lookup"), W("Mast.Catalogs.Filtered.Tic"), W("Mast.Caom.Crossmatch"), W("name"),
  W("type"), W("float"), W("string"), W("raColumn"), W("decColumn"), W("obsid"), W("nr"),
  W("ni"), W("magtype"), W("COUNT_BIG(*)"), W("*"), W(""), W("M101"), W("caom"),
  W("serviice"), W("pagesize "), W("format\0x")
};
#define NWORDS (sizeof WORDS / sizeof *WORDS)
#define MAXSTACK 48

static void build(const uint8_t *p, size_t n) {
  size_t i = 0, big = 0;
  int base = lua_gettop(L);
  CHECK(lua_checkstack(L, MAXSTACK + 8), "stack");   /* beyond LUA_MINSTACK */
#define TOP (lua_gettop(L) - base)
#define NEED(k) (i + (k) <= n)
  while (i < n) {
    int op = p[i++] & 15;
    if (TOP >= MAXSTACK && op <= 7) continue;
    switch (op) {
      case 0: {
        size_t len = NEED(1) ? p[i++] : 0;
        if (len > n - i) len = n - i;
        lua_pushlstring(L, (const char *)p + i, len);
        i += len;
        break;
      }
      case 1: case 2: {
        uint8_t b[8] = {0};
        size_t k = n - i < 8 ? n - i : 8;
        memcpy(b, p + i, k);
        i += k;
        if (op == 1) {
          uint64_t u = 0;
          int j;
          for (j = 7; j >= 0; j--) u = (u << 8) | b[j];
          lua_pushinteger(L, (lua_Integer)u);
        } else {
          double d;
          memcpy(&d, b, 8);
          lua_pushnumber(L, d);
        }
        break;
      }
      case 3: lua_pushinteger(L, NEED(1) ? (int8_t)p[i++] : 0); break;
      case 4: lua_pushboolean(L, 1); break;
      case 5: lua_pushboolean(L, 0); break;
      case 6: lua_pushlightuserdata(L, NULL); break;
      case 7: lua_newtable(L); break;
      case 8:
        if (TOP >= 3 && lua_istable(L, -3) && !lua_isnil(L, -2) &&
            !(lua_type(L, -2) == LUA_TNUMBER && lua_tonumber(L, -2) != lua_tonumber(L, -2)))
          lua_rawset(L, -3);
        break;
      case 9:
        if (TOP >= 2 && lua_istable(L, -2)) lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        break;
      case 10: case 11:
        if (TOP >= 1 && lua_istable(L, -1))
          luaL_setmetatable(L, op == 10 ? "mast.array" : "mast.object");
        break;
      case 12: {
        const struct word *w = &WORDS[(NEED(1) ? p[i++] : 0) % NWORDS];
        if (TOP < MAXSTACK) lua_pushlstring(L, w->s, w->n);
        break;
      }
      case 13: {
        int d = NEED(1) ? p[i++] : 0;
        if (TOP >= 1 && TOP < MAXSTACK) lua_pushvalue(L, -1 - d % TOP);
        break;
      }
      case 14: if (TOP >= 1) lua_pop(L, 1); break;
      case 15: {
        size_t len = NEED(2) ? (size_t)p[i] | ((size_t)p[i + 1] << 8) : 0;
        int c = NEED(3) ? p[i + 2] : 'x';
        char *text;
        i += NEED(3) ? 3 : n - i;
        if (TOP >= MAXSTACK || (big += len) > (1u << 16)) break;   /* 64 KB an input */
        /* not a luaL_Buffer: Lua 5.4.4 mishandles its to-be-closed box when
           the stack moves (see README.md, finding 1) */
        text = malloc(len + 1);
        CHECK(text != NULL, "malloc");
        memset(text, c, len);
        lua_pushlstring(L, text, len);
        free(text);
        break;
      }
    }
  }
  /* the request: the bottom of the stack (nothing: nil) */
  if (TOP == 0) lua_pushnil(L);
  else lua_settop(L, base + 1);
#undef TOP
#undef NEED
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int base;
  if (size > 65536) return 0;
  setup();
  base = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, checker_ref);
  build(data, size);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    const char *m = lua_tostring(L, -1);
    CHECK(m != NULL && strcmp(m, "not enough memory") == 0, "%s", m ? m : "(an error object)");
  }
  lua_settop(L, base);
  /* the state persists: collect now, so that each input frees what it made
     (libFuzzer otherwise suspects a leak and has LeakSanitizer scan, slowly) */
  lua_gc(L, LUA_GCCOLLECT);
  return 0;
}
