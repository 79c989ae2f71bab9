package runtime

import "github.com/gotensor/gotensor/chain/tx"

// set_hyperparameter (owner path, or root inside sudo), checks in order:
//  1. the name is known (UnknownParameter);
//  2. the subnet exists (SubnetNotExists);
//  3. origin: root, or the subnet owner coldkey for owner-settable parameters (BadOrigin);
//     a parameter with no setter (ParameterNotSettable);
//  4. admin freeze window for W parameters, root and owner alike: refused when
//     blocks_until_next_epoch < admin_freeze_window (AdminActionProhibitedDuringWeightsWindow);
//  5. owner only: once per owner_hyperparam_rate_limit × tempo blocks per (subnet, parameter), or
//     weights_version_key_rate_limit × tempo for weights_version_key (TxRateLimitExceeded);
//  6. the value's range and cross-checks (ValueNotInBounds and the specific errors);
//  7. store; the owner's change time is recorded. Event HyperparameterSet(netuid, name, value).
func (c *call) setHyperparameter(t tx.SetHyperparameter) error {
	s := c.s
	p := hpByName[t.Name]
	if p == nil {
		return fail(ErrUnknownParameter, "set hyperparameter %q", t.Name)
	}
	if !s.subnetExists(t.Netuid) {
		return fail(ErrSubnetNotExists, "set %s on netuid %d", t.Name, t.Netuid)
	}
	if p.origin == noSetter {
		return fail(ErrParameterNotSettable, "set %s", t.Name)
	}
	if !c.root {
		owner, _ := s.acct(kN(kSubnetOwner, t.Netuid))
		if p.origin != ownerOrRoot || owner != c.signer || t.Netuid == 0 {
			return fail(ErrBadOrigin, "set %s on netuid %d: needs %s", t.Name, t.Netuid, map[origin]string{rootOnly: "root", ownerOrRoot: "the subnet owner or root"}[p.origin])
		}
	}
	tempo := s.hp16(t.Netuid, HPTempo)
	if p.freeze {
		if left := BlocksUntilNextEpoch(t.Netuid, tempo, c.block); left < s.global(GAdminFreezeWindow) {
			return fail(ErrAdminActionProhibitedDuringWeightsWindow, "set %s: %d blocks before the epoch", t.Name, left)
		}
	}
	lastKey := key(kHyperLastSet).u16(t.Netuid).u8(uint8(p.id))
	if !c.root {
		limit := satMul(s.global(GOwnerHyperparamRateLimit), uint64(tempo))
		if p.id == HPWeightsVersionKey {
			limit = satMul(s.global(GWeightsVersionKeyRateLimit), uint64(tempo))
		}
		if last := s.u64(lastKey); last != 0 && c.block-last < limit {
			return fail(ErrTxRateLimitExceeded, "set %s: last changed at block %d, limit %d blocks", t.Name, last, limit)
		}
	}
	if err := c.checkHyperValue(t.Netuid, p, t.Value); err != nil {
		return err
	}
	s.setHP(t.Netuid, p.id, t.Value)
	if !c.root {
		s.setU64(lastKey, c.block)
	}
	c.emit(ev(EvHyperparameterSet, attrU("netuid", uint64(t.Netuid)), Attr{"name", t.Name}, attrU("value", t.Value)))
	return nil
}

func (c *call) checkHyperValue(netuid uint16, p *hyperParam, v uint64) error {
	s := c.s
	if p.id == HPCommitRevealPeriod {
		if v < p.min {
			return fail(ErrRevealPeriodTooSmall, "commit_reveal_period %d < %d", v, p.min)
		}
		if v > p.max {
			return fail(ErrRevealPeriodTooLarge, "commit_reveal_period %d > %d", v, p.max)
		}
	}
	if v < p.min || v > p.max {
		return fail(ErrValueNotInBounds, "%s = %d outside [%d, %d]", p.name, v, p.min, p.max)
	}
	switch p.id {
	case HPActivityCutoff:
		if m := s.global(GMinActivityCutoff); v < m {
			return fail(ErrValueNotInBounds, "activity_cutoff %d < min %d", v, m)
		}
	case HPMinBurn:
		if v >= s.hp(netuid, HPMaxBurn) {
			return fail(ErrValueNotInBounds, "min_burn %d ≥ max_burn", v)
		}
	case HPMaxBurn:
		if v <= s.hp(netuid, HPMinBurn) {
			return fail(ErrValueNotInBounds, "max_burn %d ≤ min_burn", v)
		}
	case HPMaxAllowedUids:
		if v > s.global(GMaxAllowedUidsCap) {
			return fail(ErrMaxAllowedUidsGreaterThanDefaultMaxAllowed, "max_allowed_uids %d > %d", v, s.global(GMaxAllowedUidsCap))
		}
		if v < uint64(s.u16(kN(kSubnetworkN, netuid))) {
			return fail(ErrMaxAllowedUIdsLessThanCurrentUIds, "max_allowed_uids %d < current %d", v, s.u16(kN(kSubnetworkN, netuid)))
		}
		if v < s.hp(netuid, HPMinAllowedUids) {
			return fail(ErrValueNotInBounds, "max_allowed_uids %d < min_allowed_uids", v)
		}
	case HPMinAllowedUids:
		if v > s.hp(netuid, HPMaxAllowedUids) {
			return fail(ErrValueNotInBounds, "min_allowed_uids %d > max_allowed_uids", v)
		}
	case HPMaxAllowedValidators:
		if v > s.hp(netuid, HPMaxAllowedUids) {
			return fail(ErrMaxValidatorsLargerThanMaxUIds, "max_allowed_validators %d > max_allowed_uids", v)
		}
	case HPBondsMovingAverage:
		if !c.root && v > 975_000 {
			return fail(ErrBondsMovingAverageMaxReached, "bonds_moving_average %d > 975000", v)
		}
	case HPAlphaLow:
		if v > s.hp(netuid, HPAlphaHigh) {
			return fail(ErrValueNotInBounds, "alpha_low %d > alpha_high", v)
		}
	case HPAlphaHigh:
		if v < s.hp(netuid, HPAlphaLow) {
			return fail(ErrValueNotInBounds, "alpha_high %d < alpha_low", v)
		}
	}
	return nil
}

// set_global_parameter (root only, inside sudo): 1. root (BadOrigin); 2. known (UnknownParameter);
// 3. settable after genesis (ParameterNotSettable). Event GlobalParameterSet(name, value).
func (c *call) setGlobalParameter(t tx.SetGlobalParameter) error {
	if !c.root {
		return fail(ErrBadOrigin, "set global %s: root only", t.Name)
	}
	g := globalByName[t.Name]
	if g == nil {
		return fail(ErrUnknownParameter, "set global %q", t.Name)
	}
	if !g.settable {
		return fail(ErrParameterNotSettable, "set global %s: genesis only", t.Name)
	}
	c.s.setGlobal(t.Name, t.Value)
	c.emit(ev(EvGlobalParameterSet, Attr{"name", t.Name}, attrU("value", t.Value)))
	return nil
}
