package substrate

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestLive reads a real network. It runs only when GOTENSOR_LIVE names one (finney, test, archive, local or
// a ws:// URL), never in CI: GOTENSOR_LIVE=finney go test -run Live ./sdk/substrate/
func TestLive(t *testing.T) {
	name := os.Getenv("GOTENSOR_LIVE")
	if name == "" {
		t.Skip("set GOTENSOR_LIVE=finney (or test, local, a ws:// URL) to read a live network")
	}
	n, err := LookupNetwork(name)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := Dial(ctx, n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	info, err := b.Runtime(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s spec %d (metadata v%d), extensions %v", info.SpecName, info.SpecVersion, info.MetadataVersion, info.Extensions)
	if err := b.CheckLayouts(ctx); err != nil {
		t.Fatalf("layout drift: %v", err)
	}
	start := time.Now()
	mg, err := b.Metagraph(ctx, 1, At{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("subnet 1 %q: %d uids at block %d in %v", mg.Name, len(mg.Neurons), mg.Block, time.Since(start))
	if _, err := b.Hyperparameters(ctx, 1, At{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Balance(ctx, mg.OwnerColdkey, At{}); err != nil {
		t.Fatal(err)
	}
}
