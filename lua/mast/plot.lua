--- mast.plot: pictures of datasets and images, through cairo, to PNG or SVG.
--   mast.plot.sky(ds, opts)          positions and s_region footprints on the sky
--   mast.plot.lightcurve(ds|path, o) time series with error bars and a binned view
--   mast.plot.image(img, opts)       an image with a stretch, a colour map and a colour bar
--   mast.plot.scatter / line / histogram(ds, opts)   columns
-- Every kind needs opts.file (".png" or ".svg") and returns {file, width,
-- height, kind, format, notes}, whose tostring says where the picture went and
-- whose :pixel(x, y) says where a data point landed (pixels from the top
-- left). Nothing is opened or shown: the REPL prints the result.
-- Drawing is in mast.core (src/bind/plot.c); the file is written through the
-- output capability, so a picture is whole at its path or absent.
local core = require "mast.core"
-- cairo's side of mast.core, loaded only with this module (src/bind/bind.h)
local pcore = require "mast.core_plot"
local O = require "mast.options"
local dataset = require "mast.dataset"

local M = { _NAME = "mast.plot" }

local NULL = core.null
local V = O.validators
local usage = O.usage
local RAD = math.pi / 180
local floor, ceil, abs, log10 = math.floor, math.ceil, math.abs, function(x) return math.log(x, 10) end

local PALETTE = {
  { 0.12, 0.38, 0.71 }, { 0.89, 0.45, 0.13 }, { 0.20, 0.60, 0.25 },
  { 0.80, 0.15, 0.20 }, { 0.50, 0.35, 0.70 }, { 0.55, 0.35, 0.25 },
}

-- ------------------------------------------------------------ validators

local function text(v) if type(v) ~= "string" then return "a string" end end
local function column(v) if type(v) ~= "string" or v == "" then return "a column name" end end
local function columns(v)
  if type(v) == "string" and v ~= "" then return nil end
  if type(v) == "table" and #v > 0 then
    for _, c in ipairs(v) do if type(c) ~= "string" or c == "" then return "a column name or a list of them" end end
    return nil
  end
  return "a column name or a list of them"
end
local function column_or_false(v) if v ~= false then return column(v) end end
local function side(v)
  if math.type(v) ~= "integer" or v < 200 or v > 8000 then return "a whole number of pixels from 200 to 8000" end
end
local function one_of(list)
  local set = {}
  for _, k in ipairs(list) do set[k] = true end
  return function(v)
    if not set[v] then return "one of '" .. table.concat(list, "', '") .. "'" end
  end
end

local COMMON = { file = V.string, title = text, xlabel = text, ylabel = text, width = side, height = side }

local function options(fn, opts, known)
  local all = {}
  for k, v in pairs(COMMON) do all[k] = v end
  for k, v in pairs(known) do all[k] = v end
  opts = O.options(fn, opts, all)
  if opts.file == nil then
    usage(fn, "option 'file' is required: where to write the picture (a path ending in .png or .svg)")
  end
  local ext = (opts.file:match("%.(%w+)$") or ""):lower()
  if ext ~= "png" and ext ~= "svg" then
    usage(fn, ("option 'file' must end in .png or .svg, got %s"):format(O.describe(opts.file)))
  end
  opts.format = ext
  return opts
end

-- ------------------------------------------------------------ datasets

-- What a plot reads from a dataset: its fields, its row count, a column's values.
local function source(fn, data)
  if dataset.is_table(data) then
    local fields, types = {}, rawget(data, "types")
    local units = rawget(data, "units") or {}
    for i, name in ipairs(rawget(data, "columns")) do
      fields[i] = { name = name, type = types[i], unit = units[name] or units[i] }
    end
    return { fields = fields, n = #data, column = function(name) return rawget(data, "data")[name] end }
  end
  local env, what = dataset.of(data)
  if env == nil then
    usage(fn, "expected a dataset (a query result, a mast.Table or {fields = ..., data = ...}), got " .. what)
  end
  local rows = env.data
  return {
    fields = env.fields, n = #rows,
    column = function(name)
      local out = {}
      for i = 1, #rows do
        local v = rows[i][name]
        if v == nil then v = NULL end
        out[i] = v
      end
      return out
    end,
  }
end

-- The field called name (exactly, else ignoring case), or nil.
local function field(src, name)
  local lower = name:lower()
  local found
  for _, f in ipairs(src.fields) do
    if f.name == name then return f end
    if not found and type(f.name) == "string" and f.name:lower() == lower then found = f end
  end
  return found
end

local function names(src)
  local out = {}
  for i, f in ipairs(src.fields) do out[i] = f.name end
  return out
end

-- The field named by option opt (value name), or a usage error naming it.
local function need(fn, src, opt, name)
  local f = field(src, name)
  if f then return f end
  local all = names(src)
  local hint = O.suggest(name, all)
  usage(fn, ("option '%s': no column '%s' (%s)"):format(opt, name,
    hint and ("did you mean '" .. hint .. "'?") or ("columns: " .. table.concat(all, ", "))))
end

local NUMERIC = { float = true, integer = true }

local function is_numeric(src, f)
  local kind = require("mast.columnar").kind(f.type)
  if NUMERIC[kind] then return true end
  if kind ~= "any" then return false end
  for _, v in ipairs(src.column(f.name)) do
    if type(v) == "number" then return true end
    if v ~= NULL then return false end
  end
  return false
end

-- The first `count` numeric fields (or a usage error naming what is missing).
local function numeric_fields(fn, src, count, what)
  local out = {}
  for _, f in ipairs(src.fields) do
    if #out < count and is_numeric(src, f) then out[#out + 1] = f end
  end
  if #out < count then
    usage(fn, ("the dataset has %s numeric column%s for %s (columns: %s)"):format(
      #out == 0 and "no" or ("only " .. #out), #out == 1 and "" or "s", what, table.concat(names(src), ", ")))
  end
  return out
end

-- A finite number, else nil (null, NaN, infinities, strings).
local function finite(v)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then return nil end
  return v
end

local function label_of(f)
  if f.unit and f.unit ~= "" then return ("%s (%s)"):format(f.name, f.unit) end
  return f.name
end

-- ------------------------------------------------------------ ticks

-- The 1, 2 or 5 times a power of ten nearest to x.
local function nicenum(x)
  local e = floor(log10(x))
  local f = x / 10 ^ e
  return (f < 1.5 and 1 or f < 3 and 2 or f < 7 and 5 or 10) * 10 ^ e
end

local function tick_text(v, step)
  if v == 0 then return "0" end
  local a = abs(v)
  if a >= 1e6 or a < 1e-4 then return (("%.3g"):format(v):gsub("e%+?(%-?)0*(%d)", "e%1%2")) end
  local d = math.max(0, -floor(log10(step) + 1e-9))
  return ("%." .. d .. "f"):format(v)
end

--- ticks(lo, hi [, n]) -> {{at = value, label = text}, ...}: about n "nice"
-- values (1, 2 or 5 times a power of ten apart) within [lo, hi].
function M.ticks(lo, hi, n)
  n = n or 6
  if hi <= lo or hi ~= hi or lo ~= lo then
    return { { at = lo, label = tick_text(lo, abs(lo) > 0 and abs(lo) / 10 or 1) } }
  end
  local step = nicenum((hi - lo) / math.max(1, n - 1))
  local out = {}
  local k0, k1 = ceil(lo / step - 1e-9), floor(hi / step + 1e-9)
  for k = k0, k1 do
    local v = k * step
    if abs(v) < step * 1e-9 then v = 0 end
    out[#out + 1] = { at = v, label = tick_text(v, step) }
  end
  return out, step
end

-- Ticks on a log axis: the decades, else 1-2-5 of each decade, else linear ones.
local function log_ticks(lo, hi)
  local out = {}
  for e = ceil(log10(lo) - 1e-9), floor(log10(hi) + 1e-9) do
    out[#out + 1] = { at = 10 ^ e, label = ("%g"):format(10 ^ e) }
  end
  if #out >= 2 then return out end
  out = {}
  for e = floor(log10(lo)), ceil(log10(hi)) do
    for _, m in ipairs({ 1, 2, 5 }) do
      local v = m * 10 ^ e
      if v >= lo * (1 - 1e-9) and v <= hi * (1 + 1e-9) then out[#out + 1] = { at = v, label = ("%g"):format(v) } end
    end
  end
  if #out >= 2 then return out end
  return (M.ticks(lo, hi))
end

-- The range of values with a margin (positive values only on a log axis).
local function limits(lo, hi, log, pad)
  pad = pad or 0.05
  if log then
    local a, b = log10(lo), log10(hi)
    if b - a < 1e-12 then a, b = a - 0.5, b + 0.5 end
    local m = (b - a) * pad
    return 10 ^ (a - m), 10 ^ (b + m)
  end
  if hi - lo <= abs(hi) * 1e-12 then
    local d = lo ~= 0 and abs(lo) * 0.1 or 1
    return lo - d, hi + d
  end
  local m = (hi - lo) * pad
  return lo - m, hi + m
end

-- An axis table t over lo..hi with a margin.
local function axis(lo, hi, log, pad, t)
  t[1], t[2] = limits(lo, hi, log, pad)
  return t
end

-- ------------------------------------------------------------ figures

local Figure = {}
Figure.__index = Figure

local function figure(fn, kind, opts)
  local w, h = opts.width or 800, opts.height or 600
  local f = setmetatable({ fn = fn, kind = kind, opts = opts, w = w, h = h, notes = {},
                           c = pcore.plot_canvas(opts.format, w, h) }, Figure)
  f.font = math.max(9, math.min(w, h) / 46)
  return f
end

-- The plot area: margins for ticks and labels (right: room for a colour bar).
function Figure:area(right)
  local s = self.font
  self.x0, self.x1 = floor(s * 6.5), self.w - floor(s * 1.6) - (right or 0)
  self.y0, self.y1 = floor(self.opts.title and s * 3.2 or s * 1.5), self.h - floor(s * 4.6)
end

function Figure:note(s) self.notes[#self.notes + 1] = s end

-- An axis: value -> pixel, lo..hi onto p0..p1 (linear or log).
local function mapper(lo, hi, p0, p1, log)
  if log then
    local a, b = log10(lo), log10(hi)
    local k = (p1 - p0) / (b - a)
    return function(v) if v <= 0 or v ~= v then return 0 / 0 end return p0 + (log10(v) - a) * k end
  end
  local k = (p1 - p0) / (hi - lo)
  return function(v) return p0 + (v - lo) * k end
end

-- Sets the axes: x = {lo, hi, log =, reversed =, ticks =, label =}, y likewise.
function Figure:axes(x, y)
  self.xa, self.ya = x, y
  if x.reversed then
    self.px = mapper(x[1], x[2], self.x1, self.x0, x.log)
  else
    self.px = mapper(x[1], x[2], self.x0, self.x1, x.log)
  end
  self.py = mapper(y[1], y[2], self.y1, self.y0, y.log)
end

function Figure:map(xs, ys)
  local xy, px, py = {}, self.px, self.py
  for i = 1, #xs do
    xy[2 * i - 1], xy[2 * i] = px(xs[i]), py(ys[i])
  end
  return xy
end

local function color(c, rgb, a) c:rgb(rgb[1], rgb[2], rgb[3], a) end

-- The frame, a light grid, ticks with their labels, the axis labels.
function Figure:frame()
  local c, s = self.c, self.font
  local x, y = self.xa, self.ya
  local nx = math.max(3, floor((self.x1 - self.x0) / (s * 7)))
  local ny = math.max(3, floor((self.y1 - self.y0) / (s * 4)))
  local xt = x.ticks or (x.log and log_ticks(x[1], x[2]) or M.ticks(x[1], x[2], nx))
  local yt = y.ticks or (y.log and log_ticks(y[1], y[2]) or M.ticks(y[1], y[2], ny))
  local grid, marks = {}, {}
  local tl = s * 0.5
  for _, t in ipairs(xt) do
    local p = self.px(t.at)
    if p >= self.x0 - 0.5 and p <= self.x1 + 0.5 then
      grid[#grid + 1], grid[#grid + 2], grid[#grid + 3], grid[#grid + 4] = p, self.y0, p, self.y1
      marks[#marks + 1], marks[#marks + 2], marks[#marks + 3], marks[#marks + 4] = p, self.y1, p, self.y1 - tl
      t.p = p
    end
  end
  for _, t in ipairs(yt) do
    local p = self.py(t.at)
    if p >= self.y0 - 0.5 and p <= self.y1 + 0.5 then
      grid[#grid + 1], grid[#grid + 2], grid[#grid + 3], grid[#grid + 4] = self.x0, p, self.x1, p
      marks[#marks + 1], marks[#marks + 2], marks[#marks + 3], marks[#marks + 4] = self.x0, p, self.x0 + tl, p
      t.p = p
    end
  end
  if x.grid ~= false then
    c:rgb(0.88, 0.88, 0.88)
    c:width(0.8)
    c:segments(grid)
  end
  c:rgb(0, 0, 0)
  c:width(1)
  c:segments(marks)
  c:rect(self.x0, self.y0, self.x1 - self.x0, self.y1 - self.y0)
  c:stroke()
  for _, t in ipairs(xt) do
    if t.p then c:text(t.p, self.y1 + s * 0.4, t.label, s * 0.9, 0.5, 0) end
  end
  local widest = 0
  for _, t in ipairs(yt) do
    if t.p then
      local w = c:text(self.x0 - s * 0.4, t.p, t.label, s * 0.9, 1, 0.5)
      widest = math.max(widest, w)
    end
  end
  if x.label and x.label ~= "" then
    c:text((self.x0 + self.x1) / 2, self.y1 + s * 1.9, x.label, s, 0.5, 0)
  end
  if y.label and y.label ~= "" then
    c:text(math.max(s * 0.3, self.x0 - s * 0.9 - widest), (self.y0 + self.y1) / 2, y.label, s, 0.5, 1, 90)
  end
end

function Figure:title()
  local t = self.opts.title
  if t and t ~= "" then self.c:text(self.w / 2, self.font * 0.9, t, self.font * 1.25, 0.5, 0, 0, true) end
end

-- A legend in the top right corner of the plot area: entries {label, rgb, shape | "line"}.
function Figure:legend(entries)
  if #entries == 0 then return end
  local c, s = self.c, self.font * 0.9
  local w = 0
  for _, e in ipairs(entries) do w = math.max(w, (c:measure(e[1], s))) end
  local bw, bh = w + s * 3, #entries * s * 1.5 + s * 0.5
  local bx, by = self.x1 - bw - s * 0.5, self.y0 + s * 0.5
  c:rgb(1, 1, 1, 0.85)
  c:rect(bx, by, bw, bh)
  c:fill()
  c:rgb(0.6, 0.6, 0.6)
  c:width(0.8)
  c:rect(bx, by, bw, bh)
  c:stroke()
  for i, e in ipairs(entries) do
    local cy = by + s * 0.25 + (i - 0.5) * s * 1.5
    color(c, e[2])
    if e[3] == "line" then
      c:width(2)
      c:segments({ bx + s * 0.5, cy, bx + s * 2, cy })
    elseif e[3] == "box" then
      c:rect(bx + s * 0.6, cy - s * 0.4, s * 1.3, s * 0.8)
      c:fill()
    else
      c:markers({ bx + s * 1.25, cy }, s * 0.7, e[3] or "circle")
    end
    c:rgb(0, 0, 0)
    c:text(bx + s * 2.4, cy, e[1], s, 0, 0.5)
  end
end

local Result = {}

-- Renders the notes, writes the bytes through the output capability, and makes the result.
function Figure:finish(map)
  local c = self.c
  if #self.notes > 0 then
    c:rgb(0.35, 0.35, 0.35)
    c:text(self.font * 0.5, self.h - self.font * 0.5, table.concat(self.notes, "; "), self.font * 0.75, 0, 1)
  end
  local bytes = c:finish()
  -- a path the host refuses (denied) is this plot function's error, like its others
  local opened, out = pcall(core.open_output, self.opts.file)
  if not opened then error(O.within(self.fn, out), 0) end
  local ok, err = pcall(function() out:write(bytes) return out:commit() end)
  if not ok then
    out:abort()
    error(O.within(self.fn, err), 0)
  end
  local r = { file = err, width = self.w, height = self.h, kind = self.kind, format = self.opts.format,
              notes = self.notes }
  local mt = { __index = {}, __tostring = Result.tostring, __name = "mast.Plot" }
  --- r:pixel(x, y) -> where the data point (x, y) is drawn, in pixels from the top left.
  function mt.__index.pixel(_, a, b)
    if map then return map(a, b) end
    return self.px(a), self.py(b)
  end
  return setmetatable(r, mt)
end

function Result.tostring(r)
  local s = ("plot written to %s (%d×%d)"):format(r.file, r.width, r.height)
  if #r.notes > 0 then s = s .. "\n  " .. table.concat(r.notes, "\n  ") end
  return s
end

-- Pairs of finite values (and positive ones on log axes), with how many were skipped.
local function pairs_of(xs, ys, xlog, ylog)
  local ox, oy, skipped, nonpos = {}, {}, 0, 0
  for i = 1, math.max(#xs, #ys) do
    local x, y = finite(xs[i]), finite(ys[i])
    if x == nil or y == nil then
      skipped = skipped + 1
    elseif (xlog and x <= 0) or (ylog and y <= 0) then
      nonpos = nonpos + 1
    else
      ox[#ox + 1], oy[#oy + 1] = x, y
    end
  end
  return ox, oy, skipped, nonpos
end

local function skipped_notes(f, skipped, nonpos)
  if skipped > 0 then f:note(("%d row%s without a number skipped"):format(skipped, skipped == 1 and "" or "s")) end
  if nonpos > 0 then
    f:note(("%d row%s not positive (log axis) skipped"):format(nonpos, nonpos == 1 and "" or "s"))
  end
end

local function range_of(list, lo, hi)
  for _, v in ipairs(list) do
    if lo == nil or v < lo then lo = v end
    if hi == nil or v > hi then hi = v end
  end
  return lo, hi
end

-- ------------------------------------------------------------ scatter, line

local XY_OPTS = { x = column, y = columns, xlog = V.boolean, ylog = V.boolean, size = V.positive,
                  marker = one_of({ "circle", "square", "diamond", "plus", "cross" }), legend = V.boolean }

local function xy_plot(fn, kind, data, opts)
  opts = options(fn, opts, XY_OPTS)
  local src = source(fn, data)
  if src.n == 0 then usage(fn, "the dataset has no rows to plot") end
  local xf, yfs
  if opts.x then xf = need(fn, src, "x", opts.x) end
  if opts.y then
    yfs = {}
    for i, name in ipairs(O.list_of(opts.y)) do yfs[i] = need(fn, src, "y", name) end
  end
  if not xf or not yfs then
    local auto = numeric_fields(fn, src, (xf or yfs) and 1 or 2, kind == "line" and "a line" or "a scatter plot")
    if not xf and not yfs then
      xf, yfs = auto[1], { auto[2] }
    elseif not xf then
      xf = auto[1]
    else
      yfs = { auto[1] == xf and numeric_fields(fn, src, 2, "a y axis")[2] or auto[1] }
    end
  end
  local xs = src.column(xf.name)
  local series, xlo, xhi, ylo, yhi, skipped, nonpos = {}, nil, nil, nil, nil, 0, 0
  for i, yf in ipairs(yfs) do
    local ox, oy, sk, np = pairs_of(xs, src.column(yf.name), opts.xlog, opts.ylog)
    skipped, nonpos = skipped + sk, nonpos + np
    series[i] = { f = yf, x = ox, y = oy }
    xlo, xhi = range_of(ox, xlo, xhi)
    ylo, yhi = range_of(oy, ylo, yhi)
  end
  if xlo == nil then
    usage(fn, ("no row has numbers in both '%s' and '%s'"):format(xf.name, yfs[1].name))
  end
  local f = figure(fn, kind, opts)
  f:area()
  local xa = axis(xlo, xhi, opts.xlog, 0.05, { log = opts.xlog, label = opts.xlabel or label_of(xf) })
  local ya = axis(ylo, yhi, opts.ylog, 0.05, { log = opts.ylog,
               label = opts.ylabel or (#yfs == 1 and label_of(yfs[1]) or "") })
  f:axes(xa, ya)
  f:frame()
  local c = f.c
  c:clip(f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0)
  local legend = {}
  for i, s in ipairs(series) do
    local rgb = PALETTE[(i - 1) % #PALETTE + 1]
    local xy = f:map(s.x, s.y)
    color(c, rgb, kind == "line" and 1 or 0.85)
    if kind == "line" then
      -- a gap where the data has one: the path breaks at a skipped row
      local ys, full = src.column(s.f.name), {}
      for k = 1, #xs do
        local a, b = finite(xs[k]), finite(ys[k])
        local ok = a and b and (not opts.xlog or a > 0) and (not opts.ylog or b > 0)
        full[2 * k - 1], full[2 * k] = ok and f.px(a) or 0 / 0, ok and f.py(b) or 0 / 0
      end
      c:width(1.6)
      c:path(full)
      c:stroke()
      legend[i] = { s.f.name, rgb, "line" }
    else
      c:markers(xy, opts.size or f.font * 0.45, opts.marker or "circle")
      legend[i] = { s.f.name, rgb, opts.marker or "circle" }
    end
  end
  c:unclip()
  if opts.legend ~= false and #series > 1 then f:legend(legend) end
  f:title()
  skipped_notes(f, skipped, nonpos)
  return f:finish()
end

--- scatter(ds, {file =, x =, y = column or list, xlog =, ylog =, size =, marker =, ...})
function M.scatter(data, opts) return xy_plot("mast.plot.scatter", "scatter", data, opts) end

--- line(ds, {file =, x =, y = ...}): the points joined in the dataset's order
function M.line(data, opts) return xy_plot("mast.plot.line", "line", data, opts) end

-- ------------------------------------------------------------ histogram

local function bins_ok(v)
  if math.type(v) ~= "integer" or v < 1 or v > 10000 then return "a whole number of bins from 1 to 10000" end
end

function M.histogram(data, opts)
  local fn = "mast.plot.histogram"
  opts = options(fn, opts, { column = column, bins = bins_ok, ylog = V.boolean, xlog = V.boolean })
  local src = source(fn, data)
  if src.n == 0 then usage(fn, "the dataset has no rows to plot") end
  local cf = opts.column and need(fn, src, "column", opts.column) or numeric_fields(fn, src, 1, "a histogram")[1]
  local values, skipped, nonpos = {}, 0, 0
  for _, v in ipairs(src.column(cf.name)) do
    v = finite(v)
    if v == nil then
      skipped = skipped + 1
    elseif opts.xlog and v <= 0 then
      nonpos = nonpos + 1
    else
      values[#values + 1] = opts.xlog and log10(v) or v
    end
  end
  if #values == 0 then usage(fn, ("option 'column': '%s' has no numbers to count"):format(cf.name)) end
  local lo, hi = range_of(values)
  if hi == lo then lo, hi = lo - 0.5, hi + 0.5 end
  local nb = opts.bins or math.max(5, math.min(100, ceil(math.sqrt(#values))))
  local counts, width = {}, (hi - lo) / nb
  for i = 1, nb do counts[i] = 0 end
  for _, v in ipairs(values) do
    local k = math.min(nb, floor((v - lo) / width) + 1)
    counts[k] = counts[k] + 1
  end
  local top = select(2, range_of(counts))
  local f = figure(fn, "histogram", opts)
  f:area()
  local unlog = opts.xlog and function(v) return 10 ^ v end or function(v) return v end
  local ybase = opts.ylog and 0.5 or 0
  f:axes({ unlog(lo), unlog(hi), log = opts.xlog, label = opts.xlabel or label_of(cf) },
         { ybase, opts.ylog and math.max(1, top) * 1.5 or math.max(1, top) * 1.05, log = opts.ylog,
           label = opts.ylabel or "count" })
  f:frame()   -- first: the bars lie over the grid
  local c = f.c
  c:clip(f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0)
  for i = 1, nb do
    if counts[i] > 0 then
      local a, b = f.px(unlog(lo + (i - 1) * width)), f.px(unlog(lo + i * width))
      local y = f.py(counts[i])
      color(c, PALETTE[1], 0.8)
      c:rect(a, y, b - a, f.y1 - y)
      c:fill(true)
      c:rgb(1, 1, 1)
      c:width(0.6)
      c:stroke()
    end
  end
  c:unclip()
  c:rgb(0, 0, 0)
  c:width(1)
  c:rect(f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0)
  c:stroke()
  f:title()
  skipped_notes(f, skipped, nonpos)
  f:note(("%d values in %d bins"):format(#values, nb))
  return f:finish()
end

-- ------------------------------------------------------------ the sky

local FRAMES = { ICRS = true, FK5 = true, FK4 = true, J2000 = true, B1950 = true, GALACTIC = true,
                 ECLIPTIC = true, GEOCENTER = true, BARYCENTER = true, HELIOCENTER = true, TOPOCENTER = true,
                 LSR = true, UNKNOWNFRAME = true, UNKNOWNREFPOS = true, SPHERICAL2 = true, CARTESIAN2 = true }

--- regions(s) -> {{kind = "polygon", ra1, dec1, ...} | {kind = "circle", ra, dec, r}, ...}:
-- the shapes of an STC-S s_region (POLYGON, CIRCLE, several of them, frame
-- words skipped; POSITION as a point is left out). Unknown words end a shape.
function M.regions(s)
  local out, cur = {}, nil
  if type(s) ~= "string" then return out end
  for word in s:gmatch("%S+") do
    local x = tonumber(word)
    local up = word:upper()
    if x then
      if cur then cur[#cur + 1] = x end
    elseif up == "POLYGON" or up == "CIRCLE" then
      cur = { kind = up:lower() }
      out[#out + 1] = cur
    elseif not FRAMES[up] then
      cur = nil   -- UNION, BOX, ...: not drawn [INFERRED: MAST's footprints are polygons and circles]
    end
  end
  local ok = {}
  for _, r in ipairs(out) do
    if (r.kind == "circle" and #r == 3) or (r.kind == "polygon" and #r >= 6 and #r % 2 == 0) then ok[#ok + 1] = r end
  end
  return ok
end

local function unit(ra, dec)
  local cd = math.cos(dec * RAD)
  return cd * math.cos(ra * RAD), cd * math.sin(ra * RAD), math.sin(dec * RAD)
end

local function separation(ra1, dec1, ra2, dec2)
  local x1, y1, z1 = unit(ra1, dec1)
  local x2, y2, z2 = unit(ra2, dec2)
  local d = x1 * x2 + y1 * y2 + z1 * z2
  return math.acos(math.max(-1, math.min(1, d))) / RAD
end

-- The circle of radius r (deg) around (ra, dec) as a polygon of n vertices.
local function circle_points(ra, dec, r, n)
  local pts = {}
  local sd, cd, sr, cr = math.sin(dec * RAD), math.cos(dec * RAD), math.sin(r * RAD), math.cos(r * RAD)
  for k = 0, n - 1 do
    local th = 2 * math.pi * k / n
    local d2 = math.asin(sd * cr + cd * sr * math.cos(th))
    local r2 = ra * RAD + math.atan(math.sin(th) * sr * cd, cr - sd * math.sin(d2))
    pts[#pts + 1], pts[#pts + 2] = r2 / RAD, d2 / RAD
  end
  return pts
end

-- Wraps an RA difference into (-180, 180].
local function wrap(d)
  d = (d + 180) % 360 - 180
  if d == -180 then d = 180 end
  return d
end

-- Gnomonic (tangent-plane) projection about (ra0, dec0): standard coordinates in degrees.
local function gnomonic(ra0, dec0)
  local sd0, cd0 = math.sin(dec0 * RAD), math.cos(dec0 * RAD)
  return function(ra, dec)
    local d = (ra - ra0) * RAD
    local sd, cd = math.sin(dec * RAD), math.cos(dec * RAD)
    local cosc = sd0 * sd + cd0 * cd * math.cos(d)
    if cosc < 1e-6 then return nil end
    return cd * math.sin(d) / cosc / RAD, (cd0 * sd - sd0 * cd * math.cos(d)) / cosc / RAD
  end
end

-- Hammer-Aitoff (equal-area, whole sky) about RA lon0: x in [-2√2, 2√2], y in [-√2, √2].
local function hammer(lon0)
  return function(ra, dec)
    local l, p = wrap(ra - lon0) * RAD, dec * RAD
    local z = math.sqrt(1 + math.cos(p) * math.cos(l / 2))
    return 2 * math.sqrt(2) * math.cos(p) * math.sin(l / 2) / z, math.sqrt(2) * math.sin(p) / z
  end
end

local WIDE = 40   -- degrees from the centre beyond which the tangent plane gives way to Hammer-Aitoff

local SKY_OPTS = { ra = column, dec = column, footprints = V.boolean, region = column,
                   projection = one_of({ "auto", "gnomonic", "hammer" }), size = V.positive }

-- The first of these names that is a field, or nil.
local function detect(src, list)
  for _, name in ipairs(list) do
    local f = field(src, name)
    if f then return f end
  end
end

function M.sky(data, opts)
  local fn = "mast.plot.sky"
  opts = options(fn, opts, SKY_OPTS)
  local src = source(fn, data)
  if src.n == 0 then usage(fn, "the dataset has no rows to plot") end
  local raf = opts.ra and need(fn, src, "ra", opts.ra) or detect(src, { "ra", "s_ra", "RA_OBJ", "raMean", "RAJ2000" })
  local decf = opts.dec and need(fn, src, "dec", opts.dec)
    or detect(src, { "dec", "s_dec", "DEC_OBJ", "decMean", "DEJ2000" })
  local regf
  if opts.footprints ~= false then
    regf = opts.region and need(fn, src, "region", opts.region) or detect(src, { "s_region" })
  end
  if (not raf or not decf) and not regf then
    usage(fn, ("no position columns: name them with ra = and dec = (columns: %s)"):format(
      table.concat(names(src), ", ")))
  end
  -- positions and shapes, in degrees
  local ras, decs, skipped = {}, {}, 0
  if raf and decf then
    local rc, dc = src.column(raf.name), src.column(decf.name)
    for i = 1, src.n do
      local ra, dec = finite(rc[i]), finite(dc[i])
      if ra and dec and dec >= -90 and dec <= 90 then
        ras[#ras + 1], decs[#decs + 1] = ra % 360, dec
      else
        skipped = skipped + 1
      end
    end
  end
  local shapes = {}
  if regf then
    for _, s in ipairs(src.column(regf.name)) do
      for _, r in ipairs(M.regions(s)) do
        if r.kind == "circle" then
          local p = circle_points(r[1], r[2], r[3], 72)
          shapes[#shapes + 1] = p
        else
          shapes[#shapes + 1] = r
        end
      end
    end
  end
  if #ras == 0 and #shapes == 0 then usage(fn, "no row has a position or a footprint to plot") end
  -- the field's centre: the mean direction of everything drawn
  local sx, sy, sz = 0, 0, 0
  local function add(ra, dec)
    local x, y, z = unit(ra, dec)
    sx, sy, sz = sx + x, sy + y, sz + z
  end
  for i = 1, #ras do add(ras[i], decs[i]) end
  for _, p in ipairs(shapes) do for k = 1, #p, 2 do add(p[k], p[k + 1]) end end
  local norm = math.sqrt(sx * sx + sy * sy + sz * sz)
  local ra0, dec0
  if norm < 1e-9 then
    ra0, dec0 = 0, 0
  else
    ra0, dec0 = (math.atan(sy, sx) / RAD) % 360, math.asin(sz / norm) / RAD
  end
  local reach = 0
  for i = 1, #ras do reach = math.max(reach, separation(ra0, dec0, ras[i], decs[i])) end
  for _, p in ipairs(shapes) do
    for k = 1, #p, 2 do reach = math.max(reach, separation(ra0, dec0, p[k], p[k + 1])) end
  end
  local proj = opts.projection or "auto"
  if proj == "auto" then proj = reach > WIDE and "hammer" or "gnomonic" end
  if proj == "gnomonic" and reach >= 80 then
    usage(fn, ("option 'projection': the field reaches %.0f° from its centre, too wide for the tangent plane")
      :format(reach))
  end
  local f = figure(fn, "sky", opts)
  f:area()
  local project = proj == "gnomonic" and gnomonic(ra0, dec0) or hammer(ra0)
  local c = f.c
  -- the projected points, and their extent
  local X, Y = {}, {}
  for i = 1, #ras do X[i], Y[i] = project(ras[i], decs[i]) end
  local polys = {}
  for i, p in ipairs(shapes) do
    local q = {}
    local n = #p // 2
    local steps = proj == "hammer" and 8 or 1   -- edges are straight in the tangent plane (great circles)
    for k = 1, n do
      local ra1, dec1 = p[2 * k - 1], p[2 * k]
      local ra2, dec2 = p[(2 * k) % (2 * n) + 1], p[(2 * k) % (2 * n) + 2]
      local dra = wrap(ra2 - ra1)
      for s = 0, steps - 1 do
        local t = s / steps
        local x, y = project(ra1 + dra * t, dec1 + (dec2 - dec1) * t)
        q[#q + 1], q[#q + 2] = x or 0 / 0, y or 0 / 0
      end
    end
    polys[i] = q
  end
  local xlo, xhi, ylo, yhi
  if proj == "gnomonic" then
    xlo, xhi = range_of(X)
    ylo, yhi = range_of(Y)
    for _, q in ipairs(polys) do
      for k = 1, #q, 2 do
        if q[k] == q[k] then
          xlo, xhi = range_of({ q[k] }, xlo, xhi)
          ylo, yhi = range_of({ q[k + 1] }, ylo, yhi)
        end
      end
    end
    xlo, xhi = limits(xlo, xhi, false, 0.08)
    ylo, yhi = limits(ylo, yhi, false, 0.08)
  else
    xlo, xhi, ylo, yhi = -2.9, 2.9, -1.45, 1.45
  end
  -- one scale on both axes: a degree is as long across as up
  local aw, ah = f.x1 - f.x0, f.y1 - f.y0
  local k = math.min(aw / (xhi - xlo), ah / (yhi - ylo))
  local cx, cy = (xlo + xhi) / 2, (ylo + yhi) / 2
  xlo, xhi = cx - aw / k / 2, cx + aw / k / 2
  ylo, yhi = cy - ah / k / 2, cy + ah / k / 2
  local xa = { xlo, xhi, reversed = true, label = opts.xlabel or "RA (deg)" }
  local ya = { ylo, yhi, label = opts.ylabel or "Dec (deg)" }
  if proj == "gnomonic" then
    -- labelled in RA along the centre's parallel, Dec along its meridian
    local cd0 = math.cos(dec0 * RAD)
    local ra_of = function(x) return ra0 + math.atan(math.tan(x * RAD) / cd0) / RAD end
    local xt = {}
    local a, b = ra_of(math.max(xlo, -89)), ra_of(math.min(xhi, 89))
    for _, t in ipairs(M.ticks(a, b, math.max(3, floor(aw / (f.font * 7))))) do
      xt[#xt + 1] = { at = math.atan(math.tan((t.at - ra0) * RAD) * cd0) / RAD,
                      label = tick_text(t.at % 360, select(2, M.ticks(a, b, math.max(3, floor(aw / (f.font * 7)))))) }
    end
    local yt = {}
    local d0, d1 = dec0 + math.atan(ylo * RAD) / RAD, dec0 + math.atan(yhi * RAD) / RAD
    local dticks, dstep = M.ticks(d0, d1, math.max(3, floor(ah / (f.font * 4))))
    for _, t in ipairs(dticks) do
      if t.at >= -90 and t.at <= 90 then
        yt[#yt + 1] = { at = math.tan((t.at - dec0) * RAD) / RAD, label = tick_text(t.at, dstep) }
      end
    end
    xa.ticks, ya.ticks = xt, yt
    f:axes(xa, ya)
    f:frame()
    f:note(("gnomonic projection about RA %.4f, Dec %.4f; RA labels along Dec %.2f, Dec labels along RA %.2f")
      :format(ra0, dec0, dec0, ra0))
  else
    xa.ticks, ya.ticks, xa.grid = {}, {}, false
    f:axes(xa, ya)
    -- the outline and a graticule every 30°
    c:rgb(0.85, 0.85, 0.85)
    c:width(0.8)
    for d = -60, 60, 30 do
      local pts = {}
      for l = -180, 180, 5 do
        local x, y = project(ra0 + l, d)
        pts[#pts + 1], pts[#pts + 2] = f.px(x), f.py(y)
      end
      c:path(pts)
      c:stroke()
    end
    for l = -150, 150, 30 do
      local pts = {}
      for d = -90, 90, 5 do
        local x, y = project(ra0 + l, d)
        pts[#pts + 1], pts[#pts + 2] = f.px(x), f.py(y)
      end
      c:path(pts)
      c:stroke()
    end
    c:rgb(0, 0, 0)
    c:width(1)
    local edge = {}
    for d = -90, 90, 2 do
      local x, y = project(ra0 + 179.999, d)
      edge[#edge + 1], edge[#edge + 2] = f.px(x), f.py(y)
    end
    for d = 90, -90, -2 do
      local x, y = project(ra0 - 179.999, d)
      edge[#edge + 1], edge[#edge + 2] = f.px(x), f.py(y)
    end
    c:path(edge, true)
    c:stroke()
    for l = -120, 120, 60 do
      local x, y = project(ra0 + l, 0)
      c:text(f.px(x), f.py(y) + f.font * 0.2, ("%d"):format(floor((ra0 + l) % 360 + 0.5)), f.font * 0.8, 0.5, 0)
    end
    for d = -60, 60, 30 do
      local x, y = project(ra0 - 179.999, d)
      c:text(f.px(x) + f.font * 0.4, f.py(y), ("%d"):format(d), f.font * 0.8, 0, 0.5)
    end
    c:text((f.x0 + f.x1) / 2, f.py(-math.sqrt(2)) + f.font * 0.8, xa.label, f.font, 0.5, 0)
    f:note(("Hammer-Aitoff projection (the field reaches %.0f° from its centre) about RA %.1f"):format(reach, ra0))
  end
  c:clip(f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0)
  local legend = {}
  if #polys > 0 then
    for _, q in ipairs(polys) do
      local px = {}
      for k2 = 1, #q, 2 do px[k2], px[k2 + 1] = f.px(q[k2]), f.py(q[k2 + 1]) end
      color(c, PALETTE[1], 0.10)
      c:path(px, true)
      c:fill(true)
      color(c, PALETTE[1], 0.85)
      c:width(1.2)
      c:stroke()
    end
    legend[#legend + 1] = { ("footprints (%d)"):format(#polys), PALETTE[1], "box" }
  end
  if #ras > 0 then
    color(c, PALETTE[4], 0.9)
    c:markers(f:map(X, Y), opts.size or f.font * 0.45, "circle")
    legend[#legend + 1] = { ("positions (%d)"):format(#ras), PALETTE[4], "circle" }
  end
  c:unclip()
  f:legend(legend)
  f:title()
  if skipped > 0 then f:note(("%d row%s without a position skipped"):format(skipped, skipped == 1 and "" or "s")) end
  f.projection = proj
  local r = f:finish(function(ra, dec)
    local x, y = project(ra, dec)
    if x == nil then return nil end
    return f.px(x), f.py(y)
  end)
  r.projection, r.centre = proj, { ra0, dec0 }
  return r
end

-- ------------------------------------------------------------ light curves

local UNITS = { s = 1 / 86400, sec = 1 / 86400, min = 1 / 1440, h = 1 / 24, hr = 1 / 24, d = 1, day = 1, days = 1 }

local function bin_ok(v)
  if v == false then return nil end
  if type(v) == "number" and v > 0 and v < math.huge then return nil end
  if type(v) == "string" then
    local x, u = v:match("^%s*([%d.eE+-]+)%s*(%a+)%s*$")
    x = tonumber(x)
    local points = (u == "points" or u == "point") and math.tointeger(x) ~= nil
    if x and x > 0 and (UNITS[u] or points) then
      return nil
    end
  end
  return "a bin width in the time's units (a number), a width with a unit ('30 min', '2 h', '600 s', "
    .. "'0.5 d'), 'N points', or false"
end

local LC_OPTS = { time = column, flux = column, err = column_or_false, quality = column_or_false, bin = bin_ok,
                  normalize = V.boolean, size = V.positive }

local function mean_std(list)
  local s = 0
  for _, v in ipairs(list) do s = s + v end
  local m = s / #list
  local q = 0
  for _, v in ipairs(list) do q = q + (v - m) ^ 2 end
  return m, #list > 1 and math.sqrt(q / (#list - 1)) or 0
end

local function median(list)
  local t = table.move(list, 1, #list, 1, {})
  table.sort(t)
  local n = #t
  if n % 2 == 1 then return t[(n + 1) // 2] end
  return (t[n // 2] + t[n // 2 + 1]) / 2
end

function M.lightcurve(data, opts)
  local fn = "mast.plot.lightcurve"
  opts = options(fn, opts, LC_OPTS)
  if type(data) == "string" then
    local path = data
    local ok, t = pcall(function() return require("mast.fits").read(path) end)
    if not ok then error(O.within(fn, t), 0) end
    data = t
  end
  local src = source(fn, data)
  if src.n == 0 then usage(fn, "the dataset has no rows to plot") end
  local tf = opts.time and need(fn, src, "time", opts.time) or field(src, "TIME")
    or usage(fn, ("no time column: name it with time = (columns: %s)"):format(table.concat(names(src), ", ")))
  local ff = opts.flux and need(fn, src, "flux", opts.flux) or detect(src, { "PDCSAP_FLUX", "SAP_FLUX", "FLUX" })
    or usage(fn, ("no flux column: name it with flux = (columns: %s)"):format(table.concat(names(src), ", ")))
  local ef
  if opts.err ~= false then
    ef = opts.err and need(fn, src, "err", opts.err) or field(src, ff.name .. "_ERR")
  end
  local qf
  if opts.quality ~= false then
    qf = opts.quality and need(fn, src, "quality", opts.quality) or field(src, "QUALITY")
  end
  local tc, fc = src.column(tf.name), src.column(ff.name)
  local ec, qc = ef and src.column(ef.name), qf and src.column(qf.name)
  local T, F, E, flagged, skipped = {}, {}, {}, 0, 0
  for i = 1, src.n do
    local q = qc and qc[i]
    if q ~= nil and q ~= NULL and q ~= 0 and q ~= false then
      flagged = flagged + 1
    else
      local t, x = finite(tc[i]), finite(fc[i])
      if t and x then
        T[#T + 1], F[#F + 1] = t, x
        E[#T] = ec and finite(ec[i]) or 0
      else
        skipped = skipped + 1
      end
    end
  end
  if #T == 0 then
    usage(fn, ("no point left to plot: %d rows, %d with non-zero %s, %d without numbers"):format(
      src.n, flagged, qf and qf.name or "quality", skipped))
  end
  if opts.normalize then
    local scale = median(F)
    if scale == 0 then scale = 1 end
    for i = 1, #F do F[i], E[i] = F[i] / scale, E[i] / abs(scale) end
  end
  -- order by time (the binned view needs it; a light curve's rows usually are)
  local order = {}
  for i = 1, #T do order[i] = i end
  table.sort(order, function(a, b) return T[a] < T[b] end)
  local t0, t1 = T[order[1]], T[order[#order]]
  -- the binned view
  local bin = opts.bin
  local BT, BF, BE = {}, {}, {}
  local bin_text
  if bin ~= false and (bin ~= nil or #T >= 50) then
    local width, per
    if bin == nil then
      width = (t1 - t0) / 100
    elseif type(bin) == "number" then
      width = bin
    else
      local x, u = bin:match("^%s*([%d.eE+-]+)%s*(%a+)%s*$")
      if u:match("^point") then per = math.tointeger(tonumber(x)) else width = tonumber(x) * UNITS[u] end
    end
    local group = {}
    local function flush()
      if #group == 0 then return end
      local ts, fs = {}, {}
      for k, i in ipairs(group) do ts[k], fs[k] = T[i], F[i] end
      local mt = mean_std(ts)
      local mf, sf = mean_std(fs)
      BT[#BT + 1], BF[#BF + 1] = mt, mf
      BE[#BE + 1] = #group > 1 and sf / math.sqrt(#group) or E[group[1]]
      group = {}
    end
    if width and width > 0 then
      local current
      for _, i in ipairs(order) do
        local k = floor((T[i] - t0) / width)
        if k ~= current then
          flush()
          current = k
        end
        group[#group + 1] = i
      end
    else
      per = per or 1
      for _, i in ipairs(order) do
        group[#group + 1] = i
        if #group >= per then flush() end
      end
    end
    flush()
    bin_text = per and ("%d points"):format(per) or ("%.4g %s"):format(width, type(bin) == "string" and "d" or "")
    bin_text = bin_text:gsub("%s+$", "")
  end
  local ylo, yhi
  for i = 1, #F do
    local e = E[i]
    ylo = (ylo == nil or F[i] - e < ylo) and F[i] - e or ylo
    yhi = (yhi == nil or F[i] + e > yhi) and F[i] + e or yhi
  end
  local f = figure(fn, "lightcurve", opts)
  f:area()
  f:axes(axis(t0, t1, false, 0.02, { label = opts.xlabel or label_of(tf) }),
         axis(ylo, yhi, false, 0.05, {
           label = opts.ylabel or (opts.normalize and (ff.name .. " / median") or label_of(ff)) }))
  f:frame()
  local c = f.c
  c:clip(f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0)
  local function bars(ts, fs, es)
    local seg = {}
    for i = 1, #ts do
      if es[i] > 0 then
        local x = f.px(ts[i])
        seg[#seg + 1], seg[#seg + 2], seg[#seg + 3], seg[#seg + 4] = x, f.py(fs[i] - es[i]), x, f.py(fs[i] + es[i])
      end
    end
    c:segments(seg)
  end
  local raw = #BT > 0 and { 0.45, 0.55, 0.70 } or PALETTE[1]
  color(c, raw, 0.35)
  c:width(0.8)
  bars(T, F, E)
  color(c, raw, 0.8)
  c:markers(f:map(T, F), opts.size or f.font * 0.3, "circle")
  local legend = { { ("data (%d)"):format(#T), raw, "circle" } }
  if #BT > 0 then
    color(c, PALETTE[2], 0.95)
    c:width(1.4)
    bars(BT, BF, BE)
    c:markers(f:map(BT, BF), f.font * 0.55, "circle")
    legend[2] = { ("binned (%s)"):format(bin_text), PALETTE[2], "circle" }
  end
  c:unclip()
  f:legend(legend)
  f:title()
  if flagged > 0 then
    f:note(("%d point%s with non-zero %s removed"):format(flagged, flagged == 1 and "" or "s", qf.name))
  end
  if skipped > 0 then f:note(("%d row%s without a number skipped"):format(skipped, skipped == 1 and "" or "s")) end
  local r = f:finish()
  r.points, r.removed, r.skipped, r.bins = #T, flagged, skipped, #BT
  return r
end

-- ------------------------------------------------------------ images

-- Colour maps: control points {t, r, g, b} (0..1), made into 256-entry tables.
local CMAPS = {
  gray = { nan = { 0.85, 0.20, 0.65 }, { 0, 0, 0, 0 }, { 1, 1, 1, 1 } },
  -- dark violet through blue, teal and green to yellow: lightness rises steadily
  deep = { nan = { 1.00, 0.25, 0.25 }, { 0, 0.16, 0.02, 0.28 }, { 0.22, 0.22, 0.20, 0.52 },
           { 0.48, 0.12, 0.52, 0.55 }, { 0.74, 0.36, 0.76, 0.36 }, { 1, 0.97, 0.91, 0.16 } },
  heat = { nan = { 0.25, 0.55, 1.00 }, { 0, 0, 0, 0 }, { 0.38, 0.72, 0.06, 0.02 }, { 0.72, 1, 0.68, 0.05 },
           { 1, 1, 1, 1 } },
}
local CMAP_NAMES = { "gray", "deep", "heat" }

local luts = {}
local function lut(name)
  if luts[name] then return luts[name] end
  local pts, bytes = CMAPS[name], {}
  for i = 0, 255 do
    local t = i / 255
    local k = 1
    while k < #pts - 1 and pts[k + 1][1] < t do k = k + 1 end
    local a, b = pts[k], pts[k + 1]
    local u = (t - a[1]) / (b[1] - a[1])
    for ch = 2, 4 do bytes[#bytes + 1] = floor((a[ch] + (b[ch] - a[ch]) * u) * 255 + 0.5) end
  end
  local n = CMAPS[name].nan
  luts[name] = { string.char(table.unpack(bytes)),
                 string.char(floor(n[1] * 255 + 0.5), floor(n[2] * 255 + 0.5), floor(n[3] * 255 + 0.5)) }
  return luts[name]
end

-- Up to n finite values spread evenly over the image.
local function sample(values, count, n)
  local out = {}
  local step = math.max(1, count / n)
  local i = 1
  while i <= count do
    local v = finite(values[floor(i)])
    if v then out[#out + 1] = v end
    i = i + step
  end
  return out
end

--- zscale(values [, n]) -> z1, z2: IRAF's display range. A line is fitted to
-- the sorted sample (value against rank) with iterative sigma rejection; the
-- range is the median plus and minus half the sample's rank span times the
-- slope divided by the contrast (0.25), clipped to the sample's extremes.
function M.zscale(values, count)
  local s = sample(values, count or #values, 1000)
  table.sort(s)
  local npix = #s
  if npix == 0 then return 0, 1 end
  local zmin, zmax = s[1], s[npix]
  local center = (npix + 1) // 2
  local med = npix % 2 == 1 and s[center] or (s[center] + s[center + 1]) / 2
  local minpix = math.max(5, floor(npix * 0.5))
  if npix < minpix then return zmin, zmax end
  -- x normalised to [-1, 1] keeps the fit well conditioned
  local xscale = npix > 1 and 2 / (npix - 1) or 1
  local bad = {}
  local ngood, slope = npix, 0
  local intercept
  local grow = math.max(1, floor(npix * 0.01))
  for _ = 1, 5 do
    local sx, sy, sxx, sxy, n = 0, 0, 0, 0, 0
    for i = 1, npix do
      if not bad[i] then
        local x = (i - 1) * xscale - 1
        sx, sy, sxx, sxy, n = sx + x, sy + s[i], sxx + x * x, sxy + x * s[i], n + 1
      end
    end
    local det = n * sxx - sx * sx
    if n < minpix or det == 0 then break end
    slope, intercept = (n * sxy - sx * sy) / det, (sxx * sy - sx * sxy) / det
    local ss = 0
    for i = 1, npix do
      if not bad[i] then ss = ss + (s[i] - (intercept + slope * ((i - 1) * xscale - 1))) ^ 2 end
    end
    local sigma = math.sqrt(ss / n)
    local cut = 2.5 * sigma
    local newbad = {}
    for i = 1, npix do
      if not bad[i] and abs(s[i] - (intercept + slope * ((i - 1) * xscale - 1))) > cut then
        for j = math.max(1, i - grow), math.min(npix, i + grow) do newbad[j] = true end
      end
    end
    local added = 0
    for j in pairs(newbad) do
      if not bad[j] then bad[j], added = true, added + 1 end
    end
    ngood = 0
    for i = 1, npix do if not bad[i] then ngood = ngood + 1 end end
    if added == 0 or ngood < minpix then break end
  end
  if ngood < minpix then return zmin, zmax end
  slope = slope * xscale / 0.25   -- per rank, over the contrast
  local z1 = math.max(zmin, med - (center - 1) * slope)
  local z2 = math.min(zmax, med + (npix - center) * slope)
  if z2 <= z1 or z2 ~= z2 or z1 ~= z1 then return zmin, zmax end
  return z1, z2
end

local function percentile_range(values, count, pct)
  local s = sample(values, count, 100000)
  table.sort(s)
  if #s == 0 then return 0, 1 end
  local cut = (100 - pct) / 200
  local a = s[math.max(1, floor(cut * (#s - 1) + 1.5))]
  local b = s[math.min(#s, floor((1 - cut) * (#s - 1) + 1.5))]
  return a, b
end

local IMAGE_OPTS = { stretch = one_of({ "zscale", "percentile", "linear" }), percent = function(v)
                       if type(v) ~= "number" or v ~= v or v <= 0 or v > 100 then
                         return "a percentage above 0, at most 100"
                       end
                     end, cmap = one_of(CMAP_NAMES), scale = one_of({ "linear", "sqrt", "log", "asinh" }),
                     colorbar = V.boolean, vmin = V.number, vmax = V.number }

function M.image(img, opts)
  local fn = "mast.plot.image"
  opts = options(fn, opts, IMAGE_OPTS)
  if type(img) ~= "table" or math.type(img.width) ~= "integer" or math.type(img.height) ~= "integer"
      or type(img.data) ~= "table" then
    usage(fn, "expected an image {width =, height =, data = {width * height numbers}}, got "
      .. (type(img) == "table" and "a table without width/height/data" or type(img)))
  end
  local w, h = img.width, img.height
  if w < 1 or h < 1 then usage(fn, ("the image is empty (%d×%d)"):format(w, h)) end
  if #img.data < w * h then
    usage(fn, ("the image has %d values for %d×%d pixels"):format(#img.data, w, h))
  end
  local count = w * h
  local blank = 0
  for i = 1, count do
    if not finite(img.data[i]) then blank = blank + 1 end
  end
  if blank == count then usage(fn, ("the image has no finite pixel (%d×%d, all blank)"):format(w, h)) end
  local stretch = opts.stretch or "zscale"
  local lo, hi
  if stretch == "zscale" then
    lo, hi = M.zscale(img.data, count)
  elseif stretch == "percentile" then
    lo, hi = percentile_range(img.data, count, opts.percent or 99.5)
  else
    for i = 1, count do
      local v = finite(img.data[i])
      if v then lo, hi = range_of({ v }, lo, hi) end
    end
  end
  lo, hi = opts.vmin or lo, opts.vmax or hi
  local f = figure(fn, "image", opts)
  local bar = opts.colorbar ~= false
  local bar_box
  f:area(bar and floor(f.font * 6) or 0)
  -- square pixels, centred in the area
  local aw, ah = f.x1 - f.x0, f.y1 - f.y0
  local k = math.min(aw / w, ah / h)
  local dw, dh = w * k, h * k
  f.x0, f.y0 = f.x0 + (aw - dw) / 2, f.y0 + (ah - dh) / 2
  f.x1, f.y1 = f.x0 + dw, f.y0 + dh
  local map = lut(opts.cmap or "gray")
  local scale = opts.scale or "linear"
  local c = f.c
  c:image(img.data, w, h, f.x0, f.y0, dw, dh, lo, hi, map[1], map[2], scale)
  f:axes({ 0.5, w + 0.5, label = opts.xlabel or "x (pixel)", grid = false },
         { 0.5, h + 0.5, label = opts.ylabel or "y (pixel)" })
  -- pixel ticks: whole numbers
  local function whole(a, b, n)
    local t = M.ticks(a, b, n)
    local out = {}
    for _, v in ipairs(t) do
      if v.at == floor(v.at) and v.at >= 1 then out[#out + 1] = { at = v.at, label = ("%d"):format(v.at) } end
    end
    return #out > 0 and out or t
  end
  f.xa.ticks = whole(0.5, w + 0.5, math.max(2, floor(dw / (f.font * 6))))
  f.ya.ticks = whole(0.5, h + 0.5, math.max(2, floor(dh / (f.font * 4))))
  f.xa.grid = false
  f:frame()
  if bar then
    local bx, bw = f.x1 + f.font * 1.2, f.font * 1.2
    bar_box = { x = bx, y = f.y0, width = bw, height = dh }
    local grad = {}
    for i = 1, 256 do grad[i] = lo + (hi - lo) * (i - 1) / 255 end
    c:image(grad, 1, 256, bx, f.y0, bw, dh, lo, hi, map[1], map[2], scale)
    c:rgb(0, 0, 0)
    c:width(1)
    c:rect(bx, f.y0, bw, dh)
    c:stroke()
    local marks = {}
    for _, t in ipairs(M.ticks(lo, hi, math.max(3, floor(dh / (f.font * 3))))) do
      local y = f.y1 - pcore.plot_stretch((t.at - lo) / (hi - lo), scale) * dh
      marks[#marks + 1], marks[#marks + 2], marks[#marks + 3], marks[#marks + 4] = bx + bw, y, bx + bw + f.font * 0.3, y
      c:text(bx + bw + f.font * 0.4, y, t.label, f.font * 0.8, 0, 0.5)
    end
    c:segments(marks)
    if img.bunit and img.bunit ~= "" then
      c:text(bx + bw / 2, f.y0 - f.font * 0.3, tostring(img.bunit), f.font * 0.8, 0.5, 1)
    end
  end
  f:title()
  f:note(("%s %s (%.4g to %.4g), %s scale"):format(stretch,
    stretch == "percentile" and (tostring(opts.percent or 99.5) .. "%") or "range", lo, hi, scale))
  if blank > 0 then
    f:note(("%d blank pixel%s (drawn in the colour map's blank colour)"):format(blank, blank == 1 and "" or "s"))
  end
  local r = f:finish(function(x, y) return f.px(x), f.py(y) end)
  -- r.colorbar: where the colour bar is drawn, {x, y, width, height} in pixels
  -- from the top left (its low end at the bottom), nil with colorbar = false
  r.range, r.blank, r.colorbar = { lo, hi }, blank, bar_box
  return r
end

return M
