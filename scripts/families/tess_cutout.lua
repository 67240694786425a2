-- A TESS cutout: the sectors that saw a position, then a 5x5-pixel cutout of each,
-- unpacked into ./tess (target-pixel FITS files).
local mast = require "mast"

local ra, dec = 107.27, -70.0
local sectors = mast.tesscut.sectors { ra = ra, dec = dec }
print(("%d sectors cover %.2f %.2f"):format(#sectors.data, ra, dec))
print(sectors)
local files = mast.tesscut.cutouts { ra = ra, dec = dec, size = 5, sector = sectors.data[1].sector, dir = "tess" }
for _, f in ipairs(files) do
  print(("sector %d camera %d ccd %d: %s (%d bytes)"):format(f.sector, f.camera, f.ccd, f.path, f.size))
end
