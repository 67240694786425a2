"""The sandbox's HTTPS mode (--tls-cert/--tls-key): the main listener speaks
TLS with the given certificate, the alt listener stays plain HTTP, and a
client that does not trust the certificate is refused without disturbing
the server. Needs the openssl command (skipped without it)."""

import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sandboxclient import WITH_SANDBOX, Sandbox  # noqa: E402


def make_cert(directory, name="127.0.0.1"):
    """A self-signed certificate for IP name (or DNS name); (cert, key) paths."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    san = ("IP:" if name[0].isdigit() else "DNS:") + name
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=" + name, "-addext", "subjectAltName=" + san,
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


@unittest.skipUnless(shutil.which("openssl"), "needs the openssl command")
class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="sandbox-tls-")
        cls.cert, cls.key = make_cert(cls.tmp.name)
        cls.sb = Sandbox("--tls-cert", cls.cert, "--tls-key", cls.key)

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        cls.tmp.cleanup()

    def https(self, path, context):
        conn = http.client.HTTPSConnection(self.sb.host, self.sb.port, context=context, timeout=30)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def test_urls(self):
        self.assertTrue(self.sb.base_url.startswith("https://127.0.0.1:"), self.sb.base_url)
        self.assertTrue(self.sb.alt_url.startswith("http://127.0.0.2:"), self.sb.alt_url)
        self.assertIn("https://", self.sb.stdout_line)

    def test_trusted_certificate(self):
        context = ssl.create_default_context(cafile=self.cert)
        status, body = self.https("/whoami", context)
        self.assertEqual(200, status)
        self.assertTrue(json.loads(body)["anon"])

    def test_untrusted_certificate_is_refused_and_the_server_goes_on(self):
        with self.assertRaises(ssl.SSLCertVerificationError):
            self.https("/whoami", ssl.create_default_context())
        status, _ = self.https("/whoami", ssl.create_default_context(cafile=self.cert))
        self.assertEqual(200, status)

    def test_plain_http_on_the_tls_port_fails_cleanly(self):
        conn = http.client.HTTPConnection(self.sb.host, self.sb.port, timeout=10)
        try:
            with self.assertRaises((http.client.HTTPException, OSError)):
                conn.request("GET", "/whoami")
                conn.getresponse().read()
        finally:
            conn.close()
        status, _ = self.https("/whoami", ssl.create_default_context(cafile=self.cert))
        self.assertEqual(200, status)

    def test_alt_listener_is_plain_http(self):
        status, _, _ = self.sb.http("GET", "/stpubdata/sandbox/redirect/10/x.fits", alt=True)
        self.assertEqual(200, status)

    def test_with_sandbox_passes_the_options(self):
        script = ("import os, sys; sys.stdout.write(os.environ['MAST_BASE_URL'])")
        out = subprocess.run([sys.executable, WITH_SANDBOX, "--tls-cert", self.cert, "--tls-key",
                              self.key, "--", sys.executable, "-c", script],
                             check=True, capture_output=True, text=True).stdout
        self.assertTrue(out.startswith("https://127.0.0.1:"), out)

    def test_cert_without_key_is_refused(self):
        proc = subprocess.run([sys.executable, os.path.join(os.path.dirname(WITH_SANDBOX),
                                                            "mast-sandbox"), "--tls-cert", self.cert],
                              capture_output=True, text=True)
        self.assertNotEqual(0, proc.returncode)
        self.assertIn("go together", proc.stderr)


if __name__ == "__main__":
    unittest.main()
