--- mast.fits: FITS files through cfitsio (src/bind/fits.c does the reading and writing).
--   local f <close> = mast.fits.open(path)
--   f:hdus()                    a printable dataset: index, name, type, bitpix, dims, rows, cols
--   f:header(hdu)               the keywords in order ({name, value, comment, type}), h.TELESCOP
--   f:table(hdu [, opts])       a columnar mast.Table (opts.columns, opts.rows)
--   f:image(hdu [, section])    {width, height, data, bitpix, bunit, naxes}
--   f:frame(hdu, row [, col])   one cell of a vector column (a TPF's FLUX) as an image
--   mast.fits.stats(image), mast.fits.read(path [, hdu]), mast.fits.write(dataset, path [, opts])
-- hdu: a number from 1 (the primary HDU) or an EXTNAME. Nulls (TNULL, NaN,
-- undefined logicals) are mast.null in tables; blank pixels are NaN in images.
local core = require "mast.core"
-- cfitsio's side of mast.core, loaded only with this module (src/bind/bind.h)
local fcore = require "mast.core_fits"
local O = require "mast.options"
local columnar = require "mast.columnar"
local dataset = require "mast.dataset"

local M = { _NAME = "mast.fits" }
local NULL = core.null

--- Calls a mast.core function, naming fn in what it raises.
local function guarded(fn, f, ...)
  local ok, r = pcall(f, ...)
  if not ok then error(O.within(fn, r), 0) end
  return r
end

local File = { __name = "mast.fits.File" }
File.__index = File

local function check_file(fn, f)
  if getmetatable(f) ~= File then O.usage(fn, "call it on a file from mast.fits.open (f:" .. fn:match("[%w_]+$")
    .. "(...))") end
  return f
end

local function check_hdu(fn, hdu)
  if hdu ~= nil and math.type(hdu) ~= "integer" and type(hdu) ~= "string" then
    O.usage(fn, "hdu must be an HDU number (1 is the primary) or an EXTNAME, got " .. O.describe(hdu))
  end
end

--- mast.fits.open(path) -> a FITS file (closed by f:close(), <close> or the collector)
function M.open(path)
  local fn = "mast.fits.open"
  if type(path) ~= "string" or path == "" then O.usage(fn, "expected a file path, got " .. O.describe(path)) end
  return setmetatable({ path = path, ud = guarded(fn, fcore.fits_open, path) }, File)
end

--- The same over bytes in memory (a download held as a string).
function M.from_string(bytes, name)
  local fn = "mast.fits.from_string"
  if type(bytes) ~= "string" then O.usage(fn, "expected the bytes of a FITS file, got " .. O.describe(bytes)) end
  return setmetatable({ path = name or "(memory)", ud = guarded(fn, fcore.fits_open_memory, bytes, name) }, File)
end

function File:close()
  self.ud:close()
end
File.__close = File.close

local function dims_text(naxes)
  local t = {}
  for i, n in ipairs(naxes) do t[i] = tostring(n) end
  return table.concat(t, "x")
end

local HDU_FIELDS = { { name = "index", type = "int" }, { name = "name", type = "string" },
                     { name = "type", type = "string" }, { name = "bitpix", type = "int" },
                     { name = "dims", type = "string" }, { name = "rows", type = "int" },
                     { name = "cols", type = "int" } }

--- f:hdus() -> one row per HDU (a printable dataset)
function File:hdus()
  local fn = "mast.fits.File:hdus"
  check_file(fn, self)
  local rows = {}
  for i = 1, guarded(fn, self.ud.nhdus, self.ud) do
    local h = guarded(fn, self.ud.hdu, self.ud, i)
    rows[i] = { index = h.index, name = h.name, type = h.type, bitpix = h.bitpix or NULL,
                dims = h.naxes and dims_text(h.naxes) or (h.rows .. " rows x " .. h.cols .. " cols"),
                rows = h.rows or NULL, cols = h.cols or NULL }
  end
  return dataset.result(rows, HDU_FIELDS, "mast.fits " .. self.path)
end

-- A header: its cards in order (h[1], ... and #h), and values by keyword.
local Header = { __name = "mast.fits.Header" }
local header_methods = {}

Header.__index = function(h, k)
  if type(k) ~= "string" then return nil end
  local m = header_methods[k]
  if m then return m end
  local card = rawget(h, "_by")[k:upper()]
  return card and card.value
end

Header.__tostring = function(h)
  local lines = {}
  for i, c in ipairs(h) do
    local v = c.value
    if type(v) == "boolean" then v = v and "T" or "F"
    elseif type(v) == "string" then v = "'" .. v .. "'"
    elseif v == nil then v = ""
    else v = O.number_text(v) end
    if c.type == "none" then
      lines[i] = ("%-8s %s"):format(c.name, c.comment)
    else
      lines[i] = ("%-8s= %20s%s"):format(c.name, v, c.comment ~= "" and (" / " .. c.comment) or "")
    end
  end
  return table.concat(lines, "\n")
end

--- h:card(name) -> {name, value, comment, type} of the first card of that keyword (nil if none)
function header_methods.card(h, name)
  return rawget(h, "_by")[tostring(name):upper()]
end

--- h:comment(name) -> the comment of a keyword
function header_methods.comment(h, name)
  local c = header_methods.card(h, name)
  return c and c.comment
end

--- h:keys() -> the keywords in order (commentary cards included)
function header_methods.keys(h)
  local t = {}
  for i, c in ipairs(h) do t[i] = c.name end
  return t
end

--- f:header([hdu]) -> the header of an HDU (default the primary)
function File:header(hdu)
  local fn = "mast.fits.File:header"
  check_file(fn, self)
  check_hdu(fn, hdu)
  local cards = guarded(fn, self.ud.header, self.ud, hdu or 1)
  local by = {}
  for _, c in ipairs(cards) do
    if c.type ~= "none" and by[c.name] == nil then by[c.name] = c end
  end
  cards._by = by
  return setmetatable(cards, Header)
end

-- The first HDU of a kind: "table" (binary or ASCII), or "image" holding pixels.
local function first_hdu(fn, f, want)
  for i = 1, guarded(fn, f.ud.nhdus, f.ud) do
    local h = guarded(fn, f.ud.hdu, f.ud, i)
    if want == "table" and h.type ~= "image" then return i end
    if want == "image" and h.type == "image" and #h.naxes > 0 then return i end
  end
  O.usage(fn, ("%s holds no %s HDU"):format(f.path, want))
end

local TABLE_OPTS = { columns = O.validators.columns, rows = function(v)
  if math.type(v) == "integer" and v >= 0 then return nil end
  if type(v) == "table" and math.type(v[1]) == "integer" and math.type(v[2]) == "integer" and v[1] >= 1 then
    return nil
  end
  return "a number of rows, or {first, last} (from 1)"
end }

--- f:table([hdu [, {columns =, rows =}]]) -> a mast.Table of a table HDU (default the first)
function File:table(hdu, opts)
  local fn = "mast.fits.File:table"
  check_file(fn, self)
  if type(hdu) == "table" and opts == nil then hdu, opts = nil, hdu end
  check_hdu(fn, hdu)
  opts = O.options(fn, opts, TABLE_OPTS)
  local cols = opts.columns
  if cols == "*" then cols = nil elseif cols then cols = O.list_of(cols) end
  local first, last
  if math.type(opts.rows) == "integer" then first, last = 1, opts.rows
  elseif opts.rows then first, last = opts.rows[1], opts.rows[2] end
  local t = guarded(fn, self.ud.table, self.ud, hdu or first_hdu(fn, self, "table"), cols, first, last)
  -- the shape columnar.json2table gives a table, with the FITS extras (units, shapes)
  return setmetatable(t, columnar.Table)
end

local function range_of(fn, v, axis)
  if v == nil then return nil, nil end
  if type(v) ~= "table" or math.type(v[1]) ~= "integer" or math.type(v[2]) ~= "integer" then
    O.usage(fn, ("section.%s must be {first, last} (pixels from 1), got %s"):format(axis, O.describe(v)))
  end
  return v[1], v[2]
end

--- f:image([hdu [, section]]) -> an image table; section {x = {x1, x2}, y = {y1, y2}, plane = k}
-- or "x1:x2,y1:y2" (FITS pixels from 1, inclusive)
function File:image(hdu, section)
  local fn = "mast.fits.File:image"
  check_file(fn, self)
  if type(hdu) == "table" and section == nil then hdu, section = nil, hdu end
  check_hdu(fn, hdu)
  local x1, x2, y1, y2, plane
  if type(section) == "string" then
    local a, b, c, d = section:match("^%s*(%d+):(%d+)%s*,%s*(%d+):(%d+)%s*$")
    if not a then O.usage(fn, "section must look like \"x1:x2,y1:y2\", got " .. O.describe(section)) end
    x1, x2, y1, y2 = math.tointeger(a), math.tointeger(b), math.tointeger(c), math.tointeger(d)
  elseif type(section) == "table" then
    O.check(fn, section, { x = O.validators.table, y = O.validators.table, plane = O.validators.posint })
    x1, x2 = range_of(fn, section.x, "x")
    y1, y2 = range_of(fn, section.y, "y")
    plane = section.plane
  elseif section ~= nil then
    O.usage(fn, "section must be a table {x =, y =, plane =} or \"x1:x2,y1:y2\", got " .. O.describe(section))
  end
  return guarded(fn, self.ud.image, self.ud, hdu or first_hdu(fn, self, "image"), x1, x2, y1, y2, plane)
end

--- f:frame(hdu, row [, column]) -> the image of one row's vector cell (default column FLUX), shaped by TDIM
function File:frame(hdu, row, column)
  local fn = "mast.fits.File:frame"
  check_file(fn, self)
  check_hdu(fn, hdu)
  if type(column) == "table" then column = column.column end
  if math.type(row) ~= "integer" then O.usage(fn, "row must be a row number (from 1), got " .. O.describe(row)) end
  if column ~= nil and type(column) ~= "string" then
    O.usage(fn, "column must be a column name, got " .. O.describe(column))
  end
  return guarded(fn, self.ud.cell, self.ud, hdu or first_hdu(fn, self, "table"), row, column or "FLUX")
end

--- mast.fits.stats(image) -> {min, max, mean, median, std, count, nan} over the finite pixels
-- (std is the population's, as numpy's default; NaN and infinities are counted in nan)
function M.stats(image)
  local fn = "mast.fits.stats"
  local data = type(image) == "table" and (image.data or (image[1] ~= nil and image)) or nil
  if type(data) ~= "table" then
    O.usage(fn, "expected an image table {width, height, data}, got " .. O.describe(image))
  end
  local v, n, nan, sum = {}, 0, 0, 0.0
  local lo, hi = math.huge, -math.huge
  for i = 1, #data do
    local x = data[i]
    if type(x) == "number" and x == x and x ~= math.huge and x ~= -math.huge then
      n = n + 1
      v[n] = x
      sum = sum + x
      if x < lo then lo = x end
      if x > hi then hi = x end
    else
      nan = nan + 1
    end
  end
  if n == 0 then return { count = 0, nan = nan, min = NULL, max = NULL, mean = NULL, median = NULL, std = NULL } end
  local mean = sum / n
  local ss = 0.0
  for i = 1, n do
    local d = v[i] - mean
    ss = ss + d * d
  end
  table.sort(v)
  local median = n % 2 == 1 and v[(n + 1) // 2] or (v[n // 2] + v[n // 2 + 1]) / 2
  return { min = lo, max = hi, mean = mean, median = median, std = math.sqrt(ss / n), count = n, nan = nan }
end

--- mast.fits.read(path [, hdu]) -> the first table HDU (or hdu) as a mast.Table
function M.read(path, hdu)
  local fn = "mast.fits.read"
  check_hdu(fn, hdu)
  local f <close> = M.open(path)
  local ok, t = pcall(File.table, f, hdu)
  if not ok then
    if core.is_error(t) then t.fn = fn end
    error(t, 0)
  end
  return t
end

-- ---------------------------------------------------------------- writing

local WRITE_OPTS = { extname = O.validators.string, units = O.validators.table, overwrite = O.validators.boolean }

local function is_null(v) return v == nil or v == NULL end

-- The kind a column is written as: its declared type's, else what its values are.
local function infer(declared, values, n)
  local kind = columnar.kind(declared)
  local ints, nums, bools, strs, vec, vary = true, true, true, true, nil, false
  for r = 1, n do
    local v = values[r]
    if not is_null(v) then
      local list = v
      if type(v) ~= "table" then list = { v } else
        if vec and vec ~= #v then vary = true end
        vec = math.max(vec or 0, #v)
      end
      for _, e in ipairs(list) do
        if not is_null(e) then
          if math.type(e) ~= "integer" then ints = false end
          if type(e) ~= "number" then nums = false end
          if type(e) ~= "boolean" then bools = false end
          if type(e) ~= "string" then strs = false end
        end
      end
    end
  end
  if kind == "integer" and not ints then kind = nums and "float" or "any" end
  if kind == "float" and not nums then kind = "any" end
  if kind == "boolean" and not bools then kind = "any" end
  if kind == "string" and not strs then kind = "any" end
  if kind == "any" then
    kind = (ints and "integer") or (nums and "float") or (bools and "boolean") or "string"
  end
  if vec and kind == "string" and not strs then kind = "float" end   -- lists of nulls only
  return kind, vec, vary
end

--- mast.fits.write(dataset, path [, {extname =, units = {col = "deg"}, overwrite = false}]) -> the path written
-- Any dataset (a Result, a mast.Table, an envelope) as one binary table: ints
-- as K (64-bit, nulls as a TNULL), floats as D (nulls as NaN), booleans as L
-- (nulls undefined), strings as A as wide as the longest (nulls as empty
-- strings: binary tables have no null string). Written in memory, then
-- through the output capability (atomic, checked against the host's policy).
function M.write(x, path, opts)
  local fn = "mast.fits.write"
  opts = O.options(fn, opts, WRITE_OPTS)
  if type(path) ~= "string" or path == "" then O.usage(fn, "expected a file path, got " .. O.describe(path)) end
  local names, types, data, n, units, shapes
  if dataset.is_table(x) then   -- columnar already: no rows to make
    names, types, data, n = rawget(x, "columns"), rawget(x, "types"), rawget(x, "data"), rawget(x, "n")
    units, shapes = rawget(x, "units") or {}, rawget(x, "shapes") or {}
  else
    local ds, what = dataset.of(x)
    if not ds then O.usage(fn, "expected a dataset (a result, a mast.Table or {fields, data}), got " .. what) end
    names, types, data, units, shapes = {}, {}, {}, {}, {}
    local rows = ds.data
    n = #rows
    for i, f in ipairs(ds.fields) do
      names[i], types[i] = f.name, f.type
      units[f.name], shapes[f.name] = f.unit, f.shape
      local col = {}
      for r = 1, n do col[r] = rows[r][f.name] end
      data[f.name] = col
    end
  end
  if #names == 0 then O.usage(fn, "the dataset has no columns") end
  if not opts.overwrite and core.stat(path) then
    O.usage(fn, ("%s exists (pass overwrite = true to replace it)"):format(path))
  end
  local columns = {}
  for i, name in ipairs(names) do
    local values = data[name]
    local kind, vec, vary = infer(types[i], values, n)
    local col = { name = name, kind = kind, data = values, unit = (opts.units and opts.units[name]) or units[name] }
    if vec then
      col["repeat"] = math.max(vec, 1)
      col.dims = shapes[name]
      col.vla = vary or nil   -- lists of different lengths: a variable-length column (P)
    end
    if kind == "string" and not vec then
      local w, text = 1, values
      for r = 1, n do
        local v = values[r]
        if not is_null(v) and type(v) ~= "string" then   -- a mixed column: its values as text
          if text == values then text = table.move(values, 1, n, 1, {}) end
          v = type(v) == "number" and O.number_text(v) or tostring(v)
          text[r] = v
        end
        if type(v) == "string" and #v > w then w = #v end
      end
      col.data, col.width = text, w
    elseif kind == "string" then
      O.usage(fn, ("column '%s': vector columns of strings are not written"):format(name))
    end
    columns[i] = col
  end
  local bytes = guarded(fn, fcore.fits_write_table, { extname = opts.extname, n = n, columns = columns })
  local out <close> = guarded(fn, core.open_output, path)
  out:write(bytes)
  return out:commit()
end

return M
