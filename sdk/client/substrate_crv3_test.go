package client_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
	"github.com/gotensor/gotensor/sdk/substrate/substratetest"
	"github.com/gotensor/gotensor/sdk/timelock"
)

// crv3Replay is the recorded finney head (block 6,852,690) with subnet 1's commit-reveal figures
// answered: tempo 360, reveal period 2 epochs, commit-reveal on or off.
func crv3Replay(t *testing.T, md *metadata.Metadata, enabled bool) *rpc.Replay {
	r := substratetest.Replay(t, substratetest.SeedMetagraph)
	at := substratetest.HeadHash
	on := "0x00"
	if enabled {
		on = "0x01"
	}
	_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "CommitRevealWeightsEnabled", uint16(1)), at}, on)
	_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "Tempo", uint16(1)), at}, "0x6801")
	_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "RevealPeriodEpochs", uint16(1)), at}, "0x0200000000000000")
	if _, _, err := md.Storage("SubtensorModule", "CommitRevealWeightsVersion"); err == nil {
		_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "CommitRevealWeightsVersion"), at}, "0x0400")
	}
	return r
}

// crv3Call strips an sr25519-signed extrinsic down to its call (mortal era, nonce < 64, no tip, metadata
// hash mode byte), as the spec-343 extensions lay it out.
func crv3Call(t *testing.T, xt string) []byte {
	t.Helper()
	b, err := hex.DecodeString(xt[2:])
	if err != nil {
		t.Fatal(err)
	}
	d := scale.NewDecoder(b)
	if _, err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	return b[d.Offset()+1+33+65+2+1+1+1:]
}

// TestSubstrateCommitTimelocked: the client reads tempo, reveal period and block, computes the §5.7 reveal
// round from the given clock, encrypts {hotkey, uids, weights, version_key} to it, and submits
// commit_timelocked_mechanism_weights; the submitted commit opens with the round's beacon.
func TestSubstrateCommitTimelocked(t *testing.T) {
	md := meta343(t)
	tr := &captureSubmit{Transport: crv3Replay(t, md, true)}
	ctx := context.Background()
	b, err := substrate.New(ctx, tr, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewSubstrate(b)
	hot, _ := keys.FromURI("//Alice//hot")
	sk, pk, err := timelock.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_750_000_000, 0)
	cfg := client.WithTimelock(client.TimelockConfig{PublicKey: pk, Now: func() time.Time { return now }})
	uids, weights := []uint16{0, 5, 7}, []uint16{65535, 300, 9}
	r, tc, err := c.CommitTimelockedWeights(ctx, hot, 1, uids, weights, 42, client.WithoutWait(), client.WithNonce(3), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// block 6852690, netuid 1, tempo 360: epoch (6852690+2)/361 = 18982; reveal epoch 18984;
	// first block 18984·361 − 2 = 6853222; target 6853225; 535 blocks · 12 s = 6420 s.
	want, err := timelock.RevealRound(timelock.RevealParams{Block: 6852690, Netuid: 1, Tempo: 360, RevealPeriod: 2}, now)
	if err != nil {
		t.Fatal(err)
	}
	if tc.RevealRound != want.Round || tc.RevealBlock != 6853225 || !tc.RevealTime.Equal(now.Add(6420*time.Second)) {
		t.Fatalf("reveal %+v, want round %d", tc, want.Round)
	}
	if tc.RevealRound != (1_750_000_000+6420-timelock.QuicknetGenesis)/3 {
		t.Fatalf("round %d", tc.RevealRound)
	}
	if r.Hash == (client.Hash{}) || tc.Call != "commit_timelocked_mechanism_weights" || len(tr.xts) != 1 {
		t.Fatalf("receipt %+v, commit %+v, %d submitted", r, tc, len(tr.xts))
	}
	call := crv3Call(t, tr.xts[0])
	if call[0] != 7 || call[1] != 118 || call[2] != 1 || call[3] != 0 || call[4] != 0 {
		t.Fatalf("call head %x", call[:5])
	}
	d := scale.NewDecoder(call[5:])
	ct, err := d.ByteVec()
	if err != nil {
		t.Fatal(err)
	}
	round, _ := d.U64()
	version, _ := d.U16()
	if round != tc.RevealRound || version != 4 || d.Remaining() != 0 || len(ct) != tc.Bytes {
		t.Fatalf("round %d version %d", round, version)
	}
	if tc.CommitHash != client.Hash(blake2b.Sum256(ct)) {
		t.Fatal("commit hash is not the ciphertext's blake2b-256")
	}
	plain, err := timelock.Decrypt(ct, sk.SignRound(round))
	if err != nil {
		t.Fatal(err)
	}
	p, err := timelock.DecodeWeightsPayload(plain)
	pub := hot.PublicKey()
	if err != nil || !bytes.Equal(p.Hotkey, pub[:]) || p.VersionKey != 42 || p.UIDs[1] != 5 || p.Values[2] != 9 {
		t.Fatalf("payload %+v %v", p, err)
	}
	if _, err := timelock.Decrypt(ct, sk.SignRound(round-1)); err == nil {
		t.Fatal("the commit opened a round early")
	}
}

// TestSubstrateSetWeightsSwitchesToTimelocked: with commit-reveal on, SetWeights commits timelocked (as the
// Python SDK's set_weights does); with it off, CommitTimelockedWeights is refused before anything is sent.
func TestSubstrateSetWeightsSwitchesToTimelocked(t *testing.T) {
	md := meta343(t)
	ctx := context.Background()
	hot, _ := keys.FromURI("//Alice//hot")
	_, pk, err := timelock.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := &captureSubmit{Transport: crv3Replay(t, md, true)}
	b, err := substrate.New(ctx, tr, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	r, err := client.NewSubstrate(b).SetWeights(ctx, hot, 1, []uint16{1}, []uint16{65535}, 0, client.WithoutWait(), client.WithNonce(1),
		client.WithTimelock(client.TimelockConfig{PublicKey: pk}))
	if err != nil {
		t.Fatal(err)
	}
	if r.Call != "commit_timelocked_mechanism_weights" || len(tr.xts) != 1 {
		t.Fatalf("receipt %+v, %d submitted", r, len(tr.xts))
	}
	if call := crv3Call(t, tr.xts[0]); call[0] != 7 || call[1] != 118 {
		t.Fatalf("submitted call %d/%d", call[0], call[1])
	}

	off := &captureSubmit{Transport: crv3Replay(t, md, false)}
	b2, err := substrate.New(ctx, off, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = client.NewSubstrate(b2).CommitTimelockedWeights(ctx, hot, 1, []uint16{1}, []uint16{1}, 0, client.WithoutWait())
	if !errors.Is(err, client.TxErr("CommitRevealDisabled")) || len(off.xts) != 0 {
		t.Fatalf("commit-reveal off: %v (%d submitted)", err, len(off.xts))
	}
}

// TestSubstratePendingCommits lists the hotkey's timelocked commits from TimelockedWeightCommits (subnet 1,
// mechanism 0), with each commit's reveal round and reveal window.
func TestSubstratePendingCommits(t *testing.T) {
	md := meta343(t)
	r := crv3Replay(t, md, true)
	at := substratetest.HeadHash
	prefix := substratetest.StorageKeyHex(t, md, "TimelockedWeightCommits", uint16(1))
	k := substratetest.StorageKeyHex(t, md, "TimelockedWeightCommits", uint16(1), uint64(18982))
	_ = r.AddResult("state_getKeysPaged", []any{prefix, 1000, prefix, at}, []string{k})
	hot, _ := keys.FromURI("//Alice//hot")
	type row struct {
		Who    [32]byte
		Block  uint64
		Commit []byte
		Round  uint64
	}
	_, e, _ := md.Storage("SubtensorModule", "TimelockedWeightCommits")
	val, err := codec.New(md).Encode(e.Value, []row{{Who: hot.PublicKey(), Block: 6852600, Commit: []byte("ciphertext"), Round: 19067000},
		{Who: [32]byte{9}, Block: 6852601, Commit: []byte("other"), Round: 19067001}})
	if err != nil {
		t.Fatal(err)
	}
	_ = r.AddResult("state_getStorageAt", []any{k, at}, "0x"+hex.EncodeToString(val))
	ctx := context.Background()
	b, err := substrate.New(ctx, r, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.NewSubstrate(b).PendingCommits(ctx, 1, client.AccountID(hot.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	// epoch 18982 + period 2 = 18984: first block 18984·361 − 2 = 6853222, last + tempo = 6853582.
	if len(got) != 1 || got[0].RevealRound != 19067000 || got[0].CommitBlock != 6852600 ||
		got[0].FirstRevealBlock != 6853222 || got[0].LastRevealBlock != 6853582 ||
		got[0].Hash != client.Hash(blake2b.Sum256([]byte("ciphertext"))) {
		t.Fatalf("pending %+v", got)
	}
}
