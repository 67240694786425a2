-- Benchmark 6: decoding a MAST JSON response into Lua tables: mast.json.decode
-- (rows), mast.columnar.decode (one array per column, a mast.Table) and
-- lua-cjson's cjson.decode on the same bytes, in the same process, runs
-- interleaved (one warm-up each); and the floor: the same row tables built by
-- a compiled Lua table constructor, no parsing at all.
-- usage: lua5.4 decode.lua SHAPE [RUNS]
--        lua5.4 decode.lua SHAPE 0 DECODER   (one decode, for callgrind: DECODER
--                                            mast|columnar|cjson|none, or floor
--                                            against floorload)
-- (MAST_BASE_URL: the sandbox, for gaia and table; LUA_CPATH/LUA_PATH must find
-- mast: scripts/bench/run sets them)
--   narrow: 50,000 rows x 6 columns (id, a 64-bit source_id, small floats, a
--           short name; some nulls), made here: the catalogue rows users fetch most
--   caom:   20,000 CAOM-like rows x 20 columns (long URLs, s_region polygons), made here
--   gaia:   page 1 of the Gaia DR2 cone of benchmark 3 (a MAST catalogue page, ~38 MB)
--   table:  Sandbox.Table, 50,000 rows x 30 mixed columns (escapes, UTF-8, 64-bit ints)
-- Prints the bytes, each decoder's times and the Lua heap its result takes,
-- and how many values the decoders disagree on (cjson rounds 64-bit ids).
local core = require "mast.core"
local mast = require "mast"
local columnar = require "mast.columnar"

local which = arg[1] or "gaia"
local runs = math.tointeger(tonumber(arg[2] or "5"))
local only = arg[3]

local function envelope(fields, rows)
  return core.json_encode({ status = "COMPLETE", msg = "", fields = fields, data = rows,
                            paging = { page = 1, pageSize = #rows, pagesNotFilled = 0, rows = #rows,
                                       rowsFiltered = #rows, rowsTotal = #rows } })
end

-- Deterministic pseudo-random numbers (the same text every run)
local seed = 12345
local function rnd()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end

local function narrow()
  local fields = { { name = "id", type = "int" }, { name = "source_id", type = "long" },
                   { name = "ra", type = "float" }, { name = "dec", type = "float" },
                   { name = "mag", type = "float" }, { name = "name", type = "string" } }
  local rows = {}
  for i = 1, 50000 do
    rows[i] = { id = i, source_id = 5853498713190525697 + i,
                ra = math.floor(rnd() * 3600000) / 10000, dec = math.floor(rnd() * 1800000) / 10000 - 90,
                mag = (i % 7 == 0) and core.null or math.floor(rnd() * 1500 + 500) / 100,
                name = (i % 11 == 0) and core.null or ("obj" .. i) }
  end
  return envelope(fields, rows)
end

local function caom()
  local names = { "intentType", "obs_collection", "provenance_name", "instrument_name", "project",
                  "filters", "wavelength_region", "target_name", "obs_id", "s_ra", "s_dec",
                  "dataproduct_type", "calib_level", "t_min", "t_max", "t_exptime", "em_min",
                  "dataURL", "s_region", "obsid" }
  local types = { s_ra = "float", s_dec = "float", calib_level = "int", t_min = "float", t_max = "float",
                  t_exptime = "float", em_min = "float", obsid = "long" }
  local fields = {}
  for i, n in ipairs(names) do fields[i] = { name = n, type = types[n] or "string" } end
  local rows = {}
  for i = 1, 20000 do
    local ra, dec = rnd() * 360, rnd() * 180 - 90
    local poly = {}
    for k = 1, 8 do poly[k] = ("%.8f %.8f"):format(ra + rnd() * 0.1, dec + rnd() * 0.1) end
    local obs = ("tess2019%06d-s%04d-%016d-0120-s"):format(i, i % 60, 100000000 + i)
    rows[i] = { intentType = "science", obs_collection = (i % 3 == 0) and "HST" or "TESS",
                provenance_name = "SPOC", instrument_name = (i % 3 == 0) and "WFC3/IR" or "Photometer",
                project = "TESS", filters = "TESS", wavelength_region = "Optical",
                target_name = ("TIC %d"):format(100000 + i * 37), obs_id = obs, s_ra = ra, s_dec = dec,
                dataproduct_type = "timeseries", calib_level = 3, t_min = 58000 + rnd() * 1000,
                t_max = 58030 + rnd() * 1000, t_exptime = (i % 5 == 0) and core.null or 120.0,
                em_min = 600.0, dataURL = "mast:TESS/product/" .. obs .. "_lc.fits",
                s_region = "POLYGON " .. table.concat(poly, " "), obsid = 60000000000 + i }
  end
  return envelope(fields, rows)
end

local text
if which == "narrow" then text = narrow()
elseif which == "caom" then text = caom()
else
  local query = require "mast.query"
  local requests = {
    gaia = { service = "Mast.Catalogs.GaiaDR2.Cone", params = { ra = 10, dec = 20, radius = 1.125 },
             pagesize = 50000, page = 1 },
    table = { service = "Sandbox.Table", params = { rows = 50000, cols = 30 }, pagesize = 50000, page = 1 },
  }
  local request = assert(requests[which], "the document is narrow, caom, gaia or table")
  local answer = core.request{ method = "POST", url = core.config("base_url") .. "/api/v0/invoke",
                               body = query.encode(request),
                               content_type = "application/x-www-form-urlencoded" }
  text = answer.body
end

-- The floor: a chunk whose function builds the decoded value with table
-- constructors (its strings are constants, interned at load time).
local function floor_builder(value)
  local out, NULLV = { "local N = ...\nreturn function() return " }, "N"
  local function put(v)
    local t = type(v)
    if t == "table" then
      out[#out + 1] = "{"
      if #v > 0 then
        for _, x in ipairs(v) do put(x); out[#out + 1] = "," end
      else
        for k, x in pairs(v) do out[#out + 1] = ("[%q]="):format(k); put(x); out[#out + 1] = "," end
      end
      out[#out + 1] = "}"
    elseif t == "string" then out[#out + 1] = ("%q"):format(v)
    elseif math.type(v) == "integer" then out[#out + 1] = ("%d"):format(v)
    elseif t == "number" then out[#out + 1] = ("%q"):format(v)
    elseif t == "boolean" then out[#out + 1] = tostring(v)
    else out[#out + 1] = NULLV end
  end
  put(value)
  out[#out + 1] = " end"
  return assert(load(table.concat(out), "=floor", "t"))(core.null)
end

local decoders = { { name = "mast", decode = mast.json.decode },
                   { name = "columnar", decode = columnar.decode } }
local has_cjson, cjson = pcall(require, "cjson")
if has_cjson then decoders[#decoders + 1] = { name = "cjson", decode = cjson.decode } end
local function add_floor()
  local build = floor_builder(mast.json.decode(text))
  decoders[#decoders + 1] = { name = "floor", decode = function() return build() end }
  -- floorload: the chunk loaded but not run, the baseline of floor's instruction count
  if only then decoders[#decoders + 1] = { name = "floorload", decode = function() end } end
end

if runs == 0 then   -- one decode, for an instruction count
  if only == "floor" or only == "floorload" then add_floor() end
  for _, d in ipairs(decoders) do
    if d.name == only then d.decode(text) end
  end
  return
end

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

-- The heaps first: once the floor's chunk is loaded, its constants hold
-- every string of the document, and a decode's own strings would not count.
local times, heap, last = {}, {}, {}
for _, d in ipairs(decoders) do
  local _, h = once(d)   -- (also the warm-up)
  heap[d.name] = h
end
if only == nil then
  add_floor()
  local d = decoders[#decoders]
  local _, h = once(d)
  heap[d.name] = h   -- (without its strings: they are the chunk's constants)
end
for _, d in ipairs(decoders) do times[d.name] = {} end
for _ = 1, runs do
  for _, d in ipairs(decoders) do
    local s = once(d)
    local list = times[d.name]
    list[#list + 1] = ("%.6f"):format(s)
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
-- the columnar table holds what json2table makes of the rows
local cref, ct, cdiff = columnar.json2table(m), last.columnar, 0
for _, name in ipairs(cref.columns) do
  local a, b = cref.data[name], ct.data[name]
  for i = 1, cref.n do
    if a[i] ~= b[i] and a[i] == a[i] then cdiff = cdiff + 1 end
  end
end
print(("columnar_differences=%d"):format(cdiff))
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
