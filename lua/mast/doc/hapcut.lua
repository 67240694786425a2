-- Help entries (mast.help): hapcut.
return {
  ["mast.hapcut"] = {
    sig = "mast.hapcut",
    summary = "Cutouts of Hubble Advanced Products (HAPcut).",
  },
  ["mast.hapcut.cutouts"] = {
    returns = "a list of {path, size}: the files written into dir",
    example = "local files = mast.hapcut.cutouts{ra = 202.4698, dec = 47.1952, size = 50, dir = \"cutouts\"}\nprint(files[1].path)",
    options = {
      { name = "ra", text = "Right ascension of the centre, in degrees." },
      { name = "dec", text = "Declination of the centre, in degrees." },
      { name = "size", type = "number | {x, y} | string", default = "5", text = "Pixels (a number or {x, y}) or an angle with a unit ('5 arcsec')." },
      { name = "dir", default = "required", text = "The directory the cutouts are unpacked into." },
      { name = "deadline", default = "the deadline setting", text = "Seconds the whole call may take." },
    },
    sig = "mast.hapcut.cutouts{ra =, dec =, size = 50 | {x, y} | \"5 arcsec\", dir =} -> {{path, size}, ...}",
    summary = "Cutouts of Hubble Advanced Products around a position, written into dir.",
  },
}
