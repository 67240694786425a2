-- Pan-STARRS DR2: bright, well-measured objects in a 3-arcminute cone, brightest first.
local mast = require "mast"

local stars = mast.panstarrs.cone {
  ra = 10.0, dec = 20.0, radius = 0.05,
  criteria = { nDetections = { ">", 5 }, gMeanPSFMag = { 12, 18 } },
  columns = { "objID", "raMean", "decMean", "nDetections", "gMeanPSFMag" },
  sort_by = "gMeanPSFMag",
}
print(stars)
print(mast.json2csv(stars):sub(1, 300))
