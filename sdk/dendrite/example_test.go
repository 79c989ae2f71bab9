package dendrite_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/dendrite"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// Echo is a subnet protocol: the validator sends text, the miner answers it upper-cased.
type Echo struct {
	synapse.Base
	Text  string  `json:"text" synapse:"required,hash"` // request field, covered by the signed body hash
	Reply *string `json:"reply"`                        // response field, filled by the miner
}

// A miner and a validator in a few dozen lines: the miner serves Echo to known validators only, the
// validator signs a query with its hotkey and reads the typed answer.
func Example_minerAndValidator() {
	ctx := context.Background()
	validatorKey, _ := keys.FromURI("//Alice") // in a neuron: wallet.Hotkey()
	minerKey, _ := keys.FromURI("//Bob")

	// Miner.
	miner, _ := axon.New(minerKey, axon.Config{IP: "127.0.0.1", Port: 0, ExternalIP: "127.0.0.2"})
	_ = axon.Attach(miner, axon.Handler[*Echo]{
		Blacklist: func(_ context.Context, r *axon.Request, _ *Echo) (bool, string) {
			return r.Hotkey != validatorKey.SS58(), "not a validator of this subnet"
		},
		Forward: func(_ context.Context, r *axon.Request, s *Echo) error {
			// r.Hotkey is verified: the signature over it was checked before forward runs.
			s.Reply = synapse.Ptr(strings.ToUpper(s.Text))
			return nil
		},
	})
	_ = miner.Start()
	defer func() { _ = miner.Shutdown(ctx) }()
	// With a chain client: miner.ServeOnChain(ctx, client, netuid) announces 127.0.0.2:<port>.

	// Validator.
	d, _ := dendrite.New(validatorKey)
	defer d.Close()
	port := uint16(miner.Addr().(*net.TCPAddr).Port)
	axons := []synapse.AxonInfo{{IP: netip.MustParseAddr("127.0.0.1"), Port: port, Hotkey: minerKey.SS58()}} // from the metagraph
	for _, r := range dendrite.Query(ctx, d, axons, &Echo{Text: "hello"}, 5*time.Second) {
		fmt.Println(*r.Dendrite.StatusCode, *r.Dendrite.StatusMessage, *r.Reply)
	}
	// Output: 200 Success HELLO
}
