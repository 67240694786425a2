-- Benchmark 14: one 50,000-row page (Gaia DR2 cone, about 38 MB of JSON)
-- over a slow link (the sandbox's "rate" fault). "query": mast.query, whose
-- rows are decoded while the answer arrives; "transfer": the same request
-- through the same engine with no decoding (the transfer alone), then a
-- decode of the whole text afterwards (what decoding after the transfer
-- would add). Prints seconds= (and decode= for "transfer").
local mast = require "mast"
local core = require "mast.core"
local query = require "mast.query"
local mode = arg[1] or "query"
local request = { service = "Mast.Catalogs.GaiaDR2.Cone", params = { ra = 10, dec = 20, radius = 1.125 },
                  format = "json", pagesize = 50000, page = 1 }
if mode == "query" then
  local t = core.now()
  local r = mast.query(request, { cache = false, progress = false })
  print(("seconds=%.6f rows=%d"):format(core.now() - t, #r.data))
else
  local spec = { method = "POST", url = mast.config("base_url") .. "/api/v0/invoke",
                 body = query.encode(request), label = request.service }
  local t = core.now()
  local r = core.perform({ spec })[1]
  local s = core.now() - t
  assert(r.ok, tostring(r.error))
  t = core.now()
  local v = core.json_decode(r.body)
  print(("seconds=%.6f decode=%.6f rows=%d"):format(s, core.now() - t, #v.data))
end
