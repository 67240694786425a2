"""Synthetic source catalogues: TIC/CTL, Gaia DR1/DR2/DR3, TGAS, GALEX, HSC,
Disk Detective, SDSS and 2MASS.

Column sets come from the recorded fixtures where one exists (TIC/CTL from
tic.json, HSC from hsc.json, Disk Detective from dd.json); the others are
plausible sets of this sandbox's design using the real column names where
known.  Values are drawn from simple, roughly realistic distributions.
Distance columns use the units the real services use: TIC/CTL and Disk
Detective ``dstArcSec`` (arcsec), HSC ``Distance`` and Gaia/TGAS
``distance`` (arcmin), GALEX ``distance_arcmin``; SDSS and 2MASS only back
crossmatches.
"""

import math

from .catalog import Catalog, Tier, base36, maybe, pick
from .sky import ecliptic, galactic
from .table import fmt_fixed, fmt_int

F2, F3, F4, F6, F7 = fmt_fixed(2), fmt_fixed(3), fmt_fixed(4), fmt_fixed(6), fmt_fixed(7)


def _sexagesimal(ra, dec, ra_digits=2, dec_digits=1):
    """'HHMMSS.ss+DDMMSS.s' style designation body."""
    h = ra / 15.0
    hh = int(h)
    mm = int((h - hh) * 60)
    ss = ((h - hh) * 60 - mm) * 60
    sign = "-" if dec < 0 else "+"
    d = abs(dec)
    dd = int(d)
    dm = int((d - dd) * 60)
    ds = ((d - dd) * 60 - dm) * 60
    ra_txt = "%02d%02d%0*.*f" % (hh, mm, 3 + ra_digits, ra_digits, ss)
    dec_txt = "%02d%02d%0*.*f" % (dd, dm, 3 + dec_digits, dec_digits, ds)
    return ra_txt + sign + dec_txt


def _mag(rng, bright, faint, shape=3.0):
    """A magnitude between bright and faint, mostly near the faint end."""
    return faint - (faint - bright) * rng.random() ** shape


def _healpix_like(grid, cell):
    """Map a cell number to a pseudo level-12 HEALPix index (0..12*4**12)."""
    return int(cell / grid.ncells * 12 * 4 ** 12)


# ---------------------------------------------------------------- TIC / CTL


class TicCatalog(Catalog):
    """TESS Input Catalog v8-like rows (columns of tic.json)."""

    name = "TIC"
    spec = (
        ("ID", "string", fmt_int), ("version", "string"), ("HIP", "int"), ("TYC", "string"),
        ("UCAC", "string"), ("TWOMASS", "string"), ("SDSS", "string"), ("ALLWISE", "string"),
        ("GAIA", "string"), ("APASS", "string"), ("KIC", "int"), ("objType", "string"),
        ("typeSrc", "string"), ("ra", "float"), ("dec", "float"), ("POSflag", "string"),
        ("pmRA", "float"), ("e_pmRA", "float"), ("pmDEC", "float"), ("e_pmDEC", "float"),
        ("PMflag", "string"), ("plx", "float"), ("e_plx", "float"), ("PARflag", "string"),
        ("gallong", "float"), ("gallat", "float"), ("eclong", "float"), ("eclat", "float"),
        ("Bmag", "float"), ("e_Bmag", "float"), ("Vmag", "float"), ("e_Vmag", "float"),
        ("umag", "float"), ("e_umag", "float"), ("gmag", "float"), ("e_gmag", "float"),
        ("rmag", "float"), ("e_rmag", "float"), ("imag", "float"), ("e_imag", "float"),
        ("zmag", "float"), ("e_zmag", "float"), ("Jmag", "float"), ("e_Jmag", "float"),
        ("Hmag", "float"), ("e_Hmag", "float"), ("Kmag", "float"), ("e_Kmag", "float"),
        ("TWOMflag", "string"), ("prox", "float"), ("w1mag", "float"), ("e_w1mag", "float"),
        ("w2mag", "float"), ("e_w2mag", "float"), ("w3mag", "float"), ("e_w3mag", "float"),
        ("w4mag", "float"), ("e_w4mag", "float"), ("GAIAmag", "float"), ("e_GAIAmag", "float"),
        ("Tmag", "float"), ("e_Tmag", "float"), ("TESSflag", "string"), ("SPFlag", "string"),
        ("Teff", "float"), ("e_Teff", "float"), ("logg", "float"), ("e_logg", "float"),
        ("MH", "float"), ("e_MH", "float"), ("rad", "float"), ("e_rad", "float"),
        ("mass", "float"), ("e_mass", "float"), ("rho", "float"), ("e_rho", "float"),
        ("lumclass", "string"), ("lum", "float"), ("e_lum", "float"), ("d", "float"),
        ("e_d", "float"), ("ebv", "float"), ("e_ebv", "float"), ("numcont", "int"),
        ("contratio", "float"), ("disposition", "string"), ("duplicate_id", "string"),
        ("priority", "float"), ("objID", "string", fmt_int),
    )
    # all-sky tier: a sparse index of bright stars (Tmag < 10.5); local tier: dense.
    tiers = (Tier("allsky", 2.0, 0.75, 64, boosted=False), Tier("local", 0.1, 5000.0, 4000))
    boosts = {"M10": 6.0, "M15": 6.0, "M103": 3.0, "M8": 2.0, "M101": 3.0}
    distance_name = "dstArcSec"
    distance_scale = 3600.0

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        bright = tier.name == "allsky"
        if bright:
            tic_id = 2_200_000_000 + cell * 64 + k
            tmag = 10.5 - 8.5 * r() ** 2
        else:
            tic_id = 10_000_000_000 + cell * 4096 + k
            tmag = _mag(rng, 7.5, 20.5, 2.2)
        extended = not bright and r() < 0.04
        dwarf = r() < 0.72
        if dwarf:
            teff = min(12000.0, max(2600.0, rng.gauss(5200, 1100)))
            logg = min(5.3, max(3.9, 4.45 + (5800 - teff) / 8000 + rng.gauss(0, 0.08)))
        else:
            teff = min(6500.0, max(3500.0, rng.gauss(4700, 400)))
            logg = min(3.9, max(0.5, rng.gauss(2.6, 0.5)))
        has_params = not extended and (bright or r() < 0.6)
        bp = tmag + 0.3 + 1.6 * r()
        gl, gb = galactic(ra, dec)
        el, eb = ecliptic(ra, dec)
        plx = abs(rng.gauss(1.2, 1.0)) + 0.05 if has_params else None
        dist = 1000.0 / plx if plx else None
        jmag = tmag - 0.4 - 0.5 * r()
        hmag = jmag - 0.2 - 0.4 * r()
        kmag = hmag - 0.05 - 0.15 * r()
        twomass = _sexagesimal(ra, dec, 2, 1).replace(".", "")
        twomass = twomass[:8] + twomass[8] + twomass[9:]
        in_ctl = has_params and dwarf and tmag < 13.5
        mass = max(0.08, min(3.5, (teff / 5778.0) ** 1.6)) if has_params else None
        radius = max(0.1, min(30.0, math.sqrt(mass * 10 ** (4.44 - logg)))) if has_params else None
        gaia_id = (_healpix_like(self.tiers[1].grid, cell) << 35) + k + 1
        row = (
            tic_id, "20190415",
            (10000 + cell * 7 + k) if bright and r() < 0.4 else None,
            ("%d-%d-1" % (1 + cell % 9537, 1 + k)) if tmag < 12 else None,
            ("%03d-%06d" % (cell % 900, k * 37 % 999999)) if tmag < 16 else None,
            twomass,
            None,
            ("J" + _sexagesimal(ra, dec, 2, 1)) if r() < 0.8 else None,
            str(gaia_id) if not extended else None,
            None,
            None,
            "EXTENDED" if extended else "STAR",
            "2mass" if extended else ("hip" if bright and r() < 0.3 else "tmgaia2"),
            round(ra, 10), round(dec, 10),
            "2MASSEXT" if extended else "gaia2",
            round(rng.gauss(-2, 8), 6) if has_params else None,
            round(0.02 + 0.3 * r(), 6) if has_params else None,
            round(rng.gauss(-4, 8), 6) if has_params else None,
            round(0.02 + 0.3 * r(), 6) if has_params else None,
            "gaia2" if has_params else None,
            round(plx, 6) if plx else None,
            round(0.02 + 0.1 * r(), 6) if plx else None,
            "gaia2" if plx else None,
            round(gl, 6), round(gb, 6), round(el, 6), round(eb, 6),
            round(bp + 0.6, 3) if bright else None, 0.03 if bright else None,
            round(bp, 3) if tmag < 16 else None, round(0.02 + 0.1 * r(), 3) if tmag < 16 else None,
            None, None,
            maybe(rng, 0.3, round(bp + 0.2, 3)), None,
            None, None, None, None, None, None,
            round(jmag, 3), round(0.02 + 0.05 * r(), 3),
            round(hmag, 3), round(0.02 + 0.05 * r(), 3),
            round(kmag, 3), round(0.02 + 0.05 * r(), 3),
            "AAA-222-111-000-0-0",
            round(5 + 300 * r(), 1) if r() < 0.7 else None,
            round(kmag - 0.1, 3), round(0.02 + 0.03 * r(), 3),
            round(kmag - 0.15, 3), round(0.02 + 0.03 * r(), 3),
            round(kmag - 0.2, 3) if r() < 0.5 else None, 0.3 if r() < 0.5 else None,
            None, None,
            round(tmag + 0.3 + 0.4 * r(), 6) if not extended else None,
            round(0.0003 + 0.002 * r(), 6) if not extended else None,
            round(tmag, 3), round(0.006 + 0.02 * r(), 3),
            "gaiaj" if has_params else "tor_jhk",
            "gaia2" if has_params else None,
            round(teff, 0) if has_params else None,
            round(100 + 150 * r(), 0) if has_params else None,
            round(logg, 5) if has_params else None,
            round(0.08 + 0.1 * r(), 5) if has_params else None,
            None, None,
            round(radius, 5) if radius else None, round(0.05 * radius, 5) if radius else None,
            round(mass, 5) if mass else None, round(0.1 * mass, 5) if mass else None,
            round(mass / radius ** 3, 5) if mass else None,
            round(0.2 * mass / radius ** 3, 5) if mass else None,
            ("DWARF" if dwarf else "GIANT") if has_params else None,
            round(radius ** 2 * (teff / 5778.0) ** 4, 5) if radius else None,
            round(0.1 * radius ** 2, 5) if radius else None,
            round(dist, 3) if dist else None, round(0.1 * dist, 3) if dist else None,
            round(0.02 + 0.3 * r(), 5) if has_params else None,
            round(0.01 + 0.02 * r(), 5) if has_params else None,
            int(r() * 40) if in_ctl else None,
            round(r() ** 3 * 0.5, 8) if in_ctl else None,
            None, None,
            round(r() ** 4 * 0.002, 10) if in_ctl else None,
            300_000_000 + cell * 37 + k,
        )
        return row


class CtlCatalog(TicCatalog):
    """The Candidate Target List: the TIC stars that carry a priority."""

    name = "CTL"
    seed_name = "TIC"

    PRIORITY = [item[0] for item in TicCatalog.spec].index("priority")

    def accept(self, row):
        return row[self.PRIORITY] is not None


# ---------------------------------------------------------------- Gaia


class GaiaCatalog(Catalog):
    """Gaia DR1/DR2/DR3 ``gaia_source``-like rows (about 30 columns)."""

    distance_scale = 60.0  # arcmin [INFERRED]
    boosts = {"M10": 2.0, "M15": 2.0, "M8": 1.0, "M103": 1.0}

    def __init__(self, release):
        self.release = release
        self.name = "GaiaDR%d" % release
        self.solution_id = {1: 1635378410781933568, 2: 1635721458409799680,
                            3: 375316653866487564}[release]
        self.ref_epoch = {1: 2015.0, 2: 2015.5, 3: 2016.0}[release]
        density = {1: 40000.0, 2: 50000.0, 3: 50000.0}[release]
        self.tiers = (Tier("local", 0.05, density, 20000),)
        spec = [("solution_id", "string", fmt_int), ("designation", "string"),
                ("source_id", "string", fmt_int), ("random_index", "int"),
                ("ref_epoch", "float"), ("ra", "float"), ("ra_error", "float"),
                ("dec", "float"), ("dec_error", "float"), ("parallax", "float"),
                ("parallax_error", "float"), ("pmra", "float"), ("pmra_error", "float"),
                ("pmdec", "float"), ("pmdec_error", "float"),
                ("astrometric_excess_noise", "float"),
                ("visibility_periods_used" if release > 1 else "astrometric_n_good_obs_al", "int"),
                ("phot_g_mean_flux", "float"),
                ("phot_g_mean_flux_error", "float"), ("phot_g_mean_mag", "float")]
        if release > 1:
            spec += [("phot_bp_mean_mag", "float"), ("phot_rp_mean_mag", "float"),
                     ("bp_rp", "float"), ("radial_velocity", "float"),
                     ("radial_velocity_error", "float")]
        spec += [("phot_variable_flag", "string"), ("l", "float"), ("b", "float")]
        if release > 1:
            spec += [("teff_val" if release == 2 else "ruwe", "float")]
        self.spec = tuple(spec)
        super().__init__()

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        source_id = (_healpix_like(tier.grid, cell) << 35) + 8 * k + self.release
        g = _mag(rng, 5.0, 21.0, 3.0)
        five_param = g < 19.5 or r() < 0.5
        sigma = 0.02 + 0.6 * 10 ** (0.25 * (g - 21))
        flux = 10 ** (-0.4 * (g - 25.6874))
        gl, gb = galactic(ra, dec)
        row = [self.solution_id, "Gaia DR%d %d" % (self.release, source_id), source_id,
               int(r() * 1_600_000_000), self.ref_epoch, round(ra, 11),
               round(sigma * (0.5 + r()), 6), round(dec, 11), round(sigma * (0.5 + r()), 6)]
        if five_param:
            row += [round(rng.gauss(0.6, 0.8), 6), round(sigma * 1.2, 6),
                    round(rng.gauss(-3, 6), 6), round(sigma * 1.5, 6),
                    round(rng.gauss(-5, 6), 6), round(sigma * 1.4, 6)]
        else:
            row += [None, None, None, None, None, None]
        g = round(g, 6)
        row += [round(r() ** 2 * 1.5, 6), 8 + int(12 * r()), round(flux, 4),
                round(flux * (0.001 + 0.01 * r()), 5), g]
        if self.release > 1:
            colour = round(0.5 + 2.0 * r(), 6) if g < 20.5 else None
            row += [round(g + 0.3 + colour * 0.4, 6) if colour else None,
                    round(g - 0.6 * colour, 6) if colour else None, colour,
                    round(rng.gauss(0, 40), 4) if g < 13 else None,
                    round(0.5 + 3 * r(), 4) if g < 13 else None]
        row += ["VARIABLE" if r() < 0.01 else "NOT_AVAILABLE", round(gl, 10), round(gb, 10)]
        if self.release == 2:
            row.append(round(3500 + 4500 * r(), 2) if g < 17 else None)
        elif self.release == 3:
            row.append(round(0.8 + 0.5 * r() ** 3, 6) if five_param else None)
        return tuple(row)


class TgasCatalog(Catalog):
    """The Tycho-Gaia Astrometric Solution: few, bright stars."""

    name = "TGAS"
    spec = (("solution_id", "string", fmt_int), ("source_id", "string", fmt_int),
            ("hip", "int"), ("tycho2_id", "string"), ("random_index", "int"),
            ("ref_epoch", "float"), ("ra", "float"), ("ra_error", "float"), ("dec", "float"),
            ("dec_error", "float"), ("parallax", "float"), ("parallax_error", "float"),
            ("pmra", "float"), ("pmra_error", "float"), ("pmdec", "float"),
            ("pmdec_error", "float"), ("phot_g_mean_flux", "float"),
            ("phot_g_mean_mag", "float"), ("phot_variable_flag", "string"),
            ("l", "float"), ("b", "float"), ("ecl_lon", "float"), ("ecl_lat", "float"))
    tiers = (Tier("local", 1.0, 60.0, 2000),)
    distance_scale = 60.0

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        g = _mag(rng, 4.0, 12.5, 1.5)
        gl, gb = galactic(ra, dec)
        el, eb = ecliptic(ra, dec)
        return (1635378410781933568, (_healpix_like(tier.grid, cell) << 35) + k + 1,
                (5000 + cell * 3 + k) if r() < 0.1 else None,
                "%d-%d-1" % (1 + cell % 9537, 1 + k), int(r() * 2_000_000), 2015.0,
                ra, 0.1 + 0.3 * r(), dec, 0.1 + 0.3 * r(), abs(rng.gauss(3, 3)),
                0.2 + 0.3 * r(), rng.gauss(0, 20), 0.05 + r(), rng.gauss(-5, 20), 0.05 + r(),
                10 ** (-0.4 * (g - 25.52)), g, "NOT_AVAILABLE", gl, gb, el, eb)


# ---------------------------------------------------------------- GALEX


class GalexCatalog(Catalog):
    """GALEX GR6+7 catalogue rows (MCAT-like)."""

    name = "GALEX"
    spec = (("objID", "string", fmt_int), ("survey", "string"), ("ra", "float"),
            ("dec", "float"), ("band", "int"), ("fov_radius", "float"),
            ("IAUName", "string"), ("nuv_exptime", "float"), ("fuv_exptime", "float"),
            ("fuv_mag", "float"), ("fuv_magerr", "float"), ("nuv_mag", "float"),
            ("nuv_magerr", "float"), ("fuv_flux", "float"), ("fuv_fluxerr", "float"),
            ("nuv_flux", "float"), ("nuv_fluxerr", "float"), ("e_bv", "float"),
            ("ra_cent", "float"), ("dec_cent", "float"), ("xCenter", "float"),
            ("yCenter", "float"), ("SSAPFitsFile", "string"), ("nuv_flux_auto", "float"),
            ("nuv_flux_aper_7", "float"), ("nuv_artifact", "int"), ("fuv_artifact", "int"))
    tiers = (Tier("local", 0.1, 4000.0, 4000),)
    boosts = {"M101": 10.0, "M8": 2.0}
    distance_name = "distance_arcmin"
    distance_scale = 60.0
    distance_at = 0

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        nuv = _mag(rng, 14.0, 24.5, 2.0)
        has_fuv = r() < 0.35
        fuv = nuv + 0.2 + 1.5 * r() if has_fuv else None
        survey = pick(rng, (("AIS", 6), ("MIS", 2), ("DIS", 1), ("GII", 1)))
        exptime = {"AIS": 100.0, "MIS": 1500.0, "DIS": 30000.0, "GII": 1600.0}[survey]
        obj_id = 6_370_000_000_000_000_000 + cell * 65536 + k
        return (obj_id, survey, ra, dec, 3 if has_fuv else 1, 0.2 + 0.4 * r(),
                "GALEX J" + _sexagesimal(ra, dec, 1, 0), exptime + 50 * r(),
                exptime if has_fuv else None, fuv, 0.05 + 0.3 * r() if has_fuv else None,
                nuv, 0.02 + 0.3 * r(),
                10 ** (-0.4 * (fuv - 18.82)) * 1e6 if has_fuv else None,
                2.0 + 5 * r() if has_fuv else None, 10 ** (-0.4 * (nuv - 20.08)) * 1e6,
                1.0 + 5 * r(), 0.005 + 0.1 * r(), ra + rng.uniform(-0.5, 0.5),
                dec + rng.uniform(-0.5, 0.5), 400 + 3000 * r(), 400 + 3000 * r(),
                maybe(rng, 0.1, "http://galex.stsci.edu/data/GR6/pipe/01-vsn/%05d/spec.fits"
                      % (cell % 99999)),
                10 ** (-0.4 * (nuv - 20.08)) * 1e6 * (0.9 + 0.2 * r()),
                10 ** (-0.4 * (nuv - 20.08)) * 1e6 * (0.8 + 0.2 * r()),
                pick(rng, ((0, 8), (4, 1), (256, 1))), 0 if has_fuv else None)


# ---------------------------------------------------------------- HSC


HSC_BANDS = ("W2_F255W", "W3_F275W", "W2_F336W", "W3_F336W", "W3_F438W", "W2_F439W",
             "W2_F555W", "A_F606W", "A_F814W")


class HscCatalog(Catalog):
    """Hubble Source Catalog summary rows (columns of hsc.json).

    ``MatchID`` is ``cell * 1000 + k``, so Mast.HscMatches.Db can rebuild a
    source from its id alone.
    """

    spec = (("MatchID", "int"), ("MatchRA", "float"), ("MatchDec", "float"),
            ("DSigma", "float"), ("AbsCorr", "string"), ("NumFilters", "int"),
            ("NumVisits", "int"), ("NumImages", "int"), ("StartMJD", "float"),
            ("StopMJD", "float"), ("TargetName", "string"), ("CI", "float"),
            ("CI_Sigma", "float"), ("KronRadius", "float"), ("KronRadius_Sigma", "float"),
            ("Extinction", "float"), ("SpectrumFlag", "string")) + tuple(
        item for band in HSC_BANDS
        for item in ((band, "float"), (band + "_Sigma", "float"), (band + "_N", "int"))) + (
        ("_selected_", "boolean"),)
    boosts = {"M101": 2000.0, "M10": 200.0, "M15": 300.0, "M1": 50.0}
    distance_name = "Distance"
    distance_scale = 60.0
    distance_at = 1  # after MatchID, as in hsc.json

    def __init__(self, version):
        self.version = version
        self.name = "HSCv%d" % version
        self.tiers = (Tier("local", 0.02, 1000.0, 999),)
        super().__init__()

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        start = 49500 + 9000 * r()
        nfilt = 1 + int(3 * r() ** 2)
        bands = sorted(rng.sample(range(len(HSC_BANDS)), nfilt))
        visits = 1 + int(3 * r() ** 3)
        row = [cell * 1000 + k, ra, dec, 30 * r() ** 2, "Y" if r() < 0.9 else "N", nfilt,
               visits, 0, start, start + visits * 0.03 + r() * 400 * (visits - 1),
               "HSC-FIELD-%04d" % (cell % 9973), 0.9 + 0.8 * r(), 0.2 * r() ** 2,
               0.15 + 0.3 * r(), 0.05 * r(), 0.02 + 0.3 * r(), "N" if r() < 0.995 else "Y"]
        images = 0
        for i in range(len(HSC_BANDS)):
            if i in bands:
                n = visits * (1 + int(2 * r()))
                images += n
                row += [_mag(rng, 16, 27, 2.0), 0.02 + 0.1 * r() if n > 1 else 0, n]
            else:
                row += [None, None, 0]
        row[7] = images
        row.append(None)
        return tuple(row)

    def source(self, match_id):
        """(ra, dec, row) of the source with this MatchID, or None."""
        cell, k = divmod(int(match_id), 1000)
        if not 0 <= cell < self.tiers[0].grid.ncells:
            return None
        for ra, dec, row in self.cell_sources(self.tiers[0], cell):
            if row[0] == match_id:
                return ra, dec, row
        return None


# ---------------------------------------------------------------- Disk Detective


class DiskDetectiveCatalog(Catalog):
    """Disk Detective subjects (columns of dd.json plus hidden vote columns)."""

    name = "DiskDetective"
    spec = (("designation", "string"), ("ZooniverseID", "string"), ("ra", "float"),
            ("dec", "float"), ("glon", "float"), ("glat", "float")) + tuple(
        (name, "float") for name in (
            "w1mpro", "w1sigmpro", "w2mpro", "w2sigmpro", "w3mpro", "w3sigmpro", "w4mpro",
            "w4sigmpro", "j_m_2mass", "j_msig_2mass", "h_m_2mass", "h_msig_2mass",
            "k_m_2mass", "k_msig_2mass", "j_h", "h_k", "A_Vmag", "A_B_V", "A_Bmag", "A_gMag",
            "A_rMag", "A_iMag", "A_Verr", "A_B_Verr", "A_Berr", "A_gErr", "A_rErr",
            "A_iErr")) + (
        ("A_objid", "string", fmt_int), ("A_dstArcSec", "float"), ("A_contamination", "int"),
        ("G_source_id", "string", fmt_int), ("G_phot_g_mean_mag", "float"),
        ("G_parallax", "float"), ("G_parallax_error", "float"), ("G_pmra", "float"),
        ("G_pmra_error", "float"), ("G_pmdec", "float"), ("G_pmdec_error", "float"),
        ("G_objid", "string", fmt_int), ("G_dstArcSec", "float"), ("G_contamination", "int"),
        ("P_gMeanPSFMag", "float"), ("P_gMeanPSFMagErr", "float"), ("P_iMeanPSFMag", "float"),
        ("P_iMeanPSFMagErr", "float"), ("P_rMeanPSFMag", "float"),
        ("P_rMeanPSFMagErr", "float"), ("P_yMeanPSFMag", "float"),
        ("P_yMeanPSFMagErr", "float"), ("P_zMeanPSFMag", "float"),
        ("P_zMeanPSFMagErr", "float"), ("P_nDetections", "int"), ("P_dstArcSec", "float"),
        ("P_contamination", "int"), ("previewURL", "string"), ("sedURL", "string"),
        ("ZooniverseURL", "string"),
        # hidden: classification votes, filterable but never shown
        ("classifiers", "int"), ("oval", "int"), ("good", "int"), ("multi", "int"),
        ("empty", "int"), ("extended", "int"), ("shift", "int"), ("state", "string"))
    hidden = ("classifiers", "oval", "good", "multi", "empty", "extended", "shift", "state")
    tiers = (Tier("allsky", 2.0, 0.75, 64, boosted=False), Tier("local", 0.25, 20.0, 2000))
    boosts = {"M78": 40.0, "M8": 20.0, "M10": 5.0}
    distance_name = "dstArcSec"

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        gl, gb = galactic(ra, dec)
        w1 = _mag(rng, 5.0, 15.0, 1.5)
        zoo = "AWI%07s" % base36((cell * 64 + k) if tier.name == "allsky"
                                 else 1_000_000 + cell * 2048 + k, 7).lower()
        zoo = zoo.replace(" ", "0")
        gaia = ((_healpix_like(tier.grid, cell) << 35) + 16 * k + 3) if r() < 0.9 else None
        classifiers = 8 + int(12 * r())
        votes = [int(classifiers * x) for x in (r() * 0.6, r() * 0.3, r() * 0.3, r() * 0.3,
                                                r() * 0.3, r() * 0.3)]
        row = (("J" + _sexagesimal(ra, dec, 2, 1)), zoo, round(ra, 7), round(dec, 7),
               round(gl, 7), round(gb, 7),
               round(w1, 3), 0.022, round(w1 - 0.1, 3), 0.02, round(w1 - 1.5 * r(), 3),
               round(0.02 + 0.2 * r(), 3), round(w1 - 3 * r(), 3), round(0.05 + 0.3 * r(), 3),
               round(w1 + 1.2, 3), 0.023, round(w1 + 0.6, 3), 0.04, round(w1 + 0.3, 3), 0.024,
               0.6, 0.3, round(w1 + 6, 3), 1.2, round(w1 + 7, 3), round(w1 + 6.5, 3),
               round(w1 + 5.5, 3), round(w1 + 4.5, 3), 0.14, 0.2, 0.15, 0.12, 0.1, 0.17,
               5_000_000 + cell * 13 + k, 1.1 * r(), int(3 * r()),
               gaia, w1 + 4 + r() if gaia else None, maybe(rng, 0.5, 2 * r()),
               maybe(rng, 0.5, 0.3 * r()), None, None, None, None, gaia,
               8 * r() if gaia else None, int(5 * r()),
               round(w1 + 6, 4), 0.01, round(w1 + 4, 4), -999, round(w1 + 5, 4), -999,
               round(w1 + 2.5, 4), -999, round(w1 + 3, 4), -999, 10 + int(60 * r()),
               0.5 * r(), int(30 * r()),
               "http://mastweb.stsci.edu/ddportal/thumbnails/%s.png" % zoo,
               "http://mastweb.stsci.edu/ddportal/sed/%s_sed.png" % zoo,
               "https://talk.diskdetective.org/#/subjects/%s" % zoo,
               classifiers, votes[0] * 100 // classifiers, votes[1], votes[2], votes[3],
               votes[4], votes[5], "complete" if r() < 0.8 else "active")
        return row


# ---------------------------------------------------------------- SDSS, 2MASS


class SdssCatalog(Catalog):
    """SDSS PhotoObj-like rows (crossmatch only)."""

    name = "SDSS"
    spec = (("objid", "string", fmt_int), ("ra", "float"), ("dec", "float"), ("type", "int"),
            ("run", "int"), ("rerun", "int"), ("camcol", "int"), ("field", "int"),
            ("obj", "int"), ("mode", "int"), ("u", "float"), ("g", "float"), ("r", "float"),
            ("i", "float"), ("z", "float"), ("err_u", "float"), ("err_g", "float"),
            ("err_r", "float"), ("err_i", "float"), ("err_z", "float"), ("clean", "int"))
    tiers = (Tier("local", 0.05, 20000.0, 4000),)
    distance_name = "distance"
    distance_scale = 60.0

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        rmag = _mag(rng, 14, 23.5, 2.0)
        run, camcol, field = 94 + cell % 8000, 1 + cell % 6, 11 + cell % 800
        objid = (2 << 59) | (301 << 48) | (run << 32) | (camcol << 29) | (field << 16) | (k + 1)
        return (objid, ra, dec, pick(rng, ((3, 5), (6, 5))), run, 301, camcol, field, k + 1,
                1, rmag + 1.5 + r(), rmag + 0.5 + 0.5 * r(), rmag, rmag - 0.3 * r(),
                rmag - 0.5 * r(), 0.05 + 0.5 * r(), 0.01 + 0.1 * r(), 0.01 + 0.1 * r(),
                0.01 + 0.1 * r(), 0.02 + 0.2 * r(), 1 if r() < 0.8 else 0)


class TwoMassCatalog(Catalog):
    """2MASS Point Source Catalog rows (crossmatch only)."""

    name = "2MASS"
    spec = (("designation", "string"), ("ra", "float", F6), ("dec", "float", F6),
            ("err_maj", "float"), ("err_min", "float"), ("j_m", "float", F3),
            ("j_cmsig", "float", F3), ("h_m", "float", F3), ("h_cmsig", "float", F3),
            ("k_m", "float", F3), ("k_cmsig", "float", F3), ("ph_qual", "string"),
            ("rd_flg", "string"), ("bl_flg", "string"), ("cc_flg", "string"),
            ("gal_contam", "int"), ("mp_flg", "int"), ("jdate", "float", F4))
    tiers = (Tier("local", 0.1, 12000.0, 4000),)
    boosts = {"M101": 0.5}
    distance_name = "distance"
    distance_scale = 60.0

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        j = _mag(rng, 6, 17, 1.8)
        return (_sexagesimal(ra, dec, 2, 1).replace(".", ""), ra, dec, 0.06 + 0.1 * r(),
                0.06 + 0.05 * r(), j, 0.02 + 0.1 * r(),
                j - 0.5 * r(), 0.02 + 0.1 * r(), j - 0.7 * r(), 0.02 + 0.1 * r(),
                pick(rng, (("AAA", 6), ("AAB", 1), ("BCU", 1))), "222", "111", "000", 0, 0,
                2451000 + 1000 * r())


CATALOGS = {
    "tic": TicCatalog(), "ctl": CtlCatalog(),
    "gaiadr1": GaiaCatalog(1), "gaiadr2": GaiaCatalog(2), "gaiadr3": GaiaCatalog(3),
    "tgas": TgasCatalog(), "galex": GalexCatalog(), "hscv2": HscCatalog(2),
    "hscv3": HscCatalog(3), "dd": DiskDetectiveCatalog(), "sdss": SdssCatalog(),
    "2mass": TwoMassCatalog(),
}
