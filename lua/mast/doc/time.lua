-- Help entries (mast.help): time.
return {
  ["mast.time"] = {
    sig = "mast.time",
    summary = "ISO 8601 dates and Modified Julian Dates (UTC).",
  },
  ["mast.time.iso"] = {
    sig = "mast.time.iso(mjd) -> string",
    summary = "The ISO 8601 UTC date-time of a Modified Julian Date, to the millisecond.",
  },
  ["mast.time.mjd"] = {
    sig = "mast.time.mjd(iso) -> number",
    summary = "The Modified Julian Date of an ISO 8601 UTC date or date-time.",
  },
}
