-- The Missions search API: HST datasets near a position taken with WFC3 or ACS,
-- their products, and the calibrated ones downloaded into ./hst.
local mast = require "mast"

local datasets = mast.missions.search("hst", { sci_instrume = { "WFC3", "ACS" } },
  { ra = 10.68, dec = 41.27, radius = "10 arcmin", select_cols = "sci_data_set_name,sci_instrume,sci_spec_1234" })
print(datasets)
local products = mast.missions.products("hst", datasets)
local calibrated = {}
for _, p in ipairs(products.data) do
  if p.category == "CALIBRATED" and #calibrated < 4 then calibrated[#calibrated + 1] = p end
end
for _, e in ipairs(mast.missions.download_products("hst", calibrated, "hst")) do
  print(e.status, e.local_path, e.bytes)
end
