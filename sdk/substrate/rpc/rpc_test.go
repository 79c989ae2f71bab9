package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func loadRec(t *testing.T) Recording {
	t.Helper()
	r, err := LoadRecording("../testdata/finney/recorded-rpc.json")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReplayCanonicalMatching(t *testing.T) {
	rec := loadRec(t)
	r, err := NewReplay(rec, "metagraph")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The recording has Python's "0100" without 0x; Go sends 0x0100, upper-case hashes match too.
	res, err := r.Call(ctx, "state_call", "NeuronInfoRuntimeApi_get_neurons_lite", "0x0100",
		"0xDB13C066E2C63969F140164FB3BFE7A0AAA7B71407FC0FE525D68E57329EF9D0")
	if err != nil || len(res) < 300000 {
		t.Fatalf("%d bytes, %v", len(res), err)
	}
	// chain_getHeader [null] answers a call without params.
	if _, err := r.Call(ctx, "chain_getHeader"); err != nil {
		t.Fatal(err)
	}
	// Numbers match whatever Go integer type carries them.
	if _, err := r.Call(ctx, "chain_getBlockHash", uint64(6852690)); err != nil {
		t.Fatal(err)
	}
	// A null result is returned as JSON null.
	raw, err := r.Call(ctx, "state_getStorageAt", "0x658faa385070e074c85bf6b568cf0555604fb97037feb8522bf37d42d54fa6e9f1577fbf1d628fdd0100", "0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0")
	if err != nil || string(raw) != "null" {
		t.Fatalf("%s %v", raw, err)
	}
	var hooked []string
	r.OnUnrecorded = func(m string, _ []any) { hooked = append(hooked, m) }
	_, err = r.Call(ctx, "state_call", "NeuronInfoRuntimeApi_get_neurons_lite", "0x0200", nil)
	var re *Error
	if !errors.As(err, &re) || re.Code != CodeMethodNotFound || len(hooked) != 1 || len(r.Unrecorded()) != 1 {
		t.Fatalf("unrecorded: %v %v", err, hooked)
	}
	if _, err := NewReplay(rec, "no-such-seed"); err == nil {
		t.Fatal("unknown seed accepted")
	}
}

const discarded = "0x6c0da8a9dd5994d374d43210dc401f000b2fe02541bc2e7cd54719655d751a18"

// TestArchiveFallback replays the recorded "State already discarded" (4003) answer of a lite node.
func TestArchiveFallback(t *testing.T) {
	rec := loadRec(t)
	ctx := context.Background()
	lite, _ := NewReplay(rec, "retry_archive")
	c := NewClient(lite, ClientOptions{Retries: -1})
	_, err := c.Call(ctx, "state_getRuntimeVersion", discarded)
	if !IsStateDiscarded(err) {
		t.Fatalf("want state discarded, got %v", err)
	}
	// The recording cycles: the lite node answers the same request the second time.
	if _, err := c.Call(ctx, "state_getRuntimeVersion", discarded); err != nil {
		t.Fatalf("cycle: %v", err)
	}

	lite2, _ := NewReplay(rec, "retry_archive")
	archive, _ := NewReplay(Recording{"a": {}}, "a")
	_ = archive.AddResult("state_getRuntimeVersion", []any{discarded}, map[string]any{"specVersion": 273})
	c = NewClient(lite2, ClientOptions{Retries: -1, Archive: archive})
	var rv struct{ SpecVersion int }
	if err := c.CallInto(ctx, &rv, "state_getRuntimeVersion", discarded); err != nil || rv.SpecVersion != 273 {
		t.Fatalf("fallback: %+v %v", rv, err)
	}
	if len(archive.Calls()) != 1 {
		t.Fatalf("archive calls %v", archive.Calls())
	}
}

type flaky struct {
	fails atomic.Int32
	calls atomic.Int32
	block bool
}

func (f *flaky) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	f.calls.Add(1)
	if f.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if method == "rpcerr" {
		return nil, &Error{Code: -32000, Message: "no"}
	}
	if f.fails.Add(-1) >= 0 {
		return nil, errors.New("connection reset")
	}
	return json.RawMessage(`"ok"`), nil
}
func (f *flaky) Close() error { return nil }

func TestRetriesAndDeadlines(t *testing.T) {
	ctx := context.Background()
	f := &flaky{}
	f.fails.Store(2)
	c := NewClient(f, ClientOptions{Retries: 2, RetryDelay: time.Millisecond})
	if _, err := c.Call(ctx, "x"); err != nil || f.calls.Load() != 3 {
		t.Fatalf("retries: %v after %d calls", err, f.calls.Load())
	}
	f.calls.Store(0)
	if _, err := c.Call(ctx, "rpcerr"); err == nil || f.calls.Load() != 1 {
		t.Fatalf("JSON-RPC errors are not retried: %d calls", f.calls.Load())
	}
	f.fails.Store(10)
	if _, err := c.Call(ctx, "x"); err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("exhausted: %v", err)
	}
	slow := &flaky{block: true}
	c = NewClient(slow, ClientOptions{Timeout: 20 * time.Millisecond, Retries: -1})
	start := time.Now()
	_, err := c.Call(ctx, "x")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("deadline: %v after %v", err, time.Since(start))
	}
	if _, err := c.Subscribe(ctx, "a", "b"); err == nil {
		t.Fatal("subscription over a non-WebSocket transport accepted")
	}
}

// wsServer is a tiny Substrate-like JSON-RPC node on loopback.
func wsServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		conns.Add(1)
		c.SetReadLimit(1 << 20)
		ctx := r.Context()
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			var req struct {
				ID     uint64 `json:"id"`
				Method string `json:"method"`
				Params []any  `json:"params"`
			}
			_ = json.Unmarshal(data, &req)
			send := func(v any) { b, _ := json.Marshal(v); _ = c.Write(ctx, websocket.MessageText, b) }
			switch req.Method {
			case "big":
				send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": strings.Repeat("ab", 600_000)})
			case "fail":
				send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "error": map[string]any{"code": 4003, "message": "State already discarded"}})
			case "drop":
				_ = c.CloseNow()
				return
			case "chain_subscribeFinalizedHeads":
				// A notification may even arrive before the subscription id.
				send(map[string]any{"jsonrpc": "2.0", "method": "chain_finalizedHead", "params": map[string]any{"subscription": "s1", "result": map[string]any{"number": "0x1"}}})
				send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": "s1"})
				for i := 2; i <= 3; i++ {
					send(map[string]any{"jsonrpc": "2.0", "method": "chain_finalizedHead", "params": map[string]any{"subscription": "s1", "result": map[string]any{"number": i}}})
				}
			default:
				send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": req.Method})
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestWebSocket(t *testing.T) {
	srv, conns := wsServer(t)
	w := NewWS("ws" + strings.TrimPrefix(srv.URL, "http"))
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := w.Call(ctx, "big")
	if err != nil || len(raw) < 1_200_000 {
		t.Fatalf("large answer: %d bytes, %v", len(raw), err)
	}
	_, err = w.Call(ctx, "fail")
	if !IsStateDiscarded(err) {
		t.Fatalf("rpc error: %v", err)
	}
	sub, err := w.Subscribe(ctx, "chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		select {
		case <-sub.C:
		case <-ctx.Done():
			t.Fatalf("notification %d missing", i)
		}
	}
	sub.Close()
	if err := sub.Err(); err != nil {
		t.Fatalf("closed subscription error: %v", err)
	}
	// The connection drops; the next call dials again.
	if _, err := w.Call(ctx, "drop"); err == nil {
		t.Fatal("dropped call succeeded")
	}
	raw, err = w.Call(ctx, "again")
	if err != nil || string(raw) != `"again"` || conns.Load() != 2 {
		t.Fatalf("reconnect: %s %v (%d connections)", raw, err, conns.Load())
	}
	w.Close()
	if _, err := w.Call(ctx, "x"); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
}

func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var req struct {
			ID     uint64 `json:"id"`
			Method string `json:"method"`
		}
		_ = json.Unmarshal(b, &req)
		if req.Method == "bad" {
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":1,"error":{"code":1010,"message":"Invalid Transaction","data":"Custom error: 6"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":1,"result":"` + req.Method + `"}`))
	}))
	defer srv.Close()
	h := NewHTTP(srv.URL, nil)
	raw, err := h.Call(context.Background(), "system_chain")
	if err != nil || string(raw) != `"system_chain"` {
		t.Fatalf("%s %v", raw, err)
	}
	_, err = h.Call(context.Background(), "bad")
	var re *Error
	if !errors.As(err, &re) || re.Code != 1010 {
		t.Fatalf("%v", err)
	}
}

// TestRecordAndServe records a conversation through a Recorder, saves it in the fixture format, and
// serves it back over loopback WebSocket and HTTP with ReplayHandler.
func TestRecordAndServe(t *testing.T) {
	srv, _ := wsServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rec := NewRecorder(NewWS("ws"+strings.TrimPrefix(srv.URL, "http")), "demo")
	if _, err := rec.Call(ctx, "system_chain"); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.Call(ctx, "fail", "0xAB"); err == nil {
		t.Fatal("want error")
	}
	path := t.TempDir() + "/rec.json"
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	_ = rec.Close()
	loaded, err := LoadRecording(path)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := NewReplay(loaded, "demo")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(ReplayHandler(rp))
	defer hs.Close()
	w := NewWS("ws" + strings.TrimPrefix(hs.URL, "http"))
	defer w.Close()
	raw, err := w.Call(ctx, "system_chain")
	if err != nil || string(raw) != `"system_chain"` {
		t.Fatalf("ws replay: %s %v", raw, err)
	}
	if _, err := w.Call(ctx, "fail", "0xab"); !IsStateDiscarded(err) {
		t.Fatalf("recorded error: %v", err)
	}
	h := NewHTTP(hs.URL, nil)
	if raw, err := h.Call(ctx, "system_chain"); err != nil || string(raw) != `"system_chain"` {
		t.Fatalf("http replay: %s %v", raw, err)
	}
	var re *Error
	if _, err := h.Call(ctx, "never"); !errors.As(err, &re) || re.Code != CodeMethodNotFound {
		t.Fatalf("unrecorded over http: %v", err)
	}
}
