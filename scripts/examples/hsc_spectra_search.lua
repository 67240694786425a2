#!/usr/bin/env mast
-- hsc_spectra_search: a port of hsc_spectra_search() from MAST's "API examples in Python" page.
-- Every HSC spectrum MAST holds, as a VOTable (Mast.HscSpectra.Db.All, format "votable").
-- Fixes: none needed.
local mast = require "mast"

local votable = mast.hsc.spectra { format = "votable" }
local rows = select(2, votable:gsub("<TR>", ""))
print(("Mast.HscSpectra.Db.All: a VOTable of %d bytes with %d rows"):format(#votable, rows))
for line in votable:gmatch("[^\n]+") do
  if line:find("<FIELD", 1, true) then print("  " .. line:match("^%s*(.-)%s*$")) end
end
