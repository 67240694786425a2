-- Benchmark 5 (mast side), and the memory-flatness check of downloads: one
-- large file with mast.download; prints the time, the rate and the peak RSS
-- of this process (mast streams to disk: the peak should stay near 15 MB
-- whatever the size).
-- usage: mast download_1g.lua DEST [BYTES]   (default 1 GiB; MAST_BASE_URL: the sandbox)
local mast = require "mast"
local now = require("mast.core").now
local dest = assert(arg[1], "usage: download_1g.lua DEST [BYTES]")
local size = math.tointeger(tonumber(arg[2] or "1073741824"))
local t = now()
local r = mast.download(("mast:SANDBOX/size/%d/big.fits"):format(size), dest,
                        { size = size, overwrite = true, resume = false, progress = false })
local s = now() - t
local peak = "?"
local f = io.open("/proc/self/status")
if f then
  peak = f:read("a"):match("VmHWM:%s*(%d+) kB") or "?"
  f:close()
end
print(("seconds=%.6f bytes=%d MBps=%.0f peak_rss_kb=%s"):format(s, r.bytes, r.bytes / s / 1e6, peak))
