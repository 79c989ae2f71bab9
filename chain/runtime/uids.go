package runtime

import "sort"

// UIDs (spec/chain.md §2): append until max_allowed_uids, then replace the neuron get_neuron_to_prune picks.

// appendNeuron is append_neuron: the next UID, active, LastUpdate = registration block. Zero-valued
// outputs (emission, consensus, incentive, dividends, trust, permit) are left absent, which reads as 0.
func appendNeuron(s st, netuid uint16, hotkey [32]byte, block uint64) uint16 {
	uid := s.u16(kN(kSubnetworkN, netuid))
	s.setU16(kN(kSubnetworkN, netuid), uid+1)
	s.setVecBool(kActive, netuid, uid, true)
	s.setVecU64(kLastUpdate, netuid, uid, block)
	s.setAcct(kNU(kKeys, netuid, uid), hotkey)
	s.setU16(kNA(kUids, netuid, hotkey), uid)
	s.setVecU64(kBlockAtReg, netuid, uid, block)
	s.setBool(kAN(kIsNetworkMember, hotkey, netuid), true)
	return uid
}

// replaceNeuron is CLASSIC replace_neuron + clear_neuron (§2.4). LastUpdate, ValidatorPermit,
// ValidatorTrust and other rows' bonds toward uid survive; incoming weights to uid become 0. It refuses
// (returns false) to replace the subnet owner hotkey — a safety net, since pruning never picks it.
func replaceNeuron(s st, netuid, uid uint16, newHotkey [32]byte, block uint64) bool {
	old, _ := s.acct(kNU(kKeys, netuid, uid))
	if owner, ok := s.acct(kN(kSubnetOwnerHot, netuid)); ok && owner == old {
		return false
	}
	s.del(kNA(kUids, netuid, old))
	s.del(kAN(kIsNetworkMember, old, netuid))
	s.del(kNU(kKeys, netuid, uid))
	s.setVecBool(kActive, netuid, uid, true)
	s.setAcct(kNU(kKeys, netuid, uid), newHotkey)
	s.setU16(kNA(kUids, netuid, newHotkey), uid)
	s.setVecU64(kBlockAtReg, netuid, uid, block)
	s.setBool(kAN(kIsNetworkMember, newHotkey, netuid), true)
	s.del(kNA(kAxons, netuid, old))
	s.del(kNA(kCertificates, netuid, old))
	s.del(kNA(kPrometheus, netuid, old))
	clearNeuron(s, netuid, uid)
	return true
}

func clearNeuron(s st, netuid, uid uint16) {
	s.setVecU64(kEmission, netuid, uid, 0)
	s.setVecU16(kConsensus, netuid, uid, 0)
	s.setVecU16(kIncentive, netuid, uid, 0)
	s.del(kNU(kBonds, netuid, uid))
	s.del(kNU(kWeights, netuid, uid))
	// Incoming weights: set value 0, keep the entry.
	type upd struct {
		k   []byte
		row []WeightEntry
	}
	var updates []upd
	iteratePrefix(s, kN(kWeights, netuid), func(k, v []byte) {
		row := decodeRow(v)
		changed := false
		for i := range row {
			if row[i].Uid == uid && row[i].Value != 0 {
				row[i].Value = 0
				changed = true
			}
		}
		if changed {
			updates = append(updates, upd{append([]byte(nil), k...), row})
		}
	})
	for _, u := range updates {
		s.kv.Set(u.k, encodeRow(u.row))
	}
	s.setVecU16(kDividends, netuid, uid, 0)
	s.setVecU16(kStakeWeight, netuid, uid, 0)
}

// registerNeuron appends or replaces (§2.1); the caller checked that a slot exists.
func registerNeuron(s st, netuid uint16, hotkey [32]byte, block uint64) (uint16, error) {
	n := s.u16(kN(kSubnetworkN, netuid))
	if uint64(n) < s.hp(netuid, HPMaxAllowedUids) {
		return appendNeuron(s, netuid, hotkey, block), nil
	}
	uid, ok := neuronToPrune(s, netuid, block)
	if !ok {
		return 0, fail(ErrNoNeuronIdAvailable, "netuid %d is full and no neuron can be pruned", netuid)
	}
	if !replaceNeuron(s, netuid, uid, hotkey, block) {
		return 0, fail(ErrNoNeuronIdAvailable, "netuid %d: uid %d holds the owner hotkey", netuid, uid)
	}
	return uid, nil
}

// slotAvailable is §1.2 step 11: max_allowed_uids ≠ 0, and a full subnet has a prune candidate.
func slotAvailable(s st, netuid uint16, block uint64) error {
	max := s.hp(netuid, HPMaxAllowedUids)
	if max == 0 {
		return fail(ErrNoNeuronIdAvailable, "netuid %d allows no UIDs", netuid)
	}
	if uint64(s.u16(kN(kSubnetworkN, netuid))) >= max {
		if _, ok := neuronToPrune(s, netuid, block); !ok {
			return fail(ErrNoNeuronIdAvailable, "netuid %d is full and no neuron can be pruned", netuid)
		}
	}
	return nil
}

// PruneCandidate is one neuron as get_neuron_to_prune sees it.
type PruneCandidate struct {
	Uid      uint16 `json:"uid"`
	Emission uint64 `json:"emission"`
	RegBlock uint64 `json:"reg_block"`
	Immune   bool   `json:"immune"`
	Immortal bool   `json:"immortal"`
}

// SelectPrune is get_neuron_to_prune's choice (§2.2): skip immortal neurons; the best of each set is the
// smallest (emission, registration block, uid); return the best non-immune one if more than
// minNonImmune non-immune candidates exist, else the best immune one (which may not exist).
func SelectPrune(cands []PruneCandidate, minNonImmune uint64) (uint16, bool) {
	less := func(a, b PruneCandidate) bool {
		if a.Emission != b.Emission {
			return a.Emission < b.Emission
		}
		if a.RegBlock != b.RegBlock {
			return a.RegBlock < b.RegBlock
		}
		return a.Uid < b.Uid
	}
	var bestImm, bestFree *PruneCandidate
	free := uint64(0)
	for i := range cands {
		c := &cands[i]
		if c.Immortal {
			continue
		}
		if c.Immune {
			if bestImm == nil || less(*c, *bestImm) {
				bestImm = c
			}
		} else {
			free++
			if bestFree == nil || less(*c, *bestFree) {
				bestFree = c
			}
		}
	}
	if bestImm == nil && bestFree == nil {
		return 0, false
	}
	if free > minNonImmune {
		return bestFree.Uid, true
	}
	if bestImm == nil {
		return 0, false
	}
	return bestImm.Uid, true
}

func neuronToPrune(s st, netuid uint16, now uint64) (uint16, bool) {
	n := s.u16(kN(kSubnetworkN, netuid))
	if n == 0 {
		return 0, false
	}
	immortal := map[[32]byte]bool{}
	for _, hk := range immuneOwnerHotkeys(s, netuid) {
		immortal[hk] = true
	}
	period := s.hp(netuid, HPImmunityPeriod)
	cands := make([]PruneCandidate, 0, n)
	for uid := uint16(0); uid < n; uid++ {
		hk, ok := s.acct(kNU(kKeys, netuid, uid))
		if !ok {
			continue
		}
		reg := s.vecU64(kBlockAtReg, netuid, uid)
		cands = append(cands, PruneCandidate{
			Uid: uid, Emission: s.vecU64(kEmission, netuid, uid), RegBlock: reg,
			Immune: satSub(now, reg) < period, Immortal: immortal[hk],
		})
	}
	return SelectPrune(cands, s.hp(netuid, HPMinNonImmuneUids))
}

// immuneOwnerHotkeys is get_immune_owner_hotkeys (§2.3).
func immuneOwnerHotkeys(s st, netuid uint16) [][32]byte {
	limit := int(s.hp(netuid, HPImmuneOwnerUidsLimit))
	if limit == 0 {
		return nil
	}
	ownerCold, ok := s.acct(kN(kSubnetOwner, netuid))
	if !ok {
		return nil
	}
	type reg struct {
		hk    [32]byte
		block uint64
		uid   uint16
	}
	var regs []reg
	p := key(kOwnedHotkeys).acct(ownerCold)
	iteratePrefix(s, p, func(k, _ []byte) {
		var hk [32]byte
		copy(hk[:], k[len(p):])
		if v, ok := s.kv.Get(kNA(kUids, netuid, hk)); ok && len(v) == 2 {
			uid := uint16(v[0]) | uint16(v[1])<<8
			regs = append(regs, reg{hk, s.vecU64(kBlockAtReg, netuid, uid), uid})
		}
	})
	sort.Slice(regs, func(i, j int) bool {
		if regs[i].block != regs[j].block {
			return regs[i].block < regs[j].block
		}
		return regs[i].uid < regs[j].uid
	})
	out := make([][32]byte, 0, len(regs)+1)
	for _, r := range regs {
		out = append(out, r.hk)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	if ownerHot, ok := s.acct(kN(kSubnetOwnerHot, netuid)); ok && s.has(kNA(kUids, netuid, ownerHot)) {
		found := false
		for _, h := range out {
			found = found || h == ownerHot
		}
		if !found {
			out = append([][32]byte{ownerHot}, out...)
			if len(out) > limit {
				out = out[:limit]
			}
		}
	}
	return out
}

// uidOf returns the hotkey's uid on netuid.
func (s st) uidOf(netuid uint16, hotkey [32]byte) (uint16, bool) {
	v, ok := s.kv.Get(kNA(kUids, netuid, hotkey))
	if !ok || len(v) != 2 {
		return 0, false
	}
	return uint16(v[0]) | uint16(v[1])<<8, true
}
