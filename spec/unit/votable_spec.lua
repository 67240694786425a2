-- core.votable_decode: VOTable TABLEDATA into mast's dataset shape (expat).
local core = require "mast.core"

local function vot(fields, rows, extra)
  local f = {}
  for i, x in ipairs(fields) do f[i] = x end
  local tr = {}
  for i, r in ipairs(rows) do tr[i] = "<TR>" .. r .. "</TR>" end
  return ([[<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results">%s<TABLE>%s<DATA><TABLEDATA>%s</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>]])
    :format(extra or '<INFO name="QUERY_STATUS" value="OK"/>', table.concat(f), table.concat(tr))
end

describe("core.votable_decode", function()
  it("reads the recorded TAP answer: fields, rows, 64-bit ids, nulls", function()
    local t = core.votable_decode(H.fixture("astroquery-pr3582/tap_results.vot"))
    assert.equal("OK", t.status)
    assert.equal(2, #t.data)
    assert.equal(2, t.nrows)
    assert.equal("id", t.fields[1].name)
    assert.equal("int", t.fields[1].type)
    assert.equal("long", t.fields[1].datatype)
    assert.equal("tess input catalog identifier", t.fields[1].description)
    assert.equal("integer", math.type(t.data[1].id))
    assert.equal(core.null, t.data[1].hip)
    assert.equal("string", type(t.data[1].version))
    assert.matches("^SELECT TOP 10", t.info.QUERY)
    assert.matches("^id,version,", require("mast").json2csv(t))   -- a dataset like any other
  end)

  it("converts every datatype, keeps longs above 2^53 exact, and honours VALUES null", function()
    local t = core.votable_decode(vot({
      '<FIELD name="l" datatype="long"><VALUES null="-1"/></FIELD>', '<FIELD name="i" datatype="int"/>',
      '<FIELD name="s" datatype="short"/>', '<FIELD name="b" datatype="unsignedByte"/>',
      '<FIELD name="f" datatype="float"/>', '<FIELD name="d" datatype="double" unit="deg"/>',
      '<FIELD name="ok" datatype="boolean"/>', '<FIELD name="c" datatype="char" arraysize="*"/>',
      '<FIELD name="u" datatype="unicodeChar" arraysize="*"/>', '<FIELD name="v" datatype="double" arraysize="3"/>',
    }, {
      "<TD>5853498713190525697</TD><TD>-7</TD><TD>+12</TD><TD>255</TD><TD>1.5e3</TD><TD>-0.000001</TD>"
        .. "<TD>T</TD><TD> Vega &amp; co </TD><TD>Éta</TD><TD>1 2.5 -3</TD>",
      "<TD>-1</TD><TD></TD><TD>0</TD><TD>0</TD><TD>NaN</TD><TD>+Inf</TD><TD>false</TD><TD></TD><TD/><TD></TD>",
      "<TD>-9223372036854775808</TD><TD>1</TD>",
    }))
    local r1, r2, r3 = t.data[1], t.data[2], t.data[3]
    assert.equal(5853498713190525697, r1.l)
    assert.equal("integer", math.type(r1.l))
    assert.same({ -7, 12, 255 }, { r1.i, r1.s, r1.b })
    assert.equal(1500.0, r1.f)
    assert.equal("float", math.type(r1.f))
    assert.equal(-0.000001, r1.d)
    assert.equal("deg", t.fields[6].unit)
    assert.is_true(r1.ok)
    assert.equal("Vega & co", r1.c)
    assert.equal("Éta", r1.u)
    assert.same({ 1.0, 2.5, -3.0 }, r1.v)
    assert.equal("array", t.fields[10].type)
    assert.equal(core.null, r2.l)                      -- VALUES null
    assert.equal(core.null, r2.i)                      -- empty TD
    assert.is_true(r2.f ~= r2.f)                       -- NaN
    assert.equal(math.huge, r2.d)
    assert.is_false(r2.ok)
    assert.equal(core.null, r2.u)
    assert.equal(math.mininteger, r3.l)
    assert.equal(core.null, r3.v)                      -- missing trailing cells are nulls
  end)

  it("reports QUERY_STATUS, its text, and OVERFLOW", function()
    local e = core.votable_decode([[<VOTABLE><RESOURCE type="results">
      <INFO name="QUERY_STATUS" value="ERROR">Incorrect ADQL: unknown column 'rra'</INFO></RESOURCE></VOTABLE>]])
    assert.equal("ERROR", e.status)
    assert.equal("Incorrect ADQL: unknown column 'rra'", e.status_text)
    assert.same({}, e.data)
    local o = core.votable_decode(vot({ '<FIELD name="a" datatype="int"/>' }, { "<TD>1</TD>" },
      '<INFO name="QUERY_STATUS" value="OVERFLOW"/>'))
    assert.equal("OVERFLOW", o.status)
    assert.equal(1, #o.data)
  end)

  it("refuses hostile or broken input with a json error naming the line", function()
    local function refused(text, pattern)
      local ok, e = pcall(core.votable_decode, text, "the TAP answer")
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "json"), tostring(e))
      assert.matches("^the TAP answer is not a VOTable mast can read: line %d+, column %d+: ", e.message)
      assert.matches(pattern, e.message)
    end
    refused('<!DOCTYPE v [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><VOTABLE>&b;</VOTABLE>', "DOCTYPE")
    refused(("<a>"):rep(100) .. ("</a>"):rep(100), "nesting")
    refused(vot({ '<FIELD name="a" datatype="int"/>' }, { "<TD>1.5</TD>" }), "integer cell")
    refused(vot({ '<FIELD name="a" datatype="long"/>' }, { "<TD>9223372036854775808</TD>" }), "integer cell")
    refused(vot({ '<FIELD name="a" datatype="int"/>' }, { "<TD>1</TD><TD>2</TD>" }), "more cells")
    refused(vot({ '<FIELD name="a" datatype="quaternion"/>' }, {}), "unknown datatype")
    refused("<VOTABLE><RESOURCE><TABLE><FIELD name='a' datatype='int'/><DATA><BINARY2><STREAM encoding='base64'>"
      .. "AAAA</STREAM></BINARY2></DATA></TABLE></RESOURCE></VOTABLE>", "binary serialisation")
    refused("<VOTABLE><RESOURCE>", "no element found")
    refused("not xml at all", "syntax error")
    local ok, e = pcall(core.votable_decode, "<VOTABLE/>")
    assert.is_false(ok)
    assert.matches("no TABLE", e.message)
  end)
end)
