package runtime

import (
	"github.com/gotensor/gotensor/chain/codec"
	"github.com/gotensor/gotensor/chain/tx"
)

// Weights (spec/chain.md §4): set_weights, commit_weights, reveal_weights, batch_reveal_weights. Only the
// main mechanism exists, so netuid_index == netuid.

// MaxCommits is the most unrevealed commits a hotkey may hold per subnet.
const MaxCommits = 10

// MaxUpscaleU16 is vec_u16_max_upscale_to_u16 (§4.2) in I32F32: m = max(v); m = 0 → unchanged;
// m > 32768 → round(v × Q) with Q = 65535/m truncated to I32F32 first; else round(v × 65535 / m).
// Rounding is to nearest, ties away from zero; results saturate at 65535.
func MaxUpscaleU16(v []uint16) []uint16 {
	out := make([]uint16, len(v))
	var m uint64
	for _, x := range v {
		m = max(m, uint64(x))
	}
	if m == 0 {
		copy(out, v)
		return out
	}
	const half = 1 << 31
	if m > 32768 {
		ratio := (uint64(u16max) << 32) / m
		for i, x := range v {
			out[i] = uint16(min((ratio*uint64(x)+half)>>32, u16max))
		}
		return out
	}
	for i, x := range v {
		q := (uint64(u16max) * uint64(x) << 32) / m
		out[i] = uint16(min((q+half)>>32, u16max))
	}
	return out
}

func (s st) crEnabled(netuid uint16) bool { return s.hpBool(netuid, HPCommitRevealWeightsEnabled) }

// setWeights is §4.1, called directly (commit-reveal must be off).
func (c *call) setWeights(t tx.SetWeights) error {
	if c.s.crEnabled(t.Netuid) {
		return fail(ErrCommitRevealEnabled, "set weights on netuid %d", t.Netuid)
	}
	return c.doSetWeights(t.Netuid, t.Dests, t.Weights, t.VersionKey, false)
}

// doSetWeights is §4.1 steps 2–18. viaReveal: commit-reveal path (no rate limit, no LastUpdate write).
func (c *call) doSetWeights(netuid uint16, dests, weights []uint16, versionKey uint64, viaReveal bool) error {
	s, hot := c.s, c.signer
	if netuid == 0 {
		return fail(ErrCanNotSetRootNetworkWeights, "set weights")
	}
	if len(dests) != len(weights) {
		return fail(ErrWeightVecNotEqualSize, "set weights on netuid %d: %d uids, %d weights", netuid, len(dests), len(weights))
	}
	if !s.subnetExists(netuid) {
		return fail(ErrMechanismDoesNotExist, "set weights: netuid %d does not exist", netuid)
	}
	n := s.u16(kN(kSubnetworkN, netuid))
	if len(dests) > int(n) {
		return fail(ErrUidsLengthExceedUidsInSubNet, "set weights on netuid %d: %d uids > %d neurons", netuid, len(dests), n)
	}
	uid, ok := s.uidOf(netuid, hot)
	if !ok {
		return fail(ErrHotKeyNotRegisteredInSubNet, "set weights on netuid %d", netuid)
	}
	if err := checkStakeThreshold(s, netuid, hot, "set weights"); err != nil {
		return err
	}
	if want := s.hp(netuid, HPWeightsVersionKey); want != 0 && versionKey < want {
		return fail(ErrIncorrectWeightVersionKey, "set weights on netuid %d: version key %d < %d", netuid, versionKey, want)
	}
	if !viaReveal {
		last := s.vecU64(kLastUpdate, netuid, uid)
		if limit := s.hp(netuid, HPWeightsRateLimit); last != 0 && c.block-last < limit {
			return fail(ErrSettingWeightsTooFast, "set weights on netuid %d: last update at block %d, limit %d blocks", netuid, last, limit)
		}
	}
	self := len(dests) == 1 && dests[0] == uid
	if !self && !s.vecBool(kValidatorPermit, netuid, uid) {
		return fail(ErrNeuronNoValidatorPermit, "set weights on netuid %d: uid %d has no validator permit", netuid, uid)
	}
	var seen [1 << 10]uint64 // one bit per u16
	for _, d := range dests {
		w, b := d/64, d%64
		if seen[w]&(1<<b) != 0 {
			return fail(ErrDuplicateUids, "set weights on netuid %d: uid %d twice", netuid, d)
		}
		seen[w] |= 1 << b
	}
	// UIDs are dense (0..n−1 all have Keys), so "exists in Keys" is uid < n.
	for _, d := range dests {
		if d >= n {
			return fail(ErrUidVecContainInvalidOne, "set weights on netuid %d: uid %d does not exist", netuid, d)
		}
	}
	minLen := min(s.hp(netuid, HPMinAllowedWeights), uint64(n))
	if !self && uint64(len(weights)) < minLen {
		return fail(ErrWeightVecLengthIsLow, "set weights on netuid %d: %d weights < %d", netuid, len(weights), minLen)
	}
	up := MaxUpscaleU16(weights)
	row := make([]WeightEntry, len(dests))
	for i := range dests {
		row[i] = WeightEntry{dests[i], up[i]}
	}
	s.kv.Set(kNU(kWeights, netuid, uid), encodeRow(row))
	if !viaReveal {
		s.setVecU64(kLastUpdate, netuid, uid, c.block)
	}
	c.emit(ev(EvWeightsSet, attrU("netuid_index", uint64(netuid)), attrU("uid", uint64(uid))))
	return nil
}

// WeightCommit is one pending commit: the hash and the block it was made in, plus the informational
// first/last reveal blocks.
type WeightCommit struct {
	Hash             Hex32  `json:"hash"`
	CommitBlock      uint64 `json:"commit_block"`
	FirstRevealBlock uint64 `json:"first_reveal_block"`
	LastRevealBlock  uint64 `json:"last_reveal_block"`
}

func (s st) commits(netuid uint16, hot [32]byte) ([]WeightCommit, bool) {
	v, ok := s.kv.Get(kNA(kWeightCommits, netuid, hot))
	if !ok {
		return nil, false
	}
	r := codec.NewReader(v)
	n := r.Len(1<<16, 56)
	out := make([]WeightCommit, n)
	for i := range out {
		out[i] = WeightCommit{Hex32(r.Array32()), r.U64(), r.U64(), r.U64()}
	}
	return out, true
}

func (s st) setCommits(netuid uint16, hot [32]byte, q []WeightCommit) {
	if len(q) == 0 {
		s.del(kNA(kWeightCommits, netuid, hot))
		return
	}
	w := codec.NewWriter(1 + 56*len(q))
	w.Varint(uint64(len(q)))
	for _, c := range q {
		w.Raw(c.Hash[:])
		w.U64(c.CommitBlock)
		w.U64(c.FirstRevealBlock)
		w.U64(c.LastRevealBlock)
	}
	s.kv.Set(kNA(kWeightCommits, netuid, hot), w.Bytes())
}

// commitEpoch / expired / revealable: a commit made in epoch E is revealable while epoch_index(now) == E+P
// and expired once epoch_index(now) > E+P (P = commit_reveal_period, read now).
func (c *call) commitTiming(netuid uint16, commitBlock uint64) (expired, revealable bool) {
	tempo := c.s.hp16(netuid, HPTempo)
	p := c.s.hp(netuid, HPCommitRevealPeriod)
	e := EpochIndex(netuid, tempo, commitBlock) + p
	now := EpochIndex(netuid, tempo, c.block)
	return now > e, now == e
}

// popExpired drops expired commits from the front of the queue, returning them.
func (c *call) popExpired(netuid uint16, q []WeightCommit) (rest, popped []WeightCommit) {
	for len(q) > 0 {
		if exp, _ := c.commitTiming(netuid, q[0].CommitBlock); !exp {
			break
		}
		popped = append(popped, q[0])
		q = q[1:]
	}
	return q, popped
}

// commitWeights is §4.3 commit_weights.
func (c *call) commitWeights(t tx.CommitWeights) error {
	s, hot := c.s, c.signer
	if !s.subnetExists(t.Netuid) {
		return fail(ErrMechanismDoesNotExist, "commit weights: netuid %d does not exist", t.Netuid)
	}
	if !s.crEnabled(t.Netuid) {
		return fail(ErrCommitRevealDisabled, "commit weights on netuid %d", t.Netuid)
	}
	uid, ok := s.uidOf(t.Netuid, hot)
	if !ok {
		return fail(ErrHotKeyNotRegisteredInSubNet, "commit weights on netuid %d", t.Netuid)
	}
	if err := checkStakeThreshold(s, t.Netuid, hot, "commit weights"); err != nil {
		return err
	}
	last := s.vecU64(kLastUpdate, t.Netuid, uid)
	if limit := s.hp(t.Netuid, HPWeightsRateLimit); last != 0 && c.block-last < limit {
		return fail(ErrCommittingWeightsTooFast, "commit weights on netuid %d: last update at block %d, limit %d", t.Netuid, last, limit)
	}
	q, _ := s.commits(t.Netuid, hot)
	q, _ = c.popExpired(t.Netuid, q)
	if len(q) >= MaxCommits {
		return fail(ErrTooManyUnrevealedCommits, "commit weights on netuid %d: %d pending", t.Netuid, len(q))
	}
	tempo := uint64(s.hp16(t.Netuid, HPTempo))
	e := EpochIndex(t.Netuid, uint16(tempo), c.block) + s.hp(t.Netuid, HPCommitRevealPeriod)
	first := satSub(e*(tempo+1), uint64(t.Netuid)+1)
	q = append(q, WeightCommit{Hex32(t.Hash), c.block, first, first + tempo})
	s.setCommits(t.Netuid, hot, q)
	c.emit(ev(EvWeightsCommitted, attrA("hotkey", hot), attrU("netuid_index", uint64(t.Netuid)), Attr{"hash", hexAcct(t.Hash)}))
	s.setVecU64(kLastUpdate, t.Netuid, uid, c.block)
	return nil
}

func containsHash(list []WeightCommit, h [32]byte) bool {
	for _, c := range list {
		if c.Hash == Hex32(h) {
			return true
		}
	}
	return false
}

// revealWeights is §4.3 reveal_weights.
func (c *call) revealWeights(t tx.RevealWeights) error {
	s, hot := c.s, c.signer
	if !s.subnetExists(t.Netuid) {
		return fail(ErrMechanismDoesNotExist, "reveal weights: netuid %d does not exist", t.Netuid)
	}
	if !s.crEnabled(t.Netuid) {
		return fail(ErrCommitRevealDisabled, "reveal weights on netuid %d", t.Netuid)
	}
	q, ok := s.commits(t.Netuid, hot)
	if !ok {
		return fail(ErrNoWeightsCommitFound, "reveal weights on netuid %d", t.Netuid)
	}
	q, popped := c.popExpired(t.Netuid, q)
	h := tx.CommitHash(hot, t.Netuid, t.Uids, t.Values, t.Salt, t.VersionKey)
	idx := -1
	for i := range q {
		if q[i].Hash == Hex32(h) {
			idx = i
			break
		}
	}
	if idx < 0 {
		if containsHash(popped, h) {
			return fail(ErrExpiredWeightCommit, "reveal weights on netuid %d", t.Netuid)
		}
		if len(q) == 0 {
			return fail(ErrNoWeightsCommitFound, "reveal weights on netuid %d", t.Netuid)
		}
		return fail(ErrInvalidRevealCommitHashNotMatch, "reveal weights on netuid %d", t.Netuid)
	}
	if _, revealable := c.commitTiming(t.Netuid, q[idx].CommitBlock); !revealable {
		return fail(ErrRevealTooEarly, "reveal weights on netuid %d: committed at block %d", t.Netuid, q[idx].CommitBlock)
	}
	s.setCommits(t.Netuid, hot, q[idx+1:])
	if err := c.doSetWeights(t.Netuid, t.Uids, t.Values, t.VersionKey, true); err != nil {
		return err
	}
	c.emit(ev(EvWeightsRevealed, attrA("hotkey", hot), attrU("netuid_index", uint64(t.Netuid)), Attr{"hash", hexAcct(h)}))
	return nil
}

// batchRevealWeights is batch_reveal_weights: equal lengths (InputLengthsUnequal), every hash checked
// first, each matched commit removed individually, then the weights set in order.
func (c *call) batchRevealWeights(t tx.BatchRevealWeights) error {
	s, hot := c.s, c.signer
	if !s.subnetExists(t.Netuid) {
		return fail(ErrMechanismDoesNotExist, "batch reveal: netuid %d does not exist", t.Netuid)
	}
	if !s.crEnabled(t.Netuid) {
		return fail(ErrCommitRevealDisabled, "batch reveal on netuid %d", t.Netuid)
	}
	n := len(t.Uids)
	if len(t.Values) != n || len(t.Salts) != n || len(t.VersionKeys) != n {
		return fail(ErrInputLengthsUnequal, "batch reveal on netuid %d", t.Netuid)
	}
	q, ok := s.commits(t.Netuid, hot)
	if !ok {
		return fail(ErrNoWeightsCommitFound, "batch reveal on netuid %d", t.Netuid)
	}
	q, popped := c.popExpired(t.Netuid, q)
	hashes := make([][32]byte, n)
	for i := 0; i < n; i++ {
		hashes[i] = tx.CommitHash(hot, t.Netuid, t.Uids[i], t.Values[i], t.Salts[i], t.VersionKeys[i])
		idx := -1
		for j := range q {
			if q[j].Hash == Hex32(hashes[i]) {
				idx = j
				break
			}
		}
		if idx < 0 {
			if containsHash(popped, hashes[i]) {
				return fail(ErrExpiredWeightCommit, "batch reveal item %d", i)
			}
			if len(q) == 0 {
				return fail(ErrNoWeightsCommitFound, "batch reveal item %d", i)
			}
			return fail(ErrInvalidRevealCommitHashNotMatch, "batch reveal item %d", i)
		}
		if _, revealable := c.commitTiming(t.Netuid, q[idx].CommitBlock); !revealable {
			return fail(ErrRevealTooEarly, "batch reveal item %d", i)
		}
	}
	for _, h := range hashes {
		for j := range q {
			if q[j].Hash == Hex32(h) {
				q = append(q[:j:j], q[j+1:]...)
				break
			}
		}
	}
	s.setCommits(t.Netuid, hot, q)
	for i := 0; i < n; i++ {
		if err := c.doSetWeights(t.Netuid, t.Uids[i], t.Values[i], t.VersionKeys[i], true); err != nil {
			return err
		}
	}
	list := ""
	for i, h := range hashes {
		if i > 0 {
			list += ","
		}
		list += hexAcct(h)
	}
	c.emit(ev(EvWeightsBatchRevealed, attrA("hotkey", hot), attrU("netuid", uint64(t.Netuid)), Attr{"hashes", list}))
	return nil
}
