-- make-pictures.lua: the README's pictures, from the sandbox (run by scripts/make-pictures,
-- which starts it). arg[1]: the directory they go to.
--   sky-m101.png        CAOM footprints and positions of HST observations around M101
--   histogram-m101.png  the exposure times of every observation of that cone
--   tess-frame.png      one frame of a TESScut cutout (the recorded target-pixel file)
--   tess-lightcurve.png the cutout's summed flux per frame, quality-masked and binned
-- The last two read the cutout with mast.fits; without it they are skipped, said on stderr.
local mast = require "mast"

local out = arg[1] or "docs/img"
local made, failed = {}, 0

local function try(name, f)
  local ok, r = pcall(f)
  if ok then
    made[#made + 1] = tostring(r)
  else
    failed = failed + 1
    io.stderr:write(("make-pictures: %s not made: %s\n"):format(name, (tostring(r):match("[^\n]*"))))
  end
end

local M101 = { ra = 210.80227, dec = 54.34895 }
local cone = mast.caom.cone { ra = M101.ra, dec = M101.dec, radius = 0.2 }

try("sky-m101.png", function()
  local hst = {}
  for _, row in ipairs(cone.data) do
    if row.obs_collection == "HST" then hst[#hst + 1] = row end
  end
  local rows = require("mast.dataset").result(hst, cone.fields, "HST around M101")
  return mast.plot.sky(rows, { file = out .. "/sky-m101.png",
                               title = ("HST observations within 0.2° of M101 (%d)"):format(#hst) })
end)

try("histogram-m101.png", function()
  return mast.plot.histogram(cone, { file = out .. "/histogram-m101.png", column = "t_exptime", xlog = true,
                                     title = "Exposure times of the observations around M101",
                                     xlabel = "t_exptime (s)" })
end)

-- the recorded TESScut cutout (107.27, -70.0), 5 × 5 pixels
local tmp = (os.getenv("TMPDIR") or "/tmp") .. ("/mast-pictures-%d"):format(os.time())
local tpf
try("the TESScut cutout", function()
  local files = mast.tesscut.cutouts { ra = 107.27, dec = -70.0, size = 5, dir = tmp }
  tpf = files[1].path
  return "cutout " .. tpf
end)

if tpf then
  try("tess-frame.png", function()
    local f <close> = require("mast.fits").open(tpf)
    local img = f:frame("PIXELS", 1)
    return mast.plot.image(img, { file = out .. "/tess-frame.png", cmap = "deep", stretch = "zscale",
                                  title = "TESScut 107.27 −70.0, first frame", width = 700, height = 600 })
  end)

  try("tess-lightcurve.png", function()
    local f <close> = require("mast.fits").open(tpf)
    local t = f:table("PIXELS", { columns = { "TIME", "QUALITY" } })
    local rows = {}
    for i = 1, #t do
      local frame = f:frame("PIXELS", i)
      local sum = 0
      for _, v in ipairs(frame.data) do
        if v == v then sum = sum + v end
      end
      rows[i] = { TIME = t:column("TIME")[i], SAP_FLUX = sum, QUALITY = t:column("QUALITY")[i] }
    end
    local lc = require("mast.dataset").result(rows, {
      { name = "TIME", type = "float" }, { name = "SAP_FLUX", type = "float" }, { name = "QUALITY", type = "int" },
    }, "TESScut light curve")
    return mast.plot.lightcurve(lc, { file = out .. "/tess-lightcurve.png", bin = "2 h",
                                      title = "TESScut 107.27 −70.0: summed 5×5 pixels",
                                      xlabel = "TIME (BTJD, days)", ylabel = "flux (e-/s)" })
  end)
  os.execute("rm -rf '" .. tmp .. "'")
end

for _, m in ipairs(made) do print(m) end
if failed > 0 then os.exit(1) end
