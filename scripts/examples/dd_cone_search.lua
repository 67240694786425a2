#!/usr/bin/env mast
-- dd_cone_search: a port of dd_cone_search() from MAST's "API examples in Python" page.
-- Disk Detective subjects within 0.2 degrees of (254.28746, -4.09933)
-- (Mast.Catalogs.DiskDetective.Cone), with MAST's per-request wait set to 10 s.
-- Fixes: none needed.
local mast = require "mast"

local subjects = mast.catalogs.dd_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
print(mast.summary(subjects, { columns = { "designation", "ZooniverseID", "ra", "dec", "w1mpro", "j_m_2mass" } }))
