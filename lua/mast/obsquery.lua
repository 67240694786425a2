--- mast.obsquery: searches of CAOM observations shaped like the task (astroquery's
-- Observations.query_region / query_object / query_criteria and their _count forms),
-- exposed as mast.observations.*. Each picks the MAST service itself: Mast.Caom.Cone for a
-- region, Mast.Caom.Filtered for criteria, Mast.Caom.Filtered.Position for both. Criteria
-- go at the top level ({instrument_name = "WFC3/IR", t_min = {...}}); every other key is an
-- option of the search (position, radius, columns, paging, all = true, deadline, ...).
local S = require "mast.service"

local M = { _NAME = "mast.obsquery" }

-- keys that are options of the search, not criteria
local POSITION = { ra = true, dec = true, coordinates = true, target = true, objectname = true, radius = true }
local OPTIONS = { columns = true, obstype = true, params = true }
for k in pairs(S.REQUEST) do OPTIONS[k] = true end
for k in pairs(S.RUN) do OPTIONS[k] = true end
local COUNT_DROP = { pagesize = true, page = true, removenullcolumns = true, format = true, all = true,
                     concurrency = true, max_rows = true, max_bytes = true, columns = true }

local function caom() return require "mast.caom" end

-- (position args, option args, criteria) of a call's table.
local function split(fn, args)
  if type(args) ~= "table" then
    S.usage(fn, ("expected a table such as {coordinates = '210.80243 54.34875', radius = '3 arcmin'}, got %s")
      :format(S.describe(args)))
  end
  local pos, opts, crit, n = {}, {}, {}, 0
  for k, v in pairs(args) do
    if type(k) ~= "string" then S.usage(fn, "criteria and options are named: {column = value, ...}") end
    if POSITION[k] then pos[k] = v
    elseif OPTIONS[k] then opts[k] = v
    else crit[k] = v n = n + 1 end
  end
  if pos.objectname then   -- astroquery's name for the target
    if pos.target then S.usage(fn, "give objectname or target, not both") end
    pos.target, pos.objectname = pos.objectname, nil
  end
  return pos, opts, n > 0 and crit or nil
end

local function check_name(fn, name)
  if type(name) ~= "string" or not name:match("%S") then
    S.usage(fn, ("expected an object name such as 'M101', got %s"):format(S.describe(name)))
  end
end

local function has_position(pos)
  return pos.ra ~= nil or pos.dec ~= nil or pos.coordinates ~= nil or pos.target ~= nil
end

local function merge(...)
  local out = {}
  for _, t in ipairs({ ... }) do
    for k, v in pairs(t) do out[k] = v end
  end
  return out
end

local function for_count(fn, opts)
  for k in pairs(opts) do
    if COUNT_DROP[k] then S.usage(fn, ("option '%s' does not apply to a count"):format(k)) end
  end
  return opts
end

--- query_region{coordinates | ra, dec | target, radius = 0.2 [, options]} -> Result (Mast.Caom.Cone)
function M.query_region(args)
  local fn = "mast.observations.query_region"
  local pos, opts, crit = split(fn, args)
  if crit then
    local names = {}
    for k in pairs(crit) do names[#names + 1] = k end
    table.sort(names)
    S.usage(fn, ("query_region takes no criteria (got %s): use mast.observations.query_criteria"):format(
      table.concat(names, ", ")))
  end
  if not has_position(pos) then S.usage(fn, "needs a position: coordinates, ra and dec, or target") end
  return caom().cone(merge(pos, opts))
end

--- query_object(name [, {radius = 0.2, options}]) -> Result
function M.query_object(name, args)
  local fn = "mast.observations.query_object"
  check_name(fn, name)
  local pos, opts, crit = split(fn, args or {})
  if has_position(pos) then S.usage(fn, "the object is the position: leave out coordinates, ra/dec and target") end
  if crit then S.usage(fn, "query_object takes no criteria: use mast.observations.query_criteria{objectname = ...}") end
  pos.target = name
  return caom().cone(merge(pos, opts))
end

-- the call of query_criteria and its count: the service by what was given
local function criteria_call(fn, args, count)
  local pos, opts, crit = split(fn, args)
  if not crit and not has_position(pos) then
    S.usage(fn, "needs criteria (e.g. {obs_collection = 'HST', instrument_name = 'WFC3/IR'}) or a position")
  end
  if count then opts = for_count(fn, opts) end
  if has_position(pos) then
    local f = count and caom().filtered_position_count or caom().filtered_position
    if opts.obstype then S.usage(fn, "obstype applies only without a position") end
    return f(merge(pos, opts, { filters = crit }))
  end
  if pos.radius then S.usage(fn, "radius needs a position: coordinates, ra and dec, or target") end
  local f = count and caom().filtered_count or caom().filtered
  return f(merge(opts, { filters = crit }))
end

--- query_criteria{column = value, ... [, coordinates | target | objectname, radius, options]} -> Result
function M.query_criteria(args)
  return criteria_call("mast.observations.query_criteria", args, false)
end

--- The counts: how many observations each search would give.
function M.query_criteria_count(args)
  return criteria_call("mast.observations.query_criteria_count", args, true)
end

function M.query_region_count(args)
  local fn = "mast.observations.query_region_count"
  local pos, opts, crit = split(fn, args)
  if crit then S.usage(fn, "query_region_count takes no criteria: use mast.observations.query_criteria_count") end
  if not has_position(pos) then S.usage(fn, "needs a position: coordinates, ra and dec, or target") end
  return caom().filtered_position_count(merge(pos, for_count(fn, opts)))
end

function M.query_object_count(name, args)
  local fn = "mast.observations.query_object_count"
  check_name(fn, name)
  local pos, opts, crit = split(fn, args or {})
  if crit or has_position(pos) then S.usage(fn, "takes the object name and radius only") end
  pos.target = name
  return caom().filtered_position_count(merge(pos, for_count(fn, opts)))
end

return M
