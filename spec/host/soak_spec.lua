-- A smaller scripts/soak: many queries in one mast process leave its memory
-- and its open file descriptors where they were.
describe("a soak of 1,000 queries in one process (scripts/soak)", function()
  it("keeps the open file descriptors and the resident memory flat", function()
    local env = "MAST_BIN=" .. H.quote(H.bin)
    local asan = os.getenv("ASAN_OPTIONS")
    if asan then   -- ASan's quarantine would hold freed memory back: measure without it
      env = env .. " ASAN_OPTIONS=" .. H.quote(asan .. ":quarantine_size_mb=0")
    end
    local code, out, err = H.sh(env .. " " .. H.quote(H.root .. "/scripts/soak") .. " 1000")
    assert.equal(0, code, err)
    local rss0, fds0 = out:match("soak: start%s+rss (%d+) kB%s+open fds (%d+)")
    local rss1, fds1 = out:match("soak: end%s+rss (%d+) kB%s+open fds (%d+)")
    assert.is_string(rss0, out)
    assert.is_string(rss1, out)
    assert.matches("1000 queries in", out, 1, true)
    assert.equal(fds0, fds1, "open file descriptors: " .. fds0 .. " -> " .. fds1 .. "\n" .. out)
    -- 10,000 queries grow it by about 200 kB; allow ten times that for 1,000
    local growth = tonumber(rss1) - tonumber(rss0)
    assert.is_true(growth < 2048, ("resident memory grew by %d kB"):format(growth))
  end)
end)
