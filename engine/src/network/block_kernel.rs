//! The per-block work of every subnet: injection, the alpha_out split, the root alpha sale and
//! the EMAs, as passes over the subnet arrays (structure of arrays).
//!
//! Why passes and not one loop: this is the engine's hot loop (it runs once per subnet per
//! block, ~1e8 times a second is the target, ≈ 30 cycles each), and at that budget it needs
//! SIMD. Only straight-line elementwise work vectorises, so the block is cut where the exact
//! integer swaps are:
//!
//! 0. [`refresh_alpha_emission`]: a scan for subnets whose alpha issuance left its halving
//!    interval; the rare refresh is scalar.
//! 1. [`inject_and_split`], elementwise: emission share → TAO in, alpha in, root proportion,
//!    the alpha_out split into pending amounts. Integer results come from the same `f64`
//!    expressions the chain formulas give, truncated, exactly as a scalar loop computes them.
//! 2. [`swap`]: chain buys (scalar, E2/E3 only) and the root alpha sale, exact swaps rounding in
//!    the pool's favour; the sale is elementwise too (see [`sell_root_alpha`]). On E5's weighted
//!    pools both are the pool's own scalar swap, and passes 1 and 3 take the price through the
//!    pool's price factor (a separate loop instance: the constant-product loops read none).
//! 3. [`update_emas`], elementwise: the moving price, the flow EMA, and (under `taoflow-net`)
//!    the protocol flow EMA.
//!
//! The elementwise loops are compiled twice, for the baseline CPU and with AVX-512 (picked at run
//! time, see [`Simd`]). Vector and scalar code perform the same IEEE operations on each
//! element in the same order — no reassociation, no fused multiply-add — so results are
//! bit-identical whichever path runs; the one reduction over subnets in these passes is an
//! integer sum (TAO injected), exact in any order.

use crate::emission::{halving_interval, AlphaEmission};
use crate::injection::{self, InjectionRule};
use crate::pool::{correct_quotient, quotient_estimate, Curve, Reserves, Weights};
use crate::rates::Rates;
use crate::units::{rao_from_f64, Rao, MIN_RESERVE_RAO};

/// One block of the moving price (spec §2): `p̄ ← a·min(p, 1) + (1 − a)·p̄` with
/// `a = 3e-6 · b/(b + 201,600)` (the ramp, from 2025-03-11) or the constant 3e-6 without it;
/// `b` is the subnet's age in blocks (a negative age counts as 0). The rate and the ramp's
/// length are the match's [`Rates`] (the chain's by default).
#[inline(always)]
pub fn ema_price_step(ema: f64, price: f64, age_blocks: i64, ramp: bool, rates: &Rates) -> f64 {
    let a = rates.ema_price_rate_at(age_blocks, ramp);
    a * price.min(1.0) + (1.0 - a) * ema
}

/// One block of TaoFlow's EMA at rate `f`: `S ← (1 − f)·S + f·F`.
#[inline(always)]
pub fn flow_ema_step(ema: f64, flow: f64, f: f64) -> f64 {
    ema + f * (flow - ema)
}

/// Which compiled version of the elementwise passes this CPU runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simd {
    Baseline,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Simd {
    /// `avx512` or `baseline`.
    pub fn name(self) -> &'static str {
        match self {
            Simd::Baseline => "baseline",
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => "avx512",
        }
    }

    /// The widest version the CPU supports (`std` caches the CPU's answer), unless the
    /// environment sets `TOURNEY_SIMD=baseline` (to measure or check the scalar build on a
    /// machine that has AVX-512: results are identical either way).
    pub fn detect() -> Simd {
        if std::env::var_os("TOURNEY_SIMD").is_some_and(|v| v == "baseline") {
            return Simd::Baseline;
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            return Simd::Avx512;
        }
        Simd::Baseline
    }
}

/// Block-wide inputs of pass 1.
#[derive(Clone, Copy, Debug)]
pub struct BlockInputs {
    pub rule: InjectionRule,
    /// TAO block emission, rao.
    pub block_emission: Rao,
    /// A scheduled root proportion, or `None` for the native `τw·R / (τw·R + A_i)`.
    pub scheduled_root_proportion: Option<f64>,
    /// τw·R, rao.
    pub root_weighted: f64,
}

/// What pass 1 hands to pass 2, per subnet (scratch arrays, reused across blocks).
#[derive(Clone, Debug, Default)]
pub struct Handoff {
    /// TAO that buys alpha for the chain (E2/E3), before the swap.
    pub chain_buy_tao: Vec<Rao>,
    /// Root's alpha, to be sold for TAO (or, when it is not sold, never minted: recycled).
    pub root_alpha: Vec<Rao>,
    /// Protocol flow P_i this block (E4): TAO injected plus chain buys minus root sales, rao.
    pub protocol_flow: Vec<f64>,
}

impl Handoff {
    pub fn resize(&mut self, n: usize) {
        self.chain_buy_tao.resize(n, 0);
        self.root_alpha.resize(n, 0);
        self.protocol_flow.resize(n, 0.0);
    }
}

/// What pass 1 found over all subnets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Injected {
    /// TAO put into pools this block (chain buys not included), rao.
    pub tao_in: Rao,
    /// Whether any subnet has a chain buy to make (never under E1).
    pub any_chain_buy: bool,
}

/// Before pass 1: refresh α_e and its split where a subnet's alpha issuance (pool + outstanding)
/// has left its halving interval since the last block (crossed a halving, or fallen back below
/// one after burns). The check is a vectorisable scan; the refresh is rare.
pub fn refresh_alpha_emission(
    simd: Simd,
    reserves: &[Reserves],
    alpha_outstanding: &[Rao],
    interval: &mut [(Rao, Rao)],
    alpha_emission: &mut [AlphaEmission],
    owner_cut: u64,
    rates: &Rates,
) {
    let stale = match simd {
        Simd::Baseline => any_outside_interval(reserves, alpha_outstanding, interval),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx512` is only ever detected on a CPU with these features.
        Simd::Avx512 => unsafe {
            any_outside_interval_avx512(reserves, alpha_outstanding, interval)
        },
    };
    if stale {
        for i in 0..reserves.len() {
            let issuance = reserves[i].alpha_rao + alpha_outstanding[i];
            if outside(issuance, interval[i]) {
                alpha_emission[i] = AlphaEmission::at_issuance_with_cut(issuance, owner_cut)
                    .with_injection_cap(rates);
                interval[i] = halving_interval(issuance);
            }
        }
    }
}

/// Whether `issuance` lies outside the halving interval `[from, below)`. `|`, not `||`: no
/// branch, so the scan below vectorises.
#[inline(always)]
fn outside(issuance: Rao, (from, below): (Rao, Rao)) -> bool {
    (issuance < from) | (issuance >= below)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn any_outside_interval_avx512(
    reserves: &[Reserves],
    alpha_outstanding: &[Rao],
    interval: &[(Rao, Rao)],
) -> bool {
    any_outside_interval(reserves, alpha_outstanding, interval)
}

#[inline(always)]
fn any_outside_interval(
    reserves: &[Reserves],
    alpha_outstanding: &[Rao],
    interval: &[(Rao, Rao)],
) -> bool {
    let n = reserves.len();
    let (alpha_outstanding, interval) = (&alpha_outstanding[..n], &interval[..n]);
    let mut any = false;
    for i in 0..n {
        any |= outside(reserves[i].alpha_rao + alpha_outstanding[i], interval[i]);
    }
    any
}

/// The arrays pass 1 reads and writes. Every slice has the same length (one per subnet).
pub struct InjectPass<'a> {
    pub share: &'a [f64],
    pub share_out: &'a mut [f64],
    pub reserves: &'a mut [Reserves],
    /// Each pool's price factor `w_α/w_τ` for weighted pools (E5), or `None` for
    /// constant-product pools (whose loop then reads no factor at all).
    pub price_factor: Option<&'a [f64]>,
    pub alpha_outstanding: &'a mut [Rao],
    pub alpha_emission: &'a [AlphaEmission],
    pub root_proportion: &'a mut [f64],
    pub pending_owner: &'a mut [Rao],
    pub pending_miner: &'a mut [Rao],
    pub pending_validator: &'a mut [Rao],
    pub alpha_minted: &'a mut [Rao],
    pub emission_tao: &'a mut [Rao],
    pub handoff: &'a mut Handoff,
}

/// Pass 1: inject each subnet's share of the block emission into its pool and split its
/// alpha_out (spec §3, §5), counting what is minted and emitted. Root's alpha and chain buys
/// are left in the handoff for pass 2.
pub fn inject_and_split(simd: Simd, inputs: &BlockInputs, pass: InjectPass<'_>) -> Injected {
    match simd {
        Simd::Baseline => inject_and_split_for_rule(inputs, pass),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx512` is only ever detected on a CPU with these features.
        Simd::Avx512 => unsafe { inject_and_split_avx512(inputs, pass) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn inject_and_split_avx512(inputs: &BlockInputs, pass: InjectPass<'_>) -> Injected {
    inject_and_split_for_rule(inputs, pass)
}

/// One monomorphic loop per injection rule, so the rule's `match` is resolved outside the loop.
#[inline(always)]
fn inject_and_split_for_rule(inputs: &BlockInputs, pass: InjectPass<'_>) -> Injected {
    match inputs.rule {
        InjectionRule::E1 => inject_and_split_loop(InjectionRule::E1, inputs, pass),
        InjectionRule::E2 => inject_and_split_loop(InjectionRule::E2, inputs, pass),
        InjectionRule::E3 => inject_and_split_loop(InjectionRule::E3, inputs, pass),
        InjectionRule::E3CapBlockEmission => {
            inject_and_split_loop(InjectionRule::E3CapBlockEmission, inputs, pass)
        }
        InjectionRule::E5RootCap => inject_and_split_loop(InjectionRule::E5RootCap, inputs, pass),
    }
}

#[inline(always)]
fn inject_and_split_loop(
    rule: InjectionRule,
    inputs: &BlockInputs,
    pass: InjectPass<'_>,
) -> Injected {
    let n = pass.share.len();
    let h = pass.handoff;
    // Slices of exactly `n`, so the index loop has no bounds checks; passed as separate `&mut`
    // arguments because only function arguments carry the no-alias facts that let the loop
    // vectorise without runtime overlap checks between every pair of arrays.
    // One loop per pool kind: the constant-product loop is the one it always was (it reads
    // no price factor).
    match pass.price_factor {
        None => inject_and_split_slices::<false>(
            rule,
            inputs,
            &pass.share[..n],
            &mut pass.share_out[..n],
            &mut pass.reserves[..n],
            &[],
            &mut pass.alpha_outstanding[..n],
            &pass.alpha_emission[..n],
            &mut pass.root_proportion[..n],
            &mut pass.pending_owner[..n],
            &mut pass.pending_miner[..n],
            &mut pass.pending_validator[..n],
            &mut pass.alpha_minted[..n],
            &mut pass.emission_tao[..n],
            &mut h.chain_buy_tao[..n],
            &mut h.root_alpha[..n],
            &mut h.protocol_flow[..n],
        ),
        Some(factor) => inject_and_split_slices::<true>(
            rule,
            inputs,
            &pass.share[..n],
            &mut pass.share_out[..n],
            &mut pass.reserves[..n],
            &factor[..n],
            &mut pass.alpha_outstanding[..n],
            &pass.alpha_emission[..n],
            &mut pass.root_proportion[..n],
            &mut pass.pending_owner[..n],
            &mut pass.pending_miner[..n],
            &mut pass.pending_validator[..n],
            &mut pass.alpha_minted[..n],
            &mut pass.emission_tao[..n],
            &mut h.chain_buy_tao[..n],
            &mut h.root_alpha[..n],
            &mut h.protocol_flow[..n],
        ),
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn inject_and_split_slices<const WEIGHTED: bool>(
    rule: InjectionRule,
    inputs: &BlockInputs,
    share: &[f64],
    share_out: &mut [f64],
    reserves: &mut [Reserves],
    price_factor: &[f64],
    alpha_outstanding: &mut [Rao],
    alpha_emission: &[AlphaEmission],
    root_proportion: &mut [f64],
    pending_owner: &mut [Rao],
    pending_miner: &mut [Rao],
    pending_validator: &mut [Rao],
    alpha_minted: &mut [Rao],
    emission_tao: &mut [Rao],
    chain_buy_tao: &mut [Rao],
    root_alpha_out: &mut [Rao],
    protocol_flow: &mut [f64],
) -> Injected {
    let n = share.len();
    let (share_out, reserves, alpha_outstanding) = (
        &mut share_out[..n],
        &mut reserves[..n],
        &mut alpha_outstanding[..n],
    );
    let (alpha_emission, root_proportion) = (&alpha_emission[..n], &mut root_proportion[..n]);
    let price_factor = if WEIGHTED {
        &price_factor[..n]
    } else {
        price_factor
    };
    let (pending_owner, pending_miner, pending_validator) = (
        &mut pending_owner[..n],
        &mut pending_miner[..n],
        &mut pending_validator[..n],
    );
    let (alpha_minted, emission_tao, chain_buy_tao, root_alpha_out) = (
        &mut alpha_minted[..n],
        &mut emission_tao[..n],
        &mut chain_buy_tao[..n],
        &mut root_alpha_out[..n],
    );
    let protocol_flow = &mut protocol_flow[..n];
    let mut tao_in_total: Rao = 0;
    let mut chain_buys: Rao = 0;
    let e_block = inputs.block_emission;
    // Amounts are below 2^63 rao: signed conversions are single instructions.
    let e_block_f = e_block as i64 as f64;
    let root_weighted = inputs.root_weighted;
    let scheduled = inputs.scheduled_root_proportion;
    // An index loop on purpose: the body reads and writes a dozen parallel arrays at `i`.
    #[allow(clippy::needless_range_loop)]
    for i in 0..n {
        let s = share[i];
        share_out[i] = s;
        let emission = rao_from_f64(e_block_f * s);
        let pool = reserves[i];
        let issuance = pool.alpha_rao + alpha_outstanding[i];
        let split = alpha_emission[i];
        // Root proportion, from the issuance before this block's mint (E5's injection cap and
        // the alpha_out split).
        let rp = match scheduled {
            None => {
                let a = issuance as i64 as f64;
                if root_weighted + a > 0.0 {
                    root_weighted / (root_weighted + a)
                } else {
                    0.0
                }
            }
            Some(x) => x,
        };
        root_proportion[i] = rp;
        let price = if WEIGHTED {
            pool.price() * price_factor[i]
        } else {
            pool.price()
        };
        let inj = injection::inject(rule, emission, split.injection_cap, rp, price, e_block);
        reserves[i] = Reserves {
            tao_rao: pool.tao_rao + inj.tao_in,
            alpha_rao: pool.alpha_rao + inj.alpha_in,
        };
        emission_tao[i] += inj.tao_in;
        tao_in_total += inj.tao_in;
        chain_buy_tao[i] = inj.chain_buy_tao;
        chain_buys |= inj.chain_buy_tao;
        protocol_flow[i] = inj.tao_in as i64 as f64;

        // alpha_out split (spec §5): root's part by root proportion.
        let root_alpha = rao_from_f64(split.validators_and_root as i64 as f64 * rp);
        let validators = split.validators_and_root - root_alpha;
        pending_owner[i] += split.owner;
        pending_miner[i] += split.miners;
        pending_validator[i] += validators;
        let paid_out = split.owner + split.miners + validators;
        alpha_outstanding[i] += paid_out;
        // A subsidised subnet (E2) sells no root alpha: root's part is never minted.
        root_alpha_out[i] = if inj.subsidised { 0 } else { root_alpha };
        alpha_minted[i] += inj.alpha_in + paid_out;
    }
    Injected {
        tao_in: tao_in_total,
        any_chain_buy: chain_buys != 0,
    }
}

/// The arrays pass 2 reads and writes.
pub struct SwapPass<'a> {
    pub reserves: &'a mut [Reserves],
    /// E5's pool weights, or empty for constant-product pools.
    pub pool_weights: &'a [Weights],
    pub alpha_minted: &'a mut [Rao],
    pub alpha_burned: &'a mut [Rao],
    pub emission_tao: &'a mut [Rao],
    pub pending_root_tao: &'a mut [Rao],
    pub handoff: &'a mut Handoff,
}

/// Pass 2: chain buys (E2/E3: the alpha bought is removed), then the root alpha sale (for TAO
/// paid to root stakers at the epoch when `sells_root`; otherwise root's alpha is never
/// minted: recycled). Both are exact swaps. Returns the TAO the chain buys emitted.
///
/// With `track_flow`, root sales are also taken off `handoff.protocol_flow` (E4 reads it; the
/// other rules skip the bookkeeping, which costs a fifth of the sale pass).
pub fn swap(
    simd: Simd,
    sells_root: bool,
    track_flow: bool,
    injected: Injected,
    pass: SwapPass<'_>,
) -> Rao {
    let n = pass.reserves.len();
    let mut bought_with: Rao = 0;
    if injected.any_chain_buy {
        for i in 0..n {
            let buy = pass.handoff.chain_buy_tao[i];
            if buy > 0 {
                let curve = match pass.pool_weights.get(i) {
                    Some(&w) => Curve::Weighted(w),
                    None => Curve::ConstantProduct,
                };
                let bought = pass.reserves[i].protocol_buy_on(curve, buy);
                if bought > 0 {
                    pass.alpha_burned[i] += bought;
                    pass.emission_tao[i] += buy;
                    pass.handoff.protocol_flow[i] += buy as i64 as f64;
                    bought_with += buy;
                }
            }
        }
    }
    if sells_root && !pass.pool_weights.is_empty() {
        // Weighted pools (E5): each sale is the pool's own scalar swap.
        let weights = &pass.pool_weights[..n];
        #[allow(clippy::needless_range_loop)]
        for i in 0..n {
            let sold = pass.handoff.root_alpha[i];
            if sold > 0 {
                let tao = pass.reserves[i].protocol_sell_on(Curve::Weighted(weights[i]), sold);
                if tao > 0 {
                    pass.pending_root_tao[i] += tao;
                    pass.alpha_minted[i] += sold;
                    if track_flow {
                        pass.handoff.protocol_flow[i] -= tao as i64 as f64;
                    }
                }
            }
        }
    } else if sells_root {
        let Handoff {
            root_alpha,
            protocol_flow,
            ..
        } = pass.handoff;
        let (root_alpha, protocol_flow) = (&mut root_alpha[..n], &mut protocol_flow[..n]);
        let reserves = &mut pass.reserves[..n];
        let pending_root_tao = &mut pass.pending_root_tao[..n];
        let alpha_minted = &mut pass.alpha_minted[..n];
        let unsettled = match simd {
            Simd::Baseline => sell_root_alpha(
                root_alpha,
                reserves,
                pending_root_tao,
                alpha_minted,
                (protocol_flow, track_flow),
            ),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Simd::Avx512` is only ever detected on a CPU with these features.
            Simd::Avx512 => unsafe {
                sell_root_alpha_avx512(
                    root_alpha,
                    reserves,
                    pending_root_tao,
                    alpha_minted,
                    (protocol_flow, track_flow),
                )
            },
        };
        if unsettled {
            // The few sales the fast path could not prove exact: the pool's own swap.
            for i in 0..n {
                let sold = root_alpha[i];
                if sold > 0 {
                    let tao = reserves[i].protocol_sell(sold);
                    if tao > 0 {
                        pending_root_tao[i] += tao;
                        alpha_minted[i] += sold;
                        if track_flow {
                            protocol_flow[i] -= tao as i64 as f64;
                        }
                    }
                }
            }
        }
    }
    bought_with
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn sell_root_alpha_avx512(
    root_alpha: &mut [Rao],
    reserves: &mut [Reserves],
    pending_root_tao: &mut [Rao],
    alpha_minted: &mut [Rao],
    protocol_flow: (&mut [f64], bool),
) -> bool {
    sell_root_alpha(
        root_alpha,
        reserves,
        pending_root_tao,
        alpha_minted,
        protocol_flow,
    )
}

/// The root alpha sale of every subnet, elementwise: the same swap as
/// [`Reserves::protocol_sell`] — `out = ⌊T·dx/(A + dx)⌋`, refused when `out` is 0 or would
/// leave less than the minimum reserve — computed so that it vectorises.
///
/// The quotient is estimated in `f64` and checked exactly with 64-bit wrapping arithmetic: when
/// `T` and `A + dx` are below 2^53 the estimate is within 3 of the quotient, so the remainder
/// `r = T·dx − est·(A + dx)` is below 2^55 in magnitude and its value mod 2^64 is the value
/// itself. A remainder in `[0, A + dx)` proves the estimate, `[A + dx, 2(A + dx))` or
/// `[−(A + dx), 0)` proves it off by one. Sales settled here have their `root_alpha` cleared;
/// any other (reserves past 2^53 rao, or an estimate further off) is left for the exact
/// scalar swap, and the return value says whether there is one.
#[inline(always)]
fn sell_root_alpha(
    root_alpha: &mut [Rao],
    reserves: &mut [Reserves],
    pending_root_tao: &mut [Rao],
    alpha_minted: &mut [Rao],
    (protocol_flow, track_flow): (&mut [f64], bool),
) -> bool {
    let n = root_alpha.len();
    let (reserves, pending_root_tao, alpha_minted, protocol_flow) = (
        &mut reserves[..n],
        &mut pending_root_tao[..n],
        &mut alpha_minted[..n],
        &mut protocol_flow[..n],
    );
    let mut unsettled: Rao = 0;
    #[allow(clippy::needless_range_loop)]
    for i in 0..n {
        let dx = root_alpha[i];
        let Reserves {
            tao_rao: y,
            alpha_rao: x,
        } = reserves[i];
        let new_x = x.wrapping_add(dx);
        let (out, proven) = correct_quotient(y, dx, new_x, quotient_estimate(y, dx, new_x));
        let sells = proven && out > 0 && out <= y && y - out >= MIN_RESERVE_RAO;
        reserves[i] = if sells {
            Reserves {
                tao_rao: y - out,
                alpha_rao: new_x,
            }
        } else {
            reserves[i]
        };
        pending_root_tao[i] += if sells { out } else { 0 };
        alpha_minted[i] += if sells { dx } else { 0 };
        // Loop-invariant: hoisted out of the loop by the compiler.
        if track_flow {
            protocol_flow[i] -= if sells { out as i64 as f64 } else { 0.0 };
        }
        let left = if proven { 0 } else { dx };
        root_alpha[i] = left;
        unsettled |= left;
    }
    unsettled != 0
}

/// The arrays pass 3 reads and writes.
pub struct EmaPass<'a> {
    pub reserves: &'a [Reserves],
    /// Each pool's price factor, or `None` (see [`InjectPass::price_factor`]).
    pub price_factor: Option<&'a [f64]>,
    pub start_block: &'a [i64],
    pub ema_price: &'a mut [f64],
    pub flow_ema: &'a mut [f64],
    pub flow_block: &'a mut [f64],
    /// E4's EMA of protocol flow, and this block's protocol flow (from the handoff).
    pub protocol_flow_ema: &'a mut [f64],
    pub protocol_flow: &'a [f64],
}

/// Pass 3: the moving price from the price after this block's swaps, the flow EMA from the
/// block's net user flow (which it then clears), and the protocol flow EMA (E4).
///
/// The protocol flow EMA is kept only when `protocol_flow` is set (E4 is the one rule that
/// reads it).
pub fn update_emas(
    simd: Simd,
    block: i64,
    ramp: bool,
    rates: &Rates,
    protocol_flow: bool,
    pass: EmaPass<'_>,
) {
    match simd {
        Simd::Baseline => update_emas_loop(block, ramp, rates, protocol_flow, pass),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx512` is only ever detected on a CPU with these features.
        Simd::Avx512 => unsafe { update_emas_avx512(block, ramp, rates, protocol_flow, pass) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn update_emas_avx512(
    block: i64,
    ramp: bool,
    rates: &Rates,
    protocol_flow: bool,
    pass: EmaPass<'_>,
) {
    update_emas_loop(block, ramp, rates, protocol_flow, pass)
}

#[inline(always)]
fn update_emas_loop(block: i64, ramp: bool, rates: &Rates, protocol_flow: bool, pass: EmaPass<'_>) {
    let n = pass.reserves.len();
    // Separate `&mut` arguments, as in pass 1: no runtime overlap checks.
    let (reserves, start_block) = (&pass.reserves[..n], &pass.start_block[..n]);
    let price_factor = pass.price_factor.map(|f| &f[..n]);
    let (ema_price, flow_ema) = (&mut pass.ema_price[..n], &mut pass.flow_ema[..n]);
    let flow_block = &mut pass.flow_block[..n];
    let (protocol_flow_ema, flows) = (&mut pass.protocol_flow_ema[..n], &pass.protocol_flow[..n]);
    match price_factor {
        None => update_emas_slices::<false>(
            block,
            ramp,
            rates,
            protocol_flow,
            reserves,
            &[],
            start_block,
            ema_price,
            flow_ema,
            flow_block,
            protocol_flow_ema,
            flows,
        ),
        Some(factor) => update_emas_slices::<true>(
            block,
            ramp,
            rates,
            protocol_flow,
            reserves,
            factor,
            start_block,
            ema_price,
            flow_ema,
            flow_block,
            protocol_flow_ema,
            flows,
        ),
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn update_emas_slices<const WEIGHTED: bool>(
    block: i64,
    ramp: bool,
    rates: &Rates,
    keep_protocol_flow: bool,
    reserves: &[Reserves],
    price_factor: &[f64],
    start_block: &[i64],
    ema_price: &mut [f64],
    flow_ema: &mut [f64],
    flow_block: &mut [f64],
    protocol_flow_ema: &mut [f64],
    protocol_flow: &[f64],
) {
    let n = reserves.len();
    let (start_block, ema_price, flow_ema) =
        (&start_block[..n], &mut ema_price[..n], &mut flow_ema[..n]);
    let price_factor = if WEIGHTED {
        &price_factor[..n]
    } else {
        price_factor
    };
    let (flow_block, protocol_flow_ema, protocol_flow) = (
        &mut flow_block[..n],
        &mut protocol_flow_ema[..n],
        &protocol_flow[..n],
    );
    let flow_rate = rates.flow_ema_rate;
    #[allow(clippy::needless_range_loop)]
    for i in 0..n {
        ema_price[i] = ema_price_step(
            ema_price[i],
            if WEIGHTED {
                reserves[i].price() * price_factor[i]
            } else {
                reserves[i].price()
            },
            block - start_block[i],
            ramp,
            rates,
        );
        flow_ema[i] = flow_ema_step(flow_ema[i], flow_block[i], flow_rate);
        flow_block[i] = 0.0;
        // Loop-invariant: the compiler hoists the test out of the loop (unswitching).
        if keep_protocol_flow {
            protocol_flow_ema[i] = flow_ema_step(protocol_flow_ema[i], protocol_flow[i], flow_rate);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_ema_step_with_ramp_and_clamp() {
        // b = 201,600 → a = 3e-6 · ½ = 1.5e-6. Price 2.0 is clamped to 1.0:
        // p̄ = 1.5e-6 · 1.0 + (1 − 1.5e-6) · 0.1 = 0.1 + 1.5e-6 · 0.9 = 0.10000135.
        let e = ema_price_step(0.1, 2.0, 201_600, true, &Rates::default());
        assert!((e - 0.100_001_35).abs() < 1e-15, "{e}");
        // At b = 0 the ramp gives a = 0: nothing moves; a negative age counts as 0.
        assert_eq!(ema_price_step(0.1, 0.5, 0, true, &Rates::default()), 0.1);
        assert_eq!(ema_price_step(0.1, 0.5, -7, true, &Rates::default()), 0.1);
        // Without the ramp a = 3e-6: 3e-6 · 0.5 + (1 − 3e-6) · 0.1 = 0.1 + 3e-6 · 0.4.
        let e = ema_price_step(0.1, 0.5, 0, false, &Rates::default());
        assert!((e - (0.1 + 1.2e-6)).abs() < 1e-15, "{e}");
    }

    #[test]
    fn e2_subsidised_subnets_sell_no_root_alpha() {
        // E2 (`run_coinbase`, read at 2025-08-15): subnet 0 has share 0.9 at price 0.1 < 0.9
        // (subsidised), subnet 1 share 0.1 at price 0.5 (not). α_e = 1 alpha: owner
        // ⌊1e9·11796/65535⌋ = 179,995,422, miners 410,002,289, validators and root 410,002,289;
        // root proportion 0.5 (scheduled): root 205,001,144, validators 205,001,145 on both.
        // Subnet 1's root alpha goes to the sale; subsidised subnet 0's is never minted.
        let n = 2;
        let mut reserves = vec![
            Reserves {
                tao_rao: 1_000_000_000_000,
                alpha_rao: 10_000_000_000_000,
            },
            Reserves {
                tao_rao: 5_000_000_000_000,
                alpha_rao: 10_000_000_000_000,
            },
        ];
        let mut outstanding = vec![0; n];
        let alpha_emission = vec![AlphaEmission::per_block(1_000_000_000); n];
        let (mut share_out, mut rp) = (vec![0.0; n], vec![0.0; n]);
        let [mut owner, mut miner, mut validator, mut minted, mut emission] =
            std::array::from_fn(|_| vec![0 as Rao; n]);
        let mut handoff = Handoff::default();
        handoff.resize(n);
        let inputs = BlockInputs {
            rule: InjectionRule::E2,
            block_emission: 1_000_000_000,
            scheduled_root_proportion: Some(0.5),
            root_weighted: 0.0,
        };
        inject_and_split(
            Simd::Baseline,
            &inputs,
            InjectPass {
                share: &[0.9, 0.1],
                share_out: &mut share_out,
                reserves: &mut reserves,
                price_factor: None,
                alpha_outstanding: &mut outstanding,
                alpha_emission: &alpha_emission,
                root_proportion: &mut rp,
                pending_owner: &mut owner,
                pending_miner: &mut miner,
                pending_validator: &mut validator,
                alpha_minted: &mut minted,
                emission_tao: &mut emission,
                handoff: &mut handoff,
            },
        );
        assert_eq!(handoff.root_alpha, vec![0, 205_001_144]);
        assert_eq!(validator, vec![205_001_145, 205_001_145]);
        // Subsidised: tao_in = 0.1 × 1 alpha = 0.1 TAO, the other 0.8 TAO is a chain buy.
        assert_eq!(handoff.chain_buy_tao, vec![800_000_000, 0]);
        // Minted on subnet 0: alpha_in 1 alpha + owner + miners + validators (no root part).
        assert_eq!(
            minted[0],
            1_000_000_000 + 179_995_422 + 410_002_289 + 205_001_145
        );
    }

    #[test]
    fn one_flow_ema_step() {
        // S = 100, F = 1,100: S' = 100 + 3.209e-6 · 1,000 = 100.003209.
        assert!(
            (flow_ema_step(100.0, 1_100.0, Rates::default().flow_ema_rate) - 100.003_209).abs()
                < 1e-12
        );
        // At the rate 1e-3 (a search knob): 100 + 1e-3 · 1000 = 101.
        assert!((flow_ema_step(100.0, 1_100.0, 1e-3) - 101.0).abs() < 1e-12);
    }

    /// Pass 2 with root sales only, on one subnet: what the kernel does to the pool.
    fn kernel_sale(pool: Reserves, dx: Rao, simd: Simd) -> (Reserves, Rao, Rao) {
        let mut reserves = [pool];
        let (mut pending, mut minted) = ([0], [0]);
        let mut handoff = Handoff {
            chain_buy_tao: vec![0],
            root_alpha: vec![dx],
            protocol_flow: vec![0.0],
        };
        swap(
            simd,
            true,
            true,
            Injected::default(),
            SwapPass {
                reserves: &mut reserves,
                pool_weights: &[],
                alpha_minted: &mut minted,
                alpha_burned: &mut [0],
                emission_tao: &mut [0],
                pending_root_tao: &mut pending,
                handoff: &mut handoff,
            },
        );
        // The protocol flow records the sale.
        assert_eq!(handoff.protocol_flow[0], -(pending[0] as f64));
        (reserves[0], pending[0], minted[0])
    }

    /// The pool's own exact swap, as the kernel should apply it.
    fn reference_sale(pool: Reserves, dx: Rao) -> (Reserves, Rao, Rao) {
        let mut pool = pool;
        let tao = pool.protocol_sell(dx);
        (pool, tao, if tao > 0 { dx } else { 0 })
    }

    #[test]
    fn root_sale_edge_cases_match_the_pool_swap() {
        let cases = [
            // (T, A, dx): an ordinary sale; nothing to sell; a sale worth 0 rao (refused);
            // one that would breach the minimum reserve (refused); reserves past 2^53 (the
            // exact fallback); an empty alpha side.
            (1_000_000_000_000, 10_000_000_000_000, 205_000_000),
            (1_000_000_000_000, 10_000_000_000_000, 0),
            (20_000_000, 10_000_000_000_000_000, 3),
            (10_000_100, 1_000_000_000, 1_000_000_000),
            (1 << 60, (1 << 61) + 12_345, 987_654_321),
            (5_000_000_000, 0, 1_000),
        ];
        for (y, x, dx) in cases {
            let pool = Reserves {
                tao_rao: y,
                alpha_rao: x,
            };
            for simd in [Simd::Baseline, Simd::detect()] {
                assert_eq!(
                    kernel_sale(pool, dx, simd),
                    reference_sale(pool, dx),
                    "T {y} A {x} dx {dx} {simd:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn root_sale_matches_the_pool_swap(
            y in 0u64..1 << 56,
            x in 0u64..1 << 56,
            dx in 0u64..1 << 40,
        ) {
            let pool = Reserves { tao_rao: y, alpha_rao: x };
            for simd in [Simd::Baseline, Simd::detect()] {
                proptest::prop_assert_eq!(kernel_sale(pool, dx, simd), reference_sale(pool, dx));
            }
        }

        /// Whichever compiled version runs, a block gives bit-identical state.
        #[test]
        fn vector_and_scalar_passes_agree(
            seed in 0u64..u64::MAX,
            rule in 0usize..5,
            scheduled in proptest::option::of(0.0f64..1.0),
        ) {
            let rule = [
                InjectionRule::E1,
                InjectionRule::E2,
                InjectionRule::E3,
                InjectionRule::E3CapBlockEmission,
                InjectionRule::E5RootCap,
            ][rule];
            let baseline = run_block(seed, rule, scheduled, Simd::Baseline);
            let detected = run_block(seed, rule, scheduled, Simd::detect());
            proptest::prop_assert_eq!(baseline, detected);
        }
    }

    /// Every array the kernel writes, after one block over 37 random subnets (f64 as bits).
    type BlockState = (Vec<(Rao, Rao)>, Vec<Vec<Rao>>, Vec<Vec<u64>>, Rao);

    fn run_block(seed: u64, rule: InjectionRule, scheduled: Option<f64>, simd: Simd) -> BlockState {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let n = 37;
        let mut share: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let sum: f64 = share.iter().sum();
        share.iter_mut().for_each(|x| *x /= sum);
        let mut reserves: Vec<Reserves> = (0..n)
            .map(|_| Reserves {
                tao_rao: rng.random_range(10_000_000..1u64 << 50),
                alpha_rao: rng.random_range(10_000_000..1u64 << 52),
            })
            .collect();
        let mut outstanding: Vec<Rao> = (0..n).map(|_| rng.random_range(0..1u64 << 52)).collect();
        // The chain's rates, or (half the time) the search's knobs at random values.
        let rates = if rng.random::<bool>() {
            Rates::default()
        } else {
            Rates {
                ema_price_rate: rng.random_range(1e-7..1e-3),
                ema_ramp_blocks: rng.random_range(1.0..1e6),
                flow_ema_rate: rng.random_range(1e-7..1e-3),
                injection_cap: rng.random_range(0.0..3.0),
            }
        };
        let alpha_emission: Vec<AlphaEmission> = (0..n)
            .map(|i| {
                AlphaEmission::at_issuance(reserves[i].alpha_rao + outstanding[i])
                    .with_injection_cap(&rates)
            })
            .collect();
        let start_block: Vec<i64> = (0..n).map(|_| rng.random_range(-500_000..1_000)).collect();
        let mut ema: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let mut flow_ema: Vec<f64> = (0..n).map(|_| rng.random::<f64>() * 1e9).collect();
        let mut flow_block: Vec<f64> = (0..n).map(|_| rng.random::<f64>() * 1e9).collect();
        let mut protocol_flow_ema: Vec<f64> = (0..n).map(|_| rng.random::<f64>() * 1e9).collect();
        let mut u = vec![vec![0 as Rao; n]; 7];
        let mut f: Vec<Vec<u64>> = Vec::new();
        let (mut share_out, mut rp) = (vec![0.0; n], vec![0.0; n]);
        let mut handoff = Handoff::default();
        handoff.resize(n);
        let inputs = BlockInputs {
            rule,
            block_emission: 1_000_000_000,
            scheduled_root_proportion: scheduled,
            root_weighted: 0.18 * 5.5e15,
        };
        let [owner, miner, validator, minted, burned, emission, root_tao] = &mut u[..] else {
            unreachable!()
        };
        let injected = inject_and_split(
            simd,
            &inputs,
            InjectPass {
                share: &share,
                share_out: &mut share_out,
                reserves: &mut reserves,
                price_factor: None,
                alpha_outstanding: &mut outstanding,
                alpha_emission: &alpha_emission,
                root_proportion: &mut rp,
                pending_owner: owner,
                pending_miner: miner,
                pending_validator: validator,
                alpha_minted: minted,
                emission_tao: emission,
                handoff: &mut handoff,
            },
        );
        let bought = swap(
            simd,
            true,
            true,
            injected,
            SwapPass {
                reserves: &mut reserves,
                pool_weights: &[],
                alpha_minted: minted,
                alpha_burned: burned,
                emission_tao: emission,
                pending_root_tao: root_tao,
                handoff: &mut handoff,
            },
        );
        update_emas(
            simd,
            1_000,
            true,
            &rates,
            true,
            EmaPass {
                reserves: &reserves,
                price_factor: None,
                start_block: &start_block,
                ema_price: &mut ema,
                flow_ema: &mut flow_ema,
                flow_block: &mut flow_block,
                protocol_flow_ema: &mut protocol_flow_ema,
                protocol_flow: &handoff.protocol_flow,
            },
        );
        u.push(outstanding);
        for v in [share_out, rp, ema, flow_ema, flow_block, protocol_flow_ema] {
            f.push(v.iter().map(|x| x.to_bits()).collect());
        }
        (
            reserves.iter().map(|r| (r.tao_rao, r.alpha_rao)).collect(),
            u,
            f,
            injected.tao_in + bought,
        )
    }
}
