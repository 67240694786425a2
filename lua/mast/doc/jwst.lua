-- Help entries (mast.help): jwst.
return {
  ["mast.jwst"] = {
    sig = "mast.jwst",
    summary = "JWST science-instrument keyword searches (Mast.Jwst.Filtered.<Instrument>).",
  },
  ["mast.jwst.count"] = {
    sig = "mast.jwst.count{instrument = \"Nircam\", filters = {...}} -> integer",
    summary = "The same search as a COUNT_BIG(*) query.",
  },
  ["mast.jwst.search"] = {
    sig = "mast.jwst.search{instrument = \"Nircam\", filters = {...} [, columns = \"*\"]} -> result",
    summary = "The instrument keywords of the exposures matching the filters.",
    text = "instrument: Nircam, Niriss, Nirspec, Miri, Fgs, GuideStar or Wss (in any case).",
  },
}
