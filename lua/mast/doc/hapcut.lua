-- Help entries (mast.help): hapcut.
return {
  ["mast.hapcut"] = {
    sig = "mast.hapcut",
    summary = "Cutouts of Hubble Advanced Products (HAPcut).",
  },
  ["mast.hapcut.cutouts"] = {
    sig = "mast.hapcut.cutouts{ra =, dec =, size = 50 | {x, y} | \"5 arcsec\", dir =} -> {{path, size}, ...}",
    summary = "Cutouts of Hubble Advanced Products around a position, written into dir.",
  },
}
