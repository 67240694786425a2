-- Help entries (mast.help): zcut.
return {
  ["mast.zcut"] = {
    sig = "mast.zcut",
    summary = "Cutouts of MAST's deep-field surveys (Zcut: CANDELS, GOODS, ...).",
  },
  ["mast.zcut.cutouts"] = {
    sig = "mast.zcut.cutouts{ra =, dec =, size = 100 | {x, y} | \"10 arcsec\", survey =, format = \"fits\" | \"jpg\" | \"png\",",
    summary = "Cutouts of a position as FITS, JPG or PNG, unpacked into dir.",
  },
  ["mast.zcut.surveys"] = {
    sig = "mast.zcut.surveys{ra =, dec =, radius = 0} -> {\"candels_gn_30mas\", ...}",
    summary = "The surveys that cover a position.",
  },
}
