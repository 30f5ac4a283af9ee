//! Chain constants, named as the spec names them. Amounts are rao (1 TAO = 1e9 rao).

pub use tourney_sdk::{Rao, BLOCKS_PER_DAY, RAO_PER_TAO};

/// Total TAO supply cap, rao (21M TAO). Alpha uses the same cap per subnet.
pub const TOTAL_SUPPLY_RAO: u64 = 21_000_000 * RAO_PER_TAO;
/// Default epoch length of a subnet (blocks between Yuma runs).
pub const DEFAULT_TEMPO_BLOCKS: u64 = 360;
/// TaoWeight τw: root stake's weight relative to alpha stake (0.18 on chain).
pub const TAO_WEIGHT: f64 = 0.18;
/// Owner cut of alpha_out: 11796/65535 ≈ 18 %.
pub const OWNER_CUT_NUMERATOR: u64 = 11_796;
pub const OWNER_CUT_DENOMINATOR: u64 = 65_535;
/// Flat stake/unstake fee (E1 pools), rao, added to the pool's TAO.
pub const STAKE_FEE_RAO: u64 = 50_000;
/// A swap that would leave a reserve below this is rejected.
pub const MIN_RESERVE_RAO: u64 = 10_000_000;
/// E1 EMA price base rate per block and ramp half-point (blocks).
pub const EMA_PRICE_BASE_ALPHA: f64 = 0.000_003;
pub const EMA_PRICE_RAMP_BLOCKS: f64 = 201_600.0;
/// TaoFlow EMA rate per block (≈ 30-day half-life).
pub const FLOW_EMA_ALPHA: f64 = 3.209e-6;
/// Yuma: κ (consensus majority) and bonds EMA rate.
pub const YUMA_KAPPA: f64 = 0.5;
pub const YUMA_BOND_ALPHA: f64 = 0.1;

/// TAO as `f64`, for display and reports only.
pub fn tao(rao: Rao) -> f64 {
    rao as f64 / RAO_PER_TAO as f64
}
