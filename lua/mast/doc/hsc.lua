-- Help entries (mast.help): hsc.
return {
  ["mast.hsc"] = {
    sig = "mast.hsc",
    summary = "The Hubble Source Catalog (versions 2 and 3) and its spectra.",
  },
  ["mast.hsc.cone"] = {
    sig = "mast.hsc.cone{ra =, dec = | target =, radius = 0.2 [, nr = 50000, ni = 1, magtype = 1, version = 3]} -> result",
    summary = "Mast.Hsc.Db.v3 (version = 2: Mast.Hsc.Db.v2): HSC sources in a cone.",
    text = "nr: the most rows to return; ni: the fewest images a source must be in; magtype: 1 or \"MagAper2\" (aperture magnitudes), 2 or \"MagAuto\".",
  },
  ["mast.hsc.matches"] = {
    sig = "mast.hsc.matches{match_id = <MatchID> [, version = 3]} -> result",
    summary = "Mast.HscMatches.Db.v3 (or .v2): every detection of one HSC match (a source's MatchID, e.g.",
    text = "from mast.hsc.cone), sent as params.input.",
  },
  ["mast.hsc.spectra"] = {
    sig = "mast.hsc.spectra{[format = \"json\"]} -> result (or text for format \"votable\"/\"csv\")",
    summary = "Mast.HscSpectra.Db.All: every HSC spectrum MAST holds (the service takes no params).",
  },
  ["mast.hsc.spectrum_url"] = {
    sig = "mast.hsc.spectrum_url(row) -> url, filename",
    summary = "The URL the Hubble Legacy Archive serves a spectrum (a row of mast.hsc.spectra) at.",
    text = "Where the Hubble Legacy Archive serves a spectrum (a row of mast.hsc.spectra): SpectrumType < 2 through getdata.cgi (file named after the dataset), others through ecfproxy as <DatasetName>.fits. The host is mast.config(\"hla_url\").",
  },
}
