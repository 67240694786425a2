"""mast-sandbox: a local, offline, MAST-compatible HTTP server.

It answers the MAST "Mashup" invoke API (``/api/v0/invoke``), the download
endpoints (``/api/v0.1/Download/...``), ``/whoami`` and a few helper routes
with deterministic synthetic data and, where a recorded MAST response exists
for a request, with those recorded bytes.  A control API under
``/__sandbox/`` lets tests inject faults and read the request log.

Only the Python standard library is used.
"""

import os

__version__ = "1.0"

#: Directory holding this package.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

#: Directory of the recorded MAST responses (read-only fixtures).
FIXTURE_DIR = os.path.join(os.path.dirname(PACKAGE_DIR), "fixtures", "mast-recorded")
