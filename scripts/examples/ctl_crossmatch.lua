#!/usr/bin/env mast
-- ctl_crossmatch: a port of ctl_crossmatch() from MAST's "API examples in Python" page.
-- CTL stars within 0.2 degrees of (211.09, 54.3228) (Mast.Ctl.Crossmatch).
-- Fixes: none needed. (The page's "CTL Cross-Match" links to the TIC
-- crossmatch's documentation, §12.8; the request names Mast.Ctl.Crossmatch.)
local mast = require "mast"

local matches = mast.crossmatch.ctl {
  data = { { ra = 211.09, dec = 54.3228 } }, radius = 0.2,
}
print(mast.summary(matches, { columns = { "ra", "dec", "ID", "match_ra", "match_dec", "Tmag", "MatchDistance" } }))
