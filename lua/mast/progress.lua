--- mast.progress: what mast shows on a terminal while it works.
-- Everything goes to stderr, and only when stderr is a terminal (or the
-- progress setting is "on"); with progress "off" nothing is shown.
local core = require "mast.core"
local config = require "mast.config"

local M = {}

-- A host that embeds mast may take progress through its own hook; then
-- nothing is printed here.
local function enabled()
  if core.has_progress_hook() then return false end
  -- only the program that owns the terminal lets mast draw on it; a host
  -- that embeds mast (mast_runtime) never does
  if not core.terminal() then return false end
  local mode = config.get("progress")
  if mode == "off" then return false end
  if mode == "on" then return true end
  return core.isatty(2)
end

local function put(line)
  io.stderr:write("\r", line, "\27[K")
  io.stderr:flush()
end

local function clear()
  io.stderr:write("\r\27[K")
  io.stderr:flush()
end

--- note(line): one line of news at the end of a long job (e.g. how many downloads failed),
-- shown where the progress lines are (stderr on a terminal), nowhere otherwise.
function M.note(line)
  if enabled() then
    io.stderr:write(line, "\n")
    io.stderr:flush()
  end
end

-- MAST's "percent complete" as 0..100, or nil: MAST sends a fraction
-- (1 = done); some services send 0-100.
local function percent_of(v)
  if type(v) ~= "number" or v ~= v or v < 0 then return nil end
  return v <= 1 and v * 100 or v
end

--- A waiting indicator for a query that MAST is still EXECUTING, or nil.
function M.waiting(service)
  local t0 = core.now()
  if core.has_progress_hook() then
    return {
      update = function(_, percent, polls)
        core.waiting(service, percent_of(percent) or -1, polls, core.now() - t0)
      end,
      done = function() end,
    }
  end
  if not enabled() then return nil end
  local shown = false
  local w = {}
  function w.update(_, percent, polls)
    local pct = ""
    local p = percent_of(percent)
    if p then pct = (", %d%% complete"):format(math.floor(p + 0.5)) end
    put(("%s: MAST is working on it (EXECUTING%s, %d polls, %.0f s)"):format(
      service, pct, polls, core.now() - t0))
    shown = true
  end
  function w.done()
    if shown then clear() end
  end
  return w
end

local function human(n)
  local units = { "B", "KB", "MB", "GB", "TB" }
  local u = 1
  while n >= 1000 and u < #units do n = n / 1000; u = u + 1 end
  return (u == 1 and "%d %s" or "%.1f %s"):format(n, units[u])
end
M.human = human

local function clock(s)
  if s ~= s or s == math.huge or s < 0 then return "--:--" end
  s = math.floor(s + 0.5)
  if s >= 3600 then return ("%d:%02d:%02d"):format(s // 3600, s % 3600 // 60, s % 60) end
  return ("%d:%02d"):format(s // 60, s % 60)
end
M.clock = clock

--- A transfer progress callback for core.perform, or nil when nothing is to be shown.
-- label names what is transferred; the line shows files, bytes, rate and ETA.
function M.transfer(label)
  if not enabled() then return nil end
  local shown = false
  local function cb(p)
    local parts = { label }
    if p.total > 1 then parts[#parts + 1] = ("%d/%d files"):format(p.done, p.total) end
    if p.bytes_total then
      parts[#parts + 1] = ("%s of %s"):format(human(p.bytes), human(p.bytes_total))
    else
      parts[#parts + 1] = human(p.bytes)
    end
    parts[#parts + 1] = human(p.rate) .. "/s"
    if p.bytes_total and p.rate > 0 then
      parts[#parts + 1] = "ETA " .. clock((p.bytes_total - p.bytes) / p.rate)
    end
    if p.failed > 0 then parts[#parts + 1] = ("%d failed"):format(p.failed) end
    put(table.concat(parts, "  "))
    shown = true
  end
  local function done()
    if shown then clear() end
  end
  return cb, done
end

return M
