package substrate

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
	"github.com/gotensor/gotensor/sdk/wallet"
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

// TestLiveWrites submits real transactions: burned_register (if the hotkey is not registered yet),
// serve_axon and set_weights, each waited for to inclusion. It never runs in CI and only on request:
//
//	GOTENSOR_LIVE_WRITES=1 GOTENSOR_LIVE=test GOTENSOR_LIVE_WALLET=my GOTENSOR_LIVE_HOTKEY=miner \
//	GOTENSOR_LIVE_NETUID=N GOTENSOR_LIVE_AXON=203.0.113.7:8091 go test -run LiveWrites -v ./sdk/substrate/
//
// The wallet is a bittensor wallet under GOTENSOR_LIVE_WALLET_PATH (default ~/.bittensor/wallets); an
// encrypted coldkey takes its password from the wallet's environment variable (BT_COLD_PW_<NAME> or
// bittensor-wallet's BT_PW_<path>). Registration spends the subnet's burn from the coldkey. finney is
// refused unless GOTENSOR_LIVE_WRITES=finney. No key material is logged.
func TestLiveWrites(t *testing.T) {
	mode := os.Getenv("GOTENSOR_LIVE_WRITES")
	if mode == "" {
		t.Skip("live writes are off: set GOTENSOR_LIVE_WRITES=1 with GOTENSOR_LIVE=test, GOTENSOR_LIVE_WALLET, " +
			"GOTENSOR_LIVE_HOTKEY, GOTENSOR_LIVE_NETUID and GOTENSOR_LIVE_AXON (ip:port) to submit burned_register, " +
			"serve_axon and set_weights to the test network (never in CI; registration spends TAO)")
	}
	name := os.Getenv("GOTENSOR_LIVE")
	if name == "" {
		name = "test"
	}
	if name == "finney" && mode != "finney" {
		t.Skip("live writes to finney spend real TAO: set GOTENSOR_LIVE_WRITES=finney to allow them")
	}
	walletName, hotkeyName := os.Getenv("GOTENSOR_LIVE_WALLET"), os.Getenv("GOTENSOR_LIVE_HOTKEY")
	netuid, err := strconv.ParseUint(os.Getenv("GOTENSOR_LIVE_NETUID"), 10, 16)
	if walletName == "" || err != nil {
		t.Fatalf("GOTENSOR_LIVE_WALLET and GOTENSOR_LIVE_NETUID (a subnet number) are required (netuid: %v)", err)
	}
	axon, err := netip.ParseAddrPort(os.Getenv("GOTENSOR_LIVE_AXON"))
	if err != nil {
		t.Fatalf("GOTENSOR_LIVE_AXON must be the public ip:port to announce: %v", err)
	}
	w, err := wallet.New(walletName, hotkeyName, os.Getenv("GOTENSOR_LIVE_WALLET_PATH"))
	if err != nil {
		t.Fatal(err)
	}
	coldKP, err := w.Coldkey()
	if err != nil {
		t.Fatalf("coldkey: %v", err)
	}
	defer coldKP.Wipe()
	hotKP, err := w.Hotkey()
	if err != nil {
		t.Fatalf("hotkey: %v", err)
	}
	defer hotKP.Wipe()
	cold, hot := extrinsic.SR25519(coldKP), extrinsic.SR25519(hotKP)

	n, err := LookupNetwork(name)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b, err := Dial(ctx, n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.CheckLayouts(ctx); err != nil {
		t.Fatalf("layouts: %v", err)
	}
	opts := TxOptions{Wait: WaitInclusion}
	hotID := subtensor.AccountID(hot.PublicKey())
	uid, ok, err := b.UIDForHotkey(ctx, uint16(netuid), hotID, At{})
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		rc, err := b.BurnedRegister(ctx, cold, uint16(netuid), hotID, opts)
		if err != nil {
			t.Fatalf("burned_register: %v", err)
		}
		t.Logf("burned_register included in block %d (extrinsic %d)", rc.BlockNumber, rc.Index)
		if uid, ok, err = b.UIDForHotkey(ctx, uint16(netuid), hotID, At{}); err != nil || !ok {
			t.Fatalf("registered but no uid: %v", err)
		}
	}
	t.Logf("hotkey has uid %d on subnet %d", uid, netuid)

	// A chain verdict by name means the extrinsic was well formed and correctly signed: the rate limits and
	// permits below are the chain's business, not the write path's.
	verdict := func(call string, rc *Receipt, err error, accepted ...string) {
		t.Helper()
		if err == nil {
			t.Logf("%s included in block %d (extrinsic %d)", call, rc.BlockNumber, rc.Index)
			return
		}
		var de *extrinsic.DispatchError
		var pe *PoolError
		name := ""
		switch {
		case errors.As(err, &de):
			name = de.Name
		case errors.As(err, &pe):
			name = pe.Name
		}
		for _, a := range accepted {
			if name == a {
				t.Logf("%s: the chain refused it with %s (well formed; refused by its rules)", call, name)
				return
			}
		}
		t.Fatalf("%s: %v", call, err)
	}
	rc, err := b.ServeAxon(ctx, hot, uint16(netuid), 1, axon, 4, opts)
	verdict("serve_axon", rc, err, "ServingRateLimitExceeded")
	rc, err = b.SetWeights(ctx, hot, uint16(netuid), []uint16{uid}, []uint16{65535}, 0, opts)
	verdict("set_weights", rc, err, "SettingWeightsTooFast", "CommitRevealEnabled", "NeuronNoValidatorPermit",
		"NotEnoughStakeToSetWeights", "IncorrectWeightVersionKey", "RateLimitExceeded")
}
