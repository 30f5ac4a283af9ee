//! The page of a comparison (`tourney compare … --out DIR` → `DIR/compare.html`): one verdict
//! row per compared pair (equilibrium and no-value share, before → after), then per pair the
//! heatmap of Δ payoffs and the sortable pairing and strategy tables with Welch intervals.

use std::fs;
use std::path::{Path, PathBuf};

use super::{anchor, Block, Cell, Page, Section, Table, VerdictRow};
use crate::compare::{header_lines, Comparison};
use crate::plot::matrix_heatmap;
use crate::ReportError;

fn comparison_id(c: &Comparison) -> String {
    anchor(&[
        "cmp",
        &c.baseline.label,
        &c.baseline.mechanism,
        &c.baseline.schedule,
        &c.variant.label,
        &c.variant.mechanism,
        &c.variant.schedule,
    ])
}

fn title_of(c: &Comparison) -> String {
    format!("{}  vs  {}", c.variant.name(), c.baseline.name())
}

/// One row per comparison: what changed at equilibrium.
pub fn comparison_verdict_rows(comparisons: &[Comparison]) -> Vec<VerdictRow> {
    comparisons
        .iter()
        .map(|c| VerdictRow {
            game: title_of(c),
            evidence: Some(comparison_id(c)),
            kind: "comparison".into(),
            text: header_lines(c).join("; "),
            confidence: Some(format!(
                "{} of {} pairing Δ and {} of {} strategy Δ exclude 0 (95 % Welch)",
                c.pairings.iter().filter(|p| p.significant).count(),
                c.pairings.len(),
                c.strategies.iter().filter(|s| s.significant).count(),
                c.strategies.len()
            )),
        })
        .collect()
}

fn delta_heatmap(c: &Comparison) -> Option<Block> {
    let mut names: Vec<String> = c
        .pairings
        .iter()
        .flat_map(|p| [p.entrant.clone(), p.opponent.clone()])
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return None;
    }
    let index = |s: &str| names.iter().position(|n| n == s).unwrap_or(0);
    let mut values = vec![vec![f64::NAN; names.len()]; names.len()];
    for p in &c.pairings {
        values[index(&p.entrant)][index(&p.opponent)] = p.delta_tao;
    }
    Some(Block::Figure {
        class: "heatmap".into(),
        svg: matrix_heatmap(
            &format!("Δ mean profit (TAO) of row vs column — {}", title_of(c)),
            &names,
            &values,
            "Δ mean profit (TAO)",
        ),
        caption: "Each cell: the row strategy's mean profit against the column strategy in the variant minus in the baseline (lighter = the variant pays the row strategy more; grey = not played on both sides).".into(),
    })
}

fn comparison_section(c: &Comparison) -> Section {
    let mut blocks = vec![Block::List(header_lines(c))];
    blocks.extend(delta_heatmap(c));
    let yes_no = |b: bool| Cell::text(if b { "yes" } else { "no" });
    blocks.push(Block::Table(Table {
        caption: Some(
            "Pairings: Δ = variant − baseline, 95 % Welch interval (click a header to sort)".into(),
        ),
        headers: [
            "entrant",
            "opponent",
            "baseline mean TAO",
            "variant mean TAO",
            "Δ TAO",
            "std error TAO",
            "df",
            "CI low TAO",
            "CI high TAO",
            "excludes 0",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: c
            .pairings
            .iter()
            .map(|p| {
                vec![
                    Cell::text(&p.entrant),
                    Cell::text(&p.opponent),
                    Cell::num(p.baseline_mean_tao, 3),
                    Cell::num(p.variant_mean_tao, 3),
                    Cell::num(p.delta_tao, 3),
                    Cell::num(p.std_error_tao, 3),
                    Cell::num(p.df, 1),
                    Cell::num(p.ci_low_tao, 3),
                    Cell::num(p.ci_high_tao, 3),
                    yes_no(p.significant),
                ]
            })
            .collect(),
        sortable: true,
    }));
    blocks.push(Block::Table(Table {
        caption: Some("Strategies: Δ mean profit and rank (click a header to sort)".into()),
        headers: [
            "entrant",
            "format",
            "baseline mean TAO",
            "variant mean TAO",
            "Δ TAO",
            "CI low TAO",
            "CI high TAO",
            "excludes 0",
            "baseline rank",
            "variant rank",
            "rank change",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: c
            .strategies
            .iter()
            .map(|s| {
                vec![
                    Cell::text(&s.entrant),
                    Cell::text(&s.format),
                    Cell::num(s.baseline_mean_tao, 3),
                    Cell::num(s.variant_mean_tao, 3),
                    Cell::num(s.delta_tao, 3),
                    Cell::num(s.ci_low_tao, 3),
                    Cell::num(s.ci_high_tao, 3),
                    yes_no(s.significant),
                    Cell::int(s.baseline_rank as i64),
                    Cell::int(s.variant_rank as i64),
                    Cell::int(s.rank_change),
                ]
            })
            .collect(),
        sortable: true,
    }));
    Section {
        id: comparison_id(c),
        heading: title_of(c),
        blocks,
    }
}

/// The comparison page; `sources` names the compared result directories.
pub fn compare_page(comparisons: &[Comparison], sources: &[PathBuf]) -> Page {
    let rows = comparison_verdict_rows(comparisons);
    let mut verdicts = vec![Block::Paragraph(
        "Δ = variant − baseline. Per compared pair: the selected equilibrium and the share of emission that funded no value, before → after; follow a pair's name to its evidence.".into(),
    )];
    if rows.is_empty() {
        verdicts.push(Block::Paragraph("Nothing to compare.".into()));
    } else {
        verdicts.push(Block::Verdicts(rows));
    }
    let mut sections = vec![Section {
        id: "verdicts".into(),
        heading: "Verdicts".into(),
        blocks: verdicts,
    }];
    sections.extend(comparisons.iter().map(comparison_section));
    Page {
        title: "Comparison".into(),
        subtitle: format!(
            "{} compared pairs from {}",
            comparisons.len(),
            sources
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        sections,
    }
}

/// Writes `out_dir/compare.html`.
pub fn write_compare_page(
    comparisons: &[Comparison],
    sources: &[PathBuf],
    out_dir: &Path,
) -> Result<PathBuf, ReportError> {
    let path = out_dir.join("compare.html");
    fs::write(&path, compare_page(comparisons, sources).render())
        .map_err(|e| ReportError::io(&path, e))?;
    Ok(path)
}
