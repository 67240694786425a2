--- mast.resolver: object names to coordinates, through MAST's Mast.Name.Lookup.
local core = require "mast.core"
local S = require "mast.service"

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

return M
