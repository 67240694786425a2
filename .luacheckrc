-- luacheck lua spec scripts
std = "lua54"

-- mast's own modules run in an environment without file writing, file
-- loading or debug (src/host/runtime.c, module_env): every file they write
-- goes through mast.core's open_output. This says the same to luacheck:
-- Lua 5.4's globals, with io and os cut down to what that environment has.
stds.mast_module = {
  read_globals = {
    "assert", "collectgarbage", "coroutine", "error", "getmetatable", "ipairs", "load", "math",
    "next", "package", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset",
    "require", "select", "setmetatable", "string", "table", "tonumber", "tostring", "type",
    "utf8", "warn", "xpcall", "_G", "_VERSION",
    io = { fields = { "stdout", "stderr" } },
    os = { fields = { "clock", "date", "difftime", "getenv", "time" } },
  },
}
files["lua/mast"] = { std = "none+mast_module" }

-- the specs run under busted, with the helper table H from spec/helpers
files["spec"] = { std = "+busted", globals = { "H" } }

-- help texts (mast.help): data files of long strings, one a line
files["lua/mast/doc"] = { std = "none+mast_module", max_line_length = false }
