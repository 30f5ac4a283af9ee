#!/usr/bin/env python3
"""Cross-check tourney's symmetric equilibria against Gambit (pygambit).

Usage: python3 gambit_crosscheck.py REPORTS_DIR   (the directory holding games/ and equilibria.csv)

For each games/<mechanism>__<schedule>.nfg, Gambit's enummixed lists the extreme equilibria of
the bimatrix game; the symmetric ones (both players' mixes equal) must be exactly the extreme
points in equilibria.csv. This holds for non-degenerate games; for degenerate ones (continua)
Gambit's extreme points of the bimatrix set can differ from those of the symmetric set, so a
mismatch there has to be judged by hand.
"""
import csv
import sys
from fractions import Fraction
from pathlib import Path

import pygambit as gbt


def slug(label: str) -> str:
    """The file-name form tourney uses (tourney_reports::slug)."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-.") else "_" for c in label)


def main(reports_dir: Path) -> int:
    ours = {}
    with open(reports_dir / "equilibria.csv", newline="") as f:
        for row in csv.DictReader(f):
            key = f"{slug(row['mechanism'])}__{slug(row['schedule'])}"
            mix = tuple(Fraction(p.split("=", 1)[1]) for p in row["mix_exact"].split(" "))
            ours.setdefault(key, set()).add(mix)
    failures = 0
    for nfg in sorted((reports_dir / "games").glob("*.nfg")):
        game = gbt.read_nfg(str(nfg))
        p1, p2 = list(game.players)
        found = set()
        for profile in gbt.nash.enummixed_solve(game, rational=True).equilibria:
            x = tuple(Fraction(str(profile[s])) for s in p1.strategies)
            y = tuple(Fraction(str(profile[s])) for s in p2.strategies)
            if x == y:
                found.add(x)
        mine = ours.get(nfg.stem, set())
        if found == mine:
            print(f"ok       {nfg.name}: {len(found)} symmetric equilibria")
        else:
            failures += 1
            print(f"MISMATCH {nfg.name}: gambit {sorted(found)} vs tourney {sorted(mine)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
