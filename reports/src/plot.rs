//! Plots, written as SVG by hand (no font or rendering dependency): a payoff heatmap per
//! (mechanism, schedule), emission share by subnet class per (mechanism, schedule) as stacked
//! bars, and price and emission share over time for one match from `series/<match_id>.csv`.
//! PNG output renders these SVGs with resvg ([`png_siblings`]).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use crate::render::num;
use crate::{slug, ReportError, ReportSet};

/// A minimal SVG document builder; coordinates are written with two decimals.
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
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
        };
        svg.rect(0.0, 0.0, width, height, "#ffffff", None);
        svg
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, stroke: Option<&str>) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" fill="{fill}"{}/>"#,
            stroke
                .map(|s| format!(r#" stroke="{s}""#))
                .unwrap_or_default()
        );
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="{stroke}" stroke-width="{width:.2}"/>"#
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.2},{y:.2}"))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{width:.2}" stroke-linejoin="round"/>"#,
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

    pub fn finish(&self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\">\n{}</svg>\n",
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

/// "Nice" axis ticks covering [lo, hi] (steps of 1, 2 or 5 × 10^k).
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
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
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    num(v, decimals)
}

/// Diverging colour: red for negative, white at 0, blue for positive (`t` in [−1, 1]).
fn diverging(t: f64) -> String {
    let t = t.clamp(-1.0, 1.0);
    let (r, g, b) = if t < 0.0 {
        let u = -t;
        (
            255.0 - u * (255.0 - 215.0),
            255.0 - u * (255.0 - 48.0),
            255.0 - u * (255.0 - 39.0),
        )
    } else {
        (
            255.0 - t * (255.0 - 69.0),
            255.0 - t * (255.0 - 117.0),
            255.0 - t * (255.0 - 180.0),
        )
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        r.round() as u8,
        g.round() as u8,
        b.round() as u8
    )
}

/// Colour of a subnet class.
pub fn class_colour(class: &str) -> &'static str {
    match class {
        "value" => "#1a9850",
        "meme" => "#d73027",
        "offtopic" | "off-topic" => "#f46d43",
        "idle" => "#969696",
        "root" => "#4575b4",
        _ => "#7b3294",
    }
}

/// Heatmap of a payoff matrix: `payoff[i][j]` (row strategy i against column strategy j).
#[allow(clippy::needless_range_loop)]
pub fn payoff_heatmap(title: &str, strategies: &[String], payoff: &[Vec<f64>]) -> String {
    let n = strategies.len();
    let cell = 72.0;
    let left = 40.0
        + 8.0
            * strategies
                .iter()
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(4) as f64;
    let top = 110.0;
    let width = left + cell * n as f64 + 140.0;
    let height = top + cell * n as f64 + 40.0;
    let mut svg = Svg::new(width, height);
    svg.text(width / 2.0, 24.0, title, 15.0, "middle", 0.0, "#000");
    svg.text(
        left + cell * n as f64 / 2.0,
        46.0,
        "opponent (column strategy)",
        12.0,
        "middle",
        0.0,
        "#333",
    );
    svg.text(
        14.0,
        top + cell * n as f64 / 2.0,
        "entrant (row strategy)",
        12.0,
        "middle",
        -90.0,
        "#333",
    );
    let max_abs = payoff
        .iter()
        .flatten()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max(x.abs()));
    for (j, s) in strategies.iter().enumerate() {
        svg.text(
            left + cell * (j as f64 + 0.5),
            top - 10.0,
            s,
            11.0,
            "start",
            -35.0,
            "#000",
        );
    }
    for (i, s) in strategies.iter().enumerate() {
        svg.text(
            left - 6.0,
            top + cell * (i as f64 + 0.5) + 4.0,
            s,
            11.0,
            "end",
            0.0,
            "#000",
        );
        for j in 0..n {
            let v = payoff[i][j];
            let t = if max_abs > 0.0 && v.is_finite() {
                v / max_abs
            } else {
                0.0
            };
            let fill = if v.is_finite() {
                diverging(t)
            } else {
                "#eeeeee".to_string()
            };
            let (x, y) = (left + cell * j as f64, top + cell * i as f64);
            svg.rect(x, y, cell, cell, &fill, Some("#ffffff"));
            let ink = if t.abs() > 0.6 { "#ffffff" } else { "#000000" };
            svg.text(
                x + cell / 2.0,
                y + cell / 2.0 + 4.0,
                &num(v, 2),
                11.0,
                "middle",
                0.0,
                ink,
            );
        }
    }
    // Colour bar.
    let bx = left + cell * n as f64 + 30.0;
    let bh = cell * n as f64;
    let steps = 40;
    for k in 0..steps {
        let t = 1.0 - 2.0 * k as f64 / (steps - 1) as f64;
        svg.rect(
            bx,
            top + bh * k as f64 / steps as f64,
            18.0,
            bh / steps as f64 + 0.5,
            &diverging(t),
            None,
        );
    }
    svg.text(
        bx + 24.0,
        top + 10.0,
        &format!("+{} TAO", num(max_abs, 2)),
        11.0,
        "start",
        0.0,
        "#000",
    );
    svg.text(
        bx + 24.0,
        top + bh / 2.0 + 4.0,
        "0",
        11.0,
        "start",
        0.0,
        "#000",
    );
    svg.text(
        bx + 24.0,
        top + bh,
        &format!("-{} TAO", num(max_abs, 2)),
        11.0,
        "start",
        0.0,
        "#000",
    );
    svg.finish()
}

/// One bar of [`emission_bars`]: a label and the shares (value, meme, off-topic, idle).
pub struct EmissionBar {
    pub label: String,
    pub sublabel: String,
    pub shares: [f64; 4],
}

/// Stacked bars of emission share by subnet class, one bar per (mechanism, schedule).
pub fn emission_bars(title: &str, bars: &[EmissionBar]) -> String {
    let classes = [
        ("value", "value-creating"),
        ("meme", "meme"),
        ("offtopic", "off-topic"),
        ("idle", "idle (no value)"),
    ];
    let bw = 56.0;
    let gap = 34.0;
    let left = 70.0;
    let top = 50.0;
    let ph = 300.0;
    let pw = (bw + gap) * bars.len().max(1) as f64 + gap;
    let width = left + pw + 170.0;
    let height = top + ph + 80.0;
    let mut svg = Svg::new(width, height);
    svg.text(left + pw / 2.0, 26.0, title, 15.0, "middle", 0.0, "#000");
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
            11.0,
            "end",
            0.0,
            "#000",
        );
    }
    svg.line(left, top, left, top + ph, "#000", 1.0);
    svg.line(left, top + ph, left + pw, top + ph, "#000", 1.0);
    for (k, bar) in bars.iter().enumerate() {
        let x = left + gap + k as f64 * (bw + gap);
        let mut acc = 0.0;
        for (c, share) in classes.iter().zip(bar.shares) {
            let s = if share.is_finite() {
                share.max(0.0)
            } else {
                0.0
            };
            let h = ph * s;
            svg.rect(x, top + ph - ph * acc - h, bw, h, class_colour(c.0), None);
            acc += s;
        }
        svg.text(
            x + bw / 2.0,
            top + ph + 18.0,
            &bar.label,
            11.0,
            "middle",
            0.0,
            "#000",
        );
        svg.text(
            x + bw / 2.0,
            top + ph + 34.0,
            &bar.sublabel,
            10.0,
            "middle",
            0.0,
            "#555",
        );
    }
    let lx = left + pw + 20.0;
    for (k, c) in classes.iter().enumerate() {
        let y = top + 10.0 + 22.0 * k as f64;
        svg.rect(lx, y - 10.0, 14.0, 14.0, class_colour(c.0), None);
        svg.text(lx + 20.0, y + 2.0, c.1, 11.0, "start", 0.0, "#000");
    }
    svg.finish()
}

/// One subnet's time series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubnetSeries {
    pub class: String,
    pub day: Vec<f64>,
    pub price: Vec<f64>,
    pub emission_share: Vec<f64>,
}

/// Reads `series/<match_id>.csv` (columns include `day`, `subnet`, `class`, `price`,
/// `emission_share`), grouped by subnet in subnet order.
pub fn read_series(path: &Path) -> Result<BTreeMap<String, SubnetSeries>, ReportError> {
    let text = fs::read_to_string(path).map_err(|e| ReportError::io(path, e))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    let idx = |name: &str| {
        header.iter().position(|h| *h == name).ok_or_else(|| {
            ReportError::Invalid(format!(
                "{}: no column `{name}` in the series file",
                path.display()
            ))
        })
    };
    let (day, subnet, class, price, share) = (
        idx("day")?,
        idx("subnet")?,
        idx("class")?,
        idx("price")?,
        idx("emission_share")?,
    );
    let mut out: BTreeMap<String, SubnetSeries> = BTreeMap::new();
    for (lineno, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let parse = |i: usize| -> Result<f64, ReportError> {
            get(i).parse::<f64>().map_err(|_| {
                ReportError::Invalid(format!(
                    "{}:{}: `{}` is not a number",
                    path.display(),
                    lineno + 2,
                    get(i)
                ))
            })
        };
        let key = get(subnet).to_string();
        let s = out.entry(key).or_default();
        s.class = get(class).to_string();
        s.day.push(parse(day)?);
        s.price.push(parse(price)?);
        s.emission_share.push(parse(share)?);
    }
    Ok(out)
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
    } else {
        (x0 - 1.0, x0 + 1.0)
    };
    let y0 = 0.0;
    let y1 = if y1 > 0.0 { y1 * 1.05 } else { 1.0 };
    let sx = |x: f64| left + pw * (x - x0) / (x1 - x0);
    let sy = |y: f64| top + ph - ph * (y - y0) / (y1 - y0);
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
        "day",
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
    for (colour, pts) in lines {
        let scaled: Vec<(f64, f64)> = pts.iter().map(|(x, y)| (sx(*x), sy(*y))).collect();
        svg.polyline(&scaled, colour, 1.3);
    }
}

/// Price and emission share of every subnet over time, coloured by subnet class.
pub fn match_series_plot(match_id: &str, series: &BTreeMap<String, SubnetSeries>) -> String {
    let (left, pw, ph) = (80.0, 640.0, 220.0);
    let width = left + pw + 170.0;
    let height = 60.0 + 2.0 * (ph + 70.0);
    let mut svg = Svg::new(width, height);
    svg.text(
        width / 2.0,
        22.0,
        &format!("Match {match_id}: subnet prices and emission shares"),
        15.0,
        "middle",
        0.0,
        "#000",
    );
    let order = subnet_order(series);
    let price_lines: Vec<(&str, Vec<(f64, f64)>)> = order
        .iter()
        .map(|k| {
            let s = &series[*k];
            (
                class_colour(&s.class),
                s.day.iter().cloned().zip(s.price.iter().cloned()).collect(),
            )
        })
        .collect();
    let share_lines: Vec<(&str, Vec<(f64, f64)>)> = order
        .iter()
        .map(|k| {
            let s = &series[*k];
            (
                class_colour(&s.class),
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
        svg.line(lx, y - 4.0, lx + 18.0, y - 4.0, class_colour(c), 3.0);
        svg.text(lx + 24.0, y, c, 11.0, "start", 0.0, "#000");
    }
    svg.finish()
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
        let bars: Vec<EmissionBar> = set
            .tables
            .network
            .iter()
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
            .collect();
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
    let path = result_dir.join("series").join(format!("{match_id}.csv"));
    if !path.is_file() {
        return Err(ReportError::Invalid(format!(
            "no time series for match `{match_id}`: {} does not exist (hint: run the tournament with series output enabled)",
            path.display()
        )));
    }
    let series = read_series(&path)?;
    fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    write(
        &dir.join(format!("match__{}.svg", slug(match_id))),
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
    fn diverging_endpoints() {
        assert_eq!(diverging(0.0), "#ffffff");
        assert_eq!(diverging(-1.0), "#d73027");
        assert_eq!(diverging(1.0), "#4575b4");
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
        assert!(svg.contains("+5.00 TAO"));
    }
}
