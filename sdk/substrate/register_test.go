package substrate

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// difficultyAnswer scripts SubtensorModule.Difficulty(netuid) at the recorded head.
func difficultyAnswer(t *testing.T, r *rpc.Replay, netuid uint16, difficulty uint64) {
	t.Helper()
	key, _, err := meta15.StorageKey("SubtensorModule", "Difficulty", binary.LittleEndian.AppendUint16(nil, netuid))
	if err != nil {
		t.Fatal(err)
	}
	_ = r.AddResult("state_getStorageAt", []any{"0x" + hex.EncodeToString(key), headHash}, "0x"+hex.EncodeToString(binary.LittleEndian.AppendUint64(nil, difficulty)))
}

// TestPowWork reads the best block (number and hash) and the subnet's difficulty there.
func TestPowWork(t *testing.T) {
	loadFixtures(t)
	r := replay(t, "metagraph")
	difficultyAnswer(t, r, 1, 10_000_000)
	w, err := backend(t, r).PowWork(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if w.Number != 6852690 || hexHash(w.Hash) != headHash || w.Difficulty != 10_000_000 {
		t.Fatalf("work %+v", w)
	}
}

// TestRegisterPoWArguments: register's arguments are placed by the names the metadata gives (netuid,
// block_number, nonce, work, hotkey, coldkey at spec 343), and the extrinsic is signed by the given
// (coldkey) signer.
func TestRegisterPoWArguments(t *testing.T) {
	loadFixtures(t)
	r, submitted := captureReplay(t)
	b := backend(t, r)
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	cold := extrinsic.Ed25519(priv)
	hot := subtensor.AccountID{7, 7, 7}
	var seal [32]byte
	for i := range seal {
		seal[i] = byte(i)
	}
	n := uint64(5)
	_, err := b.RegisterPoW(context.Background(), cold, 1, 6852689, 0x0102030405060708, seal, hot, subtensor.AccountID(cold.PublicKey()), TxOptions{Nonce: &n})
	var re *rpc.Error
	if !errors.As(err, &re) || len(*submitted) != 1 {
		t.Fatalf("want the replay's refusal of the submission, got %v", err)
	}
	x := decodeXt(t, meta15, unhex(t, (*submitted)[0]))
	if x.signer != cold.PublicKey() || !ed25519.Verify(priv.Public().(ed25519.PublicKey), extrinsic.SignBytes(x.payload), x.sig[:]) || x.nonce != 5 {
		t.Fatal("not signed by the coldkey with nonce 5")
	}
	args := callArgs(t, meta15, x.call, "SubtensorModule", "register")
	coldPub := cold.PublicKey()
	want := map[string]string{
		"netuid":       "0100",
		"block_number": "51906800" + "00000000",
		"nonce":        "0807060504030201",
		"work":         "80" + hex.EncodeToString(seal[:]),
		"hotkey":       hex.EncodeToString(hot[:]),
		"coldkey":      hex.EncodeToString(coldPub[:]),
	}
	for k, v := range want {
		if hex.EncodeToString(args[k]) != v {
			t.Errorf("%s = %x, want %s", k, args[k], v)
		}
	}
}

// TestSubmitNamedArguments: a missing or extra argument name is refused before signing, naming it.
func TestSubmitNamedArguments(t *testing.T) {
	loadFixtures(t)
	r, submitted := captureReplay(t)
	b := backend(t, r)
	s := extrinsic.Ed25519(ed25519.NewKeyFromSeed(make([]byte, 32)))
	n := uint64(1)
	_, err := b.SubmitNamed(context.Background(), s, "SubtensorModule", "burned_register", map[string]any{"netuid": uint16(1), "hot": [32]byte{}}, TxOptions{Nonce: &n})
	if !errors.Is(err, extrinsic.ErrArgs) {
		t.Fatalf("renamed argument: %v", err)
	}
	_, err = b.SubmitNamed(context.Background(), s, "SubtensorModule", "burned_register", map[string]any{"netuid": uint16(1)}, TxOptions{Nonce: &n})
	if !errors.Is(err, extrinsic.ErrArgs) {
		t.Fatalf("missing argument: %v", err)
	}
	_, err = b.SubmitNamed(context.Background(), s, "SubtensorModule", "register_limit", map[string]any{}, TxOptions{Nonce: &n})
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("call missing at spec 343: %v", err)
	}
	if len(*submitted) != 0 {
		t.Fatalf("submitted %d", len(*submitted))
	}
}
