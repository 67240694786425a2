--- mast.jwst: JWST science-instrument keyword searches (Mast.Jwst.Filtered.<Instrument>).
local S = require "mast.service"

local M = { _NAME = "mast.jwst" }

--- The seven instruments, as MAST spells them in the service names.
M.instruments = { "Nircam", "Niriss", "Nirspec", "Miri", "Fgs", "GuideStar", "Wss" }

local CANONICAL = {}
for _, name in ipairs(M.instruments) do CANONICAL[name:lower()] = name end

local function instrument(v)
  if type(v) ~= "string" or not CANONICAL[v:lower()] then
    return "one of " .. table.concat(M.instruments, ", ") .. " (any case)"
  end
end

local function service(_, args)
  return "Mast.Jwst.Filtered." .. CANONICAL[args.instrument:lower()]
end

local OPTIONS = { instrument = { check = instrument, param = false, required = true,
                                 hint = "one of " .. table.concat(M.instruments, ", ") } }
local EXAMPLE = "{instrument = 'Nircam', filters = {prop_dec = {0, 90}, mu_dec = {-10, -2}}}"

--- mast.jwst.search{instrument = "Nircam", filters = {...} [, columns = "*"]} -> result
-- The instrument keywords of the exposures matching the filters. instrument:
-- Nircam, Niriss, Nirspec, Miri, Fgs, GuideStar or Wss (in any case).
M.search = S.define {
  name = "mast.jwst.search", service = service, filters = "required", columns = "*",
  options = OPTIONS, example = EXAMPLE,
}

--- mast.jwst.count{instrument = "Nircam", filters = {...}} -> integer
-- The same search as a COUNT_BIG(*) query.
M.count = S.define {
  name = "mast.jwst.count", service = service, filters = "required", count = true,
  options = OPTIONS, example = EXAMPLE,
}

return M
