// Package sim replays Yuma Consensus scenario files (the yuma-golden/v1 schema of golden/README.md) on the
// chain/yuma engine: it keeps the subnet state the epoch reads, applies each step, runs the epochs and checks
// every expectation. It is the engine behind `gotensor sim run`.
package sim

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Schema names.
const (
	SchemaScenario  = "yuma-golden/v1"
	SchemaPrimitive = "yuma-golden-primitive/v1"
)

// File is one decoded scenario file.
type File struct {
	Schema string
	Name   string
	Cases  []Case
	// Primitive is set for a yuma-golden-primitive/v1 file that holds a single compute_bonds check (the
	// liquid-alpha self-comparison); other primitive files are the fixed-point package's vectors.
	Primitive *ComputeBondsCheck
}

// Case is one scenario: a subnet built from empty by its steps.
type Case struct {
	Name         string
	Hyper        Hyperparameters
	InitialBlock uint64
	Steps        []Step
}

// Hyperparameters are a case's effective subnet and global parameters (golden/README.md §1).
type Hyperparameters struct {
	Tempo                     uint16
	ActivityCutoffFactorMilli uint32
	Kappa                     uint16
	BondsPenalty              uint16
	BondsMovingAverage        uint64
	LiquidAlphaEnabled        bool
	Yuma3Enabled              bool
	AlphaLow, AlphaHigh       uint16
	AlphaSigmoidSteepness     int16
	MaxAllowedValidators      uint16
	BondsResetEnabled         bool
	CommitRevealEnabled       bool
	StakeThreshold            uint64
	TaoWeightRaw              uint64
	SubnetOwnerUID            int // -1: none
	LastMechanismStepBlock    uint64
}

// DefaultHyperparameters are used for keys a case leaves out: a new subnet's values (spec/yuma.md §10) with
// the test mock's tempo and commit-reveal off.
func DefaultHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo: 360, ActivityCutoffFactorMilli: 13889, Kappa: 32767, BondsPenalty: 65535, BondsMovingAverage: 900000,
		Yuma3Enabled: true, AlphaLow: 45875, AlphaHigh: 58982, AlphaSigmoidSteepness: 1000, MaxAllowedValidators: 64,
		SubnetOwnerUID: -1,
	}
}

// Op is a step operation.
type Op uint8

// The step operations of golden/README.md §1.
const (
	OpSetBlock Op = iota + 1
	OpRegister
	OpRegisterMany
	OpReplace
	OpSetStake
	OpSetWeights
	OpSetWeightsMany
	OpSetSelfWeights
	OpInsertWeightsRaw
	OpSetLastUpdate
	OpSetValidatorPermits
	OpSetHyperparameter
	OpResetBonds
	OpEpoch
)

var opNames = map[string]Op{
	"set_block": OpSetBlock, "register": OpRegister, "register_many": OpRegisterMany, "replace": OpReplace,
	"set_stake": OpSetStake, "set_weights": OpSetWeights, "set_weights_many": OpSetWeightsMany,
	"set_self_weights": OpSetSelfWeights, "insert_weights_raw": OpInsertWeightsRaw,
	"set_last_update": OpSetLastUpdate, "set_validator_permits": OpSetValidatorPermits,
	"set_hyperparameter": OpSetHyperparameter, "reset_bonds": OpResetBonds, "epoch": OpEpoch,
}

func (o Op) String() string {
	for k, v := range opNames {
		if v == o {
			return k
		}
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// Step is one step; which fields are meaningful depends on Op.
type Step struct {
	Op Op

	Block             uint64 // set_block
	UID               int    // register, replace, set_stake, set_weights, insert_weights_raw, reset_bonds
	AlphaStake        uint64 // register, replace, set_stake
	RegistrationBlock *uint64

	FirstUID    int      // register_many
	AlphaStakes []uint64 // register_many

	UIDs         []int    // set_weights_many, set_self_weights
	Dests        []uint16 // set_weights(_many)
	Values       []uint16 // set_weights(_many)
	Stored       *Row     // set_weights: the expected stored row
	StoredValues []uint16 // set_weights_many
	Value        uint16   // set_self_weights
	StoredValue  *uint16  // set_self_weights
	Row          Row      // insert_weights_raw

	LastUpdate []uint64 // set_last_update
	Permits    []bool   // set_validator_permits

	HyperName  string // set_hyperparameter
	HyperValue Number

	Mode        string // epoch: sparse or dense
	RaoEmission uint64
	Expect      []Expect
	Derived     *Derived
}

// Row is a sparse u16 row in stored order.
type Row struct {
	Cols []uint16
	Vals []uint16
}

// Number is a JSON scalar: an integer, a float, a boolean or null.
type Number struct {
	Kind  NumKind
	Int   int64 // KindInt, KindBool (0/1)
	Uint  uint64
	Float float64 // always set for numbers
	Text  string
}

// NumKind is the kind of a Number.
type NumKind uint8

// Number kinds.
const (
	KindNone NumKind = iota
	KindInt
	KindFloat
	KindBool
	KindNull
)

// Expect is one expectation of an epoch step. UIDs (from uid or uids) or Rows (from row or rows, with Col)
// list what it applies to.
type Expect struct {
	Field    string
	UIDs     []int
	Rows     []int
	Col      int
	Cmp      string
	Value    Number
	Ref      string
	Tol      Number
	Capture  string
	OtherUID int
}

// Derived is a derived_reference: every stored output after the epoch, from the reference model.
type Derived struct {
	Fields map[string][]uint64 // per-uid numeric and boolean (0/1) fields
	Bonds  [][]uint16          // bonds_u16, nil if absent
}

// ComputeBondsCheck is the primitive compute_bonds check of
// epoch_test_liquid_alpha_equal_values_against_itself.json.
type ComputeBondsCheck struct {
	Weights, Bonds     [][]int64
	Consensus          []int64
	AlphaLow           uint16
	AlphaHigh          uint16
	Steepness          int16
	BondsMovingAverage uint64
	TolBits            int64
	RefOn, RefOff      [][]int64
}

// Decode decodes a scenario file. Errors name the case, the step and the field, with the line and column.
func Decode(data []byte) (*File, error) {
	s := &scanner{data: data}
	f := &File{}
	var casesAt = -1
	var primitive, casesDone bool
	decodeCases := func() error {
		return s.array(func(ci int) error {
			c, err := decodeCase(s, ci)
			if err != nil {
				return err
			}
			f.Cases = append(f.Cases, c)
			return nil
		})
	}
	// The schema decides how the rest is read: "cases" is decoded at once when the schema came first,
	// otherwise its position is noted and it is decoded after the schema is known.
	err := s.object(func(key string) error {
		switch key {
		case "schema":
			v, err := s.str()
			f.Schema = v
			return err
		case "name":
			v, err := s.str()
			f.Name = v
			return err
		case "cases":
			if f.Schema == SchemaScenario {
				casesDone = true
				return decodeCases()
			}
			casesAt = s.pos
		}
		return s.skip()
	})
	if err != nil {
		return nil, err
	}
	if s.peek() != 0 {
		return nil, s.errf("data after the top-level object")
	}
	switch f.Schema {
	case SchemaScenario:
	case SchemaPrimitive:
		primitive = true
	case "":
		return nil, errors.New(`missing "schema" (want "` + SchemaScenario + `")`)
	default:
		return nil, fmt.Errorf("unsupported schema %q (want %q)", f.Schema, SchemaScenario)
	}
	if primitive {
		return decodePrimitive(data, f)
	}
	if casesDone {
		return f, nil
	}
	if casesAt < 0 {
		return nil, errors.New(`missing "cases"`)
	}
	s.pos = casesAt
	if err := decodeCases(); err != nil {
		return nil, err
	}
	return f, nil
}

func decodeCase(s *scanner, ci int) (Case, error) {
	c := Case{Hyper: DefaultHyperparameters()}
	var stepsAt = -1
	start := s.pos
	err := s.object(func(key string) error {
		switch key {
		case "case":
			v, err := s.str()
			c.Name = v
			return err
		case "hyperparameters":
			return decodeHyper(s, &c.Hyper)
		case "initial_block":
			v, err := s.uint(math.MaxUint64)
			c.InitialBlock = v
			return err
		case "steps":
			stepsAt = s.pos
		}
		return s.skip()
	})
	where := fmt.Sprintf("case %d", ci)
	if c.Name != "" {
		where = fmt.Sprintf("case %d (%q)", ci, c.Name)
	}
	if err != nil {
		return c, fmt.Errorf("%s: %w", where, err)
	}
	if stepsAt < 0 {
		s.pos = start
		return c, fmt.Errorf("%s: %w", where, s.errf(`missing "steps"`))
	}
	end := s.pos
	s.pos = stepsAt
	err = s.array(func(si int) error {
		st, err := decodeStep(s)
		if err != nil {
			return fmt.Errorf("%s: step %d: %w", where, si, err)
		}
		c.Steps = append(c.Steps, st)
		return nil
	})
	s.pos = end
	return c, err
}

func fieldErr(key string, err error) error {
	return fmt.Errorf("field %q: %w", key, err)
}

func decodeHyper(s *scanner, h *Hyperparameters) error {
	return s.object(func(key string) error {
		if err := setHyper(s, h, key); err != nil {
			return fmt.Errorf("hyperparameters: %w", err)
		}
		return nil
	})
}

// setHyper reads the value at s into the hyperparameter key.
func setHyper(s *scanner, h *Hyperparameters, key string) error {
	var err error
	u := func(max uint64) uint64 {
		var v uint64
		v, err = s.uint(max)
		return v
	}
	b := func() bool {
		var v bool
		v, err = s.bool()
		return v
	}
	switch key {
	case "tempo":
		h.Tempo = uint16(u(math.MaxUint16))
	case "activity_cutoff_factor_milli":
		h.ActivityCutoffFactorMilli = uint32(u(math.MaxUint32))
	case "kappa":
		h.Kappa = uint16(u(math.MaxUint16))
	case "bonds_penalty":
		h.BondsPenalty = uint16(u(math.MaxUint16))
	case "bonds_moving_average":
		h.BondsMovingAverage = u(math.MaxUint64)
	case "liquid_alpha_enabled":
		h.LiquidAlphaEnabled = b()
	case "yuma3_enabled":
		h.Yuma3Enabled = b()
	case "alpha_low":
		h.AlphaLow = uint16(u(math.MaxUint16))
	case "alpha_high":
		h.AlphaHigh = uint16(u(math.MaxUint16))
	case "alpha_sigmoid_steepness":
		var v int64
		v, err = s.int(math.MinInt16, math.MaxInt16)
		h.AlphaSigmoidSteepness = int16(v)
	case "max_allowed_validators":
		h.MaxAllowedValidators = uint16(u(math.MaxUint16))
	case "bonds_reset_enabled":
		h.BondsResetEnabled = b()
	case "commit_reveal_enabled":
		h.CommitRevealEnabled = b()
	case "stake_threshold":
		h.StakeThreshold = u(math.MaxUint64)
	case "tao_weight_raw":
		h.TaoWeightRaw = u(math.MaxUint64)
	case "subnet_owner_uid":
		if s.null() {
			h.SubnetOwnerUID = -1
		} else {
			h.SubnetOwnerUID = int(u(math.MaxUint16))
		}
	case "last_mechanism_step_block":
		h.LastMechanismStepBlock = u(math.MaxUint64)
	default:
		return fmt.Errorf("unknown hyperparameter %q", key)
	}
	if err != nil {
		return fieldErr(key, err)
	}
	return nil
}

// span is a member of an object: its name and where its value starts.
type span struct {
	key string
	at  int
}

var errOpNotFirst = errors.New("op not first")

func decodeStep(s *scanner) (Step, error) {
	var st Step
	st.UID = -1
	seen := map[string]bool{}
	var name string
	start := s.pos
	// Fast path: "op" comes first (as in every file we write), so each field is decoded in one pass.
	first := true
	err := s.object(func(key string) error {
		if first {
			first = false
			if key != "op" {
				return errOpNotFirst
			}
			v, err := s.str()
			if err != nil {
				return fieldErr("op", err)
			}
			op, ok := opNames[v]
			if !ok {
				return fmt.Errorf("field \"op\": unknown op %q", v)
			}
			st.Op, name = op, v
			return nil
		}
		if key == "op" {
			return fmt.Errorf("%s: duplicate field \"op\"", name)
		}
		if key == "note" {
			return s.skip()
		}
		seen[key] = true
		if err := decodeStepField(s, &st, key); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
	if err == errOpNotFirst {
		s.pos = start
		st, name, err = decodeStepSpans(s, seen)
	}
	if err != nil {
		return st, err
	}
	if first {
		return st, errors.New(`missing "op"`)
	}
	op := st.Op
	need := func(keys ...string) error {
		for _, k := range keys {
			if !seen[k] {
				return fmt.Errorf("%s: missing field %q", name, k)
			}
		}
		return nil
	}
	switch op {
	case OpSetBlock:
		err = need("block")
	case OpRegister, OpReplace, OpSetStake:
		err = need("uid", "alpha_stake")
	case OpRegisterMany:
		err = need("first_uid", "alpha_stakes")
	case OpSetWeights:
		err = need("uid", "dests", "values")
		if err == nil && len(st.Dests) != len(st.Values) {
			err = fmt.Errorf("%s: field \"values\": %d values for %d dests", name, len(st.Values), len(st.Dests))
		}
	case OpSetWeightsMany:
		err = need("uids", "dests", "values")
		if err == nil && len(st.Dests) != len(st.Values) {
			err = fmt.Errorf("%s: field \"values\": %d values for %d dests", name, len(st.Values), len(st.Dests))
		}
	case OpSetSelfWeights:
		err = need("uids", "value")
	case OpInsertWeightsRaw:
		err = need("uid", "row")
	case OpSetLastUpdate, OpSetValidatorPermits:
		err = need("values")
	case OpSetHyperparameter:
		err = need("name", "value")
		if err == nil {
			var h Hyperparameters
			if herr := setHyperNumber(&h, st.HyperName, st.HyperValue); herr != nil {
				err = fmt.Errorf("%s: %w", name, herr)
			}
		}
	case OpResetBonds:
		err = need("uid")
	case OpEpoch:
		if st.Mode == "" {
			st.Mode = "sparse"
		}
	}
	return st, err
}

// decodeStepSpans decodes a step whose "op" is not its first member: it notes where each member starts,
// reads the op, then decodes the members.
func decodeStepSpans(s *scanner, seen map[string]bool) (Step, string, error) {
	var st Step
	st.UID = -1
	var spans []span
	opAt := -1
	err := s.object(func(key string) error {
		if key == "op" {
			opAt = len(spans)
		}
		spans = append(spans, span{key, s.pos})
		return s.skip()
	})
	if err != nil {
		return st, "", err
	}
	end := s.pos
	defer func() { s.pos = end }()
	if opAt < 0 {
		return st, "", errors.New(`missing "op"`)
	}
	s.pos = spans[opAt].at
	name, err := s.str()
	if err != nil {
		return st, "", fieldErr("op", err)
	}
	op, ok := opNames[name]
	if !ok {
		return st, "", fmt.Errorf("field \"op\": unknown op %q", name)
	}
	st.Op = op
	for _, sp := range spans {
		if sp.key == "op" || sp.key == "note" {
			continue
		}
		s.pos = sp.at
		seen[sp.key] = true
		if err := decodeStepField(s, &st, sp.key); err != nil {
			return st, name, fmt.Errorf("%s: %w", name, err)
		}
	}
	return st, name, nil
}

func decodeStepField(s *scanner, st *Step, key string) error {
	var err error
	switch {
	case key == "block" && st.Op == OpSetBlock:
		st.Block, err = s.uint(math.MaxUint64)
	case key == "uid":
		var v uint64
		v, err = s.uint(math.MaxUint16)
		st.UID = int(v)
	case key == "alpha_stake":
		st.AlphaStake, err = s.uint(math.MaxUint64)
	case key == "registration_block":
		var v uint64
		v, err = s.uint(math.MaxUint64)
		st.RegistrationBlock = &v
	case key == "first_uid":
		var v uint64
		v, err = s.uint(math.MaxUint16)
		st.FirstUID = int(v)
	case key == "alpha_stakes":
		st.AlphaStakes, err = s.uints(math.MaxUint64)
	case key == "uids":
		var v []uint64
		v, err = s.uints(math.MaxUint16)
		st.UIDs = make([]int, len(v))
		for i, x := range v {
			st.UIDs[i] = int(x)
		}
	case key == "dests":
		st.Dests, err = s.u16s()
	case key == "values" && (st.Op == OpSetWeights || st.Op == OpSetWeightsMany):
		st.Values, err = s.u16s()
	case key == "values" && st.Op == OpSetLastUpdate:
		st.LastUpdate, err = s.uints(math.MaxUint64)
	case key == "values" && st.Op == OpSetValidatorPermits:
		st.Permits, err = s.bools()
	case key == "stored" && st.Op == OpSetWeights:
		var r Row
		r, err = decodeRow(s)
		st.Stored = &r
	case key == "row" && st.Op == OpInsertWeightsRaw:
		st.Row, err = decodeRow(s)
	case key == "stored_values":
		st.StoredValues, err = s.u16s()
	case key == "value" && st.Op == OpSetSelfWeights:
		var v uint64
		v, err = s.uint(math.MaxUint16)
		st.Value = uint16(v)
	case key == "stored_value":
		var v uint64
		v, err = s.uint(math.MaxUint16)
		x := uint16(v)
		st.StoredValue = &x
	case key == "name" && st.Op == OpSetHyperparameter:
		st.HyperName, err = s.str()
	case key == "value" && st.Op == OpSetHyperparameter:
		st.HyperValue, err = decodeNumber(s)
	case key == "mode" && st.Op == OpEpoch:
		st.Mode, err = s.str()
		if err == nil && st.Mode != "sparse" && st.Mode != "dense" {
			err = fmt.Errorf("unknown mode %q (want sparse or dense)", st.Mode)
		}
	case key == "rao_emission":
		st.RaoEmission, err = s.uint(math.MaxUint64)
	case key == "expect":
		err = s.array(func(i int) error {
			e, err := decodeExpect(s)
			if err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
			st.Expect = append(st.Expect, e)
			return nil
		})
	case key == "derived_reference":
		st.Derived, err = decodeDerived(s)
	case key == "informational_bond_targets_not_asserted":
		err = s.skip()
	default:
		return fmt.Errorf("unknown field %q", key)
	}
	if err != nil {
		return fieldErr(key, err)
	}
	return nil
}

func decodeRow(s *scanner) (Row, error) {
	var r Row
	err := s.array(func(int) error {
		var pair [2]uint64
		n := 0
		err := s.array(func(k int) error {
			if k >= 2 {
				return s.errf("want a [uid, value] pair")
			}
			v, err := s.uint(math.MaxUint16)
			pair[k] = v
			n++
			return err
		})
		if err == nil && n != 2 {
			err = s.errf("want a [uid, value] pair")
		}
		r.Cols = append(r.Cols, uint16(pair[0]))
		r.Vals = append(r.Vals, uint16(pair[1]))
		return err
	})
	return r, err
}

func decodeNumber(s *scanner) (Number, error) {
	switch s.peek() {
	case 't', 'f':
		b, err := s.bool()
		n := Number{Kind: KindBool, Text: fmt.Sprint(b)}
		if b {
			n.Int, n.Uint, n.Float = 1, 1, 1
		}
		return n, err
	case 'n':
		if s.null() {
			return Number{Kind: KindNull, Text: "null"}, nil
		}
	}
	raw, err := s.number()
	if err != nil {
		return Number{}, err
	}
	n := Number{Text: string(raw)}
	n.Float, _ = strconv.ParseFloat(n.Text, 64)
	if i, ok := parseInt(raw); ok {
		n.Kind = KindInt
		n.Int = i
		if i >= 0 {
			n.Uint = uint64(i)
		}
	} else if u, ok := parseUint(raw); ok {
		n.Kind = KindInt
		n.Uint = u
		n.Int = math.MaxInt64
	} else {
		n.Kind = KindFloat
	}
	return n, nil
}

func decodeExpect(s *scanner) (Expect, error) {
	e := Expect{Col: -1, OtherUID: -1}
	hasRow := false
	err := s.object(func(key string) error {
		var err error
		switch key {
		case "field":
			e.Field, err = s.str()
		case "uid":
			var v uint64
			v, err = s.uint(math.MaxUint16)
			e.UIDs = []int{int(v)}
		case "uids":
			var v []uint64
			v, err = s.uints(math.MaxUint16)
			for _, x := range v {
				e.UIDs = append(e.UIDs, int(x))
			}
		case "row":
			var v uint64
			v, err = s.uint(math.MaxUint16)
			e.Rows = []int{int(v)}
			hasRow = true
		case "rows":
			var v []uint64
			v, err = s.uints(math.MaxUint16)
			for _, x := range v {
				e.Rows = append(e.Rows, int(x))
			}
			hasRow = true
		case "col":
			var v uint64
			v, err = s.uint(math.MaxUint16)
			e.Col = int(v)
		case "cmp":
			e.Cmp, err = s.str()
		case "value":
			e.Value, err = decodeNumber(s)
		case "ref":
			e.Ref, err = s.str()
		case "tol":
			e.Tol, err = decodeNumber(s)
		case "capture":
			e.Capture, err = s.str()
		case "other_uid":
			var v uint64
			v, err = s.uint(math.MaxUint16)
			e.OtherUID = int(v)
		case "note":
			err = s.skip()
		default:
			return fmt.Errorf("unknown field %q", key)
		}
		if err != nil {
			return fieldErr(key, err)
		}
		return nil
	})
	if err != nil {
		return e, err
	}
	if e.Field == "" {
		return e, errors.New(`missing field "field"`)
	}
	switch e.Cmp {
	case "eq", "gt", "ge", "le", "lt", "abs_diff_le", "approx_u16_proportion":
		if e.Value.Kind == KindNone && e.Ref == "" {
			return e, fmt.Errorf("cmp %q needs \"value\" or \"ref\"", e.Cmp)
		}
	case "eq_field":
		if e.OtherUID < 0 {
			return e, errors.New(`cmp "eq_field" needs "other_uid"`)
		}
	case "":
		return e, errors.New(`missing field "cmp"`)
	default:
		return e, fmt.Errorf("field \"cmp\": unknown comparison %q", e.Cmp)
	}
	if (e.Cmp == "abs_diff_le" || e.Cmp == "approx_u16_proportion") && e.Tol.Kind == KindNone {
		return e, fmt.Errorf("cmp %q needs \"tol\"", e.Cmp)
	}
	if e.Field == "bond" {
		if !hasRow || e.Col < 0 {
			return e, errors.New(`field "bond" needs "row" (or "rows") and "col"`)
		}
	} else if e.Field != "sum_server_plus_validator_emission" && len(e.UIDs) == 0 {
		return e, fmt.Errorf("field %q needs \"uid\" or \"uids\"", e.Field)
	}
	return e, nil
}

// derivedU16 are the derived_reference per-uid fields; the booleans read as 0/1.
var derivedFields = map[string]bool{
	"emission": true, "server_emission": true, "validator_emission": true, "incentive": true, "dividends": true,
	"consensus": true, "validator_trust": true, "stake_weight": true, "validator_permit": true, "active": true,
	"rank": true, "trust": true,
}

func decodeDerived(s *scanner) (*Derived, error) {
	d := &Derived{Fields: map[string][]uint64{}}
	err := s.object(func(key string) error {
		var err error
		switch {
		case key == "note":
			err = s.skip()
		case key == "bonds_u16":
			d.Bonds = [][]uint16{}
			err = s.array(func(int) error {
				r, err := s.u16s()
				d.Bonds = append(d.Bonds, r)
				return err
			})
		case derivedFields[key]:
			var v []uint64
			err = s.array(func(int) error {
				if c := s.peek(); c == 't' || c == 'f' {
					b, err := s.bool()
					if b {
						v = append(v, 1)
					} else {
						v = append(v, 0)
					}
					return err
				}
				x, err := s.uint(math.MaxUint64)
				v = append(v, x)
				return err
			})
			d.Fields[key] = v
		default:
			return fmt.Errorf("unknown field %q", key)
		}
		if err != nil {
			return fieldErr(key, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("derived_reference: %w", err)
	}
	return d, nil
}

func parseInt(raw []byte) (int64, bool) {
	var v int64
	neg := false
	i := 0
	if len(raw) > 0 && raw[0] == '-' {
		neg = true
		i = 1
	}
	if i >= len(raw) || len(raw)-i > 18 {
		return 0, false
	}
	for ; i < len(raw); i++ {
		c := raw[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func parseUint(raw []byte) (uint64, bool) {
	if len(raw) == 0 || len(raw) > 20 {
		return 0, false
	}
	var v uint64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

// setHyperNumber applies a set_hyperparameter value.
func setHyperNumber(h *Hyperparameters, name string, v Number) error {
	var data []byte
	switch v.Kind {
	case KindNull:
		data = []byte("null")
	default:
		data = []byte(v.Text)
	}
	s := &scanner{data: data}
	if err := setHyper(s, h, name); err != nil {
		return err
	}
	if s.peek() != 0 {
		return fmt.Errorf("field \"value\": invalid value %s for %q", v.Text, name)
	}
	return nil
}

func decodePrimitive(data []byte, f *File) (*File, error) {
	s := &scanner{data: data}
	var fn string
	var chk ComputeBondsCheck
	var haveInputs, haveExpected bool
	err := s.object(func(key string) error {
		switch key {
		case "function":
			v, err := s.str()
			fn = v
			return err
		case "functions":
			fn = "(several)"
			return s.skip()
		case "inputs":
			haveInputs = true
			return s.object(func(k string) error {
				var err error
				switch k {
				case "weights":
					chk.Weights, err = decodeBitsMatrix(s)
				case "bonds":
					chk.Bonds, err = decodeBitsMatrix(s)
				case "consensus":
					err = s.object(func(k2 string) error {
						if k2 != "bits" {
							return s.skip()
						}
						return s.array(func(int) error {
							v, err := s.int(math.MinInt64, math.MaxInt64)
							chk.Consensus = append(chk.Consensus, v)
							return err
						})
					})
				case "alpha_low_u16":
					var v uint64
					v, err = s.uint(math.MaxUint16)
					chk.AlphaLow = uint16(v)
				case "alpha_high_u16":
					var v uint64
					v, err = s.uint(math.MaxUint16)
					chk.AlphaHigh = uint16(v)
				case "alpha_sigmoid_steepness":
					var v int64
					v, err = s.int(math.MinInt16, math.MaxInt16)
					chk.Steepness = int16(v)
				case "bonds_moving_average":
					chk.BondsMovingAverage, err = s.uint(math.MaxUint64)
				default:
					err = s.skip()
				}
				if err != nil {
					return fmt.Errorf("inputs: %w", fieldErr(k, err))
				}
				return nil
			})
		case "expected":
			haveExpected = true
			return s.object(func(k string) error {
				if k != "tol_bits" {
					return s.skip()
				}
				v, err := s.int(0, math.MaxInt64)
				chk.TolBits = v
				return err
			})
		case "derived_reference":
			return s.object(func(k string) error {
				var err error
				switch k {
				case "liquid_alpha_on_bits":
					chk.RefOn, err = decodeIntMatrix(s)
				case "liquid_alpha_off_bits":
					chk.RefOff, err = decodeIntMatrix(s)
				default:
					err = s.skip()
				}
				if err != nil {
					return fmt.Errorf("derived_reference: %w", fieldErr(k, err))
				}
				return nil
			})
		}
		return s.skip()
	})
	if err != nil {
		return nil, err
	}
	if !(fn == "compute_bonds (dense Yuma3 bond EMA)" || fn == "compute_bonds") || !haveInputs || !haveExpected {
		return nil, fmt.Errorf("schema %s: only the compute_bonds check is supported by sim (function %q); "+
			"the other primitive vectors are chain/yuma's math tests", SchemaPrimitive, fn)
	}
	if len(chk.Weights) != len(chk.Bonds) || len(chk.Weights) == 0 {
		return nil, errors.New("inputs: weights and bonds must have the same non-zero number of rows")
	}
	cols := len(chk.Weights[0])
	for i := range chk.Weights {
		if len(chk.Weights[i]) != cols || len(chk.Bonds[i]) != cols {
			return nil, fmt.Errorf("inputs: row %d: weights and bonds rows must all have %d entries", i, cols)
		}
	}
	// compute_liquid_alpha_values zips each row with consensus, so extra consensus entries are unused.
	if len(chk.Consensus) < cols {
		return nil, fmt.Errorf("inputs: consensus has %d entries for %d columns", len(chk.Consensus), cols)
	}
	chk.Consensus = chk.Consensus[:cols]
	f.Primitive = &chk
	return f, nil
}

func decodeBitsMatrix(s *scanner) ([][]int64, error) {
	var m [][]int64
	err := s.object(func(k string) error {
		if k != "bits" {
			return s.skip()
		}
		var err error
		m, err = decodeIntMatrix(s)
		return err
	})
	return m, err
}

func decodeIntMatrix(s *scanner) ([][]int64, error) {
	m := [][]int64{}
	err := s.array(func(int) error {
		var r []int64
		err := s.array(func(int) error {
			v, err := s.int(math.MinInt64, math.MaxInt64)
			r = append(r, v)
			return err
		})
		m = append(m, r)
		return err
	})
	return m, err
}
