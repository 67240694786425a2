--- mast.summary: a short readable account of what a query gave back.
local core = require "mast.core"

local M = { _NAME = "mast.summary" }

local FN = "mast.summary"
local OPTS = { columns = true, rows = true, title = true, width = true }

local function usage(msg)
  error(core.error("usage", FN .. ": " .. msg), 0)
end

--- mast.summary(result [, opts]) -> text
-- For a dataset: its row count (and MAST's total when this is one page) and a
-- grid of its first rows. opts.columns: the columns to show, in order (those
-- the result lacks are left out: removenullcolumns may drop them); default
-- all that fit. opts.rows (5): how many rows. opts.title (the service's name).
-- opts.width: the grid's width (default the terminal's, else 120).
-- Anything else (a count, a list, text) is shown as mast.pretty shows values.
function M.summary(result, opts)
  opts = opts or {}
  if type(opts) ~= "table" then usage("options must be a table, got " .. type(opts)) end
  for k in pairs(opts) do
    if not OPTS[k] then usage(("unknown option '%s' (known: columns, rows, title, width)"):format(tostring(k))) end
  end
  local pretty = require "mast.pretty"
  local mt = getmetatable(result)
  if mt and mt.__name == "mast.Table" then result = result:envelope() end
  if type(result) ~= "table" or type(result.fields) ~= "table" or type(result.data) ~= "table" then
    if type(result) == "string" then
      local nl = select(2, result:gsub("\n", ""))
      return ("%d bytes of text, %d lines; it starts:\n%s"):format(#result, nl, result:sub(1, 300))
    end
    return pretty.format(result)
  end
  local fields = result.fields
  if opts.columns ~= nil then
    if type(opts.columns) ~= "table" then usage("opts.columns must be a list of column names") end
    local by_name = {}
    for _, f in ipairs(result.fields) do by_name[f.name] = f end
    fields = {}
    for _, name in ipairs(opts.columns) do
      if by_name[name] then fields[#fields + 1] = by_name[name] end
    end
  end
  local title = opts.title
  if title == nil and mt and mt.__name == "mast.Result" then title = result:service() end
  local view = { fields = fields, data = result.data, paging = result.paging }
  local text = pretty.grid(view, { rows = opts.rows or 5, title = title, width = opts.width })
  -- the grid ends with a list of every column and its type: too long for a
  -- summary, so say instead how many columns were shown
  local body, last = text:match("^(.*)\n([^\n]*)$")
  if body and last:find("Columns: ", 1, true) then
    local hidden = tonumber(last:match("^(%d+) more columns not shown")) or 0
    text = body .. ("\n(%d of %d columns shown)"):format(#fields - hidden, #result.fields)
  end
  return text
end

return M
