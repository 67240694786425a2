/*
** plot.c -- a small cairo binding for mast.plot (lua/mast/plot.lua).
**
**   local c = core.plot_canvas("png" | "svg", width, height)
**   c:rgb(r, g, b [, a])  c:width(w)  c:dash([on, off])
**   c:path(xy [, closed]) c:segments(xy)  c:rect(x, y, w, h)  c:circle(x, y, r)
**   c:stroke()  c:fill([keep])  c:markers(xy, size, shape)
**   c:text(x, y, s, size [, ax, ay, angle, bold]) -> w, h   c:measure(s, size [, bold]) -> w, h
**   c:image(values, w, h, x, y, dw, dh, lo, hi, lut, nan_rgb [, scale])
**   c:clip(x, y, w, h)  c:unclip()
**   c:finish() -> the PNG or SVG bytes (the canvas is then spent)
**   core.plot_stretch(t, scale) -> the scaled value of t in [0, 1]
**   core.png_read(bytes) -> width, height, RGBA bytes (row 0 at the top)
**
** Coordinates are device pixels, y downwards. xy arguments are flat arrays
** {x1, y1, x2, y2, ...}. Everything is drawn into memory; the Lua side writes
** the bytes through the output capability, never here. Cairo calls no Lua, so
** a Lua error raised by an argument check leaves cairo in a consistent state
** and __gc releases it.
**
** SVG: cairo draws text as glyph outlines (the same pixels as the PNG); each
** label is also kept as an invisible <text> element (fill-opacity 0) so that
** an SVG's labels can be searched, selected and read by a program.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-svg.h>

#include "bind.h"

#define CANVAS_MT "mast.PlotCanvas"
#define FONT "DejaVu Sans"
#define MAX_SIDE 20000
#define PI 3.14159265358979323846

typedef struct {
  char *p;
  size_t n, cap;
  int failed;
} membuf;

typedef struct {
  cairo_surface_t *surface;
  cairo_t *cr;
  int svg, width, height, clipped;
  membuf out;    /* the SVG stream while drawing; the finished bytes */
  membuf texts;  /* SVG: the <text> elements */
} canvas;

static void buf_add(membuf *b, const void *s, size_t n) {
  if (b->failed) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    char *p;
    while (cap < b->n + n + 1) cap *= 2;
    if ((p = realloc(b->p, cap)) == NULL) {
      b->failed = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void buf_free(membuf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len) {
  membuf *b = closure;
  buf_add(b, data, len);
  return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static void canvas_release(canvas *c) {
  if (c->cr) cairo_destroy(c->cr);
  if (c->surface) cairo_surface_destroy(c->surface);
  c->cr = NULL;
  c->surface = NULL;
  buf_free(&c->out);
  buf_free(&c->texts);
}

static canvas *check_canvas(lua_State *L) {
  canvas *c = luaL_checkudata(L, 1, CANVAS_MT);
  if (c->cr == NULL) luaL_argerror(L, 1, "this canvas is already finished");
  return c;
}

/* core.plot_canvas(format, width, height) */
static int l_canvas(lua_State *L) {
  static const char *const formats[] = {"png", "svg", NULL};
  int svg = luaL_checkoption(L, 1, NULL, formats) == 1;
  lua_Integer w = luaL_checkinteger(L, 2), h = luaL_checkinteger(L, 3);
  canvas *c;
  luaL_argcheck(L, w >= 16 && w <= MAX_SIDE, 2, "width must be 16 to 20000 pixels");
  luaL_argcheck(L, h >= 16 && h <= MAX_SIDE, 3, "height must be 16 to 20000 pixels");
  c = lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, CANVAS_MT);
  c->svg = svg;
  c->width = (int)w;
  c->height = (int)h;
  if (svg) {
    c->surface = cairo_svg_surface_create_for_stream(to_buf, &c->out, (double)w, (double)h);
  } else {
    c->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)w, (int)h);
  }
  if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS) {
    canvas_release(c);
    return mast_raise(L, MAST_ENOMEM, "cannot make a %dx%d canvas", (int)w, (int)h);
  }
  c->cr = cairo_create(c->surface);
  cairo_select_font_face(c->cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_BUTT);
  /* an opaque white page */
  cairo_set_source_rgb(c->cr, 1, 1, 1);
  cairo_paint(c->cr);
  cairo_set_source_rgb(c->cr, 0, 0, 0);
  return 1;
}

static int c_rgb(lua_State *L) {
  canvas *c = check_canvas(L);
  cairo_set_source_rgba(c->cr, luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4),
                        luaL_optnumber(L, 5, 1.0));
  return 0;
}

static int c_width(lua_State *L) {
  canvas *c = check_canvas(L);
  cairo_set_line_width(c->cr, luaL_checknumber(L, 2));
  return 0;
}

static int c_dash(lua_State *L) {
  canvas *c = check_canvas(L);
  if (lua_isnoneornil(L, 2)) {
    cairo_set_dash(c->cr, NULL, 0, 0);
  } else {
    double d[2];
    d[0] = luaL_checknumber(L, 2);
    d[1] = luaL_optnumber(L, 3, d[0]);
    cairo_set_dash(c->cr, d, 2, 0);
  }
  return 0;
}

/* The number at xy[i], or NaN if it is not a number. */
static double num_at(lua_State *L, int t, lua_Integer i) {
  double v = NAN;
  int isnum;
  lua_rawgeti(L, t, i);
  v = lua_tonumberx(L, -1, &isnum);
  lua_pop(L, 1);
  return isnum ? v : NAN;
}

/* c:path(xy [, closed]): a new path through the points; a non-finite point breaks it. */
static int c_path(lua_State *L) {
  canvas *c = check_canvas(L);
  lua_Integer i, n;
  int pen = 0;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (lua_Integer)lua_rawlen(L, 2) / 2;
  cairo_new_path(c->cr);
  for (i = 0; i < n; i++) {
    double x = num_at(L, 2, 2 * i + 1), y = num_at(L, 2, 2 * i + 2);
    if (!isfinite(x) || !isfinite(y)) {
      pen = 0;
      continue;
    }
    if (pen) cairo_line_to(c->cr, x, y);
    else cairo_move_to(c->cr, x, y);
    pen = 1;
  }
  if (lua_toboolean(L, 3) && n > 0) cairo_close_path(c->cr);
  return 0;
}

/* c:segments(xy): strokes the segments (x1,y1)-(x2,y2), four numbers each. */
static int c_segments(lua_State *L) {
  canvas *c = check_canvas(L);
  lua_Integer i, n;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (lua_Integer)lua_rawlen(L, 2) / 4;
  cairo_new_path(c->cr);
  for (i = 0; i < n; i++) {
    double x1 = num_at(L, 2, 4 * i + 1), y1 = num_at(L, 2, 4 * i + 2);
    double x2 = num_at(L, 2, 4 * i + 3), y2 = num_at(L, 2, 4 * i + 4);
    if (!isfinite(x1) || !isfinite(y1) || !isfinite(x2) || !isfinite(y2)) continue;
    cairo_move_to(c->cr, x1, y1);
    cairo_line_to(c->cr, x2, y2);
  }
  cairo_stroke(c->cr);
  return 0;
}

static int c_rect(lua_State *L) {
  canvas *c = check_canvas(L);
  cairo_new_path(c->cr);
  cairo_rectangle(c->cr, luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4),
                  luaL_checknumber(L, 5));
  return 0;
}

static int c_circle(lua_State *L) {
  canvas *c = check_canvas(L);
  cairo_new_path(c->cr);
  cairo_arc(c->cr, luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4), 0, 2 * PI);
  return 0;
}

static int c_stroke(lua_State *L) {
  canvas *c = check_canvas(L);
  cairo_stroke(c->cr);
  return 0;
}

static int c_fill(lua_State *L) {
  canvas *c = check_canvas(L);
  if (lua_toboolean(L, 2)) cairo_fill_preserve(c->cr);
  else cairo_fill(c->cr);
  return 0;
}

/* c:markers(xy, size, shape): one mark per finite point, in the current colour. */
static int c_markers(lua_State *L) {
  static const char *const shapes[] = {"circle", "square", "plus", "cross", "diamond", NULL};
  canvas *c = check_canvas(L);
  double s, r;
  int shape;
  lua_Integer i, n;
  luaL_checktype(L, 2, LUA_TTABLE);
  s = luaL_checknumber(L, 3);
  shape = luaL_checkoption(L, 4, "circle", shapes);
  r = s / 2;
  n = (lua_Integer)lua_rawlen(L, 2) / 2;
  cairo_new_path(c->cr);
  for (i = 0; i < n; i++) {
    double x = num_at(L, 2, 2 * i + 1), y = num_at(L, 2, 2 * i + 2);
    if (!isfinite(x) || !isfinite(y)) continue;
    switch (shape) {
    case 0:
      cairo_new_sub_path(c->cr);
      cairo_arc(c->cr, x, y, r, 0, 2 * PI);
      break;
    case 1: cairo_rectangle(c->cr, x - r, y - r, s, s); break;
    case 2:
      cairo_move_to(c->cr, x - r, y); cairo_line_to(c->cr, x + r, y);
      cairo_move_to(c->cr, x, y - r); cairo_line_to(c->cr, x, y + r);
      break;
    case 3:
      cairo_move_to(c->cr, x - r, y - r); cairo_line_to(c->cr, x + r, y + r);
      cairo_move_to(c->cr, x - r, y + r); cairo_line_to(c->cr, x + r, y - r);
      break;
    default:
      cairo_move_to(c->cr, x, y - r); cairo_line_to(c->cr, x + r, y);
      cairo_line_to(c->cr, x, y + r); cairo_line_to(c->cr, x - r, y);
      cairo_close_path(c->cr);
      break;
    }
  }
  if (shape == 2 || shape == 3) cairo_stroke(c->cr);
  else cairo_fill(c->cr);
  return 0;
}

static void set_font(canvas *c, double size, int bold) {
  cairo_select_font_face(c->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(c->cr, size);
}

static int c_measure(lua_State *L) {
  canvas *c = check_canvas(L);
  const char *s = luaL_checkstring(L, 2);
  cairo_text_extents_t e;
  set_font(c, luaL_checknumber(L, 3), lua_toboolean(L, 4));
  cairo_text_extents(c->cr, s, &e);
  lua_pushnumber(L, e.x_advance);
  lua_pushnumber(L, luaL_checknumber(L, 3));
  return 2;
}

static void xml_escaped(membuf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '<': buf_add(b, "&lt;", 4); break;
    case '>': buf_add(b, "&gt;", 4); break;
    case '&': buf_add(b, "&amp;", 5); break;
    case '"': buf_add(b, "&quot;", 6); break;
    default:
      /* XML 1.0 has no place for other control characters */
      if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n') buf_add(b, s, 1);
    }
  }
}

/* c:text(x, y, s, size [, ax, ay, angle, bold]) -> w, h: s anchored at (x, y),
** ax/ay the anchor's place in the text's box (0 left/top, 0.5 centre, 1
** right/bottom), angle in degrees (counter-clockwise). */
static int c_text(lua_State *L) {
  canvas *c = check_canvas(L);
  double x = luaL_checknumber(L, 2), y = luaL_checknumber(L, 3);
  const char *s = luaL_checkstring(L, 4);
  double size = luaL_checknumber(L, 5);
  double ax = luaL_optnumber(L, 6, 0), ay = luaL_optnumber(L, 7, 0);
  double angle = luaL_optnumber(L, 8, 0);
  int bold = lua_toboolean(L, 9);
  cairo_text_extents_t e;
  cairo_font_extents_t fe;
  double dx, dy;
  set_font(c, size, bold);
  cairo_text_extents(c->cr, s, &e);
  cairo_font_extents(c->cr, &fe);
  /* the box: advance wide, ascent + descent high, baseline at ascent */
  dx = -ax * e.x_advance;
  dy = -ay * (fe.ascent + fe.descent) + fe.ascent;
  cairo_save(c->cr);
  cairo_translate(c->cr, x, y);
  cairo_rotate(c->cr, -angle * PI / 180);
  cairo_move_to(c->cr, dx, dy);
  cairo_show_text(c->cr, s);
  cairo_restore(c->cr);
  if (c->svg) {
    char num[160];
    double r = -angle * PI / 180;
    double bx = x + dx * cos(r) - dy * sin(r), by = y + dx * sin(r) + dy * cos(r);
    snprintf(num, sizeof num, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\"", bx, by, size);
    buf_add(&c->texts, num, strlen(num));
    if (bold) buf_add(&c->texts, " font-weight=\"bold\"", 19);
    if (angle != 0) {
      snprintf(num, sizeof num, " transform=\"rotate(%.2f %.2f %.2f)\"", -angle, bx, by);
      buf_add(&c->texts, num, strlen(num));
    }
    buf_add(&c->texts, ">", 1);
    xml_escaped(&c->texts, s);
    buf_add(&c->texts, "</text>\n", 8);
  }
  lua_pushnumber(L, e.x_advance);
  lua_pushnumber(L, fe.ascent + fe.descent);
  return 2;
}

/* t in [0, 1] through a display scale; one definition for the image and its colour bar. */
static double stretch(double t, int scale) {
  if (!(t >= 0)) t = 0;   /* NaN too: an index into the colour map whatever comes */
  if (t > 1) t = 1;
  switch (scale) {
  case 1: return sqrt(t);
  case 2: return log10(1 + 1000 * t) / log10(1001.0);
  case 3: return asinh(10 * t) / asinh(10.0);
  default: return t;
  }
}

static const char *const scales[] = {"linear", "sqrt", "log", "asinh", NULL};

static int l_stretch(lua_State *L) {
  lua_pushnumber(L, stretch(luaL_checknumber(L, 1), luaL_checkoption(L, 2, "linear", scales)));
  return 1;
}

/* c:image(values, w, h, x, y, dw, dh, lo, hi, lut, nan_rgb [, scale]):
** values holds w*h numbers, row-major from the bottom row (FITS order), x
** fastest; they are mapped lo..hi through the scale onto lut (256 RGB
** triplets, 768 bytes), a non-number or NaN to nan_rgb (3 bytes), and the
** image is drawn into the box (x, y, dw, dh) with square pixels unsmoothed. */
static int c_image(lua_State *L) {
  canvas *c = check_canvas(L);
  lua_Integer w = luaL_checkinteger(L, 3), h = luaL_checkinteger(L, 4);
  double x = luaL_checknumber(L, 5), y = luaL_checknumber(L, 6);
  double dw = luaL_checknumber(L, 7), dh = luaL_checknumber(L, 8);
  double lo = luaL_checknumber(L, 9), hi = luaL_checknumber(L, 10);
  size_t lutlen, nanlen;
  const unsigned char *lut = (const unsigned char *)luaL_checklstring(L, 11, &lutlen);
  const unsigned char *nanc = (const unsigned char *)luaL_checklstring(L, 12, &nanlen);
  int scale = luaL_checkoption(L, 13, "linear", scales);
  cairo_surface_t *img;
  cairo_pattern_t *pat;
  unsigned char *px;
  int stride;
  lua_Integer row, col;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_argcheck(L, w >= 1 && h >= 1 && w <= 1 << 15 && h <= 1 << 15, 3, "image size out of range");
  luaL_argcheck(L, (lua_Integer)lua_rawlen(L, 2) >= w * h, 2, "fewer values than width * height");
  luaL_argcheck(L, lutlen == 768, 11, "a colour map of 256 RGB triplets");
  luaL_argcheck(L, nanlen == 3, 12, "one RGB triplet");
  img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    return mast_raise(L, MAST_ENOMEM, "cannot make a %dx%d image", (int)w, (int)h);
  }
  cairo_surface_flush(img);
  px = cairo_image_surface_get_data(img);
  stride = cairo_image_surface_get_stride(img);
  for (row = 0; row < h; row++) {
    /* surface row 0 is the top: the last FITS row */
    uint32_t *out = (uint32_t *)(void *)(px + (size_t)(h - 1 - row) * (size_t)stride);
    for (col = 0; col < w; col++) {
      double v = num_at(L, 2, row * w + col + 1);
      const unsigned char *rgb;
      if (isnan(v)) {
        rgb = nanc;
      } else {
        double t = hi > lo ? (v - lo) / (hi - lo) : (v >= hi ? 1.0 : 0.0);
        int k = (int)floor(stretch(t, scale) * 255 + 0.5);
        rgb = lut + 3 * k;
      }
      out[col] = (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
    }
  }
  cairo_surface_mark_dirty(img);
  cairo_save(c->cr);
  cairo_rectangle(c->cr, x, y, dw, dh);
  cairo_clip(c->cr);
  cairo_translate(c->cr, x, y);
  cairo_scale(c->cr, dw / (double)w, dh / (double)h);
  cairo_set_source_surface(c->cr, img, 0, 0);
  pat = cairo_get_source(c->cr);
  cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend(pat, CAIRO_EXTEND_PAD);
  cairo_paint(c->cr);
  cairo_restore(c->cr);
  cairo_surface_destroy(img);
  return 0;
}

static int c_clip(lua_State *L) {
  canvas *c = check_canvas(L);
  if (c->clipped) cairo_restore(c->cr);
  cairo_save(c->cr);
  cairo_new_path(c->cr);
  cairo_rectangle(c->cr, luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4),
                  luaL_checknumber(L, 5));
  cairo_clip(c->cr);
  c->clipped = 1;
  return 0;
}

static int c_unclip(lua_State *L) {
  canvas *c = check_canvas(L);
  cairo_pattern_t *src;
  if (!c->clipped) return 0;
  /* the colour, width and dash outlive the clip */
  src = cairo_pattern_reference(cairo_get_source(c->cr));
  {
    double lw = cairo_get_line_width(c->cr);
    int nd = cairo_get_dash_count(c->cr);
    double d[2] = {0, 0}, off = 0;
    if (nd == 2) cairo_get_dash(c->cr, d, &off);
    cairo_restore(c->cr);
    cairo_set_source(c->cr, src);
    cairo_set_line_width(c->cr, lw);
    cairo_set_dash(c->cr, nd == 2 ? d : NULL, nd == 2 ? 2 : 0, off);
  }
  cairo_pattern_destroy(src);
  c->clipped = 0;
  return 0;
}

/* c:finish() -> the bytes of the picture */
static int c_finish(lua_State *L) {
  canvas *c = check_canvas(L);
  cairo_status_t st;
  if (c->clipped) cairo_restore(c->cr);
  c->clipped = 0;
  cairo_show_page(c->cr);
  st = cairo_status(c->cr);
  if (st == CAIRO_STATUS_SUCCESS) {
    if (c->svg) {
      cairo_surface_finish(c->surface);
    } else {
      cairo_surface_flush(c->surface);
      st = cairo_surface_write_to_png_stream(c->surface, to_buf, &c->out);
    }
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(c->surface);
  }
  if (st != CAIRO_STATUS_SUCCESS || c->out.failed || c->texts.failed) {
    const char *why = c->out.failed || c->texts.failed ? "out of memory" : cairo_status_to_string(st);
    canvas_release(c);
    return mast_raise(L, MAST_ENOMEM, "cannot draw the plot: %s", why);
  }
  if (c->svg && c->texts.n > 0) {
    /* the labels as text, before the root's end */
    const char *end = c->out.p ? strstr(c->out.p, "</svg>") : NULL;
    const char *last = end;
    while (last && (end = strstr(last + 1, "</svg>")) != NULL) last = end;
    if (last) {
      size_t at = (size_t)(last - c->out.p);
      static const char open[] = "<g class=\"mast-labels\" fill-opacity=\"0\" font-family=\"" FONT "\">\n";
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      luaL_addlstring(&b, c->out.p, at);
      luaL_addstring(&b, open);
      luaL_addlstring(&b, c->texts.p, c->texts.n);
      luaL_addstring(&b, "</g>\n");
      luaL_addlstring(&b, c->out.p + at, c->out.n - at);
      luaL_pushresult(&b);
      canvas_release(c);
      return 1;
    }
  }
  lua_pushlstring(L, c->out.p ? c->out.p : "", c->out.n);
  canvas_release(c);
  return 1;
}

static int c_gc(lua_State *L) {
  canvas *c = luaL_checkudata(L, 1, CANVAS_MT);
  canvas_release(c);
  return 0;
}

typedef struct {
  const unsigned char *p;
  size_t n, at;
} reader;

static cairo_status_t from_mem(void *closure, unsigned char *data, unsigned int len) {
  reader *r = closure;
  if (r->n - r->at < len) return CAIRO_STATUS_READ_ERROR;
  memcpy(data, r->p + r->at, len);
  r->at += len;
  return CAIRO_STATUS_SUCCESS;
}

/* core.png_read(bytes) -> width, height, RGBA bytes (4 a pixel, row 0 at the top) */
static int l_png_read(lua_State *L) {
  reader r;
  cairo_surface_t *s;
  int w, h, stride, x, y;
  const unsigned char *px;
  luaL_Buffer b;
  r.p = (const unsigned char *)luaL_checklstring(L, 1, &r.n);
  r.at = 0;
  s = cairo_image_surface_create_from_png_stream(from_mem, &r);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    const char *why = cairo_status_to_string(cairo_surface_status(s));
    cairo_surface_destroy(s);
    return mast_raise(L, MAST_EUSAGE, "not a PNG picture: %s", why);
  }
  cairo_surface_flush(s);
  w = cairo_image_surface_get_width(s);
  h = cairo_image_surface_get_height(s);
  stride = cairo_image_surface_get_stride(s);
  px = cairo_image_surface_get_data(s);
  lua_pushinteger(L, w);
  lua_pushinteger(L, h);
  luaL_buffinit(L, &b);
  for (y = 0; y < h; y++) {
    const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
    for (x = 0; x < w; x++) {
      uint32_t v = row[x];
      unsigned a = v >> 24, cr = v >> 16 & 255, cg = v >> 8 & 255, cb = v & 255;
      if (cairo_image_surface_get_format(s) != CAIRO_FORMAT_ARGB32) a = 255;
      luaL_addchar(&b, (char)cr);
      luaL_addchar(&b, (char)cg);
      luaL_addchar(&b, (char)cb);
      luaL_addchar(&b, (char)a);
    }
  }
  cairo_surface_destroy(s);
  luaL_pushresult(&b);
  return 3;
}

static const luaL_Reg canvas_methods[] = {
  {"rgb", c_rgb},           {"width", c_width},     {"dash", c_dash},
  {"path", c_path},         {"segments", c_segments}, {"rect", c_rect},
  {"circle", c_circle},     {"stroke", c_stroke},   {"fill", c_fill},
  {"markers", c_markers},   {"text", c_text},       {"measure", c_measure},
  {"image", c_image},       {"clip", c_clip},       {"unclip", c_unclip},
  {"finish", c_finish},     {NULL, NULL}
};

void mast_plot_register(lua_State *L) {
  if (luaL_newmetatable(L, CANVAS_MT)) {
    luaL_newlib(L, canvas_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, c_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_canvas);
  lua_setfield(L, -2, "plot_canvas");
  lua_pushcfunction(L, l_stretch);
  lua_setfield(L, -2, "plot_stretch");
  lua_pushcfunction(L, l_png_read);
  lua_setfield(L, -2, "png_read");
}

MAST_API int luaopen_mast_core_plot(lua_State *L) {
  luaL_checkversion(L);
  lua_newtable(L);
  mast_plot_register(L);
  lua_pushliteral(L, "mast.core_plot");
  lua_setfield(L, -2, "_NAME");
  return 1;
}
