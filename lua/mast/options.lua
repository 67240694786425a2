--- mast.options: checking arguments, written once for every module.
-- A bad argument is a "usage" error that names it and says what was
-- expected; an unknown or misspelt option names the nearest known one.
local core = require "mast.core"

local M = { _NAME = "mast.options" }
local usage, describe

--- Raises a usage error: message msg, context fn (tostring shows "<fn>: <msg>");
-- fields: more context (e.g. {item = 3, item_kind = "request"}).
function M.usage(fn, msg, fields)
  local e = core.error("usage", msg, fields)
  e.fn = fn
  error(e)
end
usage = M.usage

--- err with fn as its context when no layer below named one (a mast error
-- raised by mast.core names no function); other values as they are.
function M.within(fn, err)
  if core.is_error(err) and err.fn == nil then err.fn = fn end
  return err
end

--- cancelled(err, text) -> err: a cancel's error says what the cancel stopped or left
-- (text, "cancelled while ..." / "cancelled: 3 of 10 files complete, ..."), also kept as
-- err.left; the innermost layer that knows says it, outer ones keep it. Other errors
-- come back unchanged.
function M.cancelled(err, text)
  if core.is_error(err, "cancelled") and err.left == nil then
    err.left = text
    err.message = text
  end
  return err
end

--- A list of names from a list, or from a comma- or space-separated string.
function M.list_of(v)
  if type(v) == "string" then
    local out = {}
    for c in v:gmatch("[^,%s]+") do out[#out + 1] = c end
    return out
  end
  return v
end

--- A short readable form of a value for messages.
function M.describe(v)
  if type(v) == "string" then return ("'%s'"):format(#v > 40 and (v:sub(1, 37) .. "...") or v) end
  if type(v) == "number" or type(v) == "boolean" then return tostring(v) end
  if v == core.null then return "null" end
  return type(v)
end
describe = M.describe

--- The text of a number: an integer exactly, a float in the shortest of 15
-- to 17 significant digits that reads back the same.
function M.number_text(x)
  if math.type(x) == "integer" then return ("%d"):format(x) end
  if x ~= x then return "nan" end
  if x == math.huge or x == -math.huge then return x > 0 and "inf" or "-inf" end
  local s
  for digits = 15, 17 do
    s = ("%." .. digits .. "g"):format(x)
    if tonumber(s) == x then break end
  end
  return s
end

-- Edit distance (case-insensitive) between two option names.
local function distance(a, b)
  a, b = a:lower(), b:lower()
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    local ca = a:byte(i)
    for j = 1, #b do
      local cost = ca == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

--- The known name closest to `word`, if it is close enough to be a misspelling.
function M.suggest(word, names)
  if type(word) ~= "string" then return nil end
  local best, bestd
  for _, name in ipairs(names) do
    local d = distance(word, name)
    if not bestd or d < bestd or (d == bestd and name < best) then best, bestd = name, d end
  end
  local limit = math.max(1, math.min(3, #word // 3))
  if bestd and bestd <= limit then return best end
  return nil
end

-- ---------------------------------------------------------------- validators
-- A validator returns nil when the value is fine, else what was expected.

local V = {}
M.validators = V

local function finite(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

function V.number(v) if not finite(v) then return "a number" end end
function V.positive(v) if not finite(v) or v <= 0 then return "a positive number" end end
function V.posint(v) if math.type(v) ~= "integer" or v < 1 then return "a positive whole number" end end
-- concurrency: the bounds of the setting, from the C table (one rule everywhere)
local CONCURRENCY
for _, s in ipairs(core.settings()) do if s.name == "concurrency" then CONCURRENCY = s end end
function V.concurrency(v)
  if math.type(v) ~= "integer" or v < CONCURRENCY.min or v > CONCURRENCY.max then
    return ("a whole number from %d to %d"):format(CONCURRENCY.min, CONCURRENCY.max)
  end
end
function V.boolean(v) if type(v) ~= "boolean" then return "true or false" end end
function V.string(v) if type(v) ~= "string" or v == "" then return "a non-empty string" end end
function V.table(v) if type(v) ~= "table" then return "a table" end end
function V.ra(v)
  if not finite(v) or v < 0 or v > 360 then return "a right ascension in degrees (0 to 360)" end
end
function V.dec(v)
  if not finite(v) or v < -90 or v > 90 then return "a declination in degrees (-90 to 90)" end
end
-- a radius: degrees, or a string with a unit ("3 arcmin"); callers convert it with mast.coords.radius
function V.radius(v)
  if finite(v) and v > 0 then return nil end
  if type(v) == "string" and pcall(require("mast.coords").radius, "", v) then return nil end
  if type(v) == "string" then return "a positive radius with a unit such as '3 arcmin', '10 arcsec', '0.2 deg'" end
  return "a positive radius in degrees"
end
function V.deadline(v) if not finite(v) or v <= 0 then return "a positive number of seconds" end end
function V.cache(v) if v ~= false and v ~= "refresh" then return 'false or "refresh"' end end
function V.progress(v)
  if type(v) ~= "boolean" then return "true or false (whether to show a waiting line)" end
end
function V.cachebreaker(v)
  if v ~= true and (type(v) ~= "string" or v == "") then
    return "a string, or true for the current time"
  end
end
function V.format(v)
  if v ~= "json" and v ~= "csv" and v ~= "votable" then return "'json', 'csv' or 'votable'" end
end
function V.columns(v)
  if type(v) == "string" and v ~= "" then return nil end
  if type(v) == "table" and #v > 0 then
    for _, c in ipairs(v) do
      if type(c) ~= "string" or c == "" then return "a list of column names" end
    end
    return nil
  end
  return "'*', a comma-separated string of column names, or a list of them"
end
function V.size(v)
  if math.type(v) ~= "integer" or v < 0 then return "a whole number of bytes" end
end
-- a campaign's shard: true (from SLURM_ARRAY_TASK_ID or MAST_SHARD) or {index =, count =}
function V.shard(v)
  if v ~= true and type(v) ~= "table" then
    return "true (from SLURM_ARRAY_TASK_ID or MAST_SHARD) or {index =, count =}"
  end
end
function V.callback(v)
  if type(v) ~= "boolean" and type(v) ~= "function" then return "true, false or a function" end
end
function V.integer_or_digits(v)
  if math.type(v) == "integer" or (type(v) == "string" and v:match("^%d+$")) then return nil end
  return "an integer (or a string of digits)"
end

--- The options that say how a call runs, and the plumbing rarely needed: help
-- shows them in their own groups and an unknown-option error lists them apart,
-- after the options that say what is asked for.
M.RUN = { all = true, deadline = true, progress = true, max_rows = true, cache = true }
M.PLUMBING = { cachebreaker = true, clearcache = true, removecache = true, timeout = true,
               max_bytes = true, concurrency = true, params = true }

--- The text that lists the known names: the science options first, then
-- "how it runs: ..." and "plumbing: ..." (each part sorted).
function M.known_text(names)
  local science, run, plumbing = {}, {}, {}
  for _, n in ipairs(names) do
    local list = M.PLUMBING[n] and plumbing or M.RUN[n] and run or science
    list[#list + 1] = n
  end
  local parts = { "known: " .. (#science > 0 and table.concat(science, ", ") or "none of its own") }
  if #run > 0 then parts[#parts + 1] = "how it runs: " .. table.concat(run, ", ") end
  if #plumbing > 0 then parts[#parts + 1] = "plumbing: " .. table.concat(plumbing, ", ") end
  return table.concat(parts, "; ")
end

--- Checks every option against `known` (name -> validator): an unknown name is
-- an error that names the nearest known one, a wrong value says what was expected.
function M.check(fn, args, known)
  local names = {}
  for k in pairs(known) do names[#names + 1] = k end
  table.sort(names)
  local keys = {}
  for k in pairs(args) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do
    if type(k) ~= "string" or not known[k] then
      local hint = M.suggest(k, names)
      usage(fn, ("unknown option '%s' (%s)"):format(tostring(k),
        hint and ("did you mean '" .. hint .. "'?") or M.known_text(names)))
    end
  end
  for _, k in ipairs(keys) do
    local expected = known[k](args[k])
    if expected then
      usage(fn, ("option '%s' must be %s, got %s"):format(k, expected, describe(args[k])))
    end
  end
  return args
end

--- public name -> the options table (name -> validator) that function checks
-- its opts with: mast.help lists them from here, so they are written once.
M.declared = {}

--- Records that the function `name` takes the options `known`; returns known.
function M.declare(name, known)
  M.declared[name] = known
  return known
end

--- Checks an options table (nil is an empty one) against `known` and returns it.
function M.options(fn, opts, known)
  if opts == nil then return {} end
  if type(opts) ~= "table" then M.usage(fn, "options must be a table, got " .. M.describe(opts)) end
  return M.check(fn, opts, known)
end

return M
