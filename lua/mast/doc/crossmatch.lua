-- Help entries (mast.help): crossmatch.
return {
  ["mast.crossmatch"] = {
    sig = "mast.crossmatch",
    summary = "Matches your own positions against MAST's catalogs.",
  },
  ["mast.crossmatch.caom"] = {
    sig = "mast.crossmatch.caom{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against CAOM observations.",
  },
  ["mast.crossmatch.ctl"] = {
    sig = "mast.crossmatch.ctl{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the TESS Candidate Target List.",
  },
  ["mast.crossmatch.gaia_dr1"] = {
    sig = "mast.crossmatch.gaia_dr1{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against Gaia DR1.",
  },
  ["mast.crossmatch.gaia_dr2"] = {
    sig = "mast.crossmatch.gaia_dr2{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against Gaia DR2.",
  },
  ["mast.crossmatch.gaia_dr3"] = {
    sig = "mast.crossmatch.gaia_dr3{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against Gaia DR3.",
  },
  ["mast.crossmatch.galex"] = {
    sig = "mast.crossmatch.galex{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against GALEX.",
  },
  ["mast.crossmatch.hsc_magaper2"] = {
    sig = "mast.crossmatch.hsc_magaper2{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the Hubble Source Catalog (MagAper2).",
  },
  ["mast.crossmatch.hsc_magauto"] = {
    sig = "mast.crossmatch.hsc_magauto{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the Hubble Source Catalog (MagAuto).",
  },
  ["mast.crossmatch.sdss"] = {
    sig = "mast.crossmatch.sdss{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against SDSS.",
  },
  ["mast.crossmatch.tgas"] = {
    sig = "mast.crossmatch.tgas{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against TGAS.",
  },
  ["mast.crossmatch.tic"] = {
    sig = "mast.crossmatch.tic{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against the TESS Input Catalog.",
  },
  ["mast.crossmatch.twomass"] = {
    sig = "mast.crossmatch.twomass{data = rows, radius = 0.002 [, ra_column =, dec_column =]} -> result",
    summary = "Matches your positions (data) against 2MASS.",
  },
  ["mast.crossmatch.upload"] = {
    sig = "mast.crossmatch.upload(fn, args) -> upload, ra_column, dec_column",
    summary = "The upload a crossmatch sends (used by the crossmatch wrappers).",
    text = "The upload a crossmatch sends, from a wrapper\'s data, ra_column and dec_column (used by the wrappers).",
  },
}
