-- Help entries (mast.help): zcut.
return {
  ["mast.zcut"] = {
    sig = "mast.zcut",
    summary = "Cutouts of MAST's deep-field surveys (Zcut: CANDELS, GOODS, ...).",
  },
  ["mast.zcut.cutouts"] = {
    options = {
      { name = "size", default = "100", text = "The cutout's size: pixels (a number, or {x, y}) or an angle with a unit ('10 arcsec')." },
      { name = "survey", type = "string", default = "every survey covering it", text = "Only this survey (a name from mast.zcut.surveys)." },
      { name = "format", type = "'fits' | 'jpg' | 'png'", default = "'fits'", text = "The files' format." },
      { name = "stretch", type = "'asinh' | 'sinh' | 'sqrt' | 'log' | 'linear'", text = "Image formats: the stretch." },
      { name = "minmax_percent", type = "{lo, hi}", text = "Image formats: the percentiles mapped to black and white." },
      { name = "minmax_value", type = "{lo, hi}", text = "Image formats: the values mapped to black and white." },
      { name = "invert", type = "boolean", default = "false", text = "Image formats: invert the colours." },
    },
    returns = "a list of {path, size}: the files written into dir",
    example = "local files = mast.zcut.cutouts{ra = 189.49206, dec = 62.20615, size = 100, survey = \"candels_gn_30mas\", dir = \"zcut\"}",
    sig = "mast.zcut.cutouts{ra =, dec =, size = 100 | {x, y} | \"10 arcsec\", survey =, format = \"fits\" | \"jpg\" | \"png\",",
    summary = "Cutouts of a position as FITS, JPG or PNG, unpacked into dir.",
  },
  ["mast.zcut.surveys"] = {
    options = {
      { name = "radius", type = "number (degrees)", default = "0", text = "The search radius, in degrees." },
    },
    returns = "a list of survey names",
    example = "for _, s in ipairs(mast.zcut.surveys{ra = 189.49206, dec = 62.20615}) do print(s) end",
    sig = "mast.zcut.surveys{ra =, dec =, radius = 0} -> {\"candels_gn_30mas\", ...}",
    summary = "The surveys that cover a position.",
  },
}
