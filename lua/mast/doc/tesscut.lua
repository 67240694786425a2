-- Help entries (mast.help): tesscut.
return {
  ["mast.tesscut"] = {
    sig = "mast.tesscut",
    summary = "TESS full-frame-image cutouts (MAST's TESScut, astroquery's Tesscut).",
  },
  ["mast.tesscut.cutouts"] = {
    options = {
      { name = "size", default = "5", text = "The cutout's size: pixels (a number, or {x, y}) or an angle with a unit ('2 arcmin')." },
      { name = "sector", type = "integer >= 1", default = "every sector covering it", text = "Only this TESS sector." },
      { name = "product", type = "'SPOC'", default = "'SPOC'", text = "The product (TICA was retired in 2025)." },
    },
    returns = "a list of {path, sector, camera, ccd, size}: the target-pixel files written into dir",
    example = "local s = mast.tesscut.sectors{ra = 84.2912, dec = -80.4692}\nlocal files = mast.tesscut.cutouts{ra = 84.2912, dec = -80.4692, size = 5, sector = s.data[1].sector, dir = \"tess\"}\nprint(files[1].path, files[1].sector)",
    sig = "mast.tesscut.cutouts{ra =, dec = | object =, size =, sector =, dir =} -> {{path, sector, camera, ccd, size}, ...}",
    summary = "TESS full-frame-image cutouts (target-pixel files) around a position, unpacked into dir.",
  },
  ["mast.tesscut.sectors"] = {
    options = {
      { name = "radius", type = "number (degrees) >= 0", default = "0", text = "The search radius, in degrees." },
    },
    returns = "a Result of {sectorName, sector, camera, ccd}",
    example = "print(mast.tesscut.sectors{ra = 84.2912, dec = -80.4692, radius = 0.1})",
    sig = "mast.tesscut.sectors{ra =, dec =, radius = 0 | object =, object_type =} -> Result",
    summary = "The TESS sectors (camera, ccd) covering a position or a moving target.",
  },
}
