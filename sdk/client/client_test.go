package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"testing"
)

func TestResolveEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"": "ws://127.0.0.1:9944", "local": "ws://127.0.0.1:9944", "ws://h:1": "ws://h:1",
		"http://127.0.0.1:9": "http://127.0.0.1:9", "127.0.0.1:9945": "ws://127.0.0.1:9945",
	} {
		if got, err := ResolveEndpoint(in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"finney-ish", "ftp://x"} {
		if _, err := ResolveEndpoint(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTxErrorMatching(t *testing.T) {
	err := fmt.Errorf("set weights: %w", &TxError{Call: "set_weights", Name: "CommitRevealEnabled", Included: true, Block: 9})
	if !errors.Is(err, TxErr("CommitRevealEnabled")) || errors.Is(err, TxErr("Other")) {
		t.Fatal("errors.Is by name")
	}
	if !errors.Is(err, &TxError{Call: "set_weights", Name: "CommitRevealEnabled"}) || errors.Is(err, &TxError{Call: "x", Name: "CommitRevealEnabled"}) {
		t.Fatal("errors.Is by call and name")
	}
	if ErrorName(err) != "CommitRevealEnabled" {
		t.Fatal("ErrorName")
	}
	// JSON-RPC errors map to the sentinels.
	for code, want := range map[int]error{codeNotFound: ErrNotFound, codePruned: ErrPruned, codeTimeout: ErrTimeout, codeRateLimited: ErrRateLimited, codeTooLarge: ErrTooLarge} {
		if got := mapErr(&rpcErr{Code: code, Message: "m"}); !errors.Is(got, want) {
			t.Errorf("code %d: %v", code, got)
		}
	}
	te := mapErr(&rpcErr{Code: codeTxRejected, Message: "m", Data: json.RawMessage(`{"code":7,"name":"StaleNonce"}`)})
	if ErrorName(te) != "StaleNonce" || !isNonceErr(te) {
		t.Fatalf("%v", te)
	}
}

func TestFastResponse(t *testing.T) {
	r, ok := fastResponse([]byte(`{"jsonrpc":"2.0","id":42,"result":{"a":[1,2]}}` + "\n"))
	if !ok || *r.ID != 42 || string(r.Result) != `{"a":[1,2]}` {
		t.Fatalf("%v %+v", ok, r)
	}
	for _, s := range []string{`{"jsonrpc":"2.0","id":1,"error":{}}`, `{"jsonrpc":"2.0","method":"x","params":{}}`, `{"jsonrpc":"2.0","id":"a","result":1}`} {
		if _, ok := fastResponse([]byte(s)); ok {
			t.Errorf("%s took the fast path", s)
		}
	}
}

func TestAxonJSON(t *testing.T) {
	var a AxonInfo
	if err := json.Unmarshal([]byte(`{"block":3,"version":1,"ip":{"Hi":0,"Lo":167838211},"port":8091,"ip_type":4,"protocol":4}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.IP != netip.MustParseAddr("10.1.2.3") || a.Address() != "/ipv4/10.1.2.3:8091" || !a.Served() {
		t.Fatalf("%+v", a)
	}
	b, _ := json.Marshal(a)
	var back AxonInfo
	if err := json.Unmarshal(b, &back); err != nil || back != a {
		t.Fatalf("round trip %s: %+v %v", b, back, err)
	}
	v6, _ := ipTo(netip.MustParseAddr("2001:db8::1"))
	if ipFrom(v6, 6) != netip.MustParseAddr("2001:db8::1") {
		t.Fatal("ipv6")
	}
}

func TestMetagraphInfoPackedRows(t *testing.T) {
	raw := `{"netuid":1,"n":2,"height":5,"hotkeys":["0x` + fmt.Sprintf("%064x", 1) + `","0x` + fmt.Sprintf("%064x", 2) +
		`"],"weights_packed":["AQD//w==",""],"bonds_packed":["",""]}`
	var w metagraphWire
	if err := json.Unmarshal([]byte(raw), &w); err != nil {
		t.Fatal(err)
	}
	m := w.info()
	if len(m.Weights) != 2 || len(m.Weights[0]) != 1 || m.Weights[0][0] != (UIDValue{1, 65535}) || len(m.Weights[1]) != 0 || m.Hotkeys[1][31] != 2 {
		t.Fatalf("%+v", m)
	}
}

func TestBalance(t *testing.T) {
	if Balance(1_500_000_000).String() != "τ1.500000000" || TAO(1.5) != 1_500_000_000 {
		t.Fatal(Balance(1_500_000_000).String())
	}
}
