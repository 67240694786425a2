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

--- Whether a line typed at the prompt may carry a credential, and so stays
-- out of the history file: it names a secret setting (from the settings
-- table: today the token) or its environment variable, or holds a secret's
-- value, as mast is configured with it or as its variable gives it.
function M.is_secret(line)
  local core = require "mast.core"
  if core.mentions_token(line) then return true end
  local low = line:lower()
  for _, s in ipairs(core.settings()) do
    if s.secret then
      if low:find(s.name:lower(), 1, true) or low:find(s.env:lower(), 1, true) then return true end
      local v = os.getenv(s.env)
      if v and #v >= 4 and line:find(v, 1, true) then return true end
    end
  end
  return false
end

return M
