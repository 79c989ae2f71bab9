package axon

import (
	"testing"

	"pgregory.net/rapid"
)

// No nonce is ever accepted twice by an endpoint, whatever the order they arrive in.
func TestEndpointNeverAcceptsTwice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := newEndpoint()
		accepted := map[int64]bool{}
		for _, n := range rapid.SliceOfN(rapid.Int64Range(0, 600), 1, 600).Draw(t, "nonces") {
			if e.seen(n) {
				continue
			}
			if accepted[n] {
				t.Fatalf("nonce %d accepted twice", n)
			}
			accepted[n] = true
			e.add(n)
		}
	})
}

func TestNonceStoreBounded(t *testing.T) {
	s := newNonceStore(100)
	for i := range 10_000 {
		s.mu.Lock()
		s.insert(string(rune(i)), &endpoint{})
		s.mu.Unlock()
	}
	if n := s.size(); n > 100 {
		t.Fatalf("store holds %d endpoints, bound is 100", n)
	}
}
