#!/usr/bin/env mast
-- ctl_cone_search: a port of ctl_cone_search() from MAST's "API examples in Python" page.
-- TESS Candidate Target List (CTL) stars within 0.2 degrees of (254.28746, -4.09933)
-- (Mast.Catalogs.Ctl.Cone), with MAST's per-request wait set to 10 s.
-- Fixes: none needed.
local mast = require "mast"

local stars = mast.catalogs.ctl_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
print(mast.summary(stars, { columns = { "ID", "ra", "dec", "Tmag", "Teff", "logg", "objType" } }))
