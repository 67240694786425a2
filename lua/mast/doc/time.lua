-- Help entries (mast.help): time.
return {
  ["mast.time"] = {
    sig = "mast.time",
    summary = "ISO 8601 dates and Modified Julian Dates (UTC).",
  },
  ["mast.time.iso"] = {
    returns = "the ISO 8601 text (UTC)",
    example = "print(mast.time.iso(60000))   --> 2023-02-25T00:00:00.000",
    sig = "mast.time.iso(mjd) -> string",
    summary = "The ISO 8601 UTC date-time of a Modified Julian Date, to the millisecond.",
  },
  ["mast.time.mjd"] = {
    returns = "the MJD, a number",
    example = "print(mast.time.mjd(\"2023-02-25T00:00:00\"))   --> 60000.0",
    sig = "mast.time.mjd(iso) -> number",
    summary = "The Modified Julian Date of an ISO 8601 UTC date or date-time.",
  },
}
