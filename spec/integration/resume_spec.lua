-- Files that change under a resume (issue 15 §3): MAST reprocesses data and keeps the
-- names, so a resume must never splice two versions into one file. The version of a
-- partial download (ETag, else Last-Modified, with the length) waits beside its .part
-- in <dest>.part.meta; the resume asks with If-Range and starts over when the answer
-- is another version. The sandbox's "change" fault makes a new version of a file.
local mast = require "mast"
local core = require "mast.core"

local function exists(path) return core.stat(path) ~= nil end

describe("a resumed download of a file that changed on the server", function()
  local dir
  H.dir_each(function(d) dir = d end)
  before_each(function() H.reset() end)

  -- The file as the sandbox serves it now (call with no fault pending for it).
  local function current(uri)
    local path = dir .. "/current.bin"
    mast.download(uri, path, { overwrite = true, progress = false })
    local data = H.read(path)
    os.remove(path)
    return data
  end

  local function downloads(name)
    local out = {}
    for _, q in ipairs(H.requests()) do
      if q.path:find("Download/file", 1, true) and (q.query or ""):find(name, 1, true) then
        out[#out + 1] = q
      end
    end
    return out
  end

  -- Leaves dest.part with the first `bytes` of the file's current version.
  local function partial(uri, dest, bytes)
    mast.config { retries = 0 }
    H.faults { { kind = "drop", after_bytes = bytes, times = 1, match = { uri = uri:match("[^/]+$") } } }
    H.raises("network", mast.download, uri, dest, { progress = false })
    mast.config { retries = 3 }
    assert.equal(bytes, select(2, core.stat(dest .. ".part")))
    assert.equal("file", core.stat(dest .. ".part.meta"))
  end

  for _, case in ipairs {
    { what = "the same size", size = nil },
    { what = "a larger size", size = 400000 },
    { what = "a smaller size", size = 150000 },
  } do
    it("between two calls, to " .. case.what .. ": the result is the new file, byte for byte", function()
      local name = "changed-" .. (case.size or "same") .. ".fits"
      local uri = "mast:SANDBOX/size/300000/" .. name
      local dest = dir .. "/" .. name
      local old = current(uri)
      partial(uri, dest, 200000)
      H.faults { { kind = "change", size = case.size, match = { uri = name } } }
      current(uri)   -- the change (this request is answered with the new version)
      local new = current(uri)
      assert.are_not.equal(old, new)
      mast.download(uri, dest, { progress = false })
      assert.equal(#new, #H.read(dest))
      assert.is_true(H.read(dest) == new, "the file is the new version")
      assert.is_false(exists(dest .. ".part"))
      assert.is_false(exists(dest .. ".part.meta"))
      local log = downloads(name)
      local last = log[#log].headers
      assert.equal("bytes=200000-", last["range"])
      assert.is_truthy(last["if-range"], "the resume names the version it continues")
    end)
  end

  it("between two attempts of one call (a retry after a cut): the new file", function()
    local name = "retried.fits"
    local uri = "mast:SANDBOX/size/300000/" .. name
    local dest = dir .. "/" .. name
    H.faults {
      { kind = "drop", after_bytes = 120000, times = 1, match = { uri = name } },
      { kind = "change", times = 1, match = { uri = name } },
    }
    mast.download(uri, dest, { progress = false })
    assert.is_true(H.read(dest) == current(uri))
    local log = downloads(name)
    assert.truthy(log[2].headers["if-range"])
  end)

  it("when the server splices anyway (a range of the new version despite If-Range): starts over", function()
    local name = "spliced.fits"
    local uri = "mast:SANDBOX/size/300000/" .. name
    local dest = dir .. "/" .. name
    partial(uri, dest, 100000)
    H.faults {
      { kind = "change", match = { uri = name } },
      { kind = "ignore_if_range", times = 1, match = { uri = name } },
    }
    current(uri)
    mast.download(uri, dest, { progress = false })
    assert.is_true(H.read(dest) == current(uri))
    local log = downloads(name)
    -- (the last request is current()'s)
    assert.equal("bytes=100000-", log[#log - 2].headers["range"])   -- the spliced answer, refused
    assert.is_nil(log[#log - 1].headers["range"])                   -- then the whole file again
  end)

  it("when the Content-Range does not start at the .part's end: starts over", function()
    local name = "shifted.fits"
    local uri = "mast:SANDBOX/size/300000/" .. name
    local dest = dir .. "/" .. name
    local want = current(uri)
    partial(uri, dest, 100000)
    H.faults { { kind = "range_shift", bytes = 1000, times = 1, match = { uri = name } } }
    mast.download(uri, dest, { progress = false })
    assert.is_true(H.read(dest) == want)
  end)

  it("when the total length is not the .part's (a .part.meta with no validator): starts over", function()
    local name = "length.fits"
    local uri = "mast:SANDBOX/size/300000/" .. name
    local dest = dir .. "/" .. name
    local want = current(uri)
    H.write(dest .. ".part", want:sub(1, 50000))
    H.write(dest .. ".part.meta", "etag \nlast-modified \nlength 250000\n")
    mast.download(uri, dest, { progress = false })
    assert.is_true(H.read(dest) == want)
    local log = downloads(name)
    assert.is_nil(log[#log].headers["range"])
  end)

  it("resumes the same version with If-Range and only fetches the rest", function()
    local name = "same.fits"
    local uri = "mast:SANDBOX/size/300000/" .. name
    local dest = dir .. "/" .. name
    local want = current(uri)
    partial(uri, dest, 100000)
    local r = mast.download(uri, dest, { progress = false })
    assert.is_true(r.resumed)
    assert.is_true(H.read(dest) == want)
    local log = downloads(name)
    assert.equal("bytes=100000-", log[#log].headers["range"])   -- one request: the rest
    assert.equal(3, #log)   -- current(), the cut one, the resume
    assert.matches('^"', log[#log].headers["if-range"])   -- the ETag, preferred
  end)

  it("with a known size that the new version does not have: an error, and nothing at dest", function()
    local name = "sized.fits"
    local uri = "mast:SANDBOX/size/300000/" .. name
    local dest = dir .. "/" .. name
    partial(uri, dest, 100000)
    H.faults { { kind = "change", size = 280000, match = { uri = name } } }
    local e = H.raises("io", mast.download, uri, dest, { size = 300000, progress = false })
    assert.matches("product's size is 300000", e.message, 1, true)
    assert.is_false(exists(dest))
    assert.is_false(exists(dest .. ".part"))
    assert.is_false(exists(dest .. ".part.meta"))
  end)
end)
