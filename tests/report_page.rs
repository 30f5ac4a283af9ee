//! The report page of a real run (a round-robin and a role tournament), opened in a headless
//! Chromium: no console error or blocked
//! fetch, every verdict, heatmap and match series rendered (element counts, drawn path
//! lengths), table sorting working; a screenshot is saved for people to look at. Also: `run`,
//! `merge` and `compare` write their pages, and `--quiet` means silent.
//!
//! Without a Chromium on the machine the browser part prints a notice and is skipped; CI
//! (`.ci/run`) installs Debian's `chromium`, so there it always runs. `TOURNEY_CHROMIUM` names
//! another browser binary.

#[path = "../reports/tests/support/page_check.rs"]
mod page_check;

mod common;
use common::{play, run, strategy_crate, tourney};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory under the tests' target directory (kept after the test, for the
/// screenshot).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-page-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Three entrants (6 round-robin pairings) × 2 mechanisms, one repetition of one day, with
/// time series every 720 blocks.
fn write_tournament(dir: &Path) -> PathBuf {
    let yaml = format!(
        "name: page\nseed: 3\nentrants:\n  - crate: {}\n  - crate: {}\n  - crate: {}\n\
         mechanisms: [dtao-price, taoflow]\nhorizon_days: 1\nrepetitions: 1\n\
         network:\n  background_subnets: 6\noutputs:\n  series: true\n  series_interval_blocks: 720\n",
        strategy_crate("meme-farmer"),
        strategy_crate("honest-ai-subnet"),
        strategy_crate("root-staker"),
    );
    let path = dir.join("page.yaml");
    std::fs::write(&path, yaml).unwrap();
    path
}

fn assert_silent(out: &Output, what: &str) {
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{what} printed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn checked(path: &Path) -> page_check::PageStats {
    let html = std::fs::read_to_string(path).unwrap();
    page_check::check_page(&html).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn run_merge_and_compare_write_pages_and_quiet_is_silent() {
    let dir = scratch("cli");
    let yaml = write_tournament(&dir);
    let y = yaml.to_str().unwrap();
    let whole = dir.join("whole");
    // --quiet: nothing at all, not even cargo's lines for building the three plugin crates.
    let out = play(y, &whole, &["--jobs", "2"]);
    assert_silent(&out, "run --quiet");
    let stats = checked(&whole.join("reports/index.html"));
    assert_eq!(stats.count("tr.verdict"), 2);
    assert_eq!(
        std::fs::read_to_string(whole.join("tournament.yaml")).unwrap(),
        std::fs::read_to_string(&yaml).unwrap()
    );

    let (a, b, merged) = (dir.join("a"), dir.join("b"), dir.join("merged"));
    for (shard, out_dir) in [("0/2", &a), ("1/2", &b)] {
        let out = play(y, out_dir, &["--shard", shard]);
        assert_silent(&out, "run --quiet --shard");
    }
    let out = run(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--quiet",
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_silent(&out, "merge --quiet");
    assert!(merged.join("tournament.yaml").is_file());
    // The merged directory's page equals the single run's, but for the directory it names.
    let page = |d: &Path| {
        std::fs::read_to_string(d.join("reports/index.html"))
            .unwrap()
            .replace(&d.display().to_string(), "DIR")
    };
    assert_eq!(page(&merged), page(&whole));

    // A match's series, deleted, is played again from the tournament file: the same bytes.
    let series_dir = whole.join("series");
    let first = std::fs::read_dir(&series_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let id = first.file_stem().unwrap().to_str().unwrap().to_string();
    let original = std::fs::read(&first).unwrap();
    std::fs::remove_file(&first).unwrap();
    let w = whole.to_str().unwrap();
    let out = tourney()
        .args(["plot", w, "--match", &id])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no series and no tournament file: bad input"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tournament FILE"));
    run(&["plot", w, "--match", &id, "--tournament", y]);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        original,
        "replayed series of {id}"
    );
    assert!(whole
        .join(format!("reports/plots/match__{id}.svg"))
        .is_file());

    let cmp = dir.join("cmp");
    run(&[
        "compare",
        whole.to_str().unwrap(),
        merged.to_str().unwrap(),
        "--out",
        cmp.to_str().unwrap(),
    ]);
    let stats = checked(&cmp.join("compare.html"));
    // Both games are in both directories: two comparisons, each with its Δ heatmap.
    assert_eq!(stats.count("tr.verdict"), 2);
    assert_eq!(stats.count("figure.heatmap"), 2);
}

/// The browser, if there is one; without one, prints the notice that the test is skipped.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("TOURNEY_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            ["chromium", "chromium-browser", "google-chrome"]
                .iter()
                .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        eprintln!(
            "NOTICE: no chromium found (install Debian's `chromium` or set TOURNEY_CHROMIUM): the browser test is skipped"
        );
    }
    found
}

/// Play the tournament `yaml` into `dir/result`: its report page and the page's HTML.
fn play_to_page(dir: &Path, yaml: &Path) -> (PathBuf, String) {
    let result = dir.join("result");
    play(yaml.to_str().unwrap(), &result, &[]);
    let page = result.join("reports/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    (page, html)
}

/// Installed at the start of `<head>`: records uncaught errors, `console.error` calls and
/// anything the content security policy blocked.
const HEAD_PROBE: &str = r#"<script>
window.__problems = [];
window.addEventListener('error', function (e) { window.__problems.push('error: ' + e.message); });
document.addEventListener('securitypolicyviolation', function (e) { window.__problems.push('blocked: ' + e.blockedURI); });
(function () {
  var original = console.error;
  console.error = function () {
    window.__problems.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return original.apply(console, arguments);
  };
})();
</script>"#;

/// Installed at the end of `<body>`, after the page's own script: measures what rendered,
/// clicks a sortable header twice, and writes the findings as JSON into `<pre id="probe">`.
const BODY_PROBE: &str = r#"<script>
(function () {
  var r = {};
  r.verdicts = document.querySelectorAll('tr.verdict').length;
  r.heatmaps = Array.prototype.map.call(document.querySelectorAll('figure.heatmap svg'), function (svg) {
    var box = svg.getBoundingClientRect();
    return { rects: svg.querySelectorAll('rect').length, width: box.width, height: box.height };
  });
  r.series = Array.prototype.map.call(document.querySelectorAll('figure.series svg'), function (svg) {
    var lengths = Array.prototype.map.call(svg.querySelectorAll('polyline'), function (p) { return p.getTotalLength(); });
    return { lines: lengths.length, drawn: lengths.filter(function (l) { return l > 0; }).length,
             height: svg.getBoundingClientRect().height };
  });
  var table = Array.prototype.find.call(document.querySelectorAll('table.sortable'), function (t) {
    return t.caption && t.caption.textContent.indexOf('Strategies') === 0;
  });
  function column(k) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) { return parseFloat(row.cells[k].getAttribute('data-v')); });
  }
  function ordered(xs, sign) {
    for (var i = 1; i < xs.length; i++) { if (sign * (xs[i] - xs[i - 1]) < 0) { return false; } }
    return true;
  }
  var header = table.tHead.rows[0].cells[3];
  header.click();
  r.ascending = ordered(column(3), 1);
  header.click();
  r.descending = ordered(column(3), -1);
  r.sorted_column = header.textContent;
  r.problems = window.__problems;
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
})();
</script>"#;

fn browser(exe: &Path, profile: &Path, args: &[String]) -> Output {
    Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("start the browser")
}

/// Opens `page` with the probes in a headless browser and returns the probe's findings, after
/// checking that nothing failed or was blocked.
fn probe_page(exe: &Path, dir: &Path, page: &Path) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    let probed = html
        .replacen("<head>", &format!("<head>\n{HEAD_PROBE}"), 1)
        .replacen("</body>", &format!("{BODY_PROBE}\n</body>"), 1);
    let probed_path = page.with_file_name("index.probed.html");
    std::fs::write(&probed_path, probed).unwrap();
    let out = browser(
        exe,
        &dir.join("profile-dom"),
        &[
            "--virtual-time-budget=10000".into(),
            "--dump-dom".into(),
            format!("file://{}", probed_path.display()),
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let start = dom
        .find("<pre id=\"probe\">")
        .unwrap_or_else(|| panic!("the probe did not run; browser stderr:\n{stderr}"));
    let json = &dom[start + "<pre id=\"probe\">".len()..];
    let json = &json[..json.find("</pre>").unwrap()];
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    eprintln!("browser probe: {r}");
    assert_eq!(
        r["problems"],
        serde_json::json!([]),
        "console errors or blocked fetches"
    );
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console output: {console:#?}");
    r
}

/// Every series plot drew every one of its lines (a polyline of length 0 draws nothing), and
/// the strategy table sorted both ways.
fn assert_series_and_sorting(r: &serde_json::Value, series_expected: usize) {
    let series = r["series"].as_array().unwrap();
    assert_eq!(series.len(), series_expected);
    for s in series {
        assert!(
            s["lines"].as_u64().unwrap() >= 2 * 6,
            "two panels of ≥ 6 subnets"
        );
        assert_eq!(s["drawn"], s["lines"]);
        assert!(s["height"].as_f64().unwrap() > 300.0);
    }
    assert_eq!(r["sorted_column"], "mean profit TAO");
    assert_eq!(r["ascending"], true);
    assert_eq!(r["descending"], true);
}

/// The screenshot of the page as shipped, for people to look at.
fn screenshot(exe: &Path, dir: &Path, page: &Path) {
    let shot = dir.join("index.png");
    let out = browser(
        exe,
        &dir.join("profile-shot"),
        &[
            "--window-size=1400,8000".into(),
            format!("--screenshot={}", shot.display()),
            format!("file://{}", page.display()),
        ],
    );
    assert!(
        shot.is_file() && std::fs::metadata(&shot).unwrap().len() > 10_000,
        "no screenshot; browser stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn the_report_page_renders_in_a_headless_browser() {
    let Some(exe) = chromium() else {
        return;
    };
    let dir = scratch("browser");
    let (page, html) = play_to_page(&dir, &write_tournament(&dir));
    let stats = page_check::check_page(&html).unwrap();
    let series_expected = stats.count("figure.series");
    assert!(series_expected >= 2, "one series per game at least");
    let r = probe_page(&exe, &dir, &page);
    // Two games (dtao-price and taoflow, native schedule): two verdicts and two heatmaps of
    // 3 × 3 cells, each with the white background and 48 colour-bar steps, laid out.
    assert_eq!(r["verdicts"], 2);
    let heatmaps = r["heatmaps"].as_array().unwrap();
    assert_eq!(heatmaps.len(), 2);
    for h in heatmaps {
        assert_eq!(h["rects"], 1 + 9 + 48);
        assert!(h["width"].as_f64().unwrap() > 200.0 && h["height"].as_f64().unwrap() > 150.0);
    }
    assert_series_and_sorting(&r, series_expected);
    screenshot(&exe, &dir, &page);
}

/// A role tournament like the README's `quick.yaml` (owners: meme-farmer or
/// honest-ai-subnet; traders: momentum-speculator or root-staker; one player each) under two
/// mechanisms, two repetitions of one day, with time series.
fn write_role_tournament(dir: &Path) -> PathBuf {
    let yaml = format!(
        "name: roles-page\nseed: 5\nformat: roles\nroles:\n  - name: owners\n    players: 1\n    plays: subnet-owner\n    strategies:\n      - crate: {}\n      - crate: {}\n  - name: traders\n    players: 1\n    plays: staker\n    strategies:\n      - crate: {}\n      - crate: {}\n\
         mechanisms: [dtao-price, taoflow]\nhorizon_days: 1\nrepetitions: 2\n\
         network:\n  background_subnets: 6\noutputs:\n  series: true\n  series_interval_blocks: 720\n",
        strategy_crate("meme-farmer"),
        strategy_crate("honest-ai-subnet"),
        strategy_crate("momentum-speculator"),
        strategy_crate("root-staker"),
    );
    let path = dir.join("roles.yaml");
    std::fs::write(&path, yaml).unwrap();
    path
}

#[test]
fn the_role_report_page_renders_in_a_headless_browser() {
    let Some(exe) = chromium() else {
        return;
    };
    let dir = scratch("browser-roles");
    let (page, html) = play_to_page(&dir, &write_role_tournament(&dir));
    let stats = page_check::check_page(&html).unwrap();
    // One role verdict row, role-game table and strategy table per game; the network at
    // equilibrium (8 observables per game).
    assert_eq!(stats.count("tr.verdict"), 2);
    assert_eq!(html.matches("<td>role equilibrium</td>").count(), 2);
    assert_eq!(html.matches("<caption>Role game: the verdict").count(), 2);
    assert_eq!(html.matches("<caption>Strategies ranked within").count(), 2);
    assert_eq!(html.matches("<td>no value %</td>").count(), 2);
    // Every game has an equilibrium, so one representative match each, drawn from the series
    // the run wrote (no replay command needed).
    assert_eq!(stats.count("figure.series"), 2);
    assert_eq!(stats.count("code.cmd"), 0);

    let r = probe_page(&exe, &dir, &page);
    assert_eq!(r["verdicts"], 2);
    // Two roles of one player with two strategies each: per game one 2 × 2 heatmap per role
    // (white background, 4 cells, 48 colour-bar steps), laid out.
    let heatmaps = r["heatmaps"].as_array().unwrap();
    assert_eq!(heatmaps.len(), 2 * 2);
    for h in heatmaps {
        assert_eq!(h["rects"], 1 + 4 + 48);
        assert!(h["width"].as_f64().unwrap() > 200.0 && h["height"].as_f64().unwrap() > 150.0);
    }
    assert_series_and_sorting(&r, 2);
    screenshot(&exe, &dir, &page);
}
