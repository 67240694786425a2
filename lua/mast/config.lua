--- mast.config: read and change the settings of this Lua state.
-- The settings of the C core are defined in src/core/settings.h; the ones
-- only the Lua modules use are defined here, once, in LUA_SETTINGS.
local core = require "mast.core"

local M = {}

local function raise(code, msg)
  error(core.error(code, msg), 3)
end

--- The settings only Lua reads: name, environment variable, type, default,
-- bounds, owner ("host": read-only to a script once the host locks them).
local LUA_SETTINGS = {
  { name = "hla_url", env = "MAST_HLA_URL", type = "url", default = "https://hla.stsci.edu",
    owner = "host" },
  { name = "catalogs_url", env = "MAST_CATALOGS_URL", type = "url",
    default = "https://catalogs.mast.stsci.edu", owner = "host" },
  -- MAST's name resolver (SANTA), where astroquery asks since 2025 (protocol doc §4.1)
  { name = "resolver_url", env = "MAST_RESOLVER_URL", type = "url",
    default = "http://mastresolver.stsci.edu/Santa-war", owner = "host" },
  -- the public S3 bucket of MAST's files, over HTTPS, anonymous (protocol doc §5.3)
  { name = "cloud_url", env = "MAST_CLOUD_URL", type = "url",
    default = "https://stpubdata.s3.amazonaws.com", owner = "host" },
  { name = "deadline", env = "MAST_DEADLINE", type = "number", default = 600,
    min = 0.001, max = 30 * 86400, owner = "script" },
  { name = "progress", env = "MAST_PROGRESS", type = "enum", values = { "auto", "on", "off" },
    aliases = { [true] = "on", [false] = "off", ["true"] = "on", ["false"] = "off" },
    default = "auto", owner = "host" },
  -- the query cache (mast.cache): off by default, since MAST's answers
  -- change as it ingests data; true is <cache_dir>/queries
  { name = "cache", env = "MAST_CACHE", type = "dir", allow_true = true, default = false, owner = "script" },
  { name = "cache_ttl", env = "MAST_CACHE_TTL", type = "number", default = 86400,
    min = 1, max = 100 * 365 * 86400, owner = "script" },
  { name = "cache_max", env = "MAST_CACHE_MAX", type = "number", default = 1e9,
    min = 0, max = 1e15, owner = "script" },
  -- record and replay (mast.record)
  { name = "record", env = "MAST_RECORD", type = "dir", default = false, owner = "script" },
  { name = "replay", env = "MAST_REPLAY", type = "dir", default = false, owner = "script" },
}

local lua_row = {}
for _, s in ipairs(LUA_SETTINGS) do lua_row[s.name] = s end

local c_row = {}
for _, s in ipairs(core.settings()) do c_row[s.name] = s end

--- Every setting's descriptor, C ones first: {name, env, type, owner, secret, min, max}.
function M.settings()
  local all = core.settings()
  for _, s in ipairs(LUA_SETTINGS) do all[#all + 1] = s end
  return all
end

local function names()
  local list = core.config_keys()
  for _, s in ipairs(LUA_SETTINGS) do list[#list + 1] = s.name end
  return list
end

local function unknown(k)
  raise("usage", ("mast.config: unknown setting '%s' (known: %s)"):format(tostring(k),
    table.concat(names(), ", ")))
end

-- Checks v as the value of Lua setting s: the value to keep, or nil and why not.
local function check(s, v)
  if s.type == "url" then
    if v == nil or v == false or v == "" then return nil, s.name .. " must not be empty" end
    if type(v) ~= "string" then return nil, ("%s cannot be a %s"):format(s.name, type(v)) end
    local scheme = v:sub(1, 8):lower()
    if scheme:sub(1, 7) ~= "http://" and scheme ~= "https://" then
      return nil, ("%s must be an http:// or https:// URL, got '%s'"):format(s.name, v:sub(1, 200))
    end
    if v:find("[\r\n]") then return nil, s.name .. " must not contain line breaks" end
    return (v:gsub("/+$", ""))   -- kept without its trailing slashes
  elseif s.type == "dir" then   -- a directory, or false for none
    if v == nil or v == false or v == "" or v == "0" or v == "off" or v == "false" then return false end
    if v == true or v == "1" or v == "on" or v == "true" then
      if s.allow_true then return true end
      return nil, s.name .. " must be a directory or false, got true"
    end
    if type(v) ~= "string" then
      return nil, ("%s must be a directory%s or false, got a %s"):format(s.name, s.allow_true and ", true" or "",
        type(v))
    end
    return v
  elseif s.type == "number" then
    local d = v
    if type(v) == "string" then d = math.tointeger(v) or tonumber(v) end
    if type(d) ~= "number" or d ~= d or d == math.huge or d == -math.huge then
      return nil, ("%s must be a number, got '%s'"):format(s.name, v and tostring(v) or "")
    end
    if d < s.min or d > s.max then
      return nil, ("%s must be a number from %g to %g, got %s"):format(s.name, s.min, s.max, tostring(v))
    end
    return d
  else   -- enum
    local e = s.aliases[v] or v
    for _, allowed in ipairs(s.values) do
      if e == allowed then return e end
    end
    local quoted = {}
    for i, allowed in ipairs(s.values) do quoted[i] = "'" .. allowed .. "'" end
    local last = table.remove(quoted)
    return nil, ("%s must be %s or %s, got '%s'"):format(s.name, table.concat(quoted, ", "), last,
      tostring(v))
  end
end

-- The values of the Lua settings: defaults, then the environment (unless
-- the host said to ignore it, as the C settings do).
local values = {}
for _, s in ipairs(LUA_SETTINGS) do
  values[s.name] = check(s, s.default)
  local env = core.env(s.env)
  if env ~= nil then
    local v, why = check(s, env)
    if v == nil then
      error(core.error("usage", ("environment variable %s: %s"):format(s.env, why)), 0)
    end
    values[s.name] = v
  end
end

--- The value of one setting (for the modules of mast).
function M.get(k)
  if lua_row[k] then return values[k] end
  return core.config(k)
end

local function set(arg)
  local staged, c_part = {}, {}
  for k in pairs(arg) do
    if not lua_row[k] and not c_row[k] then unknown(k) end
  end
  for k, v in pairs(arg) do
    local s = lua_row[k]
    if s then
      if s.owner == "host" and core.config_locked() then
        raise("denied", ("mast.config: %s is owned by the host and cannot be changed here"):format(k))
      end
      local ok, why = check(s, v)
      if ok == nil then raise("usage", "mast.config: " .. why) end
      staged[k] = ok
    else
      c_part[k] = v
    end
  end
  -- all or none: the C settings change together (or not at all), then ours,
  -- which can no longer fail
  local ok, err = pcall(core.config_set, c_part)
  if not ok then error(err, 3) end
  for k, v in pairs(staged) do values[k] = v end
end

--- mast.config() -> a table of every setting.
--- mast.config("key") -> one setting.
--- mast.config{key = value, ...} -> sets them (all or none) and returns the table of settings.
-- The token reads back as "<set>" (or nil), never as its value.
function M.config(arg)
  local t = type(arg)
  if t == "string" then
    if not lua_row[arg] and not c_row[arg] then unknown(arg) end
    return M.get(arg)
  end
  if t == "table" then
    set(arg)
  elseif t ~= "nil" then
    raise("usage", "mast.config: expected nothing, a setting name or a table of settings, got " .. t)
  end
  local all = {}
  for _, k in ipairs(names()) do all[k] = M.get(k) end
  return all
end

return M
