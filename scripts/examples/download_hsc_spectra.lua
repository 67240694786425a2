#!/usr/bin/env mast
-- download_hsc_spectra: a port of download_hsc_spectra() from MAST's "API examples in Python" page.
-- Lists the HSC spectra (Mast.HscSpectra.Db.All) and downloads the first three
-- from the Hubble Legacy Archive into mastFiles/ in the current directory.
-- Fixes (§12.5): the page POSTs the HLA URL as the body of a request to MAST's
-- Download/file; the spectra are HLA files, so we GET the HLA URL itself
-- (built on mast.config("hla_url")), as the old apiEx did. The page writes to
-- the current directory; we write under mastFiles/.
local mast = require "mast"

local spectra = mast.hsc.spectra { format = "json" }
print(("Mast.HscSpectra.Db.All: %d spectra"):format(spectra:count()))
for i = 1, math.min(3, spectra:count()) do
  local row = spectra.data[i]
  local url, filename = mast.hsc.spectrum_url(row)
  local got = mast.download(url, "mastFiles/" .. filename, { progress = false })
  print(("  %s (SpectrumType %s): %d bytes -> %s"):format(row.DatasetName, tostring(row.SpectrumType),
    got.bytes, got.path))
end
