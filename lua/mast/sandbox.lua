--- mast.sandbox: the environment scripts run in under the sandboxed profile.
-- The host (libmast's runtime) runs user chunks with this table as _ENV.
-- It offers the safe parts of the base library, copies of string, table,
-- math, utf8 and coroutine, a few harmless os functions, `mast`, and a
-- `require` limited to mast's own public modules. No io, no debug, no
-- package, no loading of bytecode; the file and network limits are
-- enforced in C, below all of this.
local M = {}

local SAFE_BASE = { "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
                    "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
                    "tonumber", "tostring", "type", "xpcall", "warn" }
local SAFE_OS = { "clock", "date", "difftime", "time" }
local LIBS = { "string", "table", "math", "utf8", "coroutine" }

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- A read-only view: reads see t, writes raise.
local function readonly(t, name)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k)
      error(("%s is read-only (cannot set %s)"):format(name, tostring(k)), 2)
    end,
    __metatable = false,
  })
end

--- Builds a fresh environment. opts.print: the function print() becomes
-- (e.g. one that sends to the host's log); opts.mast: the mast module.
function M.env(opts)
  local base = {}
  for _, name in ipairs(SAFE_BASE) do base[name] = _G[name] end
  for _, lib in ipairs(LIBS) do base[lib] = readonly(copy(_G[lib]), lib) end
  local os_sub = {}
  for _, name in ipairs(SAFE_OS) do os_sub[name] = os[name] end
  base.os = readonly(os_sub, "os")
  base.print = opts.print
  base.mast = opts.mast
  base._VERSION = _VERSION

  local allowed = {}
  for name in pairs(package.preload) do
    if (name == "mast" or name:match("^mast%.")) and name ~= "mast.core" and name ~= "mast.sandbox" then
      allowed[name] = true
    end
  end
  base.require = function(name)
    if type(name) ~= "string" or not allowed[name] then
      error(("module '%s' is not available in the sandbox"):format(tostring(name)), 2)
    end
    return require(name)
  end

  local env = setmetatable({}, { __index = base, __metatable = false })
  base._G = env
  -- load: text only, and in this environment unless told otherwise
  base.load = function(chunk, chunkname, _, e)
    return load(chunk, chunkname, "t", e or env)
  end
  return env
end

--- Protects the string metatable, shared by every string in the state, so a
-- sandboxed script cannot change how mast's own code sees strings.
function M.protect_strings()
  local mt = getmetatable("")
  if mt and rawget(mt, "__metatable") == nil then mt.__metatable = false end
end

return M
