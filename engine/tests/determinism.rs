//! Determinism: the same config and seed give byte-identical series, twice in a row; another
//! seed gives another economy.

mod common;

use tourney_engine::run_match;

fn series_csv(seed: u64) -> String {
    let mut c = common::with_meme(common::small(seed, 8, 2.0), 1_000_000.0);
    c.series_interval_blocks = 100;
    c.check_conservation = false;
    run_match(&c, Vec::new()).unwrap().series.unwrap().to_csv()
}

#[test]
fn same_seed_same_bytes() {
    let a = series_csv(5);
    let b = series_csv(5);
    assert!(a.len() > 10_000);
    assert_eq!(a, b);
    assert_ne!(a, series_csv(6));
}
