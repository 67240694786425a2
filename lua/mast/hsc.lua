--- mast.hsc: the Hubble Source Catalog (versions 2 and 3) and its spectra.
-- Searches return a mast.Result and take the common options (pagesize, page,
-- removenullcolumns, timeout, cachebreaker, clearcache, removecache, format,
-- all, deadline, progress, params).
local core = require "mast.core"
local S = require "mast.service"
local V = S.validators

local M = { _NAME = "mast.hsc" }

local function version(v)
  if v ~= 2 and v ~= 3 then return "2 or 3 (the HSC version)" end
end

local MAGTYPES = { [1] = 1, [2] = 2, magaper2 = 1, magauto = 2 }
local function magtype(v)
  local key = type(v) == "string" and v:lower() or v
  if MAGTYPES[key] == nil then return "1 or 'MagAper2', 2 or 'MagAuto'" end
end
local function magtype_param(_, v)
  return MAGTYPES[type(v) == "string" and v:lower() or v]
end

local function service_of(prefix)
  return function(_, args) return ("%s.v%d"):format(prefix, args.version or 3) end
end

--- mast.hsc.cone{ra =, dec = | target =, radius = 0.2 [, nr = 50000, ni = 1, magtype = 1, version = 3]} -> result
-- Mast.Hsc.Db.v3 (version = 2: Mast.Hsc.Db.v2): HSC sources in a cone.
-- nr: the most rows to return; ni: the fewest images a source must be in;
-- magtype: 1 or "MagAper2" (aperture magnitudes), 2 or "MagAuto".
M.cone = S.define {
  name = "mast.hsc.cone", service = service_of("Mast.Hsc.Db"), position = 0.2,
  example = "{ra = 254.287, dec = -4.09933, radius = 0.2, nr = 5000}",
  options = {
    version = { check = version, param = false },
    nr = { check = V.posint, default = 50000 },
    ni = { check = V.posint, default = 1 },
    magtype = { check = magtype, convert = magtype_param, default = 1 },
  },
}

--- mast.hsc.matches{match_id = <MatchID> [, version = 3]} -> result
-- Mast.HscMatches.Db.v3 (or .v2): every detection of one HSC match (a
-- source's MatchID, e.g. from mast.hsc.cone), sent as params.input.
M.matches = S.define {
  name = "mast.hsc.matches", service = service_of("Mast.HscMatches.Db"),
  example = "{match_id = r.data[1].MatchID}",
  options = {
    version = { check = version, param = false },
    match_id = { check = V.integer_or_digits, param = "input", required = true,
                 hint = "a source's MatchID, e.g. match_id = r.data[1].MatchID" },
  },
}

--- mast.hsc.spectra{[format = "json"]} -> result (or text for format "votable"/"csv")
-- Mast.HscSpectra.Db.All: every HSC spectrum MAST holds (the service takes no params).
M.spectra = S.define {
  name = "mast.hsc.spectra", service = "Mast.HscSpectra.Db.All", no_params = true,
  example = "{format = 'votable'}",
}

local function field(row, k)
  local v = row[k]
  if v == nil or v == core.null then return nil end
  return v
end

--- mast.hsc.spectrum_url(row) -> url, filename
-- Where the Hubble Legacy Archive serves a spectrum (a row of mast.hsc.spectra):
-- SpectrumType < 2 through getdata.cgi (file named after the dataset), others
-- through ecfproxy as <DatasetName>.fits. The host is mast.config("hla_url").
function M.spectrum_url(row)
  local fn = "mast.hsc.spectrum_url"
  if type(row) ~= "table" then S.usage(fn, "expected a row of mast.hsc.spectra, got " .. S.describe(row)) end
  local name, kind = field(row, "DatasetName"), field(row, "SpectrumType")
  if type(name) ~= "string" or name == "" then S.usage(fn, "the row has no DatasetName") end
  kind = tonumber(kind)
  if not kind then S.usage(fn, ("the row for %s has no SpectrumType"):format(name)) end
  local ok, why = core.safe_name(name)
  if not ok then S.usage(fn, ("refused the DatasetName '%s': %s"):format(name, why)) end
  local base = require("mast.config").get("hla_url")
  if kind < 2 then
    return base .. "/cgi-bin/getdata.cgi?config=ops&dataset=" .. core.urlencode(name), name
  end
  return base .. "/cgi-bin/ecfproxy?file_id=" .. core.urlencode(name .. ".fits"), name .. ".fits"
end

return M
