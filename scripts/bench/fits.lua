-- Benchmark 8: one generated FITS binary table (scripts/bench/fits.py gen, about
-- 100 MB) read whole into a mast.Table by mast.fits.read (every column, every row,
-- nulls as mast.null), runs after one warm-up.
-- usage: mast fits.lua FILE [RUNS]
-- Prints reader=mast seconds=a,b,... rows=N columns=N heap_bytes=N.
local mast = require "mast"
local core = require "mast.core"

local path, runs = arg[1], math.tointeger(tonumber(arg[2] or "5"))
local function once()
  collectgarbage()
  collectgarbage()
  local before = collectgarbage("count")
  local t = core.now()
  local tab = mast.fits.read(path)
  local dt = core.now() - t
  return dt, tab, (collectgarbage("count") - before) * 1024
end
once()
local times, tab, heap = {}, nil, 0
for i = 1, runs do
  local dt
  dt, tab, heap = once()
  times[i] = ("%.6f"):format(dt)
  if i < runs then tab = nil end
end
print(("reader=mast seconds=%s rows=%d columns=%d heap_bytes=%d"):format(table.concat(times, ","), #tab,
  #tab.columns, math.floor(heap)))
