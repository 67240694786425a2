-- Help entries (mast.help): hsc.
return {
  ["mast.hsc"] = {
    sig = "mast.hsc",
    summary = "The Hubble Source Catalog (versions 2 and 3) and its spectra.",
  },
  ["mast.hsc.cone"] = {
    options = {
      { name = "nr", type = "integer", default = "50000", text = "The most rows to return." },
      { name = "ni", type = "integer", default = "1", text = "The fewest images a source must be in." },
      { name = "magtype", type = "1 | 2 | 'MagAper2' | 'MagAuto'", default = "1", text = "Aperture magnitudes (1, MagAper2) or MagAuto (2)." },
      { name = "version", type = "2 | 3", default = "3", text = "The HSC version (Mast.Hsc.Db.v3 or .v2)." },
    },
    returns = "a mast.Result of HSC sources",
    example = "local r = mast.hsc.cone{ra = 254.28746, dec = -4.09933, radius = 0.02, nr = 1000}",
    sig = "mast.hsc.cone{ra =, dec = | target =, radius = 0.2 [, nr = 50000, ni = 1, magtype = 1, version = 3]} -> result",
    summary = "Mast.Hsc.Db.v3 (version = 2: Mast.Hsc.Db.v2): HSC sources in a cone.",
    text = "nr: the most rows to return; ni: the fewest images a source must be in; magtype: 1 or \"MagAper2\" (aperture magnitudes), 2 or \"MagAuto\".",
  },
  ["mast.hsc.matches"] = {
    options = {
      { name = "match_id", default = "required", text = "The match (a source's MatchID from mast.hsc.cone)." },
      { name = "version", type = "2 | 3", default = "3", text = "The HSC version." },
    },
    returns = "a mast.Result of the match's detections",
    example = "local s = mast.hsc.cone{ra = 254.28746, dec = -4.09933, radius = 0.01}\nlocal d = mast.hsc.matches{match_id = s.data[1].MatchID}",
    sig = "mast.hsc.matches{match_id = <MatchID> [, version = 3]} -> result",
    summary = "Mast.HscMatches.Db.v3 (or .v2): every detection of one HSC match (a source's MatchID, e.g.",
    text = "from mast.hsc.cone), sent as params.input.",
  },
  ["mast.hsc.spectra"] = {
    returns = "a mast.Result of every spectrum (format 'csv' or 'votable': the text)",
    example = "local r = mast.hsc.spectra{}\nprint(r:count())",
    sig = "mast.hsc.spectra{[format = \"json\"]} -> result (or text for format \"votable\"/\"csv\")",
    summary = "Mast.HscSpectra.Db.All: every HSC spectrum MAST holds (the service takes no params).",
  },
  ["mast.hsc.spectrum_url"] = {
    returns = "the URL and the file name to save it as",
    example = "local r = mast.hsc.spectra{}\nlocal url, name = mast.hsc.spectrum_url(r.data[1])\nmast.download(url, name)",
    sig = "mast.hsc.spectrum_url(row) -> url, filename",
    summary = "The URL the Hubble Legacy Archive serves a spectrum (a row of mast.hsc.spectra) at.",
    text = "Where the Hubble Legacy Archive serves a spectrum (a row of mast.hsc.spectra): SpectrumType < 2 through getdata.cgi (file named after the dataset), others through ecfproxy as <DatasetName>.fits. The host is mast.config(\"hla_url\").",
  },
}
