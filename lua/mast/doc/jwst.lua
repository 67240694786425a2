-- Help entries (mast.help): jwst.
return {
  ["mast.jwst"] = {
    sig = "mast.jwst",
    summary = "JWST science-instrument keyword searches (Mast.Jwst.Filtered.<Instrument>).",
  },
  ["mast.jwst.count"] = {
    options = {
      { name = "instrument", type = "'Nircam' | 'Niriss' | 'Nirspec' | 'Miri' | 'Fgs' | 'GuideStar' | 'Wss'", default = "required", text = "Which instrument's service is asked." },
    },
    returns = "an integer",
    example = "print(mast.jwst.count{instrument = 'Nircam', filters = {targprop = 'NGC-3132'}})",
    sig = "mast.jwst.count{instrument = \"Nircam\", filters = {...}} -> integer",
    summary = "The same search as a COUNT_BIG(*) query.",
  },
  ["mast.jwst.search"] = {
    options = {
      { name = "instrument", type = "'Nircam' | 'Niriss' | 'Nirspec' | 'Miri' | 'Fgs' | 'GuideStar' | 'Wss'", default = "required", text = "Which instrument's service is asked." },
    },
    returns = "a mast.Result of JWST datasets",
    example = "local r = mast.jwst.search{instrument = 'Nircam', filters = {targprop = 'NGC-3132'}, columns = 'filename, targprop'}",
    sig = "mast.jwst.search{instrument = \"Nircam\", filters = {...} [, columns = \"*\"]} -> result",
    summary = "The instrument keywords of the exposures matching the filters.",
    text = "instrument: Nircam, Niriss, Nirspec, Miri, Fgs, GuideStar or Wss (in any case).",
  },
}
