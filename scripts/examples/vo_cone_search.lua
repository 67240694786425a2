#!/usr/bin/env mast
-- vo_cone_search: a port of vo_cone_search() from MAST's "API examples in Python" page.
-- The VO resources with data within 0.2 degrees of (254.28746, -4.09933)
-- (Vo.Hesarc.DatascopeListable).
-- Fixes: the page polls every 10 s and returns the list of every partial
-- (EXECUTING) answer, whose first element is easily an incomplete chunk (see
-- get_vo_data); mast.query polls with a short backoff and returns the
-- complete answer, all rows, once MAST says COMPLETE.
local mast = require "mast"

local resources = mast.vo.cone { ra = 254.28746, dec = -4.09933, radius = 0.2, removenullcolumns = true }
print(mast.summary(resources, { columns = { "shortName", "title", "publisher", "waveband", "records" } }))
