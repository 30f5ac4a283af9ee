//! Plugins end to end: the seed strategies and the deliberately broken test plugins, built as
//! `cdylib`s, loaded through the ABI, and played — alone on scripted observations and together
//! in a short match. The host must survive every broken plugin and say why it failed.
//!
//! The libraries are built once per run (`cargo build --release -p …`, a no-op when
//! `cargo test --workspace --release` already built them) into the target directory this test
//! binary was built in, found from `CARGO_BIN_EXE_tourney`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tourney_engine::config::NetworkConfig;
use tourney_engine::plugin::{file_name_for, PluginError, PluginLibrary, ACTION_CAPACITY};
use tourney_engine::{run_match, Entrant, EntrantStatus, MatchConfig};
use tourney_sdk::testing::observation;
use tourney_sdk::{
    Action, ParamValue, Params, Role, SpendKind, Strategy, StrategyFault, WeightPolicy, RAO_PER_TAO,
};

const SEED_STRATEGIES: [&str; 7] = [
    "meme-farmer",
    "buyback-subnet",
    "foundation-interventionist",
    "btc-mining-subnet",
    "honest-ai-subnet",
    "momentum-speculator",
    "root-staker",
];
const TEST_PLUGINS: [&str; 3] = ["broken-plugin", "wrong-abi", "not-a-plugin"];

/// `target/release` (or `$CARGO_TARGET_DIR/release`): where the `tourney` binary was built.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_tourney"))
        .parent()
        .expect("the binary has a directory")
        .to_path_buf()
}

/// Build every plugin crate once for the whole test binary.
fn built() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "--release", "--quiet"]);
        for name in SEED_STRATEGIES.iter().chain(&TEST_PLUGINS) {
            cmd.args(["-p", name]);
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "building the plugin crates failed");
        target_dir()
    })
}

fn library_path(name: &str) -> PathBuf {
    built().join(file_name_for(name))
}

fn load(name: &str) -> PluginLibrary {
    PluginLibrary::load(library_path(name)).unwrap_or_else(|e| panic!("loading {name}: {e}"))
}

fn instance(name: &str, params: &Params) -> Box<dyn Strategy> {
    Box::new(load(name).instantiate(params, 7).expect("creates"))
}

fn decide(s: &mut dyn Strategy, o: &tourney_sdk::Observation) -> Vec<Action> {
    let mut actions = Vec::new();
    s.decide(o, &mut actions);
    actions
}

fn text(mode: &str) -> Params {
    Params::new().with("mode", ParamValue::Text(mode.into()))
}

#[test]
fn every_seed_strategy_loads_with_its_manifest() {
    for name in SEED_STRATEGIES {
        let lib = load(name);
        let info = lib.info();
        assert_eq!(info.name, name);
        assert_eq!(info.crate_name, name);
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(info.abi_version, tourney_sdk::abi::ABI_VERSION);
        assert_eq!(
            info.build_id,
            tourney_sdk::abi::build_id(name, env!("CARGO_PKG_VERSION")),
            "{name}: the build id is a pure function of name and versions"
        );
        // The manifest's file fingerprint: FNV-1a of the library's bytes, read once.
        let bytes = std::fs::read(lib.path()).unwrap();
        let hash = tourney_engine::tournament::journal::fnv1a64(&bytes);
        assert_eq!(lib.file_fnv1a64(), Some(hash), "{name}");
        assert_eq!(lib.file_fnv1a64(), Some(hash), "{name}: asked again");
        let owner = matches!(
            name,
            "meme-farmer" | "buyback-subnet" | "btc-mining-subnet" | "honest-ai-subnet"
        );
        let expected_role = if owner {
            Role::SubnetOwner
        } else {
            Role::Staker
        };
        assert_eq!(info.classifier.role, expected_role, "{name}");
        assert_eq!(
            info.classifier.uses_root_stake,
            matches!(name, "foundation-interventionist" | "root-staker"),
            "{name}"
        );
        assert_eq!(
            info.classifier.stochastic,
            name == "momentum-speculator",
            "{name}"
        );
    }
}

#[test]
fn seed_strategies_decide_through_the_abi_as_they_do_linked() {
    // The same first decisions their own unit tests pin down, now across the boundary.
    let mut owner_view = observation(3);
    owner_view.block = 360;
    owner_view.me.own_subnet = Some(2);
    let work = |tao_rao| Action::Spend {
        tao_rao,
        kind: SpendKind::Work,
    };
    let cases: Vec<(&str, Vec<Action>)> = vec![
        (
            "meme-farmer",
            vec![
                Action::SetIncentive {
                    holdings_weight: 1.0,
                },
                Action::Stake {
                    subnet: 2,
                    tao_rao: 800 * RAO_PER_TAO,
                },
            ],
        ),
        (
            "honest-ai-subnet",
            vec![
                Action::SetIncentive {
                    holdings_weight: 0.0,
                },
                work(RAO_PER_TAO),
            ],
        ),
        (
            "buyback-subnet",
            vec![
                Action::SetIncentive {
                    holdings_weight: 0.0,
                },
                work(RAO_PER_TAO),
            ],
        ),
        (
            "btc-mining-subnet",
            vec![
                Action::SetIncentive {
                    holdings_weight: 0.0,
                },
                Action::Spend {
                    tao_rao: RAO_PER_TAO,
                    kind: SpendKind::OffTopic,
                },
            ],
        ),
        (
            "root-staker",
            vec![Action::StakeRoot {
                tao_rao: 1_000 * RAO_PER_TAO,
            }],
        ),
    ];
    for (name, expected) in cases {
        let mut s = instance(name, &Params::new());
        assert_eq!(decide(s.as_mut(), &owner_view), expected, "{name}");
        assert!(s.take_faults().is_empty(), "{name}");
    }

    let mut meme = observation(3);
    meme.subnets[2].incentive_holdings_weight = 1.0;
    let mut foundation = instance("foundation-interventionist", &Params::new());
    assert_eq!(
        decide(foundation.as_mut(), &meme),
        vec![
            Action::StakeRoot {
                tao_rao: 900 * RAO_PER_TAO
            },
            Action::SetWeights {
                subnet: 3,
                policy: WeightPolicy::ZeroHolders
            },
        ]
    );

    let mut rising = observation(3);
    rising.subnets[1].price_change_1d = 0.1;
    rising.subnets[1].price_change_7d = 0.2;
    let mut momentum = instance("momentum-speculator", &Params::new());
    assert_eq!(
        decide(momentum.as_mut(), &rising),
        vec![Action::Stake {
            subnet: 2,
            tao_rao: 200 * RAO_PER_TAO
        }]
    );
}

#[test]
fn parameters_cross_the_boundary_and_bad_ones_are_refused() {
    let params = Params::new().number("fraction", 0.25);
    let mut s = instance("root-staker", &params);
    assert_eq!(
        decide(s.as_mut(), &observation(1)),
        vec![Action::StakeRoot {
            tao_rao: 250 * RAO_PER_TAO
        }]
    );
    let err = load("root-staker")
        .instantiate(&Params::new().number("fractoin", 0.25), 0)
        .unwrap_err();
    assert!(matches!(err, PluginError::CreateFailed { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("parameter `fractoin`: unknown parameter; known: fraction"),
        "{err}"
    );
}

#[test]
fn the_same_seed_plays_the_same_through_the_abi() {
    let mut o = observation(6);
    for (i, s) in o.subnets.iter_mut().enumerate() {
        // All tie: only the seeded noise orders them.
        s.price_change_1d = 0.05;
        s.price_change_7d = 0.05 + i as f64 * 0.0;
    }
    let lib = load("momentum-speculator");
    let play = |seed| {
        let mut s = lib.instantiate(&Params::new(), seed).unwrap();
        decide(&mut s, &o)
    };
    assert_eq!(play(3), play(3));
    let picks: std::collections::BTreeSet<_> =
        (0..12).map(|seed| format!("{:?}", play(seed))).collect();
    assert!(picks.len() > 1, "the seed must matter: {picks:?}");
}

#[test]
fn loading_twice_gives_the_same_library() {
    let a = load("root-staker");
    let b = PluginLibrary::load(library_path("root-staker")).unwrap();
    assert_eq!(a.path(), b.path());
    assert!(std::ptr::eq(a.info(), b.info()));
}

#[test]
fn a_name_is_found_on_the_plugin_path() {
    built();
    // TOURNEY_PLUGIN_PATH is searched first; setting it to the directory the other tests use
    // cannot disturb them.
    std::env::set_var("TOURNEY_PLUGIN_PATH", target_dir());
    let lib = PluginLibrary::load_by_name("honest-ai-subnet").unwrap();
    assert_eq!(lib.info().name, "honest-ai-subnet");
    let err = PluginLibrary::load_by_name("no-such-strategy").unwrap_err();
    assert!(matches!(err, PluginError::NotFound { .. }), "{err}");
}

#[test]
fn a_crate_directory_is_built_and_loaded() {
    built();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("strategies/root-staker");
    let lib = PluginLibrary::load_crate(&dir).unwrap();
    assert_eq!(lib.info().name, "root-staker");
    assert_eq!(
        lib.path(),
        library_path("root-staker").canonicalize().unwrap()
    );
}

#[test]
fn a_panic_in_create_is_an_error_with_its_message() {
    let err = load("broken-plugin")
        .instantiate(&text("panic-in-create"), 0)
        .unwrap_err();
    match &err {
        PluginError::Panicked {
            during, message, ..
        } => {
            assert_eq!(*during, "create");
            assert_eq!(message, "broken-plugin: deliberate panic in create");
        }
        other => panic!("expected a panic error, got {other}"),
    }
}

#[test]
fn a_panic_in_decide_forfeits_the_instance_and_the_host_goes_on() {
    let mut s = load("broken-plugin")
        .instantiate(&text("panic-in-decide"), 0)
        .unwrap();
    let o = observation(2);
    assert_eq!(
        decide(&mut s, &o),
        vec![Action::Stake {
            subnet: 1,
            tao_rao: 1_000
        }]
    );
    assert!(!s.is_faulted());
    assert_eq!(decide(&mut s, &o), vec![]);
    assert!(s.is_faulted());
    let faults = s.take_faults();
    assert_eq!(faults.len(), 1);
    match &faults[0] {
        StrategyFault::Forfeit { reason } => assert!(
            reason.contains("broken-plugin: deliberate panic at decision 2"),
            "{reason}"
        ),
        other => panic!("expected a forfeit, got {other:?}"),
    }
    // Faulted instances stay silent and report the forfeit once.
    assert_eq!(decide(&mut s, &o), vec![]);
    assert_eq!(s.take_faults(), vec![]);
}

#[test]
fn garbage_action_records_are_dropped_and_reported() {
    let mut s = instance("broken-plugin", &text("garbage-tags"));
    let actions = decide(s.as_mut(), &observation(1));
    assert_eq!(
        actions,
        vec![
            Action::Stake {
                subnet: 1,
                tao_rao: 1_000
            },
            Action::Stake {
                subnet: 1,
                tao_rao: 2_000
            },
        ]
    );
    let reasons: Vec<String> = s.take_faults().iter().map(|f| f.to_string()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("rejected action: block 0: unknown action tag 2989"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("rejected action: block 0: unknown action tag 0"),
        "{reasons:?}"
    );
}

#[test]
fn nan_negative_and_infinite_weights_are_rejected() {
    let mut s = instance("broken-plugin", &text("nan-weights"));
    assert_eq!(
        decide(s.as_mut(), &observation(1)),
        vec![Action::Stake {
            subnet: 1,
            tao_rao: 3_000
        }]
    );
    let reasons: Vec<String> = s.take_faults().iter().map(|f| f.to_string()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("work weight NaN"), "{reasons:?}");
    assert!(reasons[1].contains("holdings weight -1"), "{reasons:?}");
    assert!(reasons[2].contains("holdings weight inf"), "{reasons:?}");
}

#[test]
fn actions_beyond_the_buffer_are_dropped_and_reported() {
    let mut s = instance("broken-plugin", &text("too-many-actions"));
    let actions = decide(s.as_mut(), &observation(1));
    assert_eq!(actions.len(), ACTION_CAPACITY);
    assert_eq!(
        actions[ACTION_CAPACITY - 1],
        Action::Stake {
            subnet: 1,
            tao_rao: ACTION_CAPACITY as u64 - 1
        }
    );
    let reasons: Vec<String> = s.take_faults().iter().map(|f| f.to_string()).collect();
    assert_eq!(
        reasons,
        vec![format!(
            "rejected action: block 0: {} actions beyond the limit of {ACTION_CAPACITY} per decision were dropped",
            5_000 - ACTION_CAPACITY
        )]
    );
}

#[test]
fn a_panic_in_the_destructor_is_contained() {
    let mut s = instance("broken-plugin", &text("panic-in-drop"));
    assert_eq!(decide(s.as_mut(), &observation(1)).len(), 1);
    drop(s);
    // Still here; and the library still works.
    assert_eq!(
        decide(
            instance("broken-plugin", &text("ok")).as_mut(),
            &observation(1)
        )
        .len(),
        1
    );
}

#[test]
fn an_unknown_mode_is_a_parameter_error() {
    let err = load("broken-plugin")
        .instantiate(&text("explode"), 0)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "plugin `broken-plugin` refused its parameters: parameter `mode`: unknown mode `explode`"
    );
}

#[test]
fn a_different_abi_version_is_refused_before_any_call() {
    let err = PluginLibrary::load(library_path("wrong-abi")).unwrap_err();
    match err {
        PluginError::AbiVersionMismatch {
            found, expected, ..
        } => {
            assert_eq!(expected, tourney_sdk::abi::ABI_VERSION);
            assert_eq!(found, tourney_sdk::abi::ABI_VERSION + 1);
        }
        other => panic!("expected an ABI mismatch, got {other}"),
    }
}

#[test]
fn a_library_without_the_entry_symbol_is_not_a_plugin() {
    let err = PluginLibrary::load(library_path("not-a-plugin")).unwrap_err();
    assert!(matches!(err, PluginError::NotAPlugin { .. }), "{err}");
    assert!(err.to_string().contains("export_strategy!"), "{err}");
}

/// A short melee on a small network: every seed strategy as a dylib, plus a broken plugin that
/// panics at its second decision.
#[test]
fn a_short_match_of_loaded_plugins() {
    let config = MatchConfig {
        seed: 11,
        horizon_day: 2.0,
        check_conservation: true,
        network: NetworkConfig {
            background_subnets: 6,
            ..NetworkConfig::default()
        },
        ..MatchConfig::default()
    };
    let mut entrants: Vec<Entrant> = SEED_STRATEGIES
        .iter()
        .enumerate()
        .map(|(k, name)| Entrant {
            name: name.to_string(),
            strategy: Box::new(
                load(name)
                    .instantiate(&Params::new(), tourney_engine::entrant_seed(config.seed, k))
                    .unwrap(),
            ),
            capital_tao: None,
            root_claim: None,
        })
        .collect();
    entrants.push(Entrant {
        name: "broken".into(),
        strategy: Box::new(
            load("broken-plugin")
                .instantiate(&text("panic-in-decide"), 0)
                .unwrap(),
        ),
        capital_tao: None,
        root_claim: None,
    });
    let outcome = run_match(&config, entrants).expect("the match runs");
    // 2 days of 7,200 blocks.
    assert_eq!(outcome.blocks, 14_400);
    let by_name = |n: &str| {
        outcome
            .payoffs
            .iter()
            .find(|p| p.name == n)
            .unwrap_or_else(|| panic!("no payoff for {n}"))
    };
    for name in SEED_STRATEGIES {
        assert_eq!(by_name(name).status, EntrantStatus::Ok, "{name}");
    }
    match &by_name("broken").status {
        EntrantStatus::Forfeit(reason) => {
            assert!(
                reason.contains("deliberate panic at decision 2"),
                "{reason}"
            )
        }
        other => panic!("the broken plugin should forfeit, got {other:?}"),
    }
    // Root stake is 1:1 and earns dividends: the root staker cannot lose.
    let root = by_name("root-staker");
    assert!(root.final_worth_tao >= root.initial_capital_tao, "{root:?}");
    // The owners paid for work / hash rate: 20 TAO a day for 2 days, give or take a decision.
    for owner in ["honest-ai-subnet", "buyback-subnet", "btc-mining-subnet"] {
        let costs = by_name(owner).costs_tao;
        assert!((38.0..=40.0).contains(&costs), "{owner}: costs {costs}");
    }
}

fn tourney(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tourney"))
        .args(args)
        // Share this build's target directory, so building a new crate reuses what is built.
        .env("CARGO_TARGET_DIR", target_dir().parent().unwrap())
        .output()
        .expect("tourney runs")
}

#[test]
fn a_scaffolded_crate_builds_and_passes_check() {
    built();
    let dir = std::env::temp_dir().join(format!("tourney-plugin-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let new = tourney(&["plugin", "new", "e2e-strat", "--dir", dir.to_str().unwrap()]);
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let crate_dir = dir.join("e2e-strat");
    let check = tourney(&["plugin", "check", crate_dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(stdout.contains("plugin:      e2e-strat"), "{stdout}");
    assert!(stdout.contains("deterministic: yes"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn new_and_check_refuse_names_and_parameters_that_cannot_work() {
    let dir = std::env::temp_dir().join(format!("tourney-plugin-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let at = dir.to_str().unwrap();
    let refused = |args: &[&str], expected: &str| {
        let out = tourney(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    };
    // `tourney-sdk` would depend on itself; `self` and `std` are no crate names cargo takes.
    for name in ["tourney-sdk", "self", "std", "test"] {
        refused(
            &["plugin", "new", name, "--dir", at],
            "not a valid strategy name",
        );
    }
    // An SDK path that is no SDK crate (here a file) would scaffold a crate that cannot build.
    let file = dir.join("not-an-sdk");
    std::fs::write(&file, "").unwrap();
    let sdk = file.to_str().unwrap();
    refused(
        &["plugin", "new", "ok-name", "--dir", at, "--sdk", sdk],
        "is not the tourney-sdk crate",
    );
    assert!(!dir.join("ok-name").exists());
    // A parameter given twice kept its last value without a word.
    let root = library_path("root-staker");
    let root = root.to_str().unwrap();
    let twice = [
        "plugin",
        "check",
        root,
        "--param",
        "fraction=0.1",
        "--param",
        "fraction=0.9",
    ];
    refused(&twice, "--param fraction is given twice");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_fails_on_a_faulting_plugin_and_refuses_a_foreign_abi() {
    let broken = library_path("broken-plugin");
    let panics = tourney(&[
        "plugin",
        "check",
        broken.to_str().unwrap(),
        "--param",
        "mode=panic-in-decide",
    ]);
    assert_eq!(panics.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&panics.stderr);
    assert!(stderr.contains("the plugin faulted"), "{stderr}");
    assert!(
        stderr.contains("deliberate panic at decision 2"),
        "{stderr}"
    );

    let garbage = tourney(&[
        "plugin",
        "check",
        broken.to_str().unwrap(),
        "--param",
        "mode=garbage-tags",
    ]);
    assert_eq!(garbage.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&garbage.stderr).contains("unknown action tag"));

    let foreign = tourney(&[
        "plugin",
        "check",
        library_path("wrong-abi").to_str().unwrap(),
    ]);
    assert_eq!(foreign.status.code(), Some(2));
    // The wrong-abi plugin claims the version after ours.
    let claimed = format!("ABI version {}", tourney_sdk::abi::ABI_VERSION + 1);
    assert!(
        String::from_utf8_lossy(&foreign.stderr).contains(&claimed),
        "{}",
        String::from_utf8_lossy(&foreign.stderr)
    );
}
