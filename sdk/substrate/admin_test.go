package substrate

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// allMetadata parses the three fixture runtimes: spec 343 as v14 and v15, spec 393 as v16.
func allMetadata(t *testing.T) map[string]*metadata.Metadata {
	t.Helper()
	out := map[string]*metadata.Metadata{}
	for label, file := range map[string]string{"v14/343": "metadata-v14-spec343.scale", "v15/343": "metadata-v15-spec343.opaque", "v16/393": "metadata-v16-spec393.scale"} {
		b, err := os.ReadFile(fixtures + file)
		if err != nil {
			t.Fatal(err)
		}
		if out[label], err = metadata.Parse(b); err != nil {
			t.Fatalf("%s: %v", label, err)
		}
	}
	return out
}

// TestHyperparameterTable checks every entry of the one table against the three fixture runtimes: the
// call exists with arguments (netuid: u16, value of the listed type) unless the entry lists the spec as
// Missing, in which case an owner entry is refused by name with ErrNotOwnerSettable; root-only and
// unsettable entries are refused from the table alone.
func TestHyperparameterTable(t *testing.T) {
	seen := map[string]bool{}
	for _, h := range HyperparameterCalls() {
		if seen[h.Name] {
			t.Errorf("%s listed twice", h.Name)
		}
		seen[h.Name] = true
	}
	for label, md := range allMetadata(t) {
		c := codec.New(md)
		bl := extrinsic.NewBuilder(c)
		alpha := func() (uint16, uint16, error) { return 45875, 58982, nil }
		for _, h := range HyperparameterCalls() {
			if h.Call == "" {
				_, _, _, err := HyperparameterArgs(md, 1, h.Name, 1, alpha)
				if !errors.Is(err, ErrNotOwnerSettable) || !errors.Is(err, ErrUnsupported) {
					t.Errorf("%s %s: no setter, got %v", label, h.Name, err)
				}
				continue
			}
			ci, err := md.Call(h.Pallet, h.Call)
			missing := slices.Contains(h.Missing, md.SpecVersion)
			if missing {
				if err == nil {
					t.Errorf("%s %s: %s.%s exists: drop spec %d from Missing", label, h.Name, h.Pallet, h.Call, md.SpecVersion)
				}
				if h.Owner {
					_, _, _, err := HyperparameterArgs(md, 1, h.Name, 1, alpha)
					var he *HyperparameterError
					if !errors.As(err, &he) || !errors.Is(err, ErrNotOwnerSettable) || !errors.Is(err, ErrUnsupported) || he.Spec != md.SpecVersion || he.Name != h.Name {
						t.Errorf("%s %s: want a refusal naming it at spec %d, got %v", label, h.Name, md.SpecVersion, err)
					}
				}
				continue
			}
			if err != nil {
				t.Errorf("%s %s: %v", label, h.Name, err)
				continue
			}
			if len(ci.Fields) < 2 || ci.Fields[0].Name != "netuid" || TypeLabel(md, ci.Fields[0].Type) != "u16" {
				t.Errorf("%s %s: arguments (%s), want netuid: u16 first", label, h.Name, fieldList(md, ci.Fields))
				continue
			}
			want := []string{h.Value}
			if h.Value == "pair" {
				want = []string{"u16", "u16"}
			}
			var got []string
			for _, f := range ci.Fields[1:] {
				got = append(got, TypeLabel(md, f.Type))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: value arguments %v, want %v", label, h.Name, got, want)
			}
			pallet, call, args, err := HyperparameterArgs(md, 1, h.Name, 1, alpha)
			if !h.Owner {
				var he *HyperparameterError
				if !errors.As(err, &he) || !errors.Is(err, ErrNotOwnerSettable) || he.Call != h.Pallet+"."+h.Call {
					t.Errorf("%s %s: root-only, got %v", label, h.Name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s %s: %v", label, h.Name, err)
				continue
			}
			data, err := bl.Call(pallet, call, args...)
			if err != nil {
				t.Errorf("%s %s: encode: %v", label, h.Name, err)
				continue
			}
			if data[0] != ci.PalletIndex || data[1] != ci.CallIndex {
				t.Errorf("%s %s: call index %d/%d", label, h.Name, data[0], data[1])
			}
		}
	}
	if _, ok := LookupHyperparameterCall("nope"); ok {
		t.Fatal("unknown name found")
	}
}

// TestHyperparameterCallBytes pins the encoded call of a few owner calls (AdminUtils is pallet 19 at both
// specs): u16, u64, bool, i16, the enum and the alpha pair.
func TestHyperparameterCallBytes(t *testing.T) {
	alpha := func() (uint16, uint16, error) { return 45875, 58982, nil }
	cases := []struct {
		name  string
		value uint64
		want  string
	}{
		{"immunity_period", 7200, "130d0100201c"},
		{"bonds_moving_average", 975000, "131a010098e00e0000000000"},
		{"commit_reveal_weights_enabled", 0, "1331010000"},
		{"yuma3_enabled", 1, "1345010001"},
		{"alpha_sigmoid_steepness", 1000, "13440100e803"},
		{"recycle_or_burn", 1, "1350010001"},
		{"alpha_low", 40000, "13330100409c66e6"},
		{"alpha_high", 60000, "1333010033b360ea"},
		{"commit_reveal_period", 3, "13390100" + "0300000000000000"},
		{"mechanism_count", 2, "134c010002"},
	}
	for label, md := range allMetadata(t) {
		bl := extrinsic.NewBuilder(codec.New(md))
		for _, c := range cases {
			pallet, call, args, err := HyperparameterArgs(md, 1, c.name, c.value, alpha)
			if err != nil {
				t.Fatalf("%s %s: %v", label, c.name, err)
			}
			data, err := bl.Call(pallet, call, args...)
			if err != nil {
				t.Fatalf("%s %s: %v", label, c.name, err)
			}
			if got := hex.EncodeToString(data); got != c.want {
				t.Errorf("%s %s = %d: call %s, want %s", label, c.name, c.value, got, c.want)
			}
		}
	}
}

// TestHyperparameterValueBounds: a value that does not fit the argument's type is refused, naming the
// hyperparameter and the type, before anything is signed.
func TestHyperparameterValueBounds(t *testing.T) {
	md := allMetadata(t)["v15/343"]
	alpha := func() (uint16, uint16, error) { return 1, 2, nil }
	for _, c := range []struct {
		name  string
		value uint64
	}{
		{"immunity_period", 65536}, {"commit_reveal_weights_enabled", 2}, {"alpha_sigmoid_steepness", 32768},
		{"recycle_or_burn", 2}, {"mechanism_count", 256}, {"alpha_low", 1 << 16},
	} {
		_, _, _, err := HyperparameterArgs(md, 1, c.name, c.value, alpha)
		var he *HyperparameterError
		if !errors.As(err, &he) || !errors.Is(err, ErrHyperparameterValue) || he.Name != c.name || he.Spec != 343 {
			t.Errorf("%s = %d: got %v", c.name, c.value, err)
		}
	}
	// the largest values that fit are accepted
	for _, c := range []struct {
		name  string
		value uint64
	}{{"immunity_period", 65535}, {"alpha_sigmoid_steepness", 32767}, {"weights_version_key", 1<<64 - 1}, {"mechanism_count", 255}} {
		if _, _, _, err := HyperparameterArgs(md, 1, c.name, c.value, alpha); err != nil {
			t.Errorf("%s = %d: %v", c.name, c.value, err)
		}
	}
	_, _, _, err := HyperparameterArgs(md, 1, "no_such_parameter", 1, alpha)
	if !errors.Is(err, ErrUnknownHyperparameter) || errors.Is(err, ErrUnsupported) {
		t.Fatalf("unknown: %v", err)
	}
}

// decodedXt is a signed v4 extrinsic read back from its bytes.
type decodedXt struct {
	signer  [32]byte
	scheme  byte // MultiSignature variant: 0 ed25519, 1 sr25519
	sig     [64]byte
	era     extrinsic.Era
	nonce   uint64
	tip     uint64
	call    []byte
	payload []byte // rebuilt signing payload (call, explicit and implicit data)
}

// decodeXt parses xt against md (spec 343: era, nonce, tip and the metadata-hash mode are the only
// explicit data) and rebuilds the payload its signature covers.
func decodeXt(t *testing.T, md *metadata.Metadata, xt []byte) decodedXt {
	t.Helper()
	d := scale.NewDecoder(xt)
	n, err := d.Compact()
	if err != nil || int(n) != d.Remaining() {
		t.Fatalf("length prefix %d, %d bytes follow (%v)", n, d.Remaining(), err)
	}
	var x decodedXt
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if v := must(d.Bytes(1))[0]; v != extrinsic.Version4Signed {
		t.Fatalf("version byte %#x", v)
	}
	if a := must(d.Bytes(1))[0]; a != 0 {
		t.Fatalf("address variant %d, want Id", a)
	}
	copy(x.signer[:], must(d.Bytes(32)))
	x.scheme = must(d.Bytes(1))[0]
	copy(x.sig[:], must(d.Bytes(64)))
	rest := xt[d.Offset():]
	era, k, err := extrinsic.DecodeEra(rest)
	if err != nil {
		t.Fatal(err)
	}
	x.era = era
	if err := d.Skip(k); err != nil {
		t.Fatal(err)
	}
	if x.nonce, err = d.Compact(); err != nil {
		t.Fatal(err)
	}
	if x.tip, err = d.Compact(); err != nil {
		t.Fatal(err)
	}
	if mode := must(d.Bytes(1))[0]; mode != 0 {
		t.Fatalf("metadata-hash mode %d", mode)
	}
	x.call = xt[d.Offset():]
	bl := extrinsic.NewBuilder(codec.New(md))
	head, _ := parseHash(headHash)
	x.payload, _, err = bl.SigningPayload(x.call, extrinsic.Params{Genesis: FinneyGenesis, Era: x.era, EraHash: head, Nonce: x.nonce, Tip: x.tip})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// callArgs decodes the call bytes as pallet.call of md, returning the raw encoding of each argument by
// name.
func callArgs(t *testing.T, md *metadata.Metadata, call []byte, pallet, name string) map[string][]byte {
	t.Helper()
	ci, err := md.Call(pallet, name)
	if err != nil {
		t.Fatal(err)
	}
	if call[0] != ci.PalletIndex || call[1] != ci.CallIndex {
		t.Fatalf("call index %d/%d, want %s.%s = %d/%d", call[0], call[1], pallet, name, ci.PalletIndex, ci.CallIndex)
	}
	c := codec.New(md)
	d := scale.NewDecoder(call[2:])
	out := map[string][]byte{}
	for _, f := range ci.Fields {
		start := d.Offset()
		if err := c.Skip(d, f.Type); err != nil {
			t.Fatalf("argument %s: %v", f.Name, err)
		}
		out[f.Name] = call[2+start : 2+d.Offset()]
	}
	if d.Remaining() != 0 {
		t.Fatalf("%d bytes after the arguments", d.Remaining())
	}
	return out
}

// captureReplay is a strict replay of the metagraph seed that records, instead of refusing, the
// extrinsics submitted with author_submitExtrinsic.
func captureReplay(t *testing.T) (*rpc.Replay, *[]string) {
	r := replay(t, "metagraph")
	var submitted []string
	r.OnUnrecorded = func(m string, p []any) {
		if m != "author_submitExtrinsic" {
			t.Errorf("unrecorded %s %v", m, p)
			return
		}
		submitted = append(submitted, p[0].(string))
	}
	return r, &submitted
}

// TestSetHyperparameterSubmission: the extrinsic SetHyperparameter submits is read back from its bytes:
// signed (ed25519, verified over the rebuilt payload) by the owner key, with the given nonce, calling
// AdminUtils.sudo_set_immunity_period(1, 7200); alpha_low reads AlphaValues for the other half; a
// root-only or unknown name sends nothing.
func TestSetHyperparameterSubmission(t *testing.T) {
	loadFixtures(t)
	r, submitted := captureReplay(t)
	alphaKey, _, err := meta15.StorageKey("SubtensorModule", "AlphaValues", []byte{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	_ = r.AddResult("state_getStorageAt", []any{"0x" + hex.EncodeToString(alphaKey), headHash}, "0x33b366e6")
	b := backend(t, r)
	ctx := context.Background()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	owner := extrinsic.Ed25519(priv)
	n := uint64(70)
	for _, c := range []struct {
		name  string
		value uint64
		call  string
		args  map[string]string
	}{
		{"immunity_period", 7200, "sudo_set_immunity_period", map[string]string{"netuid": "0100", "immunity_period": "201c"}},
		{"commit_reveal_weights_enabled", 0, "sudo_set_commit_reveal_weights_enabled", map[string]string{"netuid": "0100", "enabled": "00"}},
		{"alpha_low", 40000, "sudo_set_alpha_values", map[string]string{"netuid": "0100", "alpha_low": "409c", "alpha_high": "66e6"}},
	} {
		before := len(*submitted)
		_, err := b.SetHyperparameter(ctx, owner, 1, c.name, c.value, TxOptions{Nonce: &n})
		var re *rpc.Error
		if !errors.As(err, &re) || len(*submitted) != before+1 {
			t.Fatalf("%s: want the replay's refusal of the submission, got %v", c.name, err)
		}
		x := decodeXt(t, meta15, unhex(t, (*submitted)[before]))
		if x.signer != owner.PublicKey() || x.scheme != 0 || !ed25519.Verify(priv.Public().(ed25519.PublicKey), extrinsic.SignBytes(x.payload), x.sig[:]) {
			t.Fatalf("%s: not signed by the owner key", c.name)
		}
		if x.nonce != 70 || x.era.Immortal() {
			t.Fatalf("%s: nonce %d era %+v", c.name, x.nonce, x.era)
		}
		args := callArgs(t, meta15, x.call, "AdminUtils", c.call)
		for k, v := range c.args {
			if hex.EncodeToString(args[k]) != v {
				t.Errorf("%s: argument %s = %x, want %s", c.name, k, args[k], v)
			}
		}
	}
	calls := len(r.Calls())
	for _, name := range []string{"kappa", "weights_rate_limit", "burn", "no_such_parameter"} {
		_, err := b.SetHyperparameter(ctx, owner, 1, name, 1, TxOptions{Nonce: &n})
		var he *HyperparameterError
		if !errors.As(err, &he) || he.Name != name {
			t.Errorf("%s: %v", name, err)
		}
	}
	// refused by name at spec 343: no owner call in this runtime (after reading the runtime, before signing)
	for _, name := range []string{"max_weight_limit", "tempo"} {
		_, err := b.SetHyperparameter(ctx, owner, 1, name, 1, TxOptions{Nonce: &n})
		var he *HyperparameterError
		if !errors.As(err, &he) || he.Name != name || he.Spec != 343 || !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err = b.SetHyperparameter(ctx, owner, 1, "immunity_period", 1<<16, TxOptions{Nonce: &n})
	if !errors.Is(err, ErrHyperparameterValue) {
		t.Errorf("out of range: %v", err)
	}
	if len(*submitted) != 3 {
		t.Fatalf("refused hyperparameters were submitted: %d submissions", len(*submitted))
	}
	if got := r.Calls()[calls:]; slices.ContainsFunc(got, func(c string) bool { return contains([]string{c}, "system_accountNextIndex") }) {
		t.Fatalf("a refused call asked for a nonce: %v", got)
	}
}

// TestSetHyperparameterNotSubnetOwner: an included AdminUtils call that the chain fails with
// SubtensorModule.NotSubnetOwner surfaces as a *extrinsic.DispatchError naming it.
func TestSetHyperparameterNotSubnetOwner(t *testing.T) {
	loadFixtures(t)
	c := codec.New(meta15)
	bl := extrinsic.NewBuilder(c)
	call, err := bl.Call("AdminUtils", "sudo_set_immunity_period", uint16(1), uint16(7200))
	if err != nil {
		t.Fatal(err)
	}
	r, signer, nonce := scriptCall(t, call, "NotSubnetOwner")
	b := backend(t, noSubs{r})
	_, err = b.SetHyperparameter(context.Background(), signer, 1, "immunity_period", 7200, TxOptions{Nonce: &nonce, Wait: WaitInclusion, PollInterval: 1})
	var de *extrinsic.DispatchError
	if !errors.As(err, &de) || de.Pallet != "SubtensorModule" || de.Name != "NotSubnetOwner" || !errors.Is(err, ErrDispatch) {
		t.Fatalf("want SubtensorModule.NotSubnetOwner, got %v", err)
	}
	if u := r.Unrecorded(); len(u) != 0 {
		t.Fatalf("unrecorded %v", u)
	}
}

// scriptCall scripts the chain around one extrinsic (call signed by the zero-seed ed25519 key with nonce
// 3 at the recorded head): it lands at index 1 of the head block and fails with the SubtensorModule error
// named failure (or succeeds when failure is empty).
func scriptCall(t *testing.T, call []byte, failure string) (*rpc.Replay, extrinsic.Signer, uint64) {
	t.Helper()
	r := replay(t, "metagraph")
	signer := extrinsic.Ed25519(ed25519.NewKeyFromSeed(make([]byte, 32)))
	nonce := uint64(3)
	c := codec.New(meta15)
	bl := extrinsic.NewBuilder(c)
	head, _ := parseHash(headHash)
	signed, err := bl.Sign(call, extrinsic.Params{Genesis: FinneyGenesis, Era: extrinsic.MortalEra(6852690, extrinsic.DefaultPeriod), EraHash: head, Nonce: nonce}, signer)
	if err != nil {
		t.Fatal(err)
	}
	xt := "0x" + hex.EncodeToString(signed.Bytes)
	_ = r.AddResult("author_submitExtrinsic", []any{xt}, hexHash(signed.Hash))
	_ = r.AddResult("chain_getBlock", []any{headHash}, map[string]any{"block": map[string]any{
		"header": map[string]any{"number": "0x689052", "parentHash": parentHash}, "extrinsics": []string{"0x280403000b", xt}}})
	_ = r.AddResult("state_getRuntimeVersion", []any{headHash}, map[string]any{"specVersion": 343, "transactionVersion": 1})
	outcome := record(1, codec.Variant{Name: "System", Fields: []any{codec.Variant{Name: "ExtrinsicSuccess", Fields: []any{dispatchInfo()}}}})
	if failure != "" {
		pallet, idx := errorIndex(t, meta15, "SubtensorModule", failure)
		outcome = record(1, codec.Variant{Name: "System", Fields: []any{codec.Variant{Name: "ExtrinsicFailed", Fields: []any{
			codec.Variant{Name: "Module", Fields: []any{map[string]any{"index": pallet, "error": [4]byte{idx}}}}, dispatchInfo()}}}})
	}
	events := encodeEvents(t, c, []any{
		record(0, codec.Variant{Name: "System", Fields: []any{codec.Variant{Name: "ExtrinsicSuccess", Fields: []any{dispatchInfo()}}}}),
		outcome,
	})
	key, _, err := meta15.StorageKey("System", "Events")
	if err != nil {
		t.Fatal(err)
	}
	_ = r.AddResult("state_getStorageAt", []any{"0x" + hex.EncodeToString(key), headHash}, "0x"+hex.EncodeToString(events))
	return r, signer, nonce
}
