package substrate

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// Timelocked weight commits (commit-reveal v3/v4): the validator encrypts its weights to a future drand round
// (sdk/timelock) and commits the ciphertext; the chain decrypts and applies them by itself once the round's
// beacon is on chain. Nothing is revealed by the committer.

// DefaultCommitRevealVersion is the commit_reveal_version the Python SDK sends (and subtensor's default
// CommitRevealWeightsVersion).
const DefaultCommitRevealVersion = 4

// MechanismStride is subtensor's GLOBAL_MAX_SUBNET_COUNT: a mechanism's storage index is mecid·4096 + netuid.
const MechanismStride = 4096

// MechanismIndex is the storage index (NetUidStorageIndex) of a subnet's mechanism.
func MechanismIndex(netuid uint16, mecid uint8) uint16 {
	return uint16(uint32(mecid)*MechanismStride + uint32(netuid))
}

// TimelockedCommit is one timelocked weight commit.
type TimelockedCommit struct {
	Netuid      uint16
	Mecid       uint8  // mechanism; 0 is the subnet itself
	Commit      []byte // the sdk/timelock ciphertext
	RevealRound uint64 // the drand round it is encrypted to
	Version     uint16 // commit_reveal_version; 0 sends DefaultCommitRevealVersion
}

// timelockedCalls are the call names in order of preference, newest first, each with the arguments it takes.
var timelockedCalls = []struct {
	name      string
	mechanism bool // takes mecid (otherwise usable for mechanism 0 only)
}{
	{"commit_timelocked_mechanism_weights", true},
	{"commit_timelocked_weights", false},
	{"commit_crv3_mechanism_weights", true},
	{"commit_crv3_weights", false},
}

// TimelockedCommitCall picks the call this runtime offers for c and its arguments in metadata order:
// commit_timelocked_mechanism_weights(netuid, mecid, commit, reveal_round, commit_reveal_version), or on older
// runtimes commit_timelocked_weights, commit_crv3_mechanism_weights or commit_crv3_weights (the last two have no
// version argument). Arguments are matched by the names the metadata gives; an argument it names that gotensor
// does not know is an error rather than a guess. ErrUnsupported when the runtime has none of them.
func TimelockedCommitCall(md *metadata.Metadata, c TimelockedCommit) (call string, args []any, err error) {
	version := c.Version
	if version == 0 {
		version = DefaultCommitRevealVersion
	}
	known := map[string]any{
		"netuid":                c.Netuid,
		"mecid":                 c.Mecid,
		"commit":                c.Commit,
		"reveal_round":          c.RevealRound,
		"commit_reveal_version": version,
	}
	for _, cand := range timelockedCalls {
		if !cand.mechanism && c.Mecid != 0 {
			continue
		}
		ci, err := md.Call("SubtensorModule", cand.name)
		if err != nil {
			continue
		}
		args := make([]any, len(ci.Fields))
		for i, f := range ci.Fields {
			v, ok := known[f.Name]
			if !ok {
				return "", nil, fmt.Errorf("substrate: SubtensorModule.%s at spec %d takes an argument %q that gotensor does not know", cand.name, md.SpecVersion, f.Name)
			}
			args[i] = v
		}
		return cand.name, args, nil
	}
	return "", nil, fmt.Errorf("%w: no timelocked weight commit call (commit_timelocked_mechanism_weights, commit_timelocked_weights, commit_crv3_*) at spec %d", ErrUnsupported, md.SpecVersion)
}

// CommitTimelockedWeights submits a timelocked weight commit signed by the hotkey, with the call this runtime
// offers (see TimelockedCommitCall), and returns the receipt and the call's name.
func (b *Backend) CommitTimelockedWeights(ctx context.Context, hotkey extrinsic.Signer, c TimelockedCommit, opts TxOptions) (*Receipt, string, error) {
	if len(c.Commit) == 0 {
		return nil, "", errors.New("substrate: empty timelocked commit")
	}
	v, err := b.view(ctx, At{})
	if err != nil {
		return nil, "", err
	}
	call, args, err := TimelockedCommitCall(v.rt.md, c)
	if err != nil {
		return nil, "", err
	}
	rc, err := b.Submit(ctx, hotkey, "SubtensorModule", call, args, opts)
	return rc, call, err
}

// CommitReveal is a subnet's commit-reveal configuration at one block.
type CommitReveal struct {
	Block        uint64 // the block it was read at
	Enabled      bool   // CommitRevealWeightsEnabled
	Tempo        uint16
	RevealPeriod uint64 // RevealPeriodEpochs (commit_reveal_period)
	// Version is CommitRevealWeightsVersion where the runtime has that item, else DefaultCommitRevealVersion.
	Version uint16
}

// CommitReveal reads what a timelocked commit needs: the block, tempo, reveal period and whether commit-reveal
// is on (storage Tempo, RevealPeriodEpochs, CommitRevealWeightsEnabled, CommitRevealWeightsVersion).
func (b *Backend) CommitReveal(ctx context.Context, netuid uint16, at At) (CommitReveal, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return CommitReveal{}, err
	}
	cr := CommitReveal{Block: v.number, Version: DefaultCommitRevealVersion}
	if _, err := b.storage(ctx, v, "SubtensorModule", "Tempo", &cr.Tempo, netuid); err != nil {
		return CommitReveal{}, err
	}
	if _, err := b.storage(ctx, v, "SubtensorModule", "CommitRevealWeightsEnabled", &cr.Enabled, netuid); err != nil {
		return CommitReveal{}, err
	}
	if _, err := b.storage(ctx, v, "SubtensorModule", "RevealPeriodEpochs", &cr.RevealPeriod, netuid); err != nil {
		return CommitReveal{}, err
	}
	if _, _, err := v.rt.md.Storage("SubtensorModule", "CommitRevealWeightsVersion"); err == nil {
		var ver uint16
		if ok, err := b.storage(ctx, v, "SubtensorModule", "CommitRevealWeightsVersion", &ver); err != nil {
			return CommitReveal{}, err
		} else if ok && ver != 0 {
			cr.Version = ver
		}
	}
	return cr, nil
}

// CommitRevealEnabled reads the subnet's CommitRevealWeightsEnabled (one storage read): whether weights go
// through commit-reveal (timelocked commits on current runtimes) instead of set_weights.
func (b *Backend) CommitRevealEnabled(ctx context.Context, netuid uint16, at At) (bool, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return false, err
	}
	var on bool
	_, err = b.storage(ctx, v, "SubtensorModule", "CommitRevealWeightsEnabled", &on, netuid)
	return on, err
}

// PendingTimelockedCommit is one commit waiting in the chain's timelocked-commit map.
type PendingTimelockedCommit struct {
	Hotkey      subtensor.AccountID
	Epoch       uint64 // the epoch it was committed in (the map's second key)
	CommitBlock uint64 // the block it was committed at (0 where the layout has none)
	RevealRound uint64
	Commit      []byte
}

// timelockedMaps are the storage items holding pending commits, newest layout first.
var timelockedMaps = []string{"TimelockedWeightCommits", "CRV3WeightCommitsV2", "CRV3WeightCommits"}

type wireTimelocked4 struct {
	Who    [32]byte
	Block  uint64
	Commit []byte
	Round  uint64
}

type wireTimelocked3 struct {
	Who    [32]byte
	Commit []byte
	Round  uint64
}

// keysPage bounds one state_getKeysPaged request; a subnet keeps a commit map per epoch for a few epochs.
const keysPage = 1000

// TimelockedCommits lists the pending timelocked commits of a subnet's mechanism, every epoch still held (the
// chain drops an epoch's entries once revealed). It reads the first of TimelockedWeightCommits,
// CRV3WeightCommitsV2 and CRV3WeightCommits that the runtime has; ErrUnsupported when it has none.
func (b *Backend) TimelockedCommits(ctx context.Context, netuid uint16, mecid uint8, at At) ([]PendingTimelockedCommit, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	md := v.rt.md
	var item string
	var entry *metadata.StorageEntry
	for _, name := range timelockedMaps {
		if _, e, err := md.Storage("SubtensorModule", name); err == nil {
			item, entry = name, e
			break
		}
	}
	if entry == nil {
		return nil, fmt.Errorf("%w: no timelocked commit map at spec %d", ErrUnsupported, md.SpecVersion)
	}
	kt := md.KeyTypes(entry)
	if len(kt) != 2 || len(entry.Hashers) != 2 {
		return nil, fmt.Errorf("substrate: SubtensorModule.%s at spec %d is not a double map", item, md.SpecVersion)
	}
	epochOff, ok := concatOffset(entry.Hashers[1])
	if !ok {
		return nil, fmt.Errorf("substrate: SubtensorModule.%s: the epoch key's hasher %s keeps no key", item, entry.Hashers[1])
	}
	first, err := v.rt.c.Encode(kt[0], MechanismIndex(netuid, mecid))
	if err != nil {
		return nil, fmt.Errorf("substrate: SubtensorModule.%s key: %w", item, err)
	}
	prefix, _, err := md.StorageKey("SubtensorModule", item, first)
	if err != nil {
		return nil, err
	}
	prefixHex := "0x" + hex.EncodeToString(prefix)
	var keys []string
	start := prefixHex
	for {
		var page []string
		if err := b.cl.CallInto(ctx, &page, "state_getKeysPaged", prefixHex, keysPage, start, hexHash(v.hash)); err != nil {
			return nil, fmt.Errorf("substrate: SubtensorModule.%s keys: %w", item, err)
		}
		keys = append(keys, page...)
		if len(page) < keysPage {
			break
		}
		start = page[len(page)-1]
	}
	arity, err := tupleArity(md, entry.Value)
	if err != nil {
		return nil, fmt.Errorf("substrate: SubtensorModule.%s: %w", item, err)
	}
	var out []PendingTimelockedCommit
	for _, k := range keys {
		raw, err := decodeHex(k)
		if err != nil {
			return nil, err
		}
		if len(raw) != len(prefix)+epochOff+8 {
			return nil, fmt.Errorf("substrate: SubtensorModule.%s: key %s has an unexpected length", item, k)
		}
		epoch := binary.LittleEndian.Uint64(raw[len(prefix)+epochOff:])
		var s *string
		if err := b.cl.CallInto(ctx, &s, "state_getStorageAt", k, hexHash(v.hash)); err != nil {
			return nil, fmt.Errorf("substrate: SubtensorModule.%s: %w", item, err)
		}
		if s == nil {
			continue
		}
		val, err := decodeHex(*s)
		if err != nil {
			return nil, err
		}
		switch arity {
		case 4:
			var rows []wireTimelocked4
			if err := v.rt.c.Decode(entry.Value, val, &rows); err != nil {
				return nil, fmt.Errorf("substrate: SubtensorModule.%s: %w", item, err)
			}
			for _, r := range rows {
				out = append(out, PendingTimelockedCommit{Hotkey: r.Who, Epoch: epoch, CommitBlock: r.Block, RevealRound: r.Round, Commit: r.Commit})
			}
		case 3:
			var rows []wireTimelocked3
			if err := v.rt.c.Decode(entry.Value, val, &rows); err != nil {
				return nil, fmt.Errorf("substrate: SubtensorModule.%s: %w", item, err)
			}
			for _, r := range rows {
				out = append(out, PendingTimelockedCommit{Hotkey: r.Who, Epoch: epoch, RevealRound: r.Round, Commit: r.Commit})
			}
		}
	}
	return out, nil
}

// concatOffset is how many hash bytes a concatenating hasher puts before the raw key.
func concatOffset(h metadata.Hasher) (int, bool) {
	switch h {
	case metadata.Identity:
		return 0, true
	case metadata.Twox64Concat:
		return 8, true
	case metadata.Blake2_128Concat:
		return 16, true
	}
	return 0, false
}

// tupleArity is the element tuple size of a Vec/VecDeque of tuples (3 or 4 for the commit maps).
func tupleArity(md *metadata.Metadata, id metadata.TypeID) (int, error) {
	t, err := md.Types.Type(id)
	if err != nil {
		return 0, err
	}
	for t.Kind == metadata.KindComposite && len(t.Fields) == 1 { // BoundedVec / VecDeque wrappers
		if t, err = md.Types.Type(t.Fields[0].Type); err != nil {
			return 0, err
		}
	}
	if t.Kind != metadata.KindSequence {
		return 0, fmt.Errorf("commit list is %s, not a sequence", t.Name())
	}
	e, err := md.Types.Type(t.Elem)
	if err != nil {
		return 0, err
	}
	if e.Kind != metadata.KindTuple || (len(e.Tuple) != 3 && len(e.Tuple) != 4) {
		return 0, fmt.Errorf("commit entry is %s, not a 3- or 4-tuple", e.Name())
	}
	return len(e.Tuple), nil
}
