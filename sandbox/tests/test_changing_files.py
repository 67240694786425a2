"""Files MAST reprocesses under the same name (issue 15 §3): the ``change``
fault makes a new version, downloads carry ETag and Last-Modified, If-Range
serves a range only while it names the current version, and the
``ignore_if_range`` / ``range_shift`` faults break that on purpose."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandboxclient import Sandbox  # noqa: E402

SB = None
PATH = "/api/v0.1/Download/file?uri=mast:SANDBOX/size/5000/changing.fits"


def setUpModule():
    global SB
    SB = Sandbox()


def tearDownModule():
    SB.stop()


class ChangingFiles(unittest.TestCase):
    def setUp(self):
        SB.reset()

    def test_validators_and_if_range(self):
        status, head, old = SB.http("GET", PATH)
        self.assertEqual((status, len(old)), (200, 5000))
        etag, modified = head["etag"], head["last-modified"]
        # either validator, while it is current: the range
        for validator in (etag, modified):
            status, head, part = SB.http("GET", PATH, headers={"Range": "bytes=1000-",
                                                                "If-Range": validator})
            self.assertEqual((status, part), (206, old[1000:]))
            self.assertEqual(head["content-range"], "bytes 1000-4999/5000")

    def test_change_same_size_then_other_size(self):
        _, head, old = SB.http("GET", PATH)
        SB.faults({"match": {"uri": "changing.fits"}, "kind": "change"})
        status, head2, new = SB.http("GET", PATH, headers={"Range": "bytes=1000-",
                                                            "If-Range": head["etag"]})
        # the old validator no longer matches: the whole new file
        self.assertEqual((status, len(new)), (200, 5000))
        self.assertNotEqual(new, old)
        self.assertNotEqual(head2["etag"], head["etag"])
        self.assertNotEqual(head2["last-modified"], head["last-modified"])
        self.assertEqual(SB.http("GET", PATH)[2], new)   # it stays the new version
        SB.faults({"match": {"uri": "changing.fits"}, "kind": "change", "size": 7000})
        status, _, bigger = SB.http("GET", PATH)
        self.assertEqual((status, len(bigger)), (200, 7000))
        self.assertNotEqual(bigger[:5000], new)
        SB.reset()
        self.assertEqual(SB.http("GET", PATH)[2], old)   # reset: the original again

    def test_ignore_if_range_and_range_shift(self):
        _, head, old = SB.http("GET", PATH)
        SB.faults({"match": {"uri": "changing.fits"}, "kind": "change"},
                  {"match": {"uri": "changing.fits"}, "kind": "ignore_if_range"})
        SB.http("GET", PATH)   # the change
        status, head2, part = SB.http("GET", PATH, headers={"Range": "bytes=1000-",
                                                             "If-Range": head["etag"]})
        self.assertEqual((status, len(part)), (206, 4000))   # a range of the new version
        self.assertNotEqual(head2["etag"], head["etag"])
        SB.faults({"match": {"uri": "changing.fits"}, "kind": "range_shift", "bytes": 300})
        status, head3, part = SB.http("GET", PATH, headers={"Range": "bytes=1000-"})
        self.assertEqual((status, head3["content-range"], len(part)), (206, "bytes 700-4999/5000", 4300))


if __name__ == "__main__":
    unittest.main()
