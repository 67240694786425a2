-- Help entries (mast.help): shard and campaign (campaigns on a cluster).
return {
  ["mast.shard"] = {
    sig = "mast.shard(list [, {index =, count =, size =}]) -> share, info",
    summary = "Campaigns on a cluster: a Slurm array task's share of a list, and the merge of shard manifests.",
    text = "mast.shard(list) is mast.shard.shard(list): this task's share. "
      .. "mast.download_products(products, dir, {shard = true}) downloads one task's share and writes "
      .. "its manifest; mast.shard.queries does the same for a list of queries; mast.shard.merge (and the "
      .. "command mast-manifest-merge) joins the manifests. The sbatch templates are in scripts/slurm/ "
      .. "(installed in share/mast/slurm).",
  },
  ["mast.shard.shard"] = {
    sig = "mast.shard.shard(list [, {index =, count =, size =}]) -> share, info",
    summary = "This task's share of a list: a Slurm array task's (or MAST_SHARD=i/N's) part of a campaign.",
    text = "Every task computes the same partition of the same list, so the shards are disjoint and "
      .. "cover it with no word between tasks. The shard comes from the options, else MAST_SHARD=i/N, "
      .. "else SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (or _MIN/_MAX/_STEP), or with "
      .. "MAST_SHARD_COUNT (the task id is then the shard: one task can be resubmitted alone); outside "
      .. "an array it is 0 of 1, the whole list. Where every item has a size (products do), the items "
      .. "go largest first to the lightest shard, so the shards' bytes balance; otherwise round-robin. "
      .. "The share keeps the list's order; a result gives a result. mast.shard(list, opts) is the same call.",
    options = {
      { name = "index", type = "integer", default = "from the environment", group = "options",
        text = "This task's shard, 0 to count - 1." },
      { name = "count", type = "integer", default = "from the environment", group = "options",
        text = "How many shards." },
      { name = "size", type = "string | function | false", default = "'size'", group = "options",
        text = "The column (or function(item) -> bytes) balanced on; false: by count." },
    },
    returns = "the share (a list, or a result), and {index, count, from, positions, bytes}",
    example = "local share, info = mast.shard({1, 2, 3, 4, 5}, {index = 1, count = 2})\n"
      .. "print(#share, info.index, info.count)",
  },
  ["mast.shard.current"] = {
    returns = "index (from 0), count, and where they came from: 'options', 'MAST_SHARD', 'SLURM_ARRAY_TASK_ID' or 'none'",
    options = {
      { name = "index", type = "integer >= 0", text = "This task's shard, from 0." },
      { name = "count", type = "integer >= 1", text = "How many shards." },
    },
    sig = "mast.shard.current([{index =, count =}]) -> index, count, from",
    summary = "The task's shard and where it came from (options, MAST_SHARD, SLURM_ARRAY_TASK_ID, none).",
    text = "A bad value is a usage error that names the variable, e.g. \"MAST_SHARD is '8/8': expected "
      .. "i/N with 0 <= i < N\".",
    example = "print(mast.shard.current())",
  },
  ["mast.shard.from_option"] = {
    returns = "index, count",
    example = "print(mast.shard.from_option{index = 0, count = 8})",
    no_options = "it takes no options table",
    sig = "mast.shard.from_option(true | {index =, count =}) -> index, count",
    summary = "The shard a campaign's `shard` option asks for (true: from the environment).",
  },
  ["mast.shard.positions"] = {
    returns = "a list of positions in 1..n",
    sig = "mast.shard.positions(n, index, count [, sizes]) -> {positions}",
    summary = "The positions (1..n, ascending) of shard index: by size where sizes are given, else round-robin.",
    example = "print(table.concat(mast.shard.positions(10, 1, 3), ','))",
  },
  ["mast.shard.manifest_path"] = {
    returns = "the path (a string)",
    sig = "mast.shard.manifest_path(base, index, count) -> path",
    summary = "The shard manifest's path: <base without extension>.shard-0003-of-0008.json.",
    example = "print(mast.shard.manifest_path('run/manifest.csv', 3, 8))",
  },
  ["mast.shard.write_manifest"] = {
    returns = "the path written",
    example = "-- entries: one per position, as mast.shard.queries gives them\nlocal path = mast.shard.write_manifest(entries, \"manifest.csv\", {index = 0, count = 8, positions = {1, 9}})",
    sig = "mast.shard.write_manifest(entries, base, info) -> path",
    summary = "Writes a shard's manifest (JSON, atomically) where mast.shard.merge finds it.",
    text = "info: {index, count, positions}, as mast.shard returns it; each entry keeps its position "
      .. "in the whole list.",
  },
  ["mast.shard.merge"] = {
    example = "local report = mast.shard.merge(\"manifest.csv\", {count = 8})\nprint(mast.shard.describe(report))",
    sig = "mast.shard.merge(base [, {out =, count =}]) -> report",
    summary = "Joins a campaign's shard manifests into one, naming missing shards and failed items.",
    text = "Reads <stem>.shard-I-of-N.json beside base, joins the entries in the order of the whole "
      .. "list and writes them to out (default base; .csv gives CSV, anything else JSON). Manifests "
      .. "that disagree on N (an older run's) are a usage error.",
    options = {
      { name = "out", type = "string", default = "base", group = "options", text = "Where the merged manifest goes." },
      { name = "count", type = "integer", default = "what the manifests say", group = "options",
        text = "The number of shards expected (so that all of them missing is noticed too)." },
    },
    returns = "{count, found, missing = {shard indices}, failed = {entries}, complete, entries, path}",
  },
  ["mast.shard.describe"] = {
    returns = "the report as text, one line a shard",
    example = "print(mast.shard.describe(mast.shard.merge(\"manifest.csv\")))",
    sig = "mast.shard.describe(report) -> text",
    summary = "A merge report as the lines mast-manifest-merge prints.",
  },
  ["mast.shard.queries"] = {
    example = "local requests = {{service = 'Mast.Caom.Cone', params = {ra = 210.8, dec = 54.3, radius = 0.1}}}\nlocal entries = mast.shard.queries(requests, {out = 'answers', shard = {index = 0, count = 1}})",
    sig = "mast.shard.queries(requests, {out = dir [, shard =, concurrency =, manifest =]}) -> entries, info",
    summary = "Runs this task's share of a list of queries, each answer to <out>/query-<k>.json, with a shard manifest.",
    text = "Answer k of the list goes to <out>/query-<k>.json as {fields, data} (a csv or votable "
      .. "answer: query-<k>.csv / .xml, its text); a request whose file "
      .. "is there is SKIPPED, so a rerun does only what is missing. The manifest goes to "
      .. "<manifest or out/manifest>.shard-I-of-N.json.",
    options = {
      { name = "out", type = "string", default = "(required)", group = "options", text = "The answers' directory." },
      { name = "shard", type = "true | {index =, count =}", default = "true", group = "run",
        text = "The shard: true takes it from SLURM_ARRAY_TASK_ID or MAST_SHARD." },
      { name = "concurrency", type = "integer", default = "the concurrency setting", group = "run",
        text = "Queries at once in this task." },
      { name = "manifest", type = "string", default = "out/manifest", group = "options",
        text = "The campaign's manifest base." },
      { name = "deadline", type = "number", default = "the deadline setting", group = "run",
        text = "Seconds for each query." },
    },
    returns = "one entry per request of the share {position, path, status, rows, message}, and the shard info",
  },
}
