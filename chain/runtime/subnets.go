package runtime

import "github.com/gotensor/gotensor/chain/tx"

// Subnets: creation (register_network), start_call, the root network, and dissolving a pruned subnet.

// initNewNetwork is init_new_network: every hyper-parameter from the genesis subnet defaults.
func initNewNetwork(s st, netuid uint16) {
	for _, hp := range hyperParams {
		s.setHP(netuid, hp.id, s.subnetDefault(hp.id))
	}
	s.setU16(kN(kSubnetworkN, netuid), 0)
	s.setBool(kN(kNetworksAdded, netuid), true)
	s.setU16(key(kTotalNetworks), s.u16(key(kTotalNetworks))+1)
}

// initRootNetwork creates netuid 0 at genesis: max UIDs 64, max validators 64, tempo 100 (§6.2).
func initRootNetwork(s st) {
	initNewNetwork(s, 0)
	s.setHP(0, HPMaxAllowedUids, 64)
	s.setHP(0, HPMaxAllowedValidators, 64)
	s.setHP(0, HPTempo, 100)
	s.setHP(0, HPRegistrationAllowed, 1)
	s.setHP(0, HPCommitRevealWeightsEnabled, 0)
}

// LockCost is the current register_network price (§6.1 step 7).
func (s st) lockCost(now uint64) uint64 {
	minLock := s.global(GNetworkMinLockCost)
	last := s.global(GNetworkLastLockCost)
	lastBlock := s.global(GNetworkLastLockBlock)
	mult := uint64(2)
	if lastBlock == 0 {
		mult = 1
	}
	interval := s.global(GNetworkLockReductionInterval)
	var perBlock uint64
	if interval > 0 {
		perBlock = last / interval
	}
	cost := satSub(satMul(last, mult), satMul(perBlock, satSub(now, lastBlock)))
	return max(cost, minLock)
}

func satSub(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}

func satMul(a, b uint64) uint64 {
	if a != 0 && b > u64max/a {
		return u64max
	}
	return a * b
}

func satAdd(a, b uint64) uint64 {
	if a+b < a {
		return u64max
	}
	return a + b
}

// registerNetwork (§6.1), coldkey-signed:
//  1. the hotkey has no owner or is owned by the signer (NonAssociatedColdKey);
//  2. now ≥ network_registration_start_block (SubNetRegistrationDisabled);
//  3. chain-wide rate limit: last lock block 0 or now − last ≥ network_rate_limit (NetworkTxRateLimitExceeded);
//  4. subnet cap: at subnet_limit non-root subnets, a prunable subnet must exist (SubnetLimitReached);
//  5. the signer can pay the lock cost (CannotAffordLockCost).
//
// Effects: withdraw the lock, record it, dissolve the pruned subnet, take the pruned or smallest free
// netuid, init_new_network, the owner hotkey becomes UID 0, seed the pool (TAO = alpha in = min lock,
// price 1, mechanism 0), recycle the excess. Event NetworkAdded(netuid, mechanism).
func (c *call) registerNetwork(t tx.RegisterNetwork) error {
	s, now := c.s, c.block
	if owner, ok := s.acct(kA(kOwner, t.Hotkey)); ok && owner != c.signer {
		return fail(ErrNonAssociatedColdKey, "register network: hotkey %s is owned by another coldkey", hexAcct(t.Hotkey))
	}
	if now < s.global(GNetworkRegistrationStart) {
		return fail(ErrSubNetRegistrationDisabled, "register network: opens at block %d", s.global(GNetworkRegistrationStart))
	}
	if last := s.global(GNetworkLastLockBlock); last != 0 && now-last < s.global(GNetworkRateLimit) {
		return fail(ErrNetworkTxRateLimitExceeded, "register network: last at block %d, limit %d blocks", last, s.global(GNetworkRateLimit))
	}
	var prune uint16
	pruning := false
	if uint64(s.nonRootSubnets()) >= s.global(GSubnetLimit) {
		n, ok := s.subnetToPrune(now)
		if !ok {
			return fail(ErrSubnetLimitReached, "register network: %d subnets, none prunable", s.global(GSubnetLimit))
		}
		prune, pruning = n, true
	}
	cost := s.lockCost(now)
	if !c.canWithdraw(c.signer, cost) {
		return fail(ErrCannotAffordLockCost, "register network: lock cost %d rao, free %d", cost, s.balance(c.signer))
	}
	c.withdraw(c.signer, cost)
	s.setGlobal(GNetworkLastLockCost, cost)
	s.setGlobal(GNetworkLastLockBlock, now)
	var netuid uint16
	if pruning {
		c.dissolveNetwork(prune)
		netuid = prune
	} else {
		netuid = s.freeNetuid()
	}
	initNewNetwork(s, netuid)
	c.createAccountIfNonExistent(c.signer, t.Hotkey)
	appendNeuron(s, netuid, t.Hotkey, now)
	s.setU16(kN(kSubnetMechanism, netuid), 0)
	s.setU64(kN(kRegisteredAt, netuid), now)
	minLock := s.global(GNetworkMinLockCost)
	pool := min(minLock, cost)
	s.setU64(kN(kSubnetTAO, netuid), pool)
	s.setU64(kN(kSubnetAlphaIn, netuid), pool)
	s.setU64(kN(kSubnetAlphaOut, netuid), 0)
	s.setU64(kN(kSubnetVolume, netuid), 0)
	s.setAcct(kN(kSubnetOwner, netuid), c.signer)
	s.setAcct(kN(kSubnetOwnerHot, netuid), t.Hotkey)
	s.setU64(kN(kSubnetLocked, netuid), cost)
	excess := cost - pool
	c.setIssuance(satSub(c.issuance(), excess))
	s.setU64(kN(kRAORecycled, netuid), excess)
	s.setU64(key(kTotalStake), satAdd(s.u64(key(kTotalStake)), pool))
	c.emit(ev(EvNetworkAdded, attrU("netuid", uint64(netuid)), attrU("mechanism", 0)))
	return nil
}

func (s st) nonRootSubnets() int {
	n := 0
	for _, netuid := range s.subnets() {
		if netuid != 0 {
			n++
		}
	}
	return n
}

func (s st) freeNetuid() uint16 {
	next := uint16(1)
	for _, n := range s.subnets() {
		if n == next {
			next++
		} else if n > next {
			break
		}
	}
	return next
}

// subnetToPrune picks, among non-root subnets past network_immunity_period, the lowest moving price
// (all prices are 1 in this runtime), ties to the earliest NetworkRegisteredAt, then the lower netuid.
func (s st) subnetToPrune(now uint64) (uint16, bool) {
	best, found := uint16(0), false
	var bestAt uint64
	for _, n := range s.subnets() {
		if n == 0 {
			continue
		}
		at := s.u64(kN(kRegisteredAt, n))
		if now-at < s.global(GNetworkImmunityPeriod) {
			continue
		}
		if !found || at < bestAt {
			best, bestAt, found = n, at, true
		}
	}
	return best, found
}

// netuidItems are the storage items keyed by netuid first; dissolving a subnet removes them all.
var netuidItems = []string{
	kNetworksAdded, kHyper, kHyperLastSet, kSubnetOwner, kSubnetOwnerHot, kSubnetworkN, kRegisteredAt,
	kSubnetTAO, kSubnetAlphaIn, kSubnetAlphaOut, kSubnetVolume, kSubnetLocked, kSubnetMechanism,
	kFirstEmission, kRAORecycled, kRegsThisBlock, kRegsThisIntvl, kPowRegsIntvl, kBurnRegsIntvl,
	kLastAdjustment, kBlocksSinceStep, kLastStepBlock, kKeys, kUids, kBlockAtReg, kActive, kEmission,
	kConsensus, kIncentive, kDividends, kValidatorTrust, kValidatorPermit, kStakeWeight, kLastUpdate,
	kWeights, kBonds, kWeightCommits, kAxons, kCertificates, kPrometheus,
	kSubnetTaoFlow, kSubnetEmaTaoFlow, kSubnetMovingPrice, kPendingServer, kPendingValidator, kPendingRoot,
	kPendingOwnerCut, kAlphaBurned, kAlphaDividends, kRootDividends, kTaoInEmission, kAlphaInEmission,
	kAlphaOutEmission,
}

// dissolveNetwork removes a subnet's state. Every staker is refunded its alpha 1:1 in TAO from the
// pool's TAO reserve (in hotkey, then coldkey order, while the reserve lasts), the rest of the reserve
// returns to the owner coldkey, and every stake entry on the subnet is deleted.
func (c *call) dissolveNetwork(netuid uint16) {
	s := c.s
	c.refundSubnetStake(netuid)
	n := s.u16(kN(kSubnetworkN, netuid))
	for uid := uint16(0); uid < n; uid++ {
		if hk, ok := s.acct(kNU(kKeys, netuid, uid)); ok {
			s.del(kAN(kIsNetworkMember, hk, netuid))
		}
	}
	if owner, ok := s.acct(kN(kSubnetOwner, netuid)); ok {
		pool := s.u64(kN(kSubnetTAO, netuid))
		c.deposit(owner, pool)
		s.setU64(key(kTotalStake), satSub(s.u64(key(kTotalStake)), pool))
	}
	for _, item := range netuidItems {
		s.deletePrefix(kN(item, netuid))
	}
	s.setU16(key(kTotalNetworks), s.u16(key(kTotalNetworks))-1)
}

// refundSubnetStake pays every stake on netuid back in TAO (price 1) out of SubnetTAO and deletes the
// subnet's pools (TotalHotkeyAlpha, TotalHotkeyShares, Alpha).
func (c *call) refundSubnetStake(netuid uint16) {
	s := c.s
	type position struct {
		hot, cold [32]byte
	}
	var hots [][32]byte
	p := key(kTotalHotkeyAlph)
	iteratePrefix(s, p, func(k, _ []byte) {
		if len(k) == len(p)+34 && uint16(k[len(k)-2])<<8|uint16(k[len(k)-1]) == netuid {
			var h [32]byte
			copy(h[:], k[len(p):])
			hots = append(hots, h)
		}
	})
	var pos []position
	for _, h := range hots {
		pp := key(kAlpha).acct(h).u16(netuid)
		iteratePrefix(s, pp, func(k, _ []byte) {
			var cold [32]byte
			copy(cold[:], k[len(pp):])
			pos = append(pos, position{h, cold})
		})
	}
	reserve := s.u64(kN(kSubnetTAO, netuid))
	for _, q := range pos {
		v := min(s.pool(q.hot, netuid).valueOf(q.cold), reserve)
		reserve -= v
		c.deposit(q.cold, v)
	}
	paid := s.u64(kN(kSubnetTAO, netuid)) - reserve
	s.setU64(kN(kSubnetTAO, netuid), reserve)
	s.setU64(key(kTotalStake), satSub(s.u64(key(kTotalStake)), paid))
	for _, h := range hots {
		s.del(kAN(kTotalHotkeyAlph, h, netuid))
		s.del(kAN(kTotalHotkeyShares, h, netuid))
		s.deletePrefix(key(kAlpha).acct(h).u16(netuid))
	}
}

// startCall (§6.1): 1. the subnet exists (SubnetNotExists); 2. the signer is its owner (BadOrigin);
// 3. FirstEmissionBlockNumber unset (FirstEmissionBlockNumberAlreadySet); 4. now ≥ registered_at +
// start_call_delay (NeedWaitingMoreBlocksToStarCall). Sets FirstEmissionBlockNumber = now + 1 and
// subtoken_enabled. Event FirstEmissionBlockNumberSet(netuid, block).
func (c *call) startCall(t tx.StartCall) error {
	s := c.s
	if !s.subnetExists(t.Netuid) {
		return fail(ErrSubnetNotExists, "start call: netuid %d", t.Netuid)
	}
	if owner, _ := s.acct(kN(kSubnetOwner, t.Netuid)); owner != c.signer || t.Netuid == 0 {
		return fail(ErrBadOrigin, "start call: signer does not own netuid %d", t.Netuid)
	}
	if s.has(kN(kFirstEmission, t.Netuid)) {
		return fail(ErrFirstEmissionBlockNumberAlreadySet, "start call: netuid %d", t.Netuid)
	}
	if ready := s.u64(kN(kRegisteredAt, t.Netuid)) + s.global(GStartCallDelay); c.block < ready {
		return fail(ErrNeedWaitingMoreBlocksToStarCall, "start call: possible from block %d", ready)
	}
	s.setU64(kN(kFirstEmission, t.Netuid), c.block+1)
	s.setHP(t.Netuid, HPSubtokenEnabled, 1)
	c.emit(ev(EvFirstEmissionBlockNumberSet, attrU("netuid", uint64(t.Netuid)), attrU("block", c.block+1)))
	return nil
}

// createAccountIfNonExistent: a hotkey without an owner becomes the coldkey's.
func (c *call) createAccountIfNonExistent(cold, hot [32]byte) {
	if c.s.has(kA(kOwner, hot)) {
		return
	}
	c.s.setAcct(kA(kOwner, hot), cold)
	c.s.setU64(kAA(kOwnedHotkeys, cold, hot), c.block)
	c.s.setU64(kAA(kStakingHotkeys, cold, hot), c.block)
}
