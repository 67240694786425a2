/*
** xml.c -- core.xml_decode: a small XML document (a UWS job, a VOSI
** tableset, a capabilities list) as a tree of Lua tables.
**
**   core.xml_decode(text [, name]) -> root element
**   element = {name = <local name, prefix dropped>, attr = {k = v},
**              text = <its own character data, trimmed>, [1..n] = children}
**
** Attribute names keep their prefix (xlink:href). Hostile input is refused
** as the VOTable reader refuses it: no DOCTYPE (so no entity can expand),
** nesting at most 64 deep, every error naming its line and column. A Lua
** error (out of memory) raised inside a callback unwinds through expat's
** frames; the parser and the text buffers live in a userdata whose __gc
** frees them.
*/
#include <string.h>

#include <expat.h>

#include "bind.h"

#define XML_MT "mast.XMLParser"
#define MAX_DEPTH 64

typedef struct textbuf {
  char *s;
  size_t len, cap;
} textbuf;

typedef struct xp {
  lua_State *L;
  XML_Parser p;
  int depth;
  int root;              /* stack index of the list of open elements' tables */
  textbuf text[MAX_DEPTH + 1];
  char err[300];
  int failed;
  lua_Alloc alloc;
  void *aud;
} xp;

static void xp_free(xp *x) {
  int i;
  if (x->p != NULL) XML_ParserFree(x->p);
  x->p = NULL;
  for (i = 0; i <= MAX_DEPTH; i++) {
    if (x->text[i].s != NULL) x->alloc(x->aud, x->text[i].s, x->text[i].cap, 0);
    x->text[i].s = NULL;
    x->text[i].len = x->text[i].cap = 0;
  }
}

static int xp_gc(lua_State *L) {
  xp_free(luaL_checkudata(L, 1, XML_MT));
  return 0;
}

void mast_xml_where(XML_Parser p, char *buf, size_t n, const char *msg) {
  snprintf(buf, n, "line %lu, column %lu: %s", (unsigned long)XML_GetCurrentLineNumber(p),
           (unsigned long)XML_GetCurrentColumnNumber(p) + 1, msg);
}

const char *mast_xml_local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

static void fail(xp *x, const char *msg) {
  if (x->failed) return;
  x->failed = 1;
  mast_xml_where(x->p, x->err, sizeof x->err, msg);
  XML_StopParser(x->p, XML_FALSE);
}

static void on_start(void *ud, const XML_Char *el, const XML_Char **a) {
  xp *x = ud;
  lua_State *L = x->L;
  if (x->failed) return;
  if (x->depth >= MAX_DEPTH) {
    fail(x, "elements nested more than 64 deep");
    return;
  }
  x->depth++;
  x->text[x->depth].len = 0;
  luaL_checkstack(L, 4, "XML nesting");
  lua_createtable(L, 0, 3);
  lua_pushstring(L, mast_xml_local(el));
  lua_setfield(L, -2, "name");
  lua_newtable(L);
  for (; a[0] != NULL; a += 2) {
    lua_pushstring(L, a[1]);
    lua_setfield(L, -2, a[0]);
  }
  lua_setfield(L, -2, "attr");
}

static void on_text(void *ud, const XML_Char *s, int n) {
  xp *x = ud;
  textbuf *t;
  if (x->failed || x->depth == 0 || n <= 0) return;
  t = &x->text[x->depth];
  if (t->len + (size_t)n > t->cap) {
    size_t cap = t->cap ? t->cap : 64;
    char *b;
    while (cap < t->len + (size_t)n) cap *= 2;
    b = x->alloc(x->aud, t->s, t->cap, cap);
    if (b == NULL) {
      fail(x, "out of memory");
      return;
    }
    t->s = b;
    t->cap = cap;
  }
  memcpy(t->s + t->len, s, (size_t)n);
  t->len += (size_t)n;
}

static int space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void on_end(void *ud, const XML_Char *el) {
  xp *x = ud;
  lua_State *L = x->L;
  textbuf *t;
  size_t a = 0, b;
  (void)el;
  if (x->failed) return;
  t = &x->text[x->depth];
  b = t->len;
  while (a < b && space(t->s[a])) a++;
  while (b > a && space(t->s[b - 1])) b--;
  lua_pushlstring(L, b > a ? t->s + a : "", b - a);
  lua_setfield(L, -2, "text");
  x->depth--;
  if (x->depth > 0) lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);   /* into its parent */
  else lua_replace(L, x->root);                                                /* the root */
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int internal) {
  (void)name; (void)sys; (void)pub; (void)internal;
  fail(ud, MAST_XML_NO_DOCTYPE);
}

static int decode(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *name = luaL_optstring(L, 2, "the answer");
  xp *x;
  if (len > (size_t)0x7fffffff) return mast_raise(L, MAST_EUSAGE, "an XML document over 2 GiB");
  x = lua_newuserdatauv(L, sizeof *x, 0);
  memset(x, 0, sizeof *x);
  luaL_setmetatable(L, XML_MT);
  x->L = L;
  x->alloc = lua_getallocf(L, &x->aud);
  lua_pushnil(L);                      /* the root, once it has ended */
  x->root = lua_gettop(L);
  x->p = XML_ParserCreate(NULL);
  if (x->p == NULL) return mast_raise(L, MAST_ENOMEM, "out of memory creating an XML parser");
  XML_SetUserData(x->p, x);
  XML_SetElementHandler(x->p, on_start, on_end);
  XML_SetCharacterDataHandler(x->p, on_text);
  XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
  if (XML_Parse(x->p, text, (int)len, XML_TRUE) != XML_STATUS_OK || x->failed) {
    if (!x->failed)
      mast_xml_where(x->p, x->err, sizeof x->err, XML_ErrorString(XML_GetErrorCode(x->p)));
    lua_pushfstring(L, "%s is not XML mast can read: %s", name, x->err);
    xp_free(x);
    return mast_raise(L, MAST_EJSON, "%s", lua_tostring(L, -1));
  }
  xp_free(x);
  lua_settop(L, x->root);
  return 1;
}

void mast_xml_register(lua_State *L) {
  if (luaL_newmetatable(L, XML_MT)) {
    lua_pushcfunction(L, xp_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, decode);
  lua_setfield(L, -2, "xml_decode");
}
