-- Help entries (mast.help): tesscut.
return {
  ["mast.tesscut"] = {
    sig = "mast.tesscut",
    summary = "TESS full-frame-image cutouts (MAST's TESScut, astroquery's Tesscut).",
  },
  ["mast.tesscut.cutouts"] = {
    sig = "mast.tesscut.cutouts{ra =, dec = | object =, size =, sector =, dir =} -> {{path, sector, camera, ccd, size}, ...}",
    summary = "TESS full-frame-image cutouts (target-pixel files) around a position, unpacked into dir.",
  },
  ["mast.tesscut.sectors"] = {
    sig = "mast.tesscut.sectors{ra =, dec =, radius = 0 | object =, object_type =} -> Result",
    summary = "The TESS sectors (camera, ccd) covering a position or a moving target.",
  },
}
