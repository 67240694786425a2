-- Help entries (mast.help): resolver.
return {
  ["mast.resolver"] = {
    sig = "mast.resolver",
    summary = "Object names to coordinates through MAST's name resolver.",
  },
  ["mast.resolver.lookup"] = {
    returns = "MAST's answer: {resolvedCoordinate = {...}, status}",
    example = "local a = mast.resolver.lookup(\"M101\")\nprint(a.resolvedCoordinate[1].ra)",
    options = {
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
      { name = "progress", type = "boolean", default = "on a terminal", group = "run", text = "Show a waiting line on the terminal (false: nothing)." },
    },
    sig = "mast.resolver.lookup(name [, opts]) -> MAST's answer, as the page's resolve_name returns it:",
    summary = "The resolver's raw answer for a name (Mast.Name.Lookup).",
    text = "{resolvedCoordinate = {{ra =, decl =, canonicalName =, resolver =, objectType =, ...}, ...}, status = \"\"} An unknown name gives an empty resolvedCoordinate list (no error). opts.deadline, opts.progress: as mast.query.",
  },
  ["mast.resolver.resolve"] = {
    returns = "ra, dec (degrees) and the whole entry",
    example = "local ra, dec, e = mast.resolver.resolve(\"M101\")\nprint(ra, dec, e.canonicalName)",
    options = {
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
      { name = "progress", type = "boolean", default = "on a terminal", group = "run", text = "Show a waiting line on the terminal (false: nothing)." },
    },
    sig = "mast.resolver.resolve(name [, opts]) -> ra, dec, entry",
    summary = "The first match's position (ra, dec in degrees) and its whole entry.",
    text = "The first match's position in degrees (MAST calls the declination `decl`) and the whole entry (canonicalName, resolver, objectType, ...). A name the resolver does not know is an error (code \"mast\") naming it.",
  },
  ["mast.resolver.resolve_for"] = {
    returns = "ra, dec in degrees",
    example = "print(mast.resolver.resolve_for(\"mine\", \"M101\"))",
    options = {
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
      { name = "progress", type = "boolean", default = "on a terminal", group = "run", text = "Show a waiting line on the terminal (false: nothing)." },
    },
    sig = "mast.resolver.resolve_for(fn, name [, opts]) -> ra, dec",
    summary = "The ra, dec (degrees) of a target name, errors named after the calling function fn.",
  },
  ["mast.resolver.santa"] = {
    returns = "an entry {ra, dec, name, resolver, object_type, ...}, or {[name] = entry} for a list",
    example = "local e = mast.resolver.santa(\"M101\")\nprint(e.ra, e.dec)",
    options = {
      { name = "resolver", type = "string | {names}", default = "every resolver", text = "Ask only these resolvers ('SIMBAD', 'NED', ...)." },
      { name = "all", type = "boolean", default = "false", text = "Every resolver's answer: a list of entries per name." },
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
      { name = "progress", type = "boolean", default = "on a terminal", group = "run", text = "Show a waiting line on the terminal (false: nothing)." },
    },
    sig = "mast.resolve(name_or_names [, opts]) -> entry, or {[name] = entry} for a list",
    summary = "Resolves object names to positions through MAST's name resolver (SANTA).",
    text = "MAST's name resolver (SANTA, the `resolver_url` setting): an entry is {ra, dec (degrees), name (canonical), resolver, object_type, ...MAST's own fields (searchString, decl, ...)}. opts: resolver (\"SIMBAD\" | \"NED\" | ..., or a list: ask only those), all = true (every resolver's answer: a list of entries per name), deadline, progress. Names are sent 30 a request, concurrently. A name nobody resolves is an error (code \"mast\") naming every such name; nothing is half-answered.",
  },
}
