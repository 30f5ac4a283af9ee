//! Gambit strategic-form export (`.nfg`, "NFG 1 R", outcome version), so the equilibria can be
//! cross-checked with `gambit-enummixed` or `gambit-lcp`.
//!
//! Player 1 chooses the row, player 2 the column; the outcome of profile (i, j) pays
//! `A[i][j]` to player 1 and `A[j][i]` to player 2. Profiles are listed with player 1's
//! strategy varying fastest, as the format requires. Payoffs are written as decimals with 9
//! places (rao precision), the same quantization the exact solver uses.

use std::fmt::Write;

use super::Game;

pub(crate) fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub(crate) fn number(x: f64) -> String {
    let s = format!("{x:.9}");
    if s == "-0.000000000" {
        "0.000000000".to_string()
    } else {
        s
    }
}

/// The game in Gambit's `.nfg` outcome format.
pub fn to_nfg(game: &Game, title: &str) -> String {
    let n = game.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "NFG 1 R {} {{ \"Player 1\" \"Player 2\" }}",
        quoted(title)
    );
    let _ = writeln!(out);
    let names: Vec<String> = game.strategies.iter().map(|s| quoted(s)).collect();
    let _ = writeln!(out, "{{");
    let _ = writeln!(out, "{{ {} }}", names.join(" "));
    let _ = writeln!(out, "{{ {} }}", names.join(" "));
    let _ = writeln!(out, "}}");
    let _ = writeln!(out);
    let _ = writeln!(out, "{{");
    let mut indices = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let _ = writeln!(
                out,
                "{{ {} {}, {} }}",
                quoted(&format!("{} vs {}", game.strategies[i], game.strategies[j])),
                number(game.payoff[i][j]),
                number(game.payoff[j][i])
            );
            indices.push((j * n + i + 1).to_string());
        }
    }
    let _ = writeln!(out, "}}");
    let _ = writeln!(out, "{}", indices.join(" "));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisoners_dilemma_nfg() {
        let g = Game::new(
            vec!["C".into(), "D".into()],
            vec![vec![3.0, 0.0], vec![5.0, 1.0]],
        )
        .unwrap();
        let expected = "NFG 1 R \"PD\" { \"Player 1\" \"Player 2\" }\n\n{\n{ \"C\" \"D\" }\n{ \"C\" \"D\" }\n}\n\n{\n\
{ \"C vs C\" 3.000000000, 3.000000000 }\n\
{ \"D vs C\" 5.000000000, 0.000000000 }\n\
{ \"C vs D\" 0.000000000, 5.000000000 }\n\
{ \"D vs D\" 1.000000000, 1.000000000 }\n\
}\n1 2 3 4\n";
        assert_eq!(to_nfg(&g, "PD"), expected);
    }
}
