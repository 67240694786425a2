--- mast.csv: a MAST result as CSV — the page's mast_json2csv done properly.
-- Layout as on the page: a row of column names, a row of their MAST types
-- (opts.types = false leaves it out), then one line per row. Quoting follows
-- RFC 4180 (a field holding a comma, a double quote, CR or LF is quoted, its
-- quotes doubled); nulls and missing values are empty fields, an empty string
-- is "" (so the two stay apart); integers are exact, floats in the shortest
-- form that reads back the same, booleans true/false.
local core = require "mast.core"
local O = require "mast.options"
local D = require "mast.dataset"

local M = { _NAME = "mast.csv" }

local FN = "mast.json2csv"
local V = O.validators
local function eol_ok(v) if v ~= "\n" and v ~= "\r\n" then return "'\\n' or '\\r\\n'" end end
local OPTS = { types = V.boolean, file = V.string, eol = eol_ok }
local FLUSH_ROWS = 2000   -- lines buffered before a write to the file

local function quote(s)
  if s == "" then return '""' end
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

-- Bare words (any case) that mast.read_csv reads as a boolean or a float.
local WORDS = { ["true"] = true, ["false"] = false, nan = 0 / 0, ["+nan"] = 0 / 0, ["-nan"] = 0 / 0,
                inf = math.huge, ["+inf"] = math.huge, ["-inf"] = -math.huge, infinity = math.huge,
                ["+infinity"] = math.huge, ["-infinity"] = -math.huge }
local function reads_as_other(s)
  return tonumber(s) ~= nil or WORDS[s:lower()] ~= nil
end

-- A string value: quoted also when bare it would read back as a number or a
-- boolean ("0123", "42", "true"), so that read_csv gives the same string.
local function quote_value(s)
  if reads_as_other(s) then return '"' .. s .. '"' end
  return quote(s)
end

--- The CSV field for one value (quoted when it must be).
function M.field(v)
  if v == nil or v == core.null then return "" end
  local mt = math.type(v)
  if mt == "integer" then return ("%d"):format(v) end
  if mt == "float" then
    if v ~= v then return "NaN" end
    if v == math.huge then return "Infinity" end
    if v == -math.huge then return "-Infinity" end
    return core.json_encode(v)   -- shortest round-trip form; an integral float keeps its .0
  end
  local t = type(v)
  if t == "boolean" then return tostring(v) end
  if t == "string" then return quote_value(v) end
  if t == "table" then
    local ok, s = pcall(core.json_encode, v)
    if ok then return quote(s) end
    O.usage(FN, "a value cannot be written: " .. tostring(s))
  end
  O.usage(FN, ("cannot write a %s value in CSV"):format(t))
end
local field = M.field

-- The fields and rows of what was given: a result, a MAST envelope, or a mast.json2table table.
local function dataset(x)
  local result, got = D.of(x)
  if not result then O.usage(FN, ("expected a MAST result (a table with fields and data), got %s"):format(got)) end
  local names, types = {}, {}
  for i, f in ipairs(result.fields) do
    if type(f) ~= "table" or type(f.name) ~= "string" then
      O.usage(FN, ("fields[%d] must be {name = <string>, type = <string>}"):format(i))
    end
    names[i] = f.name
    types[i] = f.type == nil and "" or tostring(f.type)
  end
  return names, types, result.data
end

-- Calls emit(line) for every line of the CSV.
local function lines(names, types, rows, opts, emit)
  local eol = opts.eol or "\n"
  local head = {}
  for i, n in ipairs(names) do head[i] = quote(n) end
  emit(table.concat(head, ",") .. eol)
  if opts.types ~= false then
    local t = {}
    for i, n in ipairs(types) do t[i] = quote(n) end
    emit(table.concat(t, ",") .. eol)
  end
  local ncol = #names
  local cells = {}
  for r, row in ipairs(rows) do
    if type(row) ~= "table" then O.usage(FN, ("data[%d] must be a row table"):format(r)) end
    for i = 1, ncol do cells[i] = field(row[names[i]]) end
    emit(table.concat(cells, ",", 1, ncol) .. eol)
  end
end

-- Writes the CSV to path through the output capability: the host's path
-- policy, <path>.part, renamed onto the path only when whole (a failure
-- leaves nothing at the path). Returns the path written.
local function write_file(path, names, types, rows, opts)
  local out <close> = core.open_output(path)
  local buf = {}
  local function flush()
    out:write(table.concat(buf))
    buf = {}
  end
  lines(names, types, rows, opts, function(s)
    buf[#buf + 1] = s
    if #buf >= FLUSH_ROWS then flush() end
  end)
  flush()
  return out:commit()
end

--- mast.json2csv(result [, opts]) -> the CSV text, or (with opts.file) the path written
-- opts.types = false: no row of types. opts.eol: "\n" (default) or "\r\n".
-- opts.file = path: write it there, through <path>.part renamed when complete,
-- so a half-written file never sits at path.
O.declare("mast.json2csv", OPTS)
function M.json2csv(result, opts)
  opts = O.options(FN, opts, OPTS)
  local names, types, rows = dataset(result)
  if not opts.file then
    local buf = {}
    lines(names, types, rows, opts, function(s) buf[#buf + 1] = s end)
    return table.concat(buf)
  end
  local ok, path = pcall(write_file, opts.file, names, types, rows, opts)
  if not ok then error(O.within(FN, path), 0) end
  return path
end

-- ---- reading: mast.read_csv ----
--
-- The text is cut into records in C (core.csv_record for the header and
-- json2csv's row of types, core.csv_columns for the rest: src/bind/csv.c),
-- which gives one array of field texts per column, a quoted field boxed as
-- {text}. Each column is then typed and converted in place here, in one pass
-- to classify its values and one to convert them, and the rows are built
-- last, by a generated table constructor.

local RFN = "mast.read_csv"
local NULL = core.null
local find, sub, byte, lower = string.find, string.sub, string.byte, string.lower
local tointeger, mtype = math.tointeger, math.type

local function text_ok(v) if type(v) ~= "string" then return "a string" end end
local function types_ok(v)
  if type(v) ~= "table" then return "a table {column = type}" end
end
local function sep_ok(v)
  if type(v) ~= "string" or #v ~= 1 or v:find('["\r\n]') then return "one character (not a quote or a line break)" end
end
local function type_row_ok(v)
  if v ~= nil and type(v) ~= "boolean" then return "true or false" end
end
local ROPTS = { text = text_ok, types = types_ok, sep = sep_ok, type_row = type_row_ok, title = V.string }

local function fail(line, col, names, msg)
  local name = names and names[col]
  O.usage(RFN, ("line %d, column %d%s: %s"):format(line, col, name and (" (" .. name .. ")") or "", msg),
    { line = line, column = col })
end

local function unbox(v) if type(v) == "table" then return v[1] end return v end

-- The first bytes of a number (digits, sign, point) and of a word in WORDS.
local NUMBER_START, WORD_START = {}, {}
for c in ("0123456789+-."):gmatch(".") do NUMBER_START[c:byte()] = true end
for c in ("tfniTFNI+-"):gmatch(".") do WORD_START[c:byte()] = true end

-- Text that is a number in CSV: what tonumber reads, but neither
-- hexadecimal nor padded with spaces. (Byte tests and plain finds: this runs
-- for every value of a million-row file.)
local function number(s)
  local b = byte(s, 1)
  if b == nil or b <= 32 or byte(s, -1) <= 32 then return nil end
  local x = tonumber(s)
  if x ~= nil and (find(s, "x", 1, true) or find(s, "X", 1, true)) then return nil end
  return x
end

-- The text of an integer starts with a zero that is not the whole number ("007").
local function zero_led(s)
  local b = byte(s, 1)
  if b == 45 or b == 43 then return byte(s, 2) == 48 and #s > 2 end
  return b == 48 and #s > 1
end

-- Digits only, but read as a float: an integer beyond 64 bits.
local function too_long(s)
  return not (find(s, ".", 1, true) or find(s, "e", 1, true) or find(s, "E", 1, true))
end

-- json2csv's layout: bare text is read back as JSON would have given it
-- (integers exact, floats, booleans; an integer with leading zeros, or too
-- long for 64 bits, stays text unless the column is declared numeric);
-- quoted text is a string; an empty bare field is null.
local function as_written(v, numeric)
  if v == "" then return NULL end
  if type(v) == "table" then return v[1] end
  local b = byte(v, 1)
  if NUMBER_START[b] then
    local x = number(v)
    if x ~= nil then
      if numeric then return x end
      if mtype(x) == "integer" then
        if zero_led(v) then return v end
        return x
      end
      if too_long(v) then return v end   -- keep every digit
      return x
    end
  end
  if WORD_START[b] and #v <= 9 then
    local w = WORDS[lower(v)]
    if w ~= nil then return w end
  end
  return v
end

local INT, FLOAT, BOOL, STR = 1, 2, 4, 8

-- The class of a non-empty text, for inferring a column's type.
local function classify(s)
  local x = number(s)
  if x ~= nil then
    if mtype(x) == "integer" then
      if zero_led(s) or byte(s, 1) == 43 then return STR end   -- an id with leading zeros, or "+1"
      return INT
    end
    if too_long(s) then return STR end   -- an integer beyond 64 bits
    return FLOAT
  end
  local w = WORDS[lower(s)]
  if w == nil then return STR end
  return type(w) == "boolean" and BOOL or FLOAT
end

local TRUTH = { ["true"] = true, ["false"] = false, t = true, f = false, ["1"] = true, ["0"] = false,
                yes = true, no = false }

-- Converters for a type the caller gave: each value must be of it.
local STRICT = {
  string = function(s) return s end,
  integer = function(s)
    local x = number(s)
    x = x and tointeger(x)
    if x == nil then return nil, "an integer" end
    return x
  end,
  float = function(s)
    local x = number(s)
    if x == nil then
      x = WORDS[lower(s)]
      if type(x) ~= "number" then return nil, "a number" end
    end
    return x + 0.0
  end,
  boolean = function(s)
    local b = TRUTH[lower(s)]
    if b == nil then return nil, "true or false" end
    return b
  end,
}

local kind = require("mast.columnar").kind

-- The rows {name = value} of the column arrays. Up to 100 columns, through a
-- loop generated for these names: a table constructor sizes each row once
-- (about 3x faster than filling a row key by key). The names enter the code
-- only as %q literals, and the code runs with an empty environment.
local MAX_BUILT = 100
local function rows_of(names, cols, count)
  local rows, ncol = {}, #names
  if ncol > 0 and ncol <= MAX_BUILT then
    local src = { "local cols, count, rows = ...\n" }
    for j = 1, ncol do src[#src + 1] = ("local c%d = cols[%d]\n"):format(j, j) end
    src[#src + 1] = "for i = 1, count do rows[i] = {"
    for j = 1, ncol do src[#src + 1] = ("[%q] = c%d[i],"):format(names[j], j) end
    src[#src + 1] = "} end\n"
    assert(load(table.concat(src), "=(mast.csv rows)", "t", {}))(cols, count, rows)
    return rows
  end
  for i = 1, count do
    local row = {}
    for j = 1, ncol do row[names[j]] = cols[j][i] end
    rows[i] = row
  end
  return rows
end

--- mast.csv.parse(text [, opts]) -> a dataset (see mast.read_csv)
function M.parse(text, opts)
  opts = opts or {}
  local sep = opts.sep or ","
  local names = {}
  -- one record (nil at the end), through core.csv_record; an error names its place
  local function record(pos, line)
    local fields, a, b, why = core.csv_record(text, sep, pos, line)
    if fields == false then fail(a, b, names, why) end
    return fields, a, b
  end
  local start = sub(text, 1, 3) == "\239\187\191" and 4 or 1   -- after a UTF-8 byte order mark
  local header, pos, line = record(start, 1)
  if header == nil then O.usage(RFN, "the CSV is empty: it has no header line") end
  local seen, ncol = {}, #header
  for j = 1, ncol do
    local name = unbox(header[j])
    if seen[name] then fail(1, j, nil, ("the column name '%s' appears twice"):format(name)) end
    names[j], seen[name] = name, true
  end
  local forced = opts.types or {}
  for col, t in pairs(forced) do
    if not seen[col] then
      local hint = O.suggest(tostring(col), names)
      O.usage(RFN, ("types: no column '%s' (%s)"):format(tostring(col),
        hint and ("did you mean '" .. hint .. "'?") or ("columns: " .. table.concat(names, ", "))))
    end
    if type(t) ~= "string" or STRICT[kind(t)] == nil then
      O.usage(RFN, ("types.%s must be a type name (string, int, float, boolean), got %s"):format(col, O.describe(t)))
    end
  end

  -- json2csv's second line of MAST types (auto: when every cell names a type)
  local declared
  local second, pos2, line2 = record(pos, line)
  if second ~= nil then
    local k = #second
    local is_types = opts.type_row
    if is_types == nil then
      local any = false
      is_types = k == ncol
      for j = 1, k do
        local v = second[j]
        if type(v) ~= "string" then
          is_types = false   -- json2csv never quotes a type name
        elseif v ~= "" then
          any = true
          if kind(v) == "any" and v ~= "array" then is_types = false end
        end
      end
      is_types = is_types and any
    end
    if is_types then
      if k ~= ncol then
        fail(line, math.min(k, ncol) + 1, names, ("the row of types has %d fields, the header has %d"):format(k, ncol))
      end
      declared = {}
      for j = 1, ncol do declared[j] = unbox(second[j]) end
      pos, line = pos2, line2
    end
  end
  -- the rows, as one array of field texts per column (rows are built at the end)
  local cols, count, line_at, why = core.csv_columns(text, sep, pos, line, ncol)
  if cols == false then fail(count, line_at, names, why) end

  local function line_of(i)
    for r = i, 1, -1 do
      if line_at[r] then return line_at[r] + (i - r) end
    end
    return i + line - 1
  end

  local fields = {}
  for j = 1, ncol do
    local name = names[j]
    local ftype
    if forced[name] then
      ftype = forced[name]
      local convert = STRICT[kind(ftype)]
      local col = cols[j]
      for i = 1, count do
        local v = col[i]
        if v == "" then
          col[i] = NULL
        else
          local s = unbox(v)
          local x, want = convert(s)
          if x == nil then fail(line_of(i), j, names, ("%s is not %s"):format(O.describe(s), want)) end
          col[i] = x
        end
      end
    elseif declared and declared[j] ~= "" then
      ftype = declared[j]
      local kd = kind(ftype)
      local numeric = kd == "integer" or kd == "float"
      local col = cols[j]
      for i = 1, count do col[i] = as_written(col[i], numeric) end
      if ftype == "array" then   -- json2csv wrote each list as its JSON text
        for i = 1, count do
          local v = col[i]
          if type(v) == "string" and find(v, "^%[") then
            local ok, list = pcall(core.json_decode, v)
            if ok and type(list) == "table" then col[i] = list end
          end
        end
      end
    else
      local col = cols[j]
      local seen_classes = 0
      for i = 1, count do
        local v = col[i]
        if v ~= "" then
          local s = unbox(v)
          seen_classes = seen_classes | (s == "" and STR or classify(s))
          if seen_classes & STR ~= 0 then break end
        end
      end
      if seen_classes == INT then ftype = "int"
      elseif seen_classes == BOOL then ftype = "boolean"
      elseif seen_classes ~= 0 and seen_classes & (STR | BOOL) == 0 then ftype = "float"
      else ftype = "string" end
      local convert = ftype ~= "string" and STRICT[kind(ftype)] or nil
      for i = 1, count do
        local v = col[i]
        if v == "" then col[i] = NULL
        elseif convert then col[i] = convert(unbox(v))
        elseif type(v) == "table" then col[i] = v[1] end
      end
    end
    fields[j] = { name = name, type = ftype }
  end
  return D.result(rows_of(names, cols, count), fields, opts.title or "CSV")
end

--- mast.read_csv(path [, opts]) or mast.read_csv{text = csv [, ...]} -> a printable dataset
-- opts: text (the CSV itself instead of a file), types = {column = "string" | "int" |
-- "float" | "boolean"} (each value must be of it), type_row (true/false: whether the
-- second line is json2csv's row of types; default: when every cell names a type),
-- sep (one character, default ","), title (what the dataset prints as).
function M.read_csv(source, opts)
  if type(source) == "table" and opts == nil then source, opts = nil, source end
  opts = O.options(RFN, opts, ROPTS)
  local text = opts.text
  if text ~= nil then
    if source ~= nil then O.usage(RFN, "give a path or opts.text, not both") end
  else
    if type(source) ~= "string" or source == "" then
      O.usage(RFN, ("expected the path of a CSV file (or {text = <csv>}), got %s"):format(O.describe(source)))
    end
    local ok, t = pcall(core.read_file, source)
    if not ok then error(O.within(RFN, t), 0) end
    text = t
  end
  local ok, r = pcall(M.parse, text, opts)
  if not ok then
    if source and core.is_error(r) and r.line then r.path = source; r.message = source .. ": " .. r.message end
    error(r, 0)
  end
  return r
end

return M
