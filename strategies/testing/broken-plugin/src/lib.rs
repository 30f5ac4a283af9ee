//! A deliberately broken tourney plugin. Its `mode` parameter picks the misbehaviour, so one
//! library exercises every way a plugin can fail the host:
//!
//! | mode | what it does | what the host must do |
//! |---|---|---|
//! | `ok` (default) | one valid `Stake` per decision | play it |
//! | `panic-in-create` | panics while being created | `PluginError::Panicked` |
//! | `panic-in-decide` | plays once, then panics at its second decision | forfeit with the message |
//! | `garbage-tags` | a valid record, a record with tag 0xBAD, a zeroed record, a valid record | keep the two valid ones, record two rejections |
//! | `nan-weights` | NaN, negative and infinite weights | reject each, record why |
//! | `too-many-actions` | 5,000 stakes | keep the first ones up to the host's limit, record the rest |
//! | `panic-in-drop` | panics when destroyed | carry on |
//! | `abort-in-decide` | plays once, then aborts the process | under `--isolate`: an error row, the tournament completes |
//! | `hang-in-decide` | plays once, then never returns | under `--isolate`: a timeout error row |
//! | `print-in-decide` | prints a line on stdout and stderr at every decision, plays on | under `--isolate`: play it (stdout is not the result channel) |
//! | `flood-stdout` | prints 32 MiB on stdout at its first decision, then aborts at its second | under `--isolate`: an error row quoting a capped tail of the output |
//! | `spawn-child` | starts `sleep 60` at its first decision, plays on | under `--isolate`: the match ends without waiting for the child, which is killed |
//! | `spawn-child-and-hang` | starts `sleep 60`, then never returns | under `--isolate`: a timeout; the worker's whole process group is killed |
//! | `abort-in-create` | aborts the process while being created | `validate` and `run --isolate`: exit 2 naming the entrant |
//! | `loop-in-create` | never returns from being created | the same, after the timeout |
//! | `exit-in-decide` | plays once, then calls `exit(0)` | in process: `run` exits non-zero saying so; isolated: an error row |
//! | `alloc-in-decide` | plays once, then reserves memory without end | under `--worker-memory`: an error row naming the entrant |
//!
//! With `BROKEN_PLUGIN_PID_DIR` set, the modes that hang or spawn write empty files named
//! `worker-<pid>` (the process running the plugin) and `child-<pid>` (the child it started)
//! there, so tests can check that none outlives what it should.
//!
//! An unknown `mode` is a parameter error (`PluginError::CreateFailed`).

use std::sync::OnceLock;

use tourney_sdk::abi::{
    action_tag, manifest_for, DecideFn, FfiAction, FfiMessage, FfiObservation, PluginManifest,
};
use tourney_sdk::{
    Action, Classifier, Observation, ParamError, Params, Role, Strategy, StrategyFactory,
    StrategyInfo, WeightPolicy,
};

/// Stake amount that marks a record for the entry's wrapper to corrupt: the SDK's encoder
/// cannot produce an invalid record, so this plugin corrupts valid ones after encoding.
pub const GARBAGE_MARKER: u64 = 0xBAD_BAD_BAD;
/// The tag the corrupted record gets.
pub const GARBAGE_TAG: u32 = 0xBAD;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Ok,
    PanicInCreate,
    PanicInDecide,
    GarbageTags,
    NanWeights,
    TooManyActions,
    PanicInDrop,
    AbortInDecide,
    HangInDecide,
    PrintInDecide,
    FloodStdout,
    SpawnChild,
    SpawnChildAndHang,
    AbortInCreate,
    LoopInCreate,
    ExitInDecide,
    AllocInDecide,
}

impl Mode {
    fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            "ok" => Mode::Ok,
            "panic-in-create" => Mode::PanicInCreate,
            "panic-in-decide" => Mode::PanicInDecide,
            "garbage-tags" => Mode::GarbageTags,
            "nan-weights" => Mode::NanWeights,
            "too-many-actions" => Mode::TooManyActions,
            "panic-in-drop" => Mode::PanicInDrop,
            "abort-in-decide" => Mode::AbortInDecide,
            "hang-in-decide" => Mode::HangInDecide,
            "print-in-decide" => Mode::PrintInDecide,
            "flood-stdout" => Mode::FloodStdout,
            "spawn-child" => Mode::SpawnChild,
            "spawn-child-and-hang" => Mode::SpawnChildAndHang,
            "abort-in-create" => Mode::AbortInCreate,
            "loop-in-create" => Mode::LoopInCreate,
            "exit-in-decide" => Mode::ExitInDecide,
            "alloc-in-decide" => Mode::AllocInDecide,
            _ => return None,
        })
    }
}

pub struct Broken {
    mode: Mode,
    decisions: u64,
}

/// Record a pid in `BROKEN_PLUGIN_PID_DIR` (if set) as an empty file `<what>-<pid>`.
fn record_pid(what: &str, pid: u32) {
    if let Some(dir) = std::env::var_os("BROKEN_PLUGIN_PID_DIR") {
        let _ = std::fs::write(
            std::path::Path::new(&dir).join(format!("{what}-{pid}")),
            b"",
        );
    }
}

/// Start `sleep 60` (the plugin's own child process) and record both pids.
fn spawn_sleeper() {
    record_pid("worker", std::process::id());
    if let Ok(child) = std::process::Command::new("sleep").arg("60").spawn() {
        record_pid("child", child.id());
        // Not waited for: it is left running, as a careless plugin would.
        std::mem::forget(child);
    }
}

fn hang() -> ! {
    record_pid("worker", std::process::id());
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

impl Strategy for Broken {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "broken-plugin".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::Staker,
                stochastic: false,
                uses_root_stake: false,
            },
        }
    }

    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        self.decisions += 1;
        let subnet = o.subnets.first().map_or(1, |s| s.id);
        let stake = |tao_rao| Action::Stake { subnet, tao_rao };
        match self.mode {
            Mode::Ok | Mode::PanicInDrop => actions.push(stake(1_000)),
            Mode::PanicInDecide => {
                if self.decisions >= 2 {
                    panic!(
                        "broken-plugin: deliberate panic at decision {}",
                        self.decisions
                    );
                }
                actions.push(stake(1_000));
            }
            Mode::AbortInDecide | Mode::HangInDecide => {
                if self.decisions >= 2 {
                    if self.mode == Mode::AbortInDecide {
                        std::process::abort();
                    }
                    hang();
                }
                actions.push(stake(1_000));
            }
            Mode::PrintInDecide => {
                println!(
                    "broken-plugin: hello on stdout at decision {}",
                    self.decisions
                );
                eprintln!(
                    "broken-plugin: hello on stderr at decision {}",
                    self.decisions
                );
                actions.push(stake(1_000));
            }
            Mode::FloodStdout => {
                if self.decisions >= 2 {
                    std::process::abort();
                }
                use std::io::Write;
                let line = [b'x'; 1023];
                let mut out = std::io::stdout().lock();
                for _ in 0..32 * 1024 {
                    let _ = out.write_all(&line);
                    let _ = out.write_all(b"\n");
                }
                let _ = out.write_all(b"broken-plugin: end of the flood\n");
                let _ = out.flush();
                actions.push(stake(1_000));
            }
            Mode::SpawnChild => {
                if self.decisions == 1 {
                    spawn_sleeper();
                }
                actions.push(stake(1_000));
            }
            Mode::SpawnChildAndHang => {
                spawn_sleeper();
                hang();
            }
            Mode::ExitInDecide => {
                if self.decisions >= 2 {
                    std::process::exit(0);
                }
                actions.push(stake(1_000));
            }
            Mode::AllocInDecide => {
                if self.decisions >= 2 {
                    // Reserved, never touched: without a limit this costs address space only.
                    let mut kept: Vec<Vec<u8>> = Vec::new();
                    for _ in 0..64 {
                        kept.push(std::hint::black_box(Vec::with_capacity(256 << 20)));
                    }
                    std::mem::forget(kept);
                    panic!("broken-plugin: reserved 16 GiB and no limit stopped it");
                }
                actions.push(stake(1_000));
            }
            Mode::PanicInCreate | Mode::AbortInCreate | Mode::LoopInCreate => {
                unreachable!("never created")
            }
            Mode::GarbageTags => {
                actions.push(stake(1_000));
                actions.push(stake(GARBAGE_MARKER));
                actions.push(stake(GARBAGE_MARKER + 1));
                actions.push(stake(2_000));
            }
            Mode::NanWeights => {
                actions.push(Action::SetWeights {
                    subnet,
                    policy: WeightPolicy::Classes {
                        work: f64::NAN,
                        holdings: 0.0,
                        burn: 0.0,
                    },
                });
                actions.push(Action::SetIncentive {
                    holdings_weight: -1.0,
                });
                actions.push(Action::SetWeights {
                    subnet,
                    policy: WeightPolicy::Classes {
                        work: 1.0,
                        holdings: f64::INFINITY,
                        burn: 0.0,
                    },
                });
                actions.push(stake(3_000));
            }
            Mode::TooManyActions => actions.extend((0..5_000).map(stake)),
        }
    }
}

impl Drop for Broken {
    fn drop(&mut self) {
        if self.mode == Mode::PanicInDrop && !std::thread::panicking() {
            panic!("broken-plugin: deliberate panic in drop");
        }
    }
}

impl StrategyFactory for Broken {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&["mode"])?;
        let text = params.get_text("mode", "ok")?;
        let mode = Mode::parse(text).ok_or_else(|| ParamError {
            param: "mode".into(),
            message: format!("unknown mode `{text}`"),
        })?;
        match mode {
            Mode::PanicInCreate => panic!("broken-plugin: deliberate panic in create"),
            Mode::AbortInCreate => {
                eprintln!("broken-plugin: aborting in create");
                std::process::abort()
            }
            Mode::LoopInCreate => hang(),
            _ => {}
        }
        Ok(Broken { mode, decisions: 0 })
    }
}

/// The SDK's decide thunk, wrapped by [`corrupting_decide`].
static SDK_DECIDE: OnceLock<DecideFn> = OnceLock::new();

/// Calls the SDK's decide, then corrupts the marked records: the first marked one gets an
/// unknown tag, the next is zeroed (tag 0, which the ABI reserves as invalid).
unsafe extern "C" fn corrupting_decide(
    handle: *mut std::ffi::c_void,
    observation: *const FfiObservation,
    out: *mut FfiAction,
    out_capacity: usize,
    out_len: *mut usize,
    out_error: *mut FfiMessage,
) -> i32 {
    let inner = SDK_DECIDE.get().expect("set with the manifest");
    // SAFETY: forwarding the host's arguments unchanged.
    let code = unsafe { inner(handle, observation, out, out_capacity, out_len, out_error) };
    if code == 0 {
        // SAFETY: the SDK thunk wrote `min(*out_len, out_capacity)` records.
        let records = unsafe { std::slice::from_raw_parts_mut(out, (*out_len).min(out_capacity)) };
        for r in records {
            if r.tag == action_tag::STAKE && r.amount_rao == GARBAGE_MARKER {
                r.tag = GARBAGE_TAG;
            } else if r.tag == action_tag::STAKE && r.amount_rao == GARBAGE_MARKER + 1 {
                *r = FfiAction::default();
            }
        }
    }
    code
}

/// The entry point, by hand, to slip [`corrupting_decide`] in.
#[no_mangle]
pub extern "C" fn tourney_strategy_entry_v1() -> *const PluginManifest {
    static MANIFEST: OnceLock<PluginManifest> = OnceLock::new();
    MANIFEST.get_or_init(|| {
        let mut m = manifest_for::<Broken>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        SDK_DECIDE.get_or_init(|| m.decide);
        m.decide = corrupting_decide;
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::ParamValue;

    fn broken(mode: &str) -> Broken {
        Broken::create(
            &Params::new().with("mode", ParamValue::Text(mode.into())),
            0,
        )
        .unwrap()
    }

    #[test]
    fn ok_mode_stakes_on_the_first_subnet() {
        let actions = scripted(&mut broken("ok"), &[observation(2)]);
        assert_eq!(
            actions,
            vec![vec![Action::Stake {
                subnet: 1,
                tao_rao: 1_000
            }]]
        );
    }

    #[test]
    fn unknown_modes_are_parameter_errors() {
        let err = Broken::create(&Params::new().with("mode", ParamValue::Text("x".into())), 0)
            .err()
            .unwrap();
        assert_eq!(err.param, "mode");
    }

    #[test]
    fn garbage_mode_marks_two_records_between_valid_ones() {
        let actions = scripted(&mut broken("garbage-tags"), &[observation(1)]);
        let amounts: Vec<u64> = actions[0]
            .iter()
            .map(|a| match a {
                Action::Stake { tao_rao, .. } => *tao_rao,
                _ => 0,
            })
            .collect();
        assert_eq!(
            amounts,
            vec![1_000, GARBAGE_MARKER, GARBAGE_MARKER + 1, 2_000]
        );
    }
}
