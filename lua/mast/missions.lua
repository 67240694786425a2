--- mast.missions: the missions (collections) MAST's CAOM holds.
local S = require "mast.service"

local M = { _NAME = "mast.missions" }

--- mast.missions.list([opts]) -> {"IUE", "Kepler", "HST", ...}
-- Mast.Missions.List: the `distinctValue` of every row, in MAST's order.
-- opts: deadline, progress.
M.list = S.define {
  name = "mast.missions.list", service = "Mast.Missions.List", example = "{deadline = 30}",
  request_options = {}, run_options = S.COUNT_RUN,
  result = function(_, answer)
    local names = {}
    for i, row in ipairs(answer.data) do names[i] = row.distinctValue end
    return names
  end,
}

return M
