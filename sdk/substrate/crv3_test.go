package substrate

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
	"github.com/gotensor/gotensor/sdk/substrate/substratetest"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
	"github.com/gotensor/gotensor/sdk/timelock"
)

func loadMetaFile(t *testing.T, name string) *metadata.Metadata {
	t.Helper()
	b, err := os.ReadFile(fixtures + name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := metadata.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTimelockedCommitCallEncoding encodes the commit against each metadata fixture (v14 and v15 at spec 343, v16
// at spec 393): all three have commit_timelocked_mechanism_weights at SubtensorModule index 118 with arguments
// (netuid u16, mecid u8, commit BoundedVec<u8>, reveal_round u64, commit_reveal_version u16).
func TestTimelockedCommitCallEncoding(t *testing.T) {
	commit := bytes.Repeat([]byte{0xc7}, 70) // 70 bytes: a two-byte compact length
	for _, f := range []string{"metadata-v14-spec343.scale", "metadata-v15-spec343.opaque", "metadata-v16-spec393.scale"} {
		t.Run(f, func(t *testing.T) {
			md := loadMetaFile(t, f)
			for _, mecid := range []uint8{0, 1} {
				c := TimelockedCommit{Netuid: 23, Mecid: mecid, Commit: commit, RevealRound: 20_123_456}
				name, args, err := TimelockedCommitCall(md, c)
				if err != nil {
					t.Fatal(err)
				}
				if name != "commit_timelocked_mechanism_weights" || len(args) != 5 {
					t.Fatalf("picked %s with %d arguments", name, len(args))
				}
				got, err := extrinsic.NewBuilder(codec.New(md)).Call("SubtensorModule", name, args...)
				if err != nil {
					t.Fatal(err)
				}
				want := []byte{7, 118, 23, 0, mecid}
				want = scale.AppendCompact(want, uint64(len(commit)))
				want = append(want, commit...)
				want = binary.LittleEndian.AppendUint64(want, 20_123_456)
				want = binary.LittleEndian.AppendUint16(want, DefaultCommitRevealVersion)
				if !bytes.Equal(got, want) {
					t.Fatalf("mecid %d:\n got %x\nwant %x", mecid, got, want)
				}
			}
			// The older names are there too; their encodings follow the same argument names.
			for _, name := range []string{"commit_timelocked_weights", "commit_crv3_mechanism_weights"} {
				if _, err := md.Call("SubtensorModule", name); err != nil {
					t.Errorf("%s missing: %v", name, err)
				}
			}
			if _, err := md.Call("SubtensorModule", "commit_crv3_weights"); err == nil {
				t.Error("commit_crv3_weights unexpectedly present")
			}
		})
	}
	if MechanismIndex(23, 1) != 4096+23 || MechanismIndex(5, 0) != 5 {
		t.Fatal("mechanism storage index")
	}
}

// TestCommitTimelockedThroughBackend builds a real timelocked commit (local beacon key), submits it through the
// backend over the replay, and opens the ciphertext found in the submitted extrinsic with the beacon.
func TestCommitTimelockedThroughBackend(t *testing.T) {
	r, sub := captureReplay(t)
	b := backend(t, r)
	sk, pk, err := timelock.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	signer := extrinsic.Ed25519(ed25519.NewKeyFromSeed(make([]byte, 32)))
	hot := signer.PublicKey()
	payload := timelock.WeightsPayload{Hotkey: hot[:], UIDs: []uint16{0, 3}, Values: []uint16{65535, 12}, VersionKey: 3}
	ct, err := timelock.EncryptWeights(pk, payload, 777, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := uint64(1)
	_, call, err := b.CommitTimelockedWeights(context.Background(), signer, TimelockedCommit{Netuid: 1, Commit: ct, RevealRound: 777}, TxOptions{Nonce: &n})
	var re *rpc.Error
	if !errors.As(err, &re) || len(*sub) != 1 {
		t.Fatalf("want the replay's refusal of one submission, got %v (%d submitted)", err, len(*sub))
	}
	if call != "commit_timelocked_mechanism_weights" {
		t.Fatalf("call %s", call)
	}
	xt := unhex(t, (*sub)[0])
	callBytes := xt[len(scaleCompact(uint64(len(xt))))+1+33+65+2+1+1+1:]
	if callBytes[0] != 7 || callBytes[1] != 118 || callBytes[2] != 1 || callBytes[3] != 0 || callBytes[4] != 0 {
		t.Fatalf("call head %x", callBytes[:5])
	}
	d := scale.NewDecoder(callBytes[5:])
	got, err := d.ByteVec()
	if err != nil {
		t.Fatal(err)
	}
	round, _ := d.U64()
	version, _ := d.U16()
	if round != 777 || version != 4 || d.Remaining() != 0 {
		t.Fatalf("round %d version %d rest %d", round, version, d.Remaining())
	}
	plain, err := timelock.Decrypt(got, sk.SignRound(777))
	if err != nil {
		t.Fatal(err)
	}
	back, err := timelock.DecodeWeightsPayload(plain)
	if err != nil || !bytes.Equal(back.Hotkey, hot[:]) || back.Values[1] != 12 {
		t.Fatalf("payload %+v %v", back, err)
	}
	if _, _, err := b.CommitTimelockedWeights(context.Background(), signer, TimelockedCommit{Netuid: 1}, TxOptions{Nonce: &n}); err == nil {
		t.Fatal("empty commit accepted")
	}
}

// TestCommitRevealAndPendingTimelocked reads the commit-reveal figures and the pending timelocked commits of
// subnet 23 mechanism 1 (storage index 4119) over the replay, with storage answers built for the test.
func TestCommitRevealAndPendingTimelocked(t *testing.T) {
	loadFixtures(t)
	r := replay(t, "metagraph")
	md := meta15
	_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "Tempo", uint16(23)), headHash}, "0x6801") // 360
	_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "CommitRevealWeightsEnabled", uint16(23)), headHash}, "0x01")
	_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "RevealPeriodEpochs", uint16(23)), headHash}, "0x0200000000000000")
	if _, _, err := md.Storage("SubtensorModule", "CommitRevealWeightsVersion"); err == nil {
		_ = r.AddResult("state_getStorageAt", []any{substratetest.StorageKeyHex(t, md, "CommitRevealWeightsVersion"), headHash}, "0x0400")
	}

	idx := MechanismIndex(23, 1)
	prefix := substratetest.StorageKeyHex(t, md, "TimelockedWeightCommits", idx)
	k1 := substratetest.StorageKeyHex(t, md, "TimelockedWeightCommits", idx, uint64(18980))
	k2 := substratetest.StorageKeyHex(t, md, "TimelockedWeightCommits", idx, uint64(18981))
	_ = r.AddResult("state_getKeysPaged", []any{prefix, keysPage, prefix, headHash}, []string{k1, k2})
	_, e, _ := md.Storage("SubtensorModule", "TimelockedWeightCommits")
	c := codec.New(md)
	type row struct {
		Who    [32]byte
		Block  uint64
		Commit []byte
		Round  uint64
	}
	v1, err := c.Encode(e.Value, []row{{Who: [32]byte{1}, Block: 6852000, Commit: []byte{9, 9}, Round: 20000001}, {Who: [32]byte{2}, Block: 6852001, Commit: []byte{8}, Round: 20000002}})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := c.Encode(e.Value, []row{{Who: [32]byte{1}, Block: 6852400, Commit: []byte{7}, Round: 20000400}})
	if err != nil {
		t.Fatal(err)
	}
	_ = r.AddResult("state_getStorageAt", []any{k1, headHash}, "0x"+hex.EncodeToString(v1))
	_ = r.AddResult("state_getStorageAt", []any{k2, headHash}, "0x"+hex.EncodeToString(v2))

	b := backend(t, r)
	ctx := context.Background()
	cr, err := b.CommitReveal(ctx, 23, At{})
	if err != nil {
		t.Fatal(err)
	}
	if cr.Block != 6852690 || cr.Tempo != 360 || !cr.Enabled || cr.RevealPeriod != 2 || cr.Version != 4 {
		t.Fatalf("commit-reveal %+v", cr)
	}
	pend, err := b.TimelockedCommits(ctx, 23, 1, At{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pend) != 3 {
		t.Fatalf("%d pending, want 3: %+v", len(pend), pend)
	}
	if pend[0].Hotkey != (subtensor.AccountID{1}) || pend[0].Epoch != 18980 || pend[0].CommitBlock != 6852000 ||
		pend[0].RevealRound != 20000001 || !bytes.Equal(pend[0].Commit, []byte{9, 9}) {
		t.Fatalf("first %+v", pend[0])
	}
	if pend[2].Epoch != 18981 || pend[2].RevealRound != 20000400 {
		t.Fatalf("third %+v", pend[2])
	}
}

// TestTimelockedMapsInFixtures checks that every fixture runtime has the map TimelockedCommits reads, with the
// 4-tuple layout (AccountId, commit block, commit, reveal round), and the legacy 3-tuple one for CRV3WeightCommits.
func TestTimelockedMapsInFixtures(t *testing.T) {
	for _, f := range []string{"metadata-v14-spec343.scale", "metadata-v15-spec343.opaque", "metadata-v16-spec393.scale"} {
		md := loadMetaFile(t, f)
		_, e, err := md.Storage("SubtensorModule", "TimelockedWeightCommits")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if n, err := tupleArity(md, e.Value); err != nil || n != 4 {
			t.Fatalf("%s: arity %d %v", f, n, err)
		}
		_, legacy, err := md.Storage("SubtensorModule", "CRV3WeightCommits")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if n, err := tupleArity(md, legacy.Value); err != nil || n != 3 {
			t.Fatalf("%s: legacy arity %d %v", f, n, err)
		}
	}
}
