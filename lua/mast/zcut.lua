--- mast.zcut: cutouts of MAST's deep-field surveys (Zcut: CANDELS, GOODS, ...).
--   mast.zcut.surveys{ra =, dec =, radius = 0} -> {"candels_gn_30mas", ...}
--   mast.zcut.cutouts{ra =, dec =, size = 100 | {x, y} | "10 arcsec", survey =, format = "fits" | "jpg" | "png",
--                     stretch =, minmax_percent = {lo, hi}, minmax_value = {lo, hi}, invert =, dir =}
--     -> {{path, size}, ...}: the files, unpacked into dir
local core = require "mast.core"
local O = require "mast.options"
local cut = require "mast.cutout"

local M = { _NAME = "mast.zcut" }
local V = O.validators
local SERVICE = "zcut"
local FORMATS = { fits = true, jpg = true, png = true }
local STRETCHES = { asinh = true, sinh = true, sqrt = true, log = true, linear = true }

-- the options each function takes (mast.options.declare: the check, help and completion share them)
local SURVEYS_OPTS = O.declare("mast.zcut.surveys",
  { ra = V.ra, dec = V.dec, radius = V.number, deadline = V.deadline })
local CUTOUTS_OPTS = O.declare("mast.zcut.cutouts", { ra = V.ra, dec = V.dec, size = cut.size, survey = V.string,
  format = V.string, stretch = V.string, minmax_percent = V.table, minmax_value = V.table, invert = V.boolean,
  dir = V.string, deadline = V.deadline })

--- The surveys that cover a position.
function M.surveys(opts)
  local fn = "mast.zcut.surveys"
  opts = O.options(fn, opts, SURVEYS_OPTS)
  if not (opts.ra and opts.dec) then O.usage(fn, "needs ra and dec (degrees)") end
  local r = cut.get(fn, SERVICE, cut.url(SERVICE, "survey", { ra = opts.ra, dec = opts.dec,
    radius = (opts.radius or 0) .. "d" }), { decode = "json", deadline = opts.deadline })
  local list = type(r.value) == "table" and r.value.surveys
  if type(list) ~= "table" then error(core.error("mast", "Zcut gave no survey list", { fn = fn }), 0) end
  return list
end

local function pair(fn, name, v)
  if v == nil then return nil end
  if type(v) ~= "table" or type(v[1]) ~= "number" or type(v[2]) ~= "number" then
    O.usage(fn, ("%s must be {low, high}"):format(name))
  end
  return O.number_text(v[1]) .. "," .. O.number_text(v[2])
end

--- Cutouts of a position as FITS, JPG or PNG, unpacked into dir.
function M.cutouts(opts)
  local fn = "mast.zcut.cutouts"
  opts = O.options(fn, opts, CUTOUTS_OPTS)
  if not (opts.ra and opts.dec) then O.usage(fn, "needs ra and dec (degrees)") end
  if not opts.dir then O.usage(fn, "dir (where the cutouts go) is required") end
  local format = opts.format or "fits"
  if not FORMATS[format] then O.usage(fn, ("format must be fits, jpg or png, got %s"):format(O.describe(format))) end
  if opts.stretch and not STRETCHES[opts.stretch] then
    O.usage(fn, ("stretch must be asinh, sinh, sqrt, log or linear, got %s"):format(O.describe(opts.stretch)))
  end
  local p = { ra = opts.ra, dec = opts.dec, survey = opts.survey, cutout_format = format, stretch = opts.stretch,
              minmax_percent = pair(fn, "minmax_percent", opts.minmax_percent),
              minmax_value = pair(fn, "minmax_value", opts.minmax_value),
              invert = opts.invert ~= nil and tostring(opts.invert) or nil }
  cut.size_params(fn, opts.size, p)
  local name = ("zcut_%s_%s.zip"):format(O.number_text(opts.ra), O.number_text(opts.dec))
  return (cut.zip(fn, SERVICE, cut.url(SERVICE, "astrocut", p), opts.dir, { deadline = opts.deadline, name = name }))
end

return M
