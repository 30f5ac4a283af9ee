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
//! 2. [`swap`]: chain buys (E2/E3/E5) and the root alpha sale, exact swaps rounding in the
//!    pool's favour, elementwise too (see [`sell_root_alpha`]); then each pool's price. On E5's
//!    weighted pools both swaps are the pool's own scalar swap, and passes 1 and 3 take the
//!    price through the pool's price factor (a separate loop instance per kernel: the
//!    constant-product loops read no factor).
//! 3. [`update_emas`], elementwise: the moving price, the flow EMA, and (under `taoflow-net`)
//!    the protocol flow EMA.
//!
//! The elementwise loops are compiled three times, for the baseline CPU, AVX2 + FMA and AVX-512
//! (picked at run time, see [`Simd`]). Vector and scalar code perform the same IEEE operations on each
//! element in the same order — no reassociation, no fused multiply-add — so results are
//! bit-identical whichever path runs; the one reduction over subnets in these passes is an
//! integer sum (TAO injected), exact in any order.

use crate::emission::{
    halving_interval, outside_interval, AlphaEmission, AlphaEmissions, HalvingIntervals,
};
use crate::injection::{self, InjectionRule};
#[cfg(target_arch = "x86_64")]
use crate::lanes::{Below52, Magic};
use crate::lanes::{Lanes, Native};
use crate::pool::{correct_quotient, Curve, Reserves, Weights};
use crate::rates::Rates;
use crate::units::{Rao, MIN_RESERVE_RAO};

/// One block of the moving price (spec §2): `p̄ ← a·min(p, 1) + (1 − a)·p̄` with
/// `a = 3e-6 · b/(b + 201,600)` (the ramp, from 2025-03-11) or the constant 3e-6 without it;
/// `b` is the subnet's age in blocks (a negative age counts as 0). The rate and the ramp's
/// length are the match's [`Rates`] (the chain's by default).
#[inline(always)]
pub fn ema_price_step(ema: f64, price: f64, age_blocks: i64, ramp: bool, rates: &Rates) -> f64 {
    ema_price_step_with::<Native>(ema, price, age_blocks, ramp, rates)
}

/// [`ema_price_step`] with the conversions of a kernel: the same bits as
/// [`Rates::ema_price_rate_at`] (`kernel_ema_rate_is_the_rates_rate` checks it).
#[inline(always)]
fn ema_price_step_with<C: Lanes>(
    ema: f64,
    price: f64,
    age_blocks: i64,
    ramp: bool,
    rates: &Rates,
) -> f64 {
    let a = if ramp {
        // A non-negative age: the same value as `age as f64`.
        let b = C::to_f64(age_blocks.max(0) as u64);
        rates.ema_price_rate * b / (b + rates.ema_ramp_blocks)
    } else {
        rates.ema_price_rate
    };
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
    /// The baseline build of the target (x86-64: SSE2, mostly scalar here; aarch64: NEON,
    /// whose 64-bit integer ↔ float vector conversions let pass 1 vectorise as written; passes
    /// 2 and 3, mostly divisions, LLVM's cost model leaves scalar there).
    Baseline,
    /// x86-64-v3: AVX2 and FMA, with the conversions of [`crate::lanes::Magic`] (AVX2 has no 64-bit
    /// integer ↔ float vector instructions).
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// AVX-512 F, DQ and VL: eight lanes and native 64-bit conversions.
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

/// `TOURNEY_SIMD` names a kernel this build or this CPU does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("TOURNEY_SIMD={requested}: {reason} (kernels here: {available})")]
pub struct SimdError {
    requested: String,
    reason: &'static str,
    available: String,
}

impl Simd {
    /// Every kernel of this build, narrowest first.
    pub const ALL: &'static [Simd] = &[
        Simd::Baseline,
        #[cfg(target_arch = "x86_64")]
        Simd::Avx2,
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512,
    ];

    /// `baseline`, `avx2` or `avx512`.
    pub fn name(self) -> &'static str {
        match self {
            Simd::Baseline => "baseline",
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => "avx2",
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => "avx512",
        }
    }

    /// Whether this CPU can run the kernel (`std` caches the CPU's answer).
    pub fn supported(self) -> bool {
        match self {
            Simd::Baseline => true,
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => {
                std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                    && std::arch::is_x86_feature_detected!("avx512vl")
            }
        }
    }

    /// The kernels this CPU can run, narrowest first.
    pub fn available() -> Vec<Simd> {
        Simd::ALL
            .iter()
            .copied()
            .filter(|s| s.supported())
            .collect()
    }

    /// The widest kernel this CPU runs.
    pub fn best() -> Simd {
        *Simd::available().last().unwrap_or(&Simd::Baseline)
    }

    /// The kernel `TOURNEY_SIMD` forces (`baseline`, `avx2`, `avx512`), if set: to measure
    /// or check one kernel on a CPU that has a wider one (results are identical whichever
    /// runs). A name this build does not know, or a kernel this CPU cannot run, is an error.
    pub fn requested() -> Result<Option<Simd>, SimdError> {
        let Some(value) = std::env::var_os("TOURNEY_SIMD") else {
            return Ok(None);
        };
        let value = value.to_string_lossy().into_owned();
        let available = || {
            let names: Vec<&str> = Simd::available().iter().map(|s| s.name()).collect();
            names.join(", ")
        };
        match Simd::ALL.iter().find(|s| s.name() == value) {
            None => Err(SimdError {
                requested: value,
                reason: "no such kernel",
                available: available(),
            }),
            Some(&simd) if !simd.supported() => Err(SimdError {
                requested: value,
                reason: "this CPU lacks the instructions that kernel needs",
                available: available(),
            }),
            Some(&simd) => Ok(Some(simd)),
        }
    }

    /// The kernel `TOURNEY_SIMD` forces, else the widest the CPU supports. A bad
    /// `TOURNEY_SIMD` is refused by the command line before any match runs (see
    /// [`Simd::requested`]); here it falls back to the widest kernel.
    pub fn detect() -> Simd {
        Simd::requested().ok().flatten().unwrap_or_else(Simd::best)
    }
}

/// [`Reserves::price`] with a kernel's conversions: the same bits (`kernel_price_is_the_pool_price`
/// checks it)..
#[inline(always)]
fn price_with<C: Lanes>(pool: Reserves) -> f64 {
    price_of::<C>(pool.tao_rao, pool.alpha_rao)
}

/// `T/A`, 0 for an empty alpha side: [`price_with`] on the plain arrays.
#[inline(always)]
fn price_of<C: Lanes>(tao: Rao, alpha: Rao) -> f64 {
    if alpha == 0 {
        0.0
    } else {
        C::to_f64(tao) / C::to_f64(alpha)
    }
}

/// [`price_of`] for reserves below 2^52 (the precondition of [`Lanes::small_to_f64`]): pass 2's
/// prices, whose reserves its bounds scan has checked where a kernel's short forms need it.
#[inline(always)]
fn small_price_of<C: Lanes>(tao: Rao, alpha: Rao) -> f64 {
    if alpha == 0 {
        0.0
    } else {
        C::small_to_f64(tao) / C::small_to_f64(alpha)
    }
}

/// An estimate of `⌊y·dx / new_x⌋` for [`correct_quotient`], which proves it (or its
/// neighbour) exact with integer arithmetic, or leaves the sale to the pool's exact swap: so
/// the estimate decides only how often the fast path succeeds, never a result. It is
/// `pool::quotient_estimate`'s form, `y·(dx/new_x)` rounded, in every kernel. (An `f32`
/// reciprocal and a Newton step, which keep the divider free, measured slower: 2–3 % of
/// subnet-blocks a second at 34 subnets on AVX-512, 3–4 % at 128 on AVX2 — a pass of a few
/// vectors waits on the longer chain.)
///
/// The proof's premise: when `y, new_x < 2^53` (the only case `correct_quotient` can prove),
/// the quotient `Q ≤ y` is below 2^53 and the estimate, two roundings from `y·dx/new_x`, is
/// within `Q·2^-51 + 1 < 2^10` of it, so the true remainder `y·dx − est·new_x` is below 2^63 in
/// magnitude and the 64-bit wrapping remainder is its value.
///
/// The conversions are the short forms: the estimate never decides a result, and where a
/// kernel's short forms differ from the general ones (`lanes::Below52`, the AVX2 kernel), pass
/// 2's bounds scan has shown every amount below 2^51, so `dx ≤ new_x` (no wrap) and for
/// `new_x > 0` the estimate (at most `y`) lies in `[0, 2^52)`, where `estimate_to_rao` rounds
/// it to within 1. For `new_x = 0` (so `dx = 0`) it is NaN and the converted value
/// unspecified, but then the remainder is `0` and the proof, which needs it below
/// `2·new_x = 0`, fails whatever the estimate: the sale of nothing is left as it is.
#[inline(always)]
fn quotient_estimate<C: Lanes>(y: Rao, dx: Rao, new_x: Rao) -> Rao {
    let q = C::small_to_f64(dx) / C::small_to_f64(new_x);
    C::estimate_to_rao(C::small_to_f64(y) * q)
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
    /// The pools' reserves between passes 1 and 2, as two plain arrays (the pools themselves
    /// are pairs): a loop over pairs of 64-bit integers does not vectorise on AVX2.
    pub tao: Vec<Rao>,
    pub alpha: Vec<Rao>,
    /// Each pool's `T/A` after pass 2, for pass 3 (the moving price) and the next block's pass
    /// 1: a constant-product pool's spot price; a weighted pool's is this times its factor.
    pub price: Vec<f64>,
}

impl Handoff {
    pub fn resize(&mut self, n: usize) {
        // Every block asks; the subnet count rarely changes.
        if self.price.len() == n {
            return;
        }
        self.chain_buy_tao.resize(n, 0);
        self.root_alpha.resize(n, 0);
        self.protocol_flow.resize(n, 0.0);
        self.tao.resize(n, 0);
        self.alpha.resize(n, 0);
        self.price.resize(n, 0.0);
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
    interval: &mut HalvingIntervals,
    alpha_emission: &mut AlphaEmissions,
    owner_cut: u64,
    rates: &Rates,
) {
    let n = reserves.len();
    let scan = Scan {
        reserves,
        alpha_outstanding: &alpha_outstanding[..n],
        from: &interval.from[..n],
        width: &interval.width[..n],
    };
    let stale = match simd {
        Simd::Baseline => scan.any_outside(),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx2` is only ever chosen on a CPU with these features.
        Simd::Avx2 => unsafe { scan.any_outside_avx2() },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx512` is only ever chosen on a CPU with these features.
        Simd::Avx512 => unsafe { scan.any_outside_avx512() },
    };
    if stale {
        for i in 0..n {
            let issuance = reserves[i].alpha_rao + alpha_outstanding[i];
            if outside_interval(issuance, interval.from[i], interval.width[i]) {
                alpha_emission.set(
                    i,
                    AlphaEmission::at_issuance_with_cut(issuance, owner_cut)
                        .with_injection_cap(rates),
                );
                interval.set(i, halving_interval(issuance));
            }
        }
    }
}

/// The arrays the halving scan reads, each of the subnet count's length.
struct Scan<'a> {
    reserves: &'a [Reserves],
    alpha_outstanding: &'a [Rao],
    from: &'a [Rao],
    width: &'a [Rao],
}

impl Scan<'_> {
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl")]
    unsafe fn any_outside_avx512(&self) -> bool {
        self.any_outside()
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn any_outside_avx2(&self) -> bool {
        self.any_outside()
    }

    /// Whether any subnet's issuance lies outside its interval. `|`, not `||`: no branch, so
    /// the scan vectorises.
    #[inline(always)]
    fn any_outside(&self) -> bool {
        let n = self.reserves.len();
        let (outstanding, from, width) = (
            &self.alpha_outstanding[..n],
            &self.from[..n],
            &self.width[..n],
        );
        let mut any = false;
        for i in 0..n {
            let issuance = self.reserves[i].alpha_rao + outstanding[i];
            any |= outside_interval(issuance, from[i], width[i]);
        }
        any
    }
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
    pub alpha_emission: &'a AlphaEmissions,
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
/// are left in the handoff for pass 2, and so are the reserves after the injection (the
/// handoff's plain arrays): pass 2 writes them back into the pools, so `reserves` holds them
/// only after [`swap`] — except for weighted pools, whose pairs pass 1 updates too (their
/// weights are re-solved between the passes).
pub fn inject_and_split(simd: Simd, inputs: &BlockInputs, pass: InjectPass<'_>) -> Injected {
    match simd {
        Simd::Baseline => inject_and_split_for_rule::<Native>(inputs, pass),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx2` is only ever chosen on a CPU with these features.
        Simd::Avx2 => unsafe { inject_and_split_avx2(inputs, pass) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx512` is only ever chosen on a CPU with these features.
        Simd::Avx512 => unsafe { inject_and_split_avx512(inputs, pass) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn inject_and_split_avx512(inputs: &BlockInputs, pass: InjectPass<'_>) -> Injected {
    inject_and_split_for_rule::<Native>(inputs, pass)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn inject_and_split_avx2(inputs: &BlockInputs, pass: InjectPass<'_>) -> Injected {
    if inject_within_short_forms(inputs, pass.share, pass.alpha_emission) {
        inject_and_split_for_rule::<Below52>(inputs, pass)
    } else {
        inject_and_split_for_rule::<Magic>(inputs, pass)
    }
}

/// Whether this block's pass 1 may run with [`Below52`]'s short conversions (the AVX2 kernel;
/// the others' conversions are one instruction): the block emission and each subnet's
/// validators-and-root alpha and injection cap are below 2^51, every share lies in `[0, 1]`
/// and so does every root proportion (a scheduled one, or `τw·R/(τw·R + A)` with `τw·R`
/// finite and non-negative). Then every amount pass 1 converts with a short form is below
/// 2^52: a subnet's emission is at most the block emission, its injection's amounts at most
/// the emission or the cap, root's alpha at most the validators-and-root alpha
/// (`injection::inject_with` states the same precondition). A vectorised scan, ≈ 1 % of the
/// pass; where it fails the general forms run, with the same results.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn inject_within_short_forms(
    inputs: &BlockInputs,
    share: &[f64],
    alpha_emission: &AlphaEmissions,
) -> bool {
    let root_proportions_in_unit = match inputs.scheduled_root_proportion {
        Some(x) => (0.0..=1.0).contains(&x),
        None => inputs.root_weighted.is_finite() && inputs.root_weighted >= 0.0,
    };
    let mut shares_in_unit = true;
    for &x in share {
        shares_in_unit &= (0.0..=1.0).contains(&x);
    }
    // Every field, not just the two converted (the others are parts of α_e, so this is no
    // stricter in practice).
    let mut amounts = inputs.block_emission;
    for field in alpha_emission.fields() {
        for &word in field {
            amounts |= word;
        }
    }
    root_proportions_in_unit && shares_in_unit && amounts < 1 << 51
}

/// Whether this block's pass 2 may run with [`Below52`]'s short conversions: every pool's
/// reserves after pass 1, chain buy and root alpha are below 2^50. Then a buy or a sale leaves
/// the reserves below 2^51 and every amount pass 2 converts (reserves, the sale's `A + dx`,
/// amounts swapped, the quotient estimate) is below 2^52.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn swap_within_short_forms(h: &Handoff, n: usize) -> bool {
    let (tao, alpha) = (&h.tao[..n], &h.alpha[..n]);
    let (chain_buy_tao, root_alpha) = (&h.chain_buy_tao[..n], &h.root_alpha[..n]);
    let mut amounts: Rao = 0;
    for i in 0..n {
        amounts |= tao[i] | alpha[i] | chain_buy_tao[i] | root_alpha[i];
    }
    amounts < 1 << 50
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn swap_within_short_forms_avx2(h: &Handoff, n: usize) -> bool {
    swap_within_short_forms(h, n)
}

/// One monomorphic loop per injection rule, so the rule's `match` is resolved outside the loop.
#[inline(always)]
fn inject_and_split_for_rule<C: Lanes>(inputs: &BlockInputs, pass: InjectPass<'_>) -> Injected {
    match inputs.rule {
        InjectionRule::E1 => inject_and_split_loop::<C>(InjectionRule::E1, inputs, pass),
        InjectionRule::E2 => inject_and_split_loop::<C>(InjectionRule::E2, inputs, pass),
        InjectionRule::E3 => inject_and_split_loop::<C>(InjectionRule::E3, inputs, pass),
        InjectionRule::E3CapBlockEmission => {
            inject_and_split_loop::<C>(InjectionRule::E3CapBlockEmission, inputs, pass)
        }
        InjectionRule::E5RootCap => {
            inject_and_split_loop::<C>(InjectionRule::E5RootCap, inputs, pass)
        }
    }
}

#[inline(always)]
fn inject_and_split_loop<C: Lanes>(
    rule: InjectionRule,
    inputs: &BlockInputs,
    pass: InjectPass<'_>,
) -> Injected {
    let n = pass.share.len();
    let h = &mut *pass.handoff;
    refresh_prices::<C>(
        &pass.reserves[..n],
        &mut h.tao[..n],
        &mut h.alpha[..n],
        &mut h.price[..n],
    );
    // One loop per pool kind: the constant-product loop reads no price factor.
    match pass.price_factor {
        None => inject_and_split_pools::<C, false>(rule, inputs, pass, &[]),
        Some(factor) => inject_and_split_pools::<C, true>(rule, inputs, pass, factor),
    }
}

/// Pass 1's loop for one pool kind (`price_factor` is empty for constant-product pools).
/// Slices of exactly `n`, so the index loop has no bounds checks; passed as separate `&mut`
/// arguments because only function arguments carry the no-alias facts that let the loop
/// vectorise without runtime overlap checks between every pair of arrays.
#[inline(always)]
fn inject_and_split_pools<C: Lanes, const WEIGHTED: bool>(
    rule: InjectionRule,
    inputs: &BlockInputs,
    pass: InjectPass<'_>,
    price_factor: &[f64],
) -> Injected {
    let n = pass.share.len();
    let h = pass.handoff;
    inject_and_split_slices::<C, WEIGHTED>(
        rule,
        inputs,
        &pass.share[..n],
        &mut pass.share_out[..n],
        &mut pass.reserves[..n],
        if WEIGHTED { &price_factor[..n] } else { &[] },
        &mut pass.alpha_outstanding[..n],
        pass.alpha_emission,
        &mut pass.root_proportion[..n],
        &mut pass.pending_owner[..n],
        &mut pass.pending_miner[..n],
        &mut pass.pending_validator[..n],
        &mut pass.alpha_minted[..n],
        &mut pass.emission_tao[..n],
        &mut h.chain_buy_tao[..n],
        &mut h.root_alpha[..n],
        &mut h.protocol_flow[..n],
        &mut h.tao[..n],
        &mut h.alpha[..n],
        &h.price[..n],
    )
}

/// The price of each pool before this block's injection, kept from the end of the last
/// block's pass 2 (`Handoff::price`, with the reserves it was computed from) and recomputed
/// only where the pool changed since (trades, an epoch's sales, a new subnet): most blocks
/// none did, and pass 1 saves a division per subnet — the first of the two it chains (price,
/// then alpha in = E_i/price). The cache is keyed by the reserves themselves, so it is exact
/// whoever changed a pool.
#[inline(always)]
fn refresh_prices<C: Lanes>(
    reserves: &[Reserves],
    tao: &mut [Rao],
    alpha: &mut [Rao],
    price: &mut [f64],
) {
    let n = reserves.len();
    let (tao, alpha, price) = (&mut tao[..n], &mut alpha[..n], &mut price[..n]);
    let mut stale = false;
    for i in 0..n {
        stale |= (reserves[i].tao_rao != tao[i]) | (reserves[i].alpha_rao != alpha[i]);
    }
    if stale {
        for i in 0..n {
            let pool = reserves[i];
            if (pool.tao_rao, pool.alpha_rao) != (tao[i], alpha[i]) {
                (tao[i], alpha[i]) = (pool.tao_rao, pool.alpha_rao);
                price[i] = price_with::<C>(pool);
            }
        }
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn inject_and_split_slices<C: Lanes, const WEIGHTED: bool>(
    rule: InjectionRule,
    inputs: &BlockInputs,
    share: &[f64],
    share_out: &mut [f64],
    reserves: &mut [Reserves],
    price_factor: &[f64],
    alpha_outstanding: &mut [Rao],
    alpha_emission: &AlphaEmissions,
    root_proportion: &mut [f64],
    pending_owner: &mut [Rao],
    pending_miner: &mut [Rao],
    pending_validator: &mut [Rao],
    alpha_minted: &mut [Rao],
    emission_tao: &mut [Rao],
    chain_buy_tao: &mut [Rao],
    root_alpha_out: &mut [Rao],
    protocol_flow: &mut [f64],
    tao_after: &mut [Rao],
    alpha_after: &mut [Rao],
    price_before: &[f64],
) -> Injected {
    let n = share.len();
    let (tao_after, alpha_after) = (&mut tao_after[..n], &mut alpha_after[..n]);
    let price_before = &price_before[..n];
    // The four fields of each subnet's emission that this pass reads.
    let (split_owner, split_miners, split_validators_and_root, split_cap) = (
        &alpha_emission.owner[..n],
        &alpha_emission.miners[..n],
        &alpha_emission.validators_and_root[..n],
        &alpha_emission.injection_cap[..n],
    );
    // Empty for constant-product pools (never read then).
    let price_factor = if WEIGHTED {
        &price_factor[..n]
    } else {
        price_factor
    };
    let (share_out, reserves, alpha_outstanding) = (
        &mut share_out[..n],
        &mut reserves[..n],
        &mut alpha_outstanding[..n],
    );
    let root_proportion = &mut root_proportion[..n];
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
        // At most the block emission (a share is at most 1).
        let emission = C::small_to_rao(e_block_f * s);
        // The pool, from the plain arrays (`refresh_prices` left them equal to the pools).
        let pool = Reserves {
            tao_rao: tao_after[i],
            alpha_rao: alpha_after[i],
        };
        let issuance = pool.alpha_rao + alpha_outstanding[i];
        let (owner, miners, validators_and_root) = (
            split_owner[i],
            split_miners[i],
            split_validators_and_root[i],
        );
        // Root proportion, from the issuance before this block's mint (E5's injection cap and
        // the alpha_out split).
        let rp = match scheduled {
            None => {
                let a = C::to_f64(issuance);
                if root_weighted + a > 0.0 {
                    root_weighted / (root_weighted + a)
                } else {
                    0.0
                }
            }
            Some(x) => x,
        };
        root_proportion[i] = rp;
        // `pool.price()`, kept from the last block (see `refresh_prices`); a weighted pool's
        // price is that times its factor (`Subnets::price`).
        let price = if WEIGHTED {
            price_before[i] * price_factor[i]
        } else {
            price_before[i]
        };
        let cap = split_cap[i];
        let inj = injection::inject_with::<C>(rule, emission, cap, rp, price, e_block);
        let (tao, alpha) = (pool.tao_rao + inj.tao_in, pool.alpha_rao + inj.alpha_in);
        // Constant-product pools get the pairs back from pass 2 (`write_back`); weighted
        // pools now, for the weights' re-solve between the passes.
        if WEIGHTED {
            reserves[i] = Reserves {
                tao_rao: tao,
                alpha_rao: alpha,
            };
        }
        (tao_after[i], alpha_after[i]) = (tao, alpha);
        emission_tao[i] += inj.tao_in;
        tao_in_total += inj.tao_in;
        chain_buy_tao[i] = inj.chain_buy_tao;
        chain_buys |= inj.chain_buy_tao;
        protocol_flow[i] = C::small_to_f64(inj.tao_in);

        // alpha_out split (spec §5): root's part by root proportion (at most 1).
        let root_alpha = C::small_to_rao(C::small_to_f64(validators_and_root) * rp);
        let validators = validators_and_root - root_alpha;
        pending_owner[i] += owner;
        pending_miner[i] += miners;
        pending_validator[i] += validators;
        let paid_out = owner + miners + validators;
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
///
/// On weighted pools (E5: `pool_weights` not empty) both swaps are the pool's own scalar swap
/// ([`weighted_swaps`]); the prices and the write-back stay elementwise.
pub fn swap(
    simd: Simd,
    sells_root: bool,
    track_flow: bool,
    injected: Injected,
    pass: SwapPass<'_>,
) -> Rao {
    let n = pass.reserves.len();
    let h = pass.handoff;
    let weighted = !pass.pool_weights.is_empty();
    // The AVX2 kernel's short conversions, where the amounts allow them (see
    // `swap_within_short_forms`); checked before any swap.
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `Simd::Avx2` is only ever chosen on a CPU with these features.
    let short = simd == Simd::Avx2 && unsafe { swap_within_short_forms_avx2(h, n) };
    let mut bought_with: Rao = 0;
    if weighted {
        bought_with = weighted_swaps(
            WeightedSwaps {
                weights: &pass.pool_weights[..n],
                sells_root,
                track_flow,
                any_chain_buy: injected.any_chain_buy,
                alpha_minted: &mut pass.alpha_minted[..n],
                alpha_burned: &mut pass.alpha_burned[..n],
                emission_tao: &mut pass.emission_tao[..n],
                pending_root_tao: &mut pass.pending_root_tao[..n],
            },
            h,
        );
    } else if injected.any_chain_buy {
        let buys = ChainBuys {
            chain_buy_tao: &mut h.chain_buy_tao[..n],
            tao: &mut h.tao[..n],
            alpha: &mut h.alpha[..n],
            alpha_burned: &mut pass.alpha_burned[..n],
            emission_tao: &mut pass.emission_tao[..n],
            protocol_flow: &mut h.protocol_flow[..n],
        };
        let (bought, unsettled) = match simd {
            Simd::Baseline => chain_buys::<Native>(buys),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Simd::Avx2` is only ever chosen on a CPU with these features.
            Simd::Avx2 => unsafe {
                if short {
                    chain_buys_avx2::<Below52>(buys)
                } else {
                    chain_buys_avx2::<Magic>(buys)
                }
            },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Simd::Avx512` is only ever chosen on a CPU with these features.
            Simd::Avx512 => unsafe { chain_buys_avx512(buys) },
        };
        bought_with += bought;
        if unsettled {
            // The few buys the fast path could not prove exact: the pool's own swap.
            for i in 0..n {
                let buy = h.chain_buy_tao[i];
                if buy > 0 {
                    let mut pool = Reserves {
                        tao_rao: h.tao[i],
                        alpha_rao: h.alpha[i],
                    };
                    let bought = pool.protocol_buy(buy);
                    if bought > 0 {
                        pass.alpha_burned[i] += bought;
                        pass.emission_tao[i] += buy;
                        h.protocol_flow[i] += buy as i64 as f64;
                        bought_with += buy;
                    }
                    (h.tao[i], h.alpha[i]) = (pool.tao_rao, pool.alpha_rao);
                }
            }
        }
    }
    let Handoff {
        root_alpha,
        protocol_flow,
        tao,
        alpha,
        price,
        ..
    } = h;
    let pools = Pools {
        reserves: &mut pass.reserves[..n],
        tao: &mut tao[..n],
        alpha: &mut alpha[..n],
        price: &mut price[..n],
    };
    let sale = Sale {
        // Weighted pools' sales are done (above).
        sells: sells_root && !weighted,
        root_alpha: &mut root_alpha[..n],
        pending_root_tao: &mut pass.pending_root_tao[..n],
        alpha_minted: &mut pass.alpha_minted[..n],
        protocol_flow: &mut protocol_flow[..n],
        track_flow,
    };
    let unsettled = match simd {
        Simd::Baseline => settle::<Native>(sale, pools),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx2` is only ever chosen on a CPU with these features.
        Simd::Avx2 => unsafe {
            if short {
                settle_avx2::<Below52>(sale, pools)
            } else {
                settle_avx2::<Magic>(sale, pools)
            }
        },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx512` is only ever chosen on a CPU with these features.
        Simd::Avx512 => unsafe { settle_avx512(sale, pools) },
    };
    if unsettled {
        // The few sales the fast path could not prove exact: the pool's own swap.
        let reserves = &mut pass.reserves[..n];
        for i in 0..n {
            let sold = root_alpha[i];
            if sold > 0 {
                let received = reserves[i].protocol_sell(sold);
                if received > 0 {
                    pass.pending_root_tao[i] += received;
                    pass.alpha_minted[i] += sold;
                    if track_flow {
                        protocol_flow[i] -= received as i64 as f64;
                    }
                }
                // Pass 3's price, and the reserves it belongs to (see `refresh_prices`).
                price[i] = reserves[i].price();
                (tao[i], alpha[i]) = (reserves[i].tao_rao, reserves[i].alpha_rao);
            }
        }
    }
    bought_with
}

/// What [`weighted_swaps`] reads and writes besides the handoff.
struct WeightedSwaps<'a> {
    weights: &'a [Weights],
    sells_root: bool,
    track_flow: bool,
    any_chain_buy: bool,
    alpha_minted: &'a mut [Rao],
    alpha_burned: &'a mut [Rao],
    emission_tao: &'a mut [Rao],
    pending_root_tao: &'a mut [Rao],
}

/// Pass 2's swaps on E5's weighted pools, on the plain reserve arrays pass 1 left: each
/// subnet's chain buy, then its root sale, as the pool's own scalar swaps on its curve
/// ([`Reserves::protocol_buy_on`], [`Reserves::protocol_sell_on`]; the weighted curve's power
/// has no vector form). Returns the TAO the chain buys emitted.
fn weighted_swaps(w: WeightedSwaps<'_>, h: &mut Handoff) -> Rao {
    let n = w.weights.len();
    let (tao, alpha) = (&mut h.tao[..n], &mut h.alpha[..n]);
    let (chain_buy_tao, root_alpha, protocol_flow) = (
        &h.chain_buy_tao[..n],
        &h.root_alpha[..n],
        &mut h.protocol_flow[..n],
    );
    let mut bought_with: Rao = 0;
    for i in 0..n {
        let curve = Curve::Weighted(w.weights[i]);
        let mut pool = Reserves {
            tao_rao: tao[i],
            alpha_rao: alpha[i],
        };
        let buy = chain_buy_tao[i];
        if w.any_chain_buy && buy > 0 {
            let bought = pool.protocol_buy_on(curve, buy);
            if bought > 0 {
                w.alpha_burned[i] += bought;
                w.emission_tao[i] += buy;
                protocol_flow[i] += buy as i64 as f64;
                bought_with += buy;
            }
        }
        let sold = root_alpha[i];
        if w.sells_root && sold > 0 {
            let received = pool.protocol_sell_on(curve, sold);
            if received > 0 {
                w.pending_root_tao[i] += received;
                w.alpha_minted[i] += sold;
                if w.track_flow {
                    protocol_flow[i] -= received as i64 as f64;
                }
            }
        }
        (tao[i], alpha[i]) = (pool.tao_rao, pool.alpha_rao);
    }
    bought_with
}

/// The chain buys' arrays (E2/E3/E5), on the plain reserve arrays pass 1 left.
struct ChainBuys<'a> {
    chain_buy_tao: &'a mut [Rao],
    tao: &'a mut [Rao],
    alpha: &'a mut [Rao],
    alpha_burned: &'a mut [Rao],
    emission_tao: &'a mut [Rao],
    protocol_flow: &'a mut [f64],
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn chain_buys_avx512(buys: ChainBuys<'_>) -> (Rao, bool) {
    chain_buys::<Native>(buys)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn chain_buys_avx2<C: Lanes>(buys: ChainBuys<'_>) -> (Rao, bool) {
    chain_buys::<C>(buys)
}

/// The chain buys of every subnet, elementwise: the same swap as [`Reserves::protocol_buy`] —
/// `out = ⌊A·Δτ/(T + Δτ)⌋`, refused when `out` is 0 or would leave less than the minimum
/// reserve — proven exact as the root sale is (see [`sell_root_alpha`]: the same curve with
/// the reserves' roles swapped). The alpha bought is burned. Settled buys have their
/// `chain_buy_tao` cleared; returns the TAO the settled buys emitted, and whether a buy is
/// left for the exact scalar swap.
#[inline(always)]
fn chain_buys<C: Lanes>(buys: ChainBuys<'_>) -> (Rao, bool) {
    let ChainBuys {
        chain_buy_tao,
        tao,
        alpha,
        alpha_burned,
        emission_tao,
        protocol_flow,
    } = buys;
    let n = chain_buy_tao.len();
    let (tao, alpha, alpha_burned) = (&mut tao[..n], &mut alpha[..n], &mut alpha_burned[..n]);
    let (emission_tao, protocol_flow) = (&mut emission_tao[..n], &mut protocol_flow[..n]);
    let (mut emitted, mut unsettled): (Rao, Rao) = (0, 0);
    for i in 0..n {
        let buy = chain_buy_tao[i];
        let (t, a) = (tao[i], alpha[i]);
        let new_t = t.wrapping_add(buy);
        let (out, proven) = correct_quotient(a, buy, new_t, quotient_estimate::<C>(a, buy, new_t));
        let buys = proven && buy > 0 && out > 0 && out <= a && a - out >= MIN_RESERVE_RAO;
        (tao[i], alpha[i]) = if C::UPDATE_BY_ARITHMETIC {
            let (paid, bought) = if buys { (buy, out) } else { (0, 0) };
            (t.wrapping_add(paid), a - bought)
        } else if buys {
            (new_t, a - out)
        } else {
            (t, a)
        };
        alpha_burned[i] += if buys { out } else { 0 };
        emission_tao[i] += if buys { buy } else { 0 };
        protocol_flow[i] += if buys { C::small_to_f64(buy) } else { 0.0 };
        emitted += if buys { buy } else { 0 };
        let left = if proven { 0 } else { buy };
        chain_buy_tao[i] = left;
        unsettled |= left;
    }
    (emitted, unsettled != 0)
}

/// The pools in pass 2: the pairs, and the plain arrays the vector loops work on.
struct Pools<'a> {
    reserves: &'a mut [Reserves],
    tao: &'a mut [Rao],
    alpha: &'a mut [Rao],
    price: &'a mut [f64],
}

/// The root sale's arrays (`sells`: whether root's alpha is sold this block at all).
struct Sale<'a> {
    sells: bool,
    root_alpha: &'a mut [Rao],
    pending_root_tao: &'a mut [Rao],
    alpha_minted: &'a mut [Rao],
    protocol_flow: &'a mut [f64],
    track_flow: bool,
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn settle_avx512(sale: Sale<'_>, pools: Pools<'_>) -> bool {
    settle::<Native>(sale, pools)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn settle_avx2<C: Lanes>(sale: Sale<'_>, pools: Pools<'_>) -> bool {
    settle::<C>(sale, pools)
}

/// The root sale where root's alpha is sold, then each pool's price, and the pairs written
/// back. Returns whether a sale was left for the exact scalar swap.
#[inline(always)]
fn settle<C: Lanes>(sale: Sale<'_>, pools: Pools<'_>) -> bool {
    let n = pools.reserves.len();
    let (tao, alpha, price) = (
        &mut pools.tao[..n],
        &mut pools.alpha[..n],
        &mut pools.price[..n],
    );
    let unsettled = if sale.sells {
        // Two inlined copies with the flag constant: the loop tests no flag, and the one
        // that does not track the flow touches no flow array (no masked loads and stores).
        if sale.track_flow {
            sell_root_alpha::<C>(
                &mut sale.root_alpha[..n],
                tao,
                alpha,
                price,
                &mut sale.pending_root_tao[..n],
                &mut sale.alpha_minted[..n],
                (&mut sale.protocol_flow[..n], true),
            )
        } else {
            sell_root_alpha::<C>(
                &mut sale.root_alpha[..n],
                tao,
                alpha,
                price,
                &mut sale.pending_root_tao[..n],
                &mut sale.alpha_minted[..n],
                (&mut sale.protocol_flow[..n], false),
            )
        }
    } else {
        prices::<C>(tao, alpha, price);
        false
    };
    write_back(pools.reserves, tao, alpha);
    unsettled
}

/// Each pool's spot price from the plain arrays.
#[inline(always)]
fn prices<C: Lanes>(tao: &[Rao], alpha: &[Rao], price: &mut [f64]) {
    let n = tao.len();
    let (alpha, price) = (&alpha[..n], &mut price[..n]);
    for i in 0..n {
        price[i] = small_price_of::<C>(tao[i], alpha[i]);
    }
}

/// The plain arrays back into the pairs.
#[inline(always)]
fn write_back(reserves: &mut [Reserves], tao: &[Rao], alpha: &[Rao]) {
    let n = reserves.len();
    let (tao, alpha) = (&tao[..n], &alpha[..n]);
    for i in 0..n {
        reserves[i] = Reserves {
            tao_rao: tao[i],
            alpha_rao: alpha[i],
        };
    }
}

/// The root alpha sale of every subnet, elementwise: the same swap as
/// [`Reserves::protocol_sell`] — `out = ⌊T·dx/(A + dx)⌋`, refused when `out` is 0 or would
/// leave less than the minimum reserve — computed so that it vectorises; then the pool's
/// price after it.
///
/// The quotient is estimated ([`quotient_estimate`]) and checked exactly with 64-bit wrapping
/// arithmetic: when `T` and `A + dx` are below 2^53 the estimate is within 2^10 of the
/// quotient, so the remainder `r = T·dx − est·(A + dx)` is below 2^63 in magnitude and its
/// value mod 2^64 is the value itself. A remainder in `[0, A + dx)` proves the estimate,
/// `[A + dx, 2(A + dx))` or `[−(A + dx), 0)` proves it off by one. Sales settled here have
/// their `root_alpha` cleared; any other (reserves past 2^53 rao, or an estimate further off)
/// is left for the exact scalar swap, and the return value says whether there is one.
#[inline(always)]
fn sell_root_alpha<C: Lanes>(
    root_alpha: &mut [Rao],
    tao: &mut [Rao],
    alpha: &mut [Rao],
    price: &mut [f64],
    pending_root_tao: &mut [Rao],
    alpha_minted: &mut [Rao],
    (protocol_flow, track_flow): (&mut [f64], bool),
) -> bool {
    let n = root_alpha.len();
    let (tao, alpha, price) = (&mut tao[..n], &mut alpha[..n], &mut price[..n]);
    let (pending_root_tao, alpha_minted, protocol_flow) = (
        &mut pending_root_tao[..n],
        &mut alpha_minted[..n],
        &mut protocol_flow[..n],
    );
    let mut unsettled: Rao = 0;
    #[allow(clippy::needless_range_loop)]
    for i in 0..n {
        let dx = root_alpha[i];
        let (y, x) = (tao[i], alpha[i]);
        let new_x = x.wrapping_add(dx);
        let (out, proven) = correct_quotient(y, dx, new_x, quotient_estimate::<C>(y, dx, new_x));
        let sells = proven && out > 0 && out <= y && y - out >= MIN_RESERVE_RAO;
        let (y, x) = if C::UPDATE_BY_ARITHMETIC {
            let (paid, sold) = if sells { (out, dx) } else { (0, 0) };
            (y - paid, x.wrapping_add(sold))
        } else if sells {
            (y - out, new_x)
        } else {
            (y, x)
        };
        (tao[i], alpha[i]) = (y, x);
        price[i] = small_price_of::<C>(y, x);
        pending_root_tao[i] += if sells { out } else { 0 };
        alpha_minted[i] += if sells { dx } else { 0 };
        // Loop-invariant: hoisted out of the loop by the compiler.
        if track_flow {
            protocol_flow[i] -= if sells { C::small_to_f64(out) } else { 0.0 };
        }
        let left = if proven { 0 } else { dx };
        root_alpha[i] = left;
        unsettled |= left;
    }
    unsettled != 0
}

/// The arrays pass 3 reads and writes.
pub struct EmaPass<'a> {
    /// Each pool's `T/A` after this block's swaps (`Handoff::price`, from pass 2).
    pub price: &'a [f64],
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
        Simd::Baseline => update_emas_loop::<Native>(block, ramp, rates, protocol_flow, pass),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx2` is only ever chosen on a CPU with these features.
        Simd::Avx2 => unsafe { update_emas_avx2(block, ramp, rates, protocol_flow, pass) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Simd::Avx512` is only ever chosen on a CPU with these features.
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
    update_emas_loop::<Native>(block, ramp, rates, protocol_flow, pass)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn update_emas_avx2(
    block: i64,
    ramp: bool,
    rates: &Rates,
    protocol_flow: bool,
    pass: EmaPass<'_>,
) {
    update_emas_loop::<Magic>(block, ramp, rates, protocol_flow, pass)
}

#[inline(always)]
fn update_emas_loop<C: Lanes>(
    block: i64,
    ramp: bool,
    rates: &Rates,
    protocol_flow: bool,
    pass: EmaPass<'_>,
) {
    // One loop per pool kind, as in pass 1.
    match pass.price_factor {
        None => update_emas_pools::<C, false>(block, ramp, rates, protocol_flow, pass, &[]),
        Some(factor) => {
            update_emas_pools::<C, true>(block, ramp, rates, protocol_flow, pass, factor)
        }
    }
}

/// Pass 3's loop for one pool kind; separate `&mut` arguments, as in pass 1: no runtime
/// overlap checks.
#[inline(always)]
fn update_emas_pools<C: Lanes, const WEIGHTED: bool>(
    block: i64,
    ramp: bool,
    rates: &Rates,
    protocol_flow: bool,
    pass: EmaPass<'_>,
    price_factor: &[f64],
) {
    let n = pass.price.len();
    update_emas_slices::<C, WEIGHTED>(
        block,
        ramp,
        rates,
        protocol_flow,
        &pass.price[..n],
        if WEIGHTED { &price_factor[..n] } else { &[] },
        &pass.start_block[..n],
        &mut pass.ema_price[..n],
        &mut pass.flow_ema[..n],
        &mut pass.flow_block[..n],
        &mut pass.protocol_flow_ema[..n],
        &pass.protocol_flow[..n],
    )
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn update_emas_slices<C: Lanes, const WEIGHTED: bool>(
    block: i64,
    ramp: bool,
    rates: &Rates,
    keep_protocol_flow: bool,
    price: &[f64],
    price_factor: &[f64],
    start_block: &[i64],
    ema_price: &mut [f64],
    flow_ema: &mut [f64],
    flow_block: &mut [f64],
    protocol_flow_ema: &mut [f64],
    protocol_flow: &[f64],
) {
    let n = price.len();
    let (start_block, ema_price, flow_ema) =
        (&start_block[..n], &mut ema_price[..n], &mut flow_ema[..n]);
    let (flow_block, protocol_flow_ema, protocol_flow) = (
        &mut flow_block[..n],
        &mut protocol_flow_ema[..n],
        &protocol_flow[..n],
    );
    let price_factor = if WEIGHTED {
        &price_factor[..n]
    } else {
        price_factor
    };
    let flow_rate = rates.flow_ema_rate;
    #[allow(clippy::needless_range_loop)]
    for i in 0..n {
        // A weighted pool's spot price: `T/A` times its factor (`Subnets::price`).
        let p = if WEIGHTED {
            price[i] * price_factor[i]
        } else {
            price[i]
        };
        ema_price[i] =
            ema_price_step_with::<C>(ema_price[i], p, block - start_block[i], ramp, rates);
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
    // The AVX2 kernel's conversions, tested on every target (they are plain Rust).
    use crate::lanes::{Below52, Magic};
    use crate::pool::{MIN_WEIGHT, WEIGHT_ONE};

    /// The halving scan on every kernel: a subnet whose issuance crossed its halving (either
    /// way) gets the emission of its new issuance and its new interval; the others keep theirs.
    #[test]
    fn alpha_emission_refreshes_where_issuance_left_its_halving_interval() {
        use crate::units::{OWNER_CUT_NUMERATOR, RAO_PER_TAO as TAO};
        let h1 = 10_500_000 * TAO;
        // Issuance = pool alpha + outstanding; the interval each subnet was last refreshed at.
        let cases = [
            (h1 - 10, 0, h1 - 10),   // inside: untouched
            (h1 - 10, 20, h1 - 10),  // crossed the halving upwards (issuance h1 + 10)
            (h1 - 1, 1, h1 - 1),     // exactly at the halving
            (h1 - 1, 0, h1 + 5),     // fell back below it after burns
            (100 * TAO, 0, 5 * TAO), // far inside the first interval
        ];
        let reserves: Vec<Reserves> = cases
            .iter()
            .map(|&(alpha, _, _)| Reserves {
                tao_rao: TAO,
                alpha_rao: alpha,
            })
            .collect();
        let outstanding: Vec<Rao> = cases.iter().map(|&(_, o, _)| o).collect();
        for &simd in &Simd::available() {
            let mut intervals = HalvingIntervals::default();
            // A sentinel emission, so a refresh shows.
            let mut emission = AlphaEmissions::default();
            for &(_, _, at) in &cases {
                intervals.push(halving_interval(at));
                emission.push(AlphaEmission::per_block(7));
            }
            let rates = Rates::default();
            let owner_cut = OWNER_CUT_NUMERATOR;
            let (r, o) = (&reserves, &outstanding);
            refresh_alpha_emission(simd, r, o, &mut intervals, &mut emission, owner_cut, &rates);
            let fresh = |issuance| {
                AlphaEmission::at_issuance_with_cut(issuance, owner_cut).with_injection_cap(&rates)
            };
            let sentinel = AlphaEmission::per_block(7);
            let expected = [sentinel, fresh(h1 + 10), fresh(h1), fresh(h1 - 1), sentinel];
            for (i, want) in expected.iter().enumerate() {
                assert_eq!(emission.get(i), *want, "{simd:?}, subnet {i}");
                let issuance = reserves[i].alpha_rao + outstanding[i];
                let (from, width) = (intervals.from[i], intervals.width[i]);
                assert!(!outside_interval(issuance, from, width), "{simd:?} {i}");
            }
            assert_eq!(
                (fresh(h1 + 10).per_block, fresh(h1 - 1).per_block),
                (TAO / 2, TAO)
            );
        }
    }

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
        let alpha_emission: AlphaEmissions = vec![AlphaEmission::per_block(1_000_000_000); n]
            .into_iter()
            .collect();
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
            // As pass 1 leaves them.
            tao: vec![pool.tao_rao],
            alpha: vec![pool.alpha_rao],
            price: vec![f64::NAN],
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
        // The protocol flow records the sale; pass 3 gets the pool's price after it.
        assert_eq!(handoff.protocol_flow[0], -(pending[0] as f64));
        assert_eq!(handoff.price[0].to_bits(), reserves[0].price().to_bits());
        (reserves[0], pending[0], minted[0])
    }

    /// One pool's chain buy as pass 2 makes it (the vector loop, then the exact swap for what
    /// it left): the pool after it, the alpha burned and the TAO emitted.
    fn kernel_chain_buy<C: Lanes>(pool: Reserves, buy: Rao) -> (Reserves, Rao, Rao) {
        let (mut chain_buy_tao, mut tao, mut alpha) = ([buy], [pool.tao_rao], [pool.alpha_rao]);
        let (mut burned, mut emission, mut flow) = ([0], [0], [0.0]);
        let (mut emitted, unsettled) = chain_buys::<C>(ChainBuys {
            chain_buy_tao: &mut chain_buy_tao,
            tao: &mut tao,
            alpha: &mut alpha,
            alpha_burned: &mut burned,
            emission_tao: &mut emission,
            protocol_flow: &mut flow,
        });
        let mut after = Reserves {
            tao_rao: tao[0],
            alpha_rao: alpha[0],
        };
        if unsettled {
            let bought = after.protocol_buy(chain_buy_tao[0]);
            burned[0] += bought;
            emitted += if bought > 0 { chain_buy_tao[0] } else { 0 };
        }
        // The settled buy's TAO is counted as the subnet's emission and its protocol flow.
        assert_eq!(emission[0], if unsettled { 0 } else { emitted });
        assert_eq!(flow[0], emission[0] as f64);
        (after, burned[0], emitted)
    }

    /// Whether the vectorised sale leaves a one-pool sale to the exact scalar swap.
    fn fast_sale_leaves_some<C: Lanes>(y: Rao, x: Rao, dx: Rao) -> bool {
        let (mut root_alpha, mut tao, mut alpha) = ([dx], [y], [x]);
        let (mut price, mut pending, mut minted, mut flow) = ([0.0], [0], [0], [0.0]);
        sell_root_alpha::<C>(
            &mut root_alpha,
            &mut tao,
            &mut alpha,
            &mut price,
            &mut pending,
            &mut minted,
            (&mut flow, true),
        )
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
            for &simd in &Simd::available() {
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
            // Any pool, and one below 2^49 (the AVX2 kernel's short forms).
            for pool in [
                Reserves { tao_rao: y, alpha_rao: x },
                Reserves { tao_rao: y >> 7, alpha_rao: x >> 7 },
            ] {
                for &simd in &Simd::available() {
                    proptest::prop_assert_eq!(kernel_sale(pool, dx, simd), reference_sale(pool, dx));
                }
            }
        }

        /// The fast path settles every sale of pools below 2^52 rao (a few million TAO or
        /// alpha: every pool the engine plays) without the exact scalar swap: the estimate
        /// is close enough for the proof, in every conversion form.
        #[test]
        fn root_sales_of_ordinary_pools_settle_on_the_fast_path(
            y in 10_000_000u64..1 << 52,
            x in 0u64..1 << 52,
            dx in 0u64..1 << 33,
        ) {
            proptest::prop_assert!(!fast_sale_leaves_some::<Native>(y, x, dx));
            proptest::prop_assert!(!fast_sale_leaves_some::<Magic>(y, x, dx));
            // The AVX2 kernel's short forms, within their precondition (amounts below 2^50).
            let (y, x) = (y >> 2, x >> 2);
            proptest::prop_assert!(!fast_sale_leaves_some::<Below52>(y.max(10_000_000), x, dx));
        }

        /// The vectorised chain buy, with the exact scalar swap behind it, is the pool's own
        /// protocol buy, in both conversion forms.
        #[test]
        fn chain_buys_match_the_pool_swap(
            t in 0u64..1 << 56,
            a in 0u64..1 << 56,
            buy in proptest::prop_oneof![0u64..1 << 40, 0u64..1_000],
        ) {
            let pool = Reserves { tao_rao: t, alpha_rao: a };
            let mut reference = pool;
            let bought = reference.protocol_buy(buy);
            let expected = (reference, bought, if bought > 0 { buy } else { 0 });
            proptest::prop_assert_eq!(kernel_chain_buy::<Native>(pool, buy), expected);
            proptest::prop_assert_eq!(kernel_chain_buy::<Magic>(pool, buy), expected);
            // The short forms, within their precondition (amounts below 2^50).
            let small = Reserves { tao_rao: t >> 6, alpha_rao: a >> 6 };
            let mut reference = small;
            let bought = reference.protocol_buy(buy);
            let expected = (reference, bought, if bought > 0 { buy } else { 0 });
            proptest::prop_assert_eq!(kernel_chain_buy::<Below52>(small, buy), expected);
        }

        /// The kernels' moving-price step is the one `Rates::ema_price_rate_at` defines, bit for
        /// bit, in both conversion forms, at the chain's rates and at a search's.
        #[test]
        fn kernel_ema_rate_is_the_rates_rate(
            ema in 0.0f64..2.0,
            price in 0.0f64..3.0,
            age in -1_000_000i64..1 << 40,
            ramp in proptest::bool::ANY,
            rate in 1e-7f64..1e-3,
            ramp_blocks in 1.0f64..1e6,
        ) {
            let search = Rates {
                ema_price_rate: rate,
                ema_ramp_blocks: ramp_blocks,
                ..Rates::default()
            };
            for rates in [Rates::default(), search] {
                let a = rates.ema_price_rate_at(age, ramp);
                let expected = (a * price.min(1.0) + (1.0 - a) * ema).to_bits();
                let native = ema_price_step_with::<Native>(ema, price, age, ramp, &rates);
                let magic = ema_price_step_with::<Magic>(ema, price, age, ramp, &rates);
                proptest::prop_assert_eq!(native.to_bits(), expected);
                proptest::prop_assert_eq!(magic.to_bits(), expected);
            }
        }

        /// The kernels' price (with their conversions) is the pool's price, bit for bit.
        #[test]
        fn kernel_price_is_the_pool_price(
            t in 0u64..1 << 62,
            a in 0u64..1 << 62,
            shift in 0u32..40,
        ) {
            for pool in [
                Reserves { tao_rao: t, alpha_rao: a },
                Reserves { tao_rao: t >> shift, alpha_rao: a >> shift },
            ] {
                let expected = pool.price().to_bits();
                proptest::prop_assert_eq!(price_with::<Native>(pool).to_bits(), expected);
                proptest::prop_assert_eq!(price_with::<Magic>(pool).to_bits(), expected);
            }
        }

        /// Every kernel this CPU can run gives, bit for bit, the state the scalar reference
        /// ([`reference_block`]: each subnet's injection, swaps on its curve and EMAs written
        /// as plain per-subnet code with the pool's own swaps and prices) gives, over two
        /// blocks with trades between them, on constant-product pools (E1–E4) and E5's
        /// weighted pools, for every injection rule; with pools small enough for the AVX2
        /// kernel's short conversions in pass 2 and larger, and shares within and past 1
        /// (its short forms in pass 1, or not).
        #[test]
        fn every_kernel_agrees_with_the_scalar_reference(
            seed in 0u64..u64::MAX,
            rule in 0usize..5,
            scheduled in proptest::option::of(0.0f64..1.0),
            weighted in proptest::bool::ANY,
            sells_root in proptest::bool::ANY,
            track_flow in proptest::bool::ANY,
            ramp in proptest::bool::ANY,
            small_pools in proptest::bool::ANY,
            shares_past_one in proptest::bool::ANY,
        ) {
            let rule = InjectionRule::ALL[rule];
            let flags = Flags { scheduled, sells_root, track_flow, ramp };
            let mut start = Fixture::random(seed, rule, flags, weighted, small_pools);
            if shares_past_one {
                // Outside the AVX2 kernel's short forms in pass 1 (a share past 1).
                start.share.iter_mut().for_each(|x| *x *= 1.5);
            }
            let mut reference = start.clone();
            for block in 0..BLOCKS {
                reference_block(&mut reference, block);
                reference.trade(seed, block);
            }
            let expected = reference.snapshot();
            for &simd in &Simd::available() {
                let mut fx = start.clone();
                let mut handoff = Handoff::default();
                for block in 0..BLOCKS {
                    kernel_block(&mut fx, &mut handoff, simd, block);
                    fx.trade(seed, block);
                }
                proptest::prop_assert_eq!(&fx.snapshot(), &expected, "{:?}", simd);
            }
        }
    }

    /// Blocks per agreement case: the second reads the price the first left (`refresh_prices`).
    const BLOCKS: i64 = 2;

    /// A block's switches: the scheduled root proportion, whether root alpha is sold, whether
    /// protocol flow is tracked (E4), whether the moving price ramps.
    #[derive(Clone, Copy, Debug)]
    struct Flags {
        scheduled: Option<f64>,
        sells_root: bool,
        track_flow: bool,
        ramp: bool,
    }

    /// A random network's subnet arrays: the kernel's inputs and everything it writes.
    #[derive(Clone, Debug)]
    struct Fixture {
        rule: InjectionRule,
        flags: Flags,
        rates: Rates,
        share: Vec<f64>,
        /// Reserves, and for weighted pools their weights and price factors (1.0 each for
        /// constant-product pools, as `Network` keeps them).
        subnets: crate::state::Subnets,
        outstanding: Vec<Rao>,
        alpha_emission: AlphaEmissions,
        start_block: Vec<i64>,
        /// ema, flow_ema, flow_block, protocol_flow_ema, share_out, root proportion.
        floats: [Vec<f64>; 6],
        /// pending owner, miner, validator; minted, burned, emission TAO, pending root TAO.
        amounts: [Vec<Rao>; 7],
        /// TAO minted: injected plus chain buys, summed over blocks.
        minted_tao: Rao,
    }

    /// Everything a [`Fixture`] holds after the blocks, `f64` as bits.
    type Snapshot = (Vec<(Rao, Rao)>, Vec<u64>, Vec<Vec<Rao>>, Vec<Vec<u64>>, Rao);

    impl Fixture {
        /// `small_pools`: every reserve below 2^49 rao (else alpha reserves up to 2^52).
        fn random(
            seed: u64,
            rule: InjectionRule,
            flags: Flags,
            weighted: bool,
            small_pools: bool,
        ) -> Fixture {
            use rand::{Rng, SeedableRng};
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let n = 37;
            let mut share: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let sum: f64 = share.iter().sum();
            share.iter_mut().for_each(|x| *x /= sum);
            let mut subnets = crate::state::Subnets::default();
            for _ in 0..n {
                // Mostly ordinary pools; one in four near the minimum reserve (refused swaps).
                let tao = if rng.random_range(0..4) == 0 {
                    rng.random_range(MIN_RESERVE_RAO..MIN_RESERVE_RAO + 1_000_000)
                } else {
                    rng.random_range(MIN_RESERVE_RAO..1u64 << if small_pools { 49 } else { 50 })
                };
                let alpha =
                    rng.random_range(MIN_RESERVE_RAO..1u64 << if small_pools { 49 } else { 52 });
                subnets.reserves.push(Reserves {
                    tao_rao: tao,
                    alpha_rao: alpha,
                });
                let factor = if weighted {
                    let quote = rng.random_range(MIN_WEIGHT..=WEIGHT_ONE - MIN_WEIGHT);
                    let w = Weights::from_quote_parts(quote).unwrap();
                    subnets.pool_weights.push(w);
                    w.price_factor()
                } else {
                    1.0
                };
                subnets.price_factor.push(factor);
            }
            let outstanding: Vec<Rao> = (0..n).map(|_| rng.random_range(0..1u64 << 52)).collect();
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
            let alpha_emission = (0..n)
                .map(|i| {
                    AlphaEmission::at_issuance(subnets.reserves[i].alpha_rao + outstanding[i])
                        .with_injection_cap(&rates)
                })
                .collect();
            let start_block = (0..n).map(|_| rng.random_range(-500_000..1_000)).collect();
            let mut float =
                |scale: f64| -> Vec<f64> { (0..n).map(|_| rng.random::<f64>() * scale).collect() };
            let floats = [
                float(1.0),
                float(1e9),
                float(1e9),
                float(1e9),
                vec![0.0; n],
                vec![0.0; n],
            ];
            Fixture {
                rule,
                flags,
                rates,
                share,
                subnets,
                outstanding,
                alpha_emission,
                start_block,
                floats,
                amounts: std::array::from_fn(|_| vec![0; n]),
                minted_tao: 0,
            }
        }

        /// Between blocks: trades move a few pools (and a user's flow), and on weighted pools
        /// one pool's weights are reset to ½ (a replaced subnet), so the next block's pass 1
        /// must recompute those prices.
        fn trade(&mut self, seed: u64, block: i64) {
            use rand::{Rng, SeedableRng};
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ (block as u64 + 1));
            let n = self.share.len();
            for _ in 0..5 {
                let i = rng.random_range(0..n);
                let pool = &mut self.subnets.reserves[i];
                pool.tao_rao += rng.random_range(1..1_000_000_000);
                pool.alpha_rao += rng.random_range(0..2u64);
                self.floats[2][i] = rng.random::<f64>() * 1e9;
            }
            if !self.subnets.pool_weights.is_empty() {
                let i = rng.random_range(0..n);
                self.subnets.pool_weights[i] = Weights::default();
                self.subnets.price_factor[i] = Weights::default().price_factor();
            }
        }

        fn inputs(&self) -> BlockInputs {
            BlockInputs {
                rule: self.rule,
                block_emission: 1_000_000_000,
                scheduled_root_proportion: self.flags.scheduled,
                root_weighted: 0.18 * 5.5e15,
            }
        }

        fn snapshot(&self) -> Snapshot {
            let s = &self.subnets;
            let mut amounts = self.amounts.to_vec();
            amounts.push(self.outstanding.clone());
            let mut floats: Vec<Vec<u64>> = self
                .floats
                .iter()
                .map(|v| v.iter().map(|x| x.to_bits()).collect())
                .collect();
            floats.push(s.price_factor.iter().map(|x| x.to_bits()).collect());
            (
                s.reserves
                    .iter()
                    .map(|r| (r.tao_rao, r.alpha_rao))
                    .collect(),
                s.pool_weights.iter().map(|w| w.quote_parts()).collect(),
                amounts,
                floats,
                self.minted_tao,
            )
        }
    }

    /// One block of the block kernel `simd` on the fixture, as `Network::step_block` runs it
    /// (weights re-solved between passes 1 and 2; `handoff` kept across blocks).
    fn kernel_block(fx: &mut Fixture, handoff: &mut Handoff, simd: Simd, block: i64) {
        let n = fx.share.len();
        handoff.resize(n);
        let inputs = fx.inputs();
        let weighted = !fx.subnets.pool_weights.is_empty();
        let before = fx.subnets.reserves.clone();
        let [ema, flow_ema, flow_block, protocol_flow_ema, share_out, rp] = &mut fx.floats;
        let [owner, miner, validator, minted, burned, emission, root_tao] = &mut fx.amounts;
        let s = &mut fx.subnets;
        let injected = inject_and_split(
            simd,
            &inputs,
            InjectPass {
                share: &fx.share,
                share_out,
                reserves: &mut s.reserves,
                price_factor: weighted.then_some(&s.price_factor[..]),
                alpha_outstanding: &mut fx.outstanding,
                alpha_emission: &fx.alpha_emission,
                root_proportion: rp,
                pending_owner: owner,
                pending_miner: miner,
                pending_validator: validator,
                alpha_minted: minted,
                emission_tao: emission,
                handoff,
            },
        );
        if weighted {
            s.resolve_weights_after_injection(&before);
        }
        let bought = swap(
            simd,
            fx.flags.sells_root,
            fx.flags.track_flow,
            injected,
            SwapPass {
                reserves: &mut s.reserves,
                pool_weights: &s.pool_weights,
                alpha_minted: minted,
                alpha_burned: burned,
                emission_tao: emission,
                pending_root_tao: root_tao,
                handoff,
            },
        );
        update_emas(
            simd,
            1_000 + block,
            fx.flags.ramp,
            &fx.rates,
            fx.flags.track_flow,
            EmaPass {
                price: &handoff.price,
                price_factor: weighted.then_some(&s.price_factor[..]),
                start_block: &fx.start_block,
                ema_price: ema,
                flow_ema,
                flow_block,
                protocol_flow_ema,
                protocol_flow: &handoff.protocol_flow,
            },
        );
        fx.minted_tao += injected.tao_in + bought;
    }

    /// The scalar reference for one block: per subnet, the chain's formulas written plainly
    /// (casts, `rao_from_f64`), the price from `Subnets::price` (`T/A` times the pool's factor),
    /// the swaps from the pool's own `protocol_buy_on`/`protocol_sell_on` on its curve, the
    /// moving price from `Rates::ema_price_rate_at`. No caches, no plain arrays, no estimates.
    fn reference_block(fx: &mut Fixture, block: i64) {
        use crate::units::rao_from_f64;
        let n = fx.share.len();
        let e_block: Rao = 1_000_000_000;
        let root_weighted = fx.inputs().root_weighted;
        let before = fx.subnets.reserves.clone();
        let [ema, flow_ema, flow_block, protocol_flow_ema, share_out, rp] = &mut fx.floats;
        let [owner, miner, validator, minted, burned, emission, root_tao] = &mut fx.amounts;
        let (mut flow, mut buys, mut sales) = (vec![0.0; n], vec![0; n], vec![0; n]);
        for i in 0..n {
            share_out[i] = fx.share[i];
            let tao_emission = rao_from_f64(e_block as i64 as f64 * fx.share[i]);
            let issuance = fx.subnets.reserves[i].alpha_rao + fx.outstanding[i];
            rp[i] = match fx.flags.scheduled {
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
            let split = fx.alpha_emission.get(i);
            let price = fx.subnets.price(i);
            let inj = injection::inject(
                fx.rule,
                tao_emission,
                split.injection_cap,
                rp[i],
                price,
                e_block,
            );
            let pool = &mut fx.subnets.reserves[i];
            pool.tao_rao += inj.tao_in;
            pool.alpha_rao += inj.alpha_in;
            emission[i] += inj.tao_in;
            fx.minted_tao += inj.tao_in;
            buys[i] = inj.chain_buy_tao;
            flow[i] = inj.tao_in as i64 as f64;
            let root_alpha = rao_from_f64(split.validators_and_root as i64 as f64 * rp[i]);
            let validators = split.validators_and_root - root_alpha;
            owner[i] += split.owner;
            miner[i] += split.miners;
            validator[i] += validators;
            let paid_out = split.owner + split.miners + validators;
            fx.outstanding[i] += paid_out;
            sales[i] = if inj.subsidised { 0 } else { root_alpha };
            minted[i] += inj.alpha_in + paid_out;
        }
        if !fx.subnets.pool_weights.is_empty() {
            fx.subnets.resolve_weights_after_injection(&before);
        }
        for i in 0..n {
            let curve = fx.subnets.curve(i);
            let pool = &mut fx.subnets.reserves[i];
            if buys[i] > 0 {
                let bought = pool.protocol_buy_on(curve, buys[i]);
                if bought > 0 {
                    burned[i] += bought;
                    emission[i] += buys[i];
                    flow[i] += buys[i] as i64 as f64;
                    fx.minted_tao += buys[i];
                }
            }
            if fx.flags.sells_root && sales[i] > 0 {
                let received = pool.protocol_sell_on(curve, sales[i]);
                if received > 0 {
                    root_tao[i] += received;
                    minted[i] += sales[i];
                    if fx.flags.track_flow {
                        flow[i] -= received as i64 as f64;
                    }
                }
            }
            let a = fx
                .rates
                .ema_price_rate_at(1_000 + block - fx.start_block[i], fx.flags.ramp);
            ema[i] = a * fx.subnets.price(i).min(1.0) + (1.0 - a) * ema[i];
            let f = fx.rates.flow_ema_rate;
            flow_ema[i] += f * (flow_block[i] - flow_ema[i]);
            flow_block[i] = 0.0;
            if fx.flags.track_flow {
                protocol_flow_ema[i] += f * (flow[i] - protocol_flow_ema[i]);
            }
        }
    }
}
