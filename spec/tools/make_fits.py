#!/usr/bin/python3
"""make_fits.py OUT -- a FITS file made by astropy (independent of mast) for spec/unit/fits_spec.lua.

HDUs: 1 primary (typed keywords, commentary cards), 2 TYPES (a binary table with every
column type: B I J K, unsigned through TZERO, TSCAL, TNULL, E D with NaN, L with an
undefined value, X, A, a 3x2 vector with TDIM, a variable-length PJ), 3 IMG (int16 with
BLANK, 4 wide, 3 high), 4 FIMG (float32 with a NaN), 5 ASC (an ASCII table), 6 CUBE
(4 x 3 x 2 doubles)."""
import sys

import numpy as np
from astropy.io import fits

out = sys.argv[1]
cols = [
    fits.Column(name='b', format='B', array=np.array([0, 1, 200, 255], dtype=np.uint8)),
    fits.Column(name='i', format='I', array=np.array([-32768, -1, 7, 32767], dtype=np.int16)),
    fits.Column(name='j', format='J', null=5,
                array=np.array([-2147483648, 0, 5, 2147483647], dtype=np.int32)),
    fits.Column(name='k', format='K', null=0, unit='ct',
                array=np.array([-9223372036854775807, 9007199254740993, 0, 9223372036854775807],
                               dtype=np.int64)),
    fits.Column(name='u16', format='I', bzero=32768,
                array=np.array([0, 1, 40000, 65535], dtype=np.uint16)),
    fits.Column(name='u32', format='J', bzero=2147483648,
                array=np.array([0, 1, 3000000000, 4294967295], dtype=np.uint32)),
    fits.Column(name='e', format='E', unit='mag',
                array=np.array([1.5, np.nan, -2.25, 3e38], dtype=np.float32)),
    fits.Column(name='d', format='D', array=np.array([0.1, np.nan, 1e-300, -0.5])),
    fits.Column(name='scaled', format='I', array=np.array([0, 1, 2, -20], dtype=np.int16)),
    fits.Column(name='l', format='L', array=np.array([True, False, True, True])),
    fits.Column(name='x', format='3X',
                array=np.array([[1, 0, 1], [0, 0, 0], [1, 1, 1], [0, 1, 0]], dtype=np.uint8)),
    fits.Column(name='a', format='8A', array=np.array(['alpha', '', "it's ok", 'abcdefgh'])),
    fits.Column(name='v', format='6D', dim='(3,2)',
                array=np.arange(24, dtype=np.float64).reshape(4, 2, 3)),
    fits.Column(name='p', format='PJ()', array=np.array(
        [np.array(x, dtype=np.int32) for x in ([1, 2, 3], [], [4], [5, 6])], dtype=object)),
]
table = fits.BinTableHDU.from_columns(cols, name='TYPES')
hdr = fits.Header()
hdr['TELESCOP'] = 'TEST'
hdr['EXPTIME'] = (12.5, 'seconds')
hdr['NCOMBINE'] = 3
hdr['SIMPLEOK'] = True
hdr['LONGID'] = 9007199254740993
hdr['QUOTE'] = "it's"
hdr['COMMENT'] = 'a comment card'
hdr['HISTORY'] = 'made by the spec'
img = fits.ImageHDU(np.arange(12, dtype=np.int16).reshape(3, 4), name='IMG')
img.header['BLANK'] = 5
img.header['BUNIT'] = 'adu'
fimg = fits.ImageHDU(np.array([[1.0, np.nan], [3.0, 4.0]], dtype=np.float32), name='FIMG')
asc = fits.TableHDU.from_columns([
    fits.Column(name='id', format='I6', array=np.array([1, 2, 3])),
    fits.Column(name='val', format='F8.3', array=np.array([1.5, 2.25, -3.0])),
    fits.Column(name='name', format='A5', array=np.array(['x', 'yy', 'zzz']))], name='ASC')
cube = fits.ImageHDU(np.arange(24, dtype=np.float64).reshape(2, 3, 4), name='CUBE')
hdus = fits.HDUList([fits.PrimaryHDU(header=hdr), table, img, fimg, asc, cube])
hdus.writeto(out, overwrite=True)

# 'scaled' stored as 0 1 2 -20 with TSCAL 0.5, TZERO 10 (astropy cannot write scaled floats
# into an I column itself): the keywords added afterwards, the stored integers unchanged
with fits.open(out, mode='update', do_not_scale_image_data=True) as h:
    n = h[1].columns.names.index('scaled') + 1
    h[1].header.insert('TFORM%d' % n, ('TSCAL%d' % n, 0.5), after=True)
    h[1].header.insert('TSCAL%d' % n, ('TZERO%d' % n, 10.0), after=True)

# row 4's logical: the byte 0 (undefined), which astropy does not write itself
with fits.open(out) as h:
    start = h[1]._data_offset
    width = h[1].header['NAXIS1']
    offset = h[1].columns.dtype.fields['l'][1]
with open(out, 'r+b') as f:
    f.seek(start + 3 * width + offset)
    f.write(b'\0')
