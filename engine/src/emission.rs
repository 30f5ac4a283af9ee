//! TAO block emission with halvings (`get_block_emission_for_issuance`), also used for each
//! subnet's alpha emission from that subnet's alpha issuance.

use crate::units::{
    Rao, OWNER_CUT_DENOMINATOR, OWNER_CUT_NUMERATOR, RAO_PER_TAO, TOTAL_SUPPLY_RAO,
};

/// Block emission at issuance `issued_rao`:
/// `k = floor(log2(1 / (1 − I / 21e15)))`, `E = 1e9 / 2^k` rao, and 0 once I ≥ 21e15.
///
/// Computed exactly in integers: `1/(1 − I/S) ≥ 2^k` ⇔ `S ≥ 2^k (S − I)`, so k is the
/// largest integer with `2^k · (S − I) ≤ S`. The chain computes the same with fixed point
/// logarithms; at the halving boundaries (10.5M, 15.75M, 18.375M TAO) the exact form is the
/// intended one.
pub fn block_emission_for_issuance(issued_rao: Rao) -> Rao {
    if issued_rao >= TOTAL_SUPPLY_RAO {
        return 0;
    }
    let remaining = (TOTAL_SUPPLY_RAO - issued_rao) as u128;
    let supply = TOTAL_SUPPLY_RAO as u128;
    let mut k = 0u32;
    while k < 63 && (remaining << (k + 1)) <= supply {
        k += 1;
    }
    RAO_PER_TAO >> k
}

/// The TAO issuance after `blocks` blocks of emission from `issued_rao`, halvings included:
/// what minting each block's emission in turn would give (a match's network is aged to its
/// start day this way; 1 TAO a block without halvings reached the 21M cap at about day 1750,
/// and every later start day played an economy with no emission at all).
pub fn issuance_after(mut issued_rao: Rao, mut blocks: u64) -> Rao {
    while blocks > 0 {
        let emission = block_emission_for_issuance(issued_rao);
        let Some(halving) = next_halving_issuance(issued_rao).filter(|_| emission > 0) else {
            break;
        };
        // Blocks at this emission: the one that reaches the halving is the last of them.
        let at_this_rate = (halving - issued_rao).div_ceil(emission).min(blocks);
        issued_rao += at_this_rate * emission;
        blocks -= at_this_rate;
    }
    issued_rao
}

/// The issuance at which the emission next changes (the next halving), or `None` past the
/// last one that leaves a non-zero emission. Used to cache the emission between halvings.
pub fn next_halving_issuance(issued_rao: Rao) -> Option<Rao> {
    if issued_rao >= TOTAL_SUPPLY_RAO {
        return None;
    }
    let remaining = TOTAL_SUPPLY_RAO - issued_rao;
    // The next threshold is where remaining drops to S / 2^(k+1).
    let current = block_emission_for_issuance(issued_rao);
    if current == 0 {
        return None;
    }
    let k = (RAO_PER_TAO / current).trailing_zeros();
    let next_remaining = TOTAL_SUPPLY_RAO >> (k + 1);
    debug_assert!(next_remaining < remaining);
    Some(TOTAL_SUPPLY_RAO - next_remaining)
}

/// Cached TAO block emission (TAO issuance only grows): recomputes only at halvings. Alpha
/// issuance can fall after burns, so subnets keep [`AlphaEmission`] with its whole
/// [`halving_interval`] instead.
#[derive(Clone, Copy, Debug)]
pub struct EmissionCache {
    emission_rao: Rao,
    valid_below: Rao,
}

impl EmissionCache {
    pub fn new(issued_rao: Rao) -> Self {
        Self {
            emission_rao: block_emission_for_issuance(issued_rao),
            valid_below: next_halving_issuance(issued_rao).unwrap_or(u64::MAX),
        }
    }

    /// Emission at `issued_rao`, which must not be below the issuance this cache last
    /// recomputed at.
    #[inline]
    pub fn at(&mut self, issued_rao: Rao) -> Rao {
        if issued_rao >= self.valid_below {
            *self = Self::new(issued_rao);
        }
        self.emission_rao
    }
}

/// How much alpha each subnet mints a block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlphaEmissionRule {
    /// The chain's rule: α_e from the subnet's own alpha issuance, whatever its TAO share.
    #[default]
    Issuance,
    /// Counterfactual: α_e × min(1, N × share_i) for N subnets, so a subnet the share rule does
    /// not fund mints no alpha either, and one with at least an equal share mints in full.
    /// With `objective` this ties alpha emission to the same value score as TAO emission.
    ByShare,
}

/// The issuance interval `[from, below)` over which the emission at `issued_rao` holds:
/// from the halving that set it to the next one (`below` = `u64::MAX` past the last).
pub fn halving_interval(issued_rao: Rao) -> (Rao, Rao) {
    let current = block_emission_for_issuance(issued_rao);
    if current == 0 {
        return (TOTAL_SUPPLY_RAO, u64::MAX);
    }
    // E = 1e9 >> k holds while S − I ≤ S >> k, i.e. from I = S − (S >> k).
    let k = (RAO_PER_TAO / current).trailing_zeros();
    let from = TOTAL_SUPPLY_RAO - (TOTAL_SUPPLY_RAO >> k);
    (from, next_halving_issuance(issued_rao).unwrap_or(u64::MAX))
}

/// Every subnet's [`halving_interval`] `[from, below)`, kept as `from` and the width
/// `below − from`.
///
/// Why not the pairs: the block kernel asks every block whether each subnet's issuance left its
/// interval, and with these two arrays that is one wrapping subtraction and one unsigned
/// comparison ([`outside_interval`]) instead of two comparisons on interleaved pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HalvingIntervals {
    pub from: Vec<Rao>,
    pub width: Vec<Rao>,
}

impl HalvingIntervals {
    pub fn push(&mut self, (from, below): (Rao, Rao)) {
        self.from.push(from);
        self.width.push(below - from);
    }

    pub fn set(&mut self, i: usize, (from, below): (Rao, Rao)) {
        (self.from[i], self.width[i]) = (from, below - from);
    }
}

/// Whether `issuance` lies outside the interval `[from, from + width)` of a
/// [`HalvingIntervals`] entry (`width ≥ 1`, `from + width ≤ u64::MAX`): below `from`, the
/// wrapping difference is at least `2^64 − from > width`; from `from` on, it is the distance.
#[inline(always)]
pub fn outside_interval(issuance: Rao, from: Rao, width: Rao) -> bool {
    issuance.wrapping_sub(from) >= width
}

/// A subnet's alpha emission per block (α_e, from its alpha issuance) and its fixed alpha_out
/// split (spec §5). It holds over the issuance's [`halving_interval`], which the block loop
/// keeps beside it to know when to recompute.
///
/// The split is integer arithmetic with divisions by constants; it changes only at halvings,
/// so the block loop reads it instead of recomputing it for every subnet every block (which
/// would also keep that loop from vectorising: there is no 64-bit vector divide).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlphaEmission {
    /// α_e, alpha rao per block.
    pub per_block: Rao,
    /// The owner's cut: `α_e · 11796 / 65535` (≈ 18 %).
    pub owner: Rao,
    /// Miners: half of the rest (41 %).
    pub miners: Rao,
    /// Validators and root together: the other half (41 %), split by root proportion.
    pub validators_and_root: Rao,
    /// The cap on alpha_in that the injection rule applies: α_e on chain, the match's
    /// `injection_cap` factor × α_e otherwise ([`Self::with_injection_cap`]).
    pub injection_cap: Rao,
}

impl AlphaEmission {
    pub fn at_issuance(issued_rao: Rao) -> Self {
        Self::at_issuance_with_cut(issued_rao, OWNER_CUT_NUMERATOR)
    }

    /// [`Self::at_issuance`] with the owner cut `owner_cut / 65535` (the chain's
    /// `SubnetOwnerCut` representation; [`OWNER_CUT_NUMERATOR`] is today's).
    pub fn at_issuance_with_cut(issued_rao: Rao, owner_cut: u64) -> Self {
        Self::per_block_with_cut(block_emission_for_issuance(issued_rao), owner_cut)
    }

    /// Under [`AlphaEmissionRule::ByShare`]: this emission × min(1, `subnets` × `share`),
    /// split with the owner cut `owner_cut / 65535`.
    pub fn scaled_by_share(&self, share: f64, subnets: usize, owner_cut: u64) -> Self {
        let scale = (subnets as f64 * share).clamp(0.0, 1.0);
        Self::per_block_with_cut(
            crate::units::rao_from_f64(self.per_block as i64 as f64 * scale),
            owner_cut,
        )
    }

    /// `per_block` alpha a block, split with today's owner cut.
    pub fn per_block(per_block: Rao) -> Self {
        Self::per_block_with_cut(per_block, OWNER_CUT_NUMERATOR)
    }

    /// `per_block` alpha a block, split with the owner cut `owner_cut / 65535` (at most 1).
    pub fn per_block_with_cut(per_block: Rao, owner_cut: u64) -> Self {
        let owner = per_block * owner_cut.min(OWNER_CUT_DENOMINATOR) / OWNER_CUT_DENOMINATOR;
        let rest = per_block - owner;
        let miners = rest / 2;
        Self {
            per_block,
            owner,
            miners,
            validators_and_root: rest - miners,
            injection_cap: per_block,
        }
    }

    /// The fields in declaration order (how [`AlphaEmissions`] stores them).
    fn fields(self) -> [Rao; 5] {
        [
            self.per_block,
            self.owner,
            self.miners,
            self.validators_and_root,
            self.injection_cap,
        ]
    }

    fn from_fields(
        [per_block, owner, miners, validators_and_root, injection_cap]: [Rao; 5],
    ) -> Self {
        Self {
            per_block,
            owner,
            miners,
            validators_and_root,
            injection_cap,
        }
    }

    /// This emission with the alpha_in cap `rates.injection_cap × α_e` (α_e itself at the
    /// chain's factor 1).
    pub fn with_injection_cap(self, rates: &crate::rates::Rates) -> Self {
        Self {
            injection_cap: rates.injection_cap_rao(self.per_block),
            ..self
        }
    }
}

/// Every subnet's [`AlphaEmission`], one array per field (structure of arrays).
///
/// Why not `Vec<AlphaEmission>`: the block kernel reads four of the five fields for every
/// subnet every block, and from an array of 40-byte structs a vector loop first has to
/// transpose them (two permutes per field per vector: a sixth of the injection pass's
/// instructions on AVX-512). Read a subnet's emission with [`Self::get`], write it with
/// [`Self::set`]; the kernel takes the field arrays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlphaEmissions {
    pub per_block: Vec<Rao>,
    pub owner: Vec<Rao>,
    pub miners: Vec<Rao>,
    pub validators_and_root: Vec<Rao>,
    pub injection_cap: Vec<Rao>,
}

impl AlphaEmissions {
    pub fn len(&self) -> usize {
        self.per_block.len()
    }

    pub fn is_empty(&self) -> bool {
        self.per_block.is_empty()
    }

    /// Subnet `i`'s emission.
    pub fn get(&self, i: usize) -> AlphaEmission {
        AlphaEmission::from_fields(self.fields().map(|field| field[i]))
    }

    pub fn set(&mut self, i: usize, e: AlphaEmission) {
        for (field, value) in self.fields_mut().into_iter().zip(e.fields()) {
            field[i] = value;
        }
    }

    pub fn push(&mut self, e: AlphaEmission) {
        for (field, value) in self.fields_mut().into_iter().zip(e.fields()) {
            field.push(value);
        }
    }

    pub fn clear(&mut self) {
        self.fields_mut().into_iter().for_each(Vec::clear);
    }

    /// Every field array, in [`AlphaEmission::fields`]' order.
    pub fn fields(&self) -> [&[Rao]; 5] {
        [
            &self.per_block,
            &self.owner,
            &self.miners,
            &self.validators_and_root,
            &self.injection_cap,
        ]
    }

    fn fields_mut(&mut self) -> [&mut Vec<Rao>; 5] {
        [
            &mut self.per_block,
            &mut self.owner,
            &mut self.miners,
            &mut self.validators_and_root,
            &mut self.injection_cap,
        ]
    }
}

impl FromIterator<AlphaEmission> for AlphaEmissions {
    fn from_iter<I: IntoIterator<Item = AlphaEmission>>(iter: I) -> Self {
        let mut all = Self::default();
        for e in iter {
            all.push(e);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const TAO: u64 = RAO_PER_TAO;

    #[test]
    fn outside_interval_is_below_from_or_at_below() {
        let mut intervals = HalvingIntervals::default();
        let cases = [
            (0, TAO),
            (10_500_000 * TAO, 15_750_000 * TAO),
            (TOTAL_SUPPLY_RAO, u64::MAX),
            (u64::MAX - 1, u64::MAX),
        ];
        for (k, &(from, below)) in cases.iter().enumerate() {
            intervals.push((0, 1));
            intervals.set(k, (from, below));
            let probes = [
                0,
                1,
                from.saturating_sub(1),
                from,
                from + 1,
                below - 1,
                below,
            ];
            for issuance in probes {
                assert_eq!(
                    outside_interval(issuance, intervals.from[k], intervals.width[k]),
                    issuance < from || issuance >= below,
                    "{issuance} in [{from}, {below})"
                );
            }
        }
        // Every issuance against its own interval: inside.
        for issuance in [
            0,
            1,
            TAO,
            10_500_000 * TAO - 1,
            10_500_000 * TAO,
            TOTAL_SUPPLY_RAO,
        ] {
            let (from, below) = halving_interval(issuance);
            assert!(!outside_interval(issuance, from, below - from));
        }
    }

    #[test]
    fn emissions_keep_each_subnets_fields_together() {
        let (a, b) = (
            AlphaEmission::per_block(TAO),
            AlphaEmission::per_block_with_cut(TAO / 2, 0),
        );
        let mut all: AlphaEmissions = [a, b].into_iter().collect();
        assert_eq!((all.len(), all.get(0), all.get(1)), (2, a, b));
        all.set(0, b);
        assert_eq!((all.get(0), all.get(1)), (b, b));
        assert_eq!(all.fields()[4], &[TAO / 2, TAO / 2]);
        all.clear();
        assert!(all.is_empty());
    }

    #[test]
    fn emission_at_zero_is_one_tao() {
        assert_eq!(block_emission_for_issuance(0), TAO);
    }

    #[test]
    fn first_halving_at_10_5m_tao() {
        // 1/(1 − I/21M) = 2 exactly at I = 10.5M: k = 1, E = 0.5 TAO.
        let h1 = 10_500_000 * TAO;
        assert_eq!(block_emission_for_issuance(h1 - 1), TAO);
        assert_eq!(block_emission_for_issuance(h1), TAO / 2);
        assert_eq!(block_emission_for_issuance(h1 + 1), TAO / 2);
    }

    #[test]
    fn second_halving_at_15_75m_tao() {
        // 1/(1 − 15.75/21) = 4: k = 2, E = 0.25 TAO.
        let h2 = 15_750_000 * TAO;
        assert_eq!(block_emission_for_issuance(h2 - 1), TAO / 2);
        assert_eq!(block_emission_for_issuance(h2), TAO / 4);
        assert_eq!(block_emission_for_issuance(h2 + 1), TAO / 4);
        // Third: 18.375M → 1/8 TAO.
        assert_eq!(block_emission_for_issuance(18_375_000 * TAO), TAO / 8);
        assert_eq!(block_emission_for_issuance(TOTAL_SUPPLY_RAO), 0);
    }

    #[test]
    fn issuance_ages_along_the_halvings() {
        // Before the first halving (10.5M): 1 TAO a block, as block by block.
        assert_eq!(issuance_after(8_400_000 * TAO, 7_200), 8_407_200 * TAO);
        // Stepping block by block across the first halving and into the second era.
        let mut stepped = 10_499_990 * TAO;
        for _ in 0..40 {
            stepped += block_emission_for_issuance(stepped);
        }
        assert_eq!(issuance_after(10_499_990 * TAO, 40), stepped);
        assert_eq!(stepped, 10_500_000 * TAO + 30 * TAO / 2);
        // Ten years from launch: still below the supply, still emitting (1 TAO a block would
        // have reached 21M at about day 1750).
        let aged = issuance_after(8_400_000 * TAO, 3_650 * 7_200);
        assert!(aged < TOTAL_SUPPLY_RAO && block_emission_for_issuance(aged) > 0);
        // Era by era: 2.1M blocks at 1 TAO reach the first halving, 10.5M at ½ the second.
        assert_eq!(issuance_after(8_400_000 * TAO, 2_100_000), 10_500_000 * TAO);
        assert_eq!(
            issuance_after(10_500_000 * TAO, 10_500_000),
            15_750_000 * TAO
        );
        assert_eq!(issuance_after(0, 0), 0);
    }

    #[test]
    fn halving_thresholds_and_cache() {
        assert_eq!(next_halving_issuance(0), Some(10_500_000 * TAO));
        assert_eq!(
            next_halving_issuance(10_500_000 * TAO),
            Some(15_750_000 * TAO)
        );
        let mut cache = EmissionCache::new(10_499_999 * TAO);
        assert_eq!(cache.at(10_499_999 * TAO), TAO);
        assert_eq!(cache.at(10_500_000 * TAO), TAO / 2);
        assert_eq!(cache.at(15_749_999 * TAO), TAO / 2);
        assert_eq!(cache.at(15_750_000 * TAO), TAO / 4);
    }

    #[test]
    fn alpha_emission_by_share() {
        let full = AlphaEmission::at_issuance(0);
        // 4 subnets: a share of 0 mints nothing, ≥ ¼ mints in full, ⅛ mints half.
        assert_eq!(
            full.scaled_by_share(0.0, 4, OWNER_CUT_NUMERATOR).per_block,
            0
        );
        assert_eq!(
            full.scaled_by_share(0.0, 4, OWNER_CUT_NUMERATOR)
                .validators_and_root,
            0
        );
        assert_eq!(full.scaled_by_share(0.25, 4, OWNER_CUT_NUMERATOR), full);
        assert_eq!(full.scaled_by_share(0.9, 4, OWNER_CUT_NUMERATOR), full);
        let half = full.scaled_by_share(0.125, 4, OWNER_CUT_NUMERATOR);
        assert_eq!(half, AlphaEmission::per_block(TAO / 2));
        // ⌊5e8 · 11796 / 65535⌋ = 89,997,711; the rest 410,002,289 halves (205,001,144 + 1).
        assert_eq!(half.owner, 89_997_711);
        assert_eq!(
            (half.miners, half.validators_and_root),
            (205_001_144, 205_001_145)
        );
    }

    #[test]
    fn alpha_emission_split_and_interval() {
        // α_e = 1 alpha: owner ⌊1e9·11796/65535⌋ = 179,995,422; the rest 820,004,578 halves.
        let a = AlphaEmission::at_issuance(0);
        assert_eq!(a.per_block, TAO);
        assert_eq!(a.owner, 179_995_422);
        assert_eq!(
            (a.miners, a.validators_and_root),
            (410_002_289, 410_002_289)
        );
        assert_eq!(halving_interval(0), (0, 10_500_000 * TAO));
        // After the first halving: valid on [10.5M, 15.75M).
        assert_eq!(
            AlphaEmission::at_issuance(12_000_000 * TAO).per_block,
            TAO / 2
        );
        assert_eq!(
            halving_interval(12_000_000 * TAO),
            (10_500_000 * TAO, 15_750_000 * TAO)
        );
        assert_eq!(
            halving_interval(TOTAL_SUPPLY_RAO),
            (TOTAL_SUPPLY_RAO, u64::MAX)
        );
    }
}
