-- Help entries (mast.help): observations.
return {
  ["mast.observations"] = {
    sig = "mast.observations",
    summary = "CAOM observations as astroquery's Observations shapes them (query_region, ...).",
  },
  ["mast.observations.columns"] = {
    sig = "mast.observations.columns([{deadline =}]) -> a printable dataset of {name, type,",
    summary = "The observation columns criteria may name, with type, description and units.",
    text = "description, units, separator}: the observation columns criteria may name (MAST's column configuration of Mast.Caom.Cone).",
  },
  ["mast.observations.product_columns"] = {
    sig = "mast.observations.product_columns([{deadline =}]) -> the same for data products (Mast.Caom.Products).",
    summary = "A search through MAST's Mast.Caom.Products service.",
  },
  ["mast.observations.query_criteria"] = {
    sig = "mast.observations.query_criteria{column = value, ... [, coordinates | target | objectname, radius]} -> Result",
    summary = "Observations matching criteria on any CAOM column (astroquery's Observations.query_criteria).",
  },
  ["mast.observations.query_criteria_count"] = {
    sig = "mast.observations.query_criteria_count{column = value, ...} -> integer",
    summary = "How many observations query_criteria would return.",
  },
  ["mast.observations.query_object"] = {
    sig = "mast.observations.query_object(name [, {radius = 0.2}]) -> Result",
    summary = "Observations around a named object (astroquery's Observations.query_object).",
  },
  ["mast.observations.query_object_count"] = {
    sig = "mast.observations.query_object_count(name [, {radius =}]) -> integer",
    summary = "How many observations query_object would return.",
  },
  ["mast.observations.query_region"] = {
    sig = "mast.observations.query_region{coordinates | ra, dec | target, radius = 0.2} -> Result",
    summary = "Observations within a region (astroquery's Observations.query_region).",
  },
  ["mast.observations.query_region_count"] = {
    sig = "mast.observations.query_region_count{coordinates | ra, dec | target, radius =} -> integer",
    summary = "How many observations query_region would return.",
  },
}
