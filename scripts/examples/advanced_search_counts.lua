#!/usr/bin/env mast
-- advanced_search_counts: a port of advanced_search_counts() from MAST's "API examples in Python" page.
-- How many CAOM observations have an NUV or FUV filter, a t_max between MJD
-- 52264.4586 and 54452.8914, and "200" in their obsid (Mast.Caom.Filtered,
-- columns = "COUNT_BIG(*)").
-- Fixes: none needed. The filters are given in the page's order, in the
-- plain form: a list of values, a {min, max} pair, {freeText = ...}.
local mast = require "mast"

local n = mast.caom.filtered_count {
  filters = {
    { "filters", { values = { "NUV", "FUV" }, separator = ";" } },
    { "t_max", { 52264.4586, 54452.8914 } },
    { "obsid", { freeText = "%200%" } },
  },
}
print(("Mast.Caom.Filtered: %d observations match"):format(n))
