--- mast.sky: positions on the sky, locally (no request is sent).
--   sky.separation(ra1, dec1, ra2, dec2) -> degrees; or sky.separation(p1, p2)
--     with p1, p2 rows or {ra =, dec =} tables (or {ra, dec})
--   sky.match(a, b, {radius = arcsec, ...}) -> a dataset of a's and b's
--     columns and sep_arcsec: the local cross-match of two datasets
-- The pairs come from the C kernel core.sky_match (src/bind/sky.c); this
-- module checks the options, finds the position columns and builds the rows.
local core = require "mast.core"
local O = require "mast.options"
local coords = require "mast.coords"
local dataset = require "mast.dataset"

local M = { _NAME = "mast.sky" }

local NULL = core.null
local MAX_ARCSEC = 180 * 3600

-- The position columns people's tables use, tried in this order (case-insensitive).
local PAIRS = {
  { "ra", "dec" }, { "s_ra", "s_dec" }, { "ra_icrs", "de_icrs" }, { "ra_icrs", "dec_icrs" },
  { "raj2000", "dej2000" }, { "_raj2000", "_dej2000" }, { "ra_j2000", "dec_j2000" },
  { "ramean", "decmean" }, { "matchra", "matchdec" }, { "radeg", "dedeg" }, { "ra_deg", "dec_deg" },
  { "targ_ra", "targ_dec" }, { "ra_obj", "dec_obj" },
}

-- name in `names` equal to want but for case, or nil
local function named(names, want)
  for _, n in ipairs(names) do if n == want then return n end end
  for _, n in ipairs(names) do if type(n) == "string" and n:lower() == want then return n end end
  return nil
end

-- the first pair of PAIRS present in names
local function detect(names)
  for _, p in ipairs(PAIRS) do
    local ra, dec = named(names, p[1]), named(names, p[2])
    if ra and dec then return ra, dec end
  end
  return nil
end

local function finite(v) return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge end

-- ra, dec of a position argument (a row, {ra =, dec =} or {ra, dec})
local function point(fn, p, what)
  if type(p) ~= "table" then
    O.usage(fn, ("%s must be a position such as {ra = 210.8, dec = 54.3} (or a row), got %s")
      :format(what, O.describe(p)))
  end
  local ra, dec
  if p[1] ~= nil and p.ra == nil and p.dec == nil then
    ra, dec = p[1], p[2]
  else
    local keys = {}
    for k in pairs(p) do if type(k) == "string" then keys[#keys + 1] = k end end
    table.sort(keys)
    local kra, kdec = detect(keys)
    if not kra then
      O.usage(fn, ("%s has no position columns (ra/dec, s_ra/s_dec, RA_ICRS/DE_ICRS, ...); its keys: %s")
        :format(what, #keys > 0 and table.concat(keys, ", ") or "none"))
    end
    ra, dec = p[kra], p[kdec]
  end
  return ra, dec
end

local function check_position(fn, ra, dec, what)
  if not finite(ra) then
    O.usage(fn, ("the right ascension of %s must be a number of degrees, got %s"):format(what, O.describe(ra)))
  end
  if not finite(dec) or dec < -90 or dec > 90 then
    O.usage(fn, ("the declination of %s must be a number of degrees from -90 to 90, got %s")
      :format(what, O.describe(dec)))
  end
end

--- separation(ra1, dec1, ra2, dec2) or separation(p1, p2) -> the angle between them, degrees.
function M.separation(ra1, dec1, ra2, dec2)
  local fn = "mast.sky.separation"
  if type(ra1) == "table" or type(dec1) == "table" then
    if ra2 ~= nil or dec2 ~= nil then
      O.usage(fn, "give four numbers (ra1, dec1, ra2, dec2) or two positions (p1, p2), not both")
    end
    local p1, p2 = ra1, dec1
    ra1, dec1 = point(fn, p1, "the first position")
    ra2, dec2 = point(fn, p2, "the second position")
  end
  check_position(fn, ra1, dec1, "the first position")
  check_position(fn, ra2, dec2, "the second position")
  return coords.separation(ra1, dec1, ra2, dec2)
end

-- ---------------------------------------------------------------- match

local function one_of(list)
  return function(v)
    for _, x in ipairs(list) do if v == x then return nil end end
    return "'" .. table.concat(list, "' or '") .. "'"
  end
end

local function column_names(v)
  if type(v) == "string" and v ~= "" then return nil end
  if type(v) == "table" and #v == 2 and type(v[1]) == "string" and type(v[2]) == "string" then return nil end
  return "a column name, or a list of two (the column of a, the column of b)"
end

local KNOWN = {
  radius = function(v)
    if v == nil then return nil end
    if finite(v) then
      if v > 0 and v <= MAX_ARCSEC then return nil end
      return "a positive number of arcseconds (at most 648000, half the sky)"
    end
    if type(v) == "string" and pcall(coords.angle, "", v, "arcsec") then return nil end
    return "a positive number of arcseconds, or a string with a unit such as '2 arcsec', '0.5 arcmin'"
  end,
  mode = one_of({ "nearest", "all" }),
  how = one_of({ "inner", "left" }),
  ra = column_names,
  dec = column_names,
  suffix = function(v)
    if type(v) == "table" and #v == 2 and type(v[1]) == "string" and type(v[2]) == "string"
       and v[1] ~= v[2] then
      return nil
    end
    return "a list of two different strings, e.g. {'_1', '_2'}"
  end,
}

-- One side of a match: its fields, the kernel's view of it and its row i.
local function side(fn, x, which, opts)
  local fields, desc, row, n
  local names = {}
  if dataset.is_table(x) then
    local data = rawget(x, "data")
    fields = {}
    for i, name in ipairs(rawget(x, "columns")) do fields[i] = { name = name, type = rawget(x, "types")[i] } end
    n = rawget(x, "n")
    desc = { n = n }
    row = function(i) return x:row(i) end
    for i, f in ipairs(fields) do names[i] = f.name end
    desc.data = data
  else
    local ds, what = dataset.of(x)
    if not ds then
      O.usage(fn, ("%s must be a dataset (a result, a mast.Table or {fields =, data =}), got %s"):format(which, what))
    end
    fields = {}
    for i, f in ipairs(ds.fields) do
      if type(f) ~= "table" or type(f.name) ~= "string" then
        O.usage(fn, ("field %d of %s has no name"):format(i, which))
      end
      fields[i] = f
      names[i] = f.name
    end
    local rows = ds.data
    n = #rows
    desc = { rows = rows, n = n }
    row = function(i) return rows[i] end
  end
  local k = which == "a" and 1 or 2
  local ra = type(opts.ra) == "table" and opts.ra[k] or opts.ra
  local dec = type(opts.dec) == "table" and opts.dec[k] or opts.dec
  if ra == nil or dec == nil then
    local dra, ddec = detect(names)
    if not dra then
      O.usage(fn, ("%s has no position columns (ra/dec, s_ra/s_dec, RA_ICRS/DE_ICRS, raMean/decMean, ...; "
        .. "name them with the options ra = and dec =); its columns: %s")
        :format(which, #names > 0 and table.concat(names, ", ") or "none"))
    end
    ra, dec = ra or dra, dec or ddec
  end
  for _, c in ipairs({ ra, dec }) do
    local found = false
    for _, name in ipairs(names) do found = found or name == c end
    if not found then
      local hint = O.suggest(c, names)
      O.usage(fn, ("%s has no column '%s' (%s)"):format(which, c,
        hint and ("did you mean '" .. hint .. "'?") or ("its columns: " .. table.concat(names, ", "))))
    end
  end
  if desc.data then
    desc.ra, desc.dec, desc.data = desc.data[ra], desc.data[dec], nil
  else
    desc.ra, desc.dec = ra, dec
  end
  return { fields = fields, names = names, desc = desc, row = row, n = n }
end

-- The output columns: a's, then b's, a name both have (or sep_arcsec) suffixed on each side.
local function output_fields(fn, a, b, suffix)
  local count = { sep_arcsec = 1 }
  for _, s in ipairs({ a, b }) do
    for _, name in ipairs(s.names) do count[name] = (count[name] or 0) + 1 end
  end
  local fields, seen = {}, {}
  local function add(f, out, from, to)
    local name = f.name
    if count[name] > 1 then name = name .. to end
    if seen[name] then
      O.usage(fn, ("the result would have two columns '%s'; choose other suffixes (option suffix)"):format(name))
    end
    seen[name] = true
    local copy = {}
    for k, v in pairs(f) do copy[k] = v end
    copy.name = name
    fields[#fields + 1] = copy
    out[#out + 1] = { from, name }
  end
  local amap, bmap = {}, {}
  for _, f in ipairs(a.fields) do add(f, amap, f.name, suffix[1]) end
  for _, f in ipairs(b.fields) do add(f, bmap, f.name, suffix[2]) end
  if seen.sep_arcsec then
    O.usage(fn, "the result would have two columns 'sep_arcsec'; choose other suffixes (option suffix)")
  end
  fields[#fields + 1] = { name = "sep_arcsec", type = "float" }
  return fields, amap, bmap
end

local function copy_into(out, map, r)
  for _, m in ipairs(map) do
    local v = r and r[m[1]]
    if v == nil then v = NULL end
    out[m[2]] = v
  end
end

--- match(a, b, opts) -> a dataset: for rows of a, the rows of b within opts.radius (arcsec).
function M.match(a, b, opts)
  local fn = "mast.sky.match"
  opts = O.options(fn, opts, KNOWN)
  if opts.radius == nil then
    O.usage(fn, "option 'radius' is required: the match radius in arcseconds, e.g. {radius = 1}")
  end
  local radius = coords.angle(fn, opts.radius, "arcsec", "radius")
  if radius > MAX_ARCSEC then
    O.usage(fn, ("option 'radius' must be at most 648000 arcseconds (half the sky), got %s")
      :format(O.describe(opts.radius)))
  end
  local mode, how = opts.mode or "nearest", opts.how or "inner"
  local sa, sb = side(fn, a, "a", opts), side(fn, b, "b", opts)
  local fields, amap, bmap = output_fields(fn, sa, sb, opts.suffix or { "_1", "_2" })
  local ia, ib, sep, bad_a, bad_b = core.sky_match(sa.desc, sb.desc, radius / 3600, mode == "all")
  local rows = {}
  local function emit(i, j, s)
    local out = {}
    copy_into(out, amap, sa.row(i))
    copy_into(out, bmap, j and sb.row(j))
    out.sep_arcsec = s or NULL
    rows[#rows + 1] = out
  end
  if how == "inner" then
    for k = 1, #ia do emit(ia[k], ib[k], sep[k]) end
  else
    local k = 1
    for i = 1, sa.n do
      if ia[k] ~= i then emit(i) end
      while ia[k] == i do
        emit(i, ib[k], sep[k])
        k = k + 1
      end
    end
  end
  local res = dataset.result(rows, fields, fn)
  -- rows whose position is null or not a number: they never match, and are told
  res.skipped = { a = bad_a, b = bad_b }
  if bad_a + bad_b > 0 then
    res.msg = ("%d row(s) of a and %d of b had no position (null or not a number) and matched nothing")
      :format(bad_a, bad_b)
  end
  return res
end

return M
