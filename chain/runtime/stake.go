package runtime

import (
	"encoding/binary"

	"github.com/gotensor/gotensor/chain/fixed"
	"github.com/gotensor/gotensor/chain/tx"
)

// Stake (spec/chain.md §3): add_stake, remove_stake, increase_take, decrease_take; the share pools that
// hold stake; the one stake-weight function the weights calls and the epoch share.
//
// Stake on (hotkey, netuid) is a share pool (subtensor's SharePool): TotalHotkeyAlpha[hot][netuid] is the
// pool's value in alpha rao, TotalHotkeyShares[hot][netuid] its share denominator (U64F64), and
// Alpha[hot][netuid][cold] the coldkey's shares (U64F64). A coldkey's stake is shares × value / denominator,
// floored. Emission credited to the hotkey as a whole raises the value without minting shares, so every
// staker gains pro rata. Root (netuid 0) stake is TAO held the same way.

// DefaultDelegateTake is InitialDefaultDelegateTake: the take of a hotkey that never set one (11796/65535 ≈ 18%).
const DefaultDelegateTake = 11_796

// shares ---------------------------------------------------------------------------------------------

func (s st) u64f64(k []byte) fixed.U64F64 {
	v, ok := s.kv.Get(k)
	if !ok || len(v) != 16 {
		return fixed.U64F64{}
	}
	return fixed.U64F64FromRaw(binary.LittleEndian.Uint64(v[8:]), binary.LittleEndian.Uint64(v[:8]))
}

func (s st) setU64F64(k []byte, x fixed.U64F64) {
	if x.IsZero() {
		s.del(k)
		return
	}
	hi, lo := x.Raw()
	b := binary.LittleEndian.AppendUint64(make([]byte, 0, 16), lo)
	s.setOwned(k, binary.LittleEndian.AppendUint64(b, hi))
}

func kShare(hot [32]byte, netuid uint16, cold [32]byte) []byte {
	return key(kAlpha).acct(hot).u16(netuid).acct(cold)
}

// pool is one hotkey's share pool on one subnet (its two keys built once).
type pool struct {
	s          st
	hot        [32]byte
	netuid     uint16
	kVal, kDen []byte
}

func (s st) pool(hot [32]byte, netuid uint16) pool {
	return pool{s, hot, netuid, kAN(kTotalHotkeyAlph, hot, netuid), kAN(kTotalHotkeyShares, hot, netuid)}
}

func (p pool) value() uint64 { return p.s.u64(p.kVal) }
func (p pool) setValue(v uint64) {
	if v == 0 {
		p.s.del(p.kVal)
		return
	}
	p.s.setU64(p.kVal, v)
}
func (p pool) denom() fixed.U64F64              { return p.s.u64f64(p.kDen) }
func (p pool) setDenom(d fixed.U64F64)          { p.s.setU64F64(p.kDen, d) }
func (p pool) share(cold [32]byte) fixed.U64F64 { return p.s.u64f64(kShare(p.hot, p.netuid, cold)) }
func (p pool) setShare(cold [32]byte, x fixed.U64F64) {
	p.s.setU64F64(kShare(p.hot, p.netuid, cold), x)
}

// valueOf is SharePool::get_value: value_per_share × share (or value × share / denominator when the
// per-share value does not fit), floored.
func (p pool) valueOf(cold [32]byte) uint64 {
	sv, d, sh := fixed.U64F64FromUint(p.value()), p.denom(), p.share(cold)
	if vps, ok := sv.CheckedDiv(d); ok {
		return vps.SaturatingMul(sh).SaturatingToUint64()
	}
	r, ok := sv.SaturatingMul(sh).CheckedDiv(d)
	if !ok {
		return 0
	}
	return r.SaturatingToUint64()
}

// sharesPerUpdate is SharePool::get_shares_per_update (I64F64).
func (p pool) sharesPerUpdate(update int64) fixed.I64F64 {
	return sharesPerUpdate(update, p.value(), p.denom())
}

func sharesPerUpdate(update int64, sv uint64, denom fixed.U64F64) fixed.I64F64 {
	d := denom.ToI64F64()
	svf := fixed.I64F64FromUint(sv)
	u := fixed.I64F64FromInt(update)
	if vps, ok := svf.CheckedDiv(d); ok {
		r, ok := u.CheckedDiv(vps)
		if !ok {
			return fixed.I64F64{}
		}
		return r
	}
	r, ok := u.SaturatingMul(d).CheckedDiv(svf)
	if !ok {
		return fixed.I64F64{}
	}
	return r
}

// fresh reports whether the pool (re)starts with the next deposit: no shares, or no value left behind
// them (the stale shares are then worth nothing and are dropped).
func (p pool) fresh() bool { return p.denom().IsZero() || p.value() == 0 }

// simDeposit is sim_update_value_for_one for a deposit: false when it would mint no shares (the
// precision check behind InsufficientLiquidity).
func (p pool) simDeposit(amount uint64) bool {
	if p.fresh() {
		return true
	}
	return !p.sharesPerUpdate(clampI64(amount)).IsZero()
}

func clampI64(v uint64) int64 {
	if v > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(v)
}

// addAll is increase_stake_for_hotkey_on_subnet: the value rises, no shares are minted.
func (p pool) addAll(amount uint64) { p.setValue(satAdd(p.value(), amount)) }

// deposit is update_value_for_one(cold, +amount) (increase_stake_for_hotkey_and_coldkey_on_subnet).
func (p pool) deposit(cold [32]byte, amount uint64) {
	if amount == 0 {
		return
	}
	p.depositKnown(cold, amount, p.value(), p.denom(), p.share(cold))
}

// depositKnown is deposit with the pool's value and denominator and cold's shares already read.
func (p pool) depositKnown(cold [32]byte, amount, value uint64, denom, share fixed.U64F64) {
	p.depositKnownKey(cold, amount, value, denom, share, nil)
}

// depositKnownKey is depositKnown with cold's share key already built (kS = kShare(hot, netuid, cold), or
// nil to build it).
func (p pool) depositKnownKey(cold [32]byte, amount, value uint64, denom, share fixed.U64F64, kS []byte) {
	if amount == 0 {
		return
	}
	if kS == nil {
		kS = kShare(p.hot, p.netuid, cold)
	}
	p.setValue(satAdd(value, amount))
	if denom.IsZero() || value == 0 {
		if !denom.IsZero() { // shares left with no value behind them: worthless, dropped
			p.s.deletePrefix(key(kAlpha).acct(p.hot).u16(p.netuid))
		}
		x := fixed.U64F64FromUint(amount)
		p.setDenom(x)
		p.s.setU64F64(kS, x)
		p.s.markStaking(cold, p.hot)
		return
	}
	spu := sharesPerUpdate(clampI64(amount), value, denom)
	if spu.IsNegative() || spu.IsZero() {
		return
	}
	add := spu.ToU64F64()
	p.setDenom(denom.SaturatingAdd(add))
	p.s.setU64F64(kS, share.SaturatingAdd(add))
	if share.IsZero() {
		p.s.markStaking(cold, p.hot)
	}
}

// withdraw is update_value_for_one(cold, −amount); the caller checked amount ≤ valueOf(cold).
func (p pool) withdraw(cold [32]byte, amount uint64) {
	if amount == 0 {
		return
	}
	spu := p.sharesPerUpdate(-clampI64(amount))
	p.setValue(satSub(p.value(), amount))
	sub := spu.Neg().ToU64F64()
	p.setDenom(p.denom().SaturatingSub(sub))
	p.setShare(cold, p.share(cold).SaturatingSub(sub))
}

// the pool mechanism (swap) ----------------------------------------------------------------------------

// swapResult is what a swap pays: in and out amounts and the fee (0 for the stable mechanism).
type swapResult struct{ in, out, fee uint64 }

// Mechanism ids (SubnetMechanism): 0 stable (TAO↔alpha 1:1, no fee), 1 dynamic (AMM; not implemented).
const (
	mechanismStable  = 0
	mechanismDynamic = 1
)

// simBuyAlpha simulates swap_tao_for_alpha. Callers never touch reserves themselves, so a dynamic
// mechanism (an AMM) only has to add its branch here and in the three functions below.
func (s st) simBuyAlpha(netuid uint16, tao uint64) (swapResult, error) {
	switch s.u16(kN(kSubnetMechanism, netuid)) {
	case mechanismStable:
		// The stable pool sells alpha from its reserve 1:1; root has no alpha reserve (root stake is TAO).
		if netuid != 0 && tao > s.u64(kN(kSubnetAlphaIn, netuid)) {
			return swapResult{}, fail(ErrInsufficientLiquidity, "netuid %d: alpha reserve %d < %d", netuid, s.u64(kN(kSubnetAlphaIn, netuid)), tao)
		}
		return swapResult{in: tao, out: tao}, nil
	}
	return swapResult{}, fail(ErrInsufficientLiquidity, "netuid %d: mechanism %d is not implemented", netuid, s.u16(kN(kSubnetMechanism, netuid)))
}

// simSellAlpha simulates swap_alpha_for_tao.
func (s st) simSellAlpha(netuid uint16, alpha uint64) (swapResult, error) {
	switch s.u16(kN(kSubnetMechanism, netuid)) {
	case mechanismStable:
		if alpha > s.u64(kN(kSubnetTAO, netuid)) {
			return swapResult{}, fail(ErrInsufficientLiquidity, "netuid %d: TAO reserve %d < %d", netuid, s.u64(kN(kSubnetTAO, netuid)), alpha)
		}
		return swapResult{in: alpha, out: alpha}, nil
	}
	return swapResult{}, fail(ErrInsufficientLiquidity, "netuid %d: mechanism %d is not implemented", netuid, s.u16(kN(kSubnetMechanism, netuid)))
}

// buyAlpha is swap_tao_for_alpha after a successful simulation: TAO enters the reserve, alpha leaves the
// reserve and becomes outstanding.
func (s st) buyAlpha(netuid uint16, r swapResult) {
	s.addU64(kN(kSubnetTAO, netuid), r.in)
	if netuid != 0 {
		s.setU64(kN(kSubnetAlphaIn, netuid), satSub(s.u64(kN(kSubnetAlphaIn, netuid)), r.out))
	}
	s.addU64(kN(kSubnetAlphaOut, netuid), r.out)
	s.addU64(key(kTotalStake), r.in)
	s.addU64(kN(kSubnetVolume, netuid), r.in)
}

// sellAlpha is swap_alpha_for_tao after a successful simulation.
func (s st) sellAlpha(netuid uint16, r swapResult) {
	s.setU64(kN(kSubnetTAO, netuid), satSub(s.u64(kN(kSubnetTAO, netuid)), r.out))
	if netuid != 0 {
		s.addU64(kN(kSubnetAlphaIn, netuid), r.in)
	}
	s.setU64(kN(kSubnetAlphaOut, netuid), satSub(s.u64(kN(kSubnetAlphaOut, netuid)), r.in))
	s.setU64(key(kTotalStake), satSub(s.u64(key(kTotalStake)), r.out))
	s.addU64(kN(kSubnetVolume, netuid), r.out)
}

// alphaPrice is the pool price in TAO per alpha: 1 for root and the stable mechanism.
func (s st) alphaPrice(netuid uint16) fixed.U96F32 {
	return fixed.U96F32FromUint(1)
}

func (s st) addU64(k []byte, v uint64) { s.setU64(k, satAdd(s.u64(k), v)) }

// TAO flow (§7.2): stake in adds, unstake subtracts, within the block (root has no flow share).
func (s st) addTaoFlow(netuid uint16, delta int64) {
	if netuid == 0 {
		return
	}
	k := kN(kSubnetTaoFlow, netuid)
	cur := int64(s.u64(k))
	n := cur + delta
	if delta > 0 && n < cur {
		n = 1<<63 - 1
	} else if delta < 0 && n > cur {
		n = -1 << 63
	}
	s.setU64(k, uint64(n))
}

// stake weight ---------------------------------------------------------------------------------------

// hotkeyStakes is §3.4's inherited stakes of hot on netuid: (alpha, root TAO). gotensor has no child
// keys, so inheritance is the identity: TotalHotkeyAlpha[hot][netuid] and TotalHotkeyAlpha[hot][0]. It
// is what the epoch feeds the Yuma engine and what StakeWeight weighs (the weights calls' check).
func hotkeyStakes(s st, netuid uint16, hot [32]byte) (alpha, root uint64) {
	return s.stakeSource(netuid).of(hot)
}

// stakeSource reads hotkeyStakes for many hotkeys of one subnet; it skips the root read when nobody
// holds root stake (SubnetAlphaOut[0] = 0), which changes nothing but the number of reads.
type stakeSource struct {
	s          st
	netuid     uint16
	rootStaked bool
}

func (s st) stakeSource(netuid uint16) stakeSource {
	return stakeSource{s, netuid, netuid != 0 && s.u64(kN(kSubnetAlphaOut, 0)) > 0}
}

func (src stakeSource) of(hot [32]byte) (alpha, root uint64) {
	return src.ofBuf(hot, make([]byte, 0, len(kTotalHotkeyAlph)+35))
}

// ofBuf is of with the key built in buf (a caller's scratch of capacity ≥ len(TotalHotkeyAlpha/)+34, or
// nil), so a loop over many hotkeys allocates no keys.
func (src stakeSource) ofBuf(hot [32]byte, buf []byte) (alpha, root uint64) {
	k := append(append(append(buf[:0], kTotalHotkeyAlph...), '/'), hot[:]...)
	k = binary.BigEndian.AppendUint16(k, src.netuid)
	alpha = src.s.u64(k)
	if src.rootStaked {
		binary.BigEndian.PutUint16(k[len(k)-2:], 0)
		root = src.s.u64(k)
	}
	return alpha, root
}

// TaoWeight is tao_weight = U96F32(raw) / U96F32(u64::MAX) (truncating), as I64F64 (spec/yuma.md §3.2).
func TaoWeight(raw uint64) fixed.I64F64 {
	return fixed.U96F32FromUint(raw).SafeDiv(fixed.U96F32FromUint(u64max)).ToI64F64()
}

// StakeWeight is spec/yuma.md §3.2 step 3: I64F64(alpha) + I64F64(root) × tao_weight, saturating — the
// same expression the Yuma engine evaluates from the same (alpha, root) inputs.
func StakeWeight(alpha, root, taoWeightRaw uint64) fixed.I64F64 {
	return fixed.I64F64FromUint(alpha).SaturatingAdd(fixed.I64F64FromUint(root).SaturatingMul(TaoWeight(taoWeightRaw)))
}

// stakeWeight is ⌊StakeWeight⌋ of hot on netuid, in rao.
func stakeWeight(s st, netuid uint16, hot [32]byte) uint64 {
	a, r := hotkeyStakes(s, netuid, hot)
	return StakeWeight(a, r, s.global(GTaoWeight)).SaturatingToUint64()
}

// checkStakeThreshold is the weights calls' stake check (§3.5): ⌊stake weight⌋ ≥ stake_threshold, the
// subnet owner hotkey exempt (as in the epoch's filter, spec/yuma.md §3.2 step 4).
func checkStakeThreshold(s st, netuid uint16, hot [32]byte, what string) error {
	if owner, ok := s.acct(kN(kSubnetOwnerHot, netuid)); ok && owner == hot {
		return nil
	}
	if sw, min := stakeWeight(s, netuid, hot), s.global(GStakeThreshold); sw < min {
		return fail(ErrNotEnoughStakeToSetWeights, "%s on netuid %d: stake weight %d < %d", what, netuid, sw, min)
	}
	return nil
}

// calls --------------------------------------------------------------------------------------------

func kLimiter(hot, cold [32]byte, netuid uint16) []byte {
	return key(kStakingLimiter).acct(hot).acct(cold).u16(netuid)
}

// subtokenCheck: the subnet exists (SubnetNotExists), then its token is enabled — start_call ran
// (SubtokenDisabled). Root is always enabled.
func (s st) subtokenCheck(netuid uint16, what string) error {
	if !s.subnetExists(netuid) {
		return fail(ErrSubnetNotExists, "%s: netuid %d", what, netuid)
	}
	if netuid != 0 && !s.hpBool(netuid, HPSubtokenEnabled) {
		return fail(ErrSubtokenDisabled, "%s: netuid %d has not started (start_call)", what, netuid)
	}
	return nil
}

// addStake is §3.2, signed by the coldkey.
func (c *call) addStake(t tx.AddStake) error {
	s, cold := c.s, c.signer
	if err := s.subtokenCheck(t.Netuid, "add stake"); err != nil {
		return err
	}
	minStake := s.global(GMinStake)
	if t.Amount < minStake {
		return fail(ErrAmountTooLow, "add stake: %d rao < minimum %d", t.Amount, minStake)
	}
	if !c.canWithdraw(cold, t.Amount) {
		return fail(ErrNotEnoughBalanceToStake, "add stake: %d rao, free %d", t.Amount, s.balance(cold))
	}
	if !s.has(kA(kOwner, t.Hotkey)) {
		return fail(ErrHotKeyAccountNotExists, "add stake: hotkey %s has no owner", hexAcct(t.Hotkey))
	}
	sw, err := s.simBuyAlpha(t.Netuid, t.Amount)
	if err != nil {
		return err
	}
	if sw.in < minStake {
		return fail(ErrAmountTooLow, "add stake: %d rao paid in < minimum %d", sw.in, minStake)
	}
	p := s.pool(t.Hotkey, t.Netuid)
	if sw.out == 0 || !p.simDeposit(sw.out) {
		return fail(ErrInsufficientLiquidity, "add stake: %d alpha would buy no shares of the pool", sw.out)
	}
	c.withdraw(cold, t.Amount)
	s.buyAlpha(t.Netuid, sw)
	p.deposit(cold, sw.out)
	s.addTaoFlow(t.Netuid, clampI64(sw.in))
	s.setU64(kLimiter(t.Hotkey, cold, t.Netuid), c.block)
	c.emit(ev(EvStakeAdded, attrA("coldkey", cold), attrA("hotkey", t.Hotkey), attrU("tao", sw.in),
		attrU("alpha", sw.out), attrU("netuid", uint64(t.Netuid)), attrU("fee", sw.fee)))
	return nil
}

// removeStake is §3.3, signed by the coldkey; Amount is alpha.
func (c *call) removeStake(t tx.RemoveStake) error {
	s, cold := c.s, c.signer
	if err := s.subtokenCheck(t.Netuid, "remove stake"); err != nil {
		return err
	}
	if s.u64(kLimiter(t.Hotkey, cold, t.Netuid)) == c.block && s.has(kLimiter(t.Hotkey, cold, t.Netuid)) {
		return fail(ErrStakingOperationRateLimitExceeded, "remove stake: stake was added to this hotkey on netuid %d in this block", t.Netuid)
	}
	if t.Amount == 0 {
		return fail(ErrAmountTooLow, "remove stake: amount 0")
	}
	if !s.has(kA(kOwner, t.Hotkey)) {
		return fail(ErrHotKeyAccountNotExists, "remove stake: hotkey %s has no owner", hexAcct(t.Hotkey))
	}
	p := s.pool(t.Hotkey, t.Netuid)
	have := p.valueOf(cold)
	if have == 0 {
		return fail(ErrNotEnoughStakeToWithdraw, "remove stake: no stake on hotkey %s, netuid %d", hexAcct(t.Hotkey), t.Netuid)
	}
	amount := min(t.Amount, have)
	sw, err := s.simSellAlpha(t.Netuid, amount)
	if err != nil {
		return err
	}
	if minStake := s.global(GMinStake); amount < have && sw.out < minStake {
		return fail(ErrAmountTooLow, "remove stake: %d rao out < minimum %d (only a full unstake may be smaller)", sw.out, minStake)
	}
	p.withdraw(cold, amount)
	s.sellAlpha(t.Netuid, sw)
	c.deposit(cold, sw.out)
	s.addTaoFlow(t.Netuid, -clampI64(sw.out))
	c.emit(ev(EvStakeRemoved, attrA("coldkey", cold), attrA("hotkey", t.Hotkey), attrU("tao", sw.out),
		attrU("alpha", sw.in), attrU("netuid", uint64(t.Netuid)), attrU("fee", sw.fee)))
	return nil
}

// delegateTake is Delegates[hot], DefaultDelegateTake when never set.
func (s st) delegateTake(hot [32]byte) uint16 {
	v, ok := s.kv.Get(kA(kDelegates, hot))
	if !ok || len(v) != 2 {
		return DefaultDelegateTake
	}
	return binary.LittleEndian.Uint16(v)
}

// takeOwner: the hotkey exists (HotKeyAccountNotExists) and the signer owns it (NonAssociatedColdKey).
func (c *call) takeOwner(hot [32]byte, what string) error {
	owner, ok := c.s.acct(kA(kOwner, hot))
	if !ok {
		return fail(ErrHotKeyAccountNotExists, "%s: hotkey %s has no owner", what, hexAcct(hot))
	}
	if owner != c.signer {
		return fail(ErrNonAssociatedColdKey, "%s: the signer does not own hotkey %s", what, hexAcct(hot))
	}
	return nil
}

// decreaseTake is §3.6 decrease_take (65).
func (c *call) decreaseTake(t tx.DecreaseTake) error {
	if err := c.takeOwner(t.Hotkey, "decrease take"); err != nil {
		return err
	}
	cur := c.s.delegateTake(t.Hotkey)
	if t.Take >= cur {
		return fail(ErrDelegateTakeTooLow, "decrease take: %d is not below the current %d", t.Take, cur)
	}
	if m := c.s.global(GMinDelegateTake); uint64(t.Take) < m {
		return fail(ErrDelegateTakeTooLow, "decrease take: %d < min_delegate_take %d", t.Take, m)
	}
	c.s.setU16(kA(kDelegates, t.Hotkey), t.Take)
	c.s.setU64(kA(kLastTakeChange, t.Hotkey), c.block)
	c.emit(ev(EvTakeDecreased, attrA("coldkey", c.signer), attrA("hotkey", t.Hotkey), attrU("take", uint64(t.Take))))
	return nil
}

// increaseTake is §3.6 increase_take (66).
func (c *call) increaseTake(t tx.IncreaseTake) error {
	if err := c.takeOwner(t.Hotkey, "increase take"); err != nil {
		return err
	}
	cur := c.s.delegateTake(t.Hotkey)
	if t.Take <= cur {
		return fail(ErrDelegateTakeTooLow, "increase take: %d is not above the current %d", t.Take, cur)
	}
	if m := c.s.global(GMaxDelegateTake); uint64(t.Take) > m {
		return fail(ErrDelegateTakeTooHigh, "increase take: %d > max_delegate_take %d", t.Take, m)
	}
	if c.s.has(kA(kLastTakeChange, t.Hotkey)) {
		last, limit := c.s.u64(kA(kLastTakeChange, t.Hotkey)), c.s.global(GTxDelegateTakeRateLimit)
		if satSub(c.block, last) <= limit {
			return fail(ErrDelegateTxRateLimitExceeded, "increase take: last change at block %d, limit %d blocks", last, limit)
		}
	}
	c.s.setU16(kA(kDelegates, t.Hotkey), t.Take)
	c.s.setU64(kA(kLastTakeChange, t.Hotkey), c.block)
	c.emit(ev(EvTakeIncreased, attrA("coldkey", c.signer), attrA("hotkey", t.Hotkey), attrU("take", uint64(t.Take))))
	return nil
}

// clearStakingLimiter is CLASSIC on_finalize: StakingOperationRateLimiter is cleared every block.
func clearStakingLimiter(s st) { s.deletePrefix(key(kStakingLimiter)) }
