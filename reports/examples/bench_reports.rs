//! Benchmark: build and write every report for a synthetic raw table.
//!
//! `cargo run --release -p tourney-reports --example bench_reports -- [ROWS] [DIR]`
//! (default 1,000,000 rows in a fresh temporary directory).

fn main() {
    let mut args = std::env::args().skip(1);
    let rows = args
        .next()
        .map(|s| {
            s.replace('_', "")
                .parse::<usize>()
                .expect("ROWS must be a number")
        })
        .unwrap_or(1_000_000);
    let dir = args.next().map(std::path::PathBuf::from);
    match tourney_reports::cli::bench_command(rows, dir.as_deref()) {
        Ok(text) => print!("{text}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(tourney_reports::cli::exit_code(&e));
        }
    }
}
