-- A short scripts/soak --faults: 25 s of queries, query_all and downloads through nginx
-- while the sandbox injects 503s, resets, bodies cut short and stalls (ctest spec-soak-faults).
describe("a 25 s soak under faults behind nginx (scripts/soak --faults)", function()
  it("verifies every download, fails nothing, and keeps the fds and the resident memory flat", function()
    local env = "MAST_BIN=" .. H.quote(H.bin)
    local asan = os.getenv("ASAN_OPTIONS")
    if asan then   -- ASan's quarantine would hold freed memory back: measure without it
      env = env .. " ASAN_OPTIONS=" .. H.quote(asan .. ":quarantine_size_mb=0")
    end
    local code, out, err = H.sh(env .. " " .. H.quote(H.root .. "/scripts/soak") .. " --faults 25")
    if code == 77 then
      H.missing("nginx is not installed (scripts/install-deps)", pending)
      return
    end
    assert.equal(0, code, err .. out)
    local rss0, fds0 = out:match("soak: start%s+rss (%d+) kB%s+open fds (%d+)")
    local rss1, fds1 = out:match("soak: end%s+rss (%d+) kB%s+open fds (%d+)")
    assert.is_string(rss0, out)
    assert.is_string(rss1, out)
    assert.matches("soak: failures 0 %(none%)", out)
    local injected = tonumber(out:match("soak: faults injected (%d+)"))
    assert.is_true(injected >= 10, out)
    assert.is_true(tonumber(out:match("soak: retries (%d+)")) >= injected // 2, out)
    local verified, total, bad = out:match("soak: files verified (%d+) of (%d+), (%d+) mismatched")
    assert.is_string(verified, out)
    assert.equal(total, verified, out)
    assert.is_true(tonumber(total) >= 20, out)
    assert.equal("0", bad)
    assert.equal(fds0, fds1, "open file descriptors: " .. fds0 .. " -> " .. fds1 .. "\n" .. out)
    local growth = tonumber(rss1) - tonumber(rss0)
    assert.is_true(growth < 4096, ("resident memory grew by %d kB\n%s"):format(growth, out))
  end)
end)
