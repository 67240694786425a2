--- mast.config: read and change the settings of this Lua state.
local core = require "mast.core"

local M = {}

local function usage(msg)
  error(core.error("usage", msg), 3)
end

local function known_list()
  return table.concat(core.config_keys(), ", ")
end

--- mast.config() -> a table of every setting.
--- mast.config("key") -> one setting.
--- mast.config{key = value, ...} -> sets them (all or none) and returns the table of settings.
-- The token reads back as "<set>" (or nil), never as its value.
function M.config(arg)
  local t = type(arg)
  if t == "string" then
    local ok, v = pcall(core.config, arg)
    if not ok then usage(("mast.config: unknown setting '%s' (known: %s)"):format(arg, known_list())) end
    return v
  end
  if t == "table" then
    local valid = {}
    for _, k in ipairs(core.config_keys()) do valid[k] = true end
    for k in pairs(arg) do
      if not valid[k] then
        usage(("mast.config: unknown setting '%s' (known: %s)"):format(tostring(k), known_list()))
      end
    end
    -- all or none: on a bad value, put back what was already changed
    -- (the token, which cannot be read back, is set last)
    local keys = {}
    for k in pairs(arg) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      if (a == "token") ~= (b == "token") then return b == "token" end
      return a < b
    end)
    local old = {}
    for _, k in ipairs(keys) do
      if k ~= "token" then old[k] = core.config(k) end
      local ok, err = pcall(core.config, k, arg[k])
      if not ok then
        for done_k, v in pairs(old) do pcall(core.config, done_k, v) end
        error(err, 2)
      end
    end
  elseif t ~= "nil" then
    usage("mast.config: expected nothing, a setting name or a table of settings, got " .. t)
  end
  local all = {}
  for _, k in ipairs(core.config_keys()) do all[k] = core.config(k) end
  return all
end

return M
