"""The response object every route returns to the HTTP layer."""

import json


class Response:
    """Status, headers and a body given as bytes or as an iterator of chunks.

    ``length`` is the Content-Length to send; ``None`` means none is sent and
    the body is delimited by closing the connection.
    """

    def __init__(self, status=200, body=b"", content_type=None, headers=None, chunks=None,
                 length=-1):
        self.status = status
        self.headers = list(headers or [])
        if content_type:
            self.headers.insert(0, ("Content-Type", content_type))
        self.body = body
        self.chunks = chunks
        self.length = len(body) if length == -1 and chunks is None else length
        self.close = False

    def iter_body(self):
        """The body as an iterator of byte chunks."""
        if self.chunks is not None:
            return self.chunks
        return iter((self.body,)) if self.body else iter(())


def json_response(obj, status=200):
    body = json.dumps(obj, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"
    return Response(status, body, "application/json")


def text_response(status, text):
    return Response(status, text.encode("utf-8"), "text/plain; charset=utf-8")
