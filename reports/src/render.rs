//! Text renderings: aligned terminal tables, the Markdown `summary.md`, `equilibria.csv`.
//! All numbers go through [`num`] (fixed decimals, "–" for missing), so output is stable.

use std::fmt::Write;

use crate::meta::describe_mix;
use crate::ReportSet;

/// Fixed-decimal formatting; "–" for NaN, "∞"/"-∞" for infinities, never "-0.00".
pub fn num(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "–".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞".into() } else { "-∞".into() };
    }
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A table as aligned plain text: first column left-aligned, the others right-aligned.
pub fn text_table(headers: &[String], rows: &[Vec<String>]) -> String {
    let n = headers.len();
    let mut width: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate().take(n) {
            let pad = width[i] - c.chars().count();
            if i > 0 {
                s.push_str("  ");
            }
            if i == 0 {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            } else {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers);
    out.push_str(&line(
        &width.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

/// A table in GitHub Markdown.
pub fn markdown_table(headers: &[String], rows: &[Vec<String>]) -> String {
    let esc = |s: &String| s.replace('|', "\\|");
    let mut out = format!(
        "| {} |\n",
        headers.iter().map(esc).collect::<Vec<_>>().join(" | ")
    );
    out.push_str(&format!(
        "|{}|\n",
        headers
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { " --- " } else { " ---: " })
            .collect::<Vec<_>>()
            .join("|")
    ));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(esc).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

fn h(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

type Table = (Vec<String>, Vec<Vec<String>>);

/// Payoff matrix of one (mechanism, schedule): "mean ± half-width" per cell.
fn payoff_table(set: &ReportSet, mechanism: &str, schedule: &str) -> Option<Table> {
    let cells = set.tables.payoff_cells(mechanism, schedule);
    if cells.is_empty() {
        return None;
    }
    let mut names: Vec<String> = cells
        .iter()
        .flat_map(|c| [c.entrant.clone(), c.opponent.clone()])
        .collect();
    names.sort();
    names.dedup();
    let mut headers = vec!["row vs column (TAO)".to_string()];
    headers.extend(names.iter().cloned());
    let rows = names
        .iter()
        .map(|r| {
            let mut row = vec![r.clone()];
            for c in &names {
                row.push(
                    match cells.iter().find(|x| &x.entrant == r && &x.opponent == c) {
                        Some(x) => {
                            let half = 0.5 * (x.ci_high_tao - x.ci_low_tao);
                            format!("{} ± {}", num(x.mean_profit_tao, 3), num(half, 3))
                        }
                        None => "–".to_string(),
                    },
                );
            }
            row
        })
        .collect();
    Some((headers, rows))
}

fn summary_table(set: &ReportSet, mechanism: &str, schedule: &str) -> Table {
    let headers = h(&[
        "entrant",
        "format",
        "rank",
        "mean TAO",
        "median TAO",
        "std TAO",
        "wins",
        "matches",
        "errors",
        "emission TAO",
        "ROI",
    ]);
    let mut rows: Vec<_> = set
        .tables
        .summary
        .iter()
        .filter(|r| r.mechanism == mechanism && r.schedule == schedule)
        .collect();
    rows.sort_by(|a, b| a.format.cmp(&b.format).then(a.rank.cmp(&b.rank)));
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                r.entrant.clone(),
                r.format.clone(),
                r.rank.to_string(),
                num(r.mean_profit_tao, 3),
                num(r.median_profit_tao, 3),
                num(r.std_profit_tao, 3),
                r.wins.to_string(),
                r.matches.to_string(),
                r.errors.to_string(),
                num(r.mean_emission_captured_tao, 3),
                num(r.mean_roi, 4),
            ]
        })
        .collect();
    (headers, rows)
}

fn network_table(set: &ReportSet) -> Table {
    let headers = h(&[
        "mechanism / schedule",
        "matches",
        "errors",
        "value %",
        "meme %",
        "off-topic %",
        "idle %",
        "no value %",
        "value per TAO",
        "peak meme %",
        "largest crash %",
        "worst crash %",
    ]);
    let rows = set
        .tables
        .network
        .iter()
        .map(|r| {
            vec![
                format!("{} / {}", r.mechanism, r.schedule),
                r.matches.to_string(),
                r.errors.to_string(),
                num(100.0 * r.emission_value_share, 1),
                num(100.0 * r.emission_meme_share, 1),
                num(100.0 * r.emission_offtopic_share, 1),
                num(100.0 * r.emission_idle_share, 1),
                num(100.0 * r.emission_no_value_share, 1),
                num(r.value_per_tao_emitted, 3),
                num(100.0 * r.peak_meme_share, 1),
                num(100.0 * r.largest_crash, 1),
                num(100.0 * r.largest_crash_max, 1),
            ]
        })
        .collect();
    (headers, rows)
}

fn meta_table(set: &ReportSet, mechanism: &str, schedule: &str) -> Option<Table> {
    let g = set
        .games
        .iter()
        .find(|g| g.mechanism == mechanism && g.schedule == schedule)?;
    let m = g.meta.as_ref()?;
    let best = m.equilibria.as_ref().and_then(|s| s.best());
    let headers = h(&[
        "strategy",
        "best eq. share",
        "regret TAO",
        "replicator",
        "replicator avg",
        "α-Rank mass",
        "α-Rank",
    ]);
    let rows = m
        .game
        .strategies
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let rank = m
                .alpha_rank
                .ranking
                .iter()
                .position(|&k| k == i)
                .map(|r| r + 1);
            vec![
                s.clone(),
                best.map(|b| num(b.mix[i], 3)).unwrap_or_else(|| "–".into()),
                num(m.regret[i], 3),
                num(m.replicator.final_mix[i], 3),
                num(m.replicator.average_mix[i], 3),
                num(m.alpha_rank.stationary[i], 3),
                rank.map(|r| r.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    Some((headers, rows))
}

fn keys(set: &ReportSet) -> Vec<(String, String)> {
    set.verdicts
        .iter()
        .map(|v| (v.mechanism.clone(), v.schedule.clone()))
        .collect()
}

pub(crate) fn equilibria_lines(set: &ReportSet, mechanism: &str, schedule: &str) -> Vec<String> {
    let Some(g) = set
        .games
        .iter()
        .find(|g| g.mechanism == mechanism && g.schedule == schedule)
    else {
        return vec![];
    };
    let Some(m) = &g.meta else {
        return vec![format!(
            "no meta-game: {}",
            g.note.clone().unwrap_or_default()
        )];
    };
    let Some(eqs) = &m.equilibria else {
        return vec![format!(
            "no equilibrium search: {}",
            m.nash_error.clone().unwrap_or_default()
        )];
    };
    let mut lines = vec![format!(
        "{} symmetric equilibri{} (extreme points) in {} component{}{}",
        eqs.equilibria.len(),
        if eqs.equilibria.len() == 1 { "um" } else { "a" },
        eqs.components,
        if eqs.components == 1 { "" } else { "s" },
        if eqs.continuum {
            "; some components are continua: every mix on the segments joining their extreme points is an equilibrium too"
        } else {
            ""
        }
    )];
    for e in &eqs.equilibria {
        lines.push(format!(
            "component {}: {} — payoff {} TAO",
            e.component,
            describe_mix(&m.game.strategies, &e.mix),
            num(e.payoff, 3)
        ));
    }
    lines.push(format!(
        "replicator dynamics from the uniform mix: {} ({}; t = {})",
        describe_mix(&m.game.strategies, &m.replicator.final_mix),
        if m.replicator.converged {
            "rest point".to_string()
        } else {
            format!(
                "still moving, time average {}",
                describe_mix(&m.game.strategies, &m.replicator.average_mix)
            )
        },
        num(m.replicator.time, 1)
    ));
    lines.push(format!(
        "α-Rank (α = {}, m = {}): {}",
        m.alpha_rank.alpha,
        m.alpha_rank.population_size,
        m.alpha_rank
            .ranking
            .iter()
            .map(|&i| format!(
                "{} {}",
                m.game.strategies[i],
                num(m.alpha_rank.stationary[i], 3)
            ))
            .collect::<Vec<_>>()
            .join(" > ")
    ));
    lines
}

/// The report for a terminal.
pub fn terminal(set: &ReportSet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "== Verdicts ==");
    for v in &set.verdicts {
        let _ = writeln!(out, "{}", v.line());
    }
    for line in role_verdicts(set) {
        let _ = writeln!(out, "{line}");
    }
    for c in &set.roles {
        let (mech, sched) = (c.mechanism(), c.schedule());
        let _ = writeln!(out, "\n== {mech} / {sched} (roles) ==");
        let (hd, rows) = summary_table(set, mech, sched);
        if !rows.is_empty() {
            let _ = writeln!(out, "Strategies (ranked within their role):");
            out.push_str(&text_table(&hd, &rows));
        }
        let _ = writeln!(out, "\nRole game (payoff: TAO profit per player at the role's capital; weights and support over {} bootstrap resamples):", c.options.resamples);
        out.push_str(&crate::role_games::write::cell_terminal(c));
    }
    for (mech, sched) in keys(set) {
        let _ = writeln!(out, "\n== {mech} / {sched} ==");
        if let Some((hd, rows)) = payoff_table(set, &mech, &sched) {
            let _ = writeln!(
                out,
                "Payoff matrix: mean profit of the row strategy against the column strategy, ± half {} % CI",
                num(100.0 * set.level, 0)
            );
            out.push_str(&text_table(&hd, &rows));
        }
        let (hd, rows) = summary_table(set, &mech, &sched);
        if !rows.is_empty() {
            let _ = writeln!(out, "\nStrategies:");
            out.push_str(&text_table(&hd, &rows));
        }
        if let Some((hd, rows)) = meta_table(set, &mech, &sched) {
            let _ = writeln!(out, "\nMeta-game:");
            out.push_str(&text_table(&hd, &rows));
        }
        for l in equilibria_lines(set, &mech, &sched) {
            let _ = writeln!(out, "  {l}");
        }
    }
    let (hd, rows) = network_table(set);
    if !rows.is_empty() {
        let _ = writeln!(out, "\n== Network ==");
        out.push_str(&text_table(&hd, &rows));
    }
    out.push_str(&crate::role_games::write::network_terminal(
        &set.role_network,
    ));
    out
}

/// The role verdict lines, each with the all-matches no-value share beside the equilibrium's.
pub fn role_verdicts(set: &ReportSet) -> Vec<String> {
    set.roles
        .iter()
        .map(|c| {
            let all = set
                .tables
                .network
                .iter()
                .find(|r| r.mechanism == c.mechanism() && r.schedule == c.schedule())
                .filter(|r| r.matches > 0)
                .map(|r| r.emission_no_value_share);
            crate::role_games::verdict_line(c, all)
        })
        .collect()
}

/// `summary.md`.
pub fn markdown(set: &ReportSet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Tournament report\n");
    let _ = writeln!(out, "## Verdicts\n");
    for v in &set.verdicts {
        let _ = writeln!(out, "- {}", v.line());
    }
    for line in role_verdicts(set) {
        let _ = writeln!(out, "- {line}");
    }
    for c in &set.roles {
        let _ = writeln!(
            out,
            "\n## {} / {} (roles)\n\n```text\n{}```",
            c.mechanism(),
            c.schedule(),
            crate::role_games::write::cell_terminal(c)
        );
    }
    let (hd, rows) = network_table(set);
    if !rows.is_empty() {
        let _ = writeln!(out, "\n## Network\n");
        let _ = writeln!(
            out,
            "Share of subnet emission by subnet class (means over the matches played; `errors`: matches that could not be played, left out); \"no value\" = 1 − value share.\n"
        );
        out.push_str(&markdown_table(&hd, &rows));
    }
    for (mech, sched) in keys(set) {
        let _ = writeln!(out, "\n## {mech} / {sched}\n");
        if let Some((hd, rows)) = payoff_table(set, &mech, &sched) {
            let _ = writeln!(
                out,
                "Payoff matrix (TAO): mean profit of the row strategy against the column strategy, ± half the {} % t interval across repetitions.\n",
                num(100.0 * set.level, 0)
            );
            out.push_str(&markdown_table(&hd, &rows));
        }
        let (hd, rows) = summary_table(set, &mech, &sched);
        if !rows.is_empty() {
            let _ = writeln!(out, "\nStrategies:\n");
            out.push_str(&markdown_table(&hd, &rows));
        }
        if let Some((hd, rows)) = meta_table(set, &mech, &sched) {
            let _ = writeln!(out, "\nMeta-game:\n");
            out.push_str(&markdown_table(&hd, &rows));
        }
        let lines = equilibria_lines(set, &mech, &sched);
        if !lines.is_empty() {
            out.push('\n');
            for l in lines {
                let _ = writeln!(out, "- {l}");
            }
        }
    }
    out
}

/// One line per extreme equilibrium: mechanism, schedule, component, payoff, then one column
/// per strategy (its probability), as "strategy=probability" pairs in a single field.
pub fn equilibria_csv(set: &ReportSet) -> String {
    let mut out = String::from("mechanism,schedule,component,payoff_tao,support,mix,mix_exact\n");
    for g in &set.games {
        let Some(m) = &g.meta else { continue };
        let Some(eqs) = &m.equilibria else { continue };
        for e in &eqs.equilibria {
            let support: Vec<&str> = e
                .support
                .iter()
                .map(|&i| m.game.strategies[i].as_str())
                .collect();
            let mix: Vec<String> = m
                .game
                .strategies
                .iter()
                .zip(&e.mix)
                .map(|(s, p)| format!("{s}={}", num(*p, 9)))
                .collect();
            let exact: Vec<String> = m
                .game
                .strategies
                .iter()
                .zip(&e.mix_exact)
                .map(|(s, p)| format!("{s}={p}"))
                .collect();
            let q = |s: String| format!("\"{}\"", s.replace('"', "\"\""));
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{}",
                q(g.mechanism.clone()),
                q(g.schedule.clone()),
                e.component,
                num(e.payoff, 9),
                q(support.join(" ")),
                q(mix.join(" ")),
                q(exact.join(" "))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable() {
        assert_eq!(num(1.23456, 3), "1.235");
        assert_eq!(num(-0.0001, 2), "0.00");
        assert_eq!(num(f64::NAN, 2), "–");
        assert_eq!(num(-2.5, 1), "-2.5");
    }

    #[test]
    fn text_table_aligns() {
        let t = text_table(&h(&["a", "bb"]), &[vec!["xyz".into(), "1".into()]]);
        assert_eq!(t, "a    bb\n---  --\nxyz   1\n");
    }
}
