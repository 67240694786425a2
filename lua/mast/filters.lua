--- mast.filters: MAST's filter lists, from the page's helpers or from a plain Lua table.
-- The *.Filtered services take `params.filters`, a list of
-- {paramName = <column>, values = {...} [, separator = ";"] [, freeText = "%x%"]}
-- where a continuous column's values are one {min = x, max = y} range.
local core = require "mast.core"

local M = { _NAME = "mast.filters" }

local function usage(fn, msg)
  error(core.error("usage", fn .. ": " .. msg), 3)
end

local function is_scalar(v)
  local t = type(v)
  return t == "string" or t == "number" or t == "boolean"
end

local function shown(v)
  if type(v) == "string" then return ("'%s'"):format(v) end
  if type(v) == "number" or type(v) == "boolean" then return tostring(v) end
  return type(v)
end

-- The keys of a table: its array length n, and whether it has other keys.
local function shape(t)
  local n = #t
  local other = false
  for k in pairs(t) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then other = true end
  end
  return n, other
end

local function is_range(t)
  if type(t) ~= "table" then return false end
  local n, other = shape(t)
  if n > 0 or not other then return false end
  for k in pairs(t) do
    if k ~= "min" and k ~= "max" then return false end
  end
  return true
end

local function check_range(fn, name, r)
  for _, k in ipairs({ "min", "max" }) do
    local v = r[k]
    if v == nil then
      usage(fn, ("filter '%s': a range needs both min and max, got no %s"):format(name, k))
    elseif not (type(v) == "number" or type(v) == "string") then
      usage(fn, ("filter '%s': the range's %s must be a number (or a date string), got %s")
        :format(name, k, shown(v)))
    end
  end
  if type(r.min) == "number" and type(r.max) == "number" and r.min > r.max then
    usage(fn, ("filter '%s': the range's min (%s) is larger than its max (%s)")
      :format(name, shown(r.min), shown(r.max)))
  end
  return { min = r.min, max = r.max }
end

--- set_min_max(min, max) -> {{min = min, max = max}}: a range, as the page's helper makes it.
function M.set_min_max(min, max)
  return { check_range("mast.set_min_max", "range", { min = min, max = max }) }
end

-- A list of values as given (set_filters keeps the page's meaning: values are
-- sent as they are), checked; a single value or range becomes a list of one.
local function verbatim_values(fn, name, v)
  if is_scalar(v) then return { v } end
  if is_range(v) then return { check_range(fn, name, v) } end
  if type(v) ~= "table" then
    usage(fn, ("filter '%s': expected a list of values or a range (mast.set_min_max), got %s")
      :format(name, shown(v)))
  end
  local n, other = shape(v)
  if other then
    usage(fn, ("filter '%s': expected a list of values or a range (mast.set_min_max), got a table "
      .. "with named keys"):format(name))
  end
  local out = {}
  for i = 1, n do
    local x = v[i]
    if is_range(x) then
      out[i] = check_range(fn, name, x)
    elseif is_scalar(x) then
      out[i] = x
    else
      usage(fn, ("filter '%s': value %d must be a string, number, boolean or a {min, max} range, got %s")
        :format(name, i, shown(x)))
    end
  end
  if n == 0 then
    usage(fn, ("filter '%s' has no values (for a wildcard give {freeText = '%%x%%'})"):format(name))
  end
  return out
end

local function check_name(fn, name, where)
  if type(name) ~= "string" or name == "" then
    usage(fn, ("%s: a filter's column name must be a non-empty string, got %s"):format(where, shown(name)))
  end
end

-- (name, value) pairs of a map (sorted by name, so the bytes never vary) or of
-- an ordered list of {name, value} pairs (kept in the caller's order).
local function pairs_of(fn, t)
  if type(t) ~= "table" then
    usage(fn, ("expected a table of filters such as {Teff = {4250, 4500}} or a list of {name, values} "
      .. "pairs, got %s"):format(shown(t)))
  end
  local n, other = shape(t)
  if n > 0 and other then
    usage(fn, "give either a table keyed by column name or a list of {name, values} pairs, not both")
  end
  local out = {}
  if n > 0 then
    for i = 1, n do
      local p = t[i]
      if type(p) ~= "table" then
        usage(fn, ("filter %d: expected a {name, values} pair, got %s"):format(i, shown(p)))
      end
      if p.paramName ~= nil then
        out[i] = { p.paramName, p, true }   -- already a MAST filter object
      else
        local pn, pother = shape(p)
        if pn ~= 2 or pother then
          usage(fn, ("filter %d: expected a {name, values} pair such as {'Teff', {4250, 4500}}"):format(i))
        end
        check_name(fn, p[1], ("filter %d"):format(i))
        out[i] = { p[1], p[2] }
      end
    end
  else
    for k, v in pairs(t) do
      check_name(fn, k, "filters")
      out[#out + 1] = { k, v }
    end
    table.sort(out, function(a, b) return a[1] < b[1] end)
  end
  local seen = {}
  for _, p in ipairs(out) do
    if seen[p[1]] then usage(fn, ("the column '%s' is filtered twice"):format(tostring(p[1]))) end
    seen[p[1]] = true
  end
  return out
end

local FILTER_KEYS = { paramName = true, values = true, separator = true, freeText = true }

-- A MAST filter object given as it is: checked, copied.
local function mast_filter(fn, f)
  for k in pairs(f) do
    if not FILTER_KEYS[k] then
      usage(fn, ("filter '%s': unknown key '%s' (a MAST filter has paramName, values, separator, freeText)")
        :format(tostring(f.paramName), tostring(k)))
    end
  end
  check_name(fn, f.paramName, "paramName")
  local out = { paramName = f.paramName }
  if f.freeText ~= nil then
    if type(f.freeText) ~= "string" then
      usage(fn, ("filter '%s': freeText must be a string such as '%%200%%'"):format(f.paramName))
    end
    out.freeText = f.freeText
    if f.values == nil or (type(f.values) == "table" and next(f.values) == nil) then
      out.values = core.array({})   -- a wildcard alone: "values": []
    else
      out.values = verbatim_values(fn, f.paramName, f.values)
    end
  else
    out.values = verbatim_values(fn, f.paramName, f.values)
  end
  if f.separator ~= nil then
    if type(f.separator) ~= "string" or f.separator == "" then
      usage(fn, ("filter '%s': separator must be a string such as ';'"):format(f.paramName))
    end
    out.separator = f.separator
  end
  return out
end

--- set_filters(t) -> a MAST filter list, as the page's helper makes it.
-- t: {column = values, ...} (sent sorted by column name, so the bytes never
-- vary) or an ordered list of {column, values} pairs. values are sent as
-- given: a list of values, or a range from mast.set_min_max (a single value
-- or a bare {min =, max =} becomes a list of one).
function M.set_filters(t)
  local fn = "mast.set_filters"
  local out = {}
  for i, p in ipairs(pairs_of(fn, t)) do
    if p[3] then
      out[i] = mast_filter(fn, p[2])
    else
      out[i] = { paramName = p[1], values = verbatim_values(fn, p[1], p[2]) }
    end
  end
  return core.array(out)
end

-- One value of the plain-table form, as a MAST filter object.
local function plain_filter(fn, name, v)
  if is_scalar(v) then return { paramName = name, values = { v } } end
  if type(v) ~= "table" then
    usage(fn, ("filter '%s': expected a value, a list of values, a {min, max} range or "
      .. "{values =, separator =, freeText =}, got %s"):format(name, shown(v)))
  end
  if is_range(v) then return { paramName = name, values = { check_range(fn, name, v) } } end
  local n, other = shape(v)
  if other then
    if n > 0 then
      usage(fn, ("filter '%s': a table with both list items and named keys"):format(name))
    end
    for k in pairs(v) do
      if k ~= "values" and k ~= "separator" and k ~= "freeText" then
        usage(fn, ("filter '%s': unknown key '%s' (expected values, separator, freeText, or min/max)")
          :format(name, tostring(k)))
      end
    end
    local f = { paramName = name, values = v.values, separator = v.separator, freeText = v.freeText }
    if v.values ~= nil and type(v.values) == "table" and not is_range(v.values) then
      -- a list given under values = is always a list of values, never a range
      f.values = verbatim_values(fn, name, v.values)
    end
    return mast_filter(fn, f)
  end
  if n == 2 and type(v[1]) == "number" and type(v[2]) == "number" then
    return { paramName = name, values = { check_range(fn, name, { min = v[1], max = v[2] }) } }
  end
  return { paramName = name, values = verbatim_values(fn, name, v) }
end

-- ------------------------------------------------ criteria by the column's kind

local function wildcard(v) return type(v) == "string" and v:find("[%*%%]") ~= nil end

-- A MAST wildcard: `*` written as SQL's `%` (what astroquery sends).
local function free_text(name, s)
  return { paramName = name, values = core.array({}), freeText = (s:gsub("%*", "%%")) }
end

-- A number for a continuous column: a number, a string of one, or (an MJD
-- column) an ISO 8601 date; anything else would reach MAST's SQL as text.
local function continuous_value(fn, col, v)
  if type(v) == "number" then return v end
  if type(v) == "string" then
    local n = tonumber(v)
    if n then return n end
    if col.mjd and v:match("^%s*%d%d%d%d%-%d%d%-%d%d") then
      local ok, r = pcall(require("mast.time").mjd, v)
      if ok then return r end
      usage(fn, ("filter '%s': %s"):format(col.name, (tostring(r.message or r):gsub("^mast%.time%.mjd: ", ""))))
    end
  end
  usage(fn, ("filter '%s' is a numeric (%s) column: give a number%s, {min, max} or a list of numbers; got %s")
    :format(col.name, col.datatype or col.type or "treatNumeric",
            col.mjd and " (MJD) or an ISO date such as '2010-01-01'" or "", shown(v)))
end

local function continuous_range(fn, col, lo, hi)
  return check_range(fn, col.name, { min = continuous_value(fn, col, lo), max = continuous_value(fn, col, hi) })
end

local function is_keyed(v)
  local _, other = shape(v)
  return other and not is_range(v)
end

-- The filter of one plain-table criterion on a column of known kind.
local function typed_filter(fn, col, v)
  local name = col.name
  if type(v) == "table" and is_keyed(v) then return plain_filter(fn, name, v) end   -- {values =, ...}: as written
  if col.continuous then
    if is_range(v) then return { paramName = name, values = { continuous_range(fn, col, v.min, v.max) } } end
    if type(v) ~= "table" then return { paramName = name, values = { continuous_value(fn, col, v) } } end
    local n = #v
    if n == 2 and not is_range(v[1]) and not is_range(v[2]) then
      return { paramName = name, values = { continuous_range(fn, col, v[1], v[2]) } }
    end
    local out = {}
    for i = 1, n do
      local x = v[i]
      out[i] = is_range(x) and continuous_range(fn, col, x.min, x.max) or continuous_value(fn, col, x)
    end
    if n == 0 then usage(fn, ("filter '%s' has no values"):format(name)) end
    return { paramName = name, values = out }
  end
  -- discrete: a wildcard string, one value, or a list of values (never a range by shape)
  if wildcard(v) then return free_text(name, v) end
  if type(v) == "table" and not is_range(v) then
    for i = 1, #v do
      if wildcard(v[i]) then
        usage(fn, ("filter '%s': value %d (%s) is a wildcard; MAST takes one wildcard per column, "
          .. "given alone: %s = %s"):format(name, i, shown(v[i]), name, shown(v[i])))
      end
    end
  end
  return { paramName = name, values = verbatim_values(fn, name, v) }
end

-- One criterion checked against the column configuration: the config's
-- spelling, the value by the column's kind, its separator.
local function column_filter(fn, col, v)
  local f
  if col.typed then
    f = typed_filter(fn, col, v)
  elseif wildcard(v) then
    f = free_text(col.name, v)
  else
    f = plain_filter(fn, col.name, v)   -- no kind in the config (the TIC's): by shape, as before
  end
  if col.separator and f.separator == nil then f.separator = col.separator end
  return f
end

--- build(fn, t [, columns]) -> a MAST filter list from the plain-table form (what the wrappers' `filters` take).
-- t: {column = spec, ...} (sorted by column) or a list of {column, spec} pairs
-- (kept in order), or a ready MAST list (mast.set_filters' output). A spec is
--   a value                        -> values = {value}
--   {a, b} of two numbers          -> the range min = a, max = b
--   {min = a, max = b}             -> the range
--   a list of values               -> values (strings, or 3+ numbers)
--   {values = {...}, separator = ";", freeText = "%x%"} -> as written (use
--                                     values = {1, 2} for two discrete numbers)
--
-- columns: nil, or function() -> config, what (mast.columns.config's table and
-- the service it describes): then each plain criterion's column must exist
-- (matched case-insensitively, sent as the config spells it) and its value is
-- read by the column's kind: on a continuous column {a, b} is a range and a
-- number an exact value (an MJD column also takes ISO dates); on a discrete
-- one a list is a list of values and a string with * or % a wildcard
-- (freeText); the config's separator goes with multi-valued columns. Ready
-- MAST filter objects (mast.set_filters' output) are sent as given.
function M.build(fn, t, columns)
  local out, seen = {}, {}
  local cfg, what
  for i, p in ipairs(pairs_of(fn, t)) do
    if p[3] then
      out[i] = mast_filter(fn, p[2])
    elseif columns then
      if not cfg then cfg, what = columns() end
      out[i] = column_filter(fn, require("mast.columns").lookup(fn, cfg, p[1], what), p[2])
    else
      out[i] = plain_filter(fn, p[1], p[2])
    end
    local n = out[i].paramName
    if seen[n] then usage(fn, ("the column '%s' is filtered twice"):format(tostring(n))) end
    seen[n] = true
  end
  return core.array(out)
end

return M
