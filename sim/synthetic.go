package sim

import (
	"math/rand/v2"
	"strconv"
)

// SyntheticScenario writes a yuma-golden/v1 scenario for benchmarks and experiments: n uids, the first
// `validators` staked, each validator weighting every miner with pseudo-random values (fixed seed), and
// `epochs` rounds of set_weights followed by a sparse epoch. It has no expectations.
func SyntheticScenario(n, validators, epochs int, yuma3, liquidAlpha bool) []byte {
	r := rand.New(rand.NewPCG(uint64(n), uint64(validators)))
	b := make([]byte, 0, 1<<20)
	b = append(b, `{"schema":"yuma-golden/v1","name":"synthetic","cases":[{"case":"synthetic n=`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `","hyperparameters":{"tempo":360,"activity_cutoff_factor_milli":13889,"kappa":32767,"bonds_penalty":65535,"bonds_moving_average":900000,"liquid_alpha_enabled":`...)
	b = strconv.AppendBool(b, liquidAlpha)
	b = append(b, `,"yuma3_enabled":`...)
	b = strconv.AppendBool(b, yuma3)
	b = append(b, `,"alpha_low":45875,"alpha_high":58982,"alpha_sigmoid_steepness":1000,"max_allowed_validators":`...)
	b = strconv.AppendInt(b, int64(validators), 10)
	b = append(b, `,"bonds_reset_enabled":false,"commit_reveal_enabled":false,"stake_threshold":0,"tao_weight_raw":0,"subnet_owner_uid":null,"last_mechanism_step_block":0},"initial_block":1,"steps":[`...)
	b = append(b, `{"op":"register_many","first_uid":0,"alpha_stakes":[`...)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		var s uint64
		if i < validators {
			s = 1_000_000_000_000 + r.Uint64N(1_000_000_000_000)
		}
		b = strconv.AppendUint(b, s, 10)
	}
	b = append(b, `]},{"op":"epoch","mode":"sparse","rao_emission":1000000000,"expect":[]}`...)
	block := uint64(1)
	for e := 0; e < epochs; e++ {
		block++
		b = append(b, `,{"op":"set_block","block":`...)
		b = strconv.AppendUint(b, block, 10)
		b = append(b, '}')
		for v := 0; v < validators; v++ {
			b = append(b, `,{"op":"set_weights","uid":`...)
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, `,"dests":[`...)
			for j := validators; j < n; j++ {
				if j > validators {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(j), 10)
			}
			b = append(b, `],"values":[`...)
			for j := validators; j < n; j++ {
				if j > validators {
					b = append(b, ',')
				}
				b = strconv.AppendUint(b, 1+r.Uint64N(65535), 10)
			}
			b = append(b, "]}"...)
		}
		block += 360
		b = append(b, `,{"op":"set_block","block":`...)
		b = strconv.AppendUint(b, block, 10)
		b = append(b, `},{"op":"epoch","mode":"sparse","rao_emission":1000000000,"expect":[]}`...)
	}
	return append(b, "]}]}\n"...)
}
