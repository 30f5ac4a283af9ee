//! The tiny search shared by `tests/search.rs` and `tests/slurm.rs`: a role game of one
//! mechanism (TaoFlow), owners {meme-farmer, honest-ai-subnet} × traders {momentum-speculator,
//! root-staker}, one simulated day, searched over TaoFlow's exponent and TaoWeight.

use std::path::{Path, PathBuf};

/// The base role tournament and a search over TaoFlow's exponent and TaoWeight, in `dir`.
pub fn write_search(dir: &Path) -> PathBuf {
    let s = Path::new(env!("CARGO_MANIFEST_DIR")).join("strategies");
    let base = format!(
        "name: tiny-roles\nseed: 3\nformat: roles\nroles:\n  - name: owners\n    players: 1\n    \
         plays: subnet-owner\n    strategies:\n      - crate: {0}/meme-farmer\n      - crate: \
         {0}/honest-ai-subnet\n  - name: traders\n    players: 1\n    plays: staker\n    \
         strategies:\n      - crate: {0}/momentum-speculator\n      - crate: {0}/root-staker\n\
         mechanisms: [taoflow]\nhorizon_days: 1\nrepetitions: 2\nnetwork:\n  background_subnets: 6\n",
        s.display()
    );
    std::fs::write(dir.join("base.yaml"), base).unwrap();
    let search = "name: tiny\nseed: 5\ntournament: base.yaml\nspace:\n  flow_exponent: {range: [0.5, 3.0], scale: log}\n  \
         tao_weight: {range: [0.05, 0.5]}\nobjectives:\n  - minimise: {observable: no_value_share}\n  \
         - maximise: {weight: {role: owners, strategy: honest-ai-subnet}}\nconstraints:\n  \
         - {role: owners, strategy: meme-farmer, support: out, confidence: 0.9}\nmethod: \
         {initial_points: 4, eta: 2, min_repetitions: 1, max_repetitions: 2, refine_rounds: 1, refine_step: 0.2}\n";
    let path = dir.join("s.yaml");
    std::fs::write(&path, search).unwrap();
    path
}
