#!/usr/bin/env mast
-- get_hscv3_matches: a port of get_hscv3_matches() from MAST's "API examples in Python" page.
-- The HSC v3 cone search of hscV3_cone_search, then every detection of its
-- first source (Mast.HscMatches.Db.v3 with the first row's MatchID, 4 per page).
-- Fixes: none needed.
local mast = require "mast"

local sources = mast.hsc.cone {
  version = 3, ra = 254.287, dec = -4.09933, radius = 0.2, nr = 5000, ni = 1, magtype = 1,
  pagesize = 1000, page = 1, removenullcolumns = true,
}
local match_id = sources.data[1].MatchID
print(("Mast.Hsc.Db.v3: %d sources; the first has MatchID %s"):format(sources:count(), tostring(match_id)))
local matches = mast.hsc.matches { version = 3, match_id = match_id, page = 1, pagesize = 4 }
print(mast.summary(matches, { columns = { "MatchID", "SourceID", "ImageName", "Instrument", "Filter", "MagAper2" } }))
