//! Match ids longer than a file name may be: names at their limits (64-character strategy and
//! schedule names, two owners in a role profile) make ids past 255 bytes. The run still writes
//! every match's time series (under a shortened, hashed name), and the report page draws the
//! representative matches from them.

mod common;
use common::{play, scratch, strategy_crate};

#[test]
fn series_of_ids_past_255_bytes_are_written_and_drawn() {
    let dir = scratch("long-ids");
    let owner_a = format!("a{}", "-meme".repeat(12)); // 61 characters
    let owner_b = format!("b{}", "-honest".repeat(9)); // 64 characters
    let schedule = format!("s{}", "-transition".repeat(5)); // 56 characters
                                                            // An id: `dtao-price__<schedule>__<three owners joined by .>__root-staker__r0`, 250–265
                                                            // bytes.
    let yaml = format!(
        "name: long-ids\nseed: 9\nformat: roles\nroles:\n  - name: owners\n    players: 3\n    plays: subnet-owner\n    strategies:\n      - name: {owner_a}\n        crate: {}\n      - name: {owner_b}\n        crate: {}\n  - name: traders\n    players: 1\n    plays: staker\n    strategies:\n      - crate: {}\n\
         mechanisms: [dtao-price]\nschedules:\n  - {{name: {schedule}, root: native, start_day: 0}}\n\
         horizon_days: 0.5\nrepetitions: 1\nnetwork:\n  background_subnets: 4\n\
         outputs:\n  series: true\n  series_interval_blocks: 360\n",
        strategy_crate("meme-farmer"),
        strategy_crate("honest-ai-subnet"),
        strategy_crate("root-staker"),
    );
    let path = dir.join("long.yaml");
    std::fs::write(&path, yaml).unwrap();
    let out = dir.join("result");
    play(path.to_str().unwrap(), &out, &[]);

    // Four owner profiles (aaa, aab, abb, bbb) × one trader: four matches, four series files.
    let raw = std::fs::read_to_string(out.join("raw.csv")).unwrap();
    let ids: std::collections::BTreeSet<&str> = raw
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(ids.len(), 4);
    assert!(
        ids.iter().any(|id| id.len() > 255),
        "the test needs an id past 255 bytes: {ids:?}"
    );
    let names: Vec<String> = std::fs::read_dir(out.join("series"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    for id in &ids {
        let name = tourney_reports::file_names::series_file_name(id);
        assert!(name.len() <= 255, "{name}");
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
    // The page draws its representative match from the series file (no replay command).
    let html = std::fs::read_to_string(out.join("reports/index.html")).unwrap();
    assert!(
        html.contains("<figure class=\"series\">"),
        "no series figure"
    );
}
