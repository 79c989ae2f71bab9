package yuma

import (
	"errors"
	"fmt"
)

// Mode selects the epoch implementation.
type Mode uint8

const (
	// Sparse is the production epoch (subtensor's epoch_mechanism), the one the chain runs.
	Sparse Mode = iota
	// Dense is the reference epoch (subtensor's epoch_dense_mechanism), used by tests; it builds n×n
	// matrices and differs from Sparse in the ways spec/yuma.md §9 lists.
	Dense
)

func (m Mode) String() string {
	switch m {
	case Sparse:
		return "sparse"
	case Dense:
		return "dense"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// ParseMode parses "sparse" or "dense".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "sparse":
		return Sparse, nil
	case "dense":
		return Dense, nil
	}
	return 0, fmt.Errorf("unknown epoch mode %q (want sparse or dense)", s)
}

// NoOwner is the OwnerUID of a subnet whose owner hotkey holds no uid.
const NoOwner = -1

// Params are the hyperparameters the epoch reads (spec/yuma.md §10), with their storage types.
type Params struct {
	Tempo                 uint16 // blocks between epochs; used for last_tempo when LastMechanismStepBlock = 0
	ActivityCutoff        uint64 // in blocks: the chain passes its value; see ActivityCutoffFromFactor
	Kappa                 uint16 // consensus majority, /65535 (default 32767)
	BondsPenalty          uint16 // β, /65535 (default 65535)
	BondsMovingAverage    uint64 // /1e6 (default 900000, α = 0.1)
	Yuma3                 bool   // Yuma3On
	LiquidAlpha           bool   // LiquidAlphaOn; used only with Yuma3
	AlphaLow, AlphaHigh   uint16 // AlphaValues, /65535 (defaults 45875, 58982)
	AlphaSigmoidSteepness int16  // default 1000
	MaxAllowedValidators  uint16 // k of the top-k permits
	CommitReveal          bool   // CommitRevealWeightsEnabled: apply Inputs.CommitBlocks
	StakeThreshold        uint64 // global minimum ⌊stake weight⌋ for a non-owner uid
	TaoWeight             uint64 // global raw TaoWeight; tao_weight = raw / u64::MAX
}

// DefaultParams are the values a new subnet gets (spec/yuma.md §10), with tempo 360.
func DefaultParams() Params {
	return Params{
		Tempo: 360, ActivityCutoff: ActivityCutoffFromFactor(13889, 360), Kappa: 32767, BondsPenalty: 65535,
		BondsMovingAverage: 900000, Yuma3: true, AlphaLow: 45875, AlphaHigh: 58982, AlphaSigmoidSteepness: 1000,
		MaxAllowedValidators: 64, CommitReveal: true,
	}
}

// ActivityCutoffFromFactor is the activity cutoff in blocks the chain derives from
// ActivityCutoffFactorMilli: max(1, ⌊factor·tempo/1000⌋).
func ActivityCutoffFromFactor(factorMilli uint32, tempo uint16) uint64 {
	c := uint64(factorMilli) * uint64(tempo) / 1000
	if c < 1 {
		c = 1
	}
	return c
}

// Rows is a sparse matrix of u16 entries in compressed-row form: row i is Cols[Ptr[i]:Ptr[i+1]] with the
// values Vals[Ptr[i]:Ptr[i+1]], in stored order (duplicates and explicit zeros are kept as stored). A Rows
// with no Ptr has no rows; rows past len(Ptr)-1 are empty.
type Rows struct {
	Ptr  []int32
	Cols []uint16
	Vals []uint16
}

// NumRows is the number of rows.
func (r *Rows) NumRows() int {
	if len(r.Ptr) == 0 {
		return 0
	}
	return len(r.Ptr) - 1
}

// Row returns row i (empty past the last row). The slices alias r.
func (r *Rows) Row(i int) (cols, vals []uint16) {
	if i < 0 || i+1 >= len(r.Ptr) {
		return nil, nil
	}
	a, b := r.Ptr[i], r.Ptr[i+1]
	return r.Cols[a:b], r.Vals[a:b]
}

// AppendRow appends one row.
func (r *Rows) AppendRow(cols, vals []uint16) {
	if len(r.Ptr) == 0 {
		r.Ptr = append(r.Ptr, 0)
	}
	r.Cols = append(r.Cols, cols...)
	r.Vals = append(r.Vals, vals...)
	r.Ptr = append(r.Ptr, int32(len(r.Cols)))
}

// Inputs are everything one epoch of one subnet mechanism reads (spec/yuma.md §2). Per-uid slices have
// length N unless stated; the engine never modifies them.
type Inputs struct {
	N int // SubnetworkN

	// HasKey[i] reports whether uid i has a hotkey; nil means every uid < N has one. Uids without a key
	// have no stake and registration block 0, and get no bonds row written.
	HasKey []bool

	// AlphaStake and RootStake are the inherited alpha and root (TAO) stakes in rao, after the child/parent
	// adjustment (spec/yuma.md §3.2 step 1). RootStake may be nil (all zero).
	AlphaStake []uint64
	RootStake  []uint64

	// OwnerUID is the uid of SubnetOwnerHotkey, or NoOwner.
	OwnerUID int

	// LastUpdate is the LastUpdate vector as stored: any length (shorter vectors are padded with 0 up to N).
	LastUpdate []uint64
	// BlockAtRegistration per uid (0 for uids without a key).
	BlockAtRegistration []uint64
	// ValidatorPermit is the stored permit vector written by the previous epoch; a missing entry means no
	// permit.
	ValidatorPermit []bool

	// Weights are the stored weight rows (row = validator uid), u16 max-upscaled values in submitted order
	// with explicit zeros kept. Bonds are the stored bond rows: classic mode column-max-upscaled u16, Yuma3
	// proportion × 65535. Rows past N and weight columns ≥ N are ignored.
	Weights Rows
	Bonds   Rows

	CurrentBlock           uint64
	LastMechanismStepBlock uint64 // LastMechansimStepBlock: block of the previous epoch, 0 before the first
	RaoEmission            uint64 // alpha emitted by this epoch, in rao

	// CommitBlocks[i] is the earliest commit block among uid i's unexpired weight commits (u64::MAX: none).
	// Used only when Params.CommitReveal; nil means no commits.
	CommitBlocks []uint64

	Params Params
}

// Outputs are what the chain stores after the epoch (spec/yuma.md §3.12), per uid, plus rank and trust
// computed as the chain did before they were deprecated (rank = u16 of the normalised ranks R, which equals
// incentive; trust = u16 of R / pre-clip ranks).
type Outputs struct {
	Incentive, Dividends, Consensus, ValidatorTrust, StakeWeight []uint16
	Rank, Trust                                                  []uint16
	Active                                                       []bool   // length N
	ValidatorPermit                                              []bool   // the new permits, to be stored
	Emission                                                     []uint64 // combined emission (rao), stored
	ServerEmission, ValidatorEmission                            []uint64 // returned to the coinbase (rao)

	// Bonds holds one row per uid; BondsWrite[i] says whether row i replaces the stored bonds row (an empty
	// row clears it). Where BondsWrite[i] is false the stored row stays as it is (dense mode, uids that
	// neither had nor got a permit; uids without a key).
	Bonds      Rows
	BondsWrite []bool
}

// ErrInputs is wrapped by every input validation error.
var ErrInputs = errors.New("invalid epoch inputs")

func (in *Inputs) validate() error {
	n := in.N
	if n < 0 || n > 65535 {
		return fmt.Errorf("%w: N = %d out of range [0, 65535]", ErrInputs, n)
	}
	check := func(name string, l int, optional bool) error {
		if optional && l == 0 {
			return nil
		}
		if l != n {
			return fmt.Errorf("%w: len(%s) = %d, want N = %d", ErrInputs, name, l, n)
		}
		return nil
	}
	if err := check("HasKey", len(in.HasKey), in.HasKey == nil); err != nil {
		return err
	}
	if err := check("AlphaStake", len(in.AlphaStake), false); err != nil {
		return err
	}
	if err := check("RootStake", len(in.RootStake), in.RootStake == nil); err != nil {
		return err
	}
	if err := check("BlockAtRegistration", len(in.BlockAtRegistration), false); err != nil {
		return err
	}
	if in.CommitBlocks != nil {
		if err := check("CommitBlocks", len(in.CommitBlocks), false); err != nil {
			return err
		}
	}
	for _, m := range []struct {
		name string
		r    *Rows
	}{{"Weights", &in.Weights}, {"Bonds", &in.Bonds}} {
		r := m.r
		if len(r.Ptr) == 0 {
			if len(r.Cols) != 0 || len(r.Vals) != 0 {
				return fmt.Errorf("%w: %s has entries but no Ptr", ErrInputs, m.name)
			}
			continue
		}
		if len(r.Cols) != len(r.Vals) {
			return fmt.Errorf("%w: %s: len(Cols) = %d, len(Vals) = %d", ErrInputs, m.name, len(r.Cols), len(r.Vals))
		}
		if r.Ptr[0] != 0 || int(r.Ptr[len(r.Ptr)-1]) != len(r.Cols) {
			return fmt.Errorf("%w: %s: Ptr must start at 0 and end at len(Cols)", ErrInputs, m.name)
		}
		for i := 1; i < len(r.Ptr); i++ {
			if r.Ptr[i] < r.Ptr[i-1] {
				return fmt.Errorf("%w: %s: Ptr decreases at row %d", ErrInputs, m.name, i-1)
			}
		}
	}
	if in.OwnerUID < NoOwner || in.OwnerUID >= n && in.OwnerUID != NoOwner {
		return fmt.Errorf("%w: OwnerUID = %d, want a uid < N or NoOwner", ErrInputs, in.OwnerUID)
	}
	return nil
}

// Run runs one epoch in the given mode.
func Run(in *Inputs, mode Mode) (*Outputs, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	switch mode {
	case Sparse:
		return epochSparse(in), nil
	case Dense:
		return epochDense(in), nil
	}
	return nil, fmt.Errorf("%w: unknown mode %d", ErrInputs, mode)
}

// Epoch runs the production (sparse) epoch.
func Epoch(in *Inputs) (*Outputs, error) { return Run(in, Sparse) }
