package synapse_test

import "math/big"

type bigIntT = big.Int

func bigInt(n int64) *big.Int { return big.NewInt(n) }
