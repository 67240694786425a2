"""Output formats of the invoke endpoint: json, extjs, csv and votable.

The json envelope copies MAST's own byte style as recorded in caom.json::

    {"status" : "COMPLETE","msg" : "","data":[...],"fields":[...],"paging":{...}}

(a space around the colon after ``status`` and ``msg`` only, nothing else).
The other three formats are not recorded anywhere; their shapes are
[INFERRED] from MAST's documentation (see sandbox/README.md).
"""

import json
from xml.sax.saxutils import escape as xml_escape, quoteattr

from .table import plain_text

JSON_TYPE = "application/json"       # [INFERRED] the real Content-Type is unknown
CSV_TYPE = "text/csv; charset=utf-8"  # [INFERRED]
VOTABLE_TYPE = "text/xml; charset=utf-8"  # [INFERRED]


def paging_json(page, page_size, rows, rows_filtered):
    """The ``paging`` object, keys in MAST's order."""
    pages = -(-rows_filtered // page_size) if page_size > 0 else 0
    return ('{"page":%d,"pageSize":%d,"pagesFiltered":%d,"rows":%d,"rowsFiltered":%d,'
            '"rowsTotal":%d}' % (page, page_size, pages, rows, rows_filtered, rows_filtered))


def status_head(status, msg=""):
    """The opening ``{"status" : ...,"msg" : ...`` shared by every envelope."""
    return '{"status" : %s,"msg" : %s' % (json.dumps(status), json.dumps(msg, ensure_ascii=False))


def error_body(msg):
    """An ERROR envelope (no data, fields or paging), as bytes."""
    return (status_head("ERROR", msg) + "}").encode("utf-8")


def percent_text(fraction):
    text = ("%.4f" % fraction).rstrip("0").rstrip(".")
    return text or "0"


def executing_body(fraction):
    """An EXECUTING reply without partial data."""
    return (status_head("EXECUTING") + ',"percent complete": %s}' % percent_text(fraction)).encode()


def json_body(table, rows, positions, paging, status="COMPLETE", percent=None):
    """The json envelope for ``rows`` (JSON object strings) of ``table``."""
    parts = [status_head(status)]
    if percent is not None:
        parts.append(',"percent complete": %s' % percent_text(percent))
    parts.append(',"data":[')
    parts.append(",".join(rows))
    parts.append('],"fields":[')
    parts.append(table.fields_json(positions))
    parts.append('],"paging":')
    parts.append(paging)
    parts.append("}")
    return "".join(parts).encode("utf-8")


def extjs_body(table, rows, positions, paging):
    """The extjs shape (data.Tables[0] with Columns, Fields and array Rows)."""
    fields = [table.fields[i] for i in positions]
    columns = ",\n".join('  {"text": %s,"dataIndex": %s,\n"ExtendedProperties":{}}'
                         % (json.dumps(f.name), json.dumps(f.name)) for f in fields)
    row_text = ",\n".join("[" + ",".join("null" if row[i] is None else table.fields[i].fmt(row[i])
                                         for i in positions) + "]" for row in rows)
    text = ('{\n  "status" : "COMPLETE",\n  "msg" : "",\n  "data" : { "name":"NewDataSet",\n'
            '"Tables":[{ "name":"Table",\n"ExtendedProperties":{"Paging":%s},\n'
            '"Columns":[ \n%s],\n"Fields":[%s],\n"Rows":[%s]}]}\n}'
            % (paging, columns, table.fields_json(positions), row_text))
    return text.encode("utf-8")


def _csv_cell(value):
    text = plain_text(value)
    if any(c in text for c in ',"\r\n') or text != text.strip():
        text = '"' + text.replace('"', '""') + '"'
    return text


def csv_body(table, rows, positions):
    """Bare CSV (RFC 4180): a header row of names, then rows; CRLF line ends."""
    lines = [",".join(_csv_cell(table.fields[i].name) for i in positions)]
    for row in rows:
        lines.append(",".join(_csv_cell(row[i]) for i in positions))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _votable_datatype(field, values):
    if field.type == "float":
        return 'datatype="double"'
    if field.type == "boolean":
        return 'datatype="boolean"'
    if field.type == "int":
        big = any(v is not None and not -2 ** 31 <= v < 2 ** 31 for v in values)
        return 'datatype="long"' if big else 'datatype="int"'
    return 'datatype="char" arraysize="*"'


def votable_body(table, rows, positions, resource_name="MAST"):
    """A VOTable 1.3 document (TABLEDATA serialisation) of ``rows``."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n',
           '<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n',
           ' <RESOURCE name=%s type="results">\n' % quoteattr(resource_name),
           '  <TABLE name="Table">\n']
    for i in positions:
        field = table.fields[i]
        out.append('   <FIELD name=%s ID=%s %s/>\n'
                   % (quoteattr(field.name), quoteattr("col%d" % i),
                      _votable_datatype(field, [row[i] for row in rows])))
    out.append('   <DATA>\n    <TABLEDATA>\n')
    for row in rows:
        out.append('     <TR>')
        for i in positions:
            value = row[i]
            if isinstance(value, float) and value != value:
                value = None
            out.append("<TD>%s</TD>" % xml_escape(plain_text(value)))
        out.append('</TR>\n')
    out.append('    </TABLEDATA>\n   </DATA>\n  </TABLE>\n </RESOURCE>\n</VOTABLE>\n')
    return "".join(out).encode("utf-8")
