-- Benchmark 2 (mast side): a small CAOM cone search, end to end.
-- Run by scripts/bench/run under the mast program, MAST_BASE_URL aimed at the sandbox.
local mast = require "mast"
local r = mast.query{ service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.2 } }
print(("rows=%d"):format(#r.data))
