package rpc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/tx/txtest"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/rpc"
)

func newServer(t *testing.T, cfg rpc.Config) (*dev.Engine, *rpc.Server, string) {
	t.Helper()
	g := runtime.DevGenesis("rpc-test", txtest.Key("alice").PublicKey(),
		runtime.GenesisAccount{Account: runtime.Hex32(txtest.Key("alice").PublicKey()), Balance: 1e15})
	e, err := dev.Open(dev.Config{Home: t.TempDir(), Genesis: g, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	s := rpc.New(e, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	addr, err := s.Listen(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return e, s, addr.String()
}

func post(t *testing.T, addr, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post("http://"+addr+"/", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func errCode(m map[string]any) int {
	e, ok := m["error"].(map[string]any)
	if !ok {
		return 0
	}
	return int(e["code"].(float64))
}

func TestBadRequestsGetErrors(t *testing.T) {
	_, _, addr := newServer(t, rpc.Config{MaxRequestBytes: 4096})
	cases := []struct {
		body   string
		status int
		code   int
	}{
		{`{bad`, 200, rpc.CodeParse},
		{`{"jsonrpc":"2.0","id":1}`, 200, rpc.CodeInvalidRequest},
		{`{"jsonrpc":"1.0","id":1,"method":"chain_head"}`, 200, rpc.CodeInvalidRequest},
		{`{"jsonrpc":"2.0","id":1,"method":"nope"}`, 200, rpc.CodeMethodNotFound},
		{`{"jsonrpc":"2.0","id":1,"method":"chain_block","params":{"height":"x"}}`, 200, rpc.CodeInvalidParams},
		{`{"jsonrpc":"2.0","id":1,"method":"chain_block","params":{"hight":1}}`, 200, rpc.CodeInvalidParams},
		{`{"jsonrpc":"2.0","id":1,"method":"chain_block","params":{"height":99}}`, 200, rpc.CodeNotFound},
		{`{"jsonrpc":"2.0","id":1,"method":"state_query","params":{"path":"neuron/x/y"}}`, 200, rpc.CodeInvalidParams},
		{`{"jsonrpc":"2.0","id":1,"method":"state_query","params":{"path":"subnets","at":7}}`, 200, rpc.CodeNotFound},
		{`{"jsonrpc":"2.0","id":1,"method":"tx_submit","params":{"tx":"0x00"}}`, 200, rpc.CodeTxRejected},
		{`{"jsonrpc":"2.0","id":1,"method":"tx_submit","params":{"tx":"zz"}}`, 200, rpc.CodeInvalidParams},
		{`{"jsonrpc":"2.0","id":1,"method":"state_metagraph","params":{"netuid":9}}`, 200, rpc.CodeNotFound},
		{`{"jsonrpc":"2.0","id":1,"method":"chain_head","params":"x` + strings.Repeat("a", 5000) + `"}`, 413, rpc.CodeTooLarge},
		{`[]`, 200, rpc.CodeInvalidRequest},
		{`"just a string"`, 200, rpc.CodeInvalidRequest},
	}
	for _, c := range cases {
		status, m := post(t, addr, c.body)
		if status != c.status || errCode(m) != c.code {
			t.Errorf("%.60s: status %d code %d, want %d %d (%v)", c.body, status, errCode(m), c.status, c.code, m)
		}
	}
	// The node still answers.
	if _, m := post(t, addr, `{"jsonrpc":"2.0","id":1,"method":"chain_head"}`); m["result"] == nil {
		t.Fatalf("chain_head after bad requests: %v", m)
	}
	// A batch answers each request in order.
	resp, err := http.Post("http://"+addr+"/", "application/json",
		strings.NewReader(`[{"jsonrpc":"2.0","id":1,"method":"chain_head"},{"jsonrpc":"2.0","id":2,"method":"nope"}]`))
	if err != nil {
		t.Fatal(err)
	}
	var batch []map[string]any
	json.NewDecoder(resp.Body).Decode(&batch)
	resp.Body.Close()
	if len(batch) != 2 || batch[0]["result"] == nil || errCode(batch[1]) != rpc.CodeMethodNotFound {
		t.Fatalf("batch %v", batch)
	}
}

func TestTxRejectionCarriesName(t *testing.T) {
	e, _, addr := newServer(t, rpc.Config{})
	x, _ := tx.Sign(txtest.Key("alice"), e.GenesisHash(), 5, tx.Transfer{Dest: txtest.Key("b").PublicKey(), Amount: 1000})
	raw := x.Encode()
	if _, err := e.ProduceBlock(); err != nil {
		t.Fatal(err)
	}
	// Wrong chain.
	y, _ := tx.Sign(txtest.Key("alice"), [32]byte{1}, 0, tx.Transfer{Dest: txtest.Key("b").PublicKey(), Amount: 1000})
	_, m := post(t, addr, fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"tx_submit","params":{"tx":"0x%x"}}`, y.Encode()))
	if errCode(m) != rpc.CodeTxRejected || m["error"].(map[string]any)["data"].(map[string]any)["name"] != "WrongChain" {
		t.Fatalf("%v", m)
	}
	// A future nonce is admitted (it waits in the mempool).
	_, m = post(t, addr, fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"tx_submit","params":{"tx":"0x%x"}}`, raw))
	if m["result"] == nil {
		t.Fatalf("%v", m)
	}
	_, m = post(t, addr, `{"jsonrpc":"2.0","id":1,"method":"account_nextNonce","params":{"account":"`+runtime.Hex32(txtest.Key("alice").PublicKey()).String()+`"}}`)
	if m["result"].(float64) != 0 {
		t.Fatalf("next nonce %v", m)
	}
}

func TestRateLimit(t *testing.T) {
	_, _, addr := newServer(t, rpc.Config{RateLimit: 5, Burst: 5})
	limited := 0
	for i := 0; i < 20; i++ {
		status, m := post(t, addr, `{"jsonrpc":"2.0","id":1,"method":"chain_head"}`)
		if status == http.StatusTooManyRequests && errCode(m) == rpc.CodeRateLimited {
			limited++
		}
	}
	if limited < 10 {
		t.Fatalf("only %d of 20 requests limited", limited)
	}
}

func TestWebSocketSubscriptions(t *testing.T) {
	e, _, addr := newServer(t, rpc.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	send := func(s string) {
		if err := c.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	read := func() map[string]any {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		return m
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"chain_subscribeHeads"}`)
	sub := read()["result"]
	if sub == nil {
		t.Fatal("no subscription id")
	}
	for i := 0; i < 3; i++ {
		if _, err := e.ProduceBlock(); err != nil {
			t.Fatal(err)
		}
	}
	for want := 1.0; want <= 3; want++ {
		m := read()
		p := m["params"].(map[string]any)
		if m["method"] != "chain_subscribeHeads" || p["subscription"] != sub || p["result"].(map[string]any)["height"] != want {
			t.Fatalf("notification %v", m)
		}
	}
	// Garbage on the socket gets an error, not a closed connection.
	send(`{{{`)
	if errCode(read()) != rpc.CodeParse {
		t.Fatal("no parse error")
	}
	send(`{"jsonrpc":"2.0","id":2,"method":"unsubscribe","params":{"subscription":"` + sub.(string) + `"}}`)
	if read()["result"] != true {
		t.Fatal("unsubscribe failed")
	}
	// An oversized message closes the connection with "message too big".
	big := bytes.Repeat([]byte("a"), 3<<20)
	c.Write(ctx, websocket.MessageText, big)
	if _, _, err := c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Fatalf("oversized message: %v", err)
	}
}

// FuzzRequest feeds arbitrary bodies to the HTTP handler: every one gets a response, none panics.
func FuzzRequest(f *testing.F) {
	for _, s := range []string{`{"jsonrpc":"2.0","id":1,"method":"chain_head"}`, `[{"jsonrpc":"2.0","id":1,"method":"state_query","params":{"path":"subnets"}}]`,
		`{"jsonrpc":"2.0","id":1,"method":"tx_submit","params":{"tx":"0x01"}}`, `{"jsonrpc":"2.0","id":1,"method":"state_metagraph","params":{"netuid":0,"lite":true}}`,
		`{"jsonrpc":"2.0","id":"x","method":"chain_events","params":{"height":0,"names":["a"]}}`, `null`, `[1,2]`} {
		f.Add([]byte(s))
	}
	g := runtime.DevGenesis("fuzz", txtest.Key("alice").PublicKey())
	e, err := dev.Open(dev.Config{Home: f.TempDir(), Genesis: g, NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	defer e.Close()
	h := rpc.New(e, rpc.Config{RateLimit: -1}).Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, req)
		if rec.status == 0 {
			rec.status = 200
		}
		if rec.status >= 500 {
			t.Fatalf("status %d for %q", rec.status, body)
		}
	})
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(s int)           { r.status = s }
