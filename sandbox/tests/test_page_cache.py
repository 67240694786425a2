"""A finished job's pages are built once (sandbox/mastsandbox/invoke.py):
the same page asked again is the same bytes, not rebuilt; other pages,
sizes and formats are their own."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mastsandbox.state import State  # noqa: E402


def cone(**extra):
    request = {"service": "Mast.Catalogs.Tic.Cone", "format": "json",
               "params": {"ra": 254.28746, "dec": -4.09933, "radius": 0.05}}
    request.update(extra)
    return request


class PageCacheTest(unittest.TestCase):
    def setUp(self):
        self.invoker = State().invoker

    def answer(self, request):
        return self.invoker.answer(request, "http://127.0.0.1", ())

    def test_same_page_same_bytes(self):
        kind, first = self.answer(cone(page=2, pagesize=10))
        _, again = self.answer(cone(page=2, pagesize=10))
        self.assertIs(again, first)   # served from the job's cache, not rendered again
        self.assertEqual(json.loads(first)["paging"]["page"], 2)
        _, other = self.answer(cone(page=3, pagesize=10))
        self.assertNotEqual(json.loads(other)["data"], json.loads(first)["data"])
        _, csv = self.answer(cone(page=2, pagesize=10, format="csv"))
        self.assertNotEqual(csv, first)
        self.assertIn("json", kind)

    def test_clearcache_rebuilds(self):
        _, first = self.answer(cone(page=1, pagesize=5))
        _, fresh = self.answer(cone(page=1, pagesize=5, clearcache=True))
        self.assertIsNot(fresh, first)
        self.assertEqual(fresh, first)


if __name__ == "__main__":
    unittest.main()
