//! The report page of one result directory: verdicts first, then the network at equilibrium,
//! then per (mechanism, schedule) the evidence (heatmap, strategies, meta-game) and the matches
//! behind the equilibrium, and last the run's manifest.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::context::{RunContext, SeriesRead};
use super::manifest::MAX_SEEDS_SHOWN;
use super::role_page::{role_game_section, role_network_section, role_verdict_rows};
use super::{anchor, summary_value_cells, Block, Cell, Page, Section, Table, VerdictRow};
use crate::meta::describe_mix;
use crate::plot::{emission_bars, match_series_plot, payoff_heatmap, EmissionBar};
use crate::render::{equilibria_lines, num};
use crate::{ReportError, ReportSet};

/// The id of the evidence section of one (mechanism, schedule).
pub fn game_id(mechanism: &str, schedule: &str) -> String {
    anchor(&["game", mechanism, schedule])
}

/// The verdict rows of a report: one symmetric-equilibrium row per round-robin (mechanism,
/// schedule), then one role-equilibrium row per role game ([`role_verdict_rows`], with its
/// bootstrap confidence); every row links to its game's section.
pub fn verdict_rows(set: &ReportSet) -> Vec<VerdictRow> {
    let mut rows = symmetric_verdict_rows(set);
    rows.extend(role_verdict_rows(set));
    rows
}

fn symmetric_verdict_rows(set: &ReportSet) -> Vec<VerdictRow> {
    set.verdicts
        .iter()
        .map(|v| {
            let game = format!("{} / {}", v.mechanism, v.schedule);
            let line = v.line();
            // `Verdict::line` starts with the game's name; the table shows it in its own column.
            let text = line
                .strip_prefix(&format!("{game}: "))
                .unwrap_or(&line)
                .to_string();
            VerdictRow {
                evidence: Some(game_id(&v.mechanism, &v.schedule)),
                game,
                kind: "symmetric equilibrium".into(),
                text,
                confidence: None,
            }
        })
        .collect()
}

fn verdict_section(set: &ReportSet) -> Section {
    let rows = verdict_rows(set);
    let mut blocks = Vec::new();
    if !set.verdicts.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "Symmetric equilibrium (round-robin), per mechanism and schedule: the selected equilibrium of the payoff matrix (highest payoff, then larger support) with its payoff per match, and the share of emission that funded no value. Payoffs are means over repetitions; intervals are {} % t intervals.",
            num(100.0 * set.level, 0)
        )));
    }
    if !set.roles.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "Role equilibrium (role tournament), per mechanism and schedule: each role's equilibrium mixture, with the share of {} bootstrap resamples (over repetitions) in which each support strategy is still played; the share of emission that funded no value at the equilibrium with its {} % bootstrap interval, beside the mean over all matches. Confidence is the least support share of the verdict's strategies.",
            set.roles
                .first()
                .map(|c| c.options.resamples)
                .unwrap_or(0),
            num(100.0 * set.level, 0)
        )));
    }
    blocks.push(Block::Paragraph(
        "Follow a game's name to its evidence.".into(),
    ));
    if rows.is_empty() {
        blocks.push(Block::Paragraph(
            "No verdicts: the raw table holds no ok round-robin or role rows and no network data."
                .into(),
        ));
    } else {
        blocks.push(Block::Verdicts(rows));
    }
    Section {
        id: "verdicts".into(),
        heading: "Verdicts".into(),
        blocks,
    }
}

fn network_section(set: &ReportSet) -> Option<Section> {
    if set.tables.network.is_empty() {
        return None;
    }
    let headers = [
        "mechanism",
        "schedule",
        "matches",
        "errors",
        "value %",
        "meme %",
        "off-topic %",
        "idle %",
        "no value %",
        "value per TAO emitted",
        "peak meme %",
        "largest crash % (mean)",
        "largest crash % (max)",
    ];
    let rows = set
        .tables
        .network
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.mechanism),
                Cell::text(&r.schedule),
                Cell::int(r.matches as i64),
                Cell::int(r.errors as i64),
                Cell::num(100.0 * r.emission_value_share, 1),
                Cell::num(100.0 * r.emission_meme_share, 1),
                Cell::num(100.0 * r.emission_offtopic_share, 1),
                Cell::num(100.0 * r.emission_idle_share, 1),
                Cell::num(100.0 * r.emission_no_value_share, 1),
                Cell::num(r.value_per_tao_emitted, 3),
                Cell::num(100.0 * r.peak_meme_share, 1),
                Cell::num(100.0 * r.largest_crash, 1),
                Cell::num(100.0 * r.largest_crash_max, 1),
            ]
        })
        .collect();
    let bars = EmissionBar::of_network(&set.tables.network);
    Some(Section {
        id: "network".into(),
        heading: "Network".into(),
        blocks: vec![
            Block::Paragraph("Means over the matches played of each mechanism and schedule (errors: matches that could not be played, left out): where subnet emission went by subnet class (\"no value\" = 1 − value share), value created per TAO emitted, the meme subnets' peak share and the largest price crash.".into()),
            Block::Table(Table {
                caption: None,
                headers: headers.iter().map(|h| h.to_string()).collect(),
                rows,
                sortable: true,
            }),
            Block::Heading {
                id: "emission".into(),
                text: "Emission by subnet class".into(),
            },
            Block::Figure {
                class: "emission".into(),
                svg: emission_bars(
                    "Share of subnet emission by subnet class (mean over matches)",
                    &bars,
                ),
                caption: "Stacked shares of subnet emission per mechanism and schedule; from the bottom: value-creating, meme, off-topic, idle.".into(),
            },
        ],
    })
}

fn strategies_table(set: &ReportSet, mechanism: &str, schedule: &str) -> Option<Table> {
    let mut rows: Vec<_> = set
        .tables
        .summary
        .iter()
        .filter(|r| r.mechanism == mechanism && r.schedule == schedule)
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|a, b| a.format.cmp(&b.format).then(a.rank.cmp(&b.rank)));
    let headers = [
        "entrant",
        "format",
        "rank",
        "mean profit TAO",
        "median TAO",
        "std TAO",
        "wins",
        "matches",
        "errors",
        "emission captured TAO",
        "ROI",
    ];
    Some(Table {
        caption: Some("Strategies (click a header to sort)".into()),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                let names = [Cell::text(&r.entrant), Cell::text(&r.format)];
                names.into_iter().chain(summary_value_cells(r)).collect()
            })
            .collect(),
        sortable: true,
    })
}

fn payoff_interval_table(set: &ReportSet, mechanism: &str, schedule: &str) -> Option<Table> {
    let cells = set.tables.payoff_cells(mechanism, schedule);
    if cells.is_empty() {
        return None;
    }
    Some(Table {
        caption: Some(format!(
            "Payoff cells: mean profit of the entrant against the opponent, with the {} % t interval across repetitions",
            num(100.0 * set.level, 0)
        )),
        headers: [
            "entrant",
            "opponent",
            "matches",
            "mean TAO",
            "std TAO",
            "CI low TAO",
            "CI high TAO",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: cells
            .iter()
            .map(|c| {
                vec![
                    Cell::text(&c.entrant),
                    Cell::text(&c.opponent),
                    Cell::int(c.matches as i64),
                    Cell::num(c.mean_profit_tao, 3),
                    Cell::num(c.std_profit_tao, 3),
                    Cell::num(c.ci_low_tao, 3),
                    Cell::num(c.ci_high_tao, 3),
                ]
            })
            .collect(),
        sortable: true,
    })
}

fn meta_table(set: &ReportSet, mechanism: &str, schedule: &str) -> Option<Table> {
    let g = set
        .games
        .iter()
        .find(|g| g.mechanism == mechanism && g.schedule == schedule)?;
    let m = g.meta.as_ref()?;
    let best = m.equilibria.as_ref().and_then(|s| s.best());
    Some(Table {
        caption: Some("Meta-game (click a header to sort)".into()),
        headers: [
            "strategy",
            "share in the selected equilibrium",
            "regret TAO",
            "replicator end",
            "replicator time average",
            "α-Rank mass",
            "α-Rank",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: m
            .game
            .strategies
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let rank = m.alpha_rank.ranking.iter().position(|&k| k == i);
                vec![
                    Cell::text(s),
                    best.map(|b| Cell::num(b.mix[i], 3))
                        .unwrap_or_else(|| Cell::text("–")),
                    Cell::num(m.regret[i], 3),
                    Cell::num(m.replicator.final_mix[i], 3),
                    Cell::num(m.replicator.average_mix[i], 3),
                    Cell::num(m.alpha_rank.stationary[i], 3),
                    rank.map(|r| Cell::int(r as i64 + 1))
                        .unwrap_or_else(|| Cell::text("–")),
                ]
            })
            .collect(),
        sortable: true,
    })
}

/// The command that draws one match's series: from the result directory, replaying the match
/// first when the tournament file is known (the series is then written into the directory).
pub fn plot_command_line(result_dir: &Path, match_id: &str, tournament: Option<&str>) -> String {
    let mut command = format!(
        "tourney plot {} --match {}",
        shell_word(&result_dir.display().to_string()),
        shell_word(match_id)
    );
    if let Some(file) = tournament {
        command.push_str(&format!(" --tournament {}", shell_word(file)));
    }
    command
}

/// A word as a POSIX shell reads it: quoted only when it needs to be.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+:=@,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn matches_blocks(
    set: &ReportSet,
    ctx: &RunContext,
    mechanism: &str,
    schedule: &str,
) -> Vec<Block> {
    let Some(support) = set
        .games
        .iter()
        .find(|g| g.mechanism == mechanism && g.schedule == schedule)
        .and_then(|g| g.meta.as_ref())
        .and_then(|m| {
            let best = m.equilibria.as_ref()?.best()?;
            Some(describe_mix(&m.game.strategies, &best.mix))
        })
    else {
        return vec![];
    };
    let mut blocks = vec![
        Block::Heading {
            id: anchor(&["matches", mechanism, schedule]),
            text: "Matches behind the equilibrium".into(),
        },
        Block::Paragraph(format!(
            "For each strategy in the support of {support}: its first match (in plan order) against the next strategy of the support — prices and emission shares of every subnet over the match, coloured and dashed by subnet class."
        )),
    ];
    let matches: Vec<_> = ctx
        .matches
        .iter()
        .filter(|m| m.mechanism == mechanism && m.schedule == schedule)
        .collect();
    if matches.is_empty() {
        blocks.push(Block::Paragraph(
            "No ok round-robin match of the support strategies was found in the raw table.".into(),
        ));
    }
    for m in matches {
        let what = format!("{} vs {} — match {}", m.strategy, m.opponent, m.match_id);
        blocks.extend(series_blocks(ctx, &m.match_id, m.series.as_ref(), &what));
    }
    blocks
}

/// One match's series as a figure, or (when the run wrote none, or an older tourney wrote one
/// without rows) the command that draws it, or (a file that cannot be read) its error — file,
/// line and reason — and the command that writes it anew once it is moved away.
pub(super) fn series_blocks(
    ctx: &RunContext,
    match_id: &str,
    series: Option<&SeriesRead>,
    what: &str,
) -> Vec<Block> {
    let file = format!("series/{}", crate::file_names::series_file_name(match_id));
    let tournament = || {
        ctx.manifest
            .as_ref()
            .and_then(|m| m["tournament_file"].as_str())
    };
    match series {
        Some(Err(error)) => vec![
            Block::Paragraph(format!(
                "{what}: no chart — {error}. Moved away, the file is written anew by this, which plays the match again (same seed); run `tourney report` afterwards to see it here:"
            )),
            Block::Command(plot_command_line(
                &ctx.result_dir,
                match_id,
                Some(tournament().unwrap_or("FILE")),
            )),
        ],
        Some(Ok(series)) if series.subnets.is_empty() => vec![
            Block::Paragraph(format!(
                "{what}: no chart — {}. This plays the match again (same seed) and writes its series anew; run `tourney report` afterwards to see it here:",
                crate::plot::empty_series_message(&file)
            )),
            Block::Command(plot_command_line(
                &ctx.result_dir,
                match_id,
                Some(tournament().unwrap_or("FILE")),
            )),
        ],
        Some(Ok(series)) => vec![Block::Figure {
            class: "series".into(),
            svg: match_series_plot(match_id, series),
            caption: match series.reduction {
                None => format!("{what} (from {file})"),
                Some(r) => format!("{what} (from {file}; {})", r.note()),
            },
        }],
        None => {
            let tournament = tournament();
            vec![
                Block::Paragraph(format!(
                    "{what}: this run wrote no time series (`outputs.series: true` in the tournament file records them). {}",
                    if tournament.is_some() {
                        "This plays the match again (same seed) with series on, saves them in the result directory and draws them; run `tourney report` afterwards to see them here:"
                    } else {
                        "Replay it with the tournament file the result came from:"
                    }
                )),
                Block::Command(plot_command_line(
                    &ctx.result_dir,
                    match_id,
                    Some(tournament.unwrap_or("FILE")),
                )),
            ]
        }
    }
}

fn game_section(set: &ReportSet, ctx: &RunContext, mechanism: &str, schedule: &str) -> Section {
    let mut blocks = Vec::new();
    if let Some(v) = set
        .verdicts
        .iter()
        .find(|v| v.mechanism == mechanism && v.schedule == schedule)
    {
        blocks.push(Block::Paragraph(format!("Verdict: {}", v.line())));
    }
    let game = set
        .games
        .iter()
        .find(|g| g.mechanism == mechanism && g.schedule == schedule);
    match game {
        Some(g) => match &g.meta {
            Some(m) => blocks.push(Block::Figure {
                class: "heatmap".into(),
                svg: payoff_heatmap(
                    &format!("Mean profit (TAO) of row vs column — {mechanism} / {schedule}"),
                    &m.game.strategies,
                    &m.game.payoff,
                ),
                caption: "Payoff matrix: each cell is the mean profit in TAO of the row strategy against the column strategy over the repetitions (lighter = higher).".into(),
            }),
            None => blocks.push(Block::Paragraph(format!(
                "No payoff matrix: {}",
                g.note.clone().unwrap_or_default()
            ))),
        },
        None => blocks.push(Block::Paragraph(
            "No round-robin matches: no payoff matrix.".into(),
        )),
    }
    if let Some(t) = strategies_table(set, mechanism, schedule) {
        blocks.push(Block::Table(t));
    }
    if let Some(t) = meta_table(set, mechanism, schedule) {
        blocks.push(Block::Table(t));
    }
    let lines = equilibria_lines(set, mechanism, schedule);
    if !lines.is_empty() {
        blocks.push(Block::List(lines));
    }
    if let Some(t) = payoff_interval_table(set, mechanism, schedule) {
        blocks.push(Block::Details {
            summary: "Payoff cells with intervals".into(),
            blocks: vec![Block::Table(t)],
        });
    }
    blocks.extend(matches_blocks(set, ctx, mechanism, schedule));
    Section {
        id: game_id(mechanism, schedule),
        heading: format!("{mechanism} / {schedule}"),
        blocks,
    }
}

/// Where the page quotes `manifest.json`: [`write_report_page`] copies the file there, escaped,
/// as it writes the page (a string no manifest or label contains: it holds NUL characters).
const MANIFEST_QUOTE: &str = "\u{0}manifest.json\u{0}";

fn manifest_section(ctx: &RunContext) -> Section {
    let mut blocks = Vec::new();
    match &ctx.manifest {
        Some(m) => {
            let field = |k: &str| match &m[k] {
                serde_json::Value::Null => "–".to_string(),
                serde_json::Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            blocks.push(Block::Table(Table {
                caption: Some("Run".into()),
                headers: vec!["field".into(), "value".into()],
                rows: [
                    "tournament",
                    "tourney_version",
                    "seed",
                    "matches",
                    "rows_per_match",
                    "yaml_fingerprint",
                ]
                .iter()
                .map(|k| vec![Cell::text(*k), Cell::text(field(k))])
                .collect(),
                sortable: false,
            }));
            if let Some(entrants) = m["entrants"].as_array() {
                let s = |v: &serde_json::Value| match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => "–".into(),
                    v => v.to_string(),
                };
                blocks.push(Block::Table(Table {
                    caption: Some("Plugin builds".into()),
                    headers: [
                        "entrant",
                        "plugin",
                        "version",
                        "build id",
                        "library fingerprint",
                        "source",
                    ]
                    .iter()
                    .map(|h| h.to_string())
                    .collect(),
                    rows: entrants
                        .iter()
                        .map(|e| {
                            [
                                "name",
                                "plugin",
                                "version",
                                "build_id",
                                "file_fingerprint",
                                "source",
                            ]
                            .iter()
                            .map(|k| Cell::text(s(&e[*k])))
                            .collect()
                        })
                        .collect(),
                    sortable: false,
                }));
            }
            if let Some(seeds) = m["match_seeds"].as_array() {
                // The context keeps the first seeds and the count of all of them.
                let count = ctx.seed_count.unwrap_or(seeds.len());
                let shown = count.min(MAX_SEEDS_SHOWN).min(seeds.len());
                let rows = seeds[..shown]
                    .iter()
                    .map(|x| {
                        vec![
                            Cell::int(x["index"].as_i64().unwrap_or(-1)),
                            Cell::text(x["id"].as_str().unwrap_or("–")),
                            Cell::text(
                                x["seed"]
                                    .as_u64()
                                    .map(|s| s.to_string())
                                    .unwrap_or_else(|| "–".into()),
                            ),
                        ]
                    })
                    .collect();
                let mut inner = Vec::new();
                if shown < count {
                    inner.push(Block::Paragraph(format!(
                        "The first {shown} of {count} matches; all are in manifest.json."
                    )));
                }
                inner.push(Block::Table(Table {
                    caption: None,
                    headers: vec!["index".into(), "match".into(), "seed".into()],
                    rows,
                    sortable: true,
                }));
                blocks.push(Block::Details {
                    summary: format!("Match seeds ({count} matches)"),
                    blocks: inner,
                });
            }
        }
        None => blocks.push(Block::Paragraph(
            "No manifest.json in the result directory.".into(),
        )),
    }
    match &ctx.yaml {
        Some(y) => blocks.push(Block::Pre {
            summary: Some("Tournament YAML (tournament.yaml)".into()),
            text: y.clone(),
        }),
        None => blocks.push(Block::Paragraph(
            "The tournament YAML was not saved with this result (runs save it as tournament.yaml)."
                .into(),
        )),
    }
    if ctx.manifest_path.is_some() {
        blocks.push(Block::Pre {
            summary: Some("manifest.json".into()),
            text: MANIFEST_QUOTE.into(),
        });
    }
    Section {
        id: "manifest".into(),
        heading: "Run manifest".into(),
        blocks,
    }
}

/// The whole report page.
pub fn report_page(set: &ReportSet, ctx: &RunContext) -> Page {
    let name = ctx
        .manifest
        .as_ref()
        .and_then(|m| m["tournament"].as_str().map(str::to_string))
        .unwrap_or_else(|| {
            ctx.result_dir
                .file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "tournament".into())
        });
    let mut sections = vec![verdict_section(set)];
    sections.extend(role_network_section(set));
    sections.extend(network_section(set));
    for v in &set.verdicts {
        sections.push(game_section(set, ctx, &v.mechanism, &v.schedule));
    }
    for c in &set.roles {
        sections.push(role_game_section(set, ctx, c));
    }
    sections.push(manifest_section(ctx));
    Page {
        title: format!("Tournament report: {name}"),
        subtitle: format!(
            "{} games (mechanism × schedule) from {}",
            set.verdicts.len() + set.roles.len(),
            ctx.result_dir.display()
        ),
        sections,
    }
}

/// Builds the report page of `result_dir` and writes it as `out_dir/index.html`; returns its
/// path and what it shows in place of the charts it could not draw
/// ([`RunContext::warnings`]), for the command to repeat on stderr.
pub fn write_report_page(
    set: &ReportSet,
    result_dir: &Path,
    out_dir: &Path,
) -> Result<(PathBuf, Vec<String>), ReportError> {
    let ctx = RunContext::read(result_dir, set)?;
    fs::create_dir_all(out_dir).map_err(|e| ReportError::io(out_dir, e))?;
    let path = out_dir.join("index.html");
    let page = report_page(set, &ctx).render();
    let write = || -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(fs::File::create(&path)?);
        match (page.split_once(MANIFEST_QUOTE), &ctx.manifest_path) {
            (Some((before, after)), Some(manifest)) => {
                file.write_all(before.as_bytes())?;
                super::manifest::write_escaped(manifest, &mut file)?;
                file.write_all(after.as_bytes())?;
            }
            _ => file.write_all(page.as_bytes())?,
        }
        file.flush()
    };
    write().map_err(|e| ReportError::io(&path, e))?;
    Ok((path, ctx.warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::MatchSeries;

    #[test]
    fn commands_quote_what_the_shell_would_split() {
        assert_eq!(
            plot_command_line(Path::new("reports/out/quick"), "m-1", None),
            "tourney plot reports/out/quick --match m-1"
        );
        assert_eq!(
            plot_command_line(
                Path::new("my results/it's"),
                "m-1",
                Some("tournaments/quick.yaml")
            ),
            "tourney plot 'my results/it'\\''s' --match m-1 --tournament tournaments/quick.yaml"
        );
    }

    #[test]
    fn a_series_reduced_for_drawing_says_so_in_its_caption() {
        let subnet = crate::plot::SubnetSeries {
            class: "meme".into(),
            day: vec![0.1, 0.2],
            price: vec![0.5, 0.6],
            emission_share: vec![0.1, 0.2],
        };
        let mut series = MatchSeries {
            subnets: [("28".to_string(), subnet)].into(),
            reduction: None,
        };
        let caption = |series: &MatchSeries| match &series_blocks(
            &RunContext::default(),
            "m__r0",
            Some(&Ok(series.clone())),
            "a vs b",
        )[..]
        {
            [Block::Figure { caption, svg, .. }] => (caption.clone(), svg.clone()),
            other => panic!("one figure expected, got {other:?}"),
        };
        // Drawn whole: the caption it always had.
        assert_eq!(caption(&series).0, "a vs b (from series/m__r0.csv)");
        series.reduction = Some(crate::plot::Reduction {
            samples: 216_000,
            points: 1_686,
        });
        let (text, svg) = caption(&series);
        let note = "216,000 samples per subnet, drawn as the first, last, lowest and highest of \
                    each of 640 time intervals (1,686 points)";
        assert_eq!(text, format!("a vs b (from series/m__r0.csv; {note})"));
        assert!(svg.contains(note));
    }
}
