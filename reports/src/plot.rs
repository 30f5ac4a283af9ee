//! Plots, written as SVG by hand (no font or rendering dependency): a payoff heatmap per
//! (mechanism, schedule), emission share by subnet class per (mechanism, schedule) as stacked
//! bars, and price and emission share over time for one match from `series/<match_id>.csv`.
//! PNG output renders these SVGs with resvg ([`png_siblings`]).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use crate::render::num;
use crate::tables::NetworkRow;
use crate::{slug, ReportError, ReportSet};

mod series_file;
pub use series_file::{read_series, MatchSeries, Reduction, INTERVALS, KEEP, MAX_LINE};

/// A minimal SVG document builder; coordinates are written with two decimals. It also keeps
/// the estimated box of every text it writes ([`TextBox`]), so tests can check that labels
/// neither overlap nor leave the canvas without rendering anything.
///
/// It never writes a non-finite number: `NaN` or `inf` in an attribute makes the document
/// invalid (browsers drop the element), and every chart — heatmaps, emission
/// bars, series, the search plots — is drawn through here. An element with a non-finite
/// coordinate or size is left out, a polyline's non-finite points are, and each one left out is
/// counted ([`Svg::left_out`]) so tests can check that a chart drew everything it was given.
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
    boxes: Vec<TextBox>,
    left_out: usize,
}

/// Whether every value is finite (see [`Svg`]).
fn all_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

/// The estimated, axis-aligned box a text occupies on the canvas (after rotation).
///
/// Width is estimated as 0.62 × font size per character — a bound on the mean advance of
/// DejaVu Sans and Helvetica-like faces for the lower-case names and digits used here — and
/// the height as the font size (0.8 above the baseline, 0.2 below).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl TextBox {
    /// True when the two boxes share interior area (touching edges do not count).
    pub fn overlaps(&self, other: &TextBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// Estimated width of `s` at font size `size` (see [`TextBox`]).
pub fn text_width(s: &str, size: f64) -> f64 {
    0.62 * size * s.chars().count() as f64
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Svg {
    pub fn new(width: f64, height: f64) -> Svg {
        let mut svg = Svg {
            width,
            height,
            body: String::new(),
            boxes: Vec::new(),
            left_out: 0,
        };
        svg.rect(0.0, 0.0, width, height, "#ffffff", None);
        svg
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, stroke: Option<&str>) {
        if !all_finite(&[x, y, w, h]) {
            self.left_out += 1;
            return;
        }
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" fill="{fill}"{}/>"#,
            stroke
                .map(|s| format!(r#" stroke="{s}""#))
                .unwrap_or_default()
        );
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        if !all_finite(&[x1, y1, x2, y2, width]) {
            self.left_out += 1;
            return;
        }
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="{stroke}" stroke-width="{width:.2}"/>"#
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64) {
        self.dashed_polyline(points, stroke, width, "");
    }

    /// A polyline with an SVG `stroke-dasharray` (`dash` empty: solid). Its non-finite points
    /// are left out (the line joins the points either side); with none left, the whole line.
    pub fn dashed_polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64, dash: &str) {
        let pts: Vec<String> = points
            .iter()
            .filter(|(x, y)| all_finite(&[*x, *y]))
            .map(|(x, y)| format!("{x:.2},{y:.2}"))
            .collect();
        self.left_out += points.len() - pts.len();
        if (pts.is_empty() && !points.is_empty()) || !width.is_finite() {
            self.left_out += 1;
            return;
        }
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{width:.2}" stroke-linejoin="round"{dash}/>"#,
            pts.join(" ")
        );
    }

    /// Text; `anchor` is start|middle|end; `rotate` in degrees about (x, y).
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        anchor: &str,
        rotate: f64,
        fill: &str,
    ) {
        if !all_finite(&[x, y, size, rotate]) {
            self.left_out += 1;
            return;
        }
        self.boxes.push(text_box(x, y, s, size, anchor, rotate));
        let transform = if rotate != 0.0 {
            format!(r#" transform="rotate({rotate:.1} {x:.2} {y:.2})""#)
        } else {
            String::new()
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.2}" y="{y:.2}" font-family="sans-serif" font-size="{size:.1}" text-anchor="{anchor}" fill="{fill}"{transform}>{}</text>"#,
            esc(s)
        );
    }

    /// The estimated boxes of every text written so far, in writing order.
    pub fn text_boxes(&self) -> &[TextBox] {
        &self.boxes
    }

    pub fn size(&self) -> (f64, f64) {
        (self.width, self.height)
    }

    /// Elements and polyline points left out for a non-finite coordinate or size (see [`Svg`]).
    pub fn left_out(&self) -> usize {
        self.left_out
    }

    pub fn finish(&self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\">\n{}</svg>\n",
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

/// The canvas box of a text at (x, y) with this anchor, rotated by `rotate` degrees about
/// (x, y) as SVG does (positive = clockwise on screen).
fn text_box(x: f64, y: f64, s: &str, size: f64, anchor: &str, rotate: f64) -> TextBox {
    let w = text_width(s, size);
    let (dx0, dx1) = match anchor {
        "middle" => (-w / 2.0, w / 2.0),
        "end" => (-w, 0.0),
        _ => (0.0, w),
    };
    let (dy0, dy1) = (-0.8 * size, 0.2 * size);
    let (sin, cos) = rotate.to_radians().sin_cos();
    let corners = [(dx0, dy0), (dx1, dy0), (dx0, dy1), (dx1, dy1)]
        .map(|(dx, dy)| (x + dx * cos - dy * sin, y + dx * sin + dy * cos));
    let fold = |f: fn(f64, f64) -> f64, init: f64, pick: fn(&(f64, f64)) -> f64| {
        corners.iter().map(pick).fold(init, f)
    };
    TextBox {
        text: s.to_string(),
        x0: fold(f64::min, f64::INFINITY, |c| c.0),
        y0: fold(f64::min, f64::INFINITY, |c| c.1),
        x1: fold(f64::max, f64::NEG_INFINITY, |c| c.0),
        y1: fold(f64::max, f64::NEG_INFINITY, |c| c.1),
    }
}

/// Where `v` falls on an axis `len` pixels long spanning [lo, hi]: `len · (v − lo) / (hi − lo)`,
/// computed as the charts always did (so their bytes do not change), unless a step overflows —
/// values near `f64::MAX`, whose span or product with `len` is infinite (an infinite span would
/// put every value at 0) — when it is computed from halves and as a fraction first, which
/// stays finite for finite values.
fn along(v: f64, lo: f64, hi: f64, len: f64) -> f64 {
    let (offset, span) = (v - lo, hi - lo);
    let direct = len * offset / span;
    if offset.is_finite() && span.is_finite() && direct.is_finite() {
        return direct;
    }
    len * ((v / 2.0 - lo / 2.0) / (hi / 2.0 - lo / 2.0))
}

/// An axis around a single value `v`: [v − 1, v + 1], or ±|v|/2 where ±1 is lost to rounding
/// (|v| ≥ 2^53), so the axis never has zero length.
fn around(v: f64) -> (f64, f64) {
    if v + 1.0 > v - 1.0 {
        (v - 1.0, v + 1.0)
    } else {
        (v - v.abs() / 2.0, v + v.abs() / 2.0)
    }
}

/// "Nice" axis ticks covering [lo, hi] (steps of 1, 2 or 5 × 10^k).
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let n = target.max(1) as f64;
    // The span of two finite values can overflow (−1e308 … 1e308); their halves' cannot.
    let raw = if (hi - lo).is_finite() {
        (hi - lo) / n
    } else {
        hi / n - lo / n
    };
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() as i64;
    let end = (hi / step).floor() as i64;
    (start..=end).map(|k| k as f64 * step).collect()
}

fn tick_label(v: f64, step: f64) -> String {
    if step >= 1e15 {
        // Only a damaged input reaches this (TAO, days and shares are far smaller): a label of
        // hundreds of digits would cover the chart.
        return if v == 0.0 {
            "0".into()
        } else {
            format!("{v:e}")
        };
    }
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    num(v, decimals)
}

/// Viridis (van der Walt & Smith, the matplotlib default) sampled at nine evenly spaced
/// points; [`sequential`] interpolates between them. Perceptually uniform, and its lightness
/// rises monotonically, so a greyscale print still orders the cells correctly.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x28, 0x78),
    (0x3e, 0x49, 0x89),
    (0x31, 0x68, 0x8e),
    (0x26, 0x82, 0x8e),
    (0x1f, 0x9e, 0x89),
    (0x35, 0xb7, 0x79),
    (0x6e, 0xce, 0x58),
    (0xfd, 0xe7, 0x25),
];

/// Sequential colour for `t` in [0, 1] (clamped): dark violet (low) to light yellow (high).
pub fn sequential(t: f64) -> (u8, u8, u8) {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let k = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let f = pos - k as f64;
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// `#rrggbb`.
pub fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance of an sRGB colour (0 black … 1 white): what a greyscale print keeps.
pub fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// Black or white, whichever contrasts more with the background.
fn ink_on(background: (u8, u8, u8)) -> &'static str {
    // Contrast ratios (L + 0.05) / 0.05 against black and 1.05 / (L + 0.05) against white are
    // equal at L = √(0.05 · 1.05) − 0.05 ≈ 0.179.
    if luminance(background) > 0.179 {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// The subnet classes in stack and legend order, with their legend names.
pub const CLASSES: [(&str, &str); 4] = [
    ("value", "value-creating"),
    ("meme", "meme"),
    ("offtopic", "off-topic"),
    ("idle", "idle (no value)"),
];

/// Colour of a subnet class. The four luminances are 0.08, 0.23, 0.46 and 0.34, far enough
/// apart to tell the classes apart in greyscale; lines also differ by dash ([`class_dash`]).
pub fn class_colour(class: &str) -> &'static str {
    match class {
        "value" => "#1b5e20",
        "meme" => "#d95f02",
        "offtopic" | "off-topic" => "#e6ab02",
        "idle" => "#9e9e9e",
        _ => "#000000",
    }
}

/// Dash pattern of a subnet class's lines (empty: solid).
pub fn class_dash(class: &str) -> &'static str {
    match class {
        "value" => "",
        "meme" => "6 3",
        "offtopic" | "off-topic" => "2 2",
        "idle" => "8 3 2 3",
        _ => "1 3",
    }
}

/// Font sizes and spacing of the heatmap.
const LABEL_SIZE: f64 = 11.0;
const TITLE_SIZE: f64 = 15.0;

/// Heatmap of a payoff matrix: `payoff[i][j]` (row strategy i against column strategy j),
/// coloured on a sequential scale from the lowest to the highest payoff.
pub fn payoff_heatmap(title: &str, strategies: &[String], payoff: &[Vec<f64>]) -> String {
    payoff_heatmap_svg(title, strategies, payoff).finish()
}

/// [`payoff_heatmap_svg`] with another quantity in the cells, named (with its unit) by
/// `quantity` beside the colour bar (e.g. "Δ mean profit (TAO)").
pub fn matrix_heatmap(
    title: &str,
    strategies: &[String],
    values: &[Vec<f64>],
    quantity: &str,
) -> String {
    matrix_heatmap_svg(title, strategies, values, quantity).finish()
}

/// [`payoff_heatmap`] before serialization (its text boxes are checked by tests).
///
/// Layout, top to bottom: the title; the column labels written vertically (reading upward)
/// above their columns, so no label can reach into its neighbour or the title whatever its
/// length; the matrix; the column axis name under it. The row axis name is vertical at the
/// left, the colour bar with its TAO ticks and name at the right.
pub fn payoff_heatmap_svg(title: &str, strategies: &[String], payoff: &[Vec<f64>]) -> Svg {
    matrix_heatmap_svg(title, strategies, payoff, "mean profit (TAO)")
}

/// The heatmap of [`matrix_heatmap`], before serialization.
pub fn matrix_heatmap_svg(
    title: &str,
    strategies: &[String],
    payoff: &[Vec<f64>],
    quantity: &str,
) -> Svg {
    let axes = HeatmapAxes {
        rows: strategies,
        columns: strategies,
        row_axis: "entrant (row strategy)",
        column_axis: "opponent (column strategy)",
    };
    grid_heatmap_svg(title, &axes, payoff, quantity)
}

/// What the rows and columns of a [`grid_heatmap`] are: their labels and the axes' names.
pub struct HeatmapAxes<'a> {
    pub rows: &'a [String],
    pub columns: &'a [String],
    pub row_axis: &'a str,
    pub column_axis: &'a str,
}

/// A heatmap of any rows × columns (a role game's two roles: one role's strategies down, the
/// other's across), `values[row][column]`, named by `quantity` beside the colour bar.
pub fn grid_heatmap(
    title: &str,
    axes: &HeatmapAxes,
    values: &[Vec<f64>],
    quantity: &str,
) -> String {
    grid_heatmap_svg(title, axes, values, quantity).finish()
}

/// [`grid_heatmap`] before serialization.
#[allow(clippy::needless_range_loop)]
pub fn grid_heatmap_svg(
    title: &str,
    axes: &HeatmapAxes,
    payoff: &[Vec<f64>],
    quantity: &str,
) -> Svg {
    let (rows, columns) = (axes.rows, axes.columns);
    let cell = 72.0;
    let widest = |labels: &[String]| {
        labels
            .iter()
            .map(|s| text_width(s, LABEL_SIZE))
            .fold(0.0, f64::max)
    };
    let left = 34.0 + widest(rows) + 10.0;
    let title_bottom = 34.0;
    let top = title_bottom + 12.0 + widest(columns) + 8.0;
    let matrix_w = cell * columns.len() as f64;
    let matrix = cell * rows.len() as f64;
    let bar_x = left + matrix_w + 24.0;
    let (finite_min, finite_max) = payoff
        .iter()
        .flatten()
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let (lo, hi) = if finite_min.is_finite() && finite_max > finite_min {
        (finite_min, finite_max)
    } else if finite_min.is_finite() {
        around(finite_min)
    } else {
        (-1.0, 1.0)
    };
    let bar_ticks = ticks(lo, hi, 5);
    let step = if bar_ticks.len() > 1 {
        bar_ticks[1] - bar_ticks[0]
    } else {
        1.0
    };
    let tick_text: Vec<String> = bar_ticks.iter().map(|t| tick_label(*t, step)).collect();
    let tick_w = tick_text
        .iter()
        .map(|t| text_width(t, LABEL_SIZE))
        .fold(0.0, f64::max);
    let width = (bar_x + 18.0 + 6.0 + tick_w + 30.0).max(text_width(title, TITLE_SIZE) + 40.0);
    let height = top + matrix + 46.0;
    let mut svg = Svg::new(width, height);
    svg.text(width / 2.0, 24.0, title, TITLE_SIZE, "middle", 0.0, "#000");
    svg.text(
        left + matrix_w / 2.0,
        top + matrix + 30.0,
        axes.column_axis,
        12.0,
        "middle",
        0.0,
        "#333",
    );
    svg.text(
        16.0,
        top + matrix / 2.0,
        axes.row_axis,
        12.0,
        "middle",
        -90.0,
        "#333",
    );
    for (j, s) in columns.iter().enumerate() {
        // Vertical, reading upward, its baseline just right of the column's centre line.
        svg.text(
            left + cell * (j as f64 + 0.5) + 0.3 * LABEL_SIZE,
            top - 8.0,
            s,
            LABEL_SIZE,
            "start",
            -90.0,
            "#000",
        );
    }
    let scale = |v: f64| along(v, lo, hi, 1.0);
    for (i, s) in rows.iter().enumerate() {
        svg.text(
            left - 8.0,
            top + cell * (i as f64 + 0.5) + 4.0,
            s,
            LABEL_SIZE,
            "end",
            0.0,
            "#000",
        );
        for j in 0..columns.len() {
            let v = payoff[i][j];
            let colour = if v.is_finite() {
                sequential(scale(v))
            } else {
                (0xee, 0xee, 0xee)
            };
            let (x, y) = (left + cell * j as f64, top + cell * i as f64);
            svg.rect(x, y, cell, cell, &hex(colour), Some("#ffffff"));
            svg.text(
                x + cell / 2.0,
                y + cell / 2.0 + 4.0,
                &num(v, 2),
                LABEL_SIZE,
                "middle",
                0.0,
                ink_on(colour),
            );
        }
    }
    // Colour bar: the top is the highest payoff.
    let steps = 48;
    for k in 0..steps {
        let t = 1.0 - (k as f64 + 0.5) / steps as f64;
        svg.rect(
            bar_x,
            top + matrix * k as f64 / steps as f64,
            18.0,
            matrix / steps as f64 + 0.5,
            &hex(sequential(t)),
            None,
        );
    }
    for (t, label) in bar_ticks.iter().zip(&tick_text) {
        let y = top + matrix * (1.0 - scale(*t));
        svg.line(bar_x + 18.0, y, bar_x + 22.0, y, "#000", 1.0);
        svg.text(
            bar_x + 25.0,
            y + 4.0,
            label,
            LABEL_SIZE,
            "start",
            0.0,
            "#000",
        );
    }
    // The quantity's name, vertical, just right of the tick labels.
    svg.text(
        bar_x + 25.0 + tick_w + 16.0,
        top + matrix / 2.0,
        quantity,
        12.0,
        "middle",
        -90.0,
        "#333",
    );
    svg
}

/// One bar of [`emission_bars`]: a label and the shares (value, meme, off-topic, idle).
pub struct EmissionBar {
    pub label: String,
    pub sublabel: String,
    pub shares: [f64; 4],
}

impl EmissionBar {
    /// One bar per network row with a match played: its mechanism over its schedule, shares
    /// by class (value, meme, off-topic, idle). A row whose matches all failed has no shares.
    pub fn of_network(rows: &[NetworkRow]) -> Vec<EmissionBar> {
        rows.iter()
            .filter(|r| r.matches > 0)
            .map(|r| EmissionBar {
                label: r.mechanism.clone(),
                sublabel: r.schedule.clone(),
                shares: [
                    r.emission_value_share,
                    r.emission_meme_share,
                    r.emission_offtopic_share,
                    r.emission_idle_share,
                ],
            })
            .collect()
    }
}

/// Stacked bars of emission share by subnet class, one bar per (mechanism, schedule).
pub fn emission_bars(title: &str, bars: &[EmissionBar]) -> String {
    emission_bars_svg(title, bars).finish()
}

/// [`emission_bars`] before serialization. Bars are spaced by the longest label under them, so
/// mechanism names never run into each other.
pub fn emission_bars_svg(title: &str, bars: &[EmissionBar]) -> Svg {
    let bw: f64 = 56.0;
    let longest = bars
        .iter()
        .map(|b| text_width(&b.label, LABEL_SIZE).max(text_width(&b.sublabel, 10.0)))
        .fold(0.0, f64::max);
    let pitch = (bw + 30.0).max(longest + 12.0);
    let left = 70.0;
    let top = 50.0;
    let ph = 300.0;
    let pw = pitch * bars.len().max(1) as f64;
    let legend_w = CLASSES
        .iter()
        .map(|c| text_width(c.1, LABEL_SIZE))
        .fold(0.0, f64::max)
        + 40.0;
    let width = (left + pw + 20.0 + legend_w).max(text_width(title, TITLE_SIZE) + 40.0);
    let height = top + ph + 62.0;
    let mut svg = Svg::new(width, height);
    svg.text(width / 2.0, 26.0, title, TITLE_SIZE, "middle", 0.0, "#000");
    svg.text(
        18.0,
        top + ph / 2.0,
        "share of subnet emission (%)",
        12.0,
        "middle",
        -90.0,
        "#333",
    );
    for t in ticks(0.0, 100.0, 5) {
        let y = top + ph - ph * t / 100.0;
        svg.line(left - 4.0, y, left + pw, y, "#dddddd", 1.0);
        svg.text(
            left - 8.0,
            y + 4.0,
            &format!("{t:.0}"),
            LABEL_SIZE,
            "end",
            0.0,
            "#000",
        );
    }
    svg.line(left, top, left, top + ph, "#000", 1.0);
    svg.line(left, top + ph, left + pw, top + ph, "#000", 1.0);
    for (k, bar) in bars.iter().enumerate() {
        let centre = left + pitch * (k as f64 + 0.5);
        let x = centre - bw / 2.0;
        let mut acc = 0.0;
        for (c, share) in CLASSES.iter().zip(bar.shares) {
            let s = if share.is_finite() {
                share.max(0.0)
            } else {
                0.0
            };
            let h = ph * s;
            svg.rect(
                x,
                top + ph - ph * acc - h,
                bw,
                h,
                class_colour(c.0),
                Some("#ffffff"),
            );
            acc += s;
        }
        svg.text(
            centre,
            top + ph + 18.0,
            &bar.label,
            LABEL_SIZE,
            "middle",
            0.0,
            "#000",
        );
        svg.text(
            centre,
            top + ph + 34.0,
            &bar.sublabel,
            10.0,
            "middle",
            0.0,
            "#555",
        );
    }
    // Legend, top to bottom in the order the stack reads from the top down.
    let lx = left + pw + 20.0;
    for (k, c) in CLASSES.iter().rev().enumerate() {
        let y = top + 10.0 + 22.0 * k as f64;
        svg.rect(lx, y - 10.0, 14.0, 14.0, class_colour(c.0), None);
        svg.text(lx + 20.0, y + 2.0, c.1, LABEL_SIZE, "start", 0.0, "#000");
    }
    svg
}

/// One subnet's time series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubnetSeries {
    pub class: String,
    pub day: Vec<f64>,
    pub price: Vec<f64>,
    pub emission_share: Vec<f64>,
}

/// Whether the series file at `path` holds a row past its header. One that does not was written
/// by a tourney before every series got a final sample at the match's horizon: one whose
/// interval was longer than the match sampled nothing. Reads up to the first row.
pub fn series_has_rows(path: &Path) -> Result<bool, ReportError> {
    use std::io::BufRead;
    let file = fs::File::open(path).map_err(|e| ReportError::io(path, e))?;
    for line in std::io::BufReader::new(file).lines().skip(1) {
        let line = line.map_err(|e| ReportError::io(path, e))?;
        if !line.trim().is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// What to say of a series file with no rows (see [`series_has_rows`]).
pub fn empty_series_message(file: &str) -> String {
    format!(
        "{file} has no rows: it was written by an older tourney, which sampled nothing when the \
         series interval was longer than the match (every series now ends with a sample at \
         the horizon)"
    )
}

/// Subnet ids sort numerically when they are numbers.
fn subnet_order(series: &BTreeMap<String, SubnetSeries>) -> Vec<&String> {
    let mut keys: Vec<&String> = series.keys().collect();
    keys.sort_by(|a, b| match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    });
    keys
}

fn panel(
    svg: &mut Svg,
    (left, top, pw, ph): (f64, f64, f64, f64),
    title: &str,
    ylabel: &str,
    lines: &[(&str, Vec<(f64, f64)>)],
) {
    // `lines`: (subnet class, points).
    let xs = lines.iter().flat_map(|(_, p)| p.iter().map(|q| q.0));
    let ys = lines.iter().flat_map(|(_, p)| p.iter().map(|q| q.1));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let (_, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
        (a.min(y), b.max(y))
    });
    let (x0, x1) = if x1 > x0 {
        (x0, x1)
    } else if x0.is_finite() {
        around(x0)
    } else {
        // No points at all.
        (0.0, 1.0)
    };
    let y0 = 0.0;
    // 5% headroom, short of infinity for the largest finite values.
    let y1 = if y1 > 0.0 {
        (y1 * 1.05).min(f64::MAX)
    } else {
        1.0
    };
    let sx = |x: f64| left + along(x, x0, x1, pw);
    let sy = |y: f64| top + ph - along(y, y0, y1, ph);
    svg.text(
        left + pw / 2.0,
        top - 10.0,
        title,
        13.0,
        "middle",
        0.0,
        "#000",
    );
    let yt = ticks(y0, y1, 5);
    let ystep = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
    for t in &yt {
        svg.line(left, sy(*t), left + pw, sy(*t), "#eeeeee", 1.0);
        svg.text(
            left - 6.0,
            sy(*t) + 4.0,
            &tick_label(*t, ystep),
            10.0,
            "end",
            0.0,
            "#000",
        );
    }
    let xt = ticks(x0, x1, 8);
    let xstep = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    for t in &xt {
        svg.line(sx(*t), top + ph, sx(*t), top + ph + 4.0, "#000", 1.0);
        svg.text(
            sx(*t),
            top + ph + 16.0,
            &tick_label(*t, xstep),
            10.0,
            "middle",
            0.0,
            "#000",
        );
    }
    svg.line(left, top, left, top + ph, "#000", 1.0);
    svg.line(left, top + ph, left + pw, top + ph, "#000", 1.0);
    svg.text(
        left + pw / 2.0,
        top + ph + 32.0,
        "time (days)",
        11.0,
        "middle",
        0.0,
        "#333",
    );
    svg.text(
        left - 52.0,
        top + ph / 2.0,
        ylabel,
        11.0,
        "middle",
        -90.0,
        "#333",
    );
    for (class, pts) in lines {
        let scaled: Vec<(f64, f64)> = pts.iter().map(|(x, y)| (sx(*x), sy(*y))).collect();
        svg.dashed_polyline(&scaled, class_colour(class), 1.3, class_dash(class));
    }
}

/// Price and emission share of every subnet over time, coloured by subnet class.
pub fn match_series_plot(match_id: &str, series: &MatchSeries) -> String {
    match_series_svg(match_id, series).finish()
}

/// Font size of the note under a series chart whose samples were reduced for drawing.
const NOTE_SIZE: f64 = 10.0;

/// [`match_series_plot`] before serialization. A series reduced for drawing
/// ([`MatchSeries::reduction`]) says so under its panels; one drawn whole keeps the bytes it
/// had before series were reduced.
pub fn match_series_svg(match_id: &str, series: &MatchSeries) -> Svg {
    let note = series.reduction.map(|r| r.note());
    let series = &series.subnets;
    let (left, pw, ph): (f64, f64, f64) = (80.0, 640.0, 220.0);
    let title = format!("Match {match_id}: subnet prices and emission shares");
    let mut width = (left + pw + 170.0).max(text_width(&title, TITLE_SIZE) + 40.0);
    if let Some(note) = &note {
        width = width.max(text_width(note, NOTE_SIZE) + 40.0);
    }
    let height = 60.0 + 2.0 * (ph + 70.0);
    let mut svg = Svg::new(width, height);
    svg.text(width / 2.0, 22.0, &title, TITLE_SIZE, "middle", 0.0, "#000");
    if let Some(note) = &note {
        // Under the second panel's axis name (at height − 38), inside the canvas.
        svg.text(
            width / 2.0,
            height - 12.0,
            note,
            NOTE_SIZE,
            "middle",
            0.0,
            "#555",
        );
    }
    let order = subnet_order(series);
    let price_lines: Vec<(&str, Vec<(f64, f64)>)> = order
        .iter()
        .map(|k| {
            let s = &series[*k];
            (
                s.class.as_str(),
                s.day.iter().cloned().zip(s.price.iter().cloned()).collect(),
            )
        })
        .collect();
    let share_lines: Vec<(&str, Vec<(f64, f64)>)> = order
        .iter()
        .map(|k| {
            let s = &series[*k];
            (
                s.class.as_str(),
                s.day
                    .iter()
                    .cloned()
                    .zip(s.emission_share.iter().map(|x| 100.0 * x))
                    .collect(),
            )
        })
        .collect();
    panel(
        &mut svg,
        (left, 60.0, pw, ph),
        "Subnet price",
        "price (TAO per alpha)",
        &price_lines,
    );
    panel(
        &mut svg,
        (left, 60.0 + ph + 70.0, pw, ph),
        "Emission share",
        "share of emission (%)",
        &share_lines,
    );
    let mut classes: Vec<&str> = series.values().map(|s| s.class.as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    let lx = left + pw + 24.0;
    svg.text(lx, 72.0, "subnet class", 11.0, "start", 0.0, "#333");
    for (k, c) in classes.iter().enumerate() {
        let y = 92.0 + 20.0 * k as f64;
        svg.dashed_polyline(
            &[(lx, y - 4.0), (lx + 22.0, y - 4.0)],
            class_colour(c),
            2.5,
            class_dash(c),
        );
        svg.text(lx + 28.0, y, c, 11.0, "start", 0.0, "#000");
    }
    svg
}

fn write(path: &Path, text: &str) -> Result<PathBuf, ReportError> {
    fs::write(path, text).map_err(|e| ReportError::io(path, e))?;
    Ok(path.to_path_buf())
}

/// Render an SVG document to a PNG file (2× scale, white background, the machine's fonts).
pub fn svg_to_png(svg: &str, path: &Path) -> Result<PathBuf, ReportError> {
    use resvg::{tiny_skia, usvg};
    let err = |message: String| ReportError::Png {
        path: path.to_path_buf(),
        message,
    };
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // The plots ask for the generic `sans-serif`, which fontdb maps to Arial by default: map it
    // to a sans face this machine has (DejaVu Sans on most Linux systems), else to any face.
    let families: Vec<String> = fonts
        .faces()
        .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
        .collect();
    if let Some(sans) = [
        "Arial",
        "Helvetica",
        "DejaVu Sans",
        "Liberation Sans",
        "Noto Sans",
    ]
    .iter()
    .map(|s| s.to_string())
    .find(|s| families.contains(s))
    .or_else(|| families.first().cloned())
    {
        fonts.set_sans_serif_family(sans);
    }
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| err(e.to_string()))?;
    let scale = 2.0;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| err("empty image".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| err("empty image".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.save_png(path).map_err(|e| err(e.to_string()))?;
    Ok(path.to_path_buf())
}

/// A `.png` beside each `.svg` in `svgs`; returns the PNG paths.
pub fn png_siblings(svgs: &[PathBuf]) -> Result<Vec<PathBuf>, ReportError> {
    svgs.iter()
        .map(|svg| {
            let text = fs::read_to_string(svg).map_err(|e| ReportError::io(svg, e))?;
            svg_to_png(&text, &svg.with_extension("png"))
        })
        .collect()
}

/// The report's plots: one payoff heatmap per game, and the emission-by-class bars.
pub fn write_report_plots(set: &ReportSet, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    let mut out = Vec::new();
    for g in &set.games {
        if let Some(m) = &g.meta {
            let title = format!(
                "Mean profit (TAO) of row vs column — {} / {}",
                g.mechanism, g.schedule
            );
            let svg = payoff_heatmap(&title, &m.game.strategies, &m.game.payoff);
            out.push(write(
                &dir.join(format!(
                    "payoff__{}__{}.svg",
                    slug(&g.mechanism),
                    slug(&g.schedule)
                )),
                &svg,
            )?);
        }
    }
    if !set.tables.network.is_empty() {
        let bars = EmissionBar::of_network(&set.tables.network);
        out.push(write(
            &dir.join("emission_by_class.svg"),
            &emission_bars(
                "Share of subnet emission by subnet class (mean over matches)",
                &bars,
            ),
        )?);
    }
    Ok(out)
}

/// Writes `match__<id>.svg` for `series/<match_id>.csv` in `result_dir`.
pub fn write_match_plot(
    result_dir: &Path,
    match_id: &str,
    dir: &Path,
) -> Result<PathBuf, ReportError> {
    let path = result_dir
        .join("series")
        .join(crate::file_names::series_file_name(match_id));
    if !path.is_file() {
        return Err(ReportError::Invalid(format!(
            "no time series for match `{match_id}`: {} does not exist (hint: replay the match with `tourney plot {} --match {match_id} --tournament FILE`, FILE being the tournament file, or set `outputs.series: true` in it)",
            path.display(),
            result_dir.display()
        )));
    }
    let series = read_series(&path)?;
    if series.subnets.is_empty() {
        // An empty chart would say nothing of why.
        return Err(ReportError::Invalid(format!(
            "no time series to draw for match `{match_id}`: {} (hint: play it again with `tourney plot {} --match {match_id} --tournament FILE`, FILE being the tournament file, which writes the series anew)",
            empty_series_message(&path.display().to_string()),
            result_dir.display()
        )));
    }
    fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    write(
        &dir.join(format!(
            "match__{}.svg",
            crate::file_names::file_stem(&slug(match_id))
        )),
        &match_series_plot(match_id, &series),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice() {
        // Range 100 / 5 ticks = 20 → step 20; range 100 / 4 = 25 → next nice step 50.
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(ticks(0.0, 100.0, 4), vec![0.0, 50.0, 100.0]);
        assert_eq!(
            ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
    }

    #[test]
    fn the_sequential_scale_gets_lighter_monotonically() {
        // A greyscale print keeps only luminance: it must rise strictly from low to high
        // payoff, from viridis' dark violet to its light yellow.
        let samples: Vec<f64> = (0..=200)
            .map(|k| luminance(sequential(k as f64 / 200.0)))
            .collect();
        for w in samples.windows(2) {
            assert!(w[1] > w[0], "luminance not increasing: {w:?}");
        }
        assert_eq!(hex(sequential(0.0)), "#440154");
        assert_eq!(hex(sequential(1.0)), "#fde725");
        // Halfway between anchors 4 (#26828e) and 5 (#1f9e89) at t = 9/16:
        // (0x26+0x1f)/2 = 34.5 → 35 = 0x23, (0x82+0x9e)/2 = 144 = 0x90, (0x8e+0x89)/2 = 139.5 → 140 = 0x8c.
        assert_eq!(hex(sequential(9.0 / 16.0)), "#23908c");
        // From darkest to lightest the contrast ratio (1 + 0.05·…) is large: (L1+0.05)/(L0+0.05) > 10.
        assert!((samples[200] + 0.05) / (samples[0] + 0.05) > 10.0);
    }

    #[test]
    fn subnet_classes_differ_in_greyscale_and_dash() {
        let rgb = |h: &str| {
            let v = u32::from_str_radix(&h[1..], 16).unwrap();
            ((v >> 16) as u8, (v >> 8) as u8, v as u8)
        };
        let lum: Vec<f64> = CLASSES
            .iter()
            .map(|c| luminance(rgb(class_colour(c.0))))
            .collect();
        for a in 0..lum.len() {
            for b in a + 1..lum.len() {
                assert!(
                    (lum[a] - lum[b]).abs() >= 0.1,
                    "{} and {} are too close in greyscale: {lum:?}",
                    CLASSES[a].0,
                    CLASSES[b].0
                );
                assert_ne!(class_dash(CLASSES[a].0), class_dash(CLASSES[b].0));
            }
        }
    }

    /// Every pair of text boxes is disjoint and every box lies on the canvas.
    fn assert_legible(svg: &Svg, what: &str) {
        let (w, h) = svg.size();
        let boxes = svg.text_boxes();
        for b in boxes {
            assert!(
                b.x0 >= 0.0 && b.y0 >= 0.0 && b.x1 <= w && b.y1 <= h,
                "{what}: `{}` leaves the {w}×{h} canvas: {b:?}",
                b.text
            );
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(
                    !a.overlaps(b),
                    "{what}: `{}` overlaps `{}`: {a:?} {b:?}",
                    a.text,
                    b.text
                );
            }
        }
    }

    fn names(n: usize) -> Vec<String> {
        // The longest real strategy name, and shorter ones.
        let base = [
            "foundation-interventionist",
            "meme-farmer",
            "honest-ai-subnet",
            "momentum-speculator",
            "root-staker",
            "buyback-subnet",
            "btc-mining-subnet",
        ];
        (0..n)
            .map(|k| format!("{}-{k}", base[k % base.len()]))
            .collect()
    }

    #[test]
    fn heatmap_labels_never_overlap_from_4_to_12_strategies() {
        for n in 4..=12 {
            let s = names(n);
            // Payoffs with long printed values (−1234.57) in every cell.
            let payoff: Vec<Vec<f64>> = (0..n)
                .map(|i| (0..n).map(|j| (i as f64 - j as f64) * 617.283).collect())
                .collect();
            let svg = payoff_heatmap_svg(
                "Mean profit (TAO) of row vs column — foundation-lt / linear-0.9-0.1",
                &s,
                &payoff,
            );
            assert_legible(&svg, &format!("heatmap with {n} strategies"));
            // The title is the first text; no column label reaches its band.
            let title = &svg.text_boxes()[0];
            assert!(title.text.starts_with("Mean profit"));
            for b in &svg.text_boxes()[1..] {
                assert!(b.y0 >= title.y1, "`{}` reaches into the title", b.text);
            }
        }
    }

    #[test]
    fn the_old_heatmap_layout_is_caught_by_the_overlap_check() {
        // The check is not vacuous: a 35°-rotated label written where the old layout put it
        // (10 px above a row of 72 px cells, 110 px below the top) crosses the axis name at y 46.
        let mut svg = Svg::new(600.0, 400.0);
        svg.text(
            300.0,
            46.0,
            "opponent (column strategy)",
            12.0,
            "middle",
            0.0,
            "#333",
        );
        svg.text(
            290.0,
            100.0,
            "foundation-interventionist",
            11.0,
            "start",
            -35.0,
            "#000",
        );
        assert!(svg.text_boxes()[0].overlaps(&svg.text_boxes()[1]));
    }

    #[test]
    fn emission_bars_and_series_are_legible() {
        for n in 1..=12 {
            let bars: Vec<EmissionBar> = (0..n)
                .map(|k| EmissionBar {
                    label: ["dtao-price-burn", "taoflow-net", "legacy-root"][k % 3].to_string(),
                    sublabel: format!("linear-0.9-0.{k}"),
                    shares: [0.4, 0.3, 0.1, 0.2],
                })
                .collect();
            assert_legible(
                &emission_bars_svg(
                    "Share of subnet emission by subnet class (mean over matches)",
                    &bars,
                ),
                &format!("emission bars with {n} bars"),
            );
        }
        let mut series = BTreeMap::new();
        for (k, class) in ["value", "meme", "offtopic", "idle"].iter().enumerate() {
            series.insert(
                k.to_string(),
                SubnetSeries {
                    class: class.to_string(),
                    day: vec![0.0, 3.5, 7.0],
                    price: vec![0.0012, 0.0031 * (k + 1) as f64, 0.002],
                    emission_share: vec![0.1, 0.2, 0.25],
                },
            );
        }
        let mut series = MatchSeries {
            subnets: series,
            reduction: None,
        };
        let id = "dtao-price__native__foundation-interventionist__vs__meme-farmer__r1";
        assert_legible(&match_series_svg(id, &series), "match series");
        // With the note of a reduced series under its panels.
        series.reduction = Some(Reduction {
            samples: 13_824_000,
            points: INTERVALS * KEEP,
        });
        let svg = match_series_svg(id, &series);
        assert_legible(&svg, "reduced match series");
        assert!(svg.finish().contains(
            "13,824,000 samples per subnet, drawn as the first, last, lowest and highest of \
             each of 640 time intervals (3,840 points)"
        ));
    }

    #[test]
    fn a_series_file_without_rows_is_refused_with_a_reason() {
        let dir = std::env::temp_dir().join(format!("tourney-plot-empty-{}", std::process::id()));
        fs::create_dir_all(dir.join("series")).unwrap();
        let header = "block,day,subnet,name,class,price,ema_price,emission_share,\
tao_reserve_tao,alpha_reserve_tao,alpha_issuance,root_proportion,flow_ema,value_score\n";
        let path = dir.join("series").join("m__r0.csv");
        fs::write(&path, header).unwrap();
        assert!(!series_has_rows(&path).unwrap());
        let e = write_match_plot(&dir, "m__r0", &dir.join("plots")).unwrap_err();
        let message = e.to_string();
        assert!(message.contains("has no rows"), "{message}");
        assert!(
            message.contains("--match m__r0 --tournament FILE"),
            "{message}"
        );
        assert!(!dir.join("plots").exists(), "no empty chart drawn");
        // One row: drawn.
        fs::write(
            &path,
            format!("{header}7200,1,1,bg-1,idle,0.01,0.01,0.5,10,1000,1000,0.18,0,0\n"),
        )
        .unwrap();
        assert!(series_has_rows(&path).unwrap());
        let svg = write_match_plot(&dir, "m__r0", &dir.join("plots")).unwrap();
        assert!(svg.is_file());
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Every number the SVG writes in an attribute (coordinates, sizes, polyline points) is
    /// finite; returns how many there are.
    pub(super) fn assert_finite_numbers(svg: &str) -> usize {
        let mut numbers = 0;
        for name in [
            "x", "y", "x1", "y1", "x2", "y2", "width", "height", "points",
        ] {
            let key = format!(" {name}=\"");
            for (at, _) in svg.match_indices(&key) {
                let rest = &svg[at + key.len()..];
                let value = &rest[..rest.find('"').unwrap()];
                for v in value.split([' ', ',']).filter(|v| !v.is_empty()) {
                    let x: f64 = v
                        .parse()
                        .unwrap_or_else(|_| panic!("{name}=\"{value}\" is not numbers"));
                    assert!(x.is_finite(), "{name}=\"{value}\"");
                    numbers += 1;
                }
            }
        }
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        numbers
    }

    #[test]
    fn the_svg_writer_never_writes_a_non_finite_number() {
        // Whatever a chart computes: an element with a NaN or infinite coordinate or size is
        // left out, as are a polyline's non-finite points, and each is counted.
        let mut svg = Svg::new(200.0, 100.0);
        svg.rect(f64::NAN, 0.0, 10.0, 10.0, "#000", None);
        svg.rect(0.0, 0.0, f64::INFINITY, 10.0, "#000", None);
        svg.line(0.0, 0.0, 10.0, f64::NEG_INFINITY, "#000", 1.0);
        svg.text(f64::NAN, 10.0, "label", 11.0, "start", 0.0, "#000");
        svg.text(10.0, 10.0, "label", 11.0, "start", f64::NAN, "#000");
        svg.polyline(&[(f64::NAN, f64::NAN), (1.0, f64::INFINITY)], "#000", 1.0);
        assert_eq!(svg.left_out(), 2 + 1 + 2 + (2 + 1));
        assert!(svg.text_boxes().is_empty());
        svg.polyline(
            &[
                (1.0, 2.0),
                (3.0, f64::NAN),
                (f64::NEG_INFINITY, 4.0),
                (5.0, 6.0),
            ],
            "#000",
            1.0,
        );
        assert_eq!(svg.left_out(), 8 + 2);
        let text = svg.finish();
        // The background, and the polyline's finite points joined.
        assert_eq!(
            text,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\" viewBox=\"0 0 200 100\">\n\
             <rect x=\"0.00\" y=\"0.00\" width=\"200.00\" height=\"100.00\" fill=\"#ffffff\"/>\n\
             <polyline points=\"1.00,2.00 5.00,6.00\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.00\" stroke-linejoin=\"round\"/>\n\
             </svg>\n"
        );
        // A series given non-finite values directly (the reader refuses them): the chart is
        // still valid SVG, and says nothing was drawn of them by its count.
        let mut subnets = BTreeMap::new();
        subnets.insert(
            "1".to_string(),
            SubnetSeries {
                class: "value".into(),
                day: vec![0.0, 1.0, 2.0],
                price: vec![0.5, f64::NAN, f64::INFINITY],
                emission_share: vec![f64::NAN; 3],
            },
        );
        let series = MatchSeries {
            subnets,
            reduction: None,
        };
        let svg = match_series_svg("m__r0", &series);
        assert!(svg.left_out() > 0);
        assert_finite_numbers(&svg.finish());
    }

    #[test]
    fn a_heatmap_of_the_largest_finite_payoffs_is_drawn_whole() {
        // The colour scale's range −1e308 … f64::MAX overflows (inf); its ticks and the cells'
        // colours must not.
        let payoff = vec![vec![-1e308, f64::MAX], vec![0.0, f64::NAN]];
        let svg = payoff_heatmap_svg("huge", &["a".into(), "b".into()], &payoff);
        assert_eq!(svg.left_out(), 0);
        let text = svg.finish();
        assert_finite_numbers(&text);
        // The extremes take the scale's ends; 0 lies 1e308 / (1e308 + MAX) ≈ 0.357 along it.
        assert!(text.contains(r##"fill="#440154" stroke="#ffffff""##));
        assert!(text.contains(r##"fill="#fde725" stroke="#ffffff""##));
        let middle = hex(sequential(1.0 / (1.0 + f64::MAX / 1e308)));
        assert_ne!(middle, hex(sequential(0.0)));
        assert!(
            text.contains(&format!(r##"fill="{middle}" stroke="#ffffff""##)),
            "{middle}: {text}"
        );
        // An emission bar of share 1e308 (300 px × 1e308 = inf): its rects are left out, the
        // chart stays valid.
        let bars = [EmissionBar {
            label: "m".into(),
            sublabel: "s".into(),
            shares: [1e308, 0.0, 0.0, 0.0],
        }];
        assert_finite_numbers(&emission_bars("huge", &bars));
    }

    #[test]
    fn heatmap_has_title_labels_and_values() {
        let svg = payoff_heatmap(
            "PD <test>",
            &["C".into(), "D".into()],
            &[vec![3.0, 0.0], vec![5.0, 1.0]],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("PD &lt;test&gt;"));
        assert!(svg.contains(">5.00</text>"));
        assert!(svg.contains("opponent (column strategy)"));
        assert!(svg.contains("mean profit (TAO)"));
        // The colour bar spans the payoffs 0 … 5 with ticks 0, 1, …, 5 (step 1 for 5 ticks).
        assert!(svg.contains(">0</text>") && svg.contains(">5</text>"));
        // The highest cell is viridis' light end, with black ink; the lowest the dark end,
        // with white ink.
        assert!(svg.contains(r##"fill="#fde725" stroke="#ffffff""##));
        assert!(svg.contains(r##"fill="#440154" stroke="#ffffff""##));
    }
}
