--- mast.ops: table operations on every dataset, written once.
-- Each operation takes any dataset (a mast.Result, a columnar mast.Table, or a
-- raw {fields, data} envelope) and gives a new printable dataset of the same
-- representation: rows stay rows (a Result), a Table stays a Table. Nothing is
-- changed in place; row tables may be shared between the input and the output.
-- Every dataset has them as methods too: r:sort("mag") is mast.ops.sort(r, "mag").
-- Nulls (mast.null) order after every value and are skipped by aggregates.
local core = require "mast.core"
local O = require "mast.options"
local dataset = require "mast.dataset"

local M = { _NAME = "mast.ops" }

local NULL = core.null
local usage = O.usage

-- ---------------------------------------------------------------- the frame
-- The one view of a dataset every operation works on: names, types, n, the
-- column of a name (an array of n values, nulls as mast.null), the rows.

local Frame = {}
Frame.__index = Frame

local function frame(fn, x)
  local f = setmetatable({ src = x, cols = {} }, Frame)
  if dataset.is_table(x) then
    f.kind, f.n = "table", rawget(x, "n")
    f.names, f.types, f.kinds = rawget(x, "columns"), rawget(x, "types"), rawget(x, "kinds")
    f.cols = rawget(x, "data")
  else
    local env = dataset.of(x)
    if env == nil then
      usage(fn, "expected a dataset (a mast.Result, a mast.Table or {fields = ..., data = ...}), got "
        .. O.describe(x))
    end
    f.kind, f.n, f.data = "rows", #env.data, env.data
    f.names, f.types = {}, {}
    for i, fd in ipairs(env.fields) do f.names[i], f.types[i] = fd.name, fd.type end
    f.paging = env.paging
  end
  f.index = {}
  for i, name in ipairs(f.names) do f.index[name] = i end
  return f
end

-- The known name of `name`, else a usage error naming the nearest one.
function Frame:need(fn, name, what)
  if type(name) ~= "string" or not self.index[name] then
    local hint = O.suggest(name, self.names)
    usage(fn, ("no column %s%s (%s)"):format(O.describe(name), what and (" in " .. what) or "",
      hint and ("did you mean '" .. hint .. "'?") or ("columns: " .. table.concat(self.names, ", "))))
  end
  return name
end

function Frame:col(name)
  local c = self.cols[name]
  if c == nil then
    c = core.pluck(self.data, name, self.n)
    self.cols[name] = c
  end
  return c
end

function Frame:type_of(name) return self.types[self.index[name]] end

-- The rows as {name = value} tables (the rows themselves for a row dataset).
function Frame:rows()
  if self.kind == "rows" then return self.data end
  local rows = {}
  for i = 1, self.n do rows[i] = self.src:row(i) end
  return rows
end

-- A dataset like f's (same representation, same service) of these rows.
local function of_rows(f, rows, names, types, keep_paging)
  local fields = {}
  for i, name in ipairs(names) do fields[i] = { name = name, type = types[i] } end
  local r = dataset.result(rows, core.array(fields), dataset.service(f.src))
  if keep_paging and type(f.paging) == "table" then
    local p = {}
    for k, v in pairs(f.paging) do p[k] = v end
    r.paging = p
  end
  return r
end

-- A dataset like f's of these column arrays (each of n values).
local function build(f, names, types, cols, n, keep_paging, kinds)
  if f.kind == "table" then
    return require("mast.columnar").from_columns(names, types, cols, n, kinds)
  end
  local rows = {}
  for i = 1, n do rows[i] = {} end
  for _, name in ipairs(names) do
    local c = cols[name]
    for i = 1, n do rows[i][name] = c[i] end
  end
  return of_rows(f, rows, names, types, keep_paging)
end

-- The kinds of f's columns `names` (a Table's own), or nil.
local function kinds_of(f, names)
  if not f.kinds then return nil end
  local k = {}
  for i, name in ipairs(names) do k[i] = f.kinds[f.index[name]] end
  return k
end

-- f's rows at the row numbers idx, every column.
local function take(f, idx, keep_paging)
  if f.kind == "rows" then return of_rows(f, core.take(f.data, idx), f.names, f.types, keep_paging) end
  local cols = {}
  for _, name in ipairs(f.names) do cols[name] = core.take(f.cols[name], idx) end
  return build(f, f.names, f.types, cols, #idx, keep_paging, f.kinds)
end

local function names_arg(fn, v, what)
  v = O.list_of(v)
  if type(v) ~= "table" or #v == 0 then
    usage(fn, ("%s must be a column name, a comma-separated string of them or a list, got %s")
      :format(what, O.describe(v)))
  end
  return v
end

-- ---------------------------------------------------------------- columns

--- select(x, columns [, rename]) -> only these columns, in this order, renamed by rename = {old = new}.
function M.select(x, columns, rename)
  local fn = "mast.ops.select"
  local f = frame(fn, x)
  columns = names_arg(fn, columns, "columns")
  if rename ~= nil and type(rename) ~= "table" then usage(fn, "rename must be a table {old = new, ...}") end
  rename = rename or {}
  for old in pairs(rename) do f:need(fn, old) end
  local names, types, cols, seen = {}, {}, {}, {}
  for i, c in ipairs(columns) do
    f:need(fn, c)
    local new = rename[c] or c
    if type(new) ~= "string" or new == "" then usage(fn, ("the new name of '%s' must be a string"):format(c)) end
    if seen[new] then usage(fn, ("the column '%s' would appear twice"):format(new)) end
    seen[new] = true
    names[i], types[i], cols[new] = new, f:type_of(c), f:col(c)
  end
  return build(f, names, types, cols, f.n, true, kinds_of(f, columns))
end

--- rename(x, map) -> every column, those in map = {old = new} renamed.
function M.rename(x, map)
  local fn = "mast.ops.rename"
  local f = frame(fn, x)
  if type(map) ~= "table" then usage(fn, "expected a table {old = new, ...}, got " .. O.describe(map)) end
  return M.select(x, f.names, map)
end

-- The type of a computed column's values.
local function type_of_values(vals, n)
  local t
  for i = 1, n do
    local v = vals[i]
    if v ~= nil and v ~= NULL then
      local k = math.type(v) == "integer" and "int" or math.type(v) == "float" and "float"
        or type(v) == "boolean" and "boolean" or "string"
      if t == nil then t = k
      elseif t ~= k then
        if (t == "int" and k == "float") or (t == "float" and k == "int") then t = "float" else return "string" end
      end
    end
  end
  return t or "string"
end

--- add_column(x, name, fn(row, i) | array) -> x with the column `name` (replaced if it exists).
function M.add_column(x, name, values)
  local fn = "mast.ops.add_column"
  local f = frame(fn, x)
  if type(name) ~= "string" or name == "" then usage(fn, "the column name must be a non-empty string") end
  local col = {}
  if type(values) == "function" then
    local rows = f:rows()
    for i = 1, f.n do
      local v = values(rows[i], i)
      if v == nil then v = NULL end
      col[i] = v
    end
  elseif type(values) == "table" then
    if #values ~= f.n then
      usage(fn, ("the array for '%s' has %d values; the dataset has %d rows"):format(name, #values, f.n))
    end
    for i = 1, f.n do col[i] = values[i] end
  else
    usage(fn, "values must be a function(row, i) or an array, got " .. O.describe(values))
  end
  local names, types, cols = {}, {}, {}
  for i, c in ipairs(f.names) do names[i], types[i], cols[c] = c, f.types[i], f:col(c) end
  local at = f.index[name] or #names + 1
  names[at], types[at], cols[name] = name, type_of_values(col, f.n), col
  local kinds
  if f.kinds then
    kinds = {}
    for i = 1, #names do kinds[i] = f.kinds[i] end
    kinds[at] = require("mast.columnar").kind(types[at])
  end
  return build(f, names, types, cols, f.n, true, kinds)
end

-- ---------------------------------------------------------------- rows

--- where(x, predicate | criteria) -> the rows for which predicate(row, i) is true, or
-- that match criteria as mast.filter_products takes them ({col = value | list | "!x" | ">=2" |
-- "1..3" | "a*" | function(value, row)}).
function M.where(x, test)
  local fn = "mast.ops.where"
  local f = frame(fn, x)
  if type(test) == "table" then
    test = require("mast.products").matcher(fn, test, f.names, true, "column", "the columns are")
  elseif type(test) ~= "function" then
    usage(fn, "expected a function(row) or a table of criteria, got " .. O.describe(test))
  end
  local rows, idx = f:rows(), {}
  for i = 1, f.n do
    if test(rows[i], i) then idx[#idx + 1] = i end
  end
  return take(f, idx)
end

-- Key specs: "mag", "mag desc", "a, b desc", {"a", {"b", "desc"}}.
local function sort_keys(fn, f, keys, dir)
  if dir ~= nil and dir ~= "asc" and dir ~= "desc" then
    usage(fn, "the direction must be 'asc' or 'desc', got " .. O.describe(dir))
  end
  local list = {}
  local function add(name, d)
    d = d or dir or "asc"
    if d ~= "asc" and d ~= "desc" then
      usage(fn, ("the direction of '%s' must be 'asc' or 'desc', got %s"):format(tostring(name), O.describe(d)))
    end
    list[#list + 1] = { f:need(fn, name), d == "desc" }
  end
  local function one(k)
    if type(k) == "string" then
      for piece in k:gmatch("[^,]+") do
        local name, d = piece:match("^%s*(.-)%s+(%a+)%s*$")
        if name and (d == "asc" or d == "desc") then add(name, d) else add(piece:match("^%s*(.-)%s*$")) end
      end
    elseif type(k) == "table" and #k >= 1 then
      add(k[1], k[2])
    else
      usage(fn, "a sort key must be a column name or {name, 'asc'|'desc'}, got " .. O.describe(k))
    end
  end
  if type(keys) == "table" and type(keys[1]) == "string" and (keys[2] == "asc" or keys[2] == "desc")
     and #keys == 2 then
    one(keys)   -- {"mag", "desc"}: one key with its direction
  elseif type(keys) == "table" then
    if #keys == 0 then usage(fn, "no sort keys given") end
    for _, k in ipairs(keys) do one(k) end
  else
    one(keys)
  end
  return list
end

--- sort(x, keys [, dir]) -> the rows in order of the keys (stable; nulls last either way).
function M.sort(x, keys, dir)
  local fn = "mast.ops.sort"
  local f = frame(fn, x)
  local cols, desc = {}, {}
  for i, k in ipairs(sort_keys(fn, f, keys, dir)) do cols[i], desc[i] = f:col(k[1]), k[2] end
  -- argsort puts the columns (or the rows) in order itself: no index table
  if f.kind == "rows" then
    return of_rows(f, core.argsort(cols, desc, f.n, { f.data })[1], f.names, f.types, true)
  end
  local arrays = {}
  for i, name in ipairs(f.names) do arrays[i] = f.cols[name] end
  local sorted, out = core.argsort(cols, desc, f.n, arrays), {}
  for i, name in ipairs(f.names) do out[name] = sorted[i] end
  return build(f, f.names, f.types, out, f.n, true, f.kinds)
end

local function count_arg(fn, n, what)
  if math.type(n) ~= "integer" then usage(fn, ("%s must be a whole number, got %s"):format(what, O.describe(n))) end
  return n
end

local function range(f, i, j)
  local idx = {}
  for r = i, j do idx[#idx + 1] = r end
  return take(f, idx)
end

--- head(x [, n]) -> the first n rows (10 by default).
function M.head(x, n)
  local fn = "mast.ops.head"
  local f = frame(fn, x)
  n = count_arg(fn, n == nil and 10 or n, "n")
  return range(f, 1, math.min(math.max(n, 0), f.n))
end

--- tail(x [, n]) -> the last n rows (10 by default).
function M.tail(x, n)
  local fn = "mast.ops.tail"
  local f = frame(fn, x)
  n = count_arg(fn, n == nil and 10 or n, "n")
  return range(f, math.max(f.n - math.max(n, 0) + 1, 1), f.n)
end

--- slice(x, i [, j]) -> rows i to j (as string.sub counts: negative from the end).
function M.slice(x, i, j)
  local fn = "mast.ops.slice"
  local f = frame(fn, x)
  i = count_arg(fn, i, "i")
  j = count_arg(fn, j == nil and -1 or j, "j")
  if i < 0 then i = f.n + i + 1 end
  if j < 0 then j = f.n + j + 1 end
  return range(f, math.max(i, 1), math.min(j, f.n))
end

-- ---------------------------------------------------------------- groups

local NAN_KEY = {}   -- NaN cannot be a table key; all NaN group together

-- Group numbers: gid[i] of each row by the values of cols, and the first row of each group.
local function groups(cols, n)
  local root, gid, first = {}, {}, {}
  local k = #cols
  for i = 1, n do
    local node = root
    for c = 1, k - 1 do
      local v = cols[c][i]
      if v ~= v then v = NAN_KEY end
      local nxt = node[v]
      if nxt == nil then nxt = {} node[v] = nxt end
      node = nxt
    end
    local v = cols[k][i]
    if v ~= v then v = NAN_KEY end
    local g = node[v]
    if g == nil then
      g = #first + 1
      first[g] = i
      node[v] = g
    end
    gid[i] = g
  end
  return gid, first
end

local function key_cols(fn, f, columns)
  local names, cols
  cols = {}
  if columns == nil then
    names = f.names
  else
    names = names_arg(fn, columns, "columns")
  end
  for i, c in ipairs(names) do cols[i] = f:col(f:need(fn, c)) end
  return names, cols
end

--- unique(x [, columns]) -> the first row of each distinct combination of columns (all by default).
function M.unique(x, columns)
  local fn = "mast.ops.unique"
  local f = frame(fn, x)
  local _, cols = key_cols(fn, f, columns)
  if f.n == 0 or #cols == 0 then return take(f, {}) end
  local _, first = groups(cols, f.n)
  return take(f, first)
end

local function present(v) return v ~= nil and v ~= NULL and v == v end

local AGG = {}
function AGG.count(vals) return #vals end
function AGG.sum(vals)
  local s = 0
  for _, v in ipairs(vals) do s = s + v end
  return s
end
function AGG.min(vals)
  local m = vals[1]
  for i = 2, #vals do if vals[i] < m then m = vals[i] end end
  return m == nil and NULL or m
end
function AGG.max(vals)
  local m = vals[1]
  for i = 2, #vals do if vals[i] > m then m = vals[i] end end
  return m == nil and NULL or m
end
function AGG.mean(vals)
  if #vals == 0 then return NULL end
  return AGG.sum(vals) / #vals
end
function AGG.median(vals)
  local n = #vals
  if n == 0 then return NULL end
  local s = table.move(vals, 1, n, 1, {})
  table.sort(s)
  if n % 2 == 1 then return s[(n + 1) // 2] + 0.0 end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end
-- the sample standard deviation (n - 1), as astropy's and numpy's ddof=1
function AGG.std(vals)
  local n = #vals
  if n < 2 then return NULL end
  local mean, ss = AGG.mean(vals), 0.0
  for _, v in ipairs(vals) do ss = ss + (v - mean) ^ 2 end
  return math.sqrt(ss / (n - 1))
end
local NUMERIC = { sum = true, mean = true, median = true, std = true }

local Grouped = { __name = "mast.Grouped" }
Grouped.__index = Grouped
Grouped.__tostring = function(g)
  return ("mast.Grouped: %d groups by %s (:agg{...} makes a dataset of them)")
    :format(#g.first, table.concat(g.by, ", "))
end

--- group_by(x, columns) -> groups, whose :agg{out = "count" | {"sum", col} | {fn, col}, ...}
-- is a dataset of one row per group (in order of first appearance).
function M.group_by(x, columns)
  local fn = "mast.ops.group_by"
  local f = frame(fn, x)
  if columns == nil then usage(fn, "which columns to group by?") end
  local by, cols = key_cols(fn, f, columns)
  local gid, first = {}, {}
  if f.n > 0 then gid, first = groups(cols, f.n) end
  return setmetatable({ f = f, by = by, gid = gid, first = first }, Grouped)
end

--- g:agg(spec) -> a dataset: the group columns, then one column per aggregate.
function Grouped:agg(spec)
  local fn = "mast.Grouped:agg"
  local f = self.f
  if type(spec) ~= "table" then usage(fn, "expected a table {name = 'count' | {'sum', column}, ...}") end
  local items = {}
  for _, it in ipairs(spec) do
    if type(it) ~= "table" or type(it[1]) ~= "string" then
      usage(fn, "a listed aggregate must be {name, 'count' | 'sum' | ..., column}")
    end
    items[#items + 1] = { it[1], it[2], it[3] }
  end
  local named = {}
  for k in pairs(spec) do if type(k) == "string" then named[#named + 1] = k end end
  table.sort(named)
  for _, k in ipairs(named) do
    local v = spec[k]
    if type(v) == "table" then items[#items + 1] = { k, v[1], v[2] } else items[#items + 1] = { k, v } end
  end
  local names, types, cols = {}, {}, {}
  local ng = #self.first
  for i, c in ipairs(self.by) do
    names[i], types[i] = c, f:type_of(c)
    cols[c] = core.take(f:col(c), self.first)
  end
  for _, it in ipairs(items) do
    local out, how, src = it[1], it[2], it[3]
    local agg = type(how) == "function" and how or AGG[how]
    if not agg then
      local hint = O.suggest(how, { "count", "sum", "min", "max", "mean", "median", "std" })
      usage(fn, ("%s: unknown aggregate %s (%s)"):format(out, O.describe(how),
        hint and ("did you mean '" .. hint .. "'?") or "count, sum, min, max, mean, median, std or a function"))
    end
    if cols[out] then usage(fn, ("the column '%s' would appear twice"):format(out)) end
    local per = {}
    for g = 1, ng do per[g] = {} end
    if src == nil then
      if how ~= "count" then
        usage(fn, ("%s: %s needs a column, e.g. {'%s', 'mag'}"):format(out, tostring(how), tostring(how)))
      end
      for i = 1, f.n do local p = per[self.gid[i]] p[#p + 1] = true end
    else
      local col = f:col(f:need(fn, src))
      for i = 1, f.n do
        local v = col[i]
        if present(v) then
          if NUMERIC[how] and type(v) ~= "number" then
            usage(fn, ("%s: %s of '%s' needs numbers, row %d has %s"):format(out, how, src, i, O.describe(v)))
          end
          local p = per[self.gid[i]]
          p[#p + 1] = v
        end
      end
    end
    local vals = {}
    for g = 1, ng do
      local ok, v = pcall(agg, per[g])
      if not ok then usage(fn, ("%s: %s"):format(out, tostring(v))) end
      if v == nil then v = NULL end
      vals[g] = v
    end
    names[#names + 1], cols[out] = out, vals
    if how == "count" then types[#names] = "int"
    elseif how == "min" or how == "max" then types[#names] = f:type_of(src)
    elseif how == "sum" and f:type_of(src) == "float" then
      -- a float column's sum is a float, even when MAST sent its values as integral numbers
      for g = 1, ng do if math.type(vals[g]) == "integer" then vals[g] = vals[g] + 0.0 end end
      types[#names] = "float"
    elseif how == "sum" then types[#names] = type_of_values(vals, ng)
    elseif type(how) == "function" then types[#names] = type_of_values(vals, ng)
    else types[#names] = "float" end
  end
  return build(f, names, types, cols, ng, false)
end

-- ---------------------------------------------------------------- join

--- join(x, other, {on = "obsid" | {"a", "b"}, how = "inner" | "left", suffix = "_2"}) -> x's
-- columns then other's (without the keys; a name x has too gets the suffix), one row per match.
function M.join(x, other, opts)
  local fn = "mast.ops.join"
  local f = frame(fn, x)
  local g = frame(fn, other)
  opts = O.options(fn, opts, {
    on = function(v) if O.validators.columns(v) then return "a column name or a list of them" end end,
    how = function(v) if v ~= "inner" and v ~= "left" then return "'inner' or 'left'" end end,
    suffix = O.validators.string })
  if opts.on == nil then usage(fn, "which columns to join on? (on = 'obsid' or on = {'a', 'b'})") end
  local on = names_arg(fn, opts.on, "on")
  local how, suffix = opts.how or "inner", opts.suffix or "_2"
  local lk, rk, is_key = {}, {}, {}
  for i, c in ipairs(on) do
    lk[i] = f:col(f:need(fn, c, "the left dataset"))
    rk[i] = g:col(g:need(fn, c, "the right dataset"))
    is_key[c] = true
  end
  -- the row pairs, by a hash in C (keys compare exactly: 64-bit ids, digit strings as integers)
  local li, ri = core.join_index(lk, f.n, rk, g.n, how == "left")
  local m = #li
  local names, types, cols, kinds = {}, {}, {}, (f.kinds and g.kinds) and {} or nil
  for i, c in ipairs(f.names) do
    names[i], types[i], cols[c] = c, f.types[i], core.take(f:col(c), li)
    if kinds then kinds[i] = f.kinds[i] end
  end
  for i, c in ipairs(g.names) do
    if not is_key[c] then
      local out = c
      if cols[out] then out = c .. suffix end
      if cols[out] then usage(fn, ("the column '%s' would appear twice (choose another suffix)"):format(out)) end
      names[#names + 1], types[#names + 1], cols[out] = out, g.types[i], core.take(g:col(c), ri)
      if kinds then kinds[#names] = g.kinds[i] end
    end
  end
  return build(f, names, types, cols, m, false, kinds)
end

-- ---------------------------------------------------------------- stack

local function reconcile(a, b)
  if a == b or b == nil then return a end
  if a == nil then return b end
  local num = { int = true, float = true, long = true, double = true }
  if num[a] and num[b] then return "float" end
  return "string"
end

--- stack(list) or stack(x, y, ...) -> one dataset of every row in order; the fields united
-- (a column missing from one is null there; an int column meeting a float one is float);
-- paging counts summed (rowsFiltered, rowsTotal: what MAST holds for all of them).
function M.stack(first, ...)
  local fn = "mast.stack"
  local list = (dataset.of(first) == nil and type(first) == "table") and first or { first, ... }
  if #list == 0 then usage(fn, "expected a list of datasets") end
  local frames = {}
  for i, x in ipairs(list) do
    local ok, f = pcall(frame, fn, x)
    if not ok then usage(fn, ("item %d is not a dataset (%s)"):format(i, O.describe(x))) end
    frames[i] = f
  end
  local names, types, at = {}, {}, {}
  for _, f in ipairs(frames) do
    for i, c in ipairs(f.names) do
      if not at[c] then names[#names + 1] = c at[c] = #names end
      types[at[c]] = reconcile(types[at[c]], f.types[i])
    end
  end
  local head = frames[1]
  local total, filtered, grand = 0, 0, 0
  for _, f in ipairs(frames) do
    local p = f.paging or {}
    total = total + f.n
    filtered = filtered + (math.type(p.rowsFiltered) == "integer" and p.rowsFiltered or f.n)
    grand = grand + (math.type(p.rowsTotal) == "integer" and p.rowsTotal or f.n)
  end
  if head.kind == "table" then
    local cols = {}
    for _, c in ipairs(names) do
      local col, n = {}, 0
      for _, f in ipairs(frames) do
        if f.index[c] then table.move(f:col(c), 1, f.n, n + 1, col)
        else for i = n + 1, n + f.n do col[i] = NULL end end
        n = n + f.n
      end
      cols[c] = col
    end
    return build(head, names, types, cols, total)
  end
  local rows = {}
  for _, f in ipairs(frames) do
    local missing = {}
    for _, c in ipairs(names) do if not f.index[c] then missing[#missing + 1] = c end end
    local src = f:rows()
    if #missing == 0 then
      table.move(src, 1, f.n, #rows + 1, rows)
    else
      for i = 1, f.n do
        local r = {}
        for k, v in pairs(src[i]) do r[k] = v end
        for _, c in ipairs(missing) do r[c] = NULL end
        rows[#rows + 1] = r
      end
    end
  end
  local r = of_rows(head, rows, names, types)
  r.paging.rowsFiltered, r.paging.rowsTotal = filtered, grand
  return r
end

-- ---------------------------------------------------------------- stats

--- stats(x) -> a dataset with one row per column: column, type, count, nulls, min, max,
-- mean, std (numbers), unique (strings: how many distinct values). min and max
-- are typed as the columns they summarise: an integer type when every
-- numeric column is an integer one (their type when they share it, else
-- "long"), so a write of the stats keeps int64 values exact; "float" when a
-- float column is among them; "string" when a string column is.
function M.stats(x)
  local fn = "mast.ops.stats"
  local f = frame(fn, x)
  local S = { "column", "type", "count", "nulls", "min", "max", "mean", "std", "unique" }
  local cols = {}
  for _, s in ipairs(S) do cols[s] = {} end
  local all_numeric, all_integer, int_type = true, true, nil
  local kind_of = require("mast.columnar").kind
  for r, c in ipairs(f.names) do
    local col, vals, nulls, strings, distinct, nd = f:col(c), {}, 0, true, {}, 0
    for i = 1, f.n do
      local v = col[i]
      if present(v) then
        vals[#vals + 1] = v
        if type(v) ~= "string" then strings = false
        elseif not distinct[v] then distinct[v] = true nd = nd + 1 end
      else
        nulls = nulls + 1
      end
    end
    local numeric = #vals > 0
    for _, v in ipairs(vals) do if type(v) ~= "number" then numeric = false break end end
    local lo, hi = NULL, NULL
    if numeric or (strings and #vals > 0) then lo, hi = AGG.min(vals), AGG.max(vals) end
    if strings and #vals > 0 then all_numeric = false end
    if numeric then
      -- an integer column's extremes are integers; anything else makes min and max float
      local declared = f.types[r]
      local known = kind_of(declared)
      if (known == "integer" or known == "any") and math.type(lo) == "integer" and math.type(hi) == "integer" then
        local t = known == "integer" and declared or "long"
        if int_type == nil then int_type = t elseif int_type ~= t then int_type = "long" end
      else
        all_integer = false
      end
    end
    cols.column[r], cols.type[r], cols.count[r], cols.nulls[r] = c, f.types[r] or NULL, #vals, nulls
    cols.min[r], cols.max[r] = lo, hi
    cols.mean[r] = numeric and AGG.mean(vals) or NULL
    cols.std[r] = numeric and AGG.std(vals) or NULL
    cols.unique[r] = (strings and #vals > 0) and nd or NULL
  end
  local mm = not all_numeric and "string" or (all_integer and int_type) or "float"
  local types = { "string", "string", "int", "int", mm, mm, "float", "float", "int" }
  local out = build(f, S, types, cols, #f.names, false)
  return out
end

return M
