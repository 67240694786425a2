-- Help entries (mast.help): vo.
return {
  ["mast.vo"] = {
    sig = "mast.vo",
    summary = "Virtual Observatory searches through MAST.",
  },
  ["mast.vo.cone"] = {
    returns = "a mast.Result of VO data collections with data in the cone",
    example = "local r = mast.vo.cone{ra = 210.80243, dec = 54.34875, radius = 0.02}",
    sig = "mast.vo.cone{ra =, dec = | target =, radius = 0.02} -> result",
    summary = "The VO resources (catalogs, image services) with data in a cone.",
    text = "Vo.Hesarc.DatascopeListable: the VO resources (catalogs, image services) with data in a cone; each row's tableURL is a VO table for mast.vo.table. MAST answers this one progressively (EXECUTING with partial rows): the result is the complete answer, once MAST says COMPLETE.",
  },
  ["mast.vo.table"] = {
    options = {
      { name = "url", type = "string", default = "required", text = "A VO table's URL (a tableURL of mast.vo.cone)." },
    },
    returns = "a mast.Result of the VO table's rows",
    example = "local c = mast.vo.cone{ra = 210.80243, dec = 54.34875, radius = 0.02}\nlocal t = mast.vo.table{url = c.data[1].tableURL}",
    sig = "mast.vo.table{url = <a VO table's URL>} -> result",
    summary = "Vo.Generic.Table: a VO table (e.g.",
    text = "a row's tableURL from mast.vo.cone) as a MAST dataset.",
  },
}
