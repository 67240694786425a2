--- mast.crossmatch: match your own positions against MAST's catalogs.
-- Every wrapper takes
--   data = a list of rows such as {{ra = 210.8, dec = 54.3}, ...} (other
--          columns ride along), or an earlier result (e.g. of mast.caom.cone),
--          or a table from mast.json2table;
--   ra_column, dec_column: the position columns of data (default "ra"/"dec",
--          or "s_ra"/"s_dec" when data has those and not the others);
--   radius: the match radius in degrees (default 0.002);
-- plus the common options (pagesize, page, removenullcolumns, timeout,
-- cachebreaker, clearcache, removecache, format, all, deadline, progress,
-- params), and returns a mast.Result.
local core = require "mast.core"
local S = require "mast.service"

local M = { _NAME = "mast.crossmatch" }

local DEFAULT_RADIUS = 0.002

local function is_null(v) return v == nil or v == core.null end

local function has(names, k)
  for _, n in ipairs(names) do if n == k then return true end end
  return false
end

-- The default position columns for these column names.
local function default_columns(args, names)
  local ra, dec = args.ra_column, args.dec_column
  if ra == nil then ra = (not has(names, "ra") and has(names, "s_ra")) and "s_ra" or "ra" end
  if dec == nil then dec = (not has(names, "dec") and has(names, "s_dec")) and "s_dec" or "dec" end
  return ra, dec
end

local function check_position(fn, rows, ra, dec, names)
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then
      S.usage(fn, ("data row %d must be a table such as {%s = 210.8, %s = 54.3}, got %s")
        :format(i, ra, dec, S.describe(row)))
    end
    for _, k in ipairs({ ra, dec }) do
      if type(row[k]) ~= "number" then
        local hint = names and ("; its columns: " .. table.concat(names, ", ")) or ""
        S.usage(fn, ("data row %d has no number in column '%s' (got %s; set ra_column/dec_column to the "
          .. "position columns%s)"):format(i, k, S.describe(row[k]), hint))
      end
    end
  end
end

local function type_of(values)
  local kind
  for _, v in ipairs(values) do
    local t
    if math.type(v) == "integer" then t = "int"
    elseif math.type(v) == "float" then t = "float"
    elseif type(v) == "boolean" then t = "boolean"
    elseif not is_null(v) then t = "string" end
    if t then
      if kind == nil then kind = t
      elseif kind ~= t then
        if (kind == "int" and t == "float") or (kind == "float" and t == "int") then kind = "float"
        else return "string" end
      end
    end
  end
  return kind or "string"
end

-- An upload from a plain list of rows: fields ra, dec, then the other columns by name.
local function from_rows(fn, args, rows)
  local seen, others = {}, {}
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then
      S.usage(fn, ("data row %d must be a table such as {ra = 210.8, dec = 54.3}, got %s")
        :format(i, S.describe(row)))
    end
    for k in pairs(row) do
      if type(k) ~= "string" then
        S.usage(fn, ("data row %d: columns must be named, e.g. {ra = 210.8, dec = 54.3}"):format(i))
      end
      if not seen[k] then
        seen[k] = true
        others[#others + 1] = k
      end
    end
  end
  table.sort(others)
  local ra, dec = default_columns(args, others)
  check_position(fn, rows, ra, dec)
  local fields = { { name = ra, type = "float" }, { name = dec, type = "float" } }
  for _, k in ipairs(others) do
    if k ~= ra and k ~= dec then
      local values = {}
      for i, row in ipairs(rows) do values[i] = row[k] end
      fields[#fields + 1] = { name = k, type = type_of(values) }
    end
  end
  local data = {}
  for i, row in ipairs(rows) do
    local copy = {}
    for k, v in pairs(row) do copy[k] = v end
    data[i] = copy
  end
  return { fields = core.array(fields), data = core.array(data) }, ra, dec
end

-- (upload, raColumn, decColumn) from the wrapper's arguments.
function M.upload(fn, args)
  local data = args.data
  if data == nil then
    S.usage(fn, "needs data: a list of rows such as {{ra = 210.8, dec = 54.3}}, or an earlier result")
  end
  local mt = getmetatable(data)
  if mt and mt.__name == "mast.Table" then   -- from mast.json2table
    data = data:envelope()
  end
  if type(data.fields) == "table" and type(data.data) == "table" then
    -- an earlier result (or any MAST dataset): sent as it is, as the page does
    local names = {}
    for i, f in ipairs(data.fields) do names[i] = type(f) == "table" and f.name or nil end
    local ra, dec = default_columns(args, names)
    for _, k in ipairs({ ra, dec }) do
      if not has(names, k) then
        S.usage(fn, ("the data has no column '%s' (its columns: %s); set ra_column/dec_column")
          :format(k, table.concat(names, ", ")))
      end
    end
    if #data.data == 0 then S.usage(fn, "the data has no rows to crossmatch") end
    check_position(fn, data.data, ra, dec, names)
    return data, ra, dec
  end
  if #data == 0 then
    S.usage(fn, "data must be a non-empty list of rows such as {{ra = 210.8, dec = 54.3}}, or a result")
  end
  return from_rows(fn, args, data)
end

local SERVICES = {
  { "caom", "Mast.Caom.Crossmatch" },
  { "galex", "Mast.Galex.Crossmatch" },
  { "sdss", "Mast.Sdss.Crossmatch" },
  { "twomass", "Mast.2Mass.Crossmatch" },
  { "hsc_magaper2", "Mast.Hsc.Crossmatch.MagAper2v3" },
  { "hsc_magauto", "Mast.Hsc.Crossmatch.MagAutov3" },
  { "gaia_dr1", "Mast.GaiaDR1.Crossmatch" },
  { "gaia_dr2", "Mast.GaiaDR2.Crossmatch" },
  { "gaia_dr3", "Mast.GaiaDR3.Crossmatch" },
  { "tgas", "Mast.Tgas.Crossmatch" },
  { "tic", "Mast.Tic.Crossmatch" },
  { "ctl", "Mast.Ctl.Crossmatch" },
}

--- mast.crossmatch.caom{data = ..., radius = 0.002 [, ra_column =, dec_column =]} -> result  (Mast.Caom.Crossmatch)
--- mast.crossmatch.galex{...}         (Mast.Galex.Crossmatch)
--- mast.crossmatch.sdss{...}          (Mast.Sdss.Crossmatch)
--- mast.crossmatch.twomass{...}       (Mast.2Mass.Crossmatch)
--- mast.crossmatch.hsc_magaper2{...}  (Mast.Hsc.Crossmatch.MagAper2v3)
--- mast.crossmatch.hsc_magauto{...}   (Mast.Hsc.Crossmatch.MagAutov3)
--- mast.crossmatch.gaia_dr1{...}, gaia_dr2{...}, gaia_dr3{...}  (Mast.GaiaDR<n>.Crossmatch)
--- mast.crossmatch.tgas{...}, tic{...}, ctl{...}  (Mast.Tgas/Tic/Ctl.Crossmatch)
for _, s in ipairs(SERVICES) do
  M[s[1]] = S.define {
    name = "mast.crossmatch." .. s[1], service = s[2], crossmatch = DEFAULT_RADIUS,
    example = "{data = {{ra = 210.8, dec = 54.3}}, radius = 0.001}",
  }
end

return M
