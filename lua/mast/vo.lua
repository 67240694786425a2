--- mast.vo: Virtual Observatory searches through MAST.
-- Both return a mast.Result and take the common options (pagesize, page,
-- removenullcolumns, timeout, cachebreaker, clearcache, removecache, format,
-- all, deadline, progress, params).
local S = require "mast.service"

local M = { _NAME = "mast.vo" }

--- mast.vo.cone{ra =, dec = | target =, radius = 0.02} -> result
-- Vo.Hesarc.DatascopeListable: the VO resources (catalogs, image services)
-- with data in a cone; each row's tableURL is a VO table for mast.vo.table.
-- MAST answers this one progressively (EXECUTING with partial rows): the
-- result is the complete answer, once MAST says COMPLETE.
M.cone = S.define {
  name = "mast.vo.cone", service = "Vo.Hesarc.DatascopeListable", position = 0.02,
  example = "{ra = 254.28746, dec = -4.09933, radius = 0.2}",
}

local function url(v)
  if type(v) ~= "string" or not v:match("^[Hh][Tt][Tt][Pp][Ss]?://") then return "an http(s) URL" end
end

--- mast.vo.table{url = <a VO table's URL>} -> result
-- Vo.Generic.Table: a VO table (e.g. a row's tableURL from mast.vo.cone) as a MAST dataset.
M.table = S.define {
  name = "mast.vo.table", service = "Vo.Generic.Table", example = "{url = row.tableURL}",
  options = { url = { check = url, required = true, hint = "e.g. url = r.data[3].tableURL" } },
}

return M
