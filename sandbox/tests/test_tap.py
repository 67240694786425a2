"""The VO-TAP family: /vo-tap/api/v0.1/..."""

import json
import os
import sys
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandboxclient import FORM, Sandbox, fixture  # noqa: E402

SB = None
P = "/vo-tap/api/v0.1"
V = "{http://www.ivoa.net/xml/VOTable/v1.3}"
UWS = "{http://www.ivoa.net/xml/UWS/v1.0}"
CONE = ("SELECT TOP 10 * FROM dbo.catalogrecord WHERE CONTAINS(POINT('ICRS', ra, dec), "
        "CIRCLE('ICRS', 23.34086, 60.658, 0.002)) = 1")


def setUpModule():
    global SB
    SB = Sandbox()


def tearDownModule():
    SB.stop()


def sync(catalog, query, method="GET", **extra):
    fields = {"lang": "ADQL", "query": query}
    fields.update(extra)
    if method == "GET":
        return SB.http("GET", "%s/%s/sync?%s" % (P, catalog, urllib.parse.urlencode(fields)))
    fields = {k.upper() if k in ("lang", "query", "maxrec") else k: v for k, v in fields.items()}
    return SB.http("POST", "%s/%s/sync" % (P, catalog), urllib.parse.urlencode(fields), FORM)


def table(body):
    """(field names, datatypes, rows as lists of text or None, statuses)."""
    root = ET.fromstring(body)
    fields = root.findall(".//%sFIELD" % V)
    rows = [[td.text for td in tr] for tr in root.iter(V + "TR")]
    statuses = [i.get("value") for i in root.iter(V + "INFO") if i.get("name") == "QUERY_STATUS"]
    return [f.get("name") for f in fields], [f.get("datatype") for f in fields], rows, statuses


class Recorded(unittest.TestCase):
    def test_openapi(self):
        status, headers, body = SB.http("GET", P + "/openapi.json")
        self.assertEqual(status, 200)
        self.assertEqual(body, fixture("tap_collections.json", "astroquery-pr3582"))

    def test_recorded_queries(self):
        for query, name in ((CONE, "tap_results.vot"),
                            ("SELECT table_name, description FROM tap_schema.tables",
                             "tap_catalogs.vot"),
                            ("SELECT column_name, datatype, unit, ucd, description FROM "
                             "tap_schema.columns WHERE table_name = 'dbo.catalogrecord'",
                             "tap_columns.vot")):
            for method in ("GET", "POST"):
                status, _, body = sync("tic", query, method)
                self.assertEqual((status, body), (200, fixture(name, "astroquery-pr3582")))

    def test_capabilities_rewritten(self):
        status, _, body = SB.http("GET", P + "/ps1dr2/capabilities")
        self.assertEqual(status, 200)
        text = body.decode()
        self.assertNotIn("masttest", text)
        self.assertIn(SB.base_url + P + "/ps1dr2/tables<", text)
        ET.fromstring(body)


class Sync(unittest.TestCase):
    def test_cone_matches_portal(self):
        q = ("SELECT TOP 5 id, ra, dec, tmag, objType FROM dbo.catalogrecord WHERE "
             "CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 23.34086, 60.658, 0.02)) = 1 "
             "ORDER BY tmag")
        status, headers, body = sync("tic", q)
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("application/x-votable+xml"))
        names, types, rows, statuses = table(body)
        self.assertEqual(names, ["id", "ra", "dec", "tmag", "objtype"])
        self.assertEqual(types, ["long", "double", "double", "float", "char"])
        self.assertEqual(statuses, ["OK"])
        self.assertEqual(len(rows), 5)
        mags = [float(r[3]) for r in rows]
        self.assertEqual(mags, sorted(mags))
        self.assertIn('arraysize="*"', body.decode())
        # the same stars as the Portal's TIC cone
        portal = SB.invoke({"service": "Mast.Catalogs.Tic.Cone", "format": "json",
                            "params": {"ra": 23.34086, "dec": 60.658, "radius": 0.02}})
        ids = {str(r["ID"]) for r in portal["data"]}
        self.assertTrue({r[0] for r in rows} <= ids)
        self.assertEqual(body, sync("tic", q)[2])   # deterministic

    def test_nulls_and_64bit(self):
        q = ("SELECT TOP 50 objID, raMean, decMean, nDetections, gMeanPSFMag, yMeanPSFMag FROM "
             "dbo.MeanObjectView WHERE CONTAINS(POINT('ICRS', raMean, decMean), "
             "CIRCLE('ICRS', 210.8, 54.35, 0.05)) = 1")
        names, types, rows, statuses = table(sync("ps1dr2", q)[2])
        self.assertEqual(types[0], "long")
        self.assertEqual(len(rows), 50)
        self.assertTrue(all(int(r[0]) > 2 ** 53 for r in rows))
        self.assertTrue(any(r[5] is None for r in rows))
        _, _, rows, _ = table(sync("tic", "SELECT TOP 20 id, plx FROM dbo.catalogrecord WHERE "
                                   "CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 23.3, "
                                   "60.6, 0.05)) = 1 AND plx IS NULL")[2])
        self.assertEqual(len(rows), 20)
        self.assertTrue(all(r[1] is None for r in rows))

    def test_filters(self):
        q = ("SELECT TOP 5 id, tmag, objtype FROM dbo.catalogrecord WHERE tmag < 4 AND "
             "objtype LIKE 'st%' ORDER BY tmag DESC")
        _, _, rows, _ = table(sync("tic", q)[2])
        self.assertEqual(len(rows), 5)
        self.assertTrue(all(float(r[1]) < 4 and r[2] == "STAR" for r in rows))
        self.assertEqual([float(r[1]) for r in rows], sorted((float(r[1]) for r in rows),
                                                             reverse=True))

    def test_overflow_and_maxrec(self):
        q = ("SELECT id FROM dbo.catalogrecord WHERE CONTAINS(POINT('ICRS', ra, dec), "
             "CIRCLE('ICRS', 23.34086, 60.658, 0.05)) = 1")
        _, _, rows, statuses = table(sync("tic", q, maxrec="7")[2])
        self.assertEqual((len(rows), statuses), (7, ["OK", "OVERFLOW"]))
        _, _, rows, statuses = table(sync("tic", q)[2])
        self.assertGreater(len(rows), 7)
        self.assertEqual(statuses, ["OK"])

    def test_csv(self):
        status, headers, body = sync("tic", "SELECT TOP 3 id, ra, objtype FROM "
                                     "dbo.catalogrecord WHERE tmag < 5", responseformat="csv")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"))
        lines = body.decode().split("\r\n")
        self.assertEqual(lines[0], "id,ra,objtype")
        self.assertEqual(len(lines), 5)

    def test_binary2(self):
        import base64
        import struct
        q = "SELECT TOP 2 id, objtype FROM dbo.catalogrecord WHERE tmag < 5 ORDER BY id"
        status, _, body = sync("tic", q, responseformat="votable/b2")
        self.assertEqual(status, 200)
        stream = ET.fromstring(body).find(".//%sSTREAM" % V).text
        data = base64.b64decode(stream)
        _, _, rows, _ = table(sync("tic", q)[2])
        # null mask byte, long id, then a length-prefixed string
        self.assertEqual(struct.unpack(">q", data[1:9])[0], int(rows[0][0]))
        self.assertEqual(data[9:17], struct.pack(">I", 4) + b"STAR")

    def test_errors(self):
        cases = (("SELECT * FRM dbo.catalogrecord", "column 10"),
                 ("SELECT nope FROM dbo.catalogrecord", "nope"),
                 ("SELECT * FROM dbo.nothing", "dbo.nothing"),
                 ("SELECT * FROM dbo.catalogrecord WHERE", "end of query"))
        for query, word in cases:
            status, headers, body = sync("tic", query)
            self.assertEqual(status, 400, query)
            info = [i for i in ET.fromstring(body).iter(V + "INFO")][0]
            self.assertEqual(info.get("value"), "ERROR")
            self.assertIn(word, info.text)
        status, _, body = SB.http("GET", P + "/nosuch/sync?lang=ADQL&query=SELECT")
        self.assertEqual(status, 422)
        self.assertEqual(json.loads(body)["detail"][0]["loc"], ["path", "catalog"])
        status, _, body = SB.http("GET", P + "/tic/sync?query=SELECT")
        self.assertEqual((status, json.loads(body)["detail"][0]["type"]), (422, "missing"))
        status, _, body = sync("tic", "SELECT * FROM dbo.catalogrecord", maxrec="-1")
        self.assertEqual(status, 422)


class Vosi(unittest.TestCase):
    def test_tables(self):
        status, _, body = SB.http("GET", P + "/tic/tables?detail=max")
        self.assertEqual(status, 200)
        root = ET.fromstring(body)
        names = [t.findtext("name") for t in root.iter("table")]
        self.assertIn("dbo.catalogrecord", names)
        self.assertEqual(len(list(root.iter("column"))) > 125, True)
        status, _, body = SB.http("GET", P + "/ps1dr2/tables/dbo.MeanObjectView")
        self.assertEqual(status, 200)
        self.assertIn(b"gMeanPSFMag", body)
        self.assertEqual(SB.http("GET", P + "/tic/tables/dbo.none")[0], 404)
        status, _, body = SB.http("GET", P + "/tic/availability")
        self.assertIn(b"<vosi:available>true</vosi:available>", body)


class Async(unittest.TestCase):
    def create(self, query, **extra):
        fields = {"LANG": "ADQL", "QUERY": query}
        fields.update(extra)
        status, headers, _ = SB.http("POST", P + "/tic/async", urllib.parse.urlencode(fields),
                                     FORM)
        self.assertEqual(status, 303)
        location = headers["location"]
        self.assertTrue(location.startswith(SB.base_url + P + "/tic/async/"))
        return location[len(SB.base_url):]

    def phase(self, job):
        return ET.fromstring(SB.http("GET", job)[2]).findtext(UWS + "phase")

    def test_lifecycle(self):
        q = "SELECT TOP 3 id, tmag FROM dbo.catalogrecord WHERE tmag < 5 ORDER BY id"
        job = self.create(q)
        self.assertEqual(self.phase(job), "PENDING")
        status, headers, _ = SB.http("POST", job + "/phase", "PHASE=RUN", FORM)
        self.assertEqual((status, headers["location"]), (303, SB.base_url + job))
        seen = [self.phase(job) for _ in range(3)]
        self.assertEqual(seen, ["QUEUED", "EXECUTING", "COMPLETED"])
        self.assertEqual(SB.http("GET", job + "/phase")[2], b"COMPLETED")
        status, _, body = SB.http("GET", job + "/results/result")
        self.assertEqual(status, 200)
        self.assertEqual(body, sync("tic", q)[2])
        root = ET.fromstring(SB.http("GET", job)[2])
        href = root.find(".//%sresult" % UWS).get("{http://www.w3.org/1999/xlink}href")
        self.assertEqual(href, SB.base_url + job + "/results/result")
        # delete
        status, headers, _ = SB.http("DELETE", job)
        self.assertEqual((status, headers["location"]), (303, SB.base_url + P + "/tic/async"))
        self.assertEqual(SB.http("GET", job)[0], 404)
        self.assertNotIn(job.rsplit("/", 1)[1].encode(), SB.http("GET", P + "/tic/async")[2])
        deleted = [e for e in SB.log() if e["method"] == "DELETE" and e["path"] == job]
        self.assertEqual(len(deleted), 1)

    def test_autorun_wait_and_post_delete(self):
        job = self.create("SELECT TOP 1 id FROM dbo.catalogrecord WHERE tmag < 5",
                          PHASE="RUN")
        self.assertEqual(self.phase(job + "?WAIT=1&PHASE=QUEUED"), "EXECUTING")
        self.assertEqual(self.phase(job + "?WAIT=1&PHASE=EXECUTING"), "COMPLETED")
        self.assertEqual(self.phase(job + "?WAIT=5"), "COMPLETED")
        status, headers, _ = SB.http("POST", job, "ACTION=DELETE", FORM)
        self.assertEqual(status, 303)
        self.assertEqual(SB.http("GET", job + "/phase")[0], 404)

    def test_error_and_abort(self):
        job = self.create("SELECT * FROM dbo.nothing", PHASE="RUN")
        phases = [self.phase(job) for _ in range(3)]
        self.assertEqual(phases[-1], "ERROR")
        status, _, body = SB.http("GET", job + "/error")
        self.assertIn(b"dbo.nothing", body)
        self.assertEqual(SB.http("GET", job + "/results/result")[0], 404)
        job = self.create("SELECT TOP 1 id FROM dbo.catalogrecord WHERE tmag < 5")
        SB.http("POST", job + "/phase", "PHASE=ABORT", FORM)
        self.assertEqual(self.phase(job), "ABORTED")


if __name__ == "__main__":
    unittest.main()
