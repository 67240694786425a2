--- mast.hapcut: cutouts of Hubble Advanced Products (HAPcut).
--   mast.hapcut.cutouts{ra =, dec =, size = 50 | {x, y} | "5 arcsec", dir =} -> {{path, size}, ...}
local O = require "mast.options"
local cut = require "mast.cutout"

local M = { _NAME = "mast.hapcut" }
local V = O.validators

-- the options (mast.options.declare: the check, help and completion share them)
local CUTOUTS_OPTS = O.declare("mast.hapcut.cutouts",
  { ra = V.ra, dec = V.dec, size = cut.size, dir = V.string, deadline = V.deadline })

function M.cutouts(opts)
  local fn = "mast.hapcut.cutouts"
  opts = O.options(fn, opts, CUTOUTS_OPTS)
  if not (opts.ra and opts.dec) then O.usage(fn, "needs ra and dec (degrees)") end
  if not opts.dir then O.usage(fn, "dir (where the cutouts go) is required") end
  local p = { ra = opts.ra, dec = opts.dec }
  cut.size_params(fn, opts.size, p)
  local name = ("hapcut_%s_%s.zip"):format(O.number_text(opts.ra), O.number_text(opts.dec))
  return (cut.zip(fn, "hapcut", cut.url("hapcut", "astrocut", p), opts.dir, { deadline = opts.deadline, name = name }))
end

return M
