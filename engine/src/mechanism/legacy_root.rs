//! `legacy-root` (before 2025-02-13): up to 64 root validators vote weights over subnets and
//! emission follows the stake-weighted vote. The block loop keeps `Subnets::root_vote`, the
//! stake-weighted sum of the root validators' (normalised) vote vectors; shares are that vector
//! normalised.
//!
//! Simplification: pre-dTAO subnets had no alpha pools and paid TAO directly. We keep the pools
//! and inject with E1 so that the same strategies can play in every era; what this era changes
//! is who decides the split.

use super::{normalize_shares, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

#[derive(Debug)]
pub struct LegacyRoot {
    injection: InjectionRule,
}

impl LegacyRoot {
    pub fn new(injection: Option<InjectionRule>) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E1),
        }
    }
}

impl EmissionRule for LegacyRoot {
    fn mechanism(&self) -> Mechanism {
        Mechanism::LegacyRoot
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        out.copy_from_slice(&subnets.root_vote);
        normalize_shares(out);
    }
    fn injection(&self) -> InjectionRule {
        self.injection
    }
}
