// Package protocol is the wire protocol of the factor example subnet: the validator sends a semiprime
// N = p·q (two random primes of a chosen size) and the miner answers with its two factors. The task is
// deterministic and needs no GPU, finding the factors costs the miner real work (trial division up to
// √N), and checking an answer costs the validator one multiplication.
package protocol

import (
	"math/bits"
	"math/rand/v2"

	"github.com/gotensor/gotensor/sdk/synapse"
)

// Factor is the synapse: N is the request (covered by the signed body hash), P and Q the response.
type Factor struct {
	synapse.Base
	N uint64  `json:"n" synapse:"required,hash"`
	P *uint64 `json:"p"`
	Q *uint64 `json:"q"`
}

// Answer is what Deserialize returns: the two factors (zero when the miner gave none).
type Answer struct{ P, Q uint64 }

// Deserialize returns the miner's answer.
func (f *Factor) Deserialize() any {
	var a Answer
	if f.P != nil {
		a.P = *f.P
	}
	if f.Q != nil {
		a.Q = *f.Q
	}
	return a
}

// DefaultBits is the default size of each prime factor: 20-bit primes make N a 40-bit number whose
// factoring takes the miner about half a million trial divisions (a millisecond or two).
const DefaultBits = 20

// NewChallenge draws two distinct primes of the given size (2..31 bits) and returns their product.
func NewChallenge(rng *rand.Rand, size int) uint64 {
	if size < 2 {
		size = 2
	}
	if size > 31 {
		size = 31
	}
	p := randomPrime(rng, size)
	q := randomPrime(rng, size)
	for q == p && size > 2 {
		q = randomPrime(rng, size)
	}
	return p * q
}

func randomPrime(rng *rand.Rand, size int) uint64 {
	lo, hi := uint64(1)<<(size-1), uint64(1)<<size
	for {
		c := lo + rng.Uint64N(hi-lo)
		if IsPrime(c) {
			return c
		}
	}
}

// IsPrime reports whether n is prime (trial division; n below 2^32 here).
func IsPrime(n uint64) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for d := uint64(3); d*d <= n; d += 2 {
		if n%d == 0 {
			return false
		}
	}
	return true
}

// Check reports whether (p, q) is a non-trivial factorisation of n: both factors above 1 and p·q = n
// without overflow. It is all a validator needs to verify an answer.
func Check(n, p, q uint64) bool {
	if p < 2 || q < 2 {
		return false
	}
	hi, lo := bits.Mul64(p, q)
	return hi == 0 && lo == n
}

// Solve factors n by trial division, returning the smallest factor first (ok false if n is prime or
// below 4). This is the miner's work.
func Solve(n uint64) (p, q uint64, ok bool) {
	if n < 4 {
		return 0, 0, false
	}
	if n%2 == 0 {
		return 2, n / 2, true
	}
	for d := uint64(3); d*d <= n; d += 2 {
		if n%d == 0 {
			return d, n / d, true
		}
	}
	return 0, 0, false
}
