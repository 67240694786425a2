-- Campaign figures of one node against the sandbox (docs/scale.md): files a second (many
-- small products), bytes a second (a few large ones), rows a second (a query campaign
-- through mast.shard.queries), each as one shard of an 8-shard campaign would run it.
-- usage: mast scripts/bench/campaign.lua DIR [FILES [CONCURRENCY]]   (under sandbox/with-sandbox)
local mast = require "mast"
local core = require "mast.core"
local dir = assert(arg[1], "usage: campaign.lua DIR [FILES [CONCURRENCY]]")
local nfiles = math.tointeger(tonumber(arg[2] or "2000"))
local conc = math.tointeger(tonumber(arg[3] or "8"))

local function products(n, size, tag)
  local rows = {}
  for i = 1, n do
    local name = ("%s%05d.fits"):format(tag, i)
    rows[i] = { dataURI = ("mast:SANDBOX/size/%d/%s"):format(size, name), productFilename = name,
                obs_collection = "SANDBOX", obs_id = tag, size = size }
  end
  return rows
end

local function run(rows, label)
  local t = core.now()
  local m = mast.download_products(rows, dir, { concurrency = conc, overwrite = true, progress = false,
                                                shard = { index = 0, count = 1 }, manifest = dir .. "/" .. label })
  local s = core.now() - t
  local bytes = 0
  for _, e in ipairs(m) do
    assert(e.status == "COMPLETE", e.message)
    bytes = bytes + e.bytes
  end
  return s, #m, bytes
end

local s, n, b = run(products(nfiles, 4096, "small"), "small")
print(("small files: %d x 4 KB in %.2f s: %.0f files/s, %.1f MB/s"):format(n, s, n / s, b / s / 1e6))
s, n, b = run(products(8, 64 << 20, "large"), "large")
print(("large files: %d x 64 MB in %.2f s: %.1f files/s, %.0f MB/s"):format(n, s, n / s, b / s / 1e6))
-- a query campaign: 40 cones of the TIC, 4 at a time
local requests = {}
for k = 1, 40 do
  requests[k] = { service = "Mast.Catalogs.Tic.Cone", format = "json",
                  params = { ra = 10 + k / 5, dec = 20, radius = 0.2 } }
end
local t = core.now()
local entries = mast.shard.queries(requests, { out = dir .. "/queries", shard = { index = 0, count = 1 },
                                               concurrency = 4 })
s = core.now() - t
local rows = 0
for _, e in ipairs(entries) do
  assert(e.status == "COMPLETE", e.message)
  rows = rows + e.rows
end
print(("query campaign: %d queries, %d rows in %.2f s: %.0f rows/s, %.1f queries/s"):format(
  #entries, rows, s, rows / s, #entries / s))
