--- mast.time: ISO 8601 dates and Modified Julian Dates (UTC).
-- No leap-second table: every day has 86400 s, as MAST's MJD columns assume.
local O = require "mast.options"

local M = { _NAME = "mast.time" }

local MJD_UNIX = 40587 -- MJD of 1970-01-01

-- Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's civil algorithm).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp + (mp < 10 and 3 or -9)
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

local FORM = "'2010-01-01', '2010-01-01T12:00:00' or '2010-01-01 12:00:00.5Z'"

--- MJD of an ISO 8601 UTC date or date-time.
function M.mjd(iso)
  local fn = "mast.time.mjd"
  local y, mo, d, rest
  if type(iso) == "string" then y, mo, d, rest = iso:match("^%s*(%d%d%d%d)-(%d%d)-(%d%d)(.-)%s*$") end
  local h, mi, s = 0, 0, 0
  if rest and rest ~= "" and rest ~= "Z" then
    local hh, mm, ss = rest:match("^[T ](%d%d):(%d%d):?(%d?%d?%.?%d*)Z?$")
    if not hh or (ss ~= "" and not tonumber(ss)) then rest = nil
    else h, mi, s = tonumber(hh), tonumber(mm), tonumber(ss) or 0 end
  end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  if not (y and rest) or mo < 1 or mo > 12 or d < 1 or h > 23 or mi > 59 or s >= 60
      or select(3, civil_from_days(days_from_civil(y, mo, d))) ~= d then
    O.usage(fn, ("expected an ISO 8601 UTC date such as %s, got %s"):format(FORM, O.describe(iso)))
  end
  local day = days_from_civil(y, mo, d) + MJD_UNIX
  return day + (h * 3600 + mi * 60 + s) / 86400
end

--- "YYYY-MM-DDTHH:MM:SS.sss" of an MJD (UTC, to the millisecond).
function M.iso(mjd)
  if type(mjd) ~= "number" or mjd ~= mjd or mjd == math.huge or mjd == -math.huge then
    O.usage("mast.time.iso", ("expected an MJD number such as 51544.5, got %s"):format(O.describe(mjd)))
  end
  local day = math.floor(mjd)
  local ms = math.floor((mjd - day) * 86400000 + 0.5)
  if ms >= 86400000 then day, ms = day + 1, ms - 86400000 end
  local y, m, d = civil_from_days(math.tointeger(day) - MJD_UNIX)
  local secs = ms // 1000
  return ("%04d-%02d-%02dT%02d:%02d:%02d.%03d"):format(y, m, d, secs // 3600, secs // 60 % 60, secs % 60, ms % 1000)
end

return M
