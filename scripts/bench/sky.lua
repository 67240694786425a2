-- Benchmark 8: mast.sky.match of N random positions against N (default
-- 1,000,000 x 1,000,000, radius 1 arcsec), nearest and all, on row datasets.
-- usage: mast sky.lua [N] [RUNS]
-- The positions are those of sky.py (the same counter-based generator, so
-- both sides match the same pairs): uniform on the sphere, and every 100th
-- row of b 0.5" from the same row of a. Prints, for each mode,
-- mode=<nearest|all> seconds=a,b,... matches=M (one warm-up run first).
local mast = require "mast"
local core = require "mast.core"
local dataset = require "mast.dataset"

local N = math.tointeger(tonumber(arg[1] or "1000000"))
local RUNS = math.tointeger(tonumber(arg[2] or "3"))

-- splitmix64 of k, as a float in [0, 1)
local function u(k)
  local z = k * -7046029254386353131 + -7046029254386353131   -- (k + 1) * 0x9e3779b97f4a7c15
  z = (z ~ (z >> 30)) * -4658895280553007687                   -- 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * -7723592293110705685                   -- 0x94d049bb133111eb
  z = z ~ (z >> 31)
  return (z >> 11) * 2.0 ^ -53
end

local FIELDS = { { name = "id", type = "int" }, { name = "ra", type = "float" }, { name = "dec", type = "float" } }
local function side(which)
  local rows = {}
  for i = 1, N do
    local k = 4 * (i - 1) + 2 * which
    rows[i] = { id = i, ra = u(k) * 360, dec = math.deg(math.asin(2 * u(k + 1) - 1)) }
  end
  return rows
end
local ra, rb = side(0), side(1)
for i = 100, N, 100 do
  local d = ra[i].dec
  rb[i].ra, rb[i].dec = ra[i].ra, d > 89 and d - 0.5 / 3600 or d + 0.5 / 3600
end
local A, B = dataset.result(ra, FIELDS), dataset.result(rb, FIELDS)

for _, mode in ipairs({ "nearest", "all" }) do
  local times, n = {}, nil
  for run = 0, RUNS do
    collectgarbage()
    local t = core.now()
    local res = mast.sky.match(A, B, { radius = 1, mode = mode })
    local dt = core.now() - t
    n = #res.data
    if run > 0 then times[#times + 1] = ("%.6f"):format(dt) end
  end
  print(("mode=%s seconds=%s matches=%d"):format(mode, table.concat(times, ","), n))
end
