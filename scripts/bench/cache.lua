-- Benchmark 10 (BENCHMARKS.md's row 10): one 50,000-row page of a Gaia DR2 cone (about 38 MB of JSON),
-- from MAST ("uncached") or from the query cache (MAST_CACHE; "cached": the
-- warm-up run fills it). Prints the time of the query itself.
local mast = require "mast"
local now = require("mast.core").now
local mode = arg[1] or "cached"
local request = { service = "Mast.Catalogs.GaiaDR2.Cone", params = { ra = 10, dec = 20, radius = 1.125 },
                  format = "json", pagesize = 50000, page = 1 }
local opts = {}
if mode == "uncached" then opts.cache = false end
local t = now()
local r = mast.query(request, opts)
local s = now() - t
print(("seconds=%.6f rows=%d hits=%d"):format(s, #r.data, mast.cache.stats().hits))
