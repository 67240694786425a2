-- Help entries (mast.help): resolver.
return {
  ["mast.resolver"] = {
    sig = "mast.resolver",
    summary = "Object names to coordinates through MAST's name resolver.",
  },
  ["mast.resolver.lookup"] = {
    sig = "mast.resolver.lookup(name [, opts]) -> MAST's answer, as the page's resolve_name returns it:",
    summary = "The resolver's raw answer for a name (Mast.Name.Lookup).",
    text = "{resolvedCoordinate = {{ra =, decl =, canonicalName =, resolver =, objectType =, ...}, ...}, status = \"\"} An unknown name gives an empty resolvedCoordinate list (no error). opts.deadline, opts.progress: as mast.query.",
  },
  ["mast.resolver.resolve"] = {
    sig = "mast.resolver.resolve(name [, opts]) -> ra, dec, entry",
    summary = "The first match's position (ra, dec in degrees) and its whole entry.",
    text = "The first match's position in degrees (MAST calls the declination `decl`) and the whole entry (canonicalName, resolver, objectType, ...). A name the resolver does not know is an error (code \"mast\") naming it.",
  },
  ["mast.resolver.resolve_for"] = {
    sig = "mast.resolver.resolve_for(fn, name [, opts]) -> ra, dec",
    summary = "The ra, dec (degrees) of a target name, errors named after the calling function fn.",
  },
  ["mast.resolver.santa"] = {
    sig = "mast.resolve(name_or_names [, opts]) -> entry, or {[name] = entry} for a list",
    summary = "Resolves object names to positions through MAST's name resolver (SANTA).",
    text = "MAST's name resolver (SANTA, the `resolver_url` setting): an entry is {ra, dec (degrees), name (canonical), resolver, object_type, ...MAST's own fields (searchString, decl, ...)}. opts: resolver (\"SIMBAD\" | \"NED\" | ..., or a list: ask only those), all = true (every resolver's answer: a list of entries per name), deadline, progress. Names are sent 30 a request, concurrently. A name nobody resolves is an error (code \"mast\") naming every such name; nothing is half-answered.",
  },
}
