--- mast.columnar: a MAST result as a columnar table — the page's mast_json2table, without its crash.
-- t = mast.json2table(result):
--   t.columns   the column names, in order
--   t.types     their MAST types as declared ("string", "float", "int", "boolean", ...)
--   t.kinds     what the values were converted to: "string", "float", "integer", "boolean" (or "any")
--   t.n, #t     the number of rows
--   t.data      {name = array of n values}, one Lua array per column; t:column(name) raises
--               for an unknown name, t.<name> / t[name] is a shortcut when not shadowed
--   t[i], t:row(i)  row i as {name = value} (nil past the end); `for i, row in t:rows()`
--   t:envelope()    back to a {fields, data} dataset (for json2csv, crossmatch uploads)
-- Values are converted by their declared type as astroquery's parse_type maps
-- it (char/string/date/datetime -> string; double/float/decimal -> float;
-- int/short/long/number -> integer; boolean/binary -> boolean): a number in a
-- "float" column becomes a float, a string holding a number is read as one,
-- an integral float in an integer column becomes an integer. Nothing is
-- forced: a value that does not fit its type is kept as it came, and an id
-- that MAST declares "string" but sends as an integer stays that exact integer.
-- Nulls (and missing values) are mast.null, so no column has holes — and an
-- integer column with nulls is fine (the page's version crashes on it).
local core = require "mast.core"

local M = { _NAME = "mast.columnar" }

local NULL = core.null
local FN = "mast.json2table"

local function usage(msg)
  error(core.error("usage", msg), 0)
end

local KINDS = {
  char = "string", string = "string", datetime = "string", date = "string", varchar = "string",
  text = "string", nvarchar = "string",
  double = "float", float = "float", decimal = "float", numeric = "float", real = "float",
  int = "integer", short = "integer", long = "integer", number = "integer", integer = "integer",
  bigint = "integer", smallint = "integer", tinyint = "integer", unsignedbyte = "integer", byte = "integer",
  boolean = "boolean", binary = "boolean", bool = "boolean", bit = "boolean",
}

--- The kind of values a declared MAST type holds ("any" when unknown).
function M.kind(declared)
  if type(declared) ~= "string" then return "any" end
  return KINDS[declared:match("^%s*(.-)%s*$"):lower()] or "any"
end

local SPECIAL = { nan = 0 / 0, ["+nan"] = 0 / 0, ["-nan"] = 0 / 0, inf = math.huge, ["+inf"] = math.huge,
                  infinity = math.huge, ["+infinity"] = math.huge, ["-inf"] = -math.huge,
                  ["-infinity"] = -math.huge }

local function number_of(s)
  local x = tonumber(s)
  if x == nil then x = SPECIAL[s:match("^%s*(.-)%s*$"):lower()] end
  return x
end

local CONVERT = {}

function CONVERT.float(v)
  if math.type(v) == "integer" then return v + 0.0 end
  if type(v) == "string" then
    if not v:match("%S") then return NULL end
    local x = number_of(v)
    if x then return x + 0.0 end
  end
  return v
end

function CONVERT.integer(v)
  if math.type(v) == "float" then return math.tointeger(v) or v end
  if type(v) == "string" then
    if not v:match("%S") then return NULL end
    local x = tonumber(v)
    if x then return math.tointeger(x) or x end
  end
  return v
end

local TRUTH = { ["true"] = true, ["false"] = false, ["t"] = true, ["f"] = false, ["1"] = true, ["0"] = false,
                yes = true, no = false }

function CONVERT.boolean(v)
  if type(v) == "number" then
    if v == 1 then return true elseif v == 0 then return false end
    return v
  end
  if type(v) == "string" then
    if not v:match("%S") then return NULL end
    local b = TRUTH[v:match("^%s*(.-)%s*$"):lower()]
    if b ~= nil then return b end
  end
  return v
end

local Table = { __name = "mast.Table" }
M.Table = Table
local methods = {}
M.methods = methods   -- the Table's methods, for help and completion

Table.__index = function(t, k)
  if math.type(k) == "integer" then return methods.row(t, k) end
  local m = methods[k]
  if m then return m end
  local data = rawget(t, "data")
  return data and data[k]
end

Table.__len = function(t) return rawget(t, "n") end

Table.__tostring = function(t)
  return require("mast.pretty").grid(t:envelope(), { title = "mast.Table" })
end

--- t:row(i) -> {name = value} for row i (nil when there is no row i).
function methods.row(t, i)
  if math.type(i) ~= "integer" then usage(("mast.Table:row: expected a row number, got %s"):format(type(i))) end
  local n = rawget(t, "n")
  if i < 1 or i > n then return nil end
  local row, data = {}, rawget(t, "data")
  for _, name in ipairs(rawget(t, "columns")) do row[name] = data[name][i] end
  return row
end

--- t:column(name) -> the column's array of values.
function methods.column(t, name)
  local col = rawget(t, "data")[name]
  if col == nil then
    local names = rawget(t, "columns")
    local hint = require("mast.service").suggest(name, names)
    usage(("mast.Table:column: no column '%s' (%s)"):format(tostring(name),
      hint and ("did you mean '" .. hint .. "'?") or ("columns: " .. table.concat(names, ", "))))
  end
  return col
end

--- t:show{columns = {...}, rows = n, width = w} -> the grid of exactly that (a string).
function methods.show(t, opts)
  return require("mast.pretty").show("Table:show", t:envelope(), opts, "mast.Table")
end

--- for i, row in t:rows() do ... end
function methods.rows(t)
  local i, n = 0, rawget(t, "n")
  return function()
    if i >= n then return nil end
    i = i + 1
    return i, methods.row(t, i)
  end
end

--- t:envelope() -> {fields = {{name, type}, ...}, data = {rows}}: a dataset again.
function methods.envelope(t)
  local fields, rows = {}, {}
  -- units and shapes: what a FITS table (mast.fits) knows of its columns
  local units, shapes = rawget(t, "units") or {}, rawget(t, "shapes") or {}
  for i, name in ipairs(rawget(t, "columns")) do
    fields[i] = { name = name, type = rawget(t, "types")[i], unit = units[name], shape = shapes[name] }
  end
  for i = 1, rawget(t, "n") do rows[i] = methods.row(t, i) end
  return { fields = core.array(fields), data = core.array(rows) }
end

-- t:sort(...), t:where(...), ...: the table operations of mast.ops (a column of
-- the same name is then reached by t:column(name) or t.data[name])
require("mast.result").op_methods(methods)

--- from_columns(columns, types, data, n [, kinds]) -> a mast.Table of these
-- column arrays (each of n values, nulls as mast.null), as mast.ops builds them.
function M.from_columns(columns, types, data, n, kinds)
  if kinds == nil then
    kinds = {}
    for i = 1, #columns do kinds[i] = M.kind(types[i]) end
  end
  return setmetatable({ columns = columns, types = types, kinds = kinds, n = n, data = data }, Table)
end

--- t:write(path [, opts]) -> the path written: mast.write(t, path, opts).
function methods.write(t, path, opts)
  return require("mast.formats").write(t, path, opts)
end

-- What a column whose values have these kinds (the columnar decode's `seen`:
-- 1 integer, 2 float, 4 string, 8 boolean, 16 table) needs converting from
local NEEDS = { float = 1 | 4, integer = 2 | 4, boolean = 1 | 2 | 4 }

-- Converts col[1..n] (nulls already mast.null) by the kind of its declared
-- type; seen (optional) says what kinds of values it has.
local function convert_column(col, n, kind, seen)
  local convert = CONVERT[kind]
  if convert == nil or (seen and seen & NEEDS[kind] == 0) or core.json_coerce(col, n, kind) then return end
  for r = 1, n do
    local v = col[r]
    if v ~= NULL then col[r] = convert(v) end
  end
end

--- decode(text [, what]) -> a mast.Table of a MAST envelope's JSON text, its rows
-- decoded straight into columns (core.json_decode's columnar option); the same
-- table json2table makes of the decoded rows: the columns are the fields, in
-- order (a key the rows have that fields does not name is dropped).
function M.decode(text, what)
  if type(text) ~= "string" then
    usage(("mast.columnar.decode: expected JSON text (a string), got %s"):format(type(text)))
  end
  local v, columnar = core.json_decode(text, what, { columnar = true })
  if not columnar then return M.json2table(v) end
  local cols, fields = v.data, v.fields
  if type(fields) ~= "table" then
    usage(("%s: expected a MAST result (a table with fields and data), got a table without fields"):format(FN))
  end
  local n, data = cols.n, cols.data
  local columns, types, kinds, named = {}, {}, {}, {}
  for i, f in ipairs(fields) do
    if type(f) ~= "table" or type(f.name) ~= "string" then
      usage(("%s: fields[%d] must be {name = <string>, type = <string>}"):format(FN, i))
    end
    if named[f.name] then usage(("%s: the column '%s' appears twice"):format(FN, f.name)) end
    named[f.name] = true
    columns[i], types[i], kinds[i] = f.name, f.type, M.kind(f.type)
    local col = data[f.name]
    if col == nil then   -- a field no row has
      col = {}
      for r = 1, n do col[r] = NULL end
      data[f.name] = col
    end
    convert_column(col, n, kinds[i], cols.seen[f.name] or 0)
  end
  for name in pairs(data) do   -- keys fields does not name: dropped, as json2table does
    if not named[name] then data[name] = nil end
  end
  return M.from_columns(columns, types, data, n, kinds)
end

--- mast.json2table(result) -> a mast.Table (see above); result may also be the
-- JSON text of a MAST answer, decoded straight into columns (M.decode).
function M.json2table(result)
  if type(result) == "string" then return M.decode(result) end
  local mt = getmetatable(result)
  if mt == Table then return result end
  if type(result) ~= "table" or type(result.fields) ~= "table" or type(result.data) ~= "table" then
    usage(("%s: expected a MAST result (a table with fields and data), got %s"):format(FN,
      type(result) == "table" and "a table without fields/data" or type(result)))
  end
  local columns, types, kinds, data = {}, {}, {}, {}
  local rows = result.data
  local n = #rows
  for i, f in ipairs(result.fields) do
    if type(f) ~= "table" or type(f.name) ~= "string" then
      usage(("%s: fields[%d] must be {name = <string>, type = <string>}"):format(FN, i))
    end
    if data[f.name] then usage(("%s: the column '%s' appears twice"):format(FN, f.name)) end
    columns[i], types[i], kinds[i] = f.name, f.type, M.kind(f.type)
    data[f.name] = {}
  end
  for r = 1, n do
    if type(rows[r]) ~= "table" then usage(("%s: data[%d] must be a row table"):format(FN, r)) end
  end
  for i, name in ipairs(columns) do
    local col = data[name]
    for r = 1, n do
      local v = rows[r][name]
      if v == nil then v = NULL end
      col[r] = v
    end
    convert_column(col, n, kinds[i])
  end
  return setmetatable({ columns = columns, types = types, kinds = kinds, n = n, data = data }, Table)
end

return M
