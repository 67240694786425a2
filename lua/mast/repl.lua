--- mast.repl: how the mast REPL shows the values of an expression.
local pretty = require "mast.pretty"

local M = {}

--- Prints each value readably: MAST results as grids, tables over lines.
function M.show(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    if type(v) == "table" then
      parts[#parts + 1] = pretty.format(v)
    else
      parts[#parts + 1] = tostring(v)
    end
  end
  io.stdout:write(table.concat(parts, "\t"), "\n")
  io.stdout:flush()
end

return M
