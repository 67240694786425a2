-- scripts/bench/formats.lua [rows] [dir]: mast.write / mast.read of a
-- 6-column dataset (a 64-bit id, three floats with nulls, text, a boolean),
-- as CSV and as VOTable. Prints key=value figures (seconds); asserts nothing
-- about time. Run with build/mast.
local mast = require "mast"
local core = require "mast.core"

local n = math.tointeger(tonumber(arg and arg[1] or "")) or 1000000
local dir = arg and arg[2] or "/tmp"
local rows = {}
for i = 1, n do
  rows[i] = { id = 5853498713190525697 - i, ra = i * 0.000123, dec = -i * 1e-5,
              mag = (i % 7 == 0) and mast.null or 10 + (i % 100) / 10, name = "TIC " .. i, ok = i % 2 == 0 }
end
local x = { fields = { { name = "id", type = "long" }, { name = "ra", type = "float" },
  { name = "dec", type = "float" }, { name = "mag", type = "float" }, { name = "name", type = "string" },
  { name = "ok", type = "boolean" } }, data = rows }

local function timed(f)
  collectgarbage()
  local t0 = core.now()
  local r = f()
  return core.now() - t0, r
end

local csv_path, vot_path = dir .. "/mast-bench-formats.csv", dir .. "/mast-bench-formats.vot"
local w_csv = timed(function() return mast.write(x, csv_path) end)
local r_csv = timed(function()
  local back = mast.read(csv_path)
  assert(back.data[n].id == rows[n].id and #back.data == n)
end)
local w_vot = timed(function() return mast.write(x, vot_path) end)
local r_vot, vb = timed(function() return mast.read(vot_path) end)
assert(vb.data[n].id == rows[n].id)
print(("rows=%d csv_write=%.2f csv_read=%.2f votable_write=%.2f votable_read=%.2f"):format(n, w_csv, r_csv,
  w_vot, r_vot))
os.remove(csv_path)
os.remove(vot_path)
