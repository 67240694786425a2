-- Help entries (mast.help): coords.
return {
  ["mast.coords"] = {
    sig = "mast.coords",
    summary = "Positions and angles as people write them (sexagesimal, units), separations.",
  },
  ["mast.coords.angle"] = {
    returns = "the angle in unit, a number",
    example = "print(mast.coords.angle(\"demo\", \"3 arcmin\", \"deg\", \"radius\"))   --> 0.05",
    sig = "mast.coords.angle(fn, v, unit, what) -> number",
    summary = "The angle v (a number in unit, or a string such as '3 arcmin') in unit ('deg', 'arcmin', 'arcsec').",
    text = "A number in the wanted unit comes back untouched, so numbers sent stay exactly what they were. Raises a usage error naming `what` when bad.",
  },
  ["mast.coords.position"] = {
    returns = "ra, dec in degrees (nil when opts gives no position)",
    example = "print(mast.coords.position(\"demo\", {coordinates = \"14:03:12.6 +54:20:56\"}))",
    options = {
      { name = "ra", type = "number (degrees)", group = "position", text = "Right ascension." },
      { name = "dec", type = "number (degrees)", group = "position", text = "Declination." },
      { name = "coordinates", type = "string | {ra, dec}", group = "position", text = "The position as one value: decimal or sexagesimal text, or {ra, dec}." },
    },
    sig = "mast.coords.position(fn, opts) -> ra, dec",
    summary = "The ra, dec in degrees of ra/dec, a coordinates string or {ra, dec}.",
    text = "ra, dec in degrees from opts.ra/opts.dec or opts.coordinates (a string, decimal or sexagesimal, or {ra, dec}). Returns nil when neither is given (a target is the caller's: coords.resolve below).",
  },
  ["mast.coords.radius"] = {
    returns = "the radius in degrees, a number",
    example = "print(mast.coords.radius(\"demo\", \"10 arcsec\"))",
    sig = "mast.coords.radius(fn, r [, unit]) -> degrees",
    summary = "A radius in degrees from a number (degrees) or a string with a unit ('10 arcsec').",
  },
  ["mast.coords.resolve"] = {
    returns = "ra, dec in degrees",
    example = "print(mast.coords.resolve(\"demo\", {target = \"M101\"}))",
    options = {
      { name = "ra", type = "number (degrees)", group = "position", text = "Right ascension." },
      { name = "dec", type = "number (degrees)", group = "position", text = "Declination." },
      { name = "coordinates", type = "string | {ra, dec}", group = "position", text = "The position as one value." },
      { name = "target", type = "string", group = "position", text = "A name resolved through MAST's resolver (run_opts: its deadline, progress)." },
    },
    sig = "mast.coords.resolve(fn, opts [, run_opts]) -> ra, dec",
    summary = "The ra, dec of a position (ra/dec, coordinates) or of a target name resolved through MAST.",
  },
  ["mast.coords.separation"] = {
    returns = "the separation in degrees, a number",
    example = "print(mast.coords.separation(210.8, 54.3, 210.9, 54.3))",
    sig = "mast.coords.separation(ra1, dec1, ra2, dec2) -> degrees",
    summary = "The angular distance between two positions (Vincenty's formula).",
  },
}
