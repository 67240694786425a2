-- Help entries (mast.help): observations.
return {
  ["mast.observations"] = {
    sig = "mast.observations",
    summary = "CAOM observations as astroquery's Observations shapes them (query_region, ...).",
  },
  ["mast.observations.columns"] = {
    returns = "a printable dataset of {name, type, description, units, separator}",
    example = "print(mast.observations.columns())",
    sig = "mast.observations.columns([{deadline =}]) -> a printable dataset of {name, type,",
    summary = "The observation columns criteria may name, with type, description and units.",
    text = "description, units, separator}: the observation columns criteria may name (MAST's column configuration of Mast.Caom.Cone).",
  },
  ["mast.observations.product_columns"] = {
    returns = "a printable dataset of {name, type, description, units, separator}",
    example = "print(mast.observations.product_columns())",
    sig = "mast.observations.product_columns([{deadline =}]) -> the same for data products (Mast.Caom.Products).",
    summary = "A search through MAST's Mast.Caom.Products service.",
  },
  ["mast.observations.query_criteria"] = {
    options = {
      { name = "radius", default = "0.2", text = "The search radius: degrees, or a string with a unit ('3 arcmin')." },
    },
    returns = "a mast.Result of observations",
    example = "local r = mast.observations.query_criteria{obs_collection = 'HST', instrument_name = 'WFC3/IR', objectname = 'M101', radius = '3 arcmin'}",
    sig = "mast.observations.query_criteria{column = value, ... [, coordinates | target | objectname, radius]} -> Result",
    summary = "Observations matching criteria on any CAOM column (astroquery's Observations.query_criteria).",
  },
  ["mast.observations.query_criteria_count"] = {
    options = {
      { name = "radius", default = "0.2", text = "The search radius: degrees, or a string with a unit ('3 arcmin')." },
    },
    returns = "an integer",
    example = "print(mast.observations.query_criteria_count{obs_collection = 'HST', instrument_name = 'WFC3/IR'})",
    sig = "mast.observations.query_criteria_count{column = value, ...} -> integer",
    summary = "How many observations query_criteria would return.",
  },
  ["mast.observations.query_object"] = {
    options = {
      { name = "radius", default = "0.2", text = "The search radius: degrees, or a string with a unit ('3 arcmin')." },
    },
    returns = "a mast.Result of observations",
    example = "local r = mast.observations.query_object('M101', {radius = '3 arcmin'})",
    sig = "mast.observations.query_object(name [, {radius = 0.2}]) -> Result",
    summary = "Observations around a named object (astroquery's Observations.query_object).",
  },
  ["mast.observations.query_object_count"] = {
    options = {
      { name = "radius", default = "0.2", text = "The search radius: degrees, or a string with a unit ('3 arcmin')." },
    },
    returns = "an integer",
    example = "print(mast.observations.query_object_count('M101', {radius = 0.05}))",
    sig = "mast.observations.query_object_count(name [, {radius =}]) -> integer",
    summary = "How many observations query_object would return.",
  },
  ["mast.observations.query_region"] = {
    options = {
      { name = "radius", default = "0.2", text = "The search radius: degrees, or a string with a unit ('3 arcmin')." },
    },
    returns = "a mast.Result of observations",
    example = "local r = mast.observations.query_region{coordinates = '210.80243 54.34875', radius = '3 arcmin'}",
    sig = "mast.observations.query_region{coordinates | ra, dec | target, radius = 0.2} -> Result",
    summary = "Observations within a region (astroquery's Observations.query_region).",
  },
  ["mast.observations.query_region_count"] = {
    options = {
      { name = "radius", default = "0.2", text = "The search radius: degrees, or a string with a unit ('3 arcmin')." },
    },
    returns = "an integer",
    example = "print(mast.observations.query_region_count{coordinates = '210.80243 54.34875', radius = 0.05})",
    sig = "mast.observations.query_region_count{coordinates | ra, dec | target, radius =} -> integer",
    summary = "How many observations query_region would return.",
  },
}
