-- Benchmark 6: decoding one 50,000-row x 30-column MAST JSON response into
-- Lua tables, mast.json.decode against lua-cjson's cjson.decode on the same
-- bytes, in the same process, runs interleaved (one warm-up each).
-- usage: lua5.4 decode.lua [gaia|table] [RUNS]   (MAST_BASE_URL: the sandbox;
-- LUA_CPATH/LUA_PATH must find mast: scripts/bench/run sets them)
--   gaia:  page 1 of the Gaia DR2 cone of benchmark 3 (a MAST catalogue page, ~38 MB)
--   table: Sandbox.Table, 50,000 rows x 30 mixed columns (escapes, UTF-8, 64-bit ints)
-- Prints the bytes, each decoder's times and the Lua heap its result takes,
-- and how many values the two decoders disagree on (cjson rounds 64-bit ids).
local core = require "mast.core"
local mast = require "mast"
local query = require "mast.query"

local which = arg[1] or "gaia"
local runs = math.tointeger(tonumber(arg[2] or "5"))
local requests = {
  gaia = { service = "Mast.Catalogs.GaiaDR2.Cone", params = { ra = 10, dec = 20, radius = 1.125 },
           pagesize = 50000, page = 1 },
  table = { service = "Sandbox.Table", params = { rows = 50000, cols = 30 }, pagesize = 50000, page = 1 },
}
local request = assert(requests[which], "the document is gaia or table")
local answer = core.request{ method = "POST", url = core.config("base_url") .. "/api/v0/invoke",
                             body = query.encode(request),
                             content_type = "application/x-www-form-urlencoded" }
local text = answer.body

local decoders = { { name = "mast", decode = mast.json.decode } }
local has_cjson, cjson = pcall(require, "cjson")
if has_cjson then decoders[2] = { name = "cjson", decode = cjson.decode } end

-- One decode with the collector in its normal mode, as a script runs it;
-- then the heap the result keeps (garbage collected, input excluded).
local function once(d)
  collectgarbage()
  collectgarbage()
  local before = collectgarbage("count")
  local t = core.now()
  local v = d.decode(text)
  local s = core.now() - t
  collectgarbage()
  collectgarbage()
  return s, (collectgarbage("count") - before) * 1024, v
end

local times, heap, last = {}, {}, {}
for _, d in ipairs(decoders) do
  times[d.name] = {}
  once(d)   -- warm-up
end
for _ = 1, runs do
  for _, d in ipairs(decoders) do
    local s, h = once(d)
    local list = times[d.name]
    list[#list + 1] = ("%.6f"):format(s)
    heap[d.name] = h
  end
end
for _, d in ipairs(decoders) do
  local _, _, v = once(d)
  last[d.name] = v
end

local m = last.mast
print(("bytes=%d rows=%d cols=%d"):format(#text, #m.data, #m.fields))
for _, d in ipairs(decoders) do
  print(("decoder=%s seconds=%s heap_bytes=%d"):format(d.name, table.concat(times[d.name], ","),
                                                       math.floor(heap[d.name])))
end
if last.cjson then
  local c, differ, ids = last.cjson, 0, 0
  for i, row in ipairs(m.data) do
    local other = c.data[i]
    for k, v in pairs(row) do
      if other[k] ~= v then
        differ = differ + 1
        if math.type(v) == "integer" and math.abs(v) > 2^53 then ids = ids + 1 end
      end
    end
  end
  print(("differences=%d big_integers_rounded_by_cjson=%d"):format(differ, ids))
end
