//! A match's series file (`series/<match_id>.csv`) read for a chart, in memory bounded whatever
//! the file's size.
//!
//! Series stream to disk as a match plays, so one sampled every block is millions of rows
//! (`sn28-loop --every 1`: 13.8M rows, 2.8 GB) while the chart's panels are 640 pixels wide.
//! The file is read in one pass, a line at a time (a line past [`MAX_LINE`] bytes is refused),
//! and each subnet keeps a bounded number of points:
//!
//! - Time, from the first data row's `day` to the last row's (read by seeking near the end of
//!   the file), is cut into [`INTERVALS`] equal intervals, one per pixel column of a panel.
//! - An interval holding at most [`KEEP`] samples of a subnet keeps them all. So a series that
//!   already fits is drawn whole and its chart keeps its bytes: any series sampled at a fixed
//!   interval (with its final sample at the horizon) of up to 4 × 640 + 1 = 2,561 samples per
//!   subnet — the usual 100-block interval over 30 days is 2,160.
//! - An interval holding more keeps its first and last samples and those of its lowest and
//!   highest price and emission share, in file order (M4 aggregation, extended to the two
//!   quantities drawn): at most [`KEEP`] points an interval, so at most
//!   [`INTERVALS`] × [`KEEP`] = 3,840 points a subnet.
//!
//! Why extremes per interval rather than every k-th sample: a stride steps over a spike shorter
//! than k samples (SN28's crash lasts a few blocks) and draws a calmer market than the one
//! played, while the lowest and highest sample of each pixel column draw the same envelope as
//! every sample, and the first and last join the columns as the whole line does. The chart
//! says when samples were left out ([`Reduction::note`]).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::SubnetSeries;
use crate::ReportError;

/// Time intervals a series is reduced to: one per pixel column of the chart's 640-pixel panels.
pub const INTERVALS: usize = 640;

/// Samples an interval keeps of one subnet: all of them up to this many, else its first, last,
/// lowest and highest price and lowest and highest emission share.
pub const KEEP: usize = 6;

/// Longest line read (a series row is about 200 bytes): a longer one is refused rather than
/// read whole, so a file without line breaks cannot fill memory either.
pub const MAX_LINE: usize = 64 * 1024;

/// A match's series as the chart draws it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchSeries {
    /// By subnet id, each with its kept samples in file order.
    pub subnets: BTreeMap<String, SubnetSeries>,
    /// `Some` when samples were left out for drawing.
    pub reduction: Option<Reduction>,
}

/// How much of a series was left out for drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reduction {
    /// Samples of the subnet with the most of them.
    pub samples: u64,
    /// Points kept of the subnet with the most of them.
    pub points: usize,
}

impl Reduction {
    /// What the chart says of the samples left out (its subtitle, the page's caption).
    pub fn note(&self) -> String {
        format!(
            "{} samples per subnet, drawn as the first, last, lowest and highest of each of {} time intervals ({} points)",
            grouped(self.samples),
            INTERVALS,
            grouped(self.points as u64)
        )
    }
}

/// `n` with thousands separated by commas.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    /// The sample's ordinal in its subnet's series: orders the kept samples.
    seq: u64,
    day: f64,
    price: f64,
    share: f64,
}

/// One subnet's points so far and its current interval.
struct Reducer {
    series: SubnetSeries,
    samples: u64,
    interval: usize,
    /// The interval's first [`KEEP`] samples.
    held: Vec<Sample>,
    count: u64,
    /// First, last, lowest and highest price, lowest and highest share of the interval.
    marks: [Sample; KEEP],
    reduced: bool,
}

impl Reducer {
    fn new(class: &str) -> Reducer {
        let none = Sample {
            seq: 0,
            day: 0.0,
            price: 0.0,
            share: 0.0,
        };
        Reducer {
            series: SubnetSeries {
                class: class.to_string(),
                ..SubnetSeries::default()
            },
            samples: 0,
            interval: 0,
            held: Vec::with_capacity(KEEP),
            count: 0,
            marks: [none; KEEP],
            reduced: false,
        }
    }

    fn add(&mut self, interval: usize, day: f64, price: f64, share: f64) {
        if self.count > 0 && interval != self.interval {
            self.flush();
        }
        self.interval = interval;
        let s = Sample {
            seq: self.samples,
            day,
            price,
            share,
        };
        self.samples += 1;
        if self.count == 0 {
            self.marks = [s; KEEP];
        } else {
            // Ties keep the earlier sample; a NaN is never an extreme.
            let m = &mut self.marks;
            m[1] = s;
            if s.price < m[2].price {
                m[2] = s;
            }
            if s.price > m[3].price {
                m[3] = s;
            }
            if s.share < m[4].share {
                m[4] = s;
            }
            if s.share > m[5].share {
                m[5] = s;
            }
        }
        if self.held.len() < KEEP {
            self.held.push(s);
        }
        self.count += 1;
    }

    /// Ends the current interval: its samples, or its marks when it held more than [`KEEP`].
    fn flush(&mut self) {
        if self.count as usize > KEEP {
            self.reduced = true;
            self.held.clear();
            self.held.extend_from_slice(&self.marks);
            self.held.sort_by_key(|s| s.seq);
            self.held.dedup_by_key(|s| s.seq);
        }
        for s in &self.held {
            self.series.day.push(s.day);
            self.series.price.push(s.price);
            self.series.emission_share.push(s.share);
        }
        self.held.clear();
        self.count = 0;
    }
}

/// Lines of `reader`, each at most [`MAX_LINE`] bytes, without their line break.
struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    /// 1-based number of the line last read.
    number: u64,
}

impl<R: BufRead> Lines<R> {
    /// The next line, `None` at the end of the file.
    fn next(&mut self, path: &Path) -> Result<Option<&str>, ReportError> {
        self.buf.clear();
        let n = (&mut self.reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| ReportError::io(path, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
        } else if self.buf.len() > MAX_LINE {
            return Err(ReportError::Invalid(format!(
                "{}:{}: a line longer than {MAX_LINE} bytes: not a series file (its rows are about 200 bytes)",
                path.display(),
                self.number
            )));
        }
        std::str::from_utf8(&self.buf).map(Some).map_err(|_| {
            ReportError::Invalid(format!(
                "{}:{}: not UTF-8 text",
                path.display(),
                self.number
            ))
        })
    }
}

/// The `day` of the file's last non-blank line, read from its last [`MAX_LINE`] bytes; `None`
/// when it has none (then the pass over the file refuses that line or finds no row).
fn last_day(path: &Path, day: usize) -> Result<Option<f64>, ReportError> {
    let mut file = File::open(path).map_err(|e| ReportError::io(path, e))?;
    let len = file
        .seek(SeekFrom::End(0))
        .map_err(|e| ReportError::io(path, e))?;
    let start = len.saturating_sub(MAX_LINE as u64 + 2);
    file.seek(SeekFrom::Start(start))
        .map_err(|e| ReportError::io(path, e))?;
    let mut tail = Vec::new();
    file.take(MAX_LINE as u64 + 2)
        .read_to_end(&mut tail)
        .map_err(|e| ReportError::io(path, e))?;
    let end = tail
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |k| k + 1);
    let Some(line_start) = tail[..end].iter().rposition(|&b| b == b'\n') else {
        // No line break: the whole file is one line (the header) or the line is too long.
        return Ok(None);
    };
    let line = String::from_utf8_lossy(&tail[line_start + 1..end]);
    Ok(line
        .split(',')
        .nth(day)
        .and_then(|cell| cell.trim().parse::<f64>().ok())
        .filter(|d| d.is_finite()))
}

/// Reads `series/<match_id>.csv` (columns include `day`, `subnet`, `class`, `price`,
/// `emission_share`), grouped by subnet, for a chart: in one streaming pass, at most
/// [`INTERVALS`] × [`KEEP`] points a subnet (see the module's doc). A subnet's class is the one
/// of its last row. Every row must have the header's cells, finite numbers where numbers are
/// drawn, and days in time order; the first that does not is refused, naming the file and its
/// line.
pub fn read_series(path: &Path) -> Result<MatchSeries, ReportError> {
    let file = File::open(path).map_err(|e| ReportError::io(path, e))?;
    let mut lines = Lines {
        reader: BufReader::with_capacity(256 * 1024, file),
        buf: Vec::new(),
        number: 0,
    };
    let invalid = |line: u64, what: String| {
        ReportError::Invalid(format!("{}:{line}: {what}", path.display()))
    };
    let header: Vec<String> = lines
        .next(path)?
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim().to_string())
        .collect();
    let idx = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| invalid(1, format!("no column `{name}` in the series file's header")))
    };
    // The cells drawn, in this order.
    const DAY: usize = 0;
    const SUBNET: usize = 1;
    const CLASS: usize = 2;
    const PRICE: usize = 3;
    const SHARE: usize = 4;
    let columns = [
        idx("day")?,
        idx("subnet")?,
        idx("class")?,
        idx("price")?,
        idx("emission_share")?,
    ];
    let mut reducers: BTreeMap<String, Reducer> = BTreeMap::new();
    // Time's span: from the first row's day to the last row's, once the first row is read.
    let mut span: Option<(f64, f64)> = None;
    let mut previous_day = f64::NEG_INFINITY;
    loop {
        let number = lines.number + 1;
        let Some(line) = lines.next(path)? else {
            break;
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut cells = [""; 5];
        let mut count = 0;
        for (i, cell) in line.split(',').enumerate() {
            count += 1;
            for (slot, &column) in columns.iter().enumerate() {
                if column == i {
                    cells[slot] = cell.trim();
                }
            }
        }
        if count != header.len() {
            return Err(invalid(
                number,
                format!(
                    "{count} cells where the header has {} (a torn or malformed row)",
                    header.len()
                ),
            ));
        }
        let number_at = |slot: usize| {
            cells[slot].parse::<f64>().map_err(|_| {
                invalid(
                    number,
                    format!(
                        "`{}` is not a number (column `{}`)",
                        cells[slot], header[columns[slot]]
                    ),
                )
            })
        };
        let day = number_at(DAY)?;
        if !day.is_finite() {
            return Err(invalid(
                number,
                format!("day `{}` is not finite", cells[DAY]),
            ));
        }
        if day < previous_day {
            return Err(invalid(
                number,
                format!(
                    "day {day} comes before the previous row's {previous_day}: a series file is in time order"
                ),
            ));
        }
        previous_day = day;
        let (price, share) = (number_at(PRICE)?, number_at(SHARE)?);
        // The engine writes finite prices and shares (integer reserves and shares of a finite
        // emission): a NaN or an infinity is a damaged or hand-made file, refused here as a
        // non-finite day is, rather than drawn as a line the viewer cannot see is incomplete.
        for (slot, value) in [(PRICE, price), (SHARE, share)] {
            if !value.is_finite() {
                return Err(invalid(
                    number,
                    format!(
                        "{} `{}` is not finite (the engine writes finite values: a damaged or edited series file)",
                        header[columns[slot]], cells[slot]
                    ),
                ));
            }
        }
        let (first, last) = match span {
            Some(s) => s,
            None => {
                // No usable last row: the pass refuses it when it gets there; until then
                // every sample falls in the first interval, and memory stays bounded.
                let last = last_day(path, columns[DAY])?.unwrap_or(day);
                *span.insert((day, last))
            }
        };
        let interval = if last > first {
            let mut t = (day - first) / (last - first);
            if !t.is_finite() {
                // A span past f64::MAX (a hand-made file's days): the halves' cannot overflow.
                t = (day / 2.0 - first / 2.0) / (last / 2.0 - first / 2.0);
            }
            ((t * INTERVALS as f64).floor() as usize).min(INTERVALS - 1)
        } else {
            0
        };
        let (subnet, class) = (cells[SUBNET], cells[CLASS]);
        if let Some(r) = reducers.get_mut(subnet) {
            if r.series.class != class {
                r.series.class = class.to_string();
            }
            r.add(interval, day, price, share);
        } else {
            let mut r = Reducer::new(class);
            r.add(interval, day, price, share);
            reducers.insert(subnet.to_string(), r);
        }
    }
    let mut reduced = false;
    let mut most = Reduction {
        samples: 0,
        points: 0,
    };
    let mut subnets = BTreeMap::new();
    for (id, mut r) in reducers {
        r.flush();
        reduced |= r.reduced;
        most.samples = most.samples.max(r.samples);
        most.points = most.points.max(r.series.day.len());
        subnets.insert(id, r.series);
    }
    let reduction = reduced.then_some(most);
    Ok(MatchSeries { subnets, reduction })
}

#[cfg(test)]
mod tests {
    use super::super::match_series_plot;
    use super::*;
    use std::fmt::Write as _;
    use std::fs;
    use std::io::Write as _;
    use std::path::PathBuf;

    const HEADER: &str = "block,day,subnet,name,class,price,ema_price,emission_share,\
tao_reserve_tao,alpha_reserve_tao,alpha_issuance,root_proportion,flow_ema,value_score";

    /// A fresh folder in the temp dir for test `name`.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tourney-series-file-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A series row as the engine writes it (the cells not drawn are constants).
    fn row(out: &mut String, block: u64, subnet: u16, class: &str, price: f64, share: f64) {
        let day = block as f64 / 7200.0;
        let _ = writeln!(
            out,
            "{block},{day},{subnet},sn-{subnet},{class},{price},{price},{share},1000,2000,3000,0.18,0,0"
        );
    }

    /// The reader before series were reduced (the whole file in memory, every row kept): the
    /// charts of series that fit must not change.
    fn read_whole(path: &Path) -> BTreeMap<String, SubnetSeries> {
        let text = fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').map(str::trim).collect();
        let idx = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (day, subnet, class, price, share) = (
            idx("day"),
            idx("subnet"),
            idx("class"),
            idx("price"),
            idx("emission_share"),
        );
        let mut out: BTreeMap<String, SubnetSeries> = BTreeMap::new();
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            let s = out.entry(f[subnet].to_string()).or_default();
            s.class = f[class].to_string();
            s.day.push(f[day].parse().unwrap());
            s.price.push(f[price].parse().unwrap());
            s.emission_share.push(f[share].parse().unwrap());
        }
        out
    }

    /// Samples every `interval` blocks up to `horizon`, and at the horizon, of three subnets.
    fn fixed_interval_csv(interval: u64, horizon: u64) -> String {
        let mut csv = format!("{HEADER}\n");
        let mut blocks: Vec<u64> = (1..=horizon / interval).map(|k| k * interval).collect();
        if !horizon.is_multiple_of(interval) {
            blocks.push(horizon);
        }
        for b in blocks {
            for (subnet, class) in [(1, "value"), (2, "meme"), (3, "idle")] {
                let x = b as f64 / 7200.0;
                let price = 0.02 * subnet as f64 * (1.0 + (x * 0.7 + subnet as f64).sin());
                row(
                    &mut csv,
                    b,
                    subnet,
                    class,
                    price,
                    0.2 + 0.1 * (x * 1.3).cos(),
                );
            }
        }
        csv
    }

    #[test]
    fn a_series_that_fits_is_drawn_whole_and_its_chart_keeps_its_bytes() {
        let dir = scratch("fits");
        let path = dir.join("m.csv");
        // The usual 100-block interval over 30 days (2,160 samples); a horizon that is not a
        // multiple of the interval (its final sample 50 blocks after the last); and the
        // longest series the module's doc says is drawn whole (2,561 samples).
        for (interval, horizon) in [(100, 216_000), (100, 216_050), (720, 50_400), (9, 23_044)] {
            fs::write(&path, fixed_interval_csv(interval, horizon)).unwrap();
            let whole = read_whole(&path);
            let read = read_series(&path).unwrap();
            let samples = horizon.div_ceil(interval) as usize;
            assert_eq!(whole["1"].day.len(), samples);
            assert_eq!(read.reduction, None, "{interval} × {samples}");
            assert_eq!(read.subnets, whole, "{interval} × {samples}");
            let previous = MatchSeries {
                subnets: whole,
                reduction: None,
            };
            assert_eq!(
                match_series_plot("m__r0", &read),
                match_series_plot("m__r0", &previous)
            );
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_reduction_keeps_the_first_and_last_samples_and_the_extremes() {
        let dir = scratch("spike");
        let path = dir.join("m.csv");
        // Two subnets sampled every block for 20,000 blocks: calm prices and shares but for a
        // one-block crash and spike, a one-block share spike, and distinct ends.
        let n = 20_000u64;
        let mut csv = format!("{HEADER}\n");
        for b in 1..=n {
            let calm = 1.0 + 0.001 * ((b % 7) as f64);
            let price = match b {
                1 => 2.0,
                4_321 => 50.0,
                4_322 => 0.01,
                _ if b == n => 3.0,
                _ => calm,
            };
            let share = if b == 9_000 { 0.9 } else { 0.1 };
            row(&mut csv, b, 28, "meme", price, share);
            row(&mut csv, b, 3, "value", calm, 0.1);
        }
        fs::write(&path, &csv).unwrap();
        let read = read_series(&path).unwrap();
        let r = read.reduction.expect("20,000 samples are reduced");
        assert_eq!(r.samples, n);
        assert!(r.points <= INTERVALS * KEEP, "{}", r.points);
        let meme = &read.subnets["28"];
        assert_eq!(meme.class, "meme");
        assert!(meme.day.len() <= INTERVALS * KEEP);
        assert_eq!(meme.day.len(), meme.price.len());
        assert_eq!(meme.day.len(), meme.emission_share.len());
        // First and last samples.
        assert_eq!((meme.day[0], meme.price[0]), (1.0 / 7200.0, 2.0));
        assert_eq!(meme.day.last(), Some(&(n as f64 / 7200.0)));
        assert_eq!(meme.price.last(), Some(&3.0));
        // The extremes, each at its own day, with the other quantity of the same row.
        let at = |day: f64| meme.day.iter().position(|d| *d == day);
        let spike = at(4_321.0 / 7200.0).expect("the price spike is kept");
        assert_eq!(meme.price[spike], 50.0);
        let crash = at(4_322.0 / 7200.0).expect("the crash is kept");
        assert_eq!(meme.price[crash], 0.01);
        let share = at(9_000.0 / 7200.0).expect("the share spike is kept");
        assert_eq!(meme.emission_share[share], 0.9);
        assert_eq!(meme.price[share], 1.0 + 0.001 * ((9_000 % 7) as f64));
        // In time order, and far fewer than the file's.
        assert!(meme.day.windows(2).all(|w| w[0] < w[1]));
        assert!(meme.day.len() < n as usize / 4);
        // Every interval keeps its lowest and highest price: the same envelope as every sample.
        let calm_max = 1.006;
        assert_eq!(
            read.subnets["3"].price.iter().cloned().fold(0.0, f64::max),
            calm_max
        );
        // The chart says samples were left out.
        assert!(match_series_plot("m__r0", &read).contains(&r.note()));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_million_rows_are_read_into_a_bounded_number_of_points() {
        let dir = scratch("million");
        let path = dir.join("m.csv");
        let mut out = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        writeln!(out, "day,subnet,class,price,emission_share").unwrap();
        let (subnets, samples) = (4u64, 250_000u64);
        for b in 1..=samples {
            for s in 0..subnets {
                let price = ((b + s) % 300) as f64 / 1000.0;
                writeln!(out, "{},{s},value,{price},0.25", b as f64 / 7200.0).unwrap();
            }
        }
        out.flush().unwrap();
        drop(out);
        let read = read_series(&path).unwrap();
        assert_eq!(read.subnets.len(), subnets as usize);
        let r = read.reduction.expect("reduced");
        assert_eq!(r.samples, samples);
        for s in read.subnets.values() {
            assert!(s.day.len() <= INTERVALS * KEEP, "{} points", s.day.len());
            assert!(s.day.len() >= 2 * INTERVALS, "{} points", s.day.len());
            assert_eq!(s.day[0], 1.0 / 7200.0);
            assert_eq!(*s.day.last().unwrap(), samples as f64 / 7200.0);
            // Every interval (about 390 samples) holds a whole cycle of prices, 0 to 0.299:
            // its lowest and highest are kept.
            assert!(s.price.iter().filter(|p| **p == 0.0).count() >= INTERVALS);
            assert!(s.price.iter().filter(|p| **p == 0.299).count() >= INTERVALS);
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    /// The error of reading `csv` as a series file.
    fn error_of(dir: &Path, csv: &str) -> String {
        let path = dir.join("m.csv");
        fs::write(&path, csv).unwrap();
        read_series(&path).unwrap_err().to_string()
    }

    #[test]
    fn the_largest_finite_values_are_drawn_with_finite_coordinates() {
        // Prices of 1e308 and f64::MAX, a share of 1e308 %: the chart's ranges and scales used
        // to overflow (220 px × 1e308 = inf) and wrote `-inf` and `NaN` coordinates.
        let dir = scratch("huge");
        let path = dir.join("m.csv");
        let mut csv = format!("{HEADER}\n");
        row(&mut csv, 100, 1, "value", 1e308, 1e306);
        row(&mut csv, 100, 2, "meme", f64::MAX, 0.5);
        row(&mut csv, 200, 1, "value", 1e308, 1e306);
        row(&mut csv, 200, 2, "meme", 0.5, 0.5);
        row(&mut csv, 300, 1, "value", -1e308, 0.2);
        row(&mut csv, 300, 2, "meme", 1e-300, 0.5);
        fs::write(&path, &csv).unwrap();
        let read = read_series(&path).unwrap();
        assert_eq!(read.subnets["2"].price[0], f64::MAX);
        let svg = super::super::match_series_svg("m__r0", &read);
        assert_eq!(svg.left_out(), 0, "every point and label is drawn");
        let text = svg.finish();
        super::super::tests::assert_finite_numbers(&text);
        // The price axis reaches f64::MAX: f64::MAX sits at the top of the panel (y 60 + 220 −
        // 220 × MAX / min(1.05 × MAX, MAX) = 60), 1e308 lower down by its fraction 0.556.
        assert!(text.contains("80.00,60.00 "), "{text}");
        let y = 60.0 + 220.0 - 220.0 * ((1e308 / 2.0) / (f64::MAX / 2.0));
        assert!(text.contains(&format!("80.00,{y:.2} ")), "{y:.2}: {text}");
        // A day axis spanning the largest finite days (a hand-made file) stays finite too.
        let mut days = format!("{HEADER}\n");
        for day in [-1e308, 0.0, f64::MAX] {
            let _ = writeln!(
                days,
                "0,{day:e},1,sn-1,value,0.5,0.5,0.1,1000,2000,3000,0.18,0,0"
            );
        }
        fs::write(&path, &days).unwrap();
        let svg = super::super::match_series_svg("m__r0", &read_series(&path).unwrap());
        assert_eq!(svg.left_out(), 0);
        super::super::tests::assert_finite_numbers(&svg.finish());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_malformed_series_is_refused_naming_the_file_and_line() {
        let dir = scratch("malformed");
        let file = dir.join("m.csv").display().to_string();
        let mut good = format!("{HEADER}\n");
        row(&mut good, 100, 1, "value", 0.5, 0.1);
        row(&mut good, 100, 2, "meme", 0.7, 0.2);
        row(&mut good, 200, 1, "value", 0.6, 0.1);
        // A bad header.
        let e = error_of(&dir, &good.replacen(",price,", ",prices,", 1));
        assert_eq!(
            e,
            format!("{file}:1: no column `price` in the series file's header")
        );
        assert_eq!(
            error_of(&dir, ""),
            format!("{file}:1: no column `day` in the series file's header")
        );
        // A torn last row, without its line break (the file's end gives no day either).
        let torn = format!("{good}200,0.027,2,sn-2,me");
        assert_eq!(
            error_of(&dir, &torn),
            format!("{file}:5: 5 cells where the header has 14 (a torn or malformed row)")
        );
        // A torn row inside the file.
        let inner: String = good
            .lines()
            .enumerate()
            .map(|(k, l)| format!("{}\n", if k == 2 { &l[..10] } else { l }))
            .collect();
        assert_eq!(
            error_of(&dir, &inner),
            format!("{file}:3: 2 cells where the header has 14 (a torn or malformed row)")
        );
        // A cell that is not a number.
        let text = good.replacen(",0.7,0.7,", ",abc,0.7,", 1);
        assert_eq!(
            error_of(&dir, &text),
            format!("{file}:3: `abc` is not a number (column `price`)")
        );
        // Days out of order.
        let mut late = good.clone();
        row(&mut late, 150, 2, "meme", 0.7, 0.2);
        assert!(
            error_of(&dir, &late)
                .starts_with(&format!("{file}:5: day 0.020833333333333332 comes before")),
            "{}",
            error_of(&dir, &late)
        );
        // Values that are not finite, in either drawn column, in any spelling Rust parses
        // (1e400 overflows to inf): refused like a non-finite day.
        for (from, to, column) in [
            (",0.7,0.7,", ",NaN,0.7,", "price"),
            (",0.7,0.7,", ",inf,0.7,", "price"),
            (",0.7,0.7,", ",-infinity,0.7,", "price"),
            (",0.7,0.7,", ",1e400,0.7,", "price"),
            (",0.7,0.2,", ",0.7,NaN,", "emission_share"),
            (",0.7,0.2,", ",0.7,-inf,", "emission_share"),
        ] {
            let text = good.replacen(from, to, 1);
            assert_ne!(text, good, "{to}");
            let cell = to
                .split(',')
                .nth(if column == "price" { 1 } else { 2 })
                .unwrap();
            assert_eq!(
                error_of(&dir, &text),
                format!(
                    "{file}:3: {column} `{cell}` is not finite (the engine writes finite values: a damaged or edited series file)"
                )
            );
        }
        // A line without an end is not read whole.
        let long = format!("{HEADER}\n{}", "9".repeat(MAX_LINE + 10));
        assert!(error_of(&dir, &long).starts_with(&format!("{file}:2: a line longer than")));
        // The good file, with blank lines and CRLF line ends, reads.
        let crlf = format!("{}\r\n\r\n", good.replace('\n', "\r\n"));
        fs::write(dir.join("m.csv"), crlf).unwrap();
        let read = read_series(&dir.join("m.csv")).unwrap();
        assert_eq!(read.subnets["1"].price, vec![0.5, 0.6]);
        assert_eq!(read.subnets["2"].emission_share, vec![0.2]);
        // A header alone: no subnets, no error (the callers say why there is no chart).
        fs::write(dir.join("m.csv"), format!("{HEADER}\n")).unwrap();
        let empty = read_series(&dir.join("m.csv")).unwrap();
        assert!(empty.subnets.is_empty() && empty.reduction.is_none());
        fs::remove_dir_all(&dir).unwrap();
    }
}
