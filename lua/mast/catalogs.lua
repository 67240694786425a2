--- mast.catalogs: MAST's catalogs — Gaia, TGAS, GALEX, the TESS Input Catalog
-- (TIC), the TESS Candidate Target List (CTL) and Disk Detective.
-- Cone searches take ra/dec (degrees) or target = "M101", and radius (degrees).
-- Filtered searches take filters as a plain table ({Teff = {4250, 4500},
-- Tmag = {8, 10}}) or mast.set_filters' list. Searches return a mast.Result,
-- *_count a Lua integer. Every search also takes pagesize, page,
-- removenullcolumns, timeout, cachebreaker, clearcache, removecache, format,
-- all = true (every page as one result), deadline, progress, params = {...}.
local S = require "mast.service"
local V = S.validators

local M = { _NAME = "mast.catalogs" }

local function columns_param(_, v)
  return type(v) == "table" and table.concat(v, ",") or v
end

-- ---------------------------------------------------------------- cones

-- name, service, default radius, extra options
local CONES = {
  { "gaia_dr1_cone", "Mast.Catalogs.GaiaDR1.Cone", 0.2 },
  { "gaia_dr2_cone", "Mast.Catalogs.GaiaDR2.Cone", 0.2 },
  { "gaia_dr3_cone", "Mast.Catalogs.GaiaDR3.Cone", 0.2 },
  { "tgas_cone", "Mast.Catalogs.Tgas.Cone", 0.2 },
  { "galex_cone", "Mast.Galex.Catalog", 0.2, { maxrecords = { check = V.posint } } },
  { "tic_cone", "Mast.Catalogs.Tic.Cone", 0.02 },
  { "ctl_cone", "Mast.Catalogs.Ctl.Cone", 0.02 },
  { "dd_cone", "Mast.Catalogs.DiskDetective.Cone", 0.2 },
}

--- mast.catalogs.gaia_dr1_cone{ra =, dec = | target =, radius = 0.2} -> result  (Mast.Catalogs.GaiaDR1.Cone)
--- mast.catalogs.gaia_dr2_cone{...} -> result  (Mast.Catalogs.GaiaDR2.Cone)
--- mast.catalogs.gaia_dr3_cone{...} -> result  (Mast.Catalogs.GaiaDR3.Cone)
--- mast.catalogs.tgas_cone{...} -> result      (Mast.Catalogs.Tgas.Cone)
--- mast.catalogs.galex_cone{... [, maxrecords =]} -> result  (Mast.Galex.Catalog)
--- mast.catalogs.tic_cone{..., radius = 0.02} -> result  (Mast.Catalogs.Tic.Cone)
--- mast.catalogs.ctl_cone{..., radius = 0.02} -> result  (Mast.Catalogs.Ctl.Cone)
--- mast.catalogs.dd_cone{...} -> result        (Mast.Catalogs.DiskDetective.Cone)
for _, c in ipairs(CONES) do
  M[c[1]] = S.define {
    name = "mast.catalogs." .. c[1], service = c[2], position = c[3], options = c[4],
    example = "{ra = 254.28746, dec = -4.09933, radius = 0.2}",
  }
end

-- ---------------------------------------------------------------- filtered

local TESS_EXAMPLE = "{filters = {Teff = {4250, 4500}, logg = {4.4, 5.0}, Tmag = {8, 10}}}"
local TESS_POS_EXAMPLE = "{ra = 210.8023, dec = 54.349, radius = 0.2, filters = {Teff = {4250, 4500}}}"

--- For TIC (tic_) and CTL (ctl_):
--- mast.catalogs.tic_filtered{filters = {...} [, columns = "*"]} -> result  (Mast.Catalogs.Filtered.Tic)
--- mast.catalogs.tic_filtered_count{filters = {...}} -> integer           (the same, COUNT_BIG(*))
--- mast.catalogs.tic_filtered_rows{filters = {...} [, columns = "*"]} -> result  (...Tic.Rows: rows only, faster)
--- mast.catalogs.tic_filtered_position{ra =, dec = | target =, radius = 0.2, filters = {...}} -> result
--- mast.catalogs.tic_filtered_position_count{...} -> integer
--- mast.catalogs.tic_filtered_position_rows{...} -> result
-- The column configuration each catalog's criteria are checked against: TIC and
-- CTL share the TESS one, as astroquery reads them (fixtures README).
local CONFIGS = { tic = "Mast.Catalogs.Tess.Cone", ctl = "Mast.Catalogs.Tess.Cone", dd = "Mast.Catalogs.Dd.Cone" }

for _, cat in ipairs({ { "tic", "Tic" }, { "ctl", "Ctl" } }) do
  local p, base = cat[1] .. "_filtered", "Mast.Catalogs.Filtered." .. cat[2]
  local cc = CONFIGS[cat[1]]
  M[p] = S.define { name = "mast.catalogs." .. p, service = base, filters = "required", columns = "*",
                    columns_config = cc, example = TESS_EXAMPLE }
  M[p .. "_count"] = S.define { name = "mast.catalogs." .. p .. "_count", service = base,
                                filters = "required", count = true, columns_config = cc, example = TESS_EXAMPLE }
  M[p .. "_rows"] = S.define { name = "mast.catalogs." .. p .. "_rows", service = base .. ".Rows",
                               filters = "required", columns = "*", columns_config = cc, example = TESS_EXAMPLE }
  M[p .. "_position"] = S.define {
    name = "mast.catalogs." .. p .. "_position", service = base .. ".Position", position = 0.2,
    filters = "optional", columns = "*", columns_config = cc, example = TESS_POS_EXAMPLE }
  M[p .. "_position_count"] = S.define {
    name = "mast.catalogs." .. p .. "_position_count", service = base .. ".Position", position = 0.2,
    filters = "optional", count = true, columns_config = cc, example = TESS_POS_EXAMPLE }
  M[p .. "_position_rows"] = S.define {
    name = "mast.catalogs." .. p .. "_position_rows", service = base .. ".Position.Rows", position = 0.2,
    filters = "optional", columns = "*", columns_config = cc, example = TESS_POS_EXAMPLE }
end

-- Disk Detective's filtered services document no columns param: it is sent
-- only when the caller gives it, and the counts are services of their own.
local DD = "Mast.Catalogs.Filtered.DiskDetective"
local DD_EXAMPLE = "{filters = {classifiers = {10, 18}, oval = {15, 76}}}"
local DD_POS_EXAMPLE = "{ra = 86.6909, dec = 0.079, radius = 0.2, filters = {classifiers = {10, 18}}}"
local DD_COLUMNS = { columns = { check = V.columns, convert = columns_param } }

--- mast.catalogs.dd_filtered{filters = {...} [, columns =]} -> result  (Mast.Catalogs.Filtered.DiskDetective)
M.dd_filtered = S.define { name = "mast.catalogs.dd_filtered", service = DD, columns_config = CONFIGS.dd,
                           filters = "required", options = DD_COLUMNS, example = DD_EXAMPLE }
--- mast.catalogs.dd_filtered_count{filters = {...}} -> integer  (...DiskDetective.Count)
M.dd_filtered_count = S.define { name = "mast.catalogs.dd_filtered_count", service = DD .. ".Count",
                                 columns_config = CONFIGS.dd, filters = "required", count = true,
                                 count_columns = false, example = DD_EXAMPLE }
--- mast.catalogs.dd_filtered_position{ra =, dec = | target =, radius = 0.2, filters = {...}} -> result
M.dd_filtered_position = S.define {
  name = "mast.catalogs.dd_filtered_position", service = DD .. ".Position", position = 0.2,
  columns_config = CONFIGS.dd, filters = "optional", options = DD_COLUMNS, example = DD_POS_EXAMPLE }
--- mast.catalogs.dd_filtered_position_count{...} -> integer  (...DiskDetective.Position.Count)
M.dd_filtered_position_count = S.define {
  name = "mast.catalogs.dd_filtered_position_count", service = DD .. ".Position.Count", position = 0.2,
  columns_config = CONFIGS.dd, filters = "optional", count = true, count_columns = false, example = DD_POS_EXAMPLE }

-- its options (mast.options.declare: help and completion list them; mast.columns checks the same)
require("mast.options").declare("mast.catalogs.columns", { deadline = V.deadline })

--- mast.catalogs.columns("tic" | "ctl" | "dd" [, {deadline =}]) -> a printable dataset of
-- {name, type, description, units, separator}: the columns criteria may name.
function M.columns(which, opts)
  local fn = "mast.catalogs.columns"
  local id = CONFIGS[which]
  if not id then
    S.usage(fn, ("expected 'tic', 'ctl' or 'dd', got %s"):format(S.describe(which)))
  end
  return require("mast.columns").dataset(fn, id, id .. " columns", opts)
end

return M
