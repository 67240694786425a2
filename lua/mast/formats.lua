--- mast.formats: datasets to and from files, by name — mast.write, mast.read, and the VOTable writer.
-- The format comes from opts.format or from the path's extension (.csv; .vot,
-- .votable, .xml; .fits, .fit). CSV is mast.csv's, FITS is mast.fits's (loaded
-- only when asked for), VOTable reading is core.votable_decode's; the VOTable
-- writer is here. Every writer goes through core.open_output: the host's
-- path policy, <path>.part, renamed onto the path only when whole.
local core = require "mast.core"
local O = require "mast.options"
local D = require "mast.dataset"

local M = { _NAME = "mast.formats" }

local V = O.validators
local NULL = core.null
local mtype, find, gsub, concat = math.type, string.find, string.gsub, table.concat
local FLUSH_ROWS = 2000   -- rows buffered before a write to the file

local EXTENSIONS = { csv = "csv", vot = "votable", votable = "votable", xml = "votable", fits = "fits",
                     fit = "fits" }
local FORMATS = { "csv", "votable", "fits" }

-- The format asked for, or the one the path's extension names.
local function format_of(fn, path, opts)
  local f = opts.format
  if f ~= nil then
    if f ~= "csv" and f ~= "votable" and f ~= "fits" then
      local hint = O.suggest(tostring(f), FORMATS)
      O.usage(fn, ("option 'format' must be \"csv\", \"votable\" or \"fits\", got %s%s"):format(O.describe(f),
        hint and (" (did you mean '" .. hint .. "'?)") or ""))
    end
    return f
  end
  local ext = path:match("%.([%w]+)$")
  f = ext and EXTENSIONS[ext:lower()]
  if f == nil then
    O.usage(fn, ("cannot tell the format of %s from its %s (known: .csv, .vot, .votable, .xml, .fits, "
      .. ".fit; or give {format = \"csv\" | \"votable\" | \"fits\"})"):format(path,
      ext and ("extension '." .. ext .. "'") or "name (it has no extension)"))
  end
  return f
end

-- mast.fits, which another part of mast provides; a clear error without it.
local function fits(fn)
  local ok, mod = pcall(require, "mast.fits")
  if not ok then O.usage(fn, "FITS files need the module mast.fits, which this build of mast does not have") end
  return mod
end

-- ---- the VOTable writer ----

-- The VOTable datatype of a declared MAST type (nil: decide from the values).
local DATATYPES = { integer = "long", float = "double", boolean = "boolean", string = "char" }

-- A column's VOTable datatype and whether it is a list (arraysize="*"),
-- from its values, for a type mast does not know (e.g. "array").
local function infer(rows, name)
  local ints, nums, bools, lists, other, any = true, true, true, true, false, false
  for _, row in ipairs(rows) do
    local v = row[name]
    if v ~= nil and v ~= NULL then
      any = true
      local mt = mtype(v)
      if mt ~= "integer" then ints = false end
      if mt == nil then nums = false end
      if type(v) ~= "boolean" then bools = false end
      if type(v) == "table" then
        for _, x in ipairs(v) do
          if mtype(x) == nil then lists = false end
        end
      else
        lists = false
      end
      if not (mt or type(v) == "boolean" or type(v) == "table") then other = true end
      if other then break end
    end
  end
  if not any or other then return "char", false end
  if ints then return "long", false end
  if nums then return "double", false end
  if bools then return "boolean", false end
  if lists then
    for _, row in ipairs(rows) do
      local v = row[name]
      if type(v) == "table" then
        for _, x in ipairs(v) do
          if mtype(x) ~= "integer" then return "double", true end
        end
      end
    end
    return "long", true
  end
  return "char", false
end

local ESCAPES = { ["<"] = "&lt;", [">"] = "&gt;", ["&"] = "&amp;", ['"'] = "&quot;", ["\r"] = "&#13;" }

-- s as XML text: escaped, and checked (UTF-8, no character XML 1.0 forbids).
local function xml(s, where)
  if not utf8.len(s) then O.usage("mast.write", where() .. ": the text is not UTF-8") end
  if find(s, "[%z\1-\8\11\12\14-\31]") then
    O.usage("mast.write", where() .. ": the text holds a control character, which XML cannot carry")
  end
  if find(s, '[<>&"\r]') then s = gsub(s, '[<>&"\r]', ESCAPES) end
  return s
end

--- votable_lines(x, emit [, opts]): calls emit(s) with the pieces of x as a
-- VOTable 1.4 document (one TABLE, TABLEDATA). opts.name: the TABLE's name.
local function votable_lines(x, emit, opts)
  opts = opts or {}
  local ds, got = D.of(x)
  if not ds then O.usage("mast.write", ("expected a dataset (a table with fields and data), got %s"):format(got)) end
  local rows = ds.data
  local names, kinds, lists = {}, {}, {}
  emit('<?xml version="1.0" encoding="UTF-8"?>\n'
    .. '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">\n<RESOURCE type="results">\n'
    .. '<INFO name="QUERY_STATUS" value="OK"/>\n')
  local title = opts.name or D.service(x)
  emit(title and ('<TABLE name="' .. xml(title, function() return "the table name" end) .. '">\n') or "<TABLE>\n")
  local columnar = require "mast.columnar"
  for j, f in ipairs(ds.fields) do
    if type(f) ~= "table" or type(f.name) ~= "string" then
      O.usage("mast.write", ("fields[%d] must be {name = <string>, type = <string>}"):format(j))
    end
    local name = f.name
    local function where() return ("the column '%s'"):format(name) end
    local dt = DATATYPES[columnar.kind(f.type)]
    local list = false
    if dt == nil then dt, list = infer(rows, name) end
    names[j], kinds[j], lists[j] = name, dt, list
    local attrs = { ('name="%s" datatype="%s"'):format(xml(name, where), dt) }
    if dt == "char" or list then attrs[#attrs + 1] = 'arraysize="*"' end
    for _, k in ipairs { "unit", "ucd", "utype", "xtype" } do
      if type(f[k]) == "string" then attrs[#attrs + 1] = ('%s="%s"'):format(k, xml(f[k], where)) end
    end
    local inner = {}
    if type(f.description) == "string" then
      inner[#inner + 1] = "<DESCRIPTION>" .. xml(f.description, where) .. "</DESCRIPTION>"
    end
    if dt == "long" and not list then
      -- an int column's nulls are also declared, for readers that need a sentinel
      local has_null, has_min = false, false
      for _, row in ipairs(rows) do
        local v = row[name]
        if v == nil or v == NULL then has_null = true elseif v == math.mininteger then has_min = true end
      end
      if has_null and not has_min then inner[#inner + 1] = '<VALUES null="-9223372036854775808"/>' end
    end
    if #inner == 0 then
      emit("<FIELD " .. concat(attrs, " ") .. "/>\n")
    else
      emit("<FIELD " .. concat(attrs, " ") .. ">" .. concat(inner) .. "</FIELD>\n")
    end
  end
  emit("<DATA><TABLEDATA>\n")
  -- the rows, FLUSH_ROWS at a time, by core.votable_rows (C: once per cell)
  local codes = {}
  for j = 1, #names do codes[j] = lists[j] and "list" or kinds[j] end
  for first = 1, #rows, FLUSH_ROWS do
    local last = math.min(#rows, first + FLUSH_ROWS - 1)
    local text, r, j, what, mismatch = core.votable_rows(rows, names, codes, first, last)
    if text == nil then
      if mismatch then
        O.usage("mast.write", ("row %d, column '%s' (%s): %s is not %s"):format(r, names[j], codes[j],
          O.describe(rows[r][names[j]]), what))
      end
      O.usage("mast.write", ("row %d, column '%s': %s"):format(r, names[j], what))
    end
    emit(text)
  end
  emit("</TABLEDATA></DATA>\n</TABLE>\n</RESOURCE>\n</VOTABLE>\n")
end

--- mast.formats.votable(x [, opts]) -> the VOTable text of a dataset (opts.name: the TABLE's name)
function M.votable(x, opts)
  opts = O.options("mast.formats.votable", opts, { name = V.string })
  local parts = {}
  votable_lines(x, function(s) parts[#parts + 1] = s end, opts)
  return concat(parts)
end

-- ---- by name ----

local WRITE_OPTS = {
  csv = { types = V.boolean, eol = V.string },
  votable = { name = V.string },
}

-- The checked path and options of mast.write/mast.read: the format, and the
-- options that go on to its writer or reader.
local function arguments(fn, path, opts, what)
  if type(path) ~= "string" or path == "" then
    O.usage(fn, ("expected %s, got %s"):format(what, O.describe(path)))
  end
  if opts ~= nil and type(opts) ~= "table" then O.usage(fn, "options must be a table, got " .. O.describe(opts)) end
  opts = opts or {}
  local rest = {}
  for k, v in pairs(opts) do if k ~= "format" then rest[k] = v end end
  return format_of(fn, path, opts), rest
end

--- mast.write(x, path [, opts]) -> the path written
-- opts.format: "csv", "votable" or "fits" (default: from the extension); the
-- other options go to the format's writer (csv: types, eol; votable: name;
-- fits: what mast.fits.write takes).
function M.write(x, path, opts)
  local FN = "mast.write"
  local format, rest = arguments(FN, path, opts, "the path to write to")
  if not D.of(x) then
    O.usage(FN, ("expected a dataset (a table with fields and data), got %s"):format(select(2, D.of(x))))
  end
  if format == "fits" then return fits(FN).write(x, path, rest) end
  O.check(FN, rest, WRITE_OPTS[format])
  if format == "csv" then
    rest.file = path
    local ok, r = pcall(require("mast.csv").json2csv, x, rest)
    if not ok then
      if core.is_error(r) and r.fn == "mast.json2csv" then r.fn = FN end
      error(r, 0)
    end
    return r
  end
  local ok, r = pcall(function()
    local out <close> = core.open_output(path)
    votable_lines(x, function(s) out:write(s) end, rest)
    return out:commit()
  end)
  if not ok then error(O.within(FN, r), 0) end
  return r
end

local READ_OPTS = {
  csv = { types = V.table, type_row = V.boolean, sep = V.string, title = V.string },
  votable = { name = V.string },
  fits = { hdu = function(v)
    if mtype(v) ~= "integer" and type(v) ~= "string" then return "an HDU number or name" end
  end },
}

--- mast.read(path [, opts]) -> a dataset
-- opts.format: "csv", "votable" or "fits" (default: from the extension); the
-- other options go to the reader (csv: types, type_row, sep, title; votable:
-- name, the TABLE to read; fits: hdu).
function M.read(path, opts)
  local FN = "mast.read"
  local format, rest = arguments(FN, path, opts, "the path of a file to read")
  O.check(FN, rest, READ_OPTS[format])
  if format == "fits" then return fits(FN).read(path, rest.hdu) end
  if format == "csv" then return require("mast.csv").read_csv(path, rest) end
  local ok, r = pcall(function()
    return require("mast").votable(core.read_file(path), rest.name)
  end)
  if not ok then
    r = O.within(FN, r)
    if core.is_error(r) and r.path == nil then r.path = path end
    error(r, 0)
  end
  return r
end

return M
