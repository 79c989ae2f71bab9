package substrate

import (
	"context"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// TestDelegateTake reads SubtensorModule.Delegates: a stored take, and the runtime's default for a hotkey
// that never set one (the strict replay checks the storage key).
func TestDelegateTake(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	ctx := context.Background()
	c := codec.New(meta15)
	set, unset := subtensor.AccountID{7}, subtensor.AccountID{8}
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "Delegates", [32]byte(set)), headHash}, "0xd72c")
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "Delegates", [32]byte(unset)), headHash}, nil)
	if got, err := b.DelegateTake(ctx, set, At{}); err != nil || got != 0x2cd7 {
		t.Fatalf("take %#x %v", got, err)
	}
	got, err := b.DelegateTake(ctx, unset, At{})
	if err != nil || got == 0 {
		t.Fatalf("default take %d %v", got, err)
	}
	t.Logf("default take %d (%.2f%%)", got, float64(got)/655.35)
}

// TestNetworkRegistrationCost answers get_network_registration_cost at the recorded head with the
// recorded answer of the get_subnet_burn_cost seed.
func TestNetworkRegistrationCost(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	_ = r.AddResult("state_call", []any{"SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x", headHash}, "0x40d48b5800000000")
	cost, err := b.NetworkRegistrationCost(context.Background(), At{})
	if err != nil || cost != 0x588bd440 {
		t.Fatalf("cost %d %v", cost, err)
	}
}

// TestSubnetStart reads SubtokenEnabled and FirstEmissionBlockNumber (a started subnet, and the defaults).
func TestSubnetStart(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	c := codec.New(meta15)
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "SubtokenEnabled", uint16(1)), headHash}, "0x01")
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "FirstEmissionBlockNumber", uint16(1)), headHash}, "0x10e1000000000000")
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "SubtokenEnabled", uint16(2)), headHash}, nil)
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "FirstEmissionBlockNumber", uint16(2)), headHash}, nil)
	on, first, ok, err := b.SubnetStart(context.Background(), 1, At{})
	if err != nil || !on || !ok || first != 0xe110 {
		t.Fatalf("subnet 1: %v %d %v %v", on, first, ok, err)
	}
	on, first, ok, err = b.SubnetStart(context.Background(), 2, At{})
	if err != nil || on || ok || first != 0 {
		t.Fatalf("subnet 2: %v %d %v %v", on, first, ok, err)
	}
}

// TestStartCallDelayAndStakeThreshold: spec 343 has no StartCallDelay storage item, so the delay is the
// DurationOfStartCall constant (50,400 blocks, read from metadata with no request); the threshold is storage.
func TestStartCallDelayAndStakeThreshold(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	c := codec.New(meta15)
	d, err := b.StartCallDelay(context.Background(), At{})
	if err != nil || d != 50400 {
		t.Fatalf("delay %d %v", d, err)
	}
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "StakeThreshold"), headHash}, "0x00e40b5402000000")
	th, err := b.StakeThreshold(context.Background(), At{})
	if err != nil || th != 10_000_000_000 {
		t.Fatalf("threshold %d %v", th, err)
	}
}

func TestHotkeyAlpha(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	c := codec.New(meta15)
	hot := subtensor.AccountID{9}
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "SubtensorModule", "TotalHotkeyAlpha", [32]byte(hot), uint16(3)), headHash}, "0x2a00000000000000")
	if n, err := b.HotkeyAlpha(context.Background(), hot, 3, At{}); err != nil || n != 42 {
		t.Fatalf("%d %v", n, err)
	}
}
