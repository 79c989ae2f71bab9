package dendrite_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/dendrite"
	"github.com/gotensor/gotensor/sdk/synapse"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type Dummy struct {
	synapse.Base
	Input  int  `json:"input" synapse:"required,hash"`
	Output *int `json:"output"`
}

func key(t testing.TB, uri string) *keys.Keypair {
	t.Helper()
	kp, err := keys.FromURI(uri)
	require.NoError(t, err)
	return kp
}

func newDendrite(t testing.TB, opts ...dendrite.Option) *dendrite.Dendrite {
	t.Helper()
	d, err := dendrite.New(key(t, "//Alice"), opts...)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	return d
}

// startAxon serves Dummy (output = 2*input) with hotkey uri; it returns the AxonInfo to target.
func startAxon(t testing.TB, uri string, cfg axon.Config, fwd func(context.Context, *axon.Request, *Dummy) error) (*axon.Axon, synapse.AxonInfo) {
	t.Helper()
	if fwd == nil {
		fwd = func(_ context.Context, _ *axon.Request, s *Dummy) error {
			s.Output = synapse.Ptr(2 * s.Input)
			return nil
		}
	}
	cfg.IP = "127.0.0.1"
	cfg.Logger = quietLogger()
	a, err := axon.New(key(t, uri), cfg)
	require.NoError(t, err)
	require.NoError(t, axon.Attach(a, axon.Handler[*Dummy]{Forward: fwd}))
	require.NoError(t, a.Start())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = a.Shutdown(ctx)
	})
	info := synapse.AxonInfo{IP: netip.MustParseAddr("127.0.0.1"), Port: uint16(a.Addr().(*net.TCPAddr).Port), Hotkey: a.Hotkey()}
	if cfg.TLS {
		c, err := synapse.ParseCertificate(a.Certificate())
		require.NoError(t, err)
		info.TLS = &c
	}
	return a, info
}

func TestRoundTrip(t *testing.T) {
	var seen *axon.Request
	_, target := startAxon(t, "//Bob", axon.Config{}, func(_ context.Context, r *axon.Request, s *Dummy) error {
		seen = r
		require.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", *s.Dendrite.Hotkey)
		s.Output = synapse.Ptr(s.Input + 100)
		return nil
	})
	d := newDendrite(t)
	req := &Dummy{Input: 7}
	got := dendrite.Call(context.Background(), d, target, req, 5*time.Second)
	require.True(t, got.Success(), "%v", deref(got.Dendrite.StatusMessage))
	require.Equal(t, 107, *got.Output)
	require.Nil(t, req.Output, "the caller's synapse is not modified")
	require.Equal(t, 200, *got.Axon.StatusCode)
	require.Equal(t, "Success", *got.Axon.StatusMessage)
	require.NotNil(t, got.Axon.ProcessTime)
	require.NotNil(t, got.Dendrite.ProcessTime)
	require.Equal(t, d.Hotkey(), *got.Dendrite.Hotkey)
	require.Equal(t, 5.0, got.Timeout)
	require.True(t, seen.Verified)
	require.Equal(t, d.Hotkey(), seen.Hotkey)
	require.Equal(t, d.UUID(), seen.UUID)
}

func TestConcurrentCallsToOneAxon(t *testing.T) {
	_, target := startAxon(t, "//Bob", axon.Config{MaxWorkers: 4, QueueSize: 256}, nil)
	d := newDendrite(t, dendrite.WithMaxConnections(32))
	var wg sync.WaitGroup
	codes := make([]int, 200)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := dendrite.Call(context.Background(), d, target, &Dummy{Input: i}, 10*time.Second)
			codes[i] = *r.Dendrite.StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		require.Equal(t, 200, c, "call %d", i)
	}
}

func TestFanOutInOrder(t *testing.T) {
	var targets []synapse.AxonInfo
	for i := range 5 {
		_, info := startAxon(t, fmt.Sprintf("//Node%d", i), axon.Config{}, nil)
		targets = append(targets, info)
	}
	// A target that is not listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := synapse.AxonInfo{IP: netip.MustParseAddr("127.0.0.1"), Port: uint16(ln.Addr().(*net.TCPAddr).Port), Hotkey: key(t, "//Dave").SS58()}
	_ = ln.Close()
	targets = append(targets[:2], append([]synapse.AxonInfo{dead}, targets[2:]...)...)

	d := newDendrite(t)
	out := dendrite.Query(context.Background(), d, targets, &Dummy{Input: 4}, 5*time.Second)
	require.Len(t, out, 6)
	for i, r := range out {
		if i == 2 {
			require.Equal(t, 503, *r.Dendrite.StatusCode)
			require.Equal(t, fmt.Sprintf("Service unavailable at 127.0.0.1:%d/Dummy", dead.Port), *r.Dendrite.StatusMessage)
			require.Nil(t, r.Axon.StatusCode, "on exceptions the axon terminal is left alone")
			continue
		}
		require.Equal(t, 200, *r.Dendrite.StatusCode)
		require.Equal(t, 8, *r.Output)
		require.Equal(t, targets[i].Hotkey, *r.Axon.Hotkey)
	}
	require.Len(t, dendrite.Deserialize(out), 6)
}

func TestTimeout(t *testing.T) {
	block := make(chan struct{})
	_, target := startAxon(t, "//Bob", axon.Config{}, func(ctx context.Context, _ *axon.Request, _ *Dummy) error {
		select {
		case <-block:
		case <-ctx.Done():
		}
		return nil
	})
	defer close(block)
	d := newDendrite(t)
	r := dendrite.Call(context.Background(), d, target, &Dummy{Input: 1}, 200*time.Millisecond)
	require.Equal(t, 408, *r.Dendrite.StatusCode)
	require.Equal(t, "Request timeout after 0.2 seconds", *r.Dendrite.StatusMessage)
	r = dendrite.Call(context.Background(), newDendrite(t), target, &Dummy{Input: 1}, time.Second)
	require.Equal(t, "Request timeout after 1 seconds", *r.Dendrite.StatusMessage)
}

func TestAxonErrorsPassThrough(t *testing.T) {
	_, target := startAxon(t, "//Bob", axon.Config{}, func(context.Context, *axon.Request, *Dummy) error {
		return &synapse.StatusError{Code: 409, Message: "Conflicting request"}
	})
	d := newDendrite(t)
	r := dendrite.Call(context.Background(), d, target, &Dummy{Input: 1}, 5*time.Second)
	require.Equal(t, 409, *r.Dendrite.StatusCode)
	require.Equal(t, "Conflicting request", *r.Dendrite.StatusMessage)
	require.Equal(t, 409, *r.Axon.StatusCode)

	// Signing for the wrong axon hotkey: the axon refuses with 401.
	target.Hotkey = key(t, "//Charlie").SS58()
	r = dendrite.Call(context.Background(), d, target, &Dummy{Input: 1}, 5*time.Second)
	require.Equal(t, 401, *r.Dendrite.StatusCode)
	require.True(t, r.FailedVerification())
}

// fakeServer answers every request with raw bytes from reply (after reading the request).
func fakeServer(t *testing.T, reply func(req *http.Request, body []byte) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					b, _ := io.ReadAll(req.Body)
					out := reply(req, b)
					if out == "" {
						return // hang up
					}
					if _, err := c.Write([]byte(out)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func targetAt(t *testing.T, addr string) synapse.AxonInfo {
	ap := netip.MustParseAddrPort(addr)
	return synapse.AxonInfo{IP: ap.Addr(), Port: ap.Port(), Hotkey: key(t, "//Bob").SS58()}
}

func rawReply(status, ctype, body string, extra ...string) string {
	return fmt.Sprintf("HTTP/1.1 %s\r\ncontent-type: %s\r\ncontent-length: %d\r\n%s\r\n%s",
		status, ctype, len(body), strings.Join(extra, ""), body)
}

func TestErrorMapping(t *testing.T) {
	d := newDendrite(t)
	call := func(reply func(*http.Request, []byte) string) *Dummy {
		return dendrite.Call(context.Background(), d, targetAt(t, fakeServer(t, reply)), &Dummy{Input: 1}, 2*time.Second)
	}
	// HTTP 414 with a JSON message (the repository test).
	r := call(func(*http.Request, []byte) string {
		return rawReply("414 URI Too Long", "application/json", `{"message": "Custom Error"}`)
	})
	require.Equal(t, 414, *r.Axon.StatusCode)
	require.Equal(t, 414, *r.Dendrite.StatusCode)
	require.Equal(t, "Custom Error", *r.Dendrite.StatusMessage)

	// A FastAPI 422 has no message: null.
	r = call(func(*http.Request, []byte) string {
		return rawReply("422 Unprocessable Entity", "application/json", `{"detail":[]}`)
	})
	require.Equal(t, 422, *r.Dendrite.StatusCode)
	require.Nil(t, r.Dendrite.StatusMessage)

	// Not JSON: 422 "Failed to parse response".
	r = call(func(*http.Request, []byte) string { return rawReply("200 OK", "text/html", "<html>") })
	require.Equal(t, 422, *r.Dendrite.StatusCode)
	require.True(t, strings.HasPrefix(*r.Dendrite.StatusMessage, "Failed to parse response: "))

	// A 200 body that does not validate: 422.
	r = call(func(*http.Request, []byte) string { return rawReply("200 OK", "application/json", `{"input": "x"}`) })
	require.Equal(t, 422, *r.Dendrite.StatusCode)

	// The server hangs up without answering: 503 "Service disconnected".
	r = call(func(*http.Request, []byte) string { return "" })
	require.Equal(t, 503, *r.Dendrite.StatusCode)
	require.True(t, strings.HasPrefix(*r.Dendrite.StatusMessage, "Service disconnected: "), *r.Dendrite.StatusMessage)

	// An oversized answer: 400 payload error.
	small := newDendrite(t, dendrite.WithMaxResponseBytes(100))
	r = dendrite.Call(context.Background(), small, targetAt(t, fakeServer(t, func(*http.Request, []byte) string {
		return rawReply("200 OK", "application/json", `{"output": 1, "pad": "`+strings.Repeat("x", 500)+`"}`)
	})), &Dummy{Input: 1}, 2*time.Second)
	require.Equal(t, 400, *r.Dendrite.StatusCode)
	require.True(t, strings.HasPrefix(*r.Dendrite.StatusMessage, "Payload error: "))
}

func TestTLSPinned(t *testing.T) {
	_, target := startAxon(t, "//Bob", axon.Config{TLS: true}, nil)
	require.NotNil(t, target.TLS)
	d := newDendrite(t)
	r := dendrite.Call(context.Background(), d, target, &Dummy{Input: 3}, 5*time.Second)
	require.Equal(t, 200, *r.Dendrite.StatusCode, deref(r.Dendrite.StatusMessage))
	require.Equal(t, 6, *r.Output)

	// A stale or forged published key: the handshake fails, nothing is sent.
	forged := *target.TLS
	forged.PublicKey = append([]byte(nil), forged.PublicKey...)
	forged.PublicKey[0] ^= 1
	target.TLS = &forged
	r = dendrite.Call(context.Background(), newDendrite(t), target, &Dummy{Input: 3}, 5*time.Second)
	require.Equal(t, 422, *r.Dendrite.StatusCode)
	require.Nil(t, r.Output)

	// Plain HTTP to a TLS axon fails too (no downgrade).
	target.TLS = nil
	r = dendrite.Call(context.Background(), newDendrite(t), target, &Dummy{Input: 3}, 5*time.Second)
	require.NotEqual(t, 200, *r.Dendrite.StatusCode)
}

func TestNoncesStrictlyIncrease(t *testing.T) {
	fixed := time.Unix(0, 1_760_000_000_000_000_000)
	d := newDendrite(t, dendrite.WithClock(func() time.Time { return fixed }))
	const n = 64
	var mu sync.Mutex
	seen := map[int64]bool{}
	addr := fakeServer(t, func(req *http.Request, _ []byte) string {
		var nonce int64
		_, _ = fmt.Sscan(req.Header.Get("bt_header_dendrite_nonce"), &nonce)
		mu.Lock()
		seen[nonce] = true
		mu.Unlock()
		return rawReply("200 OK", "application/json", `{}`)
	})
	targets := make([]synapse.AxonInfo, n)
	for i := range targets {
		targets[i] = targetAt(t, addr)
	}
	dendrite.Query(context.Background(), d, targets, &Dummy{}, 5*time.Second)
	require.Len(t, seen, n, "with a frozen clock every nonce is still unique")
	for nonce := range seen {
		require.GreaterOrEqual(t, nonce, fixed.UnixNano())
		require.Less(t, nonce, fixed.UnixNano()+n)
	}
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestTargetOf(t *testing.T) {
	bob := key(t, "//Bob")
	info := client.AxonInfo{Version: 10002000, IP: netip.MustParseAddr("127.0.0.2"), Port: 8091, IPType: 4, Protocol: 4}
	tg := dendrite.TargetOf(info, client.AccountID(bob.PublicKey()), client.AccountID{}, &client.Certificate{Algorithm: 0, PublicKey: make([]byte, 32)})
	require.Equal(t, bob.SS58(), tg.Hotkey)
	require.Equal(t, "/ipv4/127.0.0.2:8091", tg.String())
	require.NotNil(t, tg.TLS)
	require.Len(t, tg.TLS.Bytes(), 33)
	require.Nil(t, dendrite.TargetOf(info, client.AccountID{}, client.AccountID{}, nil).TLS)
}
