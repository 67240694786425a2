-- Help entries (mast.help): coords.
return {
  ["mast.coords"] = {
    sig = "mast.coords",
    summary = "Positions and angles as people write them (sexagesimal, units), separations.",
  },
  ["mast.coords.angle"] = {
    sig = "mast.coords.angle(fn, v, unit, what) -> number",
    summary = "The angle v (a number in unit, or a string such as '3 arcmin') in unit ('deg', 'arcmin', 'arcsec').",
    text = "A number in the wanted unit comes back untouched, so numbers sent stay exactly what they were. Raises a usage error naming `what` when bad.",
  },
  ["mast.coords.position"] = {
    sig = "mast.coords.position(fn, opts) -> ra, dec",
    summary = "The ra, dec in degrees of ra/dec, a coordinates string or {ra, dec}.",
    text = "ra, dec in degrees from opts.ra/opts.dec or opts.coordinates (a string, decimal or sexagesimal, or {ra, dec}). Returns nil when neither is given (a target is the caller's: coords.resolve below).",
  },
  ["mast.coords.radius"] = {
    sig = "mast.coords.radius(fn, r [, unit]) -> degrees",
    summary = "A radius in degrees from a number (degrees) or a string with a unit ('10 arcsec').",
  },
  ["mast.coords.resolve"] = {
    sig = "mast.coords.resolve(fn, opts [, run_opts]) -> ra, dec",
    summary = "The ra, dec of a position (ra/dec, coordinates) or of a target name resolved through MAST.",
  },
  ["mast.coords.separation"] = {
    sig = "mast.coords.separation(ra1, dec1, ra2, dec2) -> degrees",
    summary = "The angular distance between two positions (Vincenty's formula).",
  },
}
