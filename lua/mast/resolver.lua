--- mast.resolver: object names to coordinates, through MAST's Mast.Name.Lookup (the
-- seed's wrappers' `target`) and MAST's current resolver service, SANTA (mast.resolve).
local core = require "mast.core"
local S = require "mast.service"
local O = require "mast.options"

local M = { _NAME = "mast.resolver" }

local SERVICE = "Mast.Name.Lookup"
local OPTS = { deadline = S.validators.deadline, progress = S.validators.progress }

local function ask(fn, name, opts)
  if type(name) ~= "string" or not name:match("%S") then
    S.usage(fn, ("expected an object name such as 'M101', got %s"):format(S.describe(name)))
  end
  if opts ~= nil then
    S.args(fn, opts, "{deadline = 30}")
    S.check(fn, opts, OPTS)
  end
  opts = opts or {}
  -- format goes inside params here (the resolver's own option; its default is xml)
  return require("mast.query").query({ service = SERVICE, params = { input = name, format = "json" } },
    { deadline = opts.deadline, progress = opts.progress })
end

--- mast.resolver.lookup(name [, opts]) -> MAST's answer, as the page's resolve_name returns it:
-- {resolvedCoordinate = {{ra =, decl =, canonicalName =, resolver =, objectType =, ...}, ...}, status = ""}
-- An unknown name gives an empty resolvedCoordinate list (no error).
-- opts.deadline, opts.progress: as mast.query.
function M.lookup(name, opts)
  local answer = ask("mast.resolver.lookup", name, opts)
  if type(answer) ~= "table" or type(answer.resolvedCoordinate) ~= "table" then
    error(core.error("mast", ("%s gave no resolvedCoordinate list for '%s'"):format(SERVICE, name),
      { fn = "mast.resolver.lookup", service = SERVICE }))
  end
  return answer
end

-- ra, dec, entry for `name`, raising (as `fn`) when nothing is found.
function M.resolve_for(fn, name, opts)
  local answer = ask(fn, name, opts)
  local list = type(answer) == "table" and answer.resolvedCoordinate
  local entry = type(list) == "table" and list[1] or nil
  if type(entry) ~= "table" then
    error(core.error("mast", ("MAST's name resolver found nothing for the target '%s'; check the "
      .. "name, or give ra and dec in degrees"):format(name), { fn = fn, service = SERVICE, target = name }))
  end
  local ra, dec = tonumber(entry.ra), tonumber(entry.decl or entry.dec)
  if not ra or not dec then
    error(core.error("mast", ("the name resolver's answer for '%s' has no ra/decl"):format(name),
      { fn = fn, service = SERVICE, target = name }))
  end
  return ra, dec, entry
end

--- mast.resolver.resolve(name [, opts]) -> ra, dec, entry
-- The first match's position in degrees (MAST calls the declination `decl`)
-- and the whole entry (canonicalName, resolver, objectType, ...). A name the
-- resolver does not know is an error (code "mast") naming it.
function M.resolve(name, opts)
  return M.resolve_for("mast.resolver.resolve", name, opts)
end

-- ---------------------------------------------------------------- SANTA (protocol doc §4.1)

local BATCH = 30    -- names per request, as astroquery sends them (a longer URL risks a 414)
local RESOLVERS = { SIMBAD = true, NED = true, SIMBADCFA = true, TIC = true }

-- An entry of SANTA's answer in mast's words (every field MAST gave kept as well).
local function entry_of(e)
  local out = {}
  for k, v in pairs(e) do out[k] = v end
  out.ra, out.dec = tonumber(e.ra), tonumber(e.decl or e.dec)
  out.name, out.object_type = e.canonicalName, e.objectType
  return out
end

--- mast.resolve(name_or_names [, opts]) -> entry, or {[name] = entry} for a list
-- MAST's name resolver (SANTA, the `resolver_url` setting): an entry is {ra, dec (degrees),
-- name (canonical), resolver, object_type, ...MAST's own fields (searchString, decl, ...)}.
-- opts: resolver ("SIMBAD" | "NED" | ..., or a list: ask only those), all = true (every
-- resolver's answer: a list of entries per name), deadline, progress.
-- Names are sent 30 a request, concurrently. A name nobody resolves is an error (code
-- "mast") naming every such name; nothing is half-answered.
function M.santa(names, opts)
  local fn = "mast.resolve"
  local single = type(names) == "string"
  local list = single and { names } or names
  if type(list) ~= "table" or #list == 0 then
    S.usage(fn, ("expected a name such as 'M101' or a list of names, got %s"):format(S.describe(names)))
  end
  for i, n in ipairs(list) do
    if type(n) ~= "string" or not n:match("%S") then
      S.usage(fn, ("name %d must be an object name such as 'M101', got %s"):format(i, S.describe(n)))
    end
  end
  opts = S.check(fn, opts or {}, { resolver = function(v)
      for _, r in ipairs(type(v) == "table" and v or { v }) do
        if not RESOLVERS[r] then return "'SIMBAD', 'NED', 'SIMBADCFA', 'TIC' or a list of them" end
      end
    end, all = S.validators.boolean, deadline = S.validators.deadline, progress = S.validators.progress })
  local resolvers = opts.resolver and (type(opts.resolver) == "table" and opts.resolver or { opts.resolver }) or {}
  local base = require("mast.config").get("resolver_url")
  local specs = {}
  for start = 1, #list, BATCH do
    local q = {}
    for i = start, math.min(start + BATCH - 1, #list) do q[#q + 1] = "name=" .. core.urlencode(list[i], "") end
    q[#q + 1] = "outputFormat=json"
    q[#q + 1] = "resolveAll=" .. (opts.all and "true" or "false")
    for _, r in ipairs(resolvers) do q[#q + 1] = "resolver=" .. r end
    specs[#specs + 1] = { url = base .. "/query?" .. table.concat(q, "&"), decode = "json", auth = "none",
                          label = "name resolver" }
  end
  local ok, rs = pcall(require("mast.record").perform, specs, { deadline = opts.deadline })
  if not ok then error(O.within(fn, rs), 0) end
  local by_search = {}
  for _, r in ipairs(rs) do
    if not r.ok then error(O.within(fn, r.error), 0) end
    if r.json_error then error(O.within(fn, r.json_error), 0) end
    local found = type(r.value) == "table" and r.value.resolvedCoordinate
    if type(found) ~= "table" then
      error(core.error("mast", "the name resolver's answer has no resolvedCoordinate list", { fn = fn }), 0)
    end
    for _, e in ipairs(found) do
      local key = type(e.searchString) == "string" and e.searchString:lower() or nil
      if key then
        by_search[key] = by_search[key] or {}
        table.insert(by_search[key], entry_of(e))
      end
    end
  end
  local out, missing = {}, {}
  for _, n in ipairs(list) do
    -- SANTA answers by the lower-cased search string (as astroquery matches them)
    local hits = by_search[n:lower()] or by_search[n:lower():gsub("^%s+", ""):gsub("%s+$", "")]
    if not hits or #hits == 0 then missing[#missing + 1] = "'" .. n .. "'"
    else out[n] = opts.all and hits or hits[1] end
  end
  if #missing > 0 then
    error(core.error("mast", ("the name resolver found nothing for %s%s; check the spelling, or give "
      .. "coordinates"):format(table.concat(missing, ", "), #resolvers > 0 and (" with resolver "
      .. table.concat(resolvers, ", ")) or ""), { fn = fn, names = missing }), 0)
  end
  if single then return out[names] end
  return out
end

return M
