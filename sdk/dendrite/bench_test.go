package dendrite_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"testing"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/dendrite"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// BenchmarkFanOut256: one dendrite queries 256 axons on loopback, each a real axon (its own hotkey,
// signature verification, nonce memory) whose forward answers at once. ns/op is the time until all 256
// answers are in; the first (cold: new connections) fan-out is reported separately.
func BenchmarkFanOut256(b *testing.B) {
	const n = 256
	targets := make([]synapse.AxonInfo, n)
	axons := make([]*axon.Axon, n)
	for i := range n {
		kp, err := keys.FromURI(fmt.Sprintf("//FanOut%d", i))
		if err != nil {
			b.Fatal(err)
		}
		a, err := axon.New(kp, axon.Config{IP: "127.0.0.1", MaxWorkers: 2, Logger: quietLogger()})
		if err != nil {
			b.Fatal(err)
		}
		if err := axon.Attach(a, axon.Handler[*Dummy]{Forward: func(_ context.Context, _ *axon.Request, s *Dummy) error {
			s.Output = synapse.Ptr(s.Input)
			return nil
		}}); err != nil {
			b.Fatal(err)
		}
		if err := a.Start(); err != nil {
			b.Fatal(err)
		}
		axons[i] = a
		targets[i] = synapse.AxonInfo{IP: netip.MustParseAddr("127.0.0.1"), Port: uint16(a.Addr().(*net.TCPAddr).Port), Hotkey: kp.SS58()}
	}
	defer func() {
		for _, a := range axons {
			_ = a.Shutdown(context.Background())
		}
	}()
	alice, _ := keys.FromURI("//Alice")
	d, err := dendrite.New(alice, dendrite.WithMaxConnections(n))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	check := func(out []*Dummy) {
		for i, r := range out {
			if r.Dendrite.StatusCode == nil || *r.Dendrite.StatusCode != 200 {
				b.Fatalf("axon %d: %v %v", i, r.Dendrite.StatusCode, deref(r.Dendrite.StatusMessage))
			}
		}
	}
	start := time.Now()
	check(dendrite.Query(context.Background(), d, targets, &Dummy{Input: 1}, 10*time.Second))
	cold := time.Since(start)
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		s := time.Now()
		check(dendrite.Query(context.Background(), d, targets, &Dummy{Input: 1}, 10*time.Second))
		lat = append(lat, time.Since(s))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, k int) bool { return lat[i] < lat[k] })
	b.ReportMetric(float64(cold.Microseconds())/1000, "cold-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
