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
    refused("<VOTABLE><RESOURCE><TABLE><FIELD name='a' datatype='int'/><DATA><BINARY><STREAM encoding='base64'>"
      .. "AAAA</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>", "binary serialisation")
    refused("<VOTABLE><RESOURCE>", "no element found")
    refused("not xml at all", "syntax error")
    local ok, e = pcall(core.votable_decode, "<VOTABLE/>")
    assert.is_false(ok)
    assert.matches("no TABLE", e.message)
  end)

  describe("the TABLEDATA rows' scanner", function()
    local F = { '<FIELD name="i" datatype="int"/>', '<FIELD name="c" datatype="char" arraysize="*"/>',
      '<FIELD name="d" datatype="double"/>' }
    -- each document read by the scanner (the default) and by expat alone ("expat")
    local function both(doc)
      local ok1, a = pcall(core.votable_decode, doc, "the TAP answer")
      local ok2, b = pcall(core.votable_decode, doc, "the TAP answer", "expat")
      assert.equal(ok2, ok1, doc)
      if ok1 then assert.same(b, a) else assert.equal(b.message, a.message) end
      return ok1 and a or nil, not ok1 and a or nil
    end

    it("reads entities, references, CDATA, comments, TD attributes and empty elements as expat does", function()
      local t = both(vot(F, {
        '<TD a="1" b=\'x\'>1</TD><TD>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#xE9;&#x1D11E;</TD><TD/>',
        ' <TD >2</TD>\n<!-- a comment --><TD>x<!-- c -->y<![CDATA[ <b>&c ]]></TD><TD>-1.5e3</TD> ',
        "<TD>3</TD><TD>Éta ] ]] &#93;</TD>",
      }):gsub("</TR>", "</TR>\n<!-- between rows -->\n") .. "")
      assert.same({ i = 1, c = "<>&\"'ABé𝄞", d = core.null }, t.data[1])
      assert.same({ i = 2, c = "xy <b>&c", d = -1500.0 }, t.data[2])
      assert.same({ i = 3, c = "Éta ] ]] ]", d = core.null }, t.data[3])
      t = both(vot(F, {}):gsub("<TABLEDATA>", "<TABLEDATA><TR/><TR ></TR><TR><TD/></TR>"))
      assert.equal(3, #t.data)
      assert.same({ i = core.null, c = core.null, d = core.null }, t.data[3])
    end)

    it("leaves to expat what it does not read, with the same dataset", function()
      local rows = { "<TD>1</TD><TD>a</TD>", "<TD>2</TD><TD>b</TD>" }
      local cases = {
        { "</TR>", "</TR>\r\n" },                           -- line ends between rows
        { "<TD>a</TD>", "<TD>a\r\nz</TD>" },               -- a line end expat normalises
        { "</TR>", "</TR><?pi x?>" },                        -- a processing instruction
        { "</TR>", "</TR>text" },                            -- text between rows
        { "<TD>a</TD>", "<TD><B>x</B>a</TD>" },              -- an element inside a TD
        { "<TD>a</TD>", "<TD>a</TD> text " },                -- text inside a TR
        { "<TABLEDATA>", '<TABLEDATA id="t">' },
        { "<TABLE>", "<TABLE><!-- <TABLEDATA> -->" },        -- not the rows' start
        { "<TR>", "<v:TR>", "</TR>", "</v:TR>" },            -- a prefix
        { '<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>', "<TD>a", "<TD>\xE9" },
        { '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-8"?>' },
      }
      for _, c in ipairs(cases) do
        local doc = vot(F, rows)
        for k = 1, #c, 2 do doc = doc:gsub(c[k]:gsub("%p", "%%%0"), (c[k + 1]:gsub("%%", "%%%%"))) end
        local t = both(doc)
        assert.equal(2, #t.data, doc)
        assert.equal(2, t.data[2].i)
      end
    end)

    it("gives expat's error and place for what it refuses", function()
      local bad = {
        "<TD>1</TD><TD>a</TD>\n<TD>x</TD>", "<TD>1.5</TD>", "<TD>1</TD><TD>a ]]> b</TD>", "<TD>&bogus;</TD>",
        "<TD>&#0;</TD>", "<TD>&#xD800;</TD>", '<TD a="1" a="2">1</TD>', "<TD>1</TD><TD>\1</TD>",
        "<TD>1</TD><TD>\xFF</TD>", "<TD>1</TD><!-- a -- b -->", "<TD>1</TD><TD>2</TD><TD>3</TD><TD>4</TD>",
        "<TD>1</TD></TD>", "<TD>1<TD>",
      }
      for _, r in ipairs(bad) do
        local _, e = both(vot(F, { "<TD>0</TD>", r, "<TD>9</TD>" }))
        assert.is_truthy(e, r)
        assert.matches("line %d+, column %d+", e.message)
      end
      local _, e = both(vot(F, { "<TD>1</TD>" }):gsub("</VOTABLE>", "\n</VOTABLE"))   -- after the rows
      assert.matches("line 3, column", e.message)
      local ok, u = pcall(core.votable_decode, vot(F, {}), nil, "sax")
      assert.is_false(ok)
      assert.is_true(core.is_error(u, "usage"), tostring(u))
    end)
  end)

  describe("BINARY2", function()
    local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    local function b64(bytes)
      local out = {}
      for i = 1, #bytes, 3 do
        local a, b, c = bytes:byte(i, i + 2)
        local n = a * 65536 + (b or 0) * 256 + (c or 0)
        local q = {}
        for k = 1, 4 do q[k] = B64:sub((n >> (6 * (4 - k)) & 63) + 1, (n >> (6 * (4 - k)) & 63) + 1) end
        if not b then q[3] = "=" end
        if not c then q[4] = "=" end
        out[#out + 1] = table.concat(q)
        if #out % 19 == 0 then out[#out + 1] = "\n" end   -- line breaks, as writers add them
      end
      return table.concat(out)
    end
    local function b2(fields, bytes, raw)
      return ([[<?xml version="1.0"?><VOTABLE version="1.4"><RESOURCE type="results">
<INFO name="QUERY_STATUS" value="OK"/><TABLE>%s<DATA><BINARY2><STREAM encoding="base64">%s</STREAM></BINARY2></DATA>
</TABLE></RESOURCE></VOTABLE>]]):format(table.concat(fields), raw or b64(bytes))
    end
    local function utf16(s)
      local o = {}
      for _, c in utf8.codes(s) do
        if c >= 0x10000 then
          c = c - 0x10000
          o[#o + 1] = (">I2I2"):pack(0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF))
        else
          o[#o + 1] = (">I2"):pack(c)
        end
      end
      return table.concat(o)
    end
    local F = {
      '<FIELD name="l" datatype="long"/>', '<FIELD name="i" datatype="int"/>',
      '<FIELD name="s" datatype="short"/>', '<FIELD name="b" datatype="unsignedByte"/>',
      '<FIELD name="f" datatype="float"/>', '<FIELD name="d" datatype="double"/>',
      '<FIELD name="ok" datatype="boolean"/>', '<FIELD name="c" datatype="char" arraysize="*"/>',
      '<FIELD name="u" datatype="unicodeChar" arraysize="*"/>', '<FIELD name="v" datatype="double" arraysize="3"/>',
      '<FIELD name="c8" datatype="char" arraysize="8"/>', '<FIELD name="w" datatype="int" arraysize="*"/>',
      '<FIELD name="bits" datatype="bit" arraysize="3"/>', '<FIELD name="z" datatype="floatComplex"/>',
    }
    local function row(mask, l, i, s, b, f, d, ok, c, u, v, c8, w, bits, z)
      return string.char(mask >> 8, mask & 0xFF) .. (">i8i4i2BfdB"):pack(l, i, s, b, f, d, ok:byte())
        .. (">I4"):pack(#c) .. c .. (">I4"):pack(#utf16(u) // 2) .. utf16(u)
        .. (">ddd"):pack(v[1], v[2], v[3]) .. c8 .. (">I4"):pack(#w) .. (">" .. ("i4"):rep(#w)):pack(table.unpack(w))
        .. string.char(bits) .. (">ff"):pack(z[1], z[2])
    end
    local bytes = row(0, 5853498713190525697, -7, 12, 255, 1.5, -0.000001, "T", "Vega & co", "Éta 𝄞",
        { 1, 2.5, -3 }, "ab  \0\0\0\0", { 4, -5 }, 0xA0, { 1, -2 })
      .. row(0x8000 | 0x0200 | 0x0010, 0, 0, -32768, 0, 0 / 0, math.huge, "?", "", "", { 0, 0, 0 },
        "        ", {}, 0, { 0, 0 })
      .. row(0, math.mininteger, 2147483647, 0, 0, -math.huge, 0, "f", "x", "ü", { 0, 0, 0 }, "12345678",
        { 7 }, 0x40, { 0, 0 })

    it("reads every datatype, nulls by the mask, strings trimmed, arrays as lists", function()
      local t = core.votable_decode(b2(F, bytes))
      assert.equal(3, #t.data)
      local r1, r2, r3 = t.data[1], t.data[2], t.data[3]
      assert.equal(5853498713190525697, r1.l)
      assert.equal("integer", math.type(r1.l))
      assert.same({ -7, 12, 255, 1.5, -0.000001 }, { r1.i, r1.s, r1.b, r1.f, r1.d })
      assert.is_true(r1.ok)
      assert.same({ "Vega & co", "Éta 𝄞", "ab" }, { r1.c, r1.u, r1.c8 })
      assert.same({ 1.0, 2.5, -3.0 }, r1.v)
      assert.same({ 4, -5 }, r1.w)
      assert.same({ 1, 0, 1 }, r1.bits)
      assert.same({ 1.0, -2.0 }, r1.z)
      assert.equal(core.null, r2.l)          -- the mask's first bit: field 1
      assert.equal(core.null, r2.ok)         -- field 7: mask 0x0200
      assert.equal(core.null, r2.w)          -- field 12: mask 0x0010
      assert.equal(-32768, r2.s)
      assert.is_true(r2.f ~= r2.f)
      assert.equal(math.huge, r2.d)
      assert.equal(core.null, r2.c)          -- empty, as an empty TD
      assert.equal(core.null, r2.c8)         -- all spaces
      assert.equal(math.mininteger, r3.l)
      assert.equal(2147483647, r3.i)
      assert.is_false(r3.ok)
      assert.equal(-math.huge, r3.f)
      assert.same({ "x", "ü", "12345678" }, { r3.c, r3.u, r3.c8 })
      assert.same({ 0, 1, 0 }, r3.bits)
    end)

    it("gives the same dataset as the same rows in TABLEDATA", function()
      local fields = { '<FIELD name="id" datatype="long"><VALUES null="-1"/></FIELD>',
        '<FIELD name="ra" datatype="double"/>', '<FIELD name="mag" datatype="float"/>',
        '<FIELD name="name" datatype="char" arraysize="*"/>', '<FIELD name="flag" datatype="boolean"/>' }
      local td = core.votable_decode(vot(fields, {
        "<TD>12</TD><TD>10.5</TD><TD>9.25</TD><TD>star a</TD><TD>T</TD>",
        "<TD>-1</TD><TD>-0.5</TD><TD></TD><TD></TD><TD>?</TD>",
      }))
      local bin = core.votable_decode(b2(fields,
        (">Bi8dfI4"):pack(0, 12, 10.5, 9.25, 6) .. "star aT"
          .. (">Bi8dfI4"):pack(0x20, -1, -0.5, 0, 0) .. "?"))
      assert.same(td.data, bin.data)
      assert.same(td.fields, bin.fields)
    end)

    it("decodes a stream split anywhere (expat hands text in pieces)", function()
      local doc = b2(F, bytes)
      local t = core.votable_decode(doc:gsub("<STREAM encoding=\"base64\">(.-)</STREAM>", function(s)
        return "<STREAM encoding=\"base64\">" .. s:gsub(".", "%0<!---->") .. "</STREAM>"
      end))
      local function nan_free(data)   -- NaN ~= NaN: compare it as a word
        for _, r in ipairs(data) do
          for k, x in pairs(r) do if x ~= x then r[k] = "NaN" end end
        end
        return data
      end
      assert.same(nan_free(core.votable_decode(doc).data), nan_free(t.data))
    end)

    it("refuses truncated streams, bad base64 and counts past the end", function()
      local function refused(text, pattern)
        local ok, e = pcall(core.votable_decode, text, "the TAP answer")
        assert.is_false(ok)
        assert.is_true(core.is_error(e, "json"), tostring(e))
        assert.matches("^the TAP answer is not a VOTable mast can read: line %d+, column %d+: ", e.message)
        assert.matches(pattern, e.message)
      end
      refused(b2(F, bytes:sub(1, -2)), "truncated BINARY2")
      refused(b2(F, bytes:sub(1, 1)), "truncated BINARY2")
      refused(b2({ '<FIELD name="c" datatype="char" arraysize="*"/>' }, (">BI4"):pack(0, 0xFFFFFFFF) .. "ab"),
        "truncated BINARY2")
      refused(b2(F, nil, "AAA*"), "bad base64")
      refused(b2(F, nil, "AA=A"), "bad base64")
      refused(b2(F, nil, "AAA"), "bad base64")
      refused(b2({ '<FIELD name="ok" datatype="boolean"/>' }, "\0X"), "BINARY2 boolean")
      refused(b2({ '<FIELD name="a" datatype="int" arraysize="3y"/>' }, ""), "bad arraysize")
      refused((b2(F, bytes):gsub('encoding="base64"', 'encoding="gzip"')), "not base64")
      refused(vot({ '<FIELD name="a" datatype="int"/>' }, { "<TD><BINARY2></BINARY2>1</TD>" }), "BINARY2 inside")
      refused(b2({ '<FIELD name="a" datatype="unsignedByte"/>' }, "\0\1"):gsub("</DATA>", "</DATA><FIELD name='b' "
        .. "datatype='int'/>"), "FIELD after")
    end)
  end)
end)
