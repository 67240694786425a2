--- mast.coords: positions and angles as people write them (pure Lua, no I/O).
--   coords.position(fn, opts) -> ra, dec (degrees) from ra/dec numbers, a
--     coordinates string (decimal or sexagesimal) or a {ra, dec} table
--   coords.angle(fn, v, unit, what) -> v in unit ("deg", "arcmin", "arcsec")
--   coords.radius(fn, r, unit_default) -> degrees
--   coords.separation(ra1, dec1, ra2, dec2) -> degrees
local O = require "mast.options"

local M = { _NAME = "mast.coords" }

local FORMS = "'210.80243 54.34875', '14h03m12.6s +54d20m56s', '14:03:12.6 +54:20:56' or {210.80243, 54.34875}"

-- Arcseconds per unit; every spelling people use.
local SCALE = { deg = 3600, degree = 3600, degrees = 3600, d = 3600, ["°"] = 3600,
                arcmin = 60, arcminute = 60, arcminutes = 60, amin = 60, ["'"] = 60, m = 60,
                arcsec = 1, arcsecond = 1, arcseconds = 1, asec = 1, ["\""] = 1, s = 1 }

local function finite(v) return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge end

--- The angle v (a number in `unit`, or a string "3 arcmin") in `unit`.
-- A number in the wanted unit comes back untouched, so numbers sent stay
-- exactly what they were. Raises a usage error naming `what` when bad.
function M.angle(fn, v, unit, what)
  unit = unit or "deg"
  what = what or "angle"
  if finite(v) and v > 0 then return v end
  if type(v) == "string" then
    local n, u = v:match("^%s*([%d.]*[%d][%d.]*[eE]?[+-]?%d*)%s*(%S*)%s*$")
    n = tonumber(n)
    u = u and u:lower()
    local s = SCALE[u == "" and unit or u]
    if n and n > 0 and s then
      if s == SCALE[unit] then return n end
      -- one multiplication and one division: "3 arcmin" is 0.05 degrees exactly as written
      return n * s / SCALE[unit]
    end
  end
  O.usage(fn, ("%s must be a positive number of %s or a string such as '3 arcmin', '10 arcsec', "
    .. "'0.2 deg'; got %s"):format(what, unit == "deg" and "degrees" or unit, O.describe(v)))
end

--- A radius in degrees: a number (degrees) or a string with a unit.
function M.radius(fn, r, unit_default)
  local u = unit_default or "deg"
  -- a bare string ("0.2") is refused: a number, or a string that says its unit
  if type(r) == "string" and not r:match("%d%s*[^%d%s.eE+-]") then r = nil end
  if type(r) == "number" and u ~= "deg" then r = ("%.17g %s"):format(r, u) end
  return M.angle(fn, r, "deg", "radius")
end

local function bad(fn, v, why)
  O.usage(fn, ("coordinates %s %s; give e.g. %s"):format(O.describe(v), why, FORMS))
end

-- h/d, m, s parts of a sexagesimal field into a number; nil when malformed.
local function sexa(a, b, c)
  a, b, c = tonumber(a), tonumber(b), tonumber(c or "0")
  if not (a and b and c) or b >= 60 or c >= 60 then return nil end
  return a + b / 60 + c / 3600
end

local function split_sexa(tok, first, second, third)
  local a, b, c = tok:match("^(%d+)" .. first .. "(%d+)" .. second .. "([%d.]+)" .. third .. "$")
  if not a then a, b = tok:match("^(%d+)" .. first .. "(%d+)" .. second .. "?$") end
  if a then return sexa(a, b, c) end
  return nil
end

-- ra, dec from a coordinates string.
local function parse(fn, s)
  local t = s:gsub(",", " ")
  local toks = {}
  for w in t:gmatch("%S+") do toks[#toks + 1] = w end
  local ra, dec, sign
  if #toks == 2 and tonumber(toks[1]) and tonumber(toks[2]) then
    ra, dec = tonumber(toks[1]), tonumber(toks[2])
  elseif #toks == 2 then
    sign = toks[2]:match("^[+-]") or "+"
    local d = toks[2]:gsub("^[+-]", "")
    ra = split_sexa(toks[1]:lower(), "[h:]", "[m:]", "s?")
    dec = split_sexa(d:lower(), "[d:°]", "[m':]", "[s\"]?")
    if ra then ra = ra * 15 end
  elseif #toks == 6 then
    for i = 1, 6 do
      if not toks[i]:match(i == 4 and "^[+-]?%d+$" or "^[%d.]+$") then bad(fn, s, "is not understood") end
    end
    sign = toks[4]:match("^[+-]") or "+"
    ra = sexa(toks[1], toks[2], toks[3])
    dec = sexa(toks[4]:gsub("^[+-]", ""), toks[5], toks[6])
    if ra then ra = ra * 15 end
  end
  if not (ra and dec) then bad(fn, s, "is not understood") end
  -- the sign is read from the text so "-00:30:00" stays south
  if sign == "-" then dec = -dec end
  return ra, dec
end

local function check_range(fn, v, ra, dec)
  if not (finite(ra) and finite(dec)) then bad(fn, v, "needs two numbers") end
  if dec < -90 or dec > 90 then bad(fn, v, ("has declination %s outside -90 to 90"):format(O.number_text(dec))) end
  if ra < 0 or ra > 360 then bad(fn, v, ("has right ascension %s outside 0 to 360"):format(O.number_text(ra))) end
  return ra, dec
end

--- ra, dec in degrees from opts.ra/opts.dec or opts.coordinates (a string or
-- {ra, dec}). Returns nil when neither is given (a target is the caller's:
-- coords.resolve below).
function M.position(fn, opts)
  local c = opts.coordinates
  if c ~= nil and (opts.ra ~= nil or opts.dec ~= nil) then
    O.usage(fn, "give either coordinates or ra and dec, not both")
  end
  if c == nil then
    if opts.ra == nil or opts.dec == nil then return nil end
    return check_range(fn, "{ra, dec}", opts.ra, opts.dec)
  end
  if type(c) == "table" then return check_range(fn, c, c[1] or c.ra, c[2] or c.dec) end
  if type(c) ~= "string" then bad(fn, c, "must be a string or {ra, dec}") end
  return check_range(fn, c, parse(fn, c))
end

--- ra, dec from a position or a target name (the resolver every wrapper shares).
function M.resolve(fn, opts, run_opts)
  if opts.target ~= nil and (opts.ra ~= nil or opts.dec ~= nil or opts.coordinates ~= nil) then
    O.usage(fn, ("give either a target name or %s, not both")
      :format(opts.coordinates ~= nil and "coordinates" or "ra and dec"))
  end
  if opts.target ~= nil then
    return require("mast.resolver").resolve_for(fn, opts.target, run_opts or {})
  end
  return M.position(fn, opts)
end

--- The angular distance in degrees between two positions (Vincenty's form:
-- accurate for tiny and for antipodal separations).
function M.separation(ra1, dec1, ra2, dec2)
  local r = math.pi / 180
  local d1, d2, dra = dec1 * r, dec2 * r, (ra2 - ra1) * r
  local s1, c1, s2, c2 = math.sin(d1), math.cos(d1), math.sin(d2), math.cos(d2)
  local x = c2 * math.sin(dra)
  local y = c1 * s2 - s1 * c2 * math.cos(dra)
  return math.atan(math.sqrt(x * x + y * y), s1 * s2 + c1 * c2 * math.cos(dra)) / r
end

return M
