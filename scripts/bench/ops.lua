-- Benchmark 8: sort and join of N rows (1,000,000 by default) with mast.ops, on a
-- columnar mast.Table and on a row Result, against plain Lua (table.sort with a
-- comparator; a join through a Lua hash). The data is built first (timed apart).
-- usage: mast ops.lua [N] [RUNS]     (or lua5.4 with LUA_PATH/LUA_CPATH finding mast)
-- Prints: build seconds=...; then op=<name> seconds=a,b,... rows=N for each.
local mast = require "mast"
local core = require "mast.core"
local columnar = require "mast.columnar"
local dataset = require "mast.dataset"

local n = math.tointeger(tonumber(arg[1] or "1000000"))
local runs = math.tointeger(tonumber(arg[2] or "3"))
local NULL = mast.null

local t0 = core.now()
math.randomseed(42)
local BASE = 5853498713190525696   -- ids above 2^53, as MAST's obsids
local function shuffled()
  local p = {}
  for i = 1, n do p[i] = i end
  for i = n, 2, -1 do
    local j = math.random(i)
    p[i], p[j] = p[j], p[i]
  end
  for i = 1, n do p[i] = BASE + p[i] end
  return p
end
local lid, mag, name = shuffled(), {}, {}
for i = 1, n do
  mag[i] = (i % 50 == 0) and NULL or 10 + 10 * math.random()
  name[i] = ("obj%07d"):format(i)
end
local rid, flux = shuffled(), {}
for i = 1, n do flux[i] = math.random() end
local left = columnar.from_columns({ "obsid", "mag", "name" }, { "int", "float", "string" },
                                   { obsid = lid, mag = mag, name = name }, n)
local right = columnar.from_columns({ "obsid", "flux" }, { "int", "float" }, { obsid = rid, flux = flux }, n)
local lrows = left:envelope().data
local rrows = right:envelope().data
local lres = dataset.result(lrows, left:envelope().fields, "left")
local rres = dataset.result(rrows, right:envelope().fields, "right")
print(("build seconds=%.6f rows=%d"):format(core.now() - t0, n))

local ops = {
  { "mast_table_sort", function() return left:sort("mag") end },
  { "mast_table_join", function() return left:join(right, { on = "obsid" }) end },
  { "mast_rows_sort", function() return lres:sort("mag") end },
  { "mast_rows_join", function() return lres:join(rres, { on = "obsid" }) end },
  { "lua_sort", function()
      local copy = table.move(lrows, 1, n, 1, {})
      table.sort(copy, function(a, b) return a.mag < b.mag end)   -- nulls order last (mast.null)
      return copy
    end },
  { "lua_join", function()
      local by = {}
      for _, r in ipairs(rrows) do by[r.obsid] = r end
      local out = {}
      for _, l in ipairs(lrows) do
        local r = by[l.obsid]
        if r then out[#out + 1] = { obsid = l.obsid, mag = l.mag, name = l.name, flux = r.flux } end
      end
      return out
    end },
}
for _, op in ipairs(ops) do
  local times, last = {}, {}
  for _ = 1, runs do
    last[1] = nil   -- the previous run's result is garbage before the collection
    collectgarbage()
    local t = core.now()
    last[1] = op[2]()
    times[#times + 1] = ("%.6f"):format(core.now() - t)
  end
  local out = last[1]
  local rows = dataset.is_result(out) and out:count() or #out
  print(("op=%s seconds=%s rows=%d"):format(op[1], table.concat(times, ","), rows))
end
