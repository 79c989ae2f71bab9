package client

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
)

// TestSubstrateErrors: the backend's errors become the client's: a failed extrinsic is a *TxError carrying
// the pallet error name (errors.Is(err, TxErr(name)) as on the gotensor node), a pool rejection too
// (not included), and the backend's sentinels map onto the client's.
func TestSubstrateErrors(t *testing.T) {
	de := &extrinsic.DispatchError{Kind: "Module", Pallet: "SubtensorModule", Name: "SettingWeightsTooFast"}
	_, err := receiptOfSub("set_weights", &substrate.Receipt{BlockNumber: 9}, fmt.Errorf("wrapped: %w", de))
	var te *TxError
	if !errors.As(err, &te) || !te.Included || te.Call != "set_weights" || te.Block != 9 || !errors.Is(err, TxErr("SettingWeightsTooFast")) {
		t.Fatalf("dispatch error: %#v", err)
	}
	pe := &substrate.PoolError{Code: 1010, Message: "Invalid Transaction", Custom: 6, Name: "RateLimitExceeded"}
	_, err = receiptOfSub("serve_axon", nil, pe)
	if !errors.As(err, &te) || te.Included || te.Code != 6 || !errors.Is(err, TxErr("RateLimitExceeded")) {
		t.Fatalf("pool error: %#v", err)
	}
	for in, want := range map[error]error{substrate.ErrUnsupported: ErrUnsupported, substrate.ErrNotFound: ErrNotFound,
		substrate.ErrNotIncluded: ErrTimeout} {
		if got := subErr(fmt.Errorf("x: %w", in)); !errors.Is(got, want) || !errors.Is(got, in) {
			t.Errorf("%v → %v", in, got)
		}
	}
	var ue *UnsupportedError
	if err := subUnsupported("Faucet", "why"); !errors.As(err, &ue) || err.Error() != "Faucet is not supported by the substrate backend: why" {
		t.Fatal(err)
	}
}

// TestLiveSubstrate reads a real network through client.Substrate. It runs only when GOTENSOR_LIVE names
// one, never in CI: GOTENSOR_LIVE=finney go test -run LiveSubstrate ./sdk/client/
func TestLiveSubstrate(t *testing.T) {
	name := os.Getenv("GOTENSOR_LIVE")
	if name == "" {
		t.Skip("set GOTENSOR_LIVE=finney (or test, a ws:// URL) to read a live network")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := DialSubstrate(ctx, name, substrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info, err := c.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s at block %d", info.Version, info.Head.Height)
	mg, err := c.Metagraph(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := c.NeuronsLite(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	subnets, err := c.Subnets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hp, err := c.Hyperparameters(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("subnet 1 %q: %d uids (lite %d), %d subnets, tempo %v", mg.Subnet.Name, mg.N, len(lite), len(subnets), hp.Map()["tempo"])
	if mg.N == 0 || len(subnets) == 0 {
		t.Fatal("empty answers")
	}
}
