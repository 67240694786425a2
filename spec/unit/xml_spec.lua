-- core.xml_decode: small XML documents (UWS jobs, VOSI tables) as trees.
local core = require "mast.core"

describe("core.xml_decode", function()
  it("gives elements by local name, attributes with their prefix, trimmed text, children in order", function()
    local t = core.xml_decode([[<?xml version="1.0"?>
<uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink">
  <uws:jobId>42</uws:jobId>
  <uws:phase>
    COMPLETED
  </uws:phase>
  <uws:results><uws:result id="result" xlink:href="http://h/r?a=1&amp;b=2"/></uws:results>
</uws:job>]])
    assert.equal("job", t.name)
    assert.equal(3, #t)
    assert.equal("jobId", t[1].name)
    assert.equal("42", t[1].text)
    assert.equal("COMPLETED", t[2].text)
    assert.equal("http://h/r?a=1&b=2", t[3][1].attr["xlink:href"])
    assert.equal("result", t[3][1].attr.id)
    assert.equal("", t[3].text)
  end)

  it("refuses a DOCTYPE, deep nesting and broken XML, naming the place", function()
    local ok, e = pcall(core.xml_decode, '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "the job")
    assert.is_false(ok)
    assert.equal("json", e.code)
    assert.matches("the job is not XML mast can read: line 1, column %d+: a DOCTYPE", e.message)
    ok, e = pcall(core.xml_decode, ("<a>"):rep(65) .. ("</a>"):rep(65))
    assert.is_false(ok)
    assert.matches("nested more than 64 deep", e.message)
    assert.is_true(pcall(core.xml_decode, ("<a>"):rep(64) .. ("</a>"):rep(64)))
    ok, e = pcall(core.xml_decode, "<a>\n<b></a>")
    assert.is_false(ok)
    assert.matches("line 2, column %d+: mismatched tag", e.message)
  end)
end)
