--- mast.repl: how the mast REPL shows the values of an expression, reports
-- errors and completes names (the host program calls these).
local pretty = require "mast.pretty"

local M = {}

-- The help module only once mast is loaded: printing must not load libcurl.
local function help_if_loaded()
  if package.loaded["mast"] == nil then return nil end
  return require "mast.help"
end

-- The global `mast` before first use is the host's lazy stand-in: show the module.
local function real(v)
  local mt = type(v) == "table" and getmetatable(v)
  if mt and mt.__name == "mast.lazy" then return require "mast" end
  return v
end

local function text_of(v)
  v = real(v)
  if type(v) == "table" then
    local help = help_if_loaded()
    local name = help and help.module_name(v)
    if name then return help.module_text(name, v) end
    return pretty.format(v)
  end
  if type(v) == "function" then
    local help = help_if_loaded()
    return help and help.describe_function(v) or tostring(v)
  end
  return tostring(v)
end

--- Prints each value readably: MAST results as grids, tables over lines,
-- mast and its modules as what they hold, mast's functions by name and summary.
function M.show(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = text_of((select(i, ...))) end
  io.stdout:write(table.concat(parts, "\t"), "\n")
  io.stdout:flush()
end

-- ---------------------------------------------------------------- errors

local last_traceback

--- The text the REPL prints for an error (its message only: a mast error's
-- own text, a Lua error's message); the traceback is kept for mast.traceback().
function M.error_text(err, traceback)
  last_traceback = traceback
  local core = package.loaded["mast.core"]
  if core and core.is_error(err) then return tostring(err) end
  if type(err) == "string" then return err end
  local mt = getmetatable(err)
  if mt and mt.__tostring then return tostring(err) end
  return ("(error object is a %s value)"):format(type(err))
end

--- The traceback of the last error at the prompt.
function M.last_traceback()
  return last_traceback or "no error yet"
end

-- ---------------------------------------------------------------- completion

local KEYWORDS = { "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
                   "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
                   "help", "exit", "quit" }

local function columnar_table(v)
  local c = package.loaded["mast.columnar"]
  return c and getmetatable(v) == c.Table and c or nil
end

-- v[k] without running arbitrary __index code: raw fields, method tables,
-- mast's lazy modules, a mast.Table's rows and columns.
local function field(v, k)
  v = real(v)
  if type(v) ~= "table" then return nil end
  local x = rawget(v, k)
  if x ~= nil then return x end
  if v == package.loaded["mast"] or columnar_table(v) then return v[k] end
  local mt = getmetatable(v)
  if mt and type(mt.__index) == "table" then return rawget(mt.__index, k) end
  return nil
end

-- The value of a path such as mast.caom or r.data[1] (nil if it is not plain names and indices).
local function eval(path, env)
  local name, rest = path:match("^([%a_][%w_]*)(.*)$")
  if not name then return nil end
  local v = real(rawget(env, name))
  while rest ~= "" and v ~= nil do
    local k, more = rest:match("^%.([%a_][%w_]*)(.*)$")
    if k then
      v, rest = field(v, k), more
    else
      local i
      i, more = rest:match("^%[%s*(%d+)%s*%](.*)$")
      if not i then
        i, more = rest:match("^%[%s*[\"']([^\"']*)[\"']%s*%](.*)$")
        if not i then return nil end
      else
        i = math.tointeger(tonumber(i))
      end
      v, rest = field(v, i), more
    end
  end
  return real(v)
end

local function add_keys(out, t, only_functions)
  for k, x in pairs(t) do
    if type(k) == "string" and k:match("^[%a_][%w_]*$") and (not only_functions or type(x) == "function") then
      out[k] = true
    end
  end
end

-- The names after "v." (fields) or "v:" (methods).
local function names_of(v, methods)
  local out = {}
  if type(v) == "string" then
    add_keys(out, string, true)
    return out
  end
  if type(v) ~= "table" then return out end
  local c = columnar_table(v)
  if c then
    add_keys(out, c.methods, true)
    if not methods then for _, name in ipairs(rawget(v, "columns") or {}) do out[name] = true end end
    return out
  end
  local mt = getmetatable(v)
  if mt and type(mt.__index) == "table" then add_keys(out, mt.__index, methods) end
  if mt and mt.__lazy then add_keys(out, mt.__lazy) end
  if not methods then add_keys(out, v) else add_keys(out, v, true) end
  return out
end

-- The innermost unclosed bracket of s ("{", "(" or "[") and where it is;
-- strings are skipped so that a brace inside one does not count.
local function open_bracket(s)
  local stack, i, quote = {}, 1, nil
  while i <= #s do
    local ch = s:sub(i, i)
    if quote then
      if ch == "\\" then i = i + 1 elseif ch == quote then quote = nil end
    elseif ch == "'" or ch == '"' then
      quote = ch
    elseif ch == "{" or ch == "(" or ch == "[" then
      stack[#stack + 1] = { ch, i }
    elseif ch == "}" or ch == ")" or ch == "]" then
      stack[#stack] = nil
    end
    i = i + 1
  end
  local top = stack[#stack]
  if top then return top[1], top[2] end
  return nil
end

-- The function called with the table that opens at byte `at` of s: f{, f({, or an
-- options table in a later argument, f(x, y, {.
local function called_with(s, at, env)
  local before = s:sub(1, at - 1)
  local fpath = before:match("([%a_][%w_%.%[%]]*)%s*$")
  if not fpath then
    if not before:match("[(,]%s*$") then return nil end
    local paren, p = open_bracket(before)
    if paren ~= "(" then return nil end
    fpath = before:sub(1, p - 1):match("([%a_][%w_%.%[%]]*)%s*$")
  end
  return fpath and eval(fpath, env)
end

-- The option names of the function whose {...} the cursor is in, if it is at a key
-- (the names its declaration gives: the same the call checks and help lists).
local function option_names(before, word_start, env)
  local bracket, at = open_bracket(before:sub(1, word_start - 1))
  if bracket ~= "{" then return nil end
  local between = before:sub(at + 1, word_start - 1)
  if not (between:match("^%s*$") or between:match(",%s*$")) then return nil end
  local f = called_with(before, at, env)
  if type(f) ~= "function" or package.loaded["mast"] == nil then return nil end
  return require("mast.help").option_names(f)
end

--- complete(line, cursor [, env]) -> candidates, start: what may replace the
-- word that ends at byte `cursor` of line (which starts at byte `start`), each
-- a whole word, sorted. env: the globals (default _G). Completes globals and
-- keywords, fields after "." and methods after ":" (mast's lazy modules and
-- the methods of results and tables included), a function's option names inside
-- its {...} (f{, f({ or an options table in a later argument, f(x, {), and the
-- columns of a row after r.data[1].
function M.complete(line, cursor, env)
  env = env or _G
  local before = line:sub(1, cursor)
  local word = before:match("[%w_%.:%[%]\"']*$")
  -- an index that is not a plain path ("f(x)[1].") is left alone; keep only the path
  word = word:match("[%a_][%w_%.:%[%]\"']*$") or ""
  local start = cursor - #word + 1
  local names, prefix, part = {}, "", word
  local base, sep, rest = word:match("^(.-)([%.:])([%w_]*)$")
  if base and base ~= "" then
    local v = eval(base, env)
    if v == nil then return {}, start end
    names, prefix, part = names_of(v, sep == ":"), base .. sep, rest
  else
    local opts = option_names(before, start, env)
    if opts then
      for _, n in ipairs(opts) do names[n] = true end
    else
      for k in pairs(env) do if type(k) == "string" then names[k] = true end end
      for _, k in ipairs(KEYWORDS) do names[k] = true end
    end
  end
  local out = {}
  for n in pairs(names) do
    if n:sub(1, #part) == part and not (part == "" and n:sub(1, 1) == "_") then out[#out + 1] = prefix .. n end
  end
  table.sort(out)
  return out, start
end

--- Whether a line typed at the prompt may carry a credential, and so stays
-- out of the history file: it names a secret setting (from the settings
-- table: today the token) or its environment variable, or holds a secret's
-- value, as mast is configured with it or as its variable gives it.
function M.is_secret(line)
  local core = require "mast.core"
  if core.mentions_token(line) then return true end
  local low = line:lower()
  for _, s in ipairs(core.settings()) do
    if s.secret then
      if low:find(s.name:lower(), 1, true) or low:find(s.env:lower(), 1, true) then return true end
      local v = os.getenv(s.env)
      if v and #v >= 4 and line:find(v, 1, true) then return true end
    end
  end
  return false
end

return M
