package yuma

import (
	"math/rand/v2"
	"slices"
)

// benchInputs builds the benchmark subnet: nVal validators (uids 0..nVal-1) with distinct stakes and
// permits, each weighting every miner (uids nVal..n-1) with random u16 values; weights set at block 100,
// registrations at block 1, current block 101.
func benchInputs(n, nVal int, p Params, seed uint64) *Inputs {
	r := rand.New(rand.NewPCG(seed, 7))
	in := &Inputs{
		N: n, AlphaStake: make([]uint64, n), OwnerUID: NoOwner, LastUpdate: make([]uint64, n),
		BlockAtRegistration: make([]uint64, n), ValidatorPermit: make([]bool, n),
		CurrentBlock: 101, RaoEmission: 1_000_000_000, Params: p,
	}
	for i := 0; i < n; i++ {
		in.BlockAtRegistration[i] = 1
		in.LastUpdate[i] = 1
		if i < nVal {
			in.AlphaStake[i] = 1_000_000_000_000 + r.Uint64N(1_000_000_000_000)
			in.ValidatorPermit[i] = true
			in.LastUpdate[i] = 100
		}
	}
	cols := make([]uint16, 0, n-nVal)
	for j := nVal; j < n; j++ {
		cols = append(cols, uint16(j))
	}
	vals := make([]uint16, len(cols))
	for i := 0; i < nVal; i++ {
		for k := range vals {
			vals[k] = uint16(1 + r.IntN(65535))
		}
		in.Weights.AppendRow(cols, VecU16MaxUpscaleToU16(vals))
	}
	for i := nVal; i < n; i++ {
		in.Weights.AppendRow(nil, nil)
	}
	in.Bonds.AppendRow(nil, nil)
	for i := 1; i < n; i++ {
		in.Bonds.AppendRow(nil, nil)
	}
	return in
}

// nextEpoch returns the inputs of the following epoch: the stored permits and bonds of out, new random
// weights, the block advanced by tempo.
func nextEpoch(in *Inputs, out *Outputs, seed uint64) *Inputs {
	nx := *in
	nx.ValidatorPermit = slices.Clone(out.ValidatorPermit)
	var b Rows
	for i := 0; i < in.N; i++ {
		if out.BondsWrite[i] {
			c, v := out.Bonds.Row(i)
			b.AppendRow(c, v)
		} else {
			c, v := in.Bonds.Row(i)
			b.AppendRow(c, v)
		}
	}
	nx.Bonds = b
	r := rand.New(rand.NewPCG(seed, 11))
	var w Rows
	for i := 0; i < in.N; i++ {
		c, v := in.Weights.Row(i)
		nv := slices.Clone(v)
		for k := range nv {
			nv[k] = uint16(1 + r.IntN(65535))
		}
		if len(nv) > 0 {
			nv = VecU16MaxUpscaleToU16(nv)
		}
		w.AppendRow(c, nv)
	}
	nx.Weights = w
	nx.CurrentBlock = in.CurrentBlock + 360
	nx.LastUpdate = slices.Clone(in.LastUpdate)
	for i := range nx.LastUpdate {
		if nx.LastUpdate[i] == 100 {
			nx.LastUpdate[i] = nx.CurrentBlock - 1
		}
	}
	nx.LastMechanismStepBlock = in.CurrentBlock
	return &nx
}

func benchParams(kind string) Params {
	p := DefaultParams()
	p.Tempo = 360
	p.ActivityCutoff = 5000
	p.CommitReveal = false
	switch kind {
	case "classic":
		p.Yuma3 = false
	case "yuma3":
	case "yuma3la":
		p.LiquidAlpha = true
	}
	return p
}
