-- Help entries (mast.help): the query cache, record and replay.
return {
  ["mast.cache"] = {
    sig = "mast.cache",
    summary = "The query cache: MAST's final answers kept on disk, shared by processes (off by default).",
    text = "Turn it on with mast.config{cache = dir} (or true: <cache_dir>/queries; MAST_CACHE). A repeated "
      .. "request is answered from the cache with no network round trip. Only final answers are kept: never "
      .. "EXECUTING, an ERROR, a failed transfer or a partial page; query_all's pages come from one fetch (one "
      .. "page missing from the cache means all are fetched again). The key is the exact request (method, "
      .. "URL, body) plus a keyed hash of the token when one is set; files are private (0700 directory, 0600 "
      .. "files), written by temporary file and rename, checked on every read. It is off by default because "
      .. "MAST's answers change as it ingests data: a stale answer is a silently different one. Per call, "
      .. "cache = false skips it and cache = \"refresh\" asks MAST again and keeps the new answer.",
  },
  ["mast.cache.stats"] = {
    sig = "mast.cache.stats() -> {dir, entries, bytes, hits, misses, stores, write_errors, last_write_error}",
    summary = "The query cache's directory, entries and bytes on disk, and this process's hits and misses.",
    returns = "dir is nil when the cache is off; hits, misses, stores and write_errors count this process "
      .. "only; last_write_error says why the last refused write was refused (a refused write never changes "
      .. "a query's answer: it is only not kept).",
    example = "local s = mast.cache.stats()\nprint(s.entries, s.bytes, s.hits, s.misses)",
  },
  ["mast.cache.clear"] = {
    sig = "mast.cache.clear{older_than = seconds} -> removed",
    summary = "Removes the query cache's entries (only those not used for older_than seconds, if given).",
    text = "A hit counts as a use (it touches the entry), so older_than removes what has not been asked "
      .. "for lately. Other files in the directory are left alone.",
    options = {
      { name = "older_than", type = "number (seconds)", default = "every entry",
        text = "Remove only entries not used for this long." },
    },
    returns = "The number of entries removed.",
    example = "mast.cache.clear{older_than = 30 * 86400}",
  },
  ["mast.cache.dir"] = {
    returns = "the query cache's directory (a string), or nil when the cache is off",
    sig = "mast.cache.dir() -> path | nil",
    summary = "The directory the query cache uses, or nil when it is off.",
    example = "print(mast.cache.dir())",
  },
  ["mast.record"] = {
    returns = "nothing",
    sig = "mast.record(dir | false)",
    summary = "Keeps every request and answer from now on in dir (a new recording), or stops recording.",
    text = "The same as MAST_RECORD=dir. The recording is dir/index.jsonl (line 1 "
      .. "{\"format\":\"mast-recording\",\"version\":1}, then one JSON object per exchange: method, url, "
      .. "the sha256 of the request body, status, the sha256 of the answer, and for a download its path "
      .. "and the sha256 of the file) and dir/bodies/<sha256>. No token enters it. While recording, the "
      .. "query cache is not used, so that every exchange is kept.",
    example = "mast.record('run-2026-12-07')",
  },
  ["mast.replay"] = {
    returns = "nothing",
    sig = "mast.replay(dir | false)",
    summary = "Answers every request from the recording in dir with no network, or stops replaying.",
    text = "The same as MAST_REPLAY=dir. A request the recording does not hold raises a \"replay\" error "
      .. "naming its method, URL and body digest. The same request asked again (a poll) gets the recorded "
      .. "answers in order. Downloads are not kept in a recording: under replay the file must already be "
      .. "at its path with the recorded sha256, or the replay fails naming it.",
    example = "mast.replay('run-2026-12-07')",
  },
}
