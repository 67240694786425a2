--- mast.pretty: readable text for results and tables (used by the REPL).
local M = {}
local number_text = require("mast.options").number_text

local NULL_TEXT = "null"

-- JSON null is a light userdata NULL (the same value as cjson.null). Only
-- look at mast.core if it is loaded: printing must not load libcurl.
local function is_lightnull(v)
  if type(v) ~= "userdata" then return false end
  local core = package.loaded["mast.core"]
  if core then return v == core.null end
  return tostring(v) == "userdata: (nil)"
end

--- The text of one grid cell: at most max characters (24), cut with a visible "…".
function M.cell(v, max)
  local s
  if v == nil or is_lightnull(v) then
    s = NULL_TEXT
  elseif math.type(v) == "float" then
    s = ("%.10g"):format(v)
  elseif type(v) == "string" then
    s = v:gsub("[%c]", " ")
  else
    s = tostring(v)
  end
  max = max or 24
  if utf8.len(s) and utf8.len(s) > max then
    s = s:sub(1, utf8.offset(s, math.max(max, 1)) - 1) .. "…"
  elseif #s > max and not utf8.len(s) then
    s = s:sub(1, math.max(max - 1, 0)) .. "…"
  end
  return s
end

--- Whether a column holds identifiers or file names, shown in full because a
-- cut one is useless (obs_id, obsid, productFilename, dataURI, *_id, ...).
function M.is_id_column(name)
  local n = tostring(name):lower()
  return n == "id" or n:match("_id$") ~= nil or n:match("obsid$") ~= nil or n:match("objid$") ~= nil
    or n:match("uri$") ~= nil or n:match("url$") ~= nil or n:match("filename$") ~= nil
    or n == "obs_id" or n == "target_name"
end

local function width_of(s)
  return utf8.len(s) or #s
end

local function pad(s, w, right)
  local n = w - width_of(s)
  if n <= 0 then return s end
  return right and (string.rep(" ", n) .. s) or (s .. string.rep(" ", n))
end

--- The terminal's width: what the terminal itself says (mast.core asks it with
-- ioctl), else $COLUMNS (shells seldom export it), else 120.
function M.terminal_width()
  local core = package.loaded["mast.core"]
  local w = core and core.terminal_width and core.terminal_width()
  if math.type(w) == "integer" and w >= 20 then return w end
  local c = tonumber(os.getenv("COLUMNS") or "")
  return (c and c >= 20) and math.floor(c) or 120
end

-- text over lines of at most width characters, broken after ", " or at spaces.
local function wrap(text, width)
  local lines, line = {}, ""
  for word in text:gmatch("%S+") do
    if line ~= "" and width_of(line) + 1 + width_of(word) > width then
      lines[#lines + 1] = line
      line = word
    else
      line = line == "" and word or (line .. " " .. word)
    end
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

--- An aligned grid of a MAST result's first rows, with the row count and columns.
-- opts: rows (10), width (terminal), title, cell (max cell width, 24; id-like
-- columns in full), columns (the names to show, in that order).
function M.grid(r, opts)
  opts = opts or {}
  local maxrows = opts.rows or 10
  local width = opts.width or M.terminal_width()
  local fields = type(r.fields) == "table" and r.fields or {}
  local all_fields = fields
  if opts.columns then
    local by_name, chosen = {}, {}
    for _, f in ipairs(fields) do by_name[f.name] = f end
    for _, name in ipairs(opts.columns) do chosen[#chosen + 1] = by_name[name] or { name = name, type = "?" } end
    fields = chosen
  end
  local data = type(r.data) == "table" and r.data or {}
  local nrows, ncols = #data, #fields
  local out = {}
  local head = ("%d row%s, %d column%s"):format(nrows, nrows == 1 and "" or "s",
    ncols, ncols == 1 and "" or "s")
  local pg = r.paging
  if type(pg) == "table" and math.type(pg.rowsFiltered) == "integer" and pg.rowsFiltered > nrows then
    head = head .. (" (page %s of %s; %d rows in all)"):format(tostring(pg.page),
      tostring(pg.pagesFiltered), pg.rowsFiltered)
  end
  if nrows > maxrows then head = head .. (", first %d shown"):format(maxrows) end
  out[1] = (opts.title and (opts.title .. ": ") or "") .. head
  if ncols == 0 then return table.concat(out, "\n") end

  -- which columns fit across the screen
  local cols, used = {}, 0
  for i, f in ipairs(fields) do
    local name = tostring(f.name)
    local max = M.is_id_column(name) and math.huge or opts.cell
    local w = width_of(M.cell(name, max))
    local numeric = true
    for j = 1, math.min(nrows, maxrows) do
      local v = data[j][f.name]
      local c = M.cell(v, max)
      if width_of(c) > w then w = width_of(c) end
      if type(v) ~= "number" and not (v == nil or is_lightnull(v)) then numeric = false end
    end
    if used + w + (#cols > 0 and 2 or 0) > width and #cols > 0 then break end
    if w > width then w, max = width, width - 1 end   -- one column wider than the screen: cut it
    used = used + w + (#cols > 0 and 2 or 0)
    cols[#cols + 1] = { name = f.name, w = w, right = numeric, index = i, max = max }
  end

  local line, rule = {}, {}
  for _, c in ipairs(cols) do
    line[#line + 1] = pad(M.cell(tostring(c.name), c.max), c.w, c.right)
    rule[#rule + 1] = string.rep("-", c.w)
  end
  out[#out + 1] = table.concat(line, "  ")
  out[#out + 1] = table.concat(rule, "  ")
  for j = 1, math.min(nrows, maxrows) do
    line = {}
    for _, c in ipairs(cols) do line[#line + 1] = pad(M.cell(data[j][c.name], c.max), c.w, c.right) end
    out[#out + 1] = table.concat(line, "  ")
  end
  if nrows > maxrows then out[#out + 1] = ("… %d more rows"):format(nrows - maxrows) end
  local names = {}
  for _, f in ipairs(all_fields) do names[#names + 1] = ("%s (%s)"):format(tostring(f.name), tostring(f.type)) end
  local list
  if #cols < ncols then
    list = ("%d more columns not shown. Columns: %s"):format(ncols - #cols, table.concat(names, ", "))
  else
    list = "Columns: " .. table.concat(names, ", ")
  end
  -- a width asked for is kept by every line; at the terminal, it wraps the long list itself
  out[#out + 1] = opts.width and wrap(list, width) or list
  if opts.width then out[1] = wrap(out[1], width) end
  return table.concat(out, "\n")
end

do
  local O = require "mast.options"
  local V = O.validators
  local SHOW = { columns = V.columns, rows = V.posint, width = V.posint, cell = V.posint }
  O.declare("Result:show", SHOW)
  O.declare("Table:show", SHOW)
end

--- r:show{columns = {...}, rows = n, width = w} (a Result's or a Table's): the
-- grid of exactly those columns and rows, no line wider than w; a string.
function M.show(fn, dataset, opts, title)
  local O = require "mast.options"
  opts = O.options(fn, opts, O.declared[fn])
  local columns = opts.columns
  if type(columns) == "string" then columns = columns ~= "*" and O.list_of(columns) or nil end
  if columns then
    local known = {}
    for _, f in ipairs(dataset.fields or {}) do known[#known + 1] = f.name end
    for _, c in ipairs(columns) do
      local found = false
      for _, k in ipairs(known) do if k == c then found = true end end
      if not found then
        local hint = O.suggest(c, known)
        O.usage(fn, ("no column '%s' (%s)"):format(c, hint and ("did you mean '" .. hint .. "'?")
          or ("columns: " .. table.concat(known, ", "))))
      end
    end
  end
  return M.grid(dataset, { columns = columns, rows = opts.rows, width = opts.width, cell = opts.cell,
                           title = title })
end

local function key_text(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return k end
  if type(k) == "string" then return ("[%q]"):format(k) end
  return "[" .. tostring(k) .. "]"
end

-- A float as options.number_text writes it, with ".0" when it looks like an integer.
local function float_text(v)
  local s = number_text(v)
  if not s:find("[.eEn]") then s = s .. ".0" end
  return s
end
M.float_text = float_text

local function scalar(v)
  if type(v) == "string" then return (("%q"):format(v):gsub("\\\n", "\\n")) end
  if is_lightnull(v) then return NULL_TEXT end
  if math.type(v) == "float" then return float_text(v) end
  return tostring(v)
end

--- Readable text for any value: tables over several lines, sorted keys,
-- at most `depth` levels (3) and `items` entries per table (50).
function M.format(v, opts)
  opts = opts or {}
  local maxdepth, maxitems = opts.depth or 3, opts.items or 50
  local seen = {}
  local function fmt(x, indent, depth)
    if type(x) ~= "table" then return scalar(x) end
    local mt = getmetatable(x)
    if mt and mt.__name == "mast.Result" then
      return depth == 0 and tostring(x) or ("<mast.Result: %d rows>"):format(#(x.data or {}))
    end
    if mt and mt.__tostring and mt.__name ~= "mast.array" and mt.__name ~= "mast.object" then
      return tostring(x)
    end
    if seen[x] then return "<cycle>" end
    if next(x) == nil then
      return (mt and mt.__name == "mast.array") and "[]" or "{}"
    end
    if depth >= maxdepth then return ("{...} (%d entries)"):format(#x > 0 and #x or 0) end
    seen[x] = true
    local n = #x
    local keys = {}
    for k in pairs(x) do
      if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
    end
    table.sort(keys, function(a, b)
      local ta, tb = type(a), type(b)
      if ta ~= tb then return ta < tb end
      if ta == "number" or ta == "string" then return a < b end
      return tostring(a) < tostring(b)
    end)
    local parts, count = {}, 0
    -- short tables of plain values go on one line
    local simple = n + #keys <= 20
    for i = 1, n do if type(x[i]) == "table" then simple = false end end
    for _, k in ipairs(keys) do if type(x[k]) == "table" then simple = false end end
    if simple then
      for i = 1, n do parts[#parts + 1] = scalar(x[i]) end
      for _, k in ipairs(keys) do parts[#parts + 1] = key_text(k) .. " = " .. scalar(x[k]) end
      local s = "{ " .. table.concat(parts, ", ") .. " }"
      if #s + #indent <= 100 then
        seen[x] = nil
        return s
      end
      parts = {}
    end
    local inner = indent .. "  "
    for i = 1, n do
      count = count + 1
      if count > maxitems then break end
      parts[#parts + 1] = inner .. fmt(x[i], inner, depth + 1) .. ","
    end
    for _, k in ipairs(keys) do
      count = count + 1
      if count > maxitems then break end
      parts[#parts + 1] = inner .. key_text(k) .. " = " .. fmt(x[k], inner, depth + 1) .. ","
    end
    if count > maxitems then
      parts[#parts + 1] = inner .. ("... (%d more)"):format(n + #keys - maxitems)
    end
    seen[x] = nil
    return "{\n" .. table.concat(parts, "\n") .. "\n" .. indent .. "}"
  end
  return fmt(v, "", 0)
end

return M
