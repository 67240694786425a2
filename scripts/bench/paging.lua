-- Benchmark 3 (mast side): every row of a Gaia DR2 cone that MAST pages in four
-- (199,126 rows, 50,000 a page). Prints the time of the query itself.
local mast = require "mast"
local now = require("mast.core").now
local t = now()
local r = mast.query_all{ service = "Mast.Catalogs.GaiaDR2.Cone", params = { ra = 10, dec = 20, radius = 1.125 } }
local s = now() - t
print(("seconds=%.6f rows=%d"):format(s, #r.data))
