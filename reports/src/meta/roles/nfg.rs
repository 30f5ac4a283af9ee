//! Gambit strategic-form export (`.nfg`, "NFG 1 R", outcome version) of a game of two roles
//! with one player each, so that outside solvers (`gambit-enummixed`, `gambit-lcp`) can check
//! its equilibria. Player 1 is the first role (rows), player 2 the second; profiles are listed
//! with player 1's strategy varying fastest, as the format requires; payoffs are the profile
//! means with 9 decimals (rao precision), as the symmetric export writes them.

use std::fmt::Write;

use super::game::RoleGame;
use crate::meta::nfg::{number, quoted};

/// The game in Gambit's `.nfg` outcome format, or None unless it has exactly two roles of one
/// player each and every profile has data.
pub fn to_nfg_two_roles(game: &RoleGame, title: &str) -> Option<String> {
    let roles = game.roles();
    if roles.len() != 2 || roles.iter().any(|r| r.players != 1) || !game.is_complete() {
        return None;
    }
    let (rows, cols) = (&roles[0].strategies, &roles[1].strategies);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "NFG 1 R {} {{ {} {} }}",
        quoted(title),
        quoted(&roles[0].name),
        quoted(&roles[1].name)
    );
    let _ = writeln!(out);
    let names = |s: &[String]| s.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(" ");
    let _ = writeln!(out, "{{");
    let _ = writeln!(out, "{{ {} }}", names(rows));
    let _ = writeln!(out, "{{ {} }}", names(cols));
    let _ = writeln!(out, "}}");
    let _ = writeln!(out);
    let _ = writeln!(out, "{{");
    let mut indices = Vec::new();
    for j in 0..cols.len() {
        for i in 0..rows.len() {
            let mut x = vec![0u32; rows.len()];
            let mut y = vec![0u32; cols.len()];
            x[i] = 1;
            y[j] = 1;
            let u = game.mean_payoff(&vec![x, y])?;
            let _ = writeln!(
                out,
                "{{ {} {}, {} }}",
                quoted(&format!("{} vs {}", rows[i], cols[j])),
                number(u[0][i]),
                number(u[1][j])
            );
            indices.push((j * rows.len() + i + 1).to_string());
        }
    }
    let _ = writeln!(out, "}}");
    let _ = writeln!(out, "{}", indices.join(" "));
    Some(out)
}
