package runtime

import (
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/holiman/uint256"
)

// Registration (spec/chain.md §1): PoW register, burned_register, root_register, associate_hotkey, the
// per-block/per-interval limits and the CLASSIC interval adjustment of difficulty and burn.

// registrationLimits is §1.4: per block, then per interval (3 × target, u16 saturating).
func registrationLimits(s st, netuid uint16) error {
	if got, max := s.u16(kN(kRegsThisBlock, netuid)), s.hp(netuid, HPMaxRegistrationsPerBlock); uint64(got) >= max {
		return fail(ErrTooManyRegistrationsThisBlock, "netuid %d: %d registrations this block (max %d)", netuid, got, max)
	}
	target := s.hp16(netuid, HPTargetRegistrationsPerInterval)
	limit := uint32(target) * 3
	if limit > u16max {
		limit = u16max
	}
	if got := s.u16(kN(kRegsThisIntvl, netuid)); uint32(got) >= limit {
		return fail(ErrTooManyRegistrationsThisInterval, "netuid %d: %d registrations this interval (max %d)", netuid, got, limit)
	}
	return nil
}

func bump16(s st, k []byte) {
	if v := s.u16(k); v < u16max {
		s.setU16(k, v+1)
	}
}

// register is CLASSIC PoW registration (§1.2), signed by the hotkey; checks in the order of the spec.
func (c *call) register(t tx.Register) error {
	s := c.s
	if c.signer != t.Hotkey {
		return fail(ErrTransactorAccountShouldBeHotKey, "register: signer is not the hotkey")
	}
	if t.Netuid == 0 {
		return fail(ErrRegistrationNotPermittedOnRootSubnet, "register")
	}
	if !s.subnetExists(t.Netuid) {
		return fail(ErrSubnetNotExists, "register on netuid %d", t.Netuid)
	}
	if !s.hpBool(t.Netuid, HPPowRegistrationAllowed) {
		return fail(ErrSubNetRegistrationDisabled, "register: PoW registration is off on netuid %d", t.Netuid)
	}
	if err := registrationLimits(s, t.Netuid); err != nil {
		return err
	}
	if s.has(kNA(kUids, t.Netuid, t.Hotkey)) {
		return fail(ErrHotKeyAlreadyRegisteredInSubNet, "register on netuid %d", t.Netuid)
	}
	if err := c.checkWork(t.BlockNumber, t.Nonce, t.Work, t.Hotkey, s.hp(t.Netuid, HPDifficulty)); err != nil {
		return err
	}
	s.setU64(key(kUsedWork).acct(t.Work), c.block)
	c.createAccountIfNonExistent(t.Coldkey, t.Hotkey)
	if owner, _ := s.acct(kA(kOwner, t.Hotkey)); owner != t.Coldkey {
		return fail(ErrNonAssociatedColdKey, "register: hotkey belongs to another coldkey")
	}
	if err := slotAvailable(s, t.Netuid, c.block); err != nil {
		return err
	}
	uid, err := registerNeuron(s, t.Netuid, t.Hotkey, c.block)
	if err != nil {
		return err
	}
	bump16(s, kN(kPowRegsIntvl, t.Netuid))
	bump16(s, kN(kRegsThisIntvl, t.Netuid))
	bump16(s, kN(kRegsThisBlock, t.Netuid))
	c.emitRegistered(t.Netuid, uid, t.Hotkey)
	return nil
}

func (c *call) emitRegistered(netuid, uid uint16, hotkey [32]byte) {
	c.emit(ev(EvNeuronRegistered, attrU("netuid", uint64(netuid)), attrU("uid", uint64(uid)), attrA("hotkey", hotkey)))
}

// burnedRegister is CLASSIC burned registration (§1.3), signed by the coldkey.
func (c *call) burnedRegister(t tx.BurnedRegister) error {
	s := c.s
	if t.Netuid == 0 {
		return fail(ErrRegistrationNotPermittedOnRootSubnet, "burned register")
	}
	if !s.subnetExists(t.Netuid) {
		return fail(ErrSubnetNotExists, "burned register on netuid %d", t.Netuid)
	}
	if !s.hpBool(t.Netuid, HPRegistrationAllowed) {
		return fail(ErrSubNetRegistrationDisabled, "burned register: registration is off on netuid %d", t.Netuid)
	}
	if err := registrationLimits(s, t.Netuid); err != nil {
		return err
	}
	if s.has(kNA(kUids, t.Netuid, t.Hotkey)) {
		return fail(ErrHotKeyAlreadyRegisteredInSubNet, "burned register on netuid %d", t.Netuid)
	}
	cost := s.hp(t.Netuid, HPBurn)
	if !c.canWithdraw(c.signer, cost) {
		return fail(ErrNotEnoughBalanceToStake, "burned register: burn %d rao, free %d", cost, s.balance(c.signer))
	}
	c.createAccountIfNonExistent(c.signer, t.Hotkey)
	if owner, _ := s.acct(kA(kOwner, t.Hotkey)); owner != c.signer {
		return fail(ErrNonAssociatedColdKey, "burned register: hotkey belongs to another coldkey")
	}
	if err := slotAvailable(s, t.Netuid, c.block); err != nil {
		return err
	}
	c.withdraw(c.signer, cost)
	c.recycleIntoPool(t.Netuid, cost)
	uid, err := registerNeuron(s, t.Netuid, t.Hotkey, c.block)
	if err != nil {
		return err
	}
	bump16(s, kN(kBurnRegsIntvl, t.Netuid))
	bump16(s, kN(kRegsThisIntvl, t.Netuid))
	bump16(s, kN(kRegsThisBlock, t.Netuid))
	s.setU64(kN(kRAORecycled, t.Netuid), satAdd(s.u64(kN(kRAORecycled, t.Netuid)), cost))
	c.emitRegistered(t.Netuid, uid, t.Hotkey)
	return nil
}

// recycleIntoPool is §1.3 step 9 for the stable mechanism (price 1, no fee): the TAO enters the pool's
// TAO reserve, the alpha it buys leaves AlphaIn and is destroyed.
func (c *call) recycleIntoPool(netuid uint16, amount uint64) {
	s := c.s
	s.setU64(kN(kSubnetTAO, netuid), satAdd(s.u64(kN(kSubnetTAO, netuid)), amount))
	s.setU64(kN(kSubnetAlphaIn, netuid), satSub(s.u64(kN(kSubnetAlphaIn, netuid)), amount))
	s.setU64(key(kTotalStake), satAdd(s.u64(key(kTotalStake)), amount))
	s.setU64(kN(kSubnetVolume, netuid), satAdd(s.u64(kN(kSubnetVolume, netuid)), amount))
}

// rootRegister is root_register (§1.8), coldkey-signed.
func (c *call) rootRegister(t tx.RootRegister) error {
	s := c.s
	if !s.subnetExists(0) {
		return fail(ErrRootNetworkDoesNotExist, "root register")
	}
	if err := registrationLimits(s, 0); err != nil {
		return err
	}
	if s.has(kNA(kUids, 0, t.Hotkey)) {
		return fail(ErrHotKeyAlreadyRegisteredInSubNet, "root register")
	}
	c.createAccountIfNonExistent(c.signer, t.Hotkey)
	n := s.u16(kN(kSubnetworkN, 0))
	var uid uint16
	if uint64(n) < s.hp(0, HPMaxAllowedUids) {
		uid = appendNeuron(s, 0, t.Hotkey, c.block)
	} else {
		lowest, lowestStake, found := uint16(0), uint64(0), false
		for u := uint16(0); u < n; u++ {
			hk, ok := s.acct(kNU(kKeys, 0, u))
			if !ok {
				continue
			}
			if st := s.u64(kAN(kTotalHotkeyAlph, hk, 0)); !found || st < lowestStake {
				lowest, lowestStake, found = u, st, true
			}
		}
		if !found || s.u64(kAN(kTotalHotkeyAlph, t.Hotkey, 0)) <= lowestStake {
			return fail(ErrStakeTooLowForRoot, "root register: root stake must exceed %d", lowestStake)
		}
		if !replaceNeuron(s, 0, lowest, t.Hotkey, c.block) {
			return fail(ErrNoNeuronIdAvailable, "root register: uid %d cannot be replaced", lowest)
		}
		uid = lowest
	}
	if !s.has(kA(kDelegates, t.Hotkey)) {
		s.setU16(kA(kDelegates, t.Hotkey), uint16(s.global(GMaxDelegateTake)))
	}
	bump16(s, kN(kRegsThisIntvl, 0))
	bump16(s, kN(kRegsThisBlock, 0))
	c.emitRegistered(0, uid, t.Hotkey)
	return nil
}

// associateHotkey records the signer (coldkey) as the hotkey's owner without registering it.
// 1. A hotkey owned by another coldkey fails NonAssociatedColdKey; owned by the signer it is a no-op.
// Event HotkeyAssociated(coldkey, hotkey) when the association is new.
func (c *call) associateHotkey(t tx.AssociateHotkey) error {
	if owner, ok := c.s.acct(kA(kOwner, t.Hotkey)); ok {
		if owner != c.signer {
			return fail(ErrNonAssociatedColdKey, "associate hotkey: owned by another coldkey")
		}
		return nil
	}
	c.createAccountIfNonExistent(c.signer, t.Hotkey)
	c.emit(ev(EvHotkeyAssociated, attrA("coldkey", c.signer), attrA("hotkey", t.Hotkey)))
	return nil
}

// adjustRegistrations is §1.5, run at the start of every block for every subnet (root included).
func adjustRegistrations(s st, now uint64) []Event {
	for _, netuid := range s.subnets() {
		last := s.u64(kN(kLastAdjustment, netuid))
		if now-last >= s.hp(netuid, HPAdjustmentInterval) {
			r := s.u16(kN(kRegsThisIntvl, netuid))
			p := s.u16(kN(kPowRegsIntvl, netuid))
			q := s.u16(kN(kBurnRegsIntvl, netuid))
			t := s.hp16(netuid, HPTargetRegistrationsPerInterval)
			alpha := s.hp(netuid, HPAdjustmentAlpha)
			diff := func() {
				s.setHP(netuid, HPDifficulty, AdjustedValue(s.hp(netuid, HPDifficulty), r, t, alpha,
					s.hp(netuid, HPMinDifficulty), s.hp(netuid, HPMaxDifficulty)))
			}
			burn := func() {
				s.setHP(netuid, HPBurn, AdjustedValue(s.hp(netuid, HPBurn), r, t, alpha,
					s.hp(netuid, HPMinBurn), s.hp(netuid, HPMaxBurn)))
			}
			switch {
			case r > t && p > q, r <= t && p < q: // A, D
				diff()
			case r > t && p < q, r <= t && p > q: // B, C
				burn()
			default: // E, F
				diff()
				burn()
			}
			s.setU64(kN(kLastAdjustment, netuid), now)
			s.del(kN(kRegsThisIntvl, netuid)) // absent reads as 0
			s.del(kN(kPowRegsIntvl, netuid))
			s.del(kN(kBurnRegsIntvl, netuid))
		}
		s.del(kN(kRegsThisBlock, netuid))
	}
	return nil
}

// AdjustedValue is upgraded_difficulty / upgraded_burn (§1.5), in U110F18 (18 fractional bits, every
// multiplication and division truncating):
//
//	upd  = x × (r + t) / (t + t)        (u16 additions saturate; a zero divisor gives 0)
//	α    = alpha / u64::MAX
//	next = α·x + (1 − α)·upd, then: next ≥ max → max; next ≤ min → min; else floor(next).
func AdjustedValue(x uint64, regs, target uint16, alpha, minV, maxV uint64) uint64 {
	const frac = 18
	num := uint32(regs) + uint32(target)
	if num > u16max {
		num = u16max
	}
	den := uint32(target) + uint32(target)
	if den > u16max {
		den = u16max
	}
	upd := new(uint256.Int)
	if den != 0 {
		upd.Mul(uint256.NewInt(x), uint256.NewInt(uint64(num)))
		upd.Lsh(upd, frac)
		upd.Div(upd, uint256.NewInt(uint64(den)))
	}
	a := new(uint256.Int).Lsh(uint256.NewInt(alpha), frac)
	a.Div(a, uint256.NewInt(u64max)) // α in 18-bit fixed point
	one := uint256.NewInt(1 << frac)
	next := new(uint256.Int).Mul(a, uint256.NewInt(x))
	rest := new(uint256.Int).Sub(one, a)
	rest.Mul(rest, upd)
	rest.Rsh(rest, frac)
	next.Add(next, rest)
	if next.Cmp(new(uint256.Int).Lsh(uint256.NewInt(maxV), frac)) >= 0 {
		return maxV
	}
	if next.Cmp(new(uint256.Int).Lsh(uint256.NewInt(minV), frac)) <= 0 {
		return minV
	}
	return next.Rsh(next, frac).Uint64()
}
