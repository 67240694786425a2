/*
** main.c -- the mast program: runs Lua scripts (command line compatible
** with lua) and offers a REPL for querying MAST.
**
** It links Lua (and libedit for the REPL) but not libcurl: mast.core, the
** C module that does the transfers, is loaded on the first require "mast",
** so `mast -e ''` starts as fast as lua itself.
*/
#define _XOPEN_SOURCE 700
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#ifdef MAST_WITH_EDITLINE
#include <editline/readline.h>
#endif

#include "mast/mast.h"
#include "mast/mast_lua.h"

#define PROGNAME "mast"
#define PROMPT1 "mast> "
#define PROMPT2 "mast>> "
#define MAXINPUT 4096
#define HISTORY_MAX 1000

static lua_State *globalL = NULL;
static const char *progname = PROGNAME;
/* Set to 1 by Ctrl-C; the mast context of the state watches it (the
** library is loaded later, so the handler cannot call into it), and sets
** it to 2 once it has raised its "cancelled" error for it. */
static atomic_int interrupted;
/* In the REPL a Ctrl-C never ends the program; a script keeps lua's
** behaviour: a second Ctrl-C during the same run ends it. */
static int in_repl = 0;
/* The last run ended by a Ctrl-C: a script then exits with 130. */
static int run_cancelled = 0;

/* ---- signals ---- */

static void lstop(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  /* 2: mast raised "cancelled" itself, saying what the cancel left; Lua
     code (mast's own handlers included) then runs to the end */
  if (atomic_load(&interrupted) == 2) return;
  mast_lua_cancel_error(L, "cancelled");
}

static void laction(int sig) {
  int mask = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  if (!in_repl) signal(sig, SIG_DFL);   /* a script: a second Ctrl-C ends it */
  atomic_store(&interrupted, 1);        /* stops a transfer or a poll wait */
  lua_sethook(globalL, lstop, mask, 1); /* stops Lua code */
}

/* sigaction, not signal(): which semantics signal() has depends on the
** feature macros (System V's resets the handler after one signal). */
static void on_sigint(void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, NULL);
}

/* ---- messages ---- */

static void print_usage(FILE *f) {
  fprintf(f,
          "usage: %s [options] [script [args]]\n"
          "Runs a Lua script with the mast module for the MAST archive, or starts a REPL.\n"
          "Available options are:\n"
          "  -e stat   execute string 'stat'\n"
          "  -i        enter interactive mode after executing 'script'\n"
          "  -l mod    require library 'mod' into global 'mod'\n"
          "  -l g=mod  require library 'mod' into global 'g'\n"
          "  -v        show version information\n"
          "  -E        ignore environment variables (LUA_*, MAST_*)\n"
          "  -W        turn warnings on\n"
          "  -h, --help  show this help\n"
          "  --        stop handling options\n"
          "  -         stop handling options and execute stdin\n"
          "Environment: MAST_BASE_URL, MAST_API_TOKEN and the other MAST_* settings (see the\n"
          "README), MAST_INIT (code or @file run first), MAST_HISTFILE (REPL history).\n",
          progname);
  fflush(f);
}

static void message(const char *pname, const char *msg) {
  if (pname) fprintf(stderr, "%s: ", pname);
  fprintf(stderr, "%s\n", msg);
  fflush(stderr);
}

static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    message(progname, msg ? msg : "(error object is not a string)");
    lua_pop(L, 1);
  }
  return status;
}

/* The text of the error at index 1 (mast.Error objects have a __tostring). */
static const char *error_text(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);   /* a mast.Error: its message */
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  return msg;
}

/* Whether a traceback line is a frame of mast's own modules ("lua/mast/x.lua:",
** embedded "mast/x.lua:") or C glue: a script's user wants their own frames. */
static int internal_frame(const char *line, size_t len) {
  const char *colon;
  if (len < 2 || line[0] != '\t') return 0;
  if (strncmp(line + 1, "[C]:", 4) == 0) return 1;
  colon = memchr(line, ':', len);
  if (colon == NULL || colon - line < 6 || strncmp(colon - 4, ".lua", 4) != 0) return 0;
  if (strncmp(line + 1, "mast/", 5) == 0) return 1;
  for (const char *p = line + 1; p + 9 <= colon; p++)
    if (strncmp(p, "lua/mast/", 9) == 0) return 1;
  return 0;
}

/* Message handler of scripts: the error's text and a traceback without
** mast's internal frames. */
static int msghandler(lua_State *L) {
  const char *tb, *line;
  luaL_Buffer b;
  luaL_traceback(L, L, error_text(L), 1);
  tb = lua_tostring(L, -1);
  luaL_buffinit(L, &b);
  for (line = tb; *line != '\0';) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
    if (!internal_frame(line, len)) luaL_addlstring(&b, line, len);
    line += len;
  }
  luaL_pushresult(&b);
  return 1;
}

/* Message handler at the prompt: keeps the whole traceback for
** mast.traceback() and the error itself, of which only the message is shown. */
#define REPL_TRACEBACK "mast.repl.traceback"
static int repl_msghandler(lua_State *L) {
  luaL_traceback(L, L, error_text(L), 1);
  lua_setfield(L, LUA_REGISTRYINDEX, REPL_TRACEBACK);
  lua_settop(L, 1);
  return 1;
}

static int docall(lua_State *L, int narg, int nres) {
  int status;
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, in_repl ? repl_msghandler : msghandler);
  lua_insert(L, base);
  globalL = L;
  atomic_store(&interrupted, 0);
  on_sigint(laction);
  status = lua_pcall(L, narg, nres, base);
  on_sigint(in_repl ? SIG_IGN : SIG_DFL);   /* the REPL: until the prompt takes it */
  if (lua_gethook(L) == lstop) lua_sethook(L, NULL, 0, 0);   /* a Ctrl-C after the last instruction */
  run_cancelled = status != LUA_OK && atomic_load(&interrupted) != 0;
  if (status != LUA_OK) mast_lua_cleanup(L);   /* a Ctrl-C in Lua code: undo server-side jobs */
  lua_remove(L, base);
  return status;
}

static void print_version(void) {
  printf("mast %s (%s)\n", MAST_VERSION_STRING, LUA_RELEASE);
  fflush(stdout);
}

/* ---- the arg table ---- */

static void createargtable(lua_State *L, char **argv, int argc, int script) {
  int i, narg;
  if (script == argc) script = 0;   /* no script: arg[0] is the program */
  narg = argc - (script + 1);
  lua_createtable(L, narg, script + 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static int dochunk(lua_State *L, int status) {
  if (status == LUA_OK) status = docall(L, 0, 0);
  return report(L, status);
}

static int dofile(lua_State *L, const char *name) {
  return dochunk(L, luaL_loadfile(L, name));
}

static int dostring(lua_State *L, const char *s, const char *name) {
  return dochunk(L, luaL_loadbuffer(L, s, strlen(s), name));
}

/* -l: require 'mod' into global 'mod', or -l g=mod into global 'g'. */
static int dolibrary(lua_State *L, char *globname) {
  int status;
  char *modname = strchr(globname, '=');
  if (modname == NULL) modname = globname;
  else *modname++ = '\0';
  lua_getglobal(L, "require");
  lua_pushstring(L, modname);
  status = docall(L, 1, 1);
  if (status == LUA_OK) lua_setglobal(L, globname);
  return report(L, status);
}

static int pushargs(lua_State *L) {
  int i, n;
  if (lua_getglobal(L, "arg") != LUA_TTABLE) luaL_error(L, "'arg' is not a table");
  n = (int)luaL_len(L, -1);
  luaL_checkstack(L, n + 3, "too many arguments to script");
  for (i = 1; i <= n; i++) lua_rawgeti(L, -i, i);
  lua_remove(L, -i);
  return n;
}

static int handle_script(lua_State *L, char **argv) {
  int status;
  const char *fname = argv[0];
  if (strcmp(fname, "-") == 0 && strcmp(argv[-1], "--") != 0) fname = NULL;   /* stdin */
  status = luaL_loadfile(L, fname);
  if (status == LUA_OK) {
    int n = pushargs(L);
    status = docall(L, n, LUA_MULTRET);
  }
  return report(L, status);
}

/* ---- options ---- */

#define has_error 1
#define has_i 2
#define has_v 4
#define has_e 8
#define has_E 16

static int collectargs(char **argv, int *first) {
  int args = 0, i;
  if (argv[0] != NULL) {
    if (argv[0][0]) progname = PROGNAME;
  } else {
    *first = -1;
    return 0;
  }
  for (i = 1; argv[i] != NULL; i++) {
    *first = i;
    if (argv[i][0] != '-') return args;
    switch (argv[i][1]) {
      case '-':
        if (strcmp(argv[i], "--help") == 0) return has_error | 64;
        if (argv[i][2] != '\0') return has_error;
        *first = i + 1;
        return args;
      case '\0':
        return args;
      case 'h':
        if (argv[i][2] != '\0') return has_error;
        return has_error | 64;
      case 'E':
        if (argv[i][2] != '\0') return has_error;
        args |= has_E;
        break;
      case 'W':
        if (argv[i][2] != '\0') return has_error;
        break;
      case 'i':
        args |= has_i;   /* -i implies -v */
        /* fall through */
      case 'v':
        if (argv[i][2] != '\0') return has_error;
        args |= has_v;
        break;
      case 'e':
        args |= has_e;
        /* fall through */
      case 'l':
        if (argv[i][2] == '\0') {
          i++;
          if (argv[i] == NULL || argv[i][0] == '-') return has_error;
        }
        break;
      default:
        return has_error;
    }
  }
  *first = 0;
  return args;
}

static int runargs(lua_State *L, char **argv, int n) {
  int i;
  for (i = 1; i < n; i++) {
    int option = argv[i][1];
    switch (option) {
      case 'e':
      case 'l': {
        int status;
        char *extra = argv[i] + 2;
        if (*extra == '\0') extra = argv[++i];
        status = (option == 'e') ? dostring(L, extra, "=(command line)") : dolibrary(L, extra);
        if (status != LUA_OK) return 0;
        break;
      }
      case 'W':
        lua_warning(L, "@on", 0);
        break;
      default:
        break;
    }
  }
  return 1;
}

static int handle_init(lua_State *L) {
  const char *init = getenv("MAST_INIT");
  if (init == NULL) return LUA_OK;
  if (init[0] == '@') return dofile(L, init + 1);
  return dostring(L, init, "=MAST_INIT");
}

/* ---- where mast's own files are ---- */

static int exe_dir(char *buf, size_t len) {
  ssize_t n = readlink("/proc/self/exe", buf, len - 1);
  char *slash;
  if (n <= 0) return 0;
  buf[n] = '\0';
  slash = strrchr(buf, '/');
  if (slash == NULL) return 0;
  *slash = '\0';
  return 1;
}

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* In the build tree the source tree's lua/ wins (edit and rerun, no
** rebuild) and mast.core comes from the build tree; installed, mast.core
** comes from the module directory beside the program's prefix. */
static void setup_paths(lua_State *L, int noenv) {
  char dir[PATH_MAX], path[PATH_MAX + 64];
  const char *dev = noenv ? NULL : getenv("MAST_LUA_PATH");
  int in_build = 0;
  if (exe_dir(dir, sizeof dir)) {
    char real_build[PATH_MAX];
    if (realpath(MAST_BUILD_DIR, real_build) != NULL && strcmp(dir, real_build) == 0)
      in_build = 1;
    if (in_build) snprintf(path, sizeof path, "%s/lua/?.so", real_build);
    else snprintf(path, sizeof path, "%s/%s/?.so", dir, MAST_REL_CMOD_DIR);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "cpath");
    lua_pushfstring(L, "%s;%s", path, lua_tostring(L, -1));
    lua_setfield(L, -3, "cpath");
    lua_pop(L, 2);
  }
  if (in_build && is_dir(MAST_SOURCE_LUA_DIR)) mast_add_lua_dir(L, MAST_SOURCE_LUA_DIR);
  if (dev != NULL && *dev != '\0') mast_add_lua_dir(L, dev);
}

/* The global 'mast' loads the module on first use, so a script that never
** touches it starts without libcurl. */
static int lazy_mast(lua_State *L) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast");
  lua_call(L, 1, 1);             /* stack: proxy, key, module */
  lua_pushvalue(L, -1);
  lua_setglobal(L, "mast");      /* from now on the real module */
  lua_pushvalue(L, 2);
  lua_gettable(L, -2);
  return 1;
}

static void install_lazy_mast(lua_State *L) {
  lua_newtable(L);
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "mast.lazy");   /* the REPL shows the module for it */
  lua_setfield(L, -2, "__name");
  lua_pushcfunction(L, lazy_mast);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "mast");
}

/* ---- the REPL ---- */

static char *histfile = NULL;

/* Pushes the prompt (from _PROMPT/_PROMPT2 when set) and returns it. */
static const char *get_prompt(lua_State *L, int firstline) {
  if (lua_getglobal(L, firstline ? "_PROMPT" : "_PROMPT2") == LUA_TNIL) {
    lua_pop(L, 1);
    return lua_pushstring(L, firstline ? PROMPT1 : PROMPT2);
  }
  {
    const char *p = luaL_tolstring(L, -1, NULL);
    lua_remove(L, -2);
    return p;
  }
}

#define EOFMARK "<eof>"
#define marklen (sizeof(EOFMARK) / sizeof(char) - 1)

static int incomplete(lua_State *L, int status) {
  if (status == LUA_ERRSYNTAX) {
    size_t lmsg;
    const char *msg = lua_tolstring(L, -1, &lmsg);
    if (lmsg >= marklen && strcmp(msg + lmsg - marklen, EOFMARK) == 0) {
      lua_pop(L, 1);
      return 1;
    }
  }
  return 0;
}

static int use_editline = 0;
static volatile sig_atomic_t prompt_interrupted = 0;

static void prompt_action(int sig) {
  (void)sig;
  prompt_interrupted = 1;
}

#ifdef MAST_WITH_EDITLINE
/* libedit's character source: it waits in short polls so that Ctrl-C is
** seen even when the signal lands while libedit is busy (not in read), and
** then reports end of input, which readline_into tells apart by the flag. */
static int getc_interruptible(FILE *f) {
  int fd = fileno(f);
  for (;;) {
    struct pollfd p;
    unsigned char c;
    ssize_t n;
    if (prompt_interrupted) return EOF;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, 100) <= 0) continue;   /* timeout, or EINTR: check the flag */
    n = read(fd, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    return EOF;
  }
}
#endif

/* Reads a line into a new string on the stack. Returns 1, 0 at end of
** input, or -2 when Ctrl-C abandoned the line (the REPL goes on). */
static int readline_into(lua_State *L, const char *prompt) {
#ifdef MAST_WITH_EDITLINE
  if (use_editline) {
    struct sigaction sa, old;
    char *line;
    /* no SA_RESTART: Ctrl-C makes libedit's read fail, and readline return */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = prompt_action;
    sigemptyset(&sa.sa_mask);
    prompt_interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    line = readline(prompt);
    sigaction(SIGINT, &old, NULL);
    if (prompt_interrupted) {   /* whatever was typed is dropped */
      free(line);
      fputs("^C\n", stdout);
      fflush(stdout);
      return -2;
    }
    if (line == NULL) return 0;
    lua_pushstring(L, line);
    free(line);
    return 1;
  }
#endif
  {
    char buf[MAXINPUT];
    size_t l;
    fputs(prompt, stdout);
    fflush(stdout);
    if (fgets(buf, sizeof buf, stdin) == NULL) return 0;
    l = strlen(buf);
    if (l > 0 && buf[l - 1] == '\n') buf[--l] = '\0';
    lua_pushlstring(L, buf, l);
    return 1;
  }
}

static int pushline(lua_State *L, int firstline) {
  const char *prmt = get_prompt(L, firstline);
  int ok = readline_into(L, prmt);
  if (ok != 1) {
    lua_pop(L, 1);   /* the prompt */
    return ok;
  }
  lua_remove(L, -2);   /* the prompt */
  if (firstline) {
    const char *b = lua_tostring(L, -1);
    if (b[0] == '=') {   /* "=expr" as in Lua 5.1 */
      lua_pushfstring(L, "return %s", b + 1);
      lua_remove(L, -2);
    }
  }
  return 1;
}

/* A line that may carry a credential is never written to the history:
** mast.repl.is_secret decides from the settings table (and the values the
** core would scrub); if it cannot tell, the line stays out. */
static int sensitive(lua_State *L, const char *line) {
  int found = 1, top = lua_gettop(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast.repl");
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1) &&
      lua_getfield(L, -1, "is_secret") == LUA_TFUNCTION) {
    lua_pushstring(L, line);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK) found = lua_toboolean(L, -1);
  }
  lua_settop(L, top);
  return found;
}

static void saveline(lua_State *L, const char *line) {
#ifdef MAST_WITH_EDITLINE
  if (!use_editline || sensitive(L, line)) return;
  add_history(line);
  if (histfile != NULL) write_history(histfile);
#else
  (void)L;
  (void)line;
#endif
}

static int addreturn(lua_State *L) {
  const char *line = lua_tostring(L, -1);
  const char *retline = lua_pushfstring(L, "return %s;", line);
  int status = luaL_loadbuffer(L, retline, strlen(retline), "=stdin");
  if (status == LUA_OK) {
    lua_remove(L, -2);
    if (line[0] != '\0') saveline(L, line);
  } else {
    lua_pop(L, 2);
  }
  return status;
}

static int multiline(lua_State *L) {
  for (;;) {
    size_t len;
    const char *line = lua_tolstring(L, 1, &len);
    int status = luaL_loadbuffer(L, line, len, "=stdin");
    int more;
    if (!incomplete(L, status)) {
      saveline(L, line);
      return status;
    }
    more = pushline(L, 0);
    if (more == -2) return -2;   /* Ctrl-C: drop the unfinished chunk */
    if (more == 0) {             /* end of input: report the incomplete chunk */
      saveline(L, line);
      return luaL_loadbuffer(L, line, len, "=stdin");
    }
    lua_pushliteral(L, "\n");
    lua_insert(L, -2);
    lua_concat(L, 3);
  }
}

/* "exit" or "quit" (or with "()") alone on a line leaves the REPL. */
static int is_exit(const char *line) {
  size_t n;
  while (isspace((unsigned char)*line)) line++;
  n = strcspn(line, " \t()");
  if (!((n == 4 && (strncmp(line, "exit", 4) == 0 || strncmp(line, "quit", 4) == 0)))) return 0;
  line += n;
  if (line[0] == '(' && line[1] == ')') line += 2;
  while (isspace((unsigned char)*line)) line++;
  return *line == '\0';
}

/* Reads and compiles one chunk. Returns a load status, -1 at the end of
** input, or -2 when Ctrl-C dropped it. */
static int loadline(lua_State *L) {
  int status, got;
  lua_settop(L, 0);
  got = pushline(L, 1);
  if (got != 1) return got == 0 ? -1 : -2;
  if (is_exit(lua_tostring(L, 1))) return -1;
  if ((status = addreturn(L)) != LUA_OK) status = multiline(L);
  if (status == -2) {
    lua_settop(L, 0);
    return -2;
  }
  lua_remove(L, 1);
  return status;
}

/* Prints the results of a REPL line through mast.repl (aligned grids for
** MAST results, readable tables), falling back to print. */
static void l_print(lua_State *L) {
  int n = lua_gettop(L);
  if (n == 0) return;
  luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast.repl");
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
    lua_getfield(L, -1, "show");
    lua_remove(L, -2);
  } else {
    lua_pop(L, 1);
    lua_getglobal(L, "print");
  }
  lua_insert(L, 1);
  if (lua_pcall(L, n, 0, 0) != LUA_OK)
    message(progname, lua_pushfstring(L, "error calling 'print' (%s)", lua_tostring(L, -1)));
}

/* Prints an error at the prompt: the message only (mast.repl.error_text),
** the traceback kept for mast.traceback(). */
static void repl_report(lua_State *L) {
  int top = lua_gettop(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast.repl");
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1) &&
      lua_getfield(L, -1, "error_text") == LUA_TFUNCTION) {
    lua_pushvalue(L, top);
    lua_getfield(L, LUA_REGISTRYINDEX, REPL_TRACEBACK);
    if (lua_pcall(L, 2, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) {
      message(NULL, lua_tostring(L, -1));
      lua_settop(L, top - 1);
      return;
    }
  }
  lua_settop(L, top);   /* mast.repl failed: the error as scripts show it, less the traceback */
  if (top == 1) message(NULL, error_text(L));
  lua_settop(L, 0);
}

#ifdef MAST_WITH_EDITLINE
/* Tab: mast.repl.complete(line, cursor, globals) gives the words that may
** replace the one before the cursor; libedit wants the common prefix first. */
static lua_State *completionL = NULL;

static char **complete_cb(const char *text, int start, int end) {
  lua_State *L = completionL;
  char **matches = NULL;
  int top, n, i, shift;
  (void)text;
  rl_attempted_completion_over = 1;   /* never file names */
  if (L == NULL) return NULL;
  top = lua_gettop(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "mast.repl");
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1) ||
      lua_getfield(L, -1, "complete") != LUA_TFUNCTION) goto done;
  lua_pushstring(L, rl_line_buffer);
  lua_pushinteger(L, end);
  lua_pushglobaltable(L);
  if (lua_pcall(L, 3, 2, 0) != LUA_OK || !lua_istable(L, -2)) goto done;
  /* libedit's word starts at start, the Lua word at its second result - 1:
  ** give each candidate libedit's extra leading bytes, or drop the Lua word's */
  shift = (int)lua_tointeger(L, -1) - 1 - start;
  lua_pop(L, 1);
  if (shift > 0) lua_pushlstring(L, rl_line_buffer + start, (size_t)shift);
  else lua_pushliteral(L, "");
  lua_insert(L, -2);
  n = (int)lua_rawlen(L, -1);
  if (n == 0) goto done;
  matches = calloc((size_t)n + 2, sizeof *matches);
  if (matches == NULL) goto done;
  for (i = 1; i <= n; i++) {
    const char *w;
    size_t wl = 0;
    lua_pushvalue(L, -2);   /* the extra leading bytes */
    lua_rawgeti(L, -2, i);
    w = lua_tolstring(L, -1, &wl);
    if (w == NULL || (shift < 0 && wl < (size_t)-shift)) lua_pushliteral(L, "");
    else lua_pushstring(L, w + (shift < 0 ? -shift : 0));
    lua_remove(L, -2);
    lua_concat(L, 2);
    matches[i] = strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    if (matches[i] == NULL) break;
  }
  if (i <= n) {   /* out of memory: offer nothing */
    for (i = 1; i <= n; i++) free(matches[i]);
    free(matches);
    matches = NULL;
    goto done;
  }
  {   /* matches[0]: what all of them begin with */
    size_t common = strlen(matches[1]);
    for (i = 2; i <= n; i++) {
      size_t k = 0;
      while (k < common && matches[i][k] == matches[1][k]) k++;
      common = k;
    }
    matches[0] = strndup(matches[1], common);
    if (matches[0] == NULL) {
      for (i = 1; i <= n; i++) free(matches[i]);
      free(matches);
      matches = NULL;
    }
  }
done:
  lua_settop(L, top);
  return matches;
}
#endif

static void doREPL(lua_State *L) {
  int status;
  const char *oldprogname = progname;
  progname = NULL;
  in_repl = 1;
  on_sigint(SIG_IGN);   /* between lines too: Ctrl-C never ends the REPL */
#ifdef MAST_WITH_EDITLINE
  use_editline = isatty(0);
  if (use_editline) {
    const char *h = getenv("MAST_HISTFILE");
    const char *home = getenv("HOME");
    rl_readline_name = "mast";
    rl_getc_function = getc_interruptible;
    completionL = L;
    rl_attempted_completion_function = complete_cb;
    rl_completion_append_character = '\0';
    /* '.', ':' and '[' ']' belong to the word: mast.caom.co<Tab>, r.data[1].ob<Tab> */
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,+-*/%^~#";
    stifle_history(HISTORY_MAX);
    if (h != NULL && *h) histfile = strdup(h);
    else if (home != NULL && *home) {
      size_t n = strlen(home) + sizeof "/.mast_history";
      histfile = malloc(n);
      if (histfile) snprintf(histfile, n, "%s/.mast_history", home);
    }
    if (histfile) read_history(histfile);
  }
#endif
  lua_getglobal(L, "require");   /* help, help() and help(x) at the prompt */
  lua_pushliteral(L, "mast.help");
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) lua_setglobal(L, "help");
  else lua_pop(L, 1);
  if (isatty(0)) {
    fputs("Type help() for help, Tab to complete; exit, quit or Ctrl-D leaves.\n", stdout);
    fflush(stdout);
  }
  in_repl = 1;
  while ((status = loadline(L)) != -1) {
    if (status == -2) continue;   /* Ctrl-C at the prompt: a fresh line */
    if (status == LUA_OK) status = docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK) l_print(L);
    else if (status == LUA_ERRSYNTAX) report(L, status);
    else repl_report(L);
  }
  in_repl = 0;
  lua_settop(L, 0);
  fputc('\n', stdout);
  fflush(stdout);
  free(histfile);
  histfile = NULL;
#ifdef MAST_WITH_EDITLINE
  completionL = NULL;
#endif
  progname = oldprogname;
  in_repl = 0;
  on_sigint(SIG_DFL);
}

/* ---- main ---- */

static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  int script;
  int args = collectargs(argv, &script);
  int noenv;
  luaL_checkversion(L);
  if (args & has_error) {
    if (args & 64) {
      print_usage(stdout);
      lua_pushboolean(L, 1);
      return 1;
    }
    fprintf(stderr, "%s: unrecognized option '%s'\n", progname,
            (script > 0 && argv[script]) ? argv[script] : "?");
    print_usage(stderr);
    return 0;
  }
  noenv = (args & has_E) != 0;
  if (noenv) {
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  luaL_openlibs(L);
  {
    mast_lua_options o;   /* the terminal is ours: mast may draw its progress line */
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.cancel_flag = &interrupted;
    o.noenv = noenv;
    o.terminal = 1;
    mast_lua_setup(L, &o);
  }
  mast_preload_lua(L, 0);
  setup_paths(L, noenv);
  install_lazy_mast(L);
  createargtable(L, argv, argc, script);
  lua_gc(L, LUA_GCRESTART);
  lua_gc(L, LUA_GCGEN, 0, 0);
  if (!noenv && handle_init(L) != LUA_OK) return 0;
  if (args & has_v) print_version();
  if (!runargs(L, argv, script > 0 ? script : argc)) return 0;
  if (script > 0 && handle_script(L, argv + script) != LUA_OK) return 0;
  if (args & has_i) {
    doREPL(L);
  } else if (script < 1 && !(args & (has_e | has_v))) {
    if (isatty(0)) {
      print_version();
      doREPL(L);
    } else if (dofile(L, NULL) != LUA_OK) {
      return 0;
    }
  }
  lua_pushboolean(L, 1);
  return 1;
}

int main(int argc, char **argv) {
  int status, result;
  lua_State *L = luaL_newstate();
  if (L == NULL) {
    message(argv[0], "cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  signal(SIGPIPE, SIG_IGN);
#ifdef SIGXFSZ
  signal(SIGXFSZ, SIG_IGN);   /* a file-size limit becomes a write error */
#endif
  lua_gc(L, LUA_GCSTOP);
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  status = lua_pcall(L, 2, 1, 0);
  result = lua_toboolean(L, -1);
  report(L, status);
  lua_close(L);
  if (result && status == LUA_OK) return EXIT_SUCCESS;
  return run_cancelled ? 130 : EXIT_FAILURE;   /* 128 + SIGINT, as a shell reports it */
}
