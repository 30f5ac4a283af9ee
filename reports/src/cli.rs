//! The `tourney report | compare | plot` commands as library functions taking plain arguments;
//! the binary only parses arguments, calls these, prints the returned text and maps errors to
//! exit codes with [`exit_code`].

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::*;

use crate::compare::{self, CompareBy};
use crate::{build_reports, plot, write_frame, write_reports, ReportError, ReportOptions};

/// Exit code for an error: 2 for bad input or usage, 1 when the work itself failed.
pub fn exit_code(error: &ReportError) -> i32 {
    match error {
        ReportError::NoRawTable(_)
        | ReportError::MissingColumn { .. }
        | ReportError::Invalid(_) => 2,
        ReportError::Png { .. } => 1,
        ReportError::Polars(_) | ReportError::Io { .. } => 1,
    }
}

/// Where reports go by default: `<result_dir>/reports`.
pub fn default_out_dir(result_dir: &Path) -> PathBuf {
    result_dir.join("reports")
}

/// What [`report_command`] did: the terminal rendering followed by the list of files written
/// (for stdout), and warnings (for stderr), one line each without a `warning:` prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOutput {
    pub text: String,
    /// What the page shows in place of charts it could not draw: a series file that cannot be
    /// read (file:line and reason). The page and reports are written all the same.
    pub warnings: Vec<String>,
}

/// `tourney report DIR [--out OUT] [--no-plots] [--png]`: rebuilds every report of a result
/// directory, writes them and the page `index.html` to `out` (default `DIR/reports`) and
/// returns the terminal rendering followed by the list of files written, and warnings.
pub fn report_command(
    dir: &Path,
    out: Option<&Path>,
    options: &ReportOptions,
) -> Result<ReportOutput, ReportError> {
    let set = build_reports(dir, options)?;
    let out_dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_out_dir(dir));
    let written = write_reports(&set, &out_dir, options)?;
    let (page, warnings) = crate::html::write_report_page(&set, dir, &out_dir)?;
    let mut text = crate::render::terminal(&set);
    text.push_str(&format!(
        "\nwrote {} files to {}; open {}\n",
        written.len() + 1,
        out_dir.display(),
        page.display()
    ));
    Ok(ReportOutput { text, warnings })
}

/// `tourney compare DIR --by mechanism|schedule [--baseline NAME]` (one directory) or
/// `tourney compare A B` (two directories, key by key; Δ = B − A). Writes `compare.md`,
/// `compare_pairings.{parquet,csv}`, `compare_strategies.{parquet,csv}` and the page
/// `compare.html` to `out` (default `reports/` of the last directory) and returns the terminal
/// rendering.
pub fn compare_command(
    dirs: &[PathBuf],
    by: Option<CompareBy>,
    baseline: Option<&str>,
    out: Option<&Path>,
    options: &ReportOptions,
) -> Result<String, ReportError> {
    let role_comparisons: Vec<crate::role_games::compare::RoleComparison>;
    let comparisons =
        match dirs {
            [dir] => {
                let set = build_reports(dir, options)?;
                let by = by.unwrap_or(CompareBy::Mechanism);
                // The names `--baseline` may take: the varied mechanisms (or schedules) of the
                // round-robin verdicts and of the role games. Each half compares against a
                // baseline it has; a half without it compares nothing.
                let varied = |mechanism: &str, schedule: &str| match by {
                    CompareBy::Mechanism => mechanism.to_string(),
                    CompareBy::Schedule => schedule.to_string(),
                };
                let round_robin: BTreeSet<String> = set
                    .verdicts
                    .iter()
                    .map(|v| varied(&v.mechanism, &v.schedule))
                    .collect();
                let roles: BTreeSet<String> = set
                    .roles
                    .iter()
                    .map(|c| varied(c.mechanism(), c.schedule()))
                    .collect();
                if let Some(b) = baseline {
                    if !round_robin.contains(b) && !roles.contains(b) {
                        let names: BTreeSet<&String> = round_robin.union(&roles).collect();
                        let names: Vec<&str> = names.into_iter().map(String::as_str).collect();
                        return Err(ReportError::Invalid(if names.is_empty() {
                            format!("baseline `{b}` is not in the results: they are empty")
                        } else {
                            format!(
                                "baseline `{b}` is not in the results (hint: one of {})",
                                names.join(", ")
                            )
                        }));
                    }
                }
                let lacks = |names: &BTreeSet<String>| baseline.is_some_and(|b| !names.contains(b));
                role_comparisons = if lacks(&roles) {
                    Vec::new()
                } else {
                    crate::role_games::compare::compare_within(
                        &set.roles,
                        by,
                        baseline,
                        &options.roles(),
                    )?
                };
                if (set.verdicts.is_empty() && !set.roles.is_empty()) || lacks(&round_robin) {
                    Vec::new()
                } else {
                    compare::compare_within(&set, by, baseline)?
                }
            }
            [a, b] => {
                let label = |p: &Path| {
                    p.file_name()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_else(|| p.display().to_string())
                };
                let sa = build_reports(a, options)?;
                let sb = build_reports(b, options)?;
                // Role games key by key: B's equilibrium against A's.
                role_comparisons = sa
                    .roles
                    .iter()
                    .filter_map(|ca| {
                        let cb = sb.roles.iter().find(|c| {
                            c.mechanism() == ca.mechanism() && c.schedule() == ca.schedule()
                        })?;
                        let mut c =
                            crate::role_games::compare::compare_cells(ca, cb, &options.roles())?;
                        c.baseline.0 = format!("{}: {}", label(a), c.baseline.0);
                        c.variant.0 = format!("{}: {}", label(b), c.variant.0);
                        Some(c)
                    })
                    .collect();
                compare::compare_sets(&sa, &label(a), &sb, &label(b))
            }
            _ => return Err(ReportError::Invalid(
                "compare takes one result directory (with --by) or two (hint: tourney compare A B)"
                    .into(),
            )),
        };
    let last = dirs.last().map(PathBuf::as_path).unwrap_or(Path::new("."));
    let out_dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_out_dir(last));
    fs::create_dir_all(&out_dir).map_err(|e| ReportError::io(&out_dir, e))?;
    let md = out_dir.join("compare.md");
    let mut markdown = crate::role_games::compare::render_markdown(&role_comparisons);
    if !comparisons.is_empty() || role_comparisons.is_empty() {
        markdown.push_str(&compare::render_markdown(&comparisons));
    }
    fs::write(&md, markdown).map_err(|e| ReportError::io(&md, e))?;
    write_frame(
        &out_dir,
        "compare_pairings",
        &mut compare_pairings_frame(&comparisons)?,
    )?;
    write_frame(
        &out_dir,
        "compare_strategies",
        &mut compare_strategies_frame(&comparisons)?,
    )?;
    let page = crate::html::write_compare_page(&comparisons, dirs, &out_dir)?;
    let mut text = crate::role_games::compare::render_terminal(&role_comparisons);
    if !comparisons.is_empty() || role_comparisons.is_empty() {
        text.push_str(&compare::render_terminal(&comparisons));
    }
    text.push_str(&format!(
        "wrote compare.md and tables to {}; open {}\n",
        out_dir.display(),
        page.display()
    ));
    Ok(text)
}

fn variant_name(v: &compare::Variant) -> String {
    if v.label.is_empty() {
        format!("{}/{}", v.mechanism, v.schedule)
    } else {
        format!("{}:{}/{}", v.label, v.mechanism, v.schedule)
    }
}

fn compare_pairings_frame(cs: &[compare::Comparison]) -> Result<DataFrame, ReportError> {
    let rows: Vec<(String, String, &compare::PairingDelta)> = cs
        .iter()
        .flat_map(|c| {
            c.pairings
                .iter()
                .map(move |p| (variant_name(&c.baseline), variant_name(&c.variant), p))
        })
        .collect();
    Ok(DataFrame::new_infer_height(vec![
        column!(rows, "baseline", |r| r.0.clone()),
        column!(rows, "variant", |r| r.1.clone()),
        column!(rows, "entrant", |r| r.2.entrant.clone()),
        column!(rows, "opponent", |r| r.2.opponent.clone()),
        column!(rows, "baseline_mean_tao", |r| r.2.baseline_mean_tao),
        column!(rows, "variant_mean_tao", |r| r.2.variant_mean_tao),
        column!(rows, "delta_tao", |r| r.2.delta_tao),
        column!(rows, "std_error_tao", |r| r.2.std_error_tao),
        column!(rows, "df", |r| r.2.df),
        column!(rows, "ci_low_tao", |r| r.2.ci_low_tao),
        column!(rows, "ci_high_tao", |r| r.2.ci_high_tao),
        column!(rows, "significant", |r| r.2.significant),
    ])?)
}

fn compare_strategies_frame(cs: &[compare::Comparison]) -> Result<DataFrame, ReportError> {
    let rows: Vec<(String, String, &compare::StrategyDelta)> = cs
        .iter()
        .flat_map(|c| {
            c.strategies
                .iter()
                .map(move |p| (variant_name(&c.baseline), variant_name(&c.variant), p))
        })
        .collect();
    Ok(DataFrame::new_infer_height(vec![
        column!(rows, "baseline", |r| r.0.clone()),
        column!(rows, "variant", |r| r.1.clone()),
        column!(rows, "format", |r| r.2.format.clone()),
        column!(rows, "entrant", |r| r.2.entrant.clone()),
        column!(rows, "baseline_mean_tao", |r| r.2.baseline_mean_tao),
        column!(rows, "variant_mean_tao", |r| r.2.variant_mean_tao),
        column!(rows, "delta_tao", |r| r.2.delta_tao),
        column!(rows, "df", |r| r.2.df),
        column!(rows, "ci_low_tao", |r| r.2.ci_low_tao),
        column!(rows, "ci_high_tao", |r| r.2.ci_high_tao),
        column!(rows, "significant", |r| r.2.significant),
        column!(rows, "baseline_rank", |r| r.2.baseline_rank as u64),
        column!(rows, "variant_rank", |r| r.2.variant_rank as u64),
        column!(rows, "rank_change", |r| r.2.rank_change),
    ])?)
}

/// `tourney plot DIR [--match ID] [--out OUT] [--png]`: the report plots (payoff heatmaps,
/// emission bars) and, with `match_id`, the time-series plot of that match. Returns the files
/// written (default directory `DIR/reports/plots`).
pub fn plot_command(
    dir: &Path,
    match_id: Option<&str>,
    out: Option<&Path>,
    png: bool,
) -> Result<Vec<PathBuf>, ReportError> {
    let out_dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_out_dir(dir).join("plots"));
    let mut svgs = match match_id {
        Some(id) => vec![plot::write_match_plot(dir, id, &out_dir)?],
        None => {
            let set = build_reports(dir, &ReportOptions::default())?;
            plot::write_report_plots(&set, &out_dir)?
        }
    };
    if png {
        let pngs = plot::png_siblings(&svgs)?;
        svgs.extend(pngs);
    }
    Ok(svgs)
}

/// A synthetic raw table of `rows` rows (rounded down to whole matches) following the
/// contract: 8 entrants in round-robin (self-play included), 3 mechanisms × 2 schedules,
/// deterministic pseudo-random payoffs, 0.5 % error rows, in plan order with `match_index` as
/// `tourney` writes it (a table without it takes the reports' slower sorting path).
pub fn synthetic_raw(rows: usize, seed: u64) -> Result<DataFrame, ReportError> {
    let entrants: Vec<String> = (0..8).map(|i| format!("strategy-{i}")).collect();
    let mechanisms = ["dtao-price", "taoflow", "legacy-root"];
    let schedules = ["native", "constant-0.95"];
    let mut pairings = Vec::new();
    for i in 0..entrants.len() {
        for j in i..entrants.len() {
            pairings.push((i, j));
        }
    }
    let combos = mechanisms.len() * schedules.len() * pairings.len();
    let matches = rows / 2;
    let n = matches * 2;
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut c_index: Vec<u64> = Vec::with_capacity(n);
    let mut c_match = Vec::with_capacity(n);
    let mut c_format = Vec::with_capacity(n);
    let mut c_mech = Vec::with_capacity(n);
    let mut c_sched = Vec::with_capacity(n);
    let mut c_rep = Vec::with_capacity(n);
    let mut c_seed = Vec::with_capacity(n);
    let mut c_ent = Vec::with_capacity(n);
    let mut c_opp = Vec::with_capacity(n);
    let mut c_slot = Vec::with_capacity(n);
    let mut c_status = Vec::with_capacity(n);
    let mut c_reason = Vec::with_capacity(n);
    let mut f: Vec<Vec<f64>> = (0..14).map(|_| Vec::with_capacity(n)).collect();
    for m in 0..matches {
        let combo = m % combos;
        let rep = (m / combos) as u32;
        let p = combo % pairings.len();
        let s = (combo / pairings.len()) % schedules.len();
        let k = combo / (pairings.len() * schedules.len());
        let (i, j) = pairings[p];
        let match_id = format!(
            "{}-{}-{}-{}-{rep}",
            mechanisms[k], schedules[s], entrants[i], entrants[j]
        );
        let value_share = 0.3 + 0.1 * k as f64 + 0.05 * next();
        let meme = 0.2 * next();
        let offtopic = 0.1 * next();
        let network = [
            1000.0,
            value_share,
            meme,
            offtopic,
            500.0 * next(),
            0.5 * next(),
            meme + 0.1 * next(),
            0.6 * next(),
        ];
        for (slot, (me, other)) in [(i, j), (j, i)].into_iter().enumerate() {
            let base =
                10.0 * (me as f64 - other as f64) + 3.0 * k as f64 - (me * other) as f64 * 0.5;
            let profit = base + 20.0 * (next() - 0.5);
            let errored = next() < 0.005;
            c_index.push(m as u64);
            c_match.push(match_id.clone());
            c_format.push("round-robin");
            c_mech.push(mechanisms[k]);
            c_sched.push(schedules[s]);
            c_rep.push(rep);
            c_seed.push(seed.wrapping_add(m as u64));
            c_ent.push(entrants[me].clone());
            c_opp.push(entrants[other].clone());
            c_slot.push(slot as u32);
            c_status.push(if errored { "error" } else { "ok" });
            c_reason.push(if errored { "panicked" } else { "" });
            let own = [
                profit,
                profit + 1.0,
                40.0 * next(),
                profit / 1000.0,
                30.0 * next(),
                1000.0,
                network[0],
                network[1],
                network[2],
                network[3],
                network[4],
                network[5],
                network[6],
                network[7],
            ];
            for (col, v) in f.iter_mut().zip(own) {
                col.push(v);
            }
        }
    }
    let names = [
        "profit_tao",
        "mark_to_market_tao",
        "emission_captured_tao",
        "roi",
        "max_drawdown_tao",
        "initial_capital_tao",
        "emission_total_tao",
        "emission_value_share",
        "emission_meme_share",
        "emission_offtopic_share",
        "value_created_tao",
        "value_per_tao_emitted",
        "peak_meme_share",
        "largest_crash",
    ];
    let mut columns = vec![
        Column::new("tournament".into(), vec!["bench"; n]),
        Column::new("match_index".into(), c_index),
        Column::new("match_id".into(), c_match),
        Column::new("format".into(), c_format),
        Column::new("mechanism".into(), c_mech),
        Column::new("schedule".into(), c_sched),
        Column::new("repetition".into(), c_rep),
        Column::new("seed".into(), c_seed),
        Column::new("entrant".into(), c_ent),
        Column::new("opponent".into(), c_opp),
        Column::new("slot".into(), c_slot),
        Column::new("status".into(), c_status),
        Column::new("reason".into(), c_reason),
    ];
    for (name, values) in names.iter().zip(f) {
        columns.push(Column::new((*name).into(), values));
    }
    Ok(DataFrame::new_infer_height(columns)?)
}

/// `tourney report --bench [ROWS]`: writes a synthetic raw table of `rows` rows to
/// `work_dir/raw.parquet` (default: a fresh directory under the system temp dir), then times
/// [`build_reports`] and [`write_reports`] on it. Returns a one-paragraph account.
pub fn bench_command(rows: usize, work_dir: Option<&Path>) -> Result<String, ReportError> {
    let dir = match work_dir {
        Some(d) => d.to_path_buf(),
        None => std::env::temp_dir().join(format!("tourney-reports-bench-{}", std::process::id())),
    };
    fs::create_dir_all(&dir).map_err(|e| ReportError::io(&dir, e))?;
    let t0 = Instant::now();
    let mut df = synthetic_raw(rows, 7)?;
    let raw_path = dir.join("raw.parquet");
    let file = fs::File::create(&raw_path).map_err(|e| ReportError::io(&raw_path, e))?;
    // Row groups of `BATCH_ROWS`, as `tourney run` writes raw.parquet: the reports read the
    // table a row group at a time.
    ParquetWriter::new(file)
        .with_row_group_size(Some(crate::raw_batches::BATCH_ROWS))
        .finish(&mut df)?;
    let generated = t0.elapsed();
    let options = ReportOptions::default();
    // The phases of build_reports, timed separately, then the whole call.
    let t = Instant::now();
    let tables =
        crate::tables::build_tables_of(&crate::raw_batches::RawTable::open(&dir)?, options.level)?;
    let tables_time = t.elapsed();
    let t = Instant::now();
    let _ = crate::games_of(&tables.payoff, &options.meta);
    let meta_time = t.elapsed();
    let t1 = Instant::now();
    let set = build_reports(&dir, &options)?;
    let built = t1.elapsed();
    let t2 = Instant::now();
    let written = write_reports(&set, &default_out_dir(&dir), &options)?;
    let wrote = t2.elapsed();
    Ok(format!(
        "bench: {} raw rows ({} games) in {}\n  generate + write raw.parquet: {:.3} s\n    tables (polars):            {:.3} s\n    meta-games:                 {:.3} s\n  build_reports:                {:.3} s\n  write_reports ({} files):     {:.3} s\n  total reports:                {:.3} s\n",
        df.height(),
        set.games.len(),
        dir.display(),
        generated.as_secs_f64(),
        tables_time.as_secs_f64(),
        meta_time.as_secs_f64(),
        built.as_secs_f64(),
        written.len(),
        wrote.as_secs_f64(),
        (built + wrote).as_secs_f64()
    ))
}
