--- mast.hints (placeholder on this branch; the engine branch's module replaces it).
local M = {}
function M.add(e) return e end
return M
