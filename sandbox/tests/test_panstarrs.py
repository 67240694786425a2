"""Catalogs.MAST Pan-STARRS endpoints of the sandbox (/api/v0.1/panstarrs/...)."""

import csv
import io
import json
import os
import sys
import unittest
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sandboxclient import FORM, Sandbox, fixture, haversine  # noqa: E402

SB = None
BASE = "/api/v0.1/panstarrs/"
RECORDED_COLS = ["objname", "objID", "lambda", "beta", "iMeanApMag", "surveyID"]
RECORDED_CONE = [("ra", "5.97754"), ("dec", "-32.53617"), ("radius", "0.01")]
JSONH = {"Content-Type": "application/json"}


def setUpModule():
    global SB
    SB = Sandbox()


def tearDownModule():
    SB.stop()


def get(path, params=()):
    query = urlencode(list(params))
    return SB.http("GET", BASE + path + ("?" + query if query else ""))


def post_form(path, params):
    return SB.http("POST", BASE + path, urlencode(list(params)), FORM)


def post_json(path, obj):
    return SB.http("POST", BASE + path, json.dumps(obj), JSONH)


def search(path, params=()):
    status, headers, body = get(path, params)
    assert status == 200, (status, body[:300])
    return json.loads(body)


def cone(ra=10.0, dec=20.0, radius=0.02):
    return [("ra", str(ra)), ("dec", str(dec)), ("radius", str(radius))]


class RecordedTest(unittest.TestCase):
    def test_recorded_search_form_post(self):
        # astroquery's shape: a form POST of repeated fields
        params = RECORDED_CONE + [("columns", c) for c in RECORDED_COLS]
        status, headers, body = post_form("dr2/mean.json", params)
        self.assertEqual(status, 200)
        self.assertEqual(body, fixture("panstarrs.json"))
        self.assertTrue(headers["content-type"].startswith("application/json"))

    def test_recorded_search_get_and_json_body(self):
        params = RECORDED_CONE + [("columns", c) for c in RECORDED_COLS]
        self.assertEqual(get("dr2/mean.json", params)[2], fixture("panstarrs.json"))
        body = {"ra": 5.97754, "dec": -32.53617, "radius": 0.01, "columns": RECORDED_COLS}
        self.assertEqual(post_json("dr2/mean", body)[2], fixture("panstarrs.json"))
        # a filter on a column the recording lacks is not checked; one it has is
        body["nDetections.gte"] = 1
        self.assertEqual(post_json("dr2/mean", body)[2], fixture("panstarrs.json"))
        body["iMeanApMag.gt"] = 0  # some recorded rows are -999
        self.assertNotEqual(post_json("dr2/mean", body)[2], fixture("panstarrs.json"))

    def test_other_requests_are_generated(self):
        params = RECORDED_CONE + [("columns", c) for c in RECORDED_COLS[:3]]
        answer = search("dr2/mean.json", params)
        self.assertEqual([i["name"] for i in answer["info"]], RECORDED_COLS[:3])
        # the same cone on dr1 is generated too
        params = RECORDED_CONE + [("columns", c) for c in RECORDED_COLS]
        self.assertNotEqual(get("dr1/mean.json", params)[2], fixture("panstarrs.json"))

    def test_metadata(self):
        status, _, body = get("dr2/mean/metadata.json")
        self.assertEqual((status, body), (200, fixture("panstarrs_columns.json")))
        self.assertEqual(get("dr2/mean/metadata")[2], fixture("panstarrs_columns.json"))
        recorded = json.loads(fixture("panstarrs_columns.json"))
        for release, table in (("dr1", "mean"), ("dr1", "stack"), ("dr2", "stack"),
                               ("dr2", "detection"), ("dr2", "forced_mean")):
            meta = json.loads(get("%s/%s/metadata.json" % (release, table))[2])
            self.assertGreater(len(meta), 20)
            for entry in meta:
                self.assertEqual(list(entry), list(recorded[0]), entry)
            self.assertEqual([e["column_index"] for e in meta],
                             [str(i) for i in range(1, len(meta) + 1)])
            names = [e["name"] for e in meta]
            self.assertEqual(len(names), len(set(names)))
            # a search with no columns answers exactly the metadata's columns
            answer = search("%s/%s.json" % (release, table), cone(radius=0.003))
            self.assertEqual([i["name"] for i in answer["info"]], names)
            self.assertEqual([i["type"] for i in answer["info"]], [e["type"] for e in meta])
        self.assertEqual(get("dr1/detection/metadata.json")[0], 422)


class GeneratedTest(unittest.TestCase):
    def test_mean_rows(self):
        answer = search("dr2/mean.json", cone())
        info = [i["name"] for i in answer["info"]]
        self.assertEqual(len(info), 124)
        self.assertEqual(set(answer["info"][0]), {"name", "type", "db_type", "description"})
        rows = [dict(zip(info, row)) for row in answer["data"]]
        self.assertGreater(len(rows), 20)
        for row in rows:
            self.assertLessEqual(haversine(10, 20, row["raMean"], row["decMean"]), 0.02)
            self.assertIsInstance(row["objID"], str)  # 64-bit ids as strings, as recorded
            self.assertTrue(row["objName"].startswith("PSO J"))
            self.assertEqual(row["nDetections"], sum(row["n" + f] for f in "grizy"))
        ids = [int(r["objID"]) for r in rows]
        self.assertEqual(len(set(ids)), len(ids))
        self.assertTrue(all(i > 2 ** 53 for i in ids))
        # exactness: ids differ in their last digits, which a double would lose
        self.assertTrue(any(int(float(i)) != i for i in ids))
        # nulls and PS1's -999 both occur among the magnitudes
        mags = [r[f + k] for r in rows for f in "grizy" for k in ("MeanKronMag", "MeanPSFMag")]
        self.assertIn(None, mags)
        self.assertIn(-999, mags)
        self.assertTrue(any(isinstance(m, float) and 10 < m < 24 for m in mags))

    def test_same_stars_as_portal_gaia_dr2(self):
        portal = SB.invoke({"service": "Mast.Catalogs.GaiaDR2.Cone", "format": "json",
                            "params": {"ra": 10.0, "dec": 20.0, "radius": 0.01}})
        gaia = {(r["ra"], r["dec"]) for r in portal["data"]}
        answer = search("dr2/mean.json", cone(radius=0.01) + [("columns", "raMean"),
                                                             ("columns", "decMean")])
        ps1 = {tuple(row) for row in answer["data"]}
        self.assertTrue(gaia)
        self.assertEqual(ps1, gaia)

    def test_deterministic_and_transports_agree(self):
        params = cone(radius=0.01) + [("columns", "objID"), ("columns", "gMeanPSFMag"),
                                      ("sort_by", "desc.gMeanPSFMag")]
        first = get("dr2/mean.json", params)[2]
        self.assertEqual(get("dr2/mean.json", params)[2], first)
        self.assertEqual(post_form("dr2/mean.json", params)[2], first)
        self.assertEqual(post_form("dr2/mean", params + [("format", "json")])[2], first)
        body = {"ra": 10.0, "dec": 20.0, "radius": 0.01, "columns": ["objID", "gMeanPSFMag"],
                "sort_by": "desc.gMeanPSFMag"}
        self.assertEqual(post_json("dr2/mean.json", body)[2], first)

    def test_columns_and_case(self):
        answer = search("dr2/mean.json", cone() + [("columns", "OBJID,raMean"),
                                                   ("columns", "gmeanpsfmag")])
        self.assertEqual([i["name"] for i in answer["info"]], ["OBJID", "raMean", "gmeanpsfmag"])
        self.assertTrue(all(len(row) == 3 for row in answer["data"]))
        answer = search("dr2/mean.json", cone() + [("columns", '["objID", "nDetections"]')])
        self.assertEqual([i["name"] for i in answer["info"]], ["objID", "nDetections"])

    def test_sort_and_filters(self):
        base = cone(radius=0.03) + [("columns", c) for c in ("objID", "nDetections",
                                                              "rMeanPSFMag", "qualityFlag")]
        rows = search("dr2/mean.json", base)["data"]
        srt = search("dr2/mean.json", base + [("sort_by", "desc.nDetections"),
                                              ("sort_by", "objID")])["data"]
        self.assertEqual(srt, sorted(rows, key=lambda r: (-r[1], int(r[0]))))
        asc = search("dr2/mean.json", base + [("sort_by", "rMeanPSFMag")])["data"]
        self.assertEqual([r[2] for r in asc], sorted(r[2] for r in rows))
        got = search("dr2/mean.json", base + [("nDetections.gte", "10"),
                                              ("rMeanPSFMag.lt", "21.5")])["data"]
        self.assertEqual(got, [r for r in rows if r[1] >= 10 and r[2] < 21.5])
        self.assertTrue(got)
        got = search("dr2/mean.json", base + [("qualityFlag", "52,60")])["data"]
        self.assertEqual(got, [r for r in rows if r[3] in (52, 60)])
        self.assertTrue(got)
        got = search("dr2/mean.json", base + [("rMeanPSFMag.gt", "0"),
                                              ("rMeanPSFMag.lte", "21")])["data"]
        self.assertEqual(got, [r for r in rows if 0 < r[2] <= 21])
        # exact 64-bit equality, also without a position
        target = rows[len(rows) // 2][0]
        got = search("dr2/mean.json", base + [("objID.eq", target)])["data"]
        self.assertEqual([r[0] for r in got], [target])
        near = str(int(target) + 1)
        self.assertEqual(search("dr2/mean.json", base + [("objID", near)])["data"], [])
        alone = search("dr2/mean.json", [("objID", target), ("columns", "objID")])["data"]
        self.assertEqual(alone, [[target]])

    def test_paging(self):
        base = cone(radius=0.02) + [("columns", "objID")]
        rows = search("dr2/mean.json", base)["data"]
        pages = [search("dr2/mean.json", base + [("pagesize", "7"), ("page", str(p))])["data"]
                 for p in range(1, len(rows) // 7 + 3)]
        self.assertTrue(all(len(p) == 7 for p in pages[:len(rows) // 7]))
        self.assertEqual(sum(pages, []), rows)
        self.assertEqual(pages[-1], [])

    def test_csv(self):
        params = cone() + [("columns", c) for c in ("objID", "objName", "gMeanKronMag",
                                                    "raStack")]
        status, headers, body = get("dr2/mean.csv", params)
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"))
        table = list(csv.reader(io.StringIO(body.decode())))
        self.assertEqual(table[0], ["objID", "objName", "gMeanKronMag", "raStack"])
        answer = search("dr2/mean.json", params)
        self.assertEqual(len(table) - 1, len(answer["data"]))
        for line, row in zip(table[1:], answer["data"]):
            self.assertEqual(line[0], row[0])
            self.assertEqual(line[2], "" if row[2] is None else repr(row[2]))
        self.assertEqual(get("dr2/mean", params + [("format", "csv")])[2], body)

    def test_json_options(self):
        params = cone() + [("columns", "objID"), ("columns", "nDetections")]
        answer = search("dr2/mean.json", params + [("flatten_response", "false"),
                                                   ("include_info", "false")])
        self.assertNotIn("info", answer)
        self.assertEqual(set(answer["data"][0]), {"objID", "nDetections"})

    def test_stack_detection_forced(self):
        mean = search("dr2/mean.json", cone(radius=0.01) + [
            ("columns", c) for c in ("objID", "nDetections", "nStackDetections", "raStack")])
        stacked = {r[0] for r in mean["data"] if r[2] > 0}
        self.assertTrue(all(r[3] is None for r in mean["data"] if r[2] == 0))
        for table in ("stack", "forced_mean"):
            rows = search("dr2/%s.json" % table, cone(radius=0.01) + [("columns", "objID")])
            self.assertEqual({r[0] for r in rows["data"]}, stacked)
        det = search("dr2/detection.json", cone(radius=0.01) + [
            ("columns", "objID"), ("columns", "filterID"), ("columns", "detectID")])["data"]
        self.assertEqual(len(det), sum(r[1] for r in mean["data"]))
        self.assertTrue({r[1] for r in det} <= {1, 2, 3, 4, 5})
        dr1 = search("dr1/stack.json", cone(radius=0.01) + [("columns", "objID")])
        self.assertTrue(dr1["data"])


class ErrorTest(unittest.TestCase):
    def check(self, status, body, *words):
        self.assertEqual(status, 422, body)
        detail = json.loads(body)["detail"]
        for word in words:
            self.assertIn(word, detail)

    def test_errors(self):
        self.check(*get("dr3/mean.json", cone())[::2], "dr3")
        self.check(*get("dr2/means.json", cone())[::2], "means")
        self.check(*get("dr1/detection.json", cone())[::2], "detection")
        self.check(*get("dr1/forced_mean.json", cone())[::2], "forced_mean")
        self.check(*get("dr2/mean.json", cone(radius="abc"))[::2], "radius")
        self.check(*get("dr2/mean.json", cone(radius="nan"))[::2], "radius")
        self.check(*get("dr2/mean.json", cone(radius=3))[::2], "radius")
        self.check(*get("dr2/mean.json", cone(dec=95))[::2], "dec")
        self.check(*get("dr2/mean.json", cone() + [("columns", "nosuch")])[::2], "nosuch")
        self.check(*get("dr2/mean.json", cone() + [("nosuch.gte", "3")])[::2], "nosuch")
        self.check(*get("dr2/mean.json", cone() + [("sort_by", "desc.nosuch")])[::2],
                   "nosuch")
        self.check(*get("dr2/mean.json", cone() + [("page", "0")])[::2], "page")
        self.check(*get("dr2/mean.json", cone() + [("pagesize", "x")])[::2], "pagesize")
        self.check(*get("dr2/mean.json", cone() + [("nDetections.gt", "many")])[::2], "many")
        self.check(*get("dr2/mean.votable", cone())[::2], "votable")
        self.check(*get("dr2/mean.json", [("ra", "10"), ("dec", "20")])[::2], "radius")
        self.check(*get("dr2/mean.json")[::2], "ra")
        status, _, body = SB.http("POST", BASE + "dr2/mean.json", "{bad", JSONH)
        self.check(status, body, "JSON")
        post = post_json("dr2/mean.json", {"ra": 10, "dec": 20, "radius": 0.01,
                                           "columns": ["objID", "bogus"]})
        self.check(post[0], post[2], "bogus")
        self.assertEqual(get("dr2")[0], 404)


if __name__ == "__main__":
    unittest.main()
