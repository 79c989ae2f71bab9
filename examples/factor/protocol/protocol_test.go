package protocol

import (
	"math/rand/v2"
	"testing"

	"github.com/gotensor/gotensor/sdk/synapse"
)

func TestChallengeSolveCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{2, 8, 16, DefaultBits, 24} {
		for range 20 {
			n := NewChallenge(rng, size)
			p, q, ok := Solve(n)
			if !ok || !Check(n, p, q) || !IsPrime(p) || !IsPrime(q) {
				t.Fatalf("size %d: n=%d solved as %d×%d (ok %v)", size, n, p, q, ok)
			}
			if Check(n, p+2, q) || Check(n, 1, n) || Check(n, n, 1) {
				t.Fatalf("size %d: a wrong or trivial answer for %d passed", size, n)
			}
		}
	}
	if Check(6, 1<<40, 1<<40) { // overflow must not wrap into a match
		t.Fatal("overflowing product accepted")
	}
	if _, _, ok := Solve(13); ok {
		t.Fatal("a prime was factored")
	}
}

func TestFactorIsASynapse(t *testing.T) {
	f := &Factor{N: 77}
	if err := synapse.ApplyDefaults(f); err != nil {
		t.Fatal(err)
	}
	if f.Name != "Factor" {
		t.Fatalf("name %q", f.Name)
	}
	h1, err := synapse.BodyHash(f)
	if err != nil {
		t.Fatal(err)
	}
	f.P, f.Q = synapse.Ptr(uint64(7)), synapse.Ptr(uint64(11))
	h2, _ := synapse.BodyHash(f)
	if h1 != h2 {
		t.Fatal("the response fields changed the body hash: only N is signed")
	}
	if a := f.Deserialize().(Answer); a.P != 7 || a.Q != 11 {
		t.Fatalf("deserialize %+v", a)
	}
}
