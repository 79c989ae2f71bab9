package timelock

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// WeightsPayload is bittensor-drand's WeightsTlockPayload, the plaintext of a timelocked weight commit:
// SCALE `{hotkey: Vec<u8>, uids: Vec<u16>, values: Vec<u16>, version_key: u64}`. Hotkey is the 32-byte public key.
type WeightsPayload struct {
	Hotkey     []byte
	UIDs       []uint16
	Values     []uint16
	VersionKey uint64
}

// Encode is the SCALE encoding (compact lengths, little-endian integers).
func (p WeightsPayload) Encode() []byte {
	e := scale.NewEncoder(make([]byte, 0, 16+len(p.Hotkey)+2*(len(p.UIDs)+len(p.Values))))
	e.ByteVec(p.Hotkey)
	e.Compact(uint64(len(p.UIDs)))
	for _, u := range p.UIDs {
		e.U16(u)
	}
	e.Compact(uint64(len(p.Values)))
	for _, v := range p.Values {
		e.U16(v)
	}
	e.U64(p.VersionKey)
	return e.Bytes()
}

// DecodeWeightsPayload reads a payload, refusing trailing bytes (what the chain decodes after decryption).
func DecodeWeightsPayload(b []byte) (WeightsPayload, error) {
	d := scale.NewDecoder(b)
	var p WeightsPayload
	var err error
	if p.Hotkey, err = d.ByteVec(); err != nil {
		return p, fmt.Errorf("timelock: payload hotkey: %w", err)
	}
	if p.UIDs, err = u16Vec(d); err != nil {
		return p, fmt.Errorf("timelock: payload uids: %w", err)
	}
	if p.Values, err = u16Vec(d); err != nil {
		return p, fmt.Errorf("timelock: payload values: %w", err)
	}
	if p.VersionKey, err = d.U64(); err != nil {
		return p, fmt.Errorf("timelock: payload version_key: %w", err)
	}
	return p, d.Done()
}

func u16Vec(d *scale.Decoder) ([]uint16, error) {
	n, err := d.Length(2)
	if err != nil {
		return nil, err
	}
	out := make([]uint16, n)
	for i := range out {
		if out[i], err = d.U16(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DefaultBlockTime is finney's block time in seconds (the Python SDK's default `block_time`).
const DefaultBlockTime = 12.0

// RevealParams are the chain figures the reveal round depends on (spec/sdk.md §5.7).
type RevealParams struct {
	Block        uint64  // the current block
	Netuid       uint16  // the subnet (netuid index) the commit is for
	Tempo        uint64  // the subnet's tempo
	RevealPeriod uint64  // the subnet's commit_reveal_period, in epochs
	BlockTime    float64 // seconds per block; DefaultBlockTime when 0
}

// Reveal is the outcome of the reveal-round maths.
type Reveal struct {
	Round       uint64    // the drand round the commit is encrypted to (what the extrinsic carries)
	TargetBlock uint64    // the block the reveal is aimed at (first block of the reveal epoch + 3)
	At          time.Time // the estimated wall-clock time of TargetBlock (now + blocks × block time)
}

// RevealRound is `bittensor_drand.get_encrypted_commit`'s reveal round, with the clock passed in:
//
//	current_epoch = (block + netuid + 1) / (tempo + 1)
//	reveal_epoch  = current_epoch + reveal_period
//	first_block   = reveal_epoch·(tempo + 1) − (netuid + 1);  target_block = first_block + 3
//	secs          = (target_block − block) · block_time
//	round         = max(1, ⌊(now + secs − 1692803367) / 3⌋)
func RevealRound(p RevealParams, now time.Time) (Reveal, error) {
	if p.Tempo == math.MaxUint64 {
		return Reveal{}, errors.New("timelock: tempo out of range")
	}
	bt := p.BlockTime
	if bt == 0 {
		bt = DefaultBlockTime
	}
	if bt < 0 || math.IsNaN(bt) || math.IsInf(bt, 0) {
		return Reveal{}, fmt.Errorf("timelock: block time %v", p.BlockTime)
	}
	tp1 := p.Tempo + 1
	n1 := uint64(p.Netuid) + 1
	currentEpoch := (p.Block + n1) / tp1
	revealEpoch := currentEpoch + p.RevealPeriod
	// first_block can precede the current block only with a reveal period of 0; keep the sign.
	first := int64(revealEpoch*tp1) - int64(n1)
	target := first + 3
	secs := float64(target-int64(p.Block)) * bt
	nowF := float64(now.UnixNano()) / 1e9
	roundF := math.Floor((nowF + secs - QuicknetGenesis) / QuicknetPeriod)
	round := uint64(1)
	if roundF > 1 {
		round = uint64(roundF)
	}
	r := Reveal{Round: round, At: now.Add(time.Duration(secs * float64(time.Second)))}
	if target > 0 {
		r.TargetBlock = uint64(target)
	}
	return r, nil
}

// RoundTime is when a quicknet round's beacon is produced (genesis + (round − 1) × period).
func RoundTime(round uint64) time.Time {
	if round == 0 {
		return time.Unix(QuicknetGenesis, 0)
	}
	return time.Unix(QuicknetGenesis+int64(round-1)*QuicknetPeriod, 0)
}

// EncryptWeights encrypts a weights payload to a round under pk (Quicknet() for finney and the test network).
func EncryptWeights(pk *PublicKey, p WeightsPayload, round uint64, rnd io.Reader) ([]byte, error) {
	if len(p.UIDs) != len(p.Values) {
		return nil, fmt.Errorf("timelock: %d uids but %d values", len(p.UIDs), len(p.Values))
	}
	return Encrypt(pk, round, p.Encode(), rnd)
}
