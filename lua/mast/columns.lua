--- mast.columns: MAST's column configuration of a service (the portal's
-- columnsconfig endpoint, protocol doc §4.3): each column's name, type,
-- description, units, separator, and whether criteria on it are ranges.
-- Fetched once per process per id, and kept on disk (mast.diskcache) for a
-- week so scripts do not pay for it on every run.
local core = require "mast.core"
local O = require "mast.options"

local M = { _NAME = "mast.columns" }

local PATH = "/portal/Mashup/Mashup.asmx/columnsconfig"
local TTL = 7 * 24 * 3600
local FORM = "application/x-www-form-urlencoded"

-- The configs this process has read, by base URL and id (what panstarrs'
-- metadata cache does): a second search never asks again.
local memo = {}

-- astroquery's rule (§2.3): continuous when vot.datatype or type is one of these, or treatNumeric.
local CONTINUOUS = { double = true, float = true, numeric = true }

local function str(v) return type(v) == "string" and v ~= "" and v or nil end

-- One column of the config, in the shape mast uses.
local function column(name, c)
  local datatype = str(c["vot.datatype"])
  local ctype = str(c.type)
  local kind = (datatype or ctype or ""):lower()
  local continuous = CONTINUOUS[kind] == true or c.treatNumeric == true
  local units = str(c.unit) or str(c["vot.unit"])
  local description = str(c["vot.description"]) or str(c.text)
  -- MJD: flagged isMjd, or a continuous column whose unit or description says MJD
  local mjd = c.isMjd == true or (continuous and (units == "MJD" or (description or ""):match("MJD") ~= nil))
  return {
    name = name, type = ctype or datatype, datatype = datatype, description = description, units = units,
    separator = str(c.separator), continuous = continuous, mjd = mjd,
    -- no type of any kind (the TIC's config): the kind is unknown, criteria keep their shape
    typed = datatype ~= nil or ctype ~= nil or c.treatNumeric == true,
    removed = c.remove == true, label = str(c.text),
  }
end

-- The config in text, or nil when text is no JSON object. A broken answer
-- is an error; broken bytes from the disk (lenient) are just not used.
local function parse(fn, id, text, lenient)
  if type(text) ~= "string" or not text:match("^%s*{") then return nil end
  local ok, raw = pcall(core.json_decode, text, "the column configuration of " .. id)
  if not ok then
    if lenient then return nil end
    error(O.within(fn, raw), 0)
  end
  if type(raw) ~= "table" then return nil end
  local out = {}
  for name, c in pairs(raw) do
    if type(name) == "string" and type(c) == "table" then out[name] = column(name, c) end
  end
  return out
end

--- config(fn, config_id [, opts]) -> {name -> {name, type, datatype, description, units,
-- separator, continuous, mjd, typed, removed}} of a service's columns.
-- config_id: "Mast.Caom.Cone", "Mast.Caom.Products", "Mast.Catalogs.Tess.Cone", ...
-- opts.deadline bounds the fetch.
function M.config(fn, config_id, opts)
  if type(config_id) ~= "string" or config_id == "" then
    O.usage(fn, ("a column configuration id such as 'Mast.Caom.Cone' is needed, got %s")
      :format(O.describe(config_id)))
  end
  local base = core.config("base_url")
  local mkey = tostring(base) .. " " .. config_id
  if memo[mkey] then return memo[mkey] end
  local diskcache = require "mast.diskcache"
  -- the server is part of the key: a sandbox's configuration never answers for MAST's
  local key = "columnsconfig/" .. tostring(base) .. "/" .. config_id
  local cfg = parse(fn, config_id, diskcache.get(key), true)
  if not cfg then
    local r = require("mast.transport").fetch(fn, {
      method = "POST", url = base .. PATH, body = "colConfigId=" .. core.urlencode(config_id, ""),
      content_type = FORM, label = "column configuration " .. config_id,
    }, opts)
    cfg = parse(fn, config_id, r.body)
    if not cfg then
      error(core.error("mast", ("MAST has no column configuration for '%s'"):format(config_id), { fn = fn }), 0)
    end
    diskcache.put(key, r.body, TTL)
  end
  memo[mkey] = cfg
  return cfg
end

--- The columns a criterion may name: every column but the portal's own
-- selection flag and those the config removes, sorted.
function M.names(cfg)
  local out = {}
  for name, c in pairs(cfg) do
    if not c.removed and name ~= "_selected_" then out[#out + 1] = name end
  end
  table.sort(out)
  return out
end

--- closest(word, names) -> up to three names close to word: those that contain
-- it or that it contains (instrument -> instrument_name), then a misspelling.
function M.closest(word, names)
  local w = word:lower()
  local hits = {}
  for _, n in ipairs(names) do
    local l = n:lower()
    if (#w >= 3 and l:find(w, 1, true)) or (#l >= 3 and w:find(l, 1, true)) then hits[#hits + 1] = n end
  end
  table.sort(hits, function(a, b)
    local da, db = math.abs(#a - #w), math.abs(#b - #w)
    if da ~= db then return da < db end
    return a < b
  end)
  local out, seen = {}, {}
  local typo = O.suggest(w, names)
  if typo then out[1], seen[typo] = typo, true end
  for _, n in ipairs(hits) do
    if #out >= 3 then break end
    if not seen[n] then out[#out + 1], seen[n] = n, true end
  end
  return out
end

--- lookup(fn, cfg, name, what) -> the column `name` names (case-insensitive),
-- or a usage error with the closest real names. what: "Mast.Caom.Cone" (for messages).
function M.lookup(fn, cfg, name, what)
  local c = cfg[name]
  if c and not c.removed then return c end
  local lower = name:lower()
  for n, col in pairs(cfg) do
    if not col.removed and n:lower() == lower then return col end
  end
  if c then return c end   -- a removed column that is named exactly: MAST may still know it
  local names = M.names(cfg)
  local near = M.closest(name, names)
  local hint
  if #near > 0 then
    local quoted = {}
    for i, n in ipairs(near) do quoted[i] = "'" .. n .. "'" end
    hint = " (did you mean " .. table.concat(quoted, ", ") .. "?)"
  else
    hint = ("; its columns: %s"):format(table.concat(names, ", "))
  end
  O.usage(fn, ("filter '%s': %s has no such column%s"):format(name, what, hint))
end

local FIELDS = { { name = "name", type = "string" }, { name = "type", type = "string" },
                 { name = "description", type = "string" }, { name = "units", type = "string" },
                 { name = "separator", type = "string" } }

--- dataset(fn, config_id, label [, opts]) -> a printable dataset of {name, type,
-- description, units, separator}, one row per column (removed ones left out).
function M.dataset(fn, config_id, label, opts)
  opts = O.options(fn, opts, { deadline = O.validators.deadline })
  local cfg = M.config(fn, config_id, opts)
  local rows = {}
  for _, name in ipairs(M.names(cfg)) do
    local c = cfg[name]
    rows[#rows + 1] = { name = name, type = c.type or core.null, description = c.description or core.null,
                        units = c.units or core.null, separator = c.separator or core.null }
  end
  return require("mast.dataset").result(rows, FIELDS, label)
end

return M
