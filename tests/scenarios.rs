//! The 2025 dTAO record as scenario tests, each run through the CLI from
//! `tournaments/scenarios/` (whose comments cite where every parameter comes from).
//!
//! Where the model does not reproduce the record at full strength, the test asserts what it
//! does produce and says so: an honest weaker result beats a tuned one.

mod common;
use common::scratch;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tourney(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tourney"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tourney {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One series row: (block, day, subnet name, price, emission share, value score).
struct Row {
    block: u64,
    day: f64,
    name: String,
    price: f64,
    share: f64,
    value_score: f64,
}

fn simulate(scenario: &str, every: u64) -> Vec<Row> {
    let dir = scratch(scenario);
    let csv = dir.join("series.csv");
    let yaml = format!("tournaments/scenarios/{scenario}.yaml");
    tourney(&[
        "simulate",
        &yaml,
        "--out",
        csv.to_str().unwrap(),
        "--every",
        &every.to_string(),
    ]);
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (b, d, n, p, s, v) = (
        col("block"),
        col("day"),
        col("name"),
        col("price"),
        col("emission_share"),
        col("value_score"),
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                block: f[b].parse().unwrap(),
                day: f[d].parse().unwrap(),
                name: f[n].to_string(),
                price: f[p].parse().unwrap(),
                share: f[s].parse().unwrap(),
                value_score: f[v].parse().unwrap(),
            }
        })
        .collect()
}

/// The meme subnet's price at the sample nearest to `day`.
fn meme_price_at(rows: &[Row], day: f64) -> f64 {
    rows.iter()
        .filter(|r| r.name == "meme")
        .min_by(|a, b| (a.day - day).abs().total_cmp(&(b.day - day).abs()))
        .unwrap()
        .price
}

#[test]
fn sn28_loop_climbs_into_the_top_ten_with_zero_value() {
    let rows = simulate("sn28-loop", 360);
    let mut by_block: BTreeMap<u64, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        by_block.entry(r.block).or_default().push(r);
    }
    let best_rank = by_block
        .values()
        .map(|subnets| {
            let meme = subnets.iter().find(|r| r.name == "meme").unwrap();
            1 + subnets.iter().filter(|r| r.share > meme.share).count()
        })
        .min()
        .unwrap();
    assert!(
        best_rank <= 10,
        "best emission-share rank {best_rank} of 64"
    );
    let days_to_top_ten = by_block
        .values()
        .find(|subnets| {
            let meme = subnets.iter().find(|r| r.name == "meme").unwrap();
            subnets.iter().filter(|r| r.share > meme.share).count() < 10
        })
        .map(|s| s[0].day)
        .unwrap();
    assert!(days_to_top_ten <= 30.0, "{days_to_top_ten}");
    // What the model produces with every moving price starting at 0 at launch (the chain's
    // storage default): the first subnet to pump its price dominates the sum of EMA prices at
    // once — top 10 within the first hour, first by emission share (docs/fidelity.md).
    assert!(days_to_top_ten < 1.0, "{days_to_top_ten}");
    assert_eq!(best_rank, 1);
    assert!(
        rows.iter()
            .filter(|r| r.name == "meme")
            .all(|r| r.value_score == 0.0),
        "the meme subnet creates no value"
    );
}

#[test]
fn the_intervention_at_launch_crashes_the_meme_and_a_year_on_it_does_not() {
    // Intervention on day 10 (see the YAML files).
    let launch = simulate("intervention-launch", 60);
    let year_on = simulate("intervention-year-on", 60);
    let fall = |rows: &[Row]| 1.0 - meme_price_at(rows, 11.0) / meme_price_at(rows, 10.0);
    let (at_launch, a_year_on) = (fall(&launch), fall(&year_on));
    // The record: ≈ 98 % in hours. The model: the foundation's validator wins consensus at
    // 95 % root and the price falls by about half within a day (53 % at seed 28) — less than
    // the ≥ 90 % the record shows, because E1 keeps injecting the meme's ≈ 21 % share of TAO
    // emission into its pool during the fall (its moving price barely moves in a day), and our
    // holders other than speculators (the farmer, long-term holders) do not panic-sell
    // (docs/fidelity.md). We assert the direction and a large fall.
    assert!(at_launch > 0.5, "fall within a day at launch: {at_launch}");
    // A year on (20 % root) the same validator loses consensus: no collapse.
    assert!(a_year_on < 0.2, "fall within a day a year on: {a_year_on}");
    assert!(at_launch > 3.0 * a_year_on);
}

/// Plays a scenario tournament; its raw table (CSV).
fn play(scenario: &str) -> String {
    let out = scratch(scenario);
    let yaml = format!("tournaments/scenarios/{scenario}.yaml");
    tourney(&["run", &yaml, "--quiet", "--out", out.to_str().unwrap()]);
    std::fs::read_to_string(out.join("raw.csv")).unwrap()
}

/// The mean of `column` by (mechanism, entrant) in a raw table.
fn means(raw: &str, column: &str) -> BTreeMap<(String, String), f64> {
    let mut lines = raw.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (mechanism, entrant, value) = (col("mechanism"), col("entrant"), col(column));
    let mut total: BTreeMap<(String, String), (f64, u32)> = BTreeMap::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        let key = (f[mechanism].to_string(), f[entrant].to_string());
        let e = total.entry(key).or_default();
        e.0 += f[value].parse::<f64>().unwrap();
        e.1 += 1;
    }
    total
        .into_iter()
        .map(|(k, (sum, n))| (k, sum / n as f64))
        .collect()
}

fn key(mechanism: &str, entrant: &str) -> (String, String) {
    (mechanism.to_string(), entrant.to_string())
}

#[test]
fn a_btc_mining_subnet_captures_more_emission_than_an_honest_ai_subnet() {
    let captured = means(&play("universal-incentive"), "emission_captured_tao");
    let (btc, ai) = (
        captured[&key("dtao-price", "btc-mining-subnet")],
        captured[&key("dtao-price", "honest-ai-subnet")],
    );
    assert!(btc > ai, "emission captured: btc {btc} vs honest AI {ai}");
}

/// The record's claim (under `objective` the meme-farmer loses and is not the equilibrium) is
/// NOT what the model produces; `docs/fidelity.md` says why. This pins what it does produce, so
/// a model change that alters it has to update the document: the meme class gets almost no TAO
/// emission under `objective`, far less than under `dtao-price`, and yet the farmer profits.
#[test]
fn objective_starves_the_meme_subnet_of_tao_but_the_farmer_still_profits() {
    let raw = play("objective-fix");
    let meme_share = means(&raw, "emission_meme_share");
    let share = |m: &str| meme_share[&key(m, "meme-farmer")];
    assert!(
        share("objective") < 0.01,
        "meme share {}",
        share("objective")
    );
    assert!(share("objective") < share("dtao-price") / 2.0);
    let profit = means(&raw, "profit_tao");
    let farmer = profit[&key("objective", "meme-farmer")];
    let honest = profit[&key("objective", "honest-ai-subnet")];
    assert!(
        farmer > honest && honest > 0.0,
        "farmer {farmer}, honest {honest}"
    );
}
