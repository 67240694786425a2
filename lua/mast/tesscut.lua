--- mast.tesscut: TESS full-frame-image cutouts (MAST's TESScut, astroquery's Tesscut).
--   mast.tesscut.sectors{ra =, dec =, radius = 0} or {object = "Ceres", object_type = "smallbody"}
--     -> Result of {sectorName, sector, camera, ccd} (integers: MAST sends text)
--   mast.tesscut.cutouts{ra =, dec =, size = 5 | {x, y} | "2 arcmin", sector =, dir =}
--     -> {{path, sector, camera, ccd, size}, ...}: the target-pixel files, unpacked into dir
-- TESScut asks for at most 5 requests a second: mast keeps to that itself, and
-- retries the 503 it answers beyond it.
local core = require "mast.core"
local O = require "mast.options"
local cut = require "mast.cutout"

local M = { _NAME = "mast.tesscut" }
local V = O.validators
local PER_SECOND = 5
local SERVICE = "tesscut"
local OBJ_TYPES = { smallbody = true, majorbody = true }

local function target(fn, opts)
  local p = {}
  if opts.object then
    if opts.ra or opts.dec then O.usage(fn, "give ra and dec, or object, not both") end
    local t = opts.object_type or "smallbody"
    if not OBJ_TYPES[t] then O.usage(fn, "object_type must be 'smallbody' or 'majorbody'") end
    p.obj_id, p.obj_type = opts.object, t
    return p, "moving_target/"
  end
  if not (opts.ra and opts.dec) then O.usage(fn, "needs ra and dec (degrees), or object (a moving target)") end
  p.ra, p.dec = opts.ra, opts.dec
  return p, ""
end

local function int_of(v) return math.tointeger(tonumber(v)) or v end

local COMMON = { ra = V.ra, dec = V.dec, object = V.string, object_type = V.string, deadline = V.deadline }

-- the options each function takes (mast.options.declare: the check, help and completion share them)
local function with_common(t)
  for k, v in pairs(COMMON) do t[k] = v end
  return t
end
local SECTORS_OPTS = O.declare("mast.tesscut.sectors", with_common {
  radius = function(v) if type(v) ~= "number" or v < 0 then return "a radius >= 0 in degrees" end end })
local CUTOUTS_OPTS = O.declare("mast.tesscut.cutouts", with_common {
  size = cut.size, sector = V.posint, dir = V.string, product = V.string })

--- mast.tesscut.sectors{...} -> Result of sectors covering a position (or a moving target)
function M.sectors(opts)
  local fn = "mast.tesscut.sectors"
  opts = O.options(fn, opts, SECTORS_OPTS)
  local p, prefix = target(fn, opts)
  if prefix == "" then p.radius = (opts.radius or 0) .. "d" end
  local r = cut.get(fn, SERVICE, cut.url(SERVICE, prefix .. "sector", p),
    { decode = "json", per_second = PER_SECOND, deadline = opts.deadline })
  local list = type(r.value) == "table" and r.value.results
  if type(list) ~= "table" then
    local msg = type(r.value) == "table" and type(r.value.msg) == "string" and (": " .. r.value.msg) or ""
    error(core.error("mast", "TESScut gave no sector list" .. msg, { fn = fn }), 0)
  end
  local rows = {}
  for i, s in ipairs(list) do
    rows[i] = { sectorName = s.sectorName, sector = int_of(s.sector), camera = int_of(s.camera), ccd = int_of(s.ccd) }
  end
  local fields = { { name = "sectorName", type = "string" }, { name = "sector", type = "int" },
                   { name = "camera", type = "int" }, { name = "ccd", type = "int" } }
  return require("mast.dataset").result(rows, fields, "TESScut sectors")
end

--- mast.tesscut.cutouts{ra, dec | object, size, sector, dir} -> the files written
function M.cutouts(opts)
  local fn = "mast.tesscut.cutouts"
  opts = O.options(fn, opts, CUTOUTS_OPTS)
  if not opts.dir then O.usage(fn, "dir (where the cutouts go) is required") end
  if opts.product and opts.product ~= "SPOC" then O.usage(fn, "product must be 'SPOC' (TICA was retired in 2025)") end
  local p, prefix = target(fn, opts)
  cut.size_params(fn, opts.size, p)
  p.sector, p.product = opts.sector, "SPOC"
  local name = ("tesscut_%s.zip"):format(prefix == "" and (O.number_text(opts.ra) .. "_" .. O.number_text(opts.dec))
    or opts.object:gsub("[^%w]", "_"))
  local files = cut.zip(fn, SERVICE, cut.url(SERVICE, prefix .. "astrocut", p), opts.dir,
    { per_second = PER_SECOND, deadline = opts.deadline, name = name })
  local out = {}
  for _, f in ipairs(files) do
    local s, c, d = f.path:match("tess%-s(%d+)%-(%d)%-(%d)")
    out[#out + 1] = { path = f.path, size = f.size, sector = math.tointeger(tonumber(s)),
                      camera = math.tointeger(tonumber(c)), ccd = math.tointeger(tonumber(d)) }
  end
  return out
end

return M
