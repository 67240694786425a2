-- Help entries (mast.help): vo.
return {
  ["mast.vo"] = {
    sig = "mast.vo",
    summary = "Virtual Observatory searches through MAST.",
  },
  ["mast.vo.cone"] = {
    sig = "mast.vo.cone{ra =, dec = | target =, radius = 0.02} -> result",
    summary = "The VO resources (catalogs, image services) with data in a cone.",
    text = "Vo.Hesarc.DatascopeListable: the VO resources (catalogs, image services) with data in a cone; each row's tableURL is a VO table for mast.vo.table. MAST answers this one progressively (EXECUTING with partial rows): the result is the complete answer, once MAST says COMPLETE.",
  },
  ["mast.vo.table"] = {
    sig = "mast.vo.table{url = <a VO table's URL>} -> result",
    summary = "Vo.Generic.Table: a VO table (e.g.",
    text = "a row's tableURL from mast.vo.cone) as a MAST dataset.",
  },
}
