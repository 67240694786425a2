#!/usr/bin/env mast
-- jwst_nircam_search: a port of jwst_nircam_search() from MAST's "API examples in Python" page.
-- How many NIRCam exposures have a proposed dec of 0..90 and a dec proper
-- motion of -10..-2 (Mast.Jwst.Filtered.Nircam, COUNT_BIG(*)).
-- Another instrument may be named on the command line, as the page suggests:
--   mast jwst_nircam_search.lua Miri   (Nircam Niriss Nirspec Miri Fgs GuideStar Wss)
-- Fixes (§12.8): the page spells the service Mast.JWST.Filtered.Nircam; MAST's
-- documentation, and this request, spell it Mast.Jwst.Filtered.Nircam (and
-- GuideStar, which the page writes "Guidestar").
local mast = require "mast"

local instrument = arg and arg[1] or "Nircam"
for _, name in ipairs(mast.jwst.instruments) do   -- MAST's spelling of the name given
  if name:lower() == instrument:lower() then instrument = name end
end
local filters = mast.set_filters {
  { "prop_dec", mast.set_min_max(0, 90) },
  { "mu_dec", mast.set_min_max(-10, -2) },
}
local n = mast.jwst.count { instrument = instrument, filters = filters }
print(("Mast.Jwst.Filtered.%s: %d exposures match"):format(instrument, n))
