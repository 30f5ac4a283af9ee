//! The raw long table: one row per match × entrant, the source of truth for every report.

use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One row (see `docs/reports.md` for the column contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RawRow {
    pub tournament: String,
    pub match_index: u32,
    pub match_id: String,
    pub format: String,
    pub mechanism: String,
    pub schedule: String,
    pub repetition: u32,
    pub seed: u64,
    pub entrant: String,
    pub opponent: String,
    pub slot: u32,
    pub status: String,
    pub reason: String,
    pub profit_tao: f64,
    pub mark_to_market_tao: f64,
    pub emission_captured_tao: f64,
    pub roi: f64,
    pub max_drawdown_tao: f64,
    pub initial_capital_tao: f64,
    pub revenue_tao: f64,
    pub costs_tao: f64,
    pub rejected_actions: u32,
    pub emission_total_tao: f64,
    pub emission_value_share: f64,
    pub emission_meme_share: f64,
    pub emission_offtopic_share: f64,
    pub value_created_tao: f64,
    pub value_per_tao_emitted: f64,
    pub peak_meme_share: f64,
    pub largest_crash: f64,
}

/// Column names, in order.
pub const COLUMNS: [&str; 30] = [
    "tournament",
    "match_index",
    "match_id",
    "format",
    "mechanism",
    "schedule",
    "repetition",
    "seed",
    "entrant",
    "opponent",
    "slot",
    "status",
    "reason",
    "profit_tao",
    "mark_to_market_tao",
    "emission_captured_tao",
    "roi",
    "max_drawdown_tao",
    "initial_capital_tao",
    "revenue_tao",
    "costs_tao",
    "rejected_actions",
    "emission_total_tao",
    "emission_value_share",
    "emission_meme_share",
    "emission_offtopic_share",
    "value_created_tao",
    "value_per_tao_emitted",
    "peak_meme_share",
    "largest_crash",
];

fn csv_text(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Rows sorted into the stable order (match index, slot).
pub fn sort_rows(rows: &mut [RawRow]) {
    rows.sort_by_key(|a| (a.match_index, a.slot));
}

/// The table as CSV, floats in Rust's shortest round-trip form: deterministic bytes.
pub fn to_csv(rows: &[RawRow]) -> String {
    let mut out = String::with_capacity(64 + rows.len() * 300);
    out.push_str(&COLUMNS.join(","));
    out.push('\n');
    for r in rows {
        csv_text(&mut out, &r.tournament);
        let _ = write!(out, ",{},", r.match_index);
        csv_text(&mut out, &r.match_id);
        out.push(',');
        csv_text(&mut out, &r.format);
        out.push(',');
        csv_text(&mut out, &r.mechanism);
        out.push(',');
        csv_text(&mut out, &r.schedule);
        let _ = write!(out, ",{},{},", r.repetition, r.seed);
        csv_text(&mut out, &r.entrant);
        out.push(',');
        csv_text(&mut out, &r.opponent);
        let _ = write!(out, ",{},", r.slot);
        csv_text(&mut out, &r.status);
        out.push(',');
        csv_text(&mut out, &r.reason);
        let _ = writeln!(
            out,
            ",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.profit_tao,
            r.mark_to_market_tao,
            r.emission_captured_tao,
            r.roi,
            r.max_drawdown_tao,
            r.initial_capital_tao,
            r.revenue_tao,
            r.costs_tao,
            r.rejected_actions,
            r.emission_total_tao,
            r.emission_value_share,
            r.emission_meme_share,
            r.emission_offtopic_share,
            r.value_created_tao,
            r.value_per_tao_emitted,
            r.peak_meme_share,
            r.largest_crash
        );
    }
    out
}
