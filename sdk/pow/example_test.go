package pow_test

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/gotensor/gotensor/sdk/pow"
)

// Solve a seal for the mock hotkey U256(1) on a zero block hash at difficulty 1000 (golden
// chain_pow_seal.json: the first passing nonce from 0 is 421).
func ExampleCPUSolver() {
	hotkey := [32]byte{1}
	solver := &pow.CPUSolver{Processors: 1}
	sol, err := solver.Solve(context.Background(), pow.Problem{
		Key:   hotkey,
		Block: pow.Block{Number: 5, Difficulty: 1000},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("block", sol.Block.Number, "nonce", sol.Nonce, "valid", sol.Verify() == nil)
	// Output: block 5 nonce 421 valid true
}

// New CLASSIC subnets start at difficulty u64::MAX: the solver refuses it up front.
func ExampleCPUSolver_refusal() {
	solver := &pow.CPUSolver{Processors: 2, HashRate: 10e6} // assume 10 MH/s instead of measuring
	_, err := solver.Solve(context.Background(), pow.Problem{Block: pow.Block{Difficulty: math.MaxUint64}})
	fmt.Println(errors.Is(err, pow.ErrUnreachable))
	fmt.Println(err)
	// Output:
	// true
	// pow: difficulty 18446744073709551615 is beyond reach: about 1.84e+19 hashes expected, 5.85e+04 years at 10.00 MH/s on 2 processors (budget 24h0m0s); new subnets start at the maximum difficulty u64::MAX, and the subnet owner or sudo must lower it (or register by burn)
}
