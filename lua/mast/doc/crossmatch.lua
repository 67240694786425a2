-- Help entries (mast.help): crossmatch.
return {
  ["mast.crossmatch"] = {
    sig = "mast.crossmatch",
    summary = "Matches your own positions against MAST's catalogs.",
  },
  ["mast.crossmatch.caom"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.caom{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.caom{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against CAOM observations.",
  },
  ["mast.crossmatch.ctl"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.ctl{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.ctl{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the TESS Candidate Target List.",
  },
  ["mast.crossmatch.gaia_dr1"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.gaia_dr1{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.gaia_dr1{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against Gaia DR1.",
  },
  ["mast.crossmatch.gaia_dr2"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.gaia_dr2{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.gaia_dr2{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against Gaia DR2.",
  },
  ["mast.crossmatch.gaia_dr3"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.gaia_dr3{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.gaia_dr3{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against Gaia DR3.",
  },
  ["mast.crossmatch.galex"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.galex{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.galex{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against GALEX.",
  },
  ["mast.crossmatch.hsc_magaper2"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.hsc_magaper2{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.hsc_magaper2{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the Hubble Source Catalog (MagAper2).",
  },
  ["mast.crossmatch.hsc_magauto"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.hsc_magauto{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.hsc_magauto{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the Hubble Source Catalog (MagAuto).",
  },
  ["mast.crossmatch.sdss"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.sdss{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.sdss{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against SDSS.",
  },
  ["mast.crossmatch.tgas"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.tgas{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.tgas{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against TGAS.",
  },
  ["mast.crossmatch.tic"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.tic{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.tic{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the TESS Input Catalog.",
  },
  ["mast.crossmatch.twomass"] = {
    returns = "a mast.Result: your rows' columns with the matched catalog rows and their distance",
    example = "local r = mast.crossmatch.twomass{data = {{ra = 210.80243, dec = 54.34875}}, radius = 0.002}\nprint(r:count())",
    sig = "mast.crossmatch.twomass{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against 2MASS.",
  },
  ["mast.crossmatch.upload"] = {
    returns = "the upload (a table MAST's crossmatch takes), the ra column's name and the dec column's",
    example = "local up, ra_col, dec_col = mast.crossmatch.upload(\"demo\", {data = {{ra = 210.8, dec = 54.3}}})",
    options = {
      { name = "data", type = "rows | Result | mast.Table", text = "Your positions." },
      { name = "ra_column", type = "string", default = "'ra'", text = "The column of data holding right ascension." },
      { name = "dec_column", type = "string", default = "'dec'", text = "The column of data holding declination." },
    },
    sig = "mast.crossmatch.upload(fn, args) -> upload, ra_column, dec_column",
    summary = "The upload a crossmatch sends (used by the crossmatch wrappers).",
    text = "The upload a crossmatch sends, from a wrapper\'s data, ra_column and dec_column (used by the wrappers).",
  },
}
