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

    def test_not_in_cloud(self):
        for path in ("/stpubdata/hst/public/u9o4/u9o40504m/nothing.fits",
                     "/stpubdata/hst/public/xxxx/u9o40504m/u9o40504m_c3m.fits",
                     "/stpubdata/sandbox-nothing"):
            status, headers, body = SB.http("GET", path, alt=True)
            self.assertEqual(status, 404, path)
            self.assertIn(b"<Code>NoSuchKey</Code>", body)


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
