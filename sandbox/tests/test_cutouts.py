"""Tests of the TESScut / Zcut / HAPcut endpoints (sandbox/mastsandbox/cutouts.py).

Run: ``python3 -m unittest sandbox/tests/test_cutouts.py -v``.
"""

import io
import json
import os
import struct
import sys
import time
import unittest
import urllib.parse
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sandboxclient import FORM, Sandbox, fixture  # noqa: E402

SB = None
TESS = "/tesscut/api/v0.1/"
ZCUT = "/zcut/api/v0.1/"
HAPCUT = "/hapcut/api/v0.1/"


def setUpModule():
    global SB
    SB = Sandbox()


def tearDownModule():
    SB.stop()


def get(path, **params):
    return SB.http("GET", path + "?" + urllib.parse.urlencode(params))


def post(path, **params):
    return SB.http("POST", path, urllib.parse.urlencode(params), FORM)


def members(body):
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def recorded_member(name):
    return next(iter(members(fixture(name)).values()))


class Base(unittest.TestCase):
    def setUp(self):
        SB.reset()
        SB.control("settings", {"tesscut_rate_limit": 0})

    def assertJsonError(self, answer, status, *words):
        code, headers, body = answer
        self.assertEqual(code, status, body)
        self.assertEqual(headers["content-type"], "application/json")
        msg = json.loads(body)["msg"]
        for word in words:
            self.assertIn(word, msg)
        return msg


class TessSectorTest(Base):
    def test_recorded_request_get_and_post(self):
        recorded = fixture("tess_sector.json")
        for answer in (get(TESS + "sector", ra=324.24368, dec=-27.01029, radius=0),
                       get(TESS + "sector", ra=324.24368, dec=-27.01029),
                       post(TESS + "sector", ra=324.24368, dec=-27.01029, radius="0.2")):
            status, headers, body = answer
            self.assertEqual(status, 200)
            self.assertEqual(headers["content-type"], "application/json")
            self.assertEqual(body, recorded)

    def test_generated_sectors(self):
        status, _, body = get(TESS + "sector", ra=107.27, dec=-70.0)
        self.assertEqual(status, 200)
        results = json.loads(body)["results"]
        # near the south ecliptic pole: camera 4 in every southern sector
        self.assertEqual([r["sector"] for r in results],
                         ["%04d" % s for s in list(range(1, 14)) + list(range(27, 40))])
        self.assertEqual(results[0], {"sectorName": "tess-s0001-4-3", "sector": "0001",
                                      "camera": "4", "ccd": "3"})
        for row in results:
            self.assertEqual(list(row), ["sectorName", "sector", "camera", "ccd"])
            self.assertTrue(all(isinstance(v, str) for v in row.values()))
            self.assertEqual(row["sectorName"],
                             "tess-s%s-%s-%s" % (row["sector"], row["camera"], row["ccd"]))
        # the same request gives the same bytes; POST equals GET
        self.assertEqual(get(TESS + "sector", ra=107.27, dec=-70.0)[2], body)
        self.assertEqual(post(TESS + "sector", ra=107.27, dec=-70.0)[2], body)

    def test_radius_units(self):
        one = json.loads(get(TESS + "sector", ra=10, dec=20, radius="0")[2])["results"]
        self.assertEqual(len(one), 2)    # one sector in each of two years
        same = [json.loads(get(TESS + "sector", ra=10, dec=20, radius=r)[2])["results"]
                for r in ("1", "1d", "60m", "3600s", "171.42857px")]
        for other in same[1:]:
            self.assertEqual(other, same[0])
        self.assertTrue(set(map(str, one)) <= set(map(str, same[0])))
        self.assertJsonError(get(TESS + "sector", ra=10, dec=20, radius="3x"), 400, "radius")
        self.assertJsonError(get(TESS + "sector", ra=10, dec=20, radius="1deg"), 400, "radius")

    def test_empty_region_and_errors(self):
        status, _, body = get(TESS + "sector", ra=0, dec=0)   # on the ecliptic
        self.assertEqual((status, json.loads(body)), (200, {"results": []}))
        self.assertJsonError(get(TESS + "sector", dec=0), 400, "ra")
        self.assertJsonError(get(TESS + "sector", ra="abc", dec=0), 400, "ra")
        self.assertJsonError(get(TESS + "sector", ra=1, dec=95), 400, "dec")
        self.assertJsonError(get(TESS + "sector", ra=1, dec=5, product="TICA"), 400, "SPOC")
        self.assertEqual(get(TESS + "nothing", ra=1, dec=5)[0], 404)
        self.assertEqual(SB.http("PUT", TESS + "sector?ra=1&dec=2")[0], 405)


class TessAstrocutTest(Base):
    def test_recorded_zip(self):
        recorded = fixture("astrocut_107.27_-70.0_5x5.zip")
        for answer in (get(TESS + "astrocut", ra=107.27, dec=-70.0, y=5, x=5, units="px"),
                       get(TESS + "astrocut", ra=107.27, dec=-70.0, x=5, y=5, units="px",
                           product="SPOC", sector=1),
                       post(TESS + "astrocut", ra=107.27, dec=-70.0, x=5, y=5, units="px")):
            status, headers, body = answer
            self.assertEqual(status, 200)
            self.assertEqual(headers["content-type"], "application/zip")
            self.assertEqual(body, recorded)

    def test_generated_zip_follows_the_sectors(self):
        status, headers, body = get(TESS + "astrocut", ra=10, dec=20, x=7, y=9, units="px")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/zip")
        sectors = json.loads(get(TESS + "sector", ra=10, dec=20)[2])["results"]
        files = members(body)
        self.assertEqual(sorted(files), ["%s_10.0_20.0_7x9_astrocut.fits" % s["sectorName"]
                                         for s in sectors])
        fits = recorded_member("astrocut_107.27_-70.0_5x5.zip")
        for content in files.values():
            self.assertEqual(content, fits)
        self.assertEqual(get(TESS + "astrocut", ra=10, dec=20, x=7, y=9, units="px")[2], body)

    def test_sector_selects_one(self):
        status, _, body = get(TESS + "astrocut", ra=107.27, dec=-70.0, x=5, y=5, sector=2)
        self.assertEqual(status, 200)
        self.assertEqual(list(members(body)),
                         ["tess-s0002-4-3_107.27_-70.0_5x5_astrocut.fits"])
        status, _, body = get(TESS + "astrocut", ra=10, dec=20, x=0.1, y=0.1, units="d")
        self.assertEqual(status, 200)
        self.assertTrue(all(n.endswith("_10.0_20.0_0.1x0.1_astrocut.fits")
                            for n in members(body)))

    def test_no_data_is_json_msg(self):
        status, headers, body = get(TESS + "astrocut", ra=0, dec=0, x=5, y=5)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertIn("No TESS data", json.loads(body)["msg"])
        status, _, body = get(TESS + "astrocut", ra=10, dec=20, x=5, y=5, sector=99)
        self.assertEqual(status, 200)
        self.assertIn("sector 99", json.loads(body)["msg"])

    def test_errors(self):
        self.assertJsonError(get(TESS + "astrocut", ra=1, dec=20, x=5, y=5, product="TICA"),
                             400, "SPOC")
        self.assertJsonError(get(TESS + "astrocut", ra=1, dec=20, x=5, y=5, units="km"),
                             400, "units")
        self.assertJsonError(get(TESS + "astrocut", ra=1, dec=20), 400, "x")
        self.assertJsonError(get(TESS + "astrocut", ra=1, dec=20, x=5, sector="one"), 400,
                             "sector")


class MovingTargetTest(Base):
    def test_sectors(self):
        status, _, body = get(TESS + "moving_target/sector", obj_id="Ceres", obj_type="smallbody")
        self.assertEqual(status, 200)
        results = json.loads(body)["results"]
        self.assertEqual(results[0], {"sectorName": "tess-s0029-1-1", "sector": "0029",
                                      "camera": "1", "ccd": "1"})
        status, _, body = post(TESS + "moving_target/sector", obj_id="jupiter",
                               obj_type="majorbody")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["results"][0]["sectorName"], "tess-s0017-1-1")

    def test_unknown_objects(self):
        self.assertJsonError(get(TESS + "moving_target/sector", obj_id="Vulcan",
                                 obj_type="majorbody"), 400, "Vulcan")
        self.assertJsonError(get(TESS + "moving_target/sector", obj_id="Jupiter",
                                 obj_type="smallbody"), 400, "Jupiter")
        self.assertJsonError(get(TESS + "moving_target/sector", obj_id="Ceres",
                                 obj_type="comet"), 400, "obj_type")
        self.assertJsonError(get(TESS + "moving_target/sector", obj_type="smallbody"), 400,
                             "obj_id")

    def test_astrocut(self):
        status, headers, body = get(TESS + "moving_target/astrocut", obj_id="Eleonora",
                                    obj_type="smallbody", sector=1, x=5, y=5)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/zip")
        files = members(body)
        self.assertEqual(list(files), ["tess-s0001-1-3_Eleonora_5x5_astrocut.fits"])
        self.assertTrue(next(iter(files.values())).startswith(b"SIMPLE  ="))
        status, _, body = get(TESS + "moving_target/astrocut", obj_id="Eleonora",
                              obj_type="smallbody", sector=40, x=5, y=5)
        self.assertEqual(status, 200)
        self.assertIn("msg", json.loads(body))
        self.assertJsonError(get(TESS + "moving_target/astrocut", obj_id="Nobody",
                                 obj_type="smallbody", x=5, y=5), 400, "Nobody")


class RateLimitTest(Base):
    def test_more_than_five_per_second_is_503(self):
        SB.control("settings", {"tesscut_rate_limit": 1})
        time.sleep(1.1)
        answers = [get(TESS + "sector", ra=10, dec=20) for _ in range(6)]
        # six requests fit in one second on a local server
        self.assertEqual([a[0] for a in answers[:5]], [200] * 5)
        status, headers, body = answers[5]
        self.assertEqual(status, 503)
        self.assertEqual(headers["retry-after"], "1")
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        self.assertIn(b"5 requests per second", body)
        # Zcut and HAPcut are not limited
        self.assertEqual(get(ZCUT + "survey", ra=1, dec=2)[0], 200)
        time.sleep(1.1)
        self.assertEqual(get(TESS + "sector", ra=10, dec=20)[0], 200)

    def test_default_on_and_switch_off(self):
        SB.reset()
        self.assertEqual(SB.control("settings")["settings"]["tesscut_rate_limit"], 1)
        SB.control("settings", {"tesscut_rate_limit": 0})
        statuses = [get(TESS + "sector", ra=10, dec=20)[0] for _ in range(12)]
        self.assertEqual(statuses, [200] * 12)


class ZcutTest(Base):
    def test_recorded_survey(self):
        recorded = fixture("zcut_survey.json")
        for answer in (get(ZCUT + "survey", ra=189.49206, dec=62.20615, radius=0),
                       post(ZCUT + "survey", ra=189.49206, dec=62.20615, radius=0.2)):
            self.assertEqual(answer[0], 200)
            self.assertEqual(answer[2], recorded)

    def test_generated_surveys(self):
        status, _, body = get(ZCUT + "survey", ra=53.12, dec=-27.8, radius="0")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body),
                         {"surveys": ["candels_gs_60mas", "candels_gs_30mas", "goods_south"]})
        self.assertEqual(json.loads(get(ZCUT + "survey", ra=0, dec=0)[2]), {"surveys": []})
        self.assertEqual(get(ZCUT + "survey", ra=53.12, dec=-27.8)[2], body)
        self.assertJsonError(get(ZCUT + "survey", ra=1, dec=1, radius="2q"), 400, "radius")

    def test_recorded_cutouts(self):
        fits_zip = fixture("astrocut_189.49206_62.20615_100x100px_f.zip")
        jpg_zip = fixture("astrocut_189.49206_62.20615_100x100px.zip")
        base = dict(ra=189.49206, dec=62.20615, y=100, x=100, units="px")
        self.assertEqual(get(ZCUT + "astrocut", **base)[2], fits_zip)
        self.assertEqual(get(ZCUT + "astrocut", cutout_format="fits", **base)[2], fits_zip)
        self.assertEqual(post(ZCUT + "astrocut", cutout_format="fits", **base)[2], fits_zip)
        status, headers, body = get(ZCUT + "astrocut", cutout_format="jpg", **base)
        self.assertEqual((status, headers["content-type"]), (200, "application/zip"))
        self.assertEqual(body, jpg_zip)

    def test_generated_fits(self):
        status, _, body = get(ZCUT + "astrocut", ra=189.3, dec=62.2, x=20, y=30, units="px")
        self.assertEqual(status, 200)
        files = members(body)
        self.assertEqual(list(files),
                         ["candels_gn_30mas_189.300000_62.200000_20.0pix-x-30.0pix_astrocut.fits"])
        self.assertEqual(next(iter(files.values())),
                         recorded_member("astrocut_189.49206_62.20615_100x100px_f.zip"))
        status, _, body = get(ZCUT + "astrocut", ra=189.3, dec=62.2, x=20, y=30,
                              survey="goods_north")
        self.assertTrue(list(members(body))[0].startswith("goods_north_"))

    def test_generated_images(self):
        for fmt, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("jpg", b"\xff\xd8\xff\xe0")):
            status, _, body = get(ZCUT + "astrocut", ra=53.1, dec=-27.8, x=10, y=10,
                                  cutout_format=fmt, stretch="log", invert="true")
            self.assertEqual(status, 200)
            files = members(body)
            self.assertEqual(len(files), 3)
            for name, data in files.items():
                self.assertTrue(name.endswith("_astrocut." + fmt), name)
                self.assertTrue(data.startswith(magic))
                self.assertTrue(data.endswith(b"\xff\xd9" if fmt == "jpg" else
                                              b"IEND\xaeB`\x82"))
            normal = get(ZCUT + "astrocut", ra=53.1, dec=-27.8, x=10, y=10,
                         cutout_format=fmt)[2]
            self.assertNotEqual(normal, body)     # invert changes the pixels
        # the recorded position with image options is generated, not recorded
        status, _, body = get(ZCUT + "astrocut", ra=189.49206, dec=62.20615, y=100, x=100,
                              units="px", cutout_format="jpg", invert="true")
        self.assertEqual(status, 200)
        self.assertNotEqual(body, fixture("astrocut_189.49206_62.20615_100x100px.zip"))

    def test_png_is_valid(self):
        body = get(ZCUT + "astrocut", ra=53.1, dec=-27.8, x=10, y=10, cutout_format="png")[2]
        png = next(iter(members(body).values()))
        pos, chunks = 8, {}
        while pos < len(png):
            length, = struct.unpack(">I", png[pos:pos + 4])
            kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
            crc, = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])
            self.assertEqual(crc, zlib.crc32(kind + data) & 0xFFFFFFFF)
            chunks[kind] = data
            pos += 12 + length
        width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
        self.assertEqual(len(zlib.decompress(chunks[b"IDAT"])), height * (width + 1))

    def test_errors_and_no_data(self):
        base = dict(ra=189.3, dec=62.2, x=10, y=10)
        self.assertJsonError(get(ZCUT + "astrocut", cutout_format="gif", **base), 400,
                             "cutout_format")
        self.assertJsonError(get(ZCUT + "astrocut", stretch="cube", **base), 400, "stretch")
        self.assertJsonError(get(ZCUT + "astrocut", minmax_percent="5", **base), 400,
                             "minmax_percent")
        self.assertJsonError(get(ZCUT + "astrocut", units="furlong", **base), 400, "units")
        status, headers, body = get(ZCUT + "astrocut", ra=0, dec=0, x=10, y=10)
        self.assertEqual((status, headers["content-type"]), (200, "application/json"))
        self.assertIn("msg", json.loads(body))
        status, _, body = get(ZCUT + "astrocut", survey="candels_gs_30mas", **base)
        self.assertIn("candels_gs_30mas", json.loads(body)["msg"])


class HapcutTest(Base):
    def test_zip_of_one_fits(self):
        status, headers, body = get(HAPCUT + "astrocut", ra=10.5, dec=-20, x=3, y=4, units="px")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/zip")
        files = members(body)
        self.assertEqual(list(files), ["hst_cutout_skycell_10.5_-20.0_3x4px_astrocut.fits"])
        self.assertTrue(next(iter(files.values())).startswith(b"SIMPLE  ="))
        self.assertEqual(post(HAPCUT + "astrocut", ra=10.5, dec=-20, x=3, y=4,
                              units="px")[2], body)
        self.assertJsonError(get(HAPCUT + "astrocut", ra=10.5, x=3), 400, "dec")


if __name__ == "__main__":
    unittest.main()
