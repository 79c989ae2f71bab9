package substratetest_test

import (
	"context"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/substratetest"
)

// TestDialReplayServer dials the loopback replay server like a user dials finney: the backend reads the
// genesis, the runtime and the whole subnet over a real WebSocket and over HTTP.
func TestDialReplayServer(t *testing.T) {
	for _, scheme := range []string{"ws", "http"} {
		t.Run(scheme, func(t *testing.T) {
			r := substratetest.Replay(t, substratetest.SeedMetagraph)
			ws, http := substratetest.Server(t, r)
			url := ws
			if scheme == "http" {
				url = http
			}
			n, err := substrate.LookupNetwork(url)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			b, err := substrate.Dial(ctx, n, substrate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if b.Genesis() != substrate.FinneyGenesis {
				t.Fatal("genesis")
			}
			mg, err := b.Metagraph(ctx, 1, substrate.At{})
			if err != nil {
				t.Fatal(err)
			}
			if mg.Name != "Apex" || len(mg.Neurons) != 1024 {
				t.Fatalf("%s %d", mg.Name, len(mg.Neurons))
			}
		})
	}
}
