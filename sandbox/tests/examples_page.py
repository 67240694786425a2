"""The invoke requests of MAST's "API examples in Python" page, restated.

Source: shared/reference/mast-api-python-examples.txt.  Each entry is
(function name on the page, request, expectation) where the expectation is
"rows" (COMPLETE with data), "count" (COMPLETE with one Column1 row), or
"error" (the page's own request is wrong: BIG_COUNTS(*) is a typo).
Chained requests (HscMatches, Vo.Generic.Table, Products, crossmatch from a
cone) are built from earlier answers by the tests.
"""


def set_filters(parameters):
    return [{"paramName": p, "values": v} for p, v in parameters.items()]


def set_min_max(low, high):
    return [{"min": low, "max": high}]


POS = {"ra": 254.28746, "dec": -4.09933, "radius": 0.2}
HSC_PARAMS = {"ra": 254.287, "dec": -4.09933, "radius": 0.2, "nr": 5000, "ni": 1, "magtype": 1}
TIC_FILTERS = set_filters({"dec": set_min_max(-90, -30), "Teff": set_min_max(4250, 4500),
                           "logg": set_min_max(4.4, 5.0), "Tmag": set_min_max(8, 10)})
TIC_POS_FILTERS = set_filters({"Teff": set_min_max(4250, 4500), "logg": set_min_max(4.4, 5.0),
                               "Tmag": set_min_max(8, 10)})
DD_FILTERS = set_filters({"classifiers": set_min_max(10, 18), "oval": set_min_max(15, 76)})
DD_POS = {"filters": set_filters({"classifiers": set_min_max(10, 18)}), "ra": 86.6909,
          "dec": 0.079, "radius": .2}
PSF_FILTERS = set_filters({"psf_x_center": set_min_max(6, 18), "filter": ["F814W", "F390W"]})
JWST_FILTERS = set_filters({"prop_dec": set_min_max(0, 90), "mu_dec": set_min_max(-10, -2)})
XM_FIELDS = [{"name": "ra", "type": "float"}, {"name": "dec", "type": "float"}]


def crossmatch(service, data, radius, ra="ra", dec="dec", paging=True):
    request = {"service": service, "data": data,
               "params": {"raColumn": ra, "decColumn": dec, "radius": radius}, "format": "json"}
    if paging:
        request.update({"pagesize": 1000, "page": 1})
    return request


def minimal(ra, dec):
    return {"fields": XM_FIELDS, "data": [{"ra": ra, "dec": dec}]}


CACHEBREAKER = "2024-01-01 00:00:00"

EXAMPLES = [
    ("resolve_name", {"service": "Mast.Name.Lookup",
                      "params": {"input": "M101", "format": "json"}}, "resolver"),
    ("list_caom_missions", {"service": "Mast.Missions.List", "params": {}, "format": "json"},
     "rows"),
    ("caom_cone_search", {"service": "Mast.Caom.Cone",
                          "params": dict(POS, cachebreaker=CACHEBREAKER), "format": "json",
                          "pagesize": 5000, "page": 1, "removenullcolumns": True, "timeout": 3,
                          "cachebreaker": CACHEBREAKER}, "rows"),
    ("vo_cone_search", {"service": "Vo.Hesarc.DatascopeListable", "params": POS,
                        "format": "json", "removenullcolumns": True}, "rows"),
    ("hscV2_cone_search", {"service": "Mast.Hsc.Db.v2", "params": HSC_PARAMS, "format": "json",
                           "pagesize": 1000, "page": 1, "removenullcolumns": True}, "rows"),
    ("hscV3_cone_search", {"service": "Mast.Hsc.Db.v3", "params": HSC_PARAMS, "format": "json",
                           "pagesize": 1000, "page": 1, "removenullcolumns": True}, "rows"),
    ("gaiaDR1_cone_search", {"service": "Mast.Catalogs.GaiaDR1.Cone",
                             "params": {"ra": 254.287, "dec": -4.09933, "radius": 0.2},
                             "format": "json", "pagesize": 1000, "page": 5}, "rows"),
    ("gaiaDR2_cone_search", {"service": "Mast.Catalogs.GaiaDR2.Cone",
                             "params": {"ra": 254.287, "dec": -4.09933, "radius": 0.2},
                             "format": "json", "pagesize": 1000, "page": 5}, "rows"),
    ("tgas_cone_search", {"service": "Mast.Catalogs.Tgas.Cone", "params": POS, "format": "json",
                          "timeout": 10}, "rows"),
    ("galex_cone_search", {"service": "Mast.Galex.Catalog", "params": POS, "format": "json",
                           "timeout": 10}, "rows"),
    ("tic_cone_search", {"service": "Mast.Catalogs.Tic.Cone", "params": POS, "format": "json",
                         "timeout": 10}, "rows"),
    ("ctl_cone_search", {"service": "Mast.Catalogs.Ctl.Cone", "params": POS, "format": "json",
                         "timeout": 10}, "rows"),
    ("dd_cone_search", {"service": "Mast.Catalogs.DiskDetective.Cone", "params": POS,
                        "format": "json", "timeout": 10}, "rows"),
    ("advanced_search_counts", {"service": "Mast.Caom.Filtered", "format": "json", "params": {
        "columns": "COUNT_BIG(*)", "filters": [
            {"paramName": "filters", "values": ["NUV", "FUV"], "separator": ";"},
            {"paramName": "t_max", "values": [{"min": 52264.4586, "max": 54452.8914}]},
            {"paramName": "obsid", "values": [], "freeText": "%200%"}]}}, "count"),
    ("advanced_search", {"service": "Mast.Caom.Filtered", "format": "json", "params": {
        "columns": "*", "filters": set_filters({"dataproduct_type": ["image"],
                                                "proposal_pi": ["Osten"]}),
        "obstype": "all"}}, "rows"),
    ("advanced_search_with_position_counts", {
        "service": "Mast.Caom.Filtered.Position", "format": "json", "params": {
            "columns": "COUNT_BIG(*)",
            "filters": set_filters({"dataproduct_type": ["cube", "image"]}),
            "position": "210.8023, 54.349, 5"}}, "count"),
    ("advanced_search_with_position", {
        "service": "Mast.Caom.Filtered.Position", "format": "json", "params": {
            "columns": "*", "filters": set_filters({"dataproduct_type": ["cube"]}),
            "position": "210.8023, 54.349, 0.24"}}, "rows"),
    ("tic_advanced_search", {"service": "Mast.Catalogs.Filtered.Tic", "format": "json",
                             "params": {"columns": "COUNT_BIG(*)", "filters": TIC_FILTERS}},
     "count"),
    ("tic_advanced_search_rows", {"service": "Mast.Catalogs.Filtered.Tic.Rows", "format": "json",
                                  "params": {"columns": "*", "filters": TIC_FILTERS}}, "rows"),
    ("tic_advanced_search_position", {
        "service": "Mast.Catalogs.Filtered.Tic.Position", "format": "json",
        "params": {"columns": "BIG_COUNTS(*)", "filters": TIC_POS_FILTERS, "ra": 210.8023,
                   "dec": 54.349, "radius": .2}}, "error"),
    ("tic_advanced_search_position_rows", {
        "service": "Mast.Catalogs.Filtered.Tic.Position.Rows", "format": "json",
        "params": {"columns": "*", "filters": TIC_POS_FILTERS, "ra": 210.8023, "dec": 54.349,
                   "radius": .2}}, "rows"),
    ("ctl_advanced_search", {"service": "Mast.Catalogs.Filtered.Ctl", "format": "json",
                             "params": {"columns": "COUNT_BIG(*)", "filters": TIC_FILTERS}},
     "count"),
    ("ctl_advanced_search_rows", {"service": "Mast.Catalogs.Filtered.Ctl.Rows", "format": "json",
                                  "params": {"columns": "*", "filters": TIC_FILTERS}}, "rows"),
    ("ctl_advanced_search_position", {
        "service": "Mast.Catalogs.Filtered.Ctl.Position", "format": "json",
        "params": {"columns": "COUNT_BIG(*)", "filters": TIC_POS_FILTERS, "ra": 210.8023,
                   "dec": 54.349, "radius": .2}}, "count"),
    ("ctl_advanced_search_position_rows", {
        "service": "Mast.Catalogs.Filtered.Ctl.Position.Rows", "format": "json",
        "params": {"columns": "*", "filters": TIC_POS_FILTERS, "ra": 210.8023, "dec": 54.349,
                   "radius": .2}}, "rows"),
    ("dd_advanced_search_counts", {"service": "Mast.Catalogs.Filtered.DiskDetective.Count",
                                   "format": "json", "params": {"filters": DD_FILTERS}}, "count"),
    ("dd_advanced_search_position_counts", {
        "service": "Mast.Catalogs.Filtered.DiskDetective.Position.Count", "format": "json",
        "params": DD_POS}, "count"),
    ("dd_advanced_search", {"service": "Mast.Catalogs.Filtered.DiskDetective", "format": "json",
                            "params": {"filters": DD_FILTERS}}, "rows"),
    ("dd_advanced_search_position", {"service": "Mast.Catalogs.Filtered.DiskDetective.Position",
                                     "format": "json", "params": DD_POS}, "rows"),
    ("get_wfc3uvis_matches", {"service": "Mast.Catalogs.Filtered.Wfc3Psf.Uvis", "format": "json",
                              "params": {"columns": "*", "filters": PSF_FILTERS}}, "rows"),
    # The page filters the IR table on two UVIS filters: COMPLETE with no rows.
    ("get_wfc3ir_matches", {"service": "Mast.Catalogs.Filtered.Wfc3Psf.Ir", "format": "json",
                            "params": {"columns": "*", "filters": PSF_FILTERS}}, "empty"),
] + [
    ("jwst_%s_search" % inst.lower(),
     {"service": "Mast.JWST.Filtered.%s" % inst, "format": "json",
      "params": {"columns": "COUNT_BIG(*)", "filters": JWST_FILTERS}}, "count")
    for inst in ("Nircam", "Niriss", "Nirspec", "Miri", "Fgs", "GuideStar", "Wss")
] + [
    ("hsc_spectra_search", {"service": "Mast.HscSpectra.Db.All", "format": "votable"}, "votable"),
    ("download_hsc_spectra", {"service": "Mast.HscSpectra.Db.All", "format": "json"}, "rows"),
    ("crossmatch_from_minimal_json", dict(crossmatch("Mast.Caom.Crossmatch", minimal(210.8, 54.3),
                                                     0.001), clearcache=True), "rows"),
    ("galex_crossmatch", crossmatch(
        "Mast.Galex.Crossmatch",
        {"fields": [{"name": "s_ra", "type": "float"}, {"name": "s_dec", "type": "float"}],
         "data": [{"s_ra": 210.8, "s_dec": 54.3}]}, 0.01, "s_ra", "s_dec"), "rows"),
    ("sdss_crossmatch", crossmatch("Mast.Sdss.Crossmatch", minimal(337.10977, 30.30261), 0.01),
     "rows"),
    ("twoMass_crossmatch", crossmatch("Mast.2Mass.Crossmatch", minimal(210.88447, 54.332), 0.04),
     "rows"),
    ("hscMagAper2_crossmatch", crossmatch("Mast.Hsc.Crossmatch.MagAper2v3",
                                          minimal(210.8, 54.3), 0.001), "rows"),
    ("hscMagAuto_crossmatch", crossmatch("Mast.Hsc.Crossmatch.MagAutov3", minimal(210.8, 54.3),
                                         0.001), "rows"),
    ("gaiaDR1_crossmatch", crossmatch("Mast.GaiaDR1.Crossmatch", minimal(210.8, 54.3), 0.1,
                                      paging=False), "rows"),
    ("gaiaDR2_crossmatch", crossmatch("Mast.GaiaDR2.Crossmatch", minimal(210.8, 54.3), 0.1,
                                      paging=False), "rows"),
    ("tgas_crossmatch", crossmatch("Mast.Tgas.Crossmatch", minimal(211.09, 54.3228), 0.2,
                                   paging=False), "rows"),
    ("tic_crossmatch", crossmatch("Mast.Tic.Crossmatch", minimal(211.09, 54.3228), 0.2,
                                  paging=False), "rows"),
    ("ctl_crossmatch", crossmatch("Mast.Ctl.Crossmatch", minimal(211.09, 54.3228), 0.2,
                                  paging=False), "rows"),
]
