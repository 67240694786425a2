"""retrieve_product_zip of the Missions search API (/search/<mission>/api/v0.1/)."""

import io
import os
import sys
import unittest
import zipfile
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sandboxclient import FORM, Sandbox  # noqa: E402

SB = None
ZIP = "/search/hst/api/v0.1/retrieve_product_zip"
URIS = ["IEBO01010/iebo01010_raw.fits", "IEBO01010/iebo01010_flt.fits"]


def setUpModule():
    global SB
    SB = Sandbox()


def tearDownModule():
    SB.stop()


def multipart(fields, boundary="b0undary"):
    parts = ["--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)
             for k, v in fields]
    return "".join(parts) + "--%s--\r\n" % boundary, {"Content-Type": "multipart/form-data; boundary=" + boundary}


class RetrieveProductZip(unittest.TestCase):
    def product(self, uri):
        status, _, body = SB.http("GET", "/stpubdata/sandbox/missions/hst/" + quote(uri), alt=True)
        self.assertEqual(200, status)
        return body

    def test_nested_zip_holds_the_same_bytes(self):
        body, headers = multipart([("mission", "HST"), ("structure", "nested"), ("uri", ",".join(URIS))])
        status, hdrs, data = SB.http("POST", ZIP, body, headers)
        self.assertEqual(200, status, data[:200])
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.assertEqual(sorted(URIS + ["MANIFEST.txt"]), sorted(z.namelist()))
            for uri in URIS:
                self.assertEqual(self.product(uri), z.read(uri))

    def test_flat_and_urlencoded(self):
        status, _, data = SB.http("POST", ZIP, "mission=HST&structure=flat&uri=" + quote(URIS[0]),
                                  FORM)
        self.assertEqual(200, status)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.assertIn("iebo01010_raw.fits", z.namelist())

    def test_errors(self):
        body, headers = multipart([("mission", "HST"), ("uri", "NOPE/x.fits")])
        status, _, data = SB.http("POST", ZIP, body, headers)
        self.assertEqual(404, status)
        self.assertIn(b"NOPE/x.fits", data)
        body, headers = multipart([("mission", "HST"), ("structure", "deep"), ("uri", URIS[0])])
        self.assertEqual(400, SB.http("POST", ZIP, body, headers)[0])
        body, headers = multipart([("mission", "HST")])
        self.assertEqual(400, SB.http("POST", ZIP, body, headers)[0])
        self.assertEqual(405, SB.http("GET", ZIP)[0])


if __name__ == "__main__":
    unittest.main()
