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
  if t == "string" then return quote(v) end
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

return M
