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

/// The bits every mechanism gives, at launch and a year on (fee eras, root claims, E5's
/// weighted pools), as FNV-1a digests of each match's series (every 100 blocks) and of its
/// agents' and network's final reports. Recorded on x86-64; the same test under
/// `qemu-aarch64` (docs/performance.md, "aarch64") proves that NEON's baseline kernel and the
/// platform's libm give the same bits. A change of the model changes these on purpose: the
/// failure prints the new table to paste here, with the reason in the commit.
#[test]
fn every_mechanism_gives_the_recorded_bits() {
    use tourney_engine::tournament::journal::fnv1a64;
    use tourney_sdk::Mechanism;
    let expected: &[(&str, u64)] = &[
        ("legacy-root@0", 0xae556f9c0ee763b9),
        ("legacy-root@365", 0x5d398d218e0efe94),
        ("dtao-price@0", 0x7955ffdf86f559b8),
        ("dtao-price@365", 0xc93a354a7dbdf58b),
        ("dtao-subsidy@0", 0x4efb443b75ba3036),
        ("dtao-subsidy@365", 0x4d5c18006ac62626),
        ("taoflow@0", 0xa7c65c16c89d6c12),
        ("taoflow@365", 0x45d5dfe8b5e21089),
        ("market-cap@0", 0xeebe31210911bdbd),
        ("market-cap@365", 0x95680ef4b6c65179),
        ("objective@0", 0xf426b1b23cc4f827),
        ("objective@365", 0x34f6e092bd6c6dc3),
        ("taoflow-net@0", 0x95899d2d924dd03a),
        ("taoflow-net@365", 0x629c7aa64ff59a1b),
        ("dtao-price-burn@0", 0x9c7adc3c64507c1e),
        ("dtao-price-burn@365", 0x7346f2806611c620),
    ];
    let mut actual = Vec::new();
    for mechanism in Mechanism::ALL {
        for start_day in [0.0, 365.0] {
            let mut c = common::with_meme(common::small(11, 18, 0.0), 1_000_000.0);
            c.mechanism = mechanism;
            c.start_day = start_day;
            c.horizon_day = start_day + 1.5;
            c.series_interval_blocks = 100;
            c.check_conservation = false;
            let out = run_match(&c, Vec::new()).unwrap();
            let text = format!(
                "{}\n{:?}\n{:?}",
                out.series.unwrap().to_csv(),
                out.agents,
                out.network
            );
            actual.push((
                format!("{}@{start_day}", mechanism.name()),
                fnv1a64(text.as_bytes()),
            ));
        }
    }
    let table: String = actual
        .iter()
        .map(|(label, digest)| format!("        (\"{label}\", {digest:#018x}),\n"))
        .collect();
    let same = actual.len() == expected.len()
        && actual
            .iter()
            .zip(expected)
            .all(|((l, d), (el, ed))| l == el && d == ed);
    assert!(same, "the engine's bits changed; now:\n{table}");
}
