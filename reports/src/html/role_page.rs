//! The report page's parts for role tournaments (`format: roles`): one verdict row per role
//! game, the network at each equilibrium, and per (mechanism, schedule) the role game's
//! evidence — weights with their bootstrap confidence, payoffs per role, the strategies ranked
//! within their role, the payoffs (a heatmap per role for two roles of one player, a profile
//! table otherwise) and the match the equilibrium makes most likely.
//!
//! Everything shown is read from [`ReportSet::roles`] and [`ReportSet::role_network`]; nothing
//! here computes a verdict (the text of a verdict row is the terminal's verdict line).

use super::context::RunContext;
use super::report_page::{game_id, series_blocks};
use super::{anchor, summary_value_cells, Block, Cell, Section, Table, VerdictRow};
use crate::plot::{grid_heatmap, HeatmapAxes};
use crate::render::{num, role_verdicts};
use crate::role_games::build::OBSERVABLES;
use crate::role_games::write::profile_text;
use crate::role_games::{RoleCell, SUPPORT};
use crate::ReportSet;

/// One verdict row per role game (kind "role equilibrium"): each role's equilibrium mixture
/// with the share of bootstrap resamples keeping each support strategy, and the no-value share
/// at the equilibrium with its interval beside the all-matches mean — the terminal's line.
pub fn role_verdict_rows(set: &ReportSet) -> Vec<VerdictRow> {
    set.roles
        .iter()
        .zip(role_verdicts(set))
        .map(|(c, line)| {
            let game = format!("{} / {}", c.mechanism(), c.schedule());
            let text = line
                .strip_prefix(&format!("{game}: "))
                .unwrap_or(&line)
                .to_string();
            let confidence = c.verdict_confidence().map(|least| {
                format!(
                    "bootstrap support {} (least over the support; {} resamples)",
                    num(least, 2),
                    c.confidence.as_ref().map(|k| k.resamples).unwrap_or(0)
                )
            });
            VerdictRow {
                evidence: Some(game_id(c.mechanism(), c.schedule())),
                game,
                kind: "role equilibrium".into(),
                text,
                confidence,
            }
        })
        .collect()
}

/// An observable's name on the page, and whether it is a share (shown in %).
fn observable_label(observable: &str) -> (&str, bool) {
    match observable {
        "no_value_share" => ("no value", true),
        "value_share" => ("value", true),
        "meme_share" => ("meme", true),
        "offtopic_share" => ("off-topic", true),
        "idle_share" => ("idle", true),
        "value_per_tao_emitted" => ("value per TAO emitted", false),
        "peak_meme_share" => ("peak meme", true),
        "largest_crash" => ("largest crash", true),
        other => (other, false),
    }
}

/// The "Network at equilibrium" section: per role game and observable, the value at the
/// verdict's equilibrium, its bootstrap interval and the mean over all matches.
pub fn role_network_section(set: &ReportSet) -> Option<Section> {
    if set.role_network.is_empty() {
        return None;
    }
    let mut rows = Vec::new();
    for n in &set.role_network {
        for (k, name) in OBSERVABLES.iter().enumerate() {
            let (label, share) = observable_label(name);
            let (scale, decimals, unit) = if share {
                (100.0, 1, " %")
            } else {
                (1.0, 3, "")
            };
            let (lo, hi) = n.interval[k];
            rows.push(vec![
                Cell::text(&n.mechanism),
                Cell::text(&n.schedule),
                Cell::int(n.matches as i64),
                Cell::text(format!("{label}{unit}")),
                Cell::num(scale * n.at_equilibrium[k], decimals),
                Cell::num(scale * lo, decimals),
                Cell::num(scale * hi, decimals),
                Cell::num(scale * n.all_matches[k], decimals),
            ]);
        }
    }
    Some(Section {
        id: "network-at-equilibrium".into(),
        heading: "Network at equilibrium".into(),
        blocks: vec![
            Block::Paragraph(format!(
                "The network each role game's equilibrium produces (emission shares by subnet class, value created per TAO emitted, the meme subnets' peak share, the largest price crash): every observable averaged over the profiles, each weighted by its probability when every player draws its strategy from its role's equilibrium mixture, with the {} % bootstrap interval (resampling repetitions), beside the plain mean over all matches played (which weights profiles by how often the tournament played them). \"no value\" = 1 − value share.",
                num(100.0 * set.level, 0)
            )),
            Block::Table(Table {
                caption: Some("Network at equilibrium (click a header to sort)".into()),
                headers: [
                    "mechanism",
                    "schedule",
                    "matches",
                    "observable",
                    "at equilibrium",
                    "interval low",
                    "interval high",
                    "all matches",
                ]
                .iter()
                .map(|h| h.to_string())
                .collect(),
                rows,
                sortable: true,
            }),
        ],
    })
}

/// Per (role, strategy): weight, support frequency, weight interval, regret, replicator end,
/// α-Rank mass.
fn role_game_table(c: &RoleCell) -> Option<Table> {
    let eq = c.reference()?;
    let conf = c.confidence.as_ref();
    let mut rows = Vec::new();
    for (r, role) in c.game().roles().iter().enumerate() {
        for (s, name) in role.strategies.iter().enumerate() {
            let (lo, hi) = conf
                .map(|k| k.weight_interval[r][s])
                .unwrap_or((f64::NAN, f64::NAN));
            let maybe = |x: Option<f64>, d: usize| match x {
                Some(x) => Cell::num(x, d),
                None => Cell::text("–"),
            };
            rows.push(vec![
                Cell::text(&role.name),
                Cell::text(name),
                Cell::num(eq.mix[r][s], 3),
                maybe(conf.map(|k| k.support_frequency[r][s]), 2),
                Cell::num(lo, 2),
                Cell::num(hi, 2),
                Cell::num(c.regrets[r][s], 3),
                maybe(c.replicator.as_ref().map(|m| m[r][s]), 3),
                maybe(c.alpha_rank.as_ref().map(|a| a[r][s]), 3),
            ]);
        }
    }
    Some(Table {
        caption: Some(
            "Role game: the verdict's equilibrium per role and strategy (click a header to sort)"
                .into(),
        ),
        headers: [
            "role",
            "strategy",
            "weight",
            "in support (share of resamples)",
            "weight low",
            "weight high",
            "regret TAO",
            "replicator end",
            "α-Rank mass",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows,
        sortable: true,
    })
}

/// Per role: players, the equilibrium payoff with its interval, the strategies it plays.
fn payoff_table(c: &RoleCell, level: f64) -> Option<Table> {
    let eq = c.reference()?;
    let rows = c
        .game()
        .roles()
        .iter()
        .enumerate()
        .map(|(r, role)| {
            let (lo, hi) = c
                .confidence
                .as_ref()
                .map(|k| k.payoff_interval[r])
                .unwrap_or((f64::NAN, f64::NAN));
            let played: Vec<&str> = role
                .strategies
                .iter()
                .zip(&eq.mix[r])
                .filter(|(_, &w)| w > SUPPORT)
                .map(|(s, _)| s.as_str())
                .collect();
            vec![
                Cell::text(&role.name),
                Cell::int(role.players as i64),
                Cell::num(eq.payoff[r], 3),
                Cell::num(lo, 3),
                Cell::num(hi, 3),
                Cell::text(played.join(", ")),
            ]
        })
        .collect();
    Some(Table {
        caption: Some(format!(
            "Equilibrium payoff per role: TAO profit per player at the role's capital, with the {} % bootstrap interval (payoffs compare only within a role)",
            num(100.0 * level, 0)
        )),
        headers: [
            "role",
            "players",
            "payoff TAO",
            "interval low",
            "interval high",
            "support",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows,
        sortable: false,
    })
}

/// The strategies of a role game's summary rows, ranked within their role.
fn strategies_by_role(set: &ReportSet, c: &RoleCell) -> Option<Table> {
    let mut rows: Vec<_> = set
        .tables
        .summary
        .iter()
        .filter(|r| {
            r.mechanism == c.mechanism()
                && r.schedule == c.schedule()
                && r.format.starts_with("roles:")
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    // The role's position in the game, then the rank within it.
    let role_index = |format: &str| {
        let name = format.trim_start_matches("roles:");
        c.game()
            .roles()
            .iter()
            .position(|r| r.name == name)
            .unwrap_or(usize::MAX)
    };
    rows.sort_by(|a, b| {
        role_index(&a.format)
            .cmp(&role_index(&b.format))
            .then(a.rank.cmp(&b.rank))
    });
    Some(Table {
        caption: Some("Strategies ranked within their role by mean profit over all matches played (click a header to sort)".into()),
        headers: [
            "role",
            "strategy",
            "rank in role",
            "mean profit TAO",
            "median TAO",
            "std TAO",
            "wins in role",
            "matches",
            "errors",
            "emission captured TAO",
            "ROI",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: rows
            .iter()
            .map(|r| {
                let names = [
                    Cell::text(r.format.trim_start_matches("roles:")),
                    Cell::text(&r.entrant),
                ];
                names.into_iter().chain(summary_value_cells(r)).collect()
            })
            .collect(),
        sortable: true,
    })
}

/// Two roles of one player each: one heatmap per role, its strategies down, the other role's
/// across, the cell its mean payoff at that profile (grey where the profile has no data).
fn two_role_heatmaps(c: &RoleCell) -> Option<Vec<Block>> {
    let game = c.game();
    let roles = game.roles();
    if roles.len() != 2 || roles.iter().any(|r| r.players != 1) {
        return None;
    }
    let mut blocks = Vec::new();
    for (me, other) in [(0, 1), (1, 0)] {
        let values: Vec<Vec<f64>> = (0..roles[me].strategies.len())
            .map(|i| {
                (0..roles[other].strategies.len())
                    .map(|j| {
                        let mut profile: Vec<Vec<u32>> =
                            roles.iter().map(|r| vec![0; r.strategies.len()]).collect();
                        profile[me][i] = 1;
                        profile[other][j] = 1;
                        game.mean_payoff(&profile)
                            .map(|p| p[me][i])
                            .unwrap_or(f64::NAN)
                    })
                    .collect()
            })
            .collect();
        let row_axis = format!("{} (row strategy)", roles[me].name);
        let column_axis = format!("{} (column strategy)", roles[other].name);
        let axes = HeatmapAxes {
            rows: &roles[me].strategies,
            columns: &roles[other].strategies,
            row_axis: &row_axis,
            column_axis: &column_axis,
        };
        blocks.push(Block::Figure {
            class: "heatmap".into(),
            svg: grid_heatmap(
                &format!(
                    "Mean profit (TAO) of {} — {} / {}",
                    roles[me].name,
                    c.mechanism(),
                    c.schedule()
                ),
                &axes,
                &values,
                "mean profit (TAO)",
            ),
            caption: format!(
                "Payoff of role {}: each cell is the mean profit in TAO of its player playing the row strategy while the player of role {} plays the column strategy, over the repetitions (lighter = higher; grey = not played).",
                roles[me].name, roles[other].name
            ),
        });
    }
    Some(blocks)
}

/// Every profile played: its matches and the mean payoff of each (role, strategy) in it.
fn profile_table(c: &RoleCell) -> Table {
    let game = c.game();
    let mut headers = vec!["profile".to_string(), "matches".to_string()];
    for role in game.roles() {
        for s in &role.strategies {
            headers.push(format!("{} / {s} TAO", role.name));
        }
    }
    let rows = game
        .profiles()
        .iter()
        .map(|p| {
            let mut row = vec![
                Cell::text(profile_text(game, &p.profile)),
                Cell::int(p.observations.len() as i64),
            ];
            let means = game.mean_payoff(&p.profile).unwrap_or_default();
            for (r, role) in game.roles().iter().enumerate() {
                for s in 0..role.strategies.len() {
                    let v = means
                        .get(r)
                        .and_then(|m| m.get(s))
                        .copied()
                        .unwrap_or(f64::NAN);
                    row.push(Cell::num(v, 3));
                }
            }
            row
        })
        .collect();
    Table {
        caption: Some(format!(
            "Profiles{}: mean profit per player of each role and strategy (– where the profile has no such player; click a header to sort)",
            if c.built.reduced_players.is_some() {
                " of the deviation-preserving reduction"
            } else {
                ""
            }
        )),
        headers,
        rows,
        sortable: true,
    }
}

/// The match behind the equilibrium: the most likely profile's first ok match.
fn representative_blocks(c: &RoleCell, ctx: &RunContext) -> Vec<Block> {
    let Some(eq) = c.reference() else {
        return vec![];
    };
    let mixture: Vec<String> = c
        .game()
        .roles()
        .iter()
        .zip(&eq.mix)
        .map(|(role, mix)| {
            format!(
                "{}: {}",
                role.name,
                crate::meta::describe_mix(&role.strategies, mix)
            )
        })
        .collect();
    let mut blocks = vec![
        Block::Heading {
            id: anchor(&["matches", c.mechanism(), c.schedule()]),
            text: "Match behind the equilibrium".into(),
        },
        Block::Paragraph(format!(
            "Chosen deterministically: of the profiles played, the one with the highest probability when every player draws from its role's equilibrium mixture ({}; ties go to the first profile in profile order), and of its matches the first ok one in plan order — prices and emission shares of every subnet over the match, coloured and dashed by subnet class.",
            mixture.join(" · ")
        )),
    ];
    match ctx
        .role_matches
        .iter()
        .find(|m| m.mechanism == c.mechanism() && m.schedule == c.schedule())
    {
        Some(m) => {
            let what = format!(
                "{} (probability {} at the equilibrium) — match {}",
                m.profile,
                num(m.probability, 3),
                m.match_id
            );
            blocks.extend(series_blocks(ctx, &m.match_id, m.series.as_ref(), &what));
        }
        None => blocks.push(Block::Paragraph(
            "No ok match of that profile was found in the raw table.".into(),
        )),
    }
    blocks
}

/// The evidence section of one role game.
pub fn role_game_section(set: &ReportSet, ctx: &RunContext, c: &RoleCell) -> Section {
    let mut blocks = Vec::new();
    if let Some(row) = role_verdict_rows(set)
        .into_iter()
        .find(|v| v.evidence.as_deref() == Some(&game_id(c.mechanism(), c.schedule())))
    {
        blocks.push(Block::Paragraph(format!("Verdict: {}", row.text)));
    }
    let roles: Vec<String> = c
        .game()
        .roles()
        .iter()
        .map(|r| {
            format!(
                "{} ({} player{}, {} strategies)",
                r.name,
                r.players,
                if r.players == 1 { "" } else { "s" },
                r.strategies.len()
            )
        })
        .collect();
    blocks.push(Block::Paragraph(format!(
        "Role game: {}; {} matches used{}. A role's payoff is its players' TAO profit; roles are never compared with each other.",
        roles.join(", "),
        c.built.matches,
        if c.built.errored_matches > 0 {
            format!(", {} left out (could not be played)", c.built.errored_matches)
        } else {
            String::new()
        }
    )));
    match role_game_table(c) {
        Some(t) => blocks.push(Block::Table(t)),
        None => blocks.push(Block::Paragraph(
            "No role equilibrium: the game lacks a profile's data.".into(),
        )),
    }
    if let Some(t) = payoff_table(c, set.level) {
        blocks.push(Block::Table(t));
    }
    if c.equilibria.len() > 1 {
        blocks.push(Block::Paragraph(format!(
            "{} equilibria found; the verdict shows the one with least regret (all are in role_equilibria.csv).",
            c.equilibria.len()
        )));
    }
    if let Some(t) = strategies_by_role(set, c) {
        blocks.push(Block::Table(t));
    }
    match two_role_heatmaps(c) {
        Some(figures) => {
            blocks.extend(figures);
            blocks.push(Block::Details {
                summary: "Profiles with payoffs".into(),
                blocks: vec![Block::Table(profile_table(c))],
            });
        }
        None => blocks.push(Block::Table(profile_table(c))),
    }
    blocks.extend(representative_blocks(c, ctx));
    Section {
        id: game_id(c.mechanism(), c.schedule()),
        heading: format!("{} / {} (roles)", c.mechanism(), c.schedule()),
        blocks,
    }
}
