package runtime

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/gotensor/gotensor/chain/codec"
	"github.com/gotensor/gotensor/chain/fixed"
	"github.com/gotensor/gotensor/chain/yuma"
)

// The epoch (spec/chain.md §7.4, spec/yuma.md §2–§5): at a subnet's epoch block (the CLASSIC modulo
// schedule, §7.5) drain the pending emission, build the Yuma inputs from state, run the engine (chain/yuma,
// the production sparse epoch), store its outputs per uid, and distribute: owner cut, incentives,
// dividends with the delegate take, root dividends.

// runEpochs is §7.4's scheduling: every non-root subnet counts BlocksSinceLastStep; a subnet whose epoch
// is due and whose key map is consistent resets the counter, records LastMechansimStepBlock, drains its
// pending emission and runs the epoch; an inconsistent one is skipped (counted, emission kept pending).
func (r *Runtime) runEpochs(s st, block uint64) ([]Event, error) {
	var events []Event
	for _, netuid := range s.subnets() {
		if netuid == 0 {
			continue
		}
		since := s.u64(kN(kBlocksSinceStep, netuid)) + 1
		if BlocksUntilNextEpoch(netuid, s.hp16(netuid, HPTempo), block) != 0 {
			s.setU64(kN(kBlocksSinceStep, netuid), since)
			continue
		}
		lastStep := s.u64(kN(kLastStepBlock, netuid))
		in, hot := s.epochInputs(netuid, block, lastStep, 0, r.workers)
		if !keysConsistent(hot, in.HasKey) {
			s.setU64(kN(kBlocksSinceStep, netuid), since)
			events = append(events, ev(EvEpochSkipped, attrU("netuid", uint64(netuid)), attrU("block", block), Attr{"reason", "duplicate hotkeys"}))
			continue
		}
		s.setU64(kN(kBlocksSinceStep, netuid), 0)
		s.setU64(kN(kLastStepBlock, netuid), block)
		evs, err := r.epoch(s, netuid, in, hot)
		if err != nil {
			return nil, fmt.Errorf("epoch of netuid %d: %w", netuid, err)
		}
		if r.hooks.Epoch != nil {
			if err := r.hooks.Epoch(&EpochState{s: s, Netuid: netuid, Block: block}); err != nil {
				return nil, err
			}
		}
		events = append(events, ev(EvEpochRun, attrU("netuid", uint64(netuid)), attrU("block", block)))
		events = append(events, evs...)
	}
	return events, nil
}

// keysConsistent is is_epoch_input_state_consistent: no hotkey holds two uids (checked on a sorted copy).
func keysConsistent(hot [][32]byte, has []bool) bool {
	keys := make([][32]byte, 0, len(hot))
	for i := range hot {
		if has == nil || has[i] {
			keys = append(keys, hot[i])
		}
	}
	slices.SortFunc(keys, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	for i := 1; i < len(keys); i++ {
		if keys[i] == keys[i-1] {
			return false
		}
	}
	return true
}

// firstLiveCommit is the block of hot's earliest unexpired weight commit on netuid (yuma.md §3.5), or
// MaxUint64. Commits are queued oldest first, so the first unexpired one is the earliest; expiry is
// CLASSIC's: epoch_index(now) > epoch_index(commit block) + commit_reveal_period (§7.5's index).
func (s st) firstLiveCommit(netuid uint16, hot [32]byte, block uint64) uint64 {
	q, ok := s.commits(netuid, hot)
	if !ok {
		return u64max
	}
	tempo := s.hp16(netuid, HPTempo)
	now := EpochIndex(netuid, tempo, block)
	period := s.hp(netuid, HPCommitRevealPeriod)
	for _, c := range q {
		if now <= EpochIndex(netuid, tempo, c.CommitBlock)+period {
			return c.CommitBlock
		}
	}
	return u64max
}

// EpochParams are the Yuma parameters of netuid as stored (spec/yuma.md §10), with the activity cutoff
// in blocks taken from the activity_cutoff hyper-parameter (CLASSIC).
func (s st) epochParams(netuid uint16) yuma.Params {
	return yuma.Params{
		Tempo:                 s.hp16(netuid, HPTempo),
		ActivityCutoff:        s.hp(netuid, HPActivityCutoff),
		Kappa:                 s.hp16(netuid, HPKappa),
		BondsPenalty:          s.hp16(netuid, HPBondsPenalty),
		BondsMovingAverage:    s.hp(netuid, HPBondsMovingAverage),
		Yuma3:                 s.hpBool(netuid, HPYuma3Enabled),
		LiquidAlpha:           s.hpBool(netuid, HPLiquidAlphaEnabled),
		AlphaLow:              s.hp16(netuid, HPAlphaLow),
		AlphaHigh:             s.hp16(netuid, HPAlphaHigh),
		AlphaSigmoidSteepness: int16(min(s.hp(netuid, HPAlphaSigmoidSteepness), 1<<15-1)),
		MaxAllowedValidators:  s.hp16(netuid, HPMaxAllowedValidators),
		CommitReveal:          s.crEnabled(netuid),
		StakeThreshold:        s.global(GStakeThreshold),
		TaoWeight:             s.global(GTaoWeight),
	}
}

// epochInputs builds yuma.Inputs from state (spec/yuma.md §2) for netuid's epoch at block, with
// lastStep the block of the previous epoch (0 before the first) and raoEmission the drained pending
// emission. It also returns the uids' hotkeys.
func (s st) epochInputs(netuid uint16, block, lastStep, raoEmission uint64, workers int) (*yuma.Inputs, [][32]byte) {
	n := int(s.u16(kN(kSubnetworkN, netuid)))
	hot, has := make([][32]byte, n), make([]bool, n)
	in := &yuma.Inputs{
		N: n, OwnerUID: yuma.NoOwner, CurrentBlock: block, LastMechanismStepBlock: lastStep,
		RaoEmission: raoEmission, Params: s.epochParams(netuid),
		AlphaStake: make([]uint64, n), RootStake: make([]uint64, n), LastUpdate: make([]uint64, n),
		BlockAtRegistration: make([]uint64, n), ValidatorPermit: make([]bool, n),
	}
	if in.Params.CommitReveal {
		in.CommitBlocks = make([]uint64, n)
	}
	if v, ok := s.kv.Get(kN(kValidatorPermit, netuid)); ok {
		for uid := 0; uid < n && uid < len(v); uid++ {
			in.ValidatorPermit[uid] = v[uid] == 1
		}
	}
	vLU, _ := s.kv.Get(kN(kLastUpdate, netuid))
	vBR, _ := s.kv.Get(kN(kBlockAtReg, netuid))
	stakes := s.stakeSource(netuid)
	// The per-uid reads are independent: workers read contiguous chunks into their own slots (nothing
	// writes the store meanwhile), and the rows are concatenated in uid order after the join.
	workers = max(1, min(workers, n/512))
	size := (n + workers - 1) / max(1, workers)
	read := func(w int) {
		lo, hi := w*size, min(n, (w+1)*size)
		kK := key(kKeys).u16(netuid).u16(0)
		setUid := func(k keyb, uid int) []byte { binary.BigEndian.PutUint16(k[len(k)-2:], uint16(uid)); return k }
		kbuf := make([]byte, 0, 64)
		for uid := lo; uid < hi; uid++ {
			hot[uid], has[uid] = s.acct(setUid(kK, uid))
			in.LastUpdate[uid] = le64(vLU, uid)
			if has[uid] {
				in.AlphaStake[uid], in.RootStake[uid] = stakes.ofBuf(hot[uid], kbuf)
				in.BlockAtRegistration[uid] = le64(vBR, uid)
			}
			if in.CommitBlocks != nil {
				in.CommitBlocks[uid] = u64max
				if has[uid] {
					in.CommitBlocks[uid] = s.firstLiveCommit(netuid, hot[uid], block)
				}
			}
		}
	}
	if workers == 1 {
		read(0)
	} else {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) { defer wg.Done(); read(w) }(w)
		}
		wg.Wait()
	}
	// Few uids have rows (validators): one ordered scan of each item beats n point reads.
	in.Weights, in.Bonds = s.scanRows(kWeights, netuid, n), s.scanRows(kBonds, netuid, n)
	allKeys := true
	for _, h := range has {
		allKeys = allKeys && h
	}
	if !allKeys {
		in.HasKey = has
	}
	if ownerHot, ok := s.acct(kN(kSubnetOwnerHot, netuid)); ok {
		if uid, ok := s.uidOf(netuid, ownerHot); ok && int(uid) < n {
			in.OwnerUID = int(uid)
		}
	}
	return in, hot
}

// scanRows reads the stored rows name/netuid/uid for uid < n, in uid order, as n rows (absent = empty).
// One ordered scan collects the rows' bodies (stored values are never modified in place), then the
// entries are decoded into arrays of the exact total size.
func (s st) scanRows(name string, netuid uint16, n int) yuma.Rows {
	type found struct {
		uid  int
		body []byte // (u16 uid, u16 value) little-endian pairs, as encodeRow writes them
	}
	var rows []found
	total := 0
	p := kN(name, netuid)
	iteratePrefix(s, p, func(k, v []byte) {
		if len(k) != len(p)+2 {
			return
		}
		uid := int(binary.BigEndian.Uint16(k[len(p):]))
		if uid >= n {
			return
		}
		rd := codec.NewReader(v)
		m := rd.Len(1<<20, 4)
		body := rd.Raw(4 * m)
		if rd.Err() != nil {
			body = nil
		}
		rows = append(rows, found{uid, body})
		total += len(body) / 4
	})
	r := yuma.Rows{Ptr: make([]int32, n+1), Cols: make([]uint16, total), Vals: make([]uint16, total)}
	next, pos := 0, 0
	for _, f := range rows {
		for ; next <= f.uid; next++ {
			r.Ptr[next] = int32(pos)
		}
		m := len(f.body) / 4
		cols, vals, body := r.Cols[pos:pos+m], r.Vals[pos:pos+m], f.body[:4*m]
		for i := range cols {
			cols[i] = binary.LittleEndian.Uint16(body[4*i:])
			vals[i] = binary.LittleEndian.Uint16(body[4*i+2:])
		}
		pos += m
	}
	for ; next <= n; next++ {
		r.Ptr[next] = int32(pos)
	}
	return r
}

// EpochInputs returns the Yuma inputs netuid's epoch would read if it ran now (at the block in progress,
// or the last committed block) with the currently pending emission — for tests and tools that check the
// runtime against the engine.
func (r *Runtime) EpochInputs(netuid uint16) (*yuma.Inputs, bool) {
	s := r.view()
	if !s.subnetExists(netuid) || netuid == 0 {
		return nil, false
	}
	p := s.pending(netuid)
	in, _ := s.epochInputs(netuid, r.Height(), s.u64(kN(kLastStepBlock, netuid)), satAdd(satAdd(p.server, p.validator), p.root), 1)
	return in, true
}

// pendingEmission is a subnet's four accumulators.
type pendingEmission struct{ server, validator, root, ownerCut uint64 }

func (s st) pending(netuid uint16) pendingEmission {
	return pendingEmission{s.u64(kN(kPendingServer, netuid)), s.u64(kN(kPendingValidator, netuid)),
		s.u64(kN(kPendingRoot, netuid)), s.u64(kN(kPendingOwnerCut, netuid))}
}

func (s st) drainPending(netuid uint16) pendingEmission {
	p := s.pending(netuid)
	for _, k := range []string{kPendingServer, kPendingValidator, kPendingRoot, kPendingOwnerCut} {
		s.del(kN(k, netuid))
	}
	return p
}

// storeEpochOutputs persists the engine's outputs (spec/yuma.md §3.12): one vector per item (uids
// without a key get the engine's zeros), and the bonds rows the engine rewrote. Rank and trust are
// deprecated on chain and not stored (they read as 0).
func (s st) storeEpochOutputs(netuid uint16, has []bool, out *yuma.Outputs) {
	s.setVecU16s(kIncentive, netuid, out.Incentive)
	s.setVecU16s(kDividends, netuid, out.Dividends)
	s.setVecU16s(kConsensus, netuid, out.Consensus)
	s.setVecU16s(kValidatorTrust, netuid, out.ValidatorTrust)
	s.setVecU16s(kStakeWeight, netuid, out.StakeWeight)
	s.setVecBools(kActive, netuid, out.Active)
	s.setVecU64s(kEmission, netuid, out.Emission)
	s.setVecBools(kValidatorPermit, netuid, out.ValidatorPermit)
	for uid := range has {
		if !has[uid] || out.BondsWrite == nil || !out.BondsWrite[uid] {
			continue
		}
		u := uint16(uid)
		cols, vals := out.Bonds.Row(uid)
		if len(cols) == 0 {
			if s.has(kNU(kBonds, netuid, u)) {
				s.del(kNU(kBonds, netuid, u))
			}
			continue
		}
		s.setOwned(kNU(kBonds, netuid, u), encodeRowCV(cols, vals))
	}
}

// encodeRowCV is encodeRow of the entries (cols[k], vals[k]), written without building the entries.
func encodeRowCV(cols, vals []uint16) []byte {
	b := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+4*len(cols)), uint64(len(cols)))
	for k, c := range cols {
		b = binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(b, c), vals[k])
	}
	return b
}

// epoch drains netuid's pending emission, runs the engine on in (built by epochInputs at this block)
// and distributes (§7.4).
func (r *Runtime) epoch(s st, netuid uint16, in *yuma.Inputs, hot [][32]byte) ([]Event, error) {
	p := s.drainPending(netuid)
	in.RaoEmission = satAdd(satAdd(p.server, p.validator), p.root)
	// The pools' values as epochInputs read them (TotalHotkeyAlpha[hot][netuid]), kept aside from the
	// hooks: nothing writes a pool before the incentives are paid but the owner cut (see distribute).
	poolValues := slices.Clone(in.AlphaStake)
	out, err := yuma.Epoch(in)
	if err != nil {
		return nil, err
	}
	has := in.HasKey
	if has == nil {
		has = make([]bool, in.N)
		for i := range has {
			has[i] = true
		}
	}
	s.storeEpochOutputs(netuid, has, out)
	if r.hooks.EpochOutputs != nil {
		r.hooks.EpochOutputs(netuid, in, out)
	}
	return s.distribute(netuid, p, hot, has, in, out, poolValues, r.workers), nil
}

// distribute is distribute_emission after the epoch (§7.4 steps 2–7) without child keys.
func (s st) distribute(netuid uint16, p pendingEmission, hot [][32]byte, has []bool, in *yuma.Inputs, out *yuma.Outputs, poolValues []uint64, workers int) []Event {
	budget := satAdd(satAdd(p.server, p.validator), p.root)
	var paid, incentivePaid, divPaid, rootPaid, burned, recycled uint64
	pay := func(want uint64) uint64 {
		v := min(want, budget-paid)
		paid += v
		return v
	}
	ownerCold, _ := s.acct(kN(kSubnetOwner, netuid))
	ownerHot, hasOwnerHot := s.acct(kN(kSubnetOwnerHot, netuid))

	// Step 4: the owner cut is staked to (owner hotkey, owner coldkey).
	ownerCutPaid := uint64(0)
	if hasOwnerHot && p.ownerCut > 0 {
		s.pool(ownerHot, netuid).deposit(ownerCold, p.ownerCut)
		ownerCutPaid = p.ownerCut
	} else if p.ownerCut > 0 {
		s.addU64(kN(kAlphaBurned, netuid), p.ownerCut)
		burned += p.ownerCut
	}

	// Step 2: validators get V, or V + S when no incentive was earned.
	var incentiveSum uint64
	for uid := range has {
		if has[uid] {
			incentiveSum = satAdd(incentiveSum, out.ServerEmission[uid])
		}
	}
	validatorPool := p.validator
	if incentiveSum == 0 {
		validatorPool = satAdd(p.validator, p.server)
	}

	// Step 5: incentives, to the miner's coldkey; burned (or recycled) for the owner's own hotkeys.
	// The miners' owners and pool states are read first, in parallel (no miner pool has been written
	// yet in this distribution: the owner cut went to the owner hotkey, whose incentive is burned);
	// the payments are then made in uid order.
	recycle := s.hpBool(netuid, HPRecycleOrBurn)
	var known []uint64
	if len(poolValues) == len(has) {
		known = poolValues
	}
	plans := s.readIncentivePools(netuid, hot, has, out.ServerEmission, known, ownerHot, hasOwnerHot, workers)
	// Each paid miner writes its pool's value and denominator and its owner's shares: make room at once.
	if r, ok := s.kv.(interface{ Reserve(int) }); ok {
		paid := 0
		for uid := range has {
			if has[uid] && out.ServerEmission[uid] != 0 {
				paid++
			}
		}
		r.Reserve(3 * paid)
	}
	for uid := range has {
		if !has[uid] || out.ServerEmission[uid] == 0 {
			continue
		}
		amt := pay(out.ServerEmission[uid])
		if amt == 0 {
			continue
		}
		pl := &plans[uid]
		if (hasOwnerHot && hot[uid] == ownerHot) || pl.cold == ownerCold {
			if recycle {
				s.setU64(kN(kSubnetAlphaOut, netuid), satSub(s.u64(kN(kSubnetAlphaOut, netuid)), amt))
				recycled += amt
			} else {
				s.addU64(kN(kAlphaBurned, netuid), amt)
				burned += amt
			}
			continue
		}
		pl.pool.depositKnownKey(pl.cold, amt, pl.value, pl.denom, pl.share, pl.kShare)
		incentivePaid += amt
	}

	// Step 3: each hotkey's dividend splits into an alpha part and a root part in proportion
	// alpha_stake : root_stake × tao_weight; alpha parts share the validator pool, root parts the root pool.
	tw := s.taoWeightU96()
	n := len(has)
	alphaDivs := make([]fixed.U96F32, n)
	rootDivs := make([]fixed.U96F32, n)
	var totalAlpha, totalRoot fixed.U96F32
	for uid := 0; uid < n; uid++ {
		if !has[uid] || out.ValidatorEmission[uid] == 0 {
			continue
		}
		d := fixed.U96F32FromUint(out.ValidatorEmission[uid])
		rootAlpha := fixed.U96F32FromUint(in.RootStake[uid]).SaturatingMul(tw)
		total := fixed.U96F32FromUint(in.AlphaStake[uid]).SaturatingAdd(rootAlpha)
		rd := rootAlpha.SafeDiv(total).SaturatingMul(d)
		rootDivs[uid] = rd
		alphaDivs[uid] = d.SaturatingSub(rd)
		totalAlpha = totalAlpha.SaturatingAdd(alphaDivs[uid])
		totalRoot = totalRoot.SaturatingAdd(rd)
	}
	vPool, rPool := fixed.U96F32FromUint(validatorPool), fixed.U96F32FromUint(p.root)
	alphaPaid, rootPaidBy := make([]uint64, n), make([]uint64, n)
	for uid := 0; uid < n; uid++ {
		if alphaDivs[uid].IsZero() && rootDivs[uid].IsZero() {
			continue
		}
		h := hot[uid]
		cold, _ := s.acct(kA(kOwner, h))
		take := fixed.U96F32FromUint(uint64(s.delegateTake(h))).SafeDiv(fixed.U96F32FromUint(u16max))
		pl := s.pool(h, netuid)
		// Step 6: alpha dividends — the take to (hotkey, owner), the rest to all the hotkey's stakers.
		if a := vPool.SaturatingMul(alphaDivs[uid].SafeDiv(totalAlpha)); !a.IsZero() {
			t := take.SaturatingMul(a)
			tk := pay(tou64(t))
			rest := pay(tou64(a.SaturatingSub(t)))
			pl.deposit(cold, tk)
			pl.addAll(rest)
			divPaid += tk + rest
			alphaPaid[uid] = tk + rest
		}
		// Step 7: root dividends — the take as above; the rest to the hotkey's root stakers (auto-claimed).
		if rt := rPool.SaturatingMul(rootDivs[uid].SafeDiv(totalRoot)); !rt.IsZero() {
			t := take.SaturatingMul(rt)
			tk := pay(tou64(t))
			rest := pay(tou64(rt.SaturatingSub(t)))
			pl.deposit(cold, tk)
			s.payRootStakers(h, netuid, rest)
			rootPaid += tk + rest
			rootPaidBy[uid] = tk + rest
		}
	}
	s.setVecU64s(kAlphaDividends, netuid, alphaPaid)
	s.setVecU64s(kRootDividends, netuid, rootPaidBy)
	undistributed := budget - paid
	if undistributed > 0 {
		s.addU64(kN(kAlphaBurned, netuid), undistributed)
	}
	return []Event{ev(EvEpochDistributed, attrU("netuid", uint64(netuid)), attrU("emission", budget),
		attrU("incentive", incentivePaid), attrU("dividends", divPaid), attrU("root_dividends", rootPaid),
		attrU("owner_cut", ownerCutPaid), attrU("burned", burned), attrU("recycled", recycled),
		attrU("undistributed", undistributed))}
}

// incentivePool is what paying a miner reads: its owner coldkey and its pool's value, denominator and
// the owner's shares.
type incentivePool struct {
	pool         pool
	cold         [32]byte
	value        uint64
	denom, share fixed.U64F64
	kShare       []byte // the owner's share key
}

// readIncentivePools reads, for every uid with an incentive, its incentivePool; workers read
// contiguous chunks into their own slots. known, where not nil, holds the pools' values as read at the
// start of the epoch; they are still current for every hotkey but the owner hotkey (the owner cut went
// to its pool), whose value is read again.
func (s st) readIncentivePools(netuid uint16, hot [][32]byte, has []bool, inc []uint64, known []uint64, ownerHot [32]byte, hasOwnerHot bool, workers int) []incentivePool {
	n := len(has)
	plans := make([]incentivePool, n)
	read := func(lo, hi int) {
		// The keys the payments use later (the pool's value and denominator, the owner's shares) are cut
		// from one slab per worker; the owner key is built in a scratch buffer.
		lv, ld, ls := len(kTotalHotkeyAlph)+35, len(kTotalHotkeyShares)+35, len(kAlpha)+67
		cnt := 0
		for uid := lo; uid < hi; uid++ {
			if has[uid] && inc[uid] != 0 {
				cnt++
			}
		}
		slab := make([]byte, 0, cnt*(lv+ld+ls))
		kO := key(kOwner).acct([32]byte{})
		for uid := lo; uid < hi; uid++ {
			if !has[uid] || inc[uid] == 0 {
				continue
			}
			h := hot[uid]
			pl := &plans[uid]
			copy(kO[len(kO)-32:], h[:])
			pl.cold, _ = s.acct(kO)
			o := len(slab)
			slab = binary.BigEndian.AppendUint16(append(append(append(slab, kTotalHotkeyAlph...), '/'), h[:]...), netuid)
			slab = binary.BigEndian.AppendUint16(append(append(append(slab, kTotalHotkeyShares...), '/'), h[:]...), netuid)
			pl.pool = pool{s, h, netuid, slab[o : o+lv : o+lv], slab[o+lv : o+lv+ld : o+lv+ld]}
			slab = append(binary.BigEndian.AppendUint16(append(append(append(slab, kAlpha...), '/'), h[:]...), netuid), pl.cold[:]...)
			kS := slab[o+lv+ld : o+lv+ld+ls : o+lv+ld+ls]
			pl.kShare = kS
			if known != nil && !(hasOwnerHot && h == ownerHot) {
				pl.value = known[uid]
			} else {
				pl.value = pl.pool.value()
			}
			pl.denom, pl.share = pl.pool.denom(), s.u64f64(kS)
		}
	}
	workers = max(1, min(workers, n/512))
	if workers == 1 {
		read(0, n)
		return plans
	}
	size := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(lo, hi int) { defer wg.Done(); read(lo, hi) }(w*size, min(n, (w+1)*size))
	}
	wg.Wait()
	return plans
}

// markStaking records the (coldkey, hotkey) pair in StakingHotkeys (pool.deposit calls it when a
// coldkey gets its first shares of a hotkey's pool).
func (s st) markStaking(cold, hot [32]byte) {
	if k := kAA(kStakingHotkeys, cold, hot); !s.has(k) {
		s.setU64(k, s.u64(key(kBlockNumber)))
	}
}

// payRootStakers credits amount alpha on netuid to hot's root stakers, pro rata to their root stake
// (gotensor claims RootClaimable at once, keeping the alpha); rounding dust goes to the hotkey's pool.
func (s st) payRootStakers(hot [32]byte, netuid uint16, amount uint64) {
	if amount == 0 {
		return
	}
	root := s.pool(hot, 0)
	total := root.value()
	pl := s.pool(hot, netuid)
	if total == 0 {
		pl.addAll(amount)
		return
	}
	type holder struct {
		cold [32]byte
		v    uint64
	}
	var hs []holder
	prefix := key(kAlpha).acct(hot).u16(0)
	iteratePrefix(s, prefix, func(k, _ []byte) {
		var c [32]byte
		copy(c[:], k[len(prefix):])
		hs = append(hs, holder{c, 0})
	})
	a, t := fixed.U96F32FromUint(amount), fixed.U96F32FromUint(total)
	var given uint64
	for i := range hs {
		v := root.valueOf(hs[i].cold)
		x := tou64(a.SaturatingMul(fixed.U96F32FromUint(v)).SafeDiv(t))
		x = min(x, amount-given)
		if x > 0 {
			pl.deposit(hs[i].cold, x)
			given += x
		}
	}
	pl.addAll(amount - given)
}
