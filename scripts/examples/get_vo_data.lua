#!/usr/bin/env mast
-- get_vo_data: a port of get_vo_data() from MAST's "API examples in Python" page.
-- The VO cone search of vo_cone_search, then the VO table of its third
-- resource (Vo.Generic.Table with that row's tableURL, the first 1000 rows).
-- Fixes (§12.2): the page reads json['data'][2] (the json module, a
-- TypeError) where it means vo_json['data'][2], and takes vo_data[0], the
-- first and possibly partial EXECUTING answer; we take the third row of the
-- complete answer.
local mast = require "mast"

local resources = mast.vo.cone { ra = 254.28746, dec = -4.09933, radius = 0.2, removenullcolumns = true }
local row = resources.data[3]
if not row then error(("the VO cone search found %d resources; the example needs 3"):format(resources:count())) end
print(("Vo.Hesarc.DatascopeListable: %d resources; the third is %s (%s)"):format(resources:count(),
  tostring(row.shortName), tostring(row.tableURL)))
local vo_table = mast.vo.table { url = row.tableURL, page = 1, pagesize = 1000 }
print(mast.summary(vo_table))
