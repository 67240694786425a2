-- Benchmark 4 (mast side): download N products of SIZE bytes with
-- mast.download_products, CONCURRENCY at a time (default: mast's setting).
-- usage: mast downloads.lua DIR [N [SIZE [CONCURRENCY]]]
-- The product rows are made here, as the astroquery side makes its table.
local mast = require "mast"
local now = require("mast.core").now
local dir = assert(arg[1], "usage: downloads.lua DIR [N [SIZE [CONCURRENCY]]]")
local n = math.tointeger(tonumber(arg[2] or "100"))
local size = math.tointeger(tonumber(arg[3] or "1048576"))
local concurrency = arg[4] and math.tointeger(tonumber(arg[4])) or nil
local rows = {}
for i = 1, n do
  local name = ("f%03d.fits"):format(i)
  rows[i] = { dataURI = ("mast:SANDBOX/size/%d/%s"):format(size, name), productFilename = name,
              obs_collection = "SANDBOX", obs_id = "bench", size = size }
end
local t = now()
local manifest = mast.download_products(rows, dir, { concurrency = concurrency, overwrite = true,
                                                     progress = false })
local s = now() - t
local bytes = 0
for _, e in ipairs(manifest) do
  if e.status ~= "COMPLETE" then error(("%s: %s %s"):format(e.uri, e.status, e.message)) end
  bytes = bytes + e.bytes
end
print(("seconds=%.6f files=%d bytes=%d"):format(s, #manifest, bytes))
