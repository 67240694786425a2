-- Benchmark 7: one generated 100,000-row catalogue table (scripts/bench/votable.py
-- gen) decoded by mast as TABLEDATA and as BINARY2 (core.votable_decode) and as
-- JSON (core.json_decode), runs interleaved after one warm-up each.
-- usage: lua5.4 votable.lua DIR [RUNS]   (LUA_CPATH must find mast.core)
-- Prints decoder=<name> seconds=a,b,... bytes=N rows=N for each.
local core = require "mast.core"

local dir, runs = arg[1], math.tointeger(tonumber(arg[2] or "5"))
local function read(name)
  local f = assert(io.open(dir .. "/" .. name, "rb"))
  local s = f:read("a")
  f:close()
  return s
end
local decoders = {
  { name = "tabledata", text = read("t.vot"), decode = core.votable_decode },
  { name = "binary2", text = read("t_b2.vot"), decode = core.votable_decode },
  { name = "json", text = read("t.json"), decode = core.json_decode },
}
local function once(d)
  collectgarbage()
  local t = core.now()
  local v = d.decode(d.text)
  return core.now() - t, v
end
local times = {}
for _, d in ipairs(decoders) do
  times[d.name] = {}
  once(d)
end
for _ = 1, runs do
  for _, d in ipairs(decoders) do
    local list = times[d.name]
    list[#list + 1] = ("%.6f"):format((once(d)))
  end
end
for _, d in ipairs(decoders) do
  local _, v = once(d)
  print(("decoder=%s seconds=%s bytes=%d rows=%d"):format(d.name, table.concat(times[d.name], ","),
                                                          #d.text, #v.data))
end
