#!/usr/bin/env mast
-- resolve_name: a port of resolve_name() from MAST's "API examples in Python" page.
-- Asks MAST's name resolver (Mast.Name.Lookup) where M101 is.
-- Fixes: none needed. (mast.query also sends format = "json" at the top
-- level; the resolver ignores it and reads the format inside params, as the
-- page sends it.)
local mast = require "mast"

local answer = mast.resolver.lookup("M101")
local matches = answer.resolvedCoordinate
print(("Mast.Name.Lookup: %d match%s for M101"):format(#matches, #matches == 1 and "" or "es"))
for _, m in ipairs(matches) do
  print(("  %-10s %-14s ra %11.6f  dec %10.6f  %s"):format(tostring(m.resolver), tostring(m.canonicalName),
    m.ra, m.decl, tostring(m.objectType)))
end
