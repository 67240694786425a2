-- Security: nothing written outside the directory asked for, whatever the
-- server names things; the token never shown, logged, kept in history or sent
-- to another host; TLS verified, with no way to turn that off; hostile sizes
-- handled. (Faults that lose nothing: fault_spec.lua.)
local mast = require "mast"
local core = require "mast.core"

local TOKEN = "c0ffee5ecret7a1b2c3d4e5f60718293a4b5c6d7"
local CONE = { service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.02 } }

local function exists(path) return core.stat(path) ~= nil end

-- Every path below dir (find, no symlinks followed), sorted.
local function tree(dir)
  local _, out = H.sh("(cd " .. H.quote(dir) .. " && find . -mindepth 1 | LC_ALL=C sort)")
  local list = {}
  for line in out:gmatch("[^\n]+") do list[#list + 1] = line end
  return list
end

-- The first 8-byte piece of the token found in text, or nil.
local function token_piece(text)
  for i = 1, #TOKEN - 7 do
    local piece = TOKEN:sub(i, i + 7)
    if text:find(piece, 1, true) then return piece end
  end
end

local function assert_no_token(text, where)
  local piece = token_piece(text)
  if piece then
    local at = text:find(piece, 1, true)
    error(("the token (%q) appears in %s: ...%s..."):format(piece, where,
      text:sub(math.max(1, at - 80), at + 40)), 2)
  end
end

describe("security", function()
  local dir
  H.dir_each(function(d) dir = d end)

  describe("product names from the server", function()
    local function product(coll, id, file, size)
      return { obs_collection = coll, obs_id = id, productFilename = file,
               dataURI = "mast:SANDBOX/size/" .. (size or 10) .. "/f.fits", size = size or 10 }
    end

    it("never lead outside the directory (obs_collection, obs_id, productFilename)", function()
      local out = dir .. "/out"
      local rows = {
        product("HST", "good", "good.fits", 11),
        product("..", "x", "a.fits"), product("HST", "../../x", "b.fits"),
        product("HST", "..", "c.fits"), product("HST", "x", "../../d.fits"),
        product("HST", "x", "/tmp/e.fits"), product("/tmp", "x", "f.fits"),
        product("HST", "x", "a/../../g.fits"), product(".", "x", "h.fits"),
        product("HST", "", "i.fits"), product("HST", "x", "j\0.fits"),
        product("HST", "x", "..\\..\\k.fits"), product("HST", "x", "."),
        { obs_collection = "HST", obs_id = "x", dataURI = "mast:SANDBOX/size/10/l.fits" },
      }
      local manifest = mast.download_products(rows, out, { progress = false })
      assert.equal(#rows, #manifest)
      assert.equal("COMPLETE", manifest[1].status)
      for i = 2, #rows do
        assert.equal("ERROR", manifest[i].status, "row " .. i)
        assert.matches("refused", manifest[i].message, 1, true)
      end
      -- one file, where it belongs, and not one request for the others
      assert.same({ "./out", "./out/mastDownload", "./out/mastDownload/HST",
                    "./out/mastDownload/HST/good", "./out/mastDownload/HST/good/good.fits" },
                  tree(dir))
      local downloads = 0
      for _, r in ipairs(H.requests()) do
        if r.path:find("/Download/", 1, true) then downloads = downloads + 1 end
      end
      assert.equal(1, downloads)
    end)

    it("never lead outside in flat mode either", function()
      local out = dir .. "/out"
      local manifest = mast.download_products({ product("HST", "x", ".."), product("HST", "x", "../y"),
                                                product("HST", "x", "ok.fits") }, out,
                                              { flat = true, progress = false })
      assert.same({ "ERROR", "ERROR", "COMPLETE" },
                  { manifest[1].status, manifest[2].status, manifest[3].status })
      assert.same({ "./out", "./out/ok.fits" }, tree(dir))
    end)

    it("cannot name a downloaded file '..' when dest is a directory", function()
      local e = H.raises("usage", mast.download, "mast:SANDBOX/size/10/..", dir)
      assert.matches("cannot name a file", e.message, 1, true)
      assert.same({}, tree(dir))
    end)
  end)

  describe("archive entries", function()
    local corpus = H.root .. "/spec/fuzz/corpus/archive/"

    local function archives(prefix)
      local _, out = H.sh("ls " .. H.quote(corpus))
      local list = {}
      for name in out:gmatch("[^\n]+") do
        if name:sub(1, #prefix) == prefix then list[#list + 1] = name end
      end
      return list
    end

    it("are refused whole, before anything is written, for every hostile kind", function()
      local names = archives("hostile-")
      assert.is_true(#names >= 20)
      for _, name in ipairs(names) do
        local out = dir .. "/" .. name .. ".d/out"
        assert(os.execute("mkdir -p " .. H.quote(dir .. "/" .. name .. ".d")))
        H.write(dir .. "/" .. name .. ".d/sentinel", "keep\n")
        local ok, e = pcall(core.extract, corpus .. name, out)
        assert.is_false(ok, name .. " was extracted")
        assert.is_true(core.is_error(e, "io"), name .. ": " .. tostring(e))
        assert.matches("refusing to extract", e.message, 1, true)
        assert.same({ "./sentinel" }, tree(dir .. "/" .. name .. ".d"), name)
        assert.equal("keep\n", H.read(dir .. "/" .. name .. ".d/sentinel"))
      end
      assert.is_false(exists("/tmp/mast-fuzz-abs"))
    end)

    it("with links inside the directory are extracted, and the links stay inside", function()
      for _, name in ipairs(archives("ok-")) do
        local out = dir .. "/" .. name
        local files = core.extract(corpus .. name, out)
        assert.is_true(#files >= 1, name)
        local _, links = H.sh("find " .. H.quote(out) .. " -type l -exec readlink -f {} \\;")
        for target in links:gmatch("[^\n]+") do
          assert.equal(out, target:sub(1, #out), name .. ": a link leads to " .. target)
        end
      end
    end)

    it("are refused below a symbolic link already in the directory (nothing written through it)", function()
      local out = dir .. "/out"
      assert(os.execute("mkdir -p " .. H.quote(out) .. " && ln -s .. " .. H.quote(out .. "/up")))
      local archive = dir .. "/through.tar"
      assert.equal(0, (H.sh("cd " .. H.quote(dir) .. " && mkdir -p t/up && echo x > t/up/escaped.txt"
        .. " && tar -C t -cf through.tar up/escaped.txt")))
      local e = H.raises("io", core.extract, archive, out)
      assert.matches("symbolic link already in the directory", e.message, 1, true)
      assert.is_false(exists(dir .. "/escaped.txt"))
    end)

    it("of a MAST bundle extract as mastDownload/<collection>/<id>/<file>", function()
      local files = core.extract(corpus .. "bundle.zip", dir .. "/x")
      assert.equal(3, #files)
      assert.is_true(exists(dir .. "/x/mastDownload/HST/u9o40504m/u9o40504m_c3m.fits"))
    end)
  end)

  describe("the token", function()
    it("goes to MAST only: not to another host on a redirect, nor to another name for the same server", function()
      mast.config { token = TOKEN }
      local base = os.getenv("MAST_BASE_URL")
      local port = base:match(":(%d+)$")
      H.faults { { kind = "redirect", location = "alt", match = { path = "/api/v0/invoke" } } }
      pcall(mast.query, CONE)
      H.faults { { kind = "redirect", location = "http://localhost:" .. port .. "/api/v0/invoke",
                   match = { path = "/api/v0/invoke", listener = "main" }, times = 1 } }
      mast.query(CONE)
      -- userinfo cannot make another host look like MAST
      local alt = os.getenv("MAST_SANDBOX_ALT_URL")
      local tricky = "http://127.0.0.1:" .. port .. "@" .. alt:gsub("^http://", "")
        .. "/stpubdata/sandbox/redirect/10/u.fits"
      pcall(mast.download, tricky, dir .. "/u.fits")
      local log = H.requests()
      local seen = { main = 0, alt = 0, localhost = 0 }
      for _, r in ipairs(log) do
        local host = r.headers.host or ""
        local key = r.listener == "alt" and "alt" or (host:match("^localhost") and "localhost" or "main")
        seen[key] = seen[key] + 1
        if key == "main" then
          assert.equal("token " .. TOKEN, r.headers.authorization, r.path)
        else   -- (the userinfo URL sends its own Basic credentials, never the token)
          assert.not_matches(TOKEN, r.headers.authorization or "", 1, true)
          assert.not_matches("^token", r.headers.authorization or "")
        end
      end
      assert.is_true(seen.main >= 2 and seen.alt >= 2 and seen.localhost == 1,
                     ("main %d, alt %d, localhost %d"):format(seen.main, seen.alt, seen.localhost))
    end)

    it("never appears in what the mast program prints: results, errors, progress, the final error", function()
      H.faults {
        { kind = "executing", count = 2, match = { service = "Mast.Caom.Cone" } },
        { kind = "status", status = 503, body = "token " .. TOKEN .. " rejected",
          match = { service = "Mast.Name.Lookup" } },
        { kind = "error", msg = "Token " .. TOKEN .. " has expired", match = { service = "Mast.Caom.Products" } },
        { kind = "status", status = 401, body = "bad token " .. TOKEN, match = { uri = "denied.fits" } },
        { kind = "status", status = 500, body = ("x"):rep(190) .. TOKEN, times = -1,
          match = { service = "Mast.Missions.List" } },
      }
      local script = dir .. "/session.lua"
      H.write(script, ([[
        mast.config{retry_delay = 0.01}
        print(mast.query{service = "Mast.Caom.Cone", params = {ra = 254.28746, dec = -4.09933, radius = 0.02}})
        print(mast.query{service = "Mast.Name.Lookup", params = {input = "M101"}}.status)
        print("config", mast.config().token, mast.config("token"))
        print(pcall(mast.query, {service = "Mast.Caom.Products", params = {obsid = 1}}))
        print(pcall(mast.download, "mast:SANDBOX/size/10/denied.fits", %q))
        print(mast.download("mast:SANDBOX/size/3000000/big.fits", %q).bytes)
        mast.query{service = "Mast.Missions.List", params = {}}
      ]]):format(dir .. "/denied.fits", dir .. "/big.fits"))
      local code, out, err = H.mast({ script }, nil,
        { MAST_API_TOKEN = TOKEN, MAST_PROGRESS = "on", MAST_RETRY_DELAY = "0.01" })
      assert.equal(1, code)   -- the last query fails, uncaught
      assert.matches("EXECUTING", err, 1, true)              -- the waiting line was shown
      assert.matches("big.fits", err, 1, true)               -- the progress line was shown
      assert.matches("3000000", out, 1, true)
      assert.matches("<token>", out .. err, 1, true)         -- the echoes were there, scrubbed
      assert.matches("mast: Mast.Missions.List: HTTP 500", err, 1, true)
      assert_no_token(out, "stdout")
      assert_no_token(err, "stderr")
      -- and it was sent
      local sent = false
      for _, r in ipairs(H.requests()) do
        sent = sent or r.headers.authorization == "token " .. TOKEN
      end
      assert.is_true(sent)
    end)

    describe("in the REPL", function()
      local function session(steps, env) return H.pty(steps, nil, env) end

      local function typed(...)
        local list = { { expect = "mast> " } }
        for _, line in ipairs({ ... }) do
          list[#list + 1] = { send = line .. "\r" }
          list[#list + 1] = { expect = "mast> ", timeout = 30 }
        end
        list[#list + 1] = { close = true }
        return list
      end

      it("shows it nowhere: settings, results, errors that echo it", function()
        local hist = dir .. "/history"
        H.faults { { kind = "error", msg = "Token " .. TOKEN .. " has expired",
                     match = { service = "Mast.Caom.Products" } } }
        local code, out = session(typed(
          "mast.config()",
          "mast.config('token')",
          "mast.query{service = 'Mast.Caom.Cone', params = {ra = 254.28746, dec = -4.09933, radius = 0.02}}",
          "mast.query{service = 'Mast.Caom.Products', params = {obsid = 1}}",
          "e = select(2, pcall(mast.query, {service = 'Mast.Caom.Products', params = {obsid = 1}}))",
          "e.msg",
          "e"
        ), { MAST_API_TOKEN = TOKEN, MAST_HISTFILE = hist, MAST_PROGRESS = "on" })
        assert.equal(0, code)
        assert.matches("<set>", out, 1, true)
        assert.matches("has expired", out, 1, true)
        assert_no_token(out, "the REPL's output")
        assert_no_token(H.read(hist), "the history file")
      end)

      it("keeps no line that holds it in the history file or the session's history", function()
        local hist = dir .. "/history"
        local code, out = session(typed(
          "secret = '" .. TOKEN .. "'",
          "other = 1",
          "mast.config{token = secret}",
          "print('MARK' .. 'ED')",
          "\27[A\27[A\27[A\27[A"   -- Up four times: only 'other = 1' and the print are there
        ), { MAST_API_TOKEN = TOKEN, MAST_HISTFILE = hist })
        assert.equal(0, code)
        local after = out:match(".*MARKED(.*)$")
        assert.is_string(after)
        assert.matches("other = 1", after, 1, true)
        assert_no_token(after, "a line recalled from the session's history")
        local saved = H.read(hist)
        assert.matches("other = 1", saved:gsub("\\040", " "), 1, true)
        assert_no_token(saved, "the history file")
        assert.not_matches("token", saved, 1, true)
      end)
    end)
  end)

  describe("TLS", function()
    local tls_dir, server_pid, base

    local function openssl_cert(name, san)
      local cert, key = tls_dir .. "/" .. name .. ".pem", tls_dir .. "/" .. name .. ".key"
      assert.equal(0, (H.sh(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=%s "
        .. "-addext subjectAltName=%s -keyout %s -out %s"):format(name, san, H.quote(key), H.quote(cert)))))
      return cert, key
    end

    -- a sandbox of our own that speaks HTTPS with this certificate
    local function start(cert, key)
      local ready = tls_dir .. "/ready-" .. cert:match("([^/]+)%.pem$") .. ".json"
      os.execute(("python3 %s --tls-cert %s --tls-key %s --ready-file %s >/dev/null 2>&1 &"):format(
        H.quote(H.root .. "/sandbox/mast-sandbox"), H.quote(cert), H.quote(key), H.quote(ready)))
      for _ = 1, 200 do
        if exists(ready) then break end
        os.execute("sleep 0.05")
      end
      local info = core.json_decode(H.read(ready))
      server_pid = info.pid
      return info.base_url
    end

    before_each(function()
      tls_dir = H.tmpdir()
      server_pid = nil
    end)

    after_each(function()
      if server_pid then os.execute("kill " .. math.tointeger(server_pid)) end
      os.execute("rm -rf " .. H.quote(tls_dir))
      core.config("ca_file", nil)
      core.config("ca_path", nil)
    end)

    local function query_at(url)
      mast.config { base_url = url, retries = 0 }
      return mast.query { service = "Mast.Name.Lookup", params = { input = "M101" } }
    end

    it("refuses a self-signed certificate by default, with a clear network error", function()
      local cert, key = openssl_cert("127.0.0.1", "IP:127.0.0.1")
      base = start(cert, key)
      assert.matches("^https://127%.0%.0%.1:", base)
      local e = H.raises("network", query_at, base)
      assert.matches("certificate", e.message, 1, true)
      assert.matches("ca_file", tostring(e), 1, true)
      assert.equal(60, e.curl_code)   -- CURLE_PEER_FAILED_VERIFICATION
      -- and downloads the same
      e = H.raises("network", mast.download, "mast:SANDBOX/size/10/t.fits", dir .. "/t.fits")
      assert.matches("certificate", e.message, 1, true)
      assert.is_false(exists(dir .. "/t.fits"))
    end)

    it("accepts it once it is trusted: ca_file, or ca_path", function()
      local cert, key = openssl_cert("127.0.0.1", "IP:127.0.0.1")
      base = start(cert, key)
      mast.config { ca_file = cert }
      assert.is_table(query_at(base))
      assert.equal(10, mast.download("mast:SANDBOX/size/10/t.fits", dir .. "/t.fits").bytes)
      mast.config { ca_file = false }
      H.raises("network", query_at, base)
      local cadir = tls_dir .. "/ca"
      if H.sh("mkdir -p " .. H.quote(cadir) .. " && cp " .. H.quote(cert) .. " " .. H.quote(cadir)
              .. " && openssl rehash " .. H.quote(cadir)) == 0 then
        mast.config { ca_path = cadir }
        assert.is_table(query_at(base))
      end
      mast.config { ca_path = false }
    end)

    it("checks the name: a trusted certificate for another host is refused", function()
      local cert, key = openssl_cert("example.org", "DNS:example.org")
      base = start(cert, key)
      mast.config { ca_file = cert }
      local e = H.raises("network", query_at, base)
      assert.matches("127.0.0.1", e.message, 1, true)
      mast.config { ca_file = false }
    end)

    it("cannot be turned off: no setting, no environment variable, no libcurl option in the source", function()
      for _, k in ipairs(core.config_keys()) do
        assert.is_nil(k:lower():find("verif") or k:lower():find("insecure") or k:lower():find("ssl"), k)
      end
      for _, k in ipairs({ "verify", "ssl_verify", "insecure", "verify_peer", "tls_verify" }) do
        H.raises("usage", mast.config, { [k] = false })
      end
      local _, src = H.sh("grep -rn 'SSL_VERIFY\\|VERIFYPEER\\|VERIFYHOST\\|SSL_OPTIONS\\|CURLSSLOPT\\|MAST_INSECURE' "
        .. H.quote(H.root .. "/src") .. " " .. H.quote(H.root .. "/lua"))
      assert.equal("", src)
      -- an environment variable that would disable it with other tools does nothing here
      local cert, key = openssl_cert("127.0.0.1", "IP:127.0.0.1")
      base = start(cert, key)
      local code, _, err = H.mast(
        { "-e", "mast.config{retries = 0}; mast.query{service = 'Mast.Name.Lookup', params = {input = 'M1'}}" },
        nil, { MAST_BASE_URL = base, CURL_SSL_NO_VERIFY = "1", MAST_INSECURE = "1", PYTHONHTTPSVERIFY = "0",
               NODE_TLS_REJECT_UNAUTHORIZED = "0", GIT_SSL_NO_VERIFY = "1" })
      assert.equal(1, code)
      assert.matches("certificate", err, 1, true)
    end)
  end)

  describe("hostile sizes", function()
    it("a 10 MB string in an answer and in a request", function()
      local big = ("0123456789abcdef"):rep(10 * 65536)   -- 10 MiB
      H.faults { { kind = "malformed", match = { service = "Mast.Caom.Cone" },
                   body = '{"status" : "COMPLETE","msg" : "' .. big .. '","data":[],"fields":[]}' } }
      local r = mast.query(CONE)
      assert.equal(#big, #r.msg)
      assert.equal(big, r.msg)
      local answer = mast.query { service = "Mast.Name.Lookup", params = { input = big } }
      assert.is_table(answer)
      local log = H.invokes()
      assert.is_true(log[#log].body_truncated)   -- the sandbox logs the first 1 MB of it
    end)

    it("100,000-deep nesting in an answer and in a request", function()
      H.faults { { kind = "malformed", body = ("["):rep(100000) .. ("]"):rep(100000),
                   match = { service = "Mast.Caom.Cone" } } }
      local e = H.raises("json", mast.query, CONE)
      assert.matches("deeper", e.message, 1, true)
      local deep = {}
      local t = deep
      for _ = 1, 100000 do
        t.data = { fields = {} }
        t = t.data
      end
      e = H.raises("usage", mast.query, { service = "Mast.Caom.Cone", params = deep })
      assert.matches("^request%..*nesting deeper than", e.message)
    end)

    it("a 1 GB Content-Length lie, on a query and on a download", function()
      mast.config { retries = 1 }
      H.faults { { kind = "length_lie", times = -1, match = { path = "/api/v0/invoke" } } }
      local t0 = core.now()
      local e = H.raises("network", mast.query, CONE)
      assert.is_true(core.now() - t0 < 20)
      assert.equal(2, e.attempts)
      H.faults { { kind = "length_lie", times = -1, match = { uri = "lie.fits" } } }
      H.raises("network", mast.download, "mast:SANDBOX/size/5000/lie.fits", dir .. "/lie.fits")
      assert.is_false(exists(dir .. "/lie.fits"))
      -- nothing was allocated for the promised gigabyte
      local status = H.read("/proc/self/status")
      local hwm = tonumber(status:match("VmHWM:%s*(%d+)"))
      assert.is_true(hwm < 1000000, ("peak RSS %d kB"):format(hwm))
    end)
  end)
end)
