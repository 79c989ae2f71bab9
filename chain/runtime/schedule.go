package runtime

// Epoch scheduling (CLASSIC, spec/chain.md §7.5) and the hook surfaces tests use (EpochState, BlockState).

// BlocksUntilNextEpoch is tempo − ((block + netuid + 1) mod (tempo + 1)), or MaxUint64 when tempo is 0.
// The epoch runs at block b when it is 0.
func BlocksUntilNextEpoch(netuid uint16, tempo uint16, block uint64) uint64 {
	if tempo == 0 {
		return u64max
	}
	t := uint64(tempo)
	return t - (block+uint64(netuid)+1)%(t+1)
}

// EpochIndex is (block + netuid + 1) div (tempo + 1): it increments on the block after an epoch. The
// commit-reveal window is counted in it.
func EpochIndex(netuid uint16, tempo uint16, block uint64) uint64 {
	return (block + uint64(netuid) + 1) / (uint64(tempo) + 1)
}

// subnets returns the added netuids in ascending order.
func (s st) subnets() []uint16 {
	var out []uint16
	p := key(kNetworksAdded)
	iteratePrefix(s, p, func(k, v []byte) {
		if len(k) == len(p)+2 && len(v) == 1 && v[0] == 1 {
			out = append(out, uint16(k[len(p)])<<8|uint16(k[len(p)+1]))
		}
	})
	return out
}

func (s st) subnetExists(netuid uint16) bool { return s.boolean(kN(kNetworksAdded, netuid)) }

// EpochState is what an epoch implementation reads and writes for one subnet at one block.
type EpochState struct {
	s      st
	Netuid uint16
	Block  uint64
}

// N is the number of UIDs.
func (e *EpochState) N() uint16 { return e.s.u16(kN(kSubnetworkN, e.Netuid)) }

// Hyperparameter reads one of the subnet's hyper-parameters.
func (e *EpochState) Hyperparameter(id HP) uint64 { return e.s.hp(e.Netuid, id) }

// Hotkey of uid.
func (e *EpochState) Hotkey(uid uint16) [32]byte {
	a, _ := e.s.acct(kNU(kKeys, e.Netuid, uid))
	return a
}

// Weights row set by uid (main mechanism).
func (e *EpochState) Weights(uid uint16) []WeightEntry { return e.s.row(kWeights, e.Netuid, uid) }

// Bonds row held by uid.
func (e *EpochState) Bonds(uid uint16) []WeightEntry { return e.s.row(kBonds, e.Netuid, uid) }

// LastUpdate of uid.
func (e *EpochState) LastUpdate(uid uint16) uint64 { return e.s.vecU64(kLastUpdate, e.Netuid, uid) }

// BlockAtRegistration of uid.
func (e *EpochState) BlockAtRegistration(uid uint16) uint64 {
	return e.s.vecU64(kBlockAtReg, e.Netuid, uid)
}

// ValidatorPermit of uid.
func (e *EpochState) ValidatorPermit(uid uint16) bool {
	return e.s.vecBool(kValidatorPermit, e.Netuid, uid)
}

// SetValidatorPermit stores uid's permit.
func (e *EpochState) SetValidatorPermit(uid uint16, v bool) {
	e.s.setVecBool(kValidatorPermit, e.Netuid, uid, v)
}

// SetEmission stores uid's last-epoch emission (the pruning score).
func (e *EpochState) SetEmission(uid uint16, v uint64) { e.s.setVecU64(kEmission, e.Netuid, uid, v) }

// SetActive stores uid's activity flag.
func (e *EpochState) SetActive(uid uint16, v bool) { e.s.setVecBool(kActive, e.Netuid, uid, v) }

// SetIncentive stores uid's incentive (main mechanism).
func (e *EpochState) SetIncentive(uid, v uint16) { e.s.setVecU16(kIncentive, e.Netuid, uid, v) }

// SetDividends stores uid's dividends.
func (e *EpochState) SetDividends(uid, v uint16) { e.s.setVecU16(kDividends, e.Netuid, uid, v) }

// SetConsensus stores uid's consensus.
func (e *EpochState) SetConsensus(uid, v uint16) { e.s.setVecU16(kConsensus, e.Netuid, uid, v) }

// SetValidatorTrust stores uid's validator trust.
func (e *EpochState) SetValidatorTrust(uid, v uint16) {
	e.s.setVecU16(kValidatorTrust, e.Netuid, uid, v)
}

// SetStakeWeight stores uid's normalised stake weight.
func (e *EpochState) SetStakeWeight(uid, v uint16) { e.s.setVecU16(kStakeWeight, e.Netuid, uid, v) }

// StakeWeight is ⌊stake weight⌋ of uid's hotkey on the subnet (§3.4; gotensor has no child keys).
func (e *EpochState) StakeWeight(uid uint16) uint64 { return stakeWeight(e.s, e.Netuid, e.Hotkey(uid)) }

// Emission is uid's stored last-epoch emission.
func (e *EpochState) Emission(uid uint16) uint64 { return e.s.vecU64(kEmission, e.Netuid, uid) }

// Global reads a chain-wide parameter (e.g. GStakeThreshold).
func (e *EpochState) Global(name string) uint64 { return e.s.global(name) }

// PendingCommits lists, in uid order, every neuron with unrevealed weight commits on the subnet and the
// blocks it committed in (for the epoch's commit-reveal mask).
func (e *EpochState) PendingCommits() []UidCommits {
	var out []UidCommits
	for uid := uint16(0); uid < e.N(); uid++ {
		if q, ok := e.s.commits(e.Netuid, e.Hotkey(uid)); ok {
			u := UidCommits{Uid: uid}
			for _, c := range q {
				u.Blocks = append(u.Blocks, c.CommitBlock)
			}
			out = append(out, u)
		}
	}
	return out
}

// UidCommits is one neuron's pending commit blocks.
type UidCommits struct {
	Uid    uint16
	Blocks []uint64
}

// SetBonds replaces uid's bonds row (an empty row deletes it).
func (e *EpochState) SetBonds(uid uint16, row []WeightEntry) {
	if len(row) == 0 {
		e.s.del(kNU(kBonds, e.Netuid, uid))
		return
	}
	e.s.kv.Set(kNU(kBonds, e.Netuid, uid), encodeRow(row))
}

// BlockState is what the block-emission hook works with.
type BlockState struct {
	s      st
	block  uint64
	events *[]Event
}

// Block is the block in progress.
func (b *BlockState) Block() uint64 { return b.block }

// Subnets lists the added netuids in ascending order.
func (b *BlockState) Subnets() []uint16 { return b.s.subnets() }

// Emit records a block-level event.
func (b *BlockState) Emit(e Event) { *b.events = append(*b.events, e) }
