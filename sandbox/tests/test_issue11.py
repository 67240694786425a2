"""Issue 11 sandbox endpoints: SANTA, path_lookup, the public bucket, whoami."""

import json
import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandboxclient import Sandbox, fixture  # noqa: E402

SB = None
HST = "mast:HST/product/u9o40504m_c3m.fits"
MISSING = "mast:HST/product/does_not_exist.fits"


def setUpModule():
    global SB
    SB = Sandbox("--token", "extra-token")


def tearDownModule():
    SB.stop()


def santa(names, **extra):
    fields = [("name", n) for n in names] + [("outputFormat", "json")] + list(extra.items())
    return SB.http("GET", "/Santa-war/query?" + urllib.parse.urlencode(fields))


def lookup(uris):
    return SB.http("GET", "/api/v0.1/path_lookup/?" + "&".join("uri=" + u for u in uris)
                   + "&use_cloud_path=True")


class Santa(unittest.TestCase):
    RECORDED = ["TIC 307210830", "Barnard's Star", "M1", "M101", "M103", "M8", "M10"]

    def test_recorded_request_gets_recorded_bytes(self):
        status, _, body = santa(self.RECORDED, resolveAll="true")
        self.assertEqual(status, 200)
        self.assertEqual(body, fixture("resolver.json"))

    def test_subset_order_resolver_and_miss(self):
        recorded = json.loads(fixture("resolver.json"))["resolvedCoordinate"]
        status, _, body = santa(["M101", "no such thing", "M1"], resolveAll="true")
        entries = json.loads(body)["resolvedCoordinate"]
        want = [e for e in recorded if e["searchString"] == "m101"] + \
            [e for e in recorded if e["searchString"] == "m1"]
        self.assertEqual(entries, want)
        self.assertEqual(list(entries[0]), list(want[0]))   # field order kept
        _, _, body = santa(["M101", "M1"], resolveAll="false")
        self.assertEqual([e["searchString"] for e in json.loads(body)["resolvedCoordinate"]],
                         ["m101", "m1"])
        _, _, body = santa(["M1"], resolveAll="true", resolver="NED")
        self.assertEqual([e["resolver"] for e in json.loads(body)["resolvedCoordinate"]], ["NED"])
        _, _, body = santa(["nothing here"], resolveAll="true")
        self.assertEqual(json.loads(body), {"resolvedCoordinate": [], "status": ""})

    def test_agrees_with_name_lookup(self):
        _, _, body = santa(["M101"], resolveAll="false")
        direct = json.loads(body)["resolvedCoordinate"][0]
        answer = SB.invoke({"service": "Mast.Name.Lookup",
                            "params": {"input": "M101", "format": "json"}})
        self.assertEqual(answer["resolvedCoordinate"][0], direct)

    def test_errors(self):
        self.assertEqual(santa([])[0], 400)
        self.assertEqual(santa(["M%d" % i for i in range(31)])[0], 414)


class PathLookup(unittest.TestCase):
    def test_recorded_request_gets_recorded_bytes(self):
        status, _, body = lookup([HST, MISSING])
        self.assertEqual(status, 200)
        self.assertEqual(body, fixture("mast_relative_path.json"))

    def test_generated_and_errors(self):
        _, _, body = lookup([MISSING, HST, "mast:SANDBOX/eap/10/x.fits"])
        answer = json.loads(body)
        self.assertEqual(list(answer), [MISSING, HST, "mast:SANDBOX/eap/10/x.fits"])
        self.assertEqual(answer[HST]["path"], "/hst/public/u9o4/u9o40504m/u9o40504m_c3m.fits")
        self.assertEqual(answer["mast:SANDBOX/eap/10/x.fits"], {"status_code": 404, "path": None})
        self.assertEqual(SB.http("GET", "/api/v0.1/path_lookup/")[0], 400)
        self.assertEqual(lookup([HST] * 41)[0], 414)


class Bucket(unittest.TestCase):
    KEY = "/stpubdata/hst/public/u9o4/u9o40504m/u9o40504m_c3m.fits"

    def test_same_bytes_as_download_file(self):
        status, _, mast = SB.http("GET", "/api/v0.1/Download/file?uri=" + HST)
        self.assertEqual(status, 200)
        status, headers, body = SB.http("GET", self.KEY, alt=True)
        self.assertEqual(status, 200)
        self.assertEqual(body, mast)
        self.assertEqual(int(headers["content-length"]), len(body))
        self.assertTrue(headers["etag"].startswith('"'))
        status, headers, body = SB.http("HEAD", self.KEY, alt=True)
        self.assertEqual((status, body, int(headers["content-length"])), (200, b"", len(mast)))
        status, headers, body = SB.http("GET", self.KEY, headers={"Range": "bytes=10-19"},
                                        alt=True)
        self.assertEqual((status, body), (206, mast[10:20]))
        # Any bucket name in the first segment (cloud_url may name it differently).
        self.assertEqual(SB.http("GET", "/other" + self.KEY[len("/stpubdata"):], alt=True)[2],
                         mast)

    def test_generated_products_round_trip(self):
        # path_lookup's path for generated products is a key the bucket serves.
        rows = filtered([], position="210.80243, 54.34875, 1.0")
        jwst = next(r for r in rows if r["obs_collection"] == "JWST")
        uri = SB.invoke({"service": "Mast.Caom.Products", "format": "json",
                         "params": {"obsid": jwst["obsid"]}})["data"][0]["dataURI"]
        path = json.loads(lookup([uri])[2])[uri]["path"]
        self.assertTrue(path.startswith("/jwst/public/"))
        _, _, mast = SB.http("GET", "/api/v0.1/Download/file?uri=" + uri)
        self.assertEqual(SB.http("GET", "/stpubdata" + path, alt=True)[2], mast)

    def test_not_in_cloud(self):
        for path in ("/stpubdata/hst/public/u9o4/u9o40504m/nothing.fits",
                     "/stpubdata/hst/public/xxxx/u9o40504m/u9o40504m_c3m.fits",
                     "/stpubdata/sandbox-nothing"):
            status, headers, body = SB.http("GET", path, alt=True)
            self.assertEqual(status, 404, path)
            self.assertIn(b"<Code>NoSuchKey</Code>", body)


def filtered(filters, position="254.3, -4.1, 0.3"):
    return SB.invoke({"service": "Mast.Caom.Filtered.Position", "format": "json",
                      "params": {"columns": "*", "filters": filters,
                                 "position": position}})["data"]


def columnsconfig(col_config_id):
    status, _, body = SB.http("POST", "/portal/Mashup/Mashup.asmx/columnsconfig",
                              "colConfigId=" + col_config_id,
                              {"Content-Type": "application/x-www-form-urlencoded"})
    return status, json.loads(body)


class Criteria(unittest.TestCase):
    def test_multi_valued_cells_and_separator(self):
        _, config = columnsconfig("Mast.Caom.Cone")
        self.assertEqual(config["filters"]["separator"], ";")
        self.assertEqual(config["target_classification"]["separator"], ";")
        everything = filtered([])
        multi = [r for r in everything if ";" in (r["filters"] or "")]
        self.assertTrue(multi, "no multi-valued filters cell")
        token = multi[0]["filters"].split(";")[1]
        split = filtered([{"paramName": "filters", "values": [token], "separator": ";"}])
        self.assertEqual(len(split), sum(token in (r["filters"] or "").split(";")
                                         for r in everything))
        self.assertGreater(len(split), sum(r["filters"] == token for r in everything))

    def test_wildcard_value_list_and_mjd(self):
        everything = filtered([], position="210.80243, 54.34875, 1.0")
        self.assertTrue(everything)
        known = sorted({r["proposal_id"] for r in everything if r["proposal_id"]})[:3]
        ids = [known[0], known[2]]
        listed = filtered([{"paramName": "proposal_id", "values": ids}],
                          position="210.80243, 54.34875, 1.0")
        self.assertEqual(len(listed), sum(r["proposal_id"] in ids for r in everything))
        # A min/max over the same two ids also takes the one between: another count.
        ranged = filtered([{"paramName": "proposal_id", "values": [{"min": ids[0],
                                                                   "max": ids[1]}]}],
                          position="210.80243, 54.34875, 1.0")
        self.assertGreater(len(ranged), len(listed))
        name = everything[0]["target_name"]
        wild = filtered([{"paramName": "target_name", "values": [],
                          "freeText": name[:3] + "%"}], position="210.80243, 54.34875, 1.0")
        exact = filtered([{"paramName": "target_name", "values": [name[:3]]}],
                         position="210.80243, 54.34875, 1.0")
        self.assertEqual(len(wild), sum(r["target_name"].startswith(name[:3])
                                        for r in everything))
        self.assertNotEqual(len(wild), len(exact))
        mjd = filtered([{"paramName": "t_min", "values": [{"min": 55000.0, "max": 60000.5}]}],
                       position="210.80243, 54.34875, 1.0")
        self.assertEqual(len(mjd), sum(r["t_min"] is not None and 55000 <= r["t_min"] <= 60000.5
                                       for r in everything))

    def test_columnsconfig_products_and_ctl(self):
        for name, column in (("Mast.Caom.Products", "productFilename"),
                             ("Mast.Catalogs.Ctl.Cone", "ID")):
            status, config = columnsconfig(name)
            self.assertEqual(status, 200)
            self.assertIn(column, config)
            self.assertIn("vot.datatype", config[column])


class WhoAmI(unittest.TestCase):
    def test_valid_invalid_absent(self):
        status, _, body = SB.http("GET", "/whoami", headers={"Authorization": "token extra-token"})
        info = json.loads(body)
        self.assertEqual((status, info["anon"], info["token"]), (200, False, "extra-token"))
        self.assertIn("mast:exclusive_access", info["scopes"])
        for headers in ({"Authorization": "token wrong"}, {}):
            status, _, body = SB.http("GET", "/whoami", headers=headers)
            info = json.loads(body)
            self.assertEqual((status, info["anon"], info["scopes"]), (200, True, []))


if __name__ == "__main__":
    unittest.main()
