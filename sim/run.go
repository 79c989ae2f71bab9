package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gotensor/gotensor/chain/yuma"
)

// NotApplicableRankTrust is how expectations on the deprecated rank and trust getters are reported: the
// chain's getters always return 0, while gotensor computes rank and trust as the older chain did.
const NotApplicableRankTrust = "not applicable: gotensor computes rank/trust"

// Options control a run.
type Options struct {
	// Mode, if set, overrides each epoch step's own mode.
	Mode *yuma.Mode
	// CheckDerived also compares every derived_reference (all outputs, bit for bit).
	CheckDerived bool
	// Record keeps every epoch's outputs in the result (for printing); RecordBonds also keeps a copy of
	// the stored bonds after each recorded epoch.
	Record      bool
	RecordBonds bool
}

// FileResult is the outcome of one file.
type FileResult struct {
	File  string
	Cases []CaseResult
}

// CaseResult is the outcome of one case.
type CaseResult struct {
	Case          string
	Epochs        []EpochRecord
	Passed        int // expectations that held
	Failed        int // expectations that did not hold, and inconsistent steps
	NotApplicable int // rank/trust expectations (NotApplicableRankTrust)
	DerivedPassed int // derived_reference fields that matched bit for bit (CheckDerived)
	DerivedFailed int
	Failures      []Failure
}

// EpochRecord is one epoch's outputs (kept with Options.Record).
type EpochRecord struct {
	Step  int // index of the epoch step in the case's steps
	Block uint64
	N     int
	Out   *yuma.Outputs
	Bonds yuma.Rows // the stored bonds rows after the epoch
}

// Failure is one failed expectation (or an inconsistency in a step).
type Failure struct {
	File, Case string
	Step       int
	Op         string
	Field      string
	UID        int // -1 if none
	Col        int // bond column, -1 if none
	Msg        string
}

func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: case %q: step %d (%s): %s", f.File, f.Case, f.Step, f.Op, f.Field)
	if f.UID >= 0 {
		if f.Col >= 0 {
			fmt.Fprintf(&b, " row %d col %d", f.UID, f.Col)
		} else {
			fmt.Fprintf(&b, " uid %d", f.UID)
		}
	}
	b.WriteString(": ")
	b.WriteString(f.Msg)
	return b.String()
}

// StepError is an error in a step that stops its case (for example a uid that does not exist).
type StepError struct {
	Case string
	Step int
	Op   string
	Err  error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("case %q: step %d (%s): %v", e.Case, e.Step, e.Op, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// RunFile decodes and runs one scenario file; name labels it in results and errors.
func RunFile(name string, data []byte, opts Options) (*FileResult, error) {
	f, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return Run(name, f, opts)
}

// Run runs a decoded file.
func Run(name string, f *File, opts Options) (*FileResult, error) {
	fr := &FileResult{File: name}
	if f.Primitive != nil {
		fr.Cases = append(fr.Cases, runComputeBonds(name, f.Primitive, opts))
		return fr, nil
	}
	for ci := range f.Cases {
		cr, err := runCase(name, &f.Cases[ci], opts)
		if err != nil {
			return fr, fmt.Errorf("%s: %w", name, err)
		}
		fr.Cases = append(fr.Cases, *cr)
	}
	return fr, nil
}

type snum struct {
	neg bool
	mag uint64
}

func (a snum) cmp(b snum) int {
	switch {
	case a.neg && !b.neg:
		if a.mag == 0 && b.mag == 0 {
			return 0
		}
		return -1
	case !a.neg && b.neg:
		if a.mag == 0 && b.mag == 0 {
			return 0
		}
		return 1
	}
	c := 0
	if a.mag < b.mag {
		c = -1
	} else if a.mag > b.mag {
		c = 1
	}
	if a.neg {
		c = -c
	}
	return c
}

func (a snum) String() string {
	if a.neg && a.mag != 0 {
		return fmt.Sprintf("-%d", a.mag)
	}
	return fmt.Sprint(a.mag)
}

func absDiff(a, b snum) uint64 {
	if a.neg == b.neg {
		if a.mag > b.mag {
			return a.mag - b.mag
		}
		return b.mag - a.mag
	}
	s := a.mag + b.mag
	if s < a.mag {
		return math.MaxUint64
	}
	return s
}

func numOf(n Number) (snum, bool) {
	switch n.Kind {
	case KindBool:
		return snum{mag: n.Uint}, true
	case KindInt:
		if n.Int < 0 {
			return snum{neg: true, mag: uint64(-n.Int)}, true
		}
		return snum{mag: n.Uint}, true
	}
	return snum{}, false
}

// state is the subnet as the epoch sees it.
type state struct {
	file, cas string
	hp        Hyperparameters
	block     uint64
	n         int
	alpha     []uint64
	bar       []uint64
	lu        []uint64
	permit    []bool
	weights   []Row
	bonds     []Row
	out       *yuma.Outputs
	captures  map[string]snum
	res       *CaseResult
	step      int
	op        string
}

func (s *state) fail(field string, uid, col int, format string, args ...any) {
	s.res.Failed++
	s.res.Failures = append(s.res.Failures, Failure{File: s.file, Case: s.cas, Step: s.step, Op: s.op, Field: field,
		UID: uid, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (s *state) uid(u int) error {
	if u < 0 || u >= s.n {
		return fmt.Errorf("field \"uid\": uid %d is not registered (n = %d)", u, s.n)
	}
	return nil
}

func setAt[T any](v []T, i int, x T) []T {
	for len(v) <= i {
		var z T
		v = append(v, z)
	}
	v[i] = x
	return v
}

func runCase(file string, c *Case, opts Options) (*CaseResult, error) {
	cr := &CaseResult{Case: c.Name}
	s := &state{file: file, cas: c.Name, hp: c.Hyper, block: c.InitialBlock, captures: map[string]snum{}, res: cr}
	for si := range c.Steps {
		st := &c.Steps[si]
		s.step, s.op = si, st.Op.String()
		if err := s.apply(st, opts); err != nil {
			return cr, &StepError{Case: c.Name, Step: si, Op: st.Op.String(), Err: err}
		}
	}
	return cr, nil
}

func (s *state) register(uid int, stake uint64, rb *uint64) error {
	if uid != s.n {
		return fmt.Errorf("field \"uid\": register appends a neuron, so uid must be n = %d, got %d", s.n, uid)
	}
	if s.n >= 65535 {
		return fmt.Errorf("subnet full")
	}
	b := s.block
	if rb != nil {
		b = *rb
	}
	s.n++
	s.alpha = append(s.alpha, stake)
	s.bar = append(s.bar, b)
	s.lu = setAt(s.lu, uid, b)
	s.permit = setAt(s.permit, uid, false)
	s.weights = append(s.weights, Row{})
	s.bonds = append(s.bonds, Row{})
	if o := s.out; o != nil {
		for _, v := range []*[]uint16{&o.Incentive, &o.Dividends, &o.Consensus, &o.ValidatorTrust, &o.StakeWeight, &o.Rank, &o.Trust} {
			*v = setAt(*v, uid, 0)
		}
		for _, v := range []*[]uint64{&o.Emission, &o.ServerEmission, &o.ValidatorEmission} {
			*v = setAt(*v, uid, 0)
		}
		o.Active = setAt(o.Active, uid, false)
		o.ValidatorPermit = setAt(o.ValidatorPermit, uid, false)
	}
	return nil
}

func (s *state) setWeights(uid int, dests, values []uint16, want []uint16, field string) error {
	if err := s.uid(uid); err != nil {
		return err
	}
	stored := yuma.VecU16MaxUpscaleToU16(values)
	if want != nil && !slices.Equal(stored, want) {
		s.fail(field, uid, -1, "stored weights %v, but the step says %v", stored, want)
	}
	s.weights[uid] = Row{Cols: slices.Clone(dests), Vals: stored}
	s.lu = setAt(s.lu, uid, s.block)
	return nil
}

func (s *state) apply(st *Step, opts Options) error {
	switch st.Op {
	case OpSetBlock:
		s.block = st.Block
	case OpRegister:
		return s.register(st.UID, st.AlphaStake, st.RegistrationBlock)
	case OpRegisterMany:
		for k, a := range st.AlphaStakes {
			if err := s.register(st.FirstUID+k, a, st.RegistrationBlock); err != nil {
				return err
			}
		}
	case OpReplace:
		u := st.UID
		if err := s.uid(u); err != nil {
			return err
		}
		s.bonds[u] = Row{}
		s.weights[u] = Row{}
		for i := range s.weights {
			r := &s.weights[i]
			for k, j := range r.Cols {
				if int(j) == u {
					r.Vals[k] = 0
				}
			}
		}
		if u < len(s.permit) {
			s.permit[u] = false
		}
		if o := s.out; o != nil && u < len(o.Emission) {
			o.Emission[u], o.Consensus[u], o.Incentive[u], o.Dividends[u] = 0, 0, 0, 0
			o.ValidatorTrust[u], o.StakeWeight[u] = 0, 0
		}
		s.bar[u] = s.block
		s.lu = setAt(s.lu, u, s.block)
		s.alpha[u] = st.AlphaStake
	case OpSetStake:
		if err := s.uid(st.UID); err != nil {
			return err
		}
		s.alpha[st.UID] = st.AlphaStake
	case OpSetWeights:
		var want []uint16
		if st.Stored != nil {
			if !slices.Equal(st.Stored.Cols, st.Dests) {
				s.fail("stored", st.UID, -1, "stored uids %v differ from dests %v", st.Stored.Cols, st.Dests)
			}
			want = st.Stored.Vals
		}
		return s.setWeights(st.UID, st.Dests, st.Values, want, "stored")
	case OpSetWeightsMany:
		for _, u := range st.UIDs {
			if err := s.setWeights(u, st.Dests, st.Values, st.StoredValues, "stored_values"); err != nil {
				return err
			}
		}
	case OpSetSelfWeights:
		for _, u := range st.UIDs {
			var want []uint16
			if st.StoredValue != nil {
				want = []uint16{*st.StoredValue}
			}
			if err := s.setWeights(u, []uint16{uint16(u)}, []uint16{st.Value}, want, "stored_value"); err != nil {
				return err
			}
		}
	case OpInsertWeightsRaw:
		if err := s.uid(st.UID); err != nil {
			return err
		}
		s.weights[st.UID] = Row{Cols: slices.Clone(st.Row.Cols), Vals: slices.Clone(st.Row.Vals)}
	case OpSetLastUpdate:
		s.lu = slices.Clone(st.LastUpdate)
	case OpSetValidatorPermits:
		s.permit = slices.Clone(st.Permits)
	case OpSetHyperparameter:
		return setHyperNumber(&s.hp, st.HyperName, st.HyperValue)
	case OpResetBonds:
		if err := s.uid(st.UID); err != nil {
			return err
		}
		if s.hp.BondsResetEnabled {
			for i := range s.bonds {
				r := s.bonds[i]
				var nr Row
				for k, j := range r.Cols {
					if int(j) != st.UID {
						nr.Cols = append(nr.Cols, j)
						nr.Vals = append(nr.Vals, r.Vals[k])
					}
				}
				s.bonds[i] = nr
			}
		}
	case OpEpoch:
		return s.epoch(st, opts)
	}
	return nil
}

func flatten(rows []Row) yuma.Rows {
	total := 0
	for _, r := range rows {
		total += len(r.Cols)
	}
	out := yuma.Rows{Ptr: make([]int32, 1, len(rows)+1), Cols: make([]uint16, 0, total), Vals: make([]uint16, 0, total)}
	for _, r := range rows {
		out.Cols = append(out.Cols, r.Cols...)
		out.Vals = append(out.Vals, r.Vals...)
		out.Ptr = append(out.Ptr, int32(len(out.Cols)))
	}
	return out
}

// inputs builds the epoch inputs from the current state.
func (s *state) inputs(rao uint64) *yuma.Inputs {
	h := &s.hp
	owner := h.SubnetOwnerUID
	if owner < 0 || owner >= s.n {
		owner = yuma.NoOwner
	}
	return &yuma.Inputs{
		N: s.n, AlphaStake: s.alpha, OwnerUID: owner, LastUpdate: s.lu, BlockAtRegistration: s.bar,
		ValidatorPermit: s.permit, Weights: flatten(s.weights), Bonds: flatten(s.bonds),
		CurrentBlock: s.block, LastMechanismStepBlock: h.LastMechanismStepBlock, RaoEmission: rao,
		Params: yuma.Params{
			Tempo: h.Tempo, ActivityCutoff: yuma.ActivityCutoffFromFactor(h.ActivityCutoffFactorMilli, h.Tempo),
			Kappa: h.Kappa, BondsPenalty: h.BondsPenalty, BondsMovingAverage: h.BondsMovingAverage,
			Yuma3: h.Yuma3Enabled, LiquidAlpha: h.LiquidAlphaEnabled, AlphaLow: h.AlphaLow, AlphaHigh: h.AlphaHigh,
			AlphaSigmoidSteepness: h.AlphaSigmoidSteepness, MaxAllowedValidators: h.MaxAllowedValidators,
			CommitReveal: h.CommitRevealEnabled, StakeThreshold: h.StakeThreshold, TaoWeight: h.TaoWeightRaw,
		},
	}
}

func (s *state) epoch(st *Step, opts Options) error {
	mode, err := yuma.ParseMode(st.Mode)
	if err != nil {
		return err
	}
	if opts.Mode != nil {
		mode = *opts.Mode
	}
	out, err := yuma.Run(s.inputs(st.RaoEmission), mode)
	if err != nil {
		return err
	}
	// Persist as the chain does.
	s.out = out
	s.permit = slices.Clone(out.ValidatorPermit)
	for i := 0; i < s.n; i++ {
		if out.BondsWrite[i] {
			cols, vals := out.Bonds.Row(i)
			s.bonds[i] = Row{Cols: slices.Clone(cols), Vals: slices.Clone(vals)}
		}
	}
	for _, e := range st.Expect {
		s.check(&e)
	}
	if opts.CheckDerived && st.Derived != nil {
		s.checkDerived(st.Derived)
	}
	if opts.Record {
		rec := EpochRecord{Step: s.step, Block: s.block, N: s.n, Out: out}
		if opts.RecordBonds {
			rec.Bonds = flatten(s.bonds)
		}
		s.res.Epochs = append(s.res.Epochs, rec)
	}
	return nil
}

// value reads a field after the epoch. na is set for rank and trust.
func (s *state) value(field string, uid, col int) (v snum, na bool, err error) {
	o := s.out
	if field == "sum_server_plus_validator_emission" {
		var sum uint64
		for i := range o.ServerEmission {
			sum += o.ServerEmission[i] + o.ValidatorEmission[i]
		}
		return snum{mag: sum}, false, nil
	}
	if uid < 0 || uid >= s.n {
		return v, false, fmt.Errorf("uid %d out of range (n = %d)", uid, s.n)
	}
	u16 := func(x []uint16) snum { return snum{mag: uint64(x[uid])} }
	b := func(x bool) snum {
		if x {
			return snum{mag: 1}
		}
		return snum{}
	}
	switch field {
	case "emission":
		return snum{mag: o.Emission[uid]}, false, nil
	case "server_emission":
		return snum{mag: o.ServerEmission[uid]}, false, nil
	case "validator_emission":
		return snum{mag: o.ValidatorEmission[uid]}, false, nil
	case "incentive":
		return u16(o.Incentive), false, nil
	case "dividends":
		return u16(o.Dividends), false, nil
	case "consensus":
		return u16(o.Consensus), false, nil
	case "validator_trust":
		return u16(o.ValidatorTrust), false, nil
	case "stake_weight":
		return u16(o.StakeWeight), false, nil
	case "validator_permit":
		return b(s.permit[uid]), false, nil
	case "active":
		return b(o.Active[uid]), false, nil
	case "rank", "trust":
		return v, true, nil
	case "bond":
		if col < 0 || col >= 65536 {
			return v, false, fmt.Errorf("bond column %d out of range", col)
		}
		r := s.bonds[uid]
		for k, j := range r.Cols {
			if int(j) == col {
				return snum{mag: uint64(r.Vals[k])}, false, nil
			}
		}
		return snum{}, false, nil
	}
	return v, false, fmt.Errorf("unknown field %q", field)
}

func (s *state) check(e *Expect) {
	targets := e.UIDs
	if e.Field == "bond" {
		targets = e.Rows
	}
	if e.Field == "sum_server_plus_validator_emission" {
		targets = []int{-1}
	}
	for _, uid := range targets {
		col := -1
		if e.Field == "bond" {
			col = e.Col
		}
		got, na, err := s.value(e.Field, uid, col)
		if na {
			s.res.NotApplicable++
			continue
		}
		if err != nil {
			s.fail(e.Field, uid, col, "%v", err)
			continue
		}
		if e.Capture != "" {
			s.captures[e.Capture] = got
		}
		ok, want := s.compare(e, got, uid, col)
		if ok {
			s.res.Passed++
		} else {
			s.fail(e.Field, uid, col, "got %s, want %s", got, want)
		}
	}
}

// compare evaluates one expectation; want describes the expected value for the failure message.
func (s *state) compare(e *Expect, got snum, uid, col int) (bool, string) {
	var want snum
	if e.Cmp == "eq_field" {
		other, _, err := s.value(e.Field, e.OtherUID, col)
		if err != nil {
			return false, fmt.Sprintf("the value at uid %d (%v)", e.OtherUID, err)
		}
		return got.cmp(other) == 0, fmt.Sprintf("eq_field uid %d = %s", e.OtherUID, other)
	}
	if e.Cmp == "approx_u16_proportion" {
		return approxU16(got, e)
	}
	if e.Ref != "" {
		v, ok := s.captures[e.Ref]
		if !ok {
			return false, fmt.Sprintf("%s ref %q, which was never captured", e.Cmp, e.Ref)
		}
		want = v
	} else {
		v, ok := numOf(e.Value)
		if !ok {
			return false, fmt.Sprintf("%s %s (not an integer)", e.Cmp, e.Value.Text)
		}
		want = v
	}
	desc := fmt.Sprintf("%s %s", e.Cmp, want)
	if e.Ref != "" {
		desc = fmt.Sprintf("%s %s (ref %q)", e.Cmp, want, e.Ref)
	}
	c := got.cmp(want)
	switch e.Cmp {
	case "eq":
		return c == 0, desc
	case "gt":
		return c > 0, desc
	case "ge":
		return c >= 0, desc
	case "lt":
		return c < 0, desc
	case "le":
		return c <= 0, desc
	case "abs_diff_le":
		tol, ok := numOf(e.Tol)
		if !ok || tol.neg {
			return false, fmt.Sprintf("abs_diff_le with a tolerance that is not a non-negative integer (%s)", e.Tol.Text)
		}
		return absDiff(got, want) <= tol.mag, fmt.Sprintf("%s ± %d", want, tol.mag)
	}
	return false, "unknown comparison " + e.Cmp
}

// approxU16 is the Yuma3 tests' check in I32F32: |v/65535 − from_num(f32(value))| ≤ from_num(f64 tol).
func approxU16(got snum, e *Expect) (bool, string) {
	desc := fmt.Sprintf("≈ %s ± %s (as a u16 proportion)", e.Value.Text, e.Tol.Text)
	if e.Value.Kind != KindInt && e.Value.Kind != KindFloat || e.Tol.Kind != KindInt && e.Tol.Kind != KindFloat {
		return false, desc + " (value and tol must be numbers)"
	}
	if got.neg || got.mag > 65535 {
		return false, desc
	}
	a := int64(got.mag) << 32 / 65535
	b, ok1 := fromNum(float64(float32(e.Value.Float)))
	t, ok2 := fromNum(e.Tol.Float)
	if !ok1 || !ok2 {
		return false, desc + " (out of the I32F32 range)"
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= t, desc
}

// fromNum is I32F32::from_num for a float: nearest, ties to even.
func fromNum(f float64) (int64, bool) {
	x := math.RoundToEven(math.Ldexp(f, 32))
	if math.IsNaN(x) || x >= math.Ldexp(1, 63) || x < -math.Ldexp(1, 63) {
		return 0, false
	}
	return int64(x), true
}

func (s *state) checkDerived(d *Derived) {
	o := s.out
	names := make([]string, 0, len(d.Fields))
	for k := range d.Fields {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		want := d.Fields[name]
		var got []uint64
		switch name {
		case "emission":
			got = o.Emission
		case "server_emission":
			got = o.ServerEmission
		case "validator_emission":
			got = o.ValidatorEmission
		case "incentive", "dividends", "consensus", "validator_trust", "stake_weight", "rank", "trust":
			src := map[string][]uint16{"incentive": o.Incentive, "dividends": o.Dividends, "consensus": o.Consensus,
				"validator_trust": o.ValidatorTrust, "stake_weight": o.StakeWeight, "rank": o.Rank, "trust": o.Trust}[name]
			got = make([]uint64, len(src))
			for i, v := range src {
				got[i] = uint64(v)
			}
		case "validator_permit", "active":
			src := s.permit
			if name == "active" {
				src = o.Active
			}
			got = make([]uint64, len(src))
			for i, v := range src {
				if v {
					got[i] = 1
				}
			}
		}
		s.compareDerived("derived_reference."+name, got, want)
	}
	if d.Bonds != nil {
		ok := len(d.Bonds) == s.n
		var bad []string
		for i := 0; ok && i < s.n; i++ {
			row := make([]uint16, s.n)
			r := s.bonds[i]
			for k, j := range r.Cols {
				if int(j) < s.n {
					row[j] = r.Vals[k]
				}
			}
			if len(d.Bonds[i]) != s.n {
				ok = false
				break
			}
			for j := range row {
				if row[j] != d.Bonds[i][j] && len(bad) < 5 {
					bad = append(bad, fmt.Sprintf("[%d][%d] got %d want %d", i, j, row[j], d.Bonds[i][j]))
				}
			}
		}
		switch {
		case !ok:
			s.res.DerivedFailed++
			s.fail("derived_reference.bonds_u16", -1, -1, "want an %d×%d matrix", s.n, s.n)
		case len(bad) > 0:
			s.res.DerivedFailed++
			s.fail("derived_reference.bonds_u16", -1, -1, "%s", strings.Join(bad, "; "))
		default:
			s.res.DerivedPassed++
		}
	}
}

func (s *state) compareDerived(field string, got, want []uint64) {
	if len(got) < len(want) || len(want) != s.n {
		s.res.DerivedFailed++
		s.fail(field, -1, -1, "length %d, want %d", len(want), s.n)
		return
	}
	var bad []string
	for i := range want {
		if got[i] != want[i] && len(bad) < 5 {
			bad = append(bad, fmt.Sprintf("uid %d got %d want %d", i, got[i], want[i]))
		}
	}
	if len(bad) > 0 {
		s.res.DerivedFailed++
		s.fail(field, -1, -1, "%s", strings.Join(bad, "; "))
		return
	}
	s.res.DerivedPassed++
}

// runComputeBonds runs the primitive compute_bonds check: liquid alpha with low = high against the fixed
// EMA, entrywise within tol_bits, plus the derived_reference bits with CheckDerived.
func runComputeBonds(file string, c *ComputeBondsCheck, opts Options) CaseResult {
	cr := CaseResult{Case: "compute_bonds"}
	s := &state{file: file, cas: cr.Case, res: &cr, op: "compute_bonds"}
	rows, cols := len(c.Weights), len(c.Consensus)
	flat := func(m [][]int64) []int64 {
		out := make([]int64, 0, rows*cols)
		for _, r := range m {
			out = append(out, r...)
		}
		return out
	}
	p := yuma.Params{AlphaLow: c.AlphaLow, AlphaHigh: c.AlphaHigh, AlphaSigmoidSteepness: c.Steepness,
		BondsMovingAverage: c.BondsMovingAverage, Yuma3: true}
	on := p
	on.LiquidAlpha = true
	w, b := flat(c.Weights), flat(c.Bonds)
	gotOn := yuma.ComputeBondsDense(w, b, rows, cols, c.Consensus, on)
	gotOff := yuma.ComputeBondsDense(w, b, rows, cols, c.Consensus, p)
	for k := range gotOn {
		d := gotOn[k] - gotOff[k]
		if d < 0 {
			d = -d
		}
		if d <= c.TolBits {
			cr.Passed++
		} else {
			s.fail("compute_bonds", k/cols, k%cols, "liquid alpha on %d vs off %d differ by %d > %d bits", gotOn[k], gotOff[k], d, c.TolBits)
		}
	}
	if opts.CheckDerived {
		for _, ref := range []struct {
			name string
			want [][]int64
			got  []int64
		}{{"liquid_alpha_on_bits", c.RefOn, gotOn}, {"liquid_alpha_off_bits", c.RefOff, gotOff}} {
			if ref.want == nil {
				continue
			}
			if slices.Equal(flat(ref.want), ref.got) {
				cr.DerivedPassed++
			} else {
				cr.DerivedFailed++
				s.fail("derived_reference."+ref.name, -1, -1, "got %v, want %v", ref.got, flat(ref.want))
			}
		}
	}
	return cr
}
