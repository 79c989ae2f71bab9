package axon_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/synapse"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Dummy is the golden vectors' synapse.
type Dummy struct {
	synapse.Base
	Input  int  `json:"input" synapse:"required,hash"`
	Output *int `json:"output"`
}

func mustKey(t testing.TB, uri string) *keys.Keypair {
	t.Helper()
	kp, err := keys.FromURI(uri)
	require.NoError(t, err)
	return kp
}

// testAxon is an axon (//Bob) serving Dummy with a counting forward.
type testAxon struct {
	*axon.Axon
	url      string
	forwards atomic.Int64
	info     synapse.AxonInfo
}

func startAxon(t testing.TB, cfg axon.Config, h axon.Handler[*Dummy]) *testAxon {
	t.Helper()
	bob := mustKey(t, "//Bob")
	cfg.IP = "127.0.0.1"
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a, err := axon.New(bob, cfg)
	require.NoError(t, err)
	ta := &testAxon{Axon: a}
	fwd := h.Forward
	if fwd == nil {
		fwd = func(_ context.Context, _ *axon.Request, s *Dummy) error {
			s.Output = synapse.Ptr(s.Input * 2)
			return nil
		}
	}
	h.Forward = func(ctx context.Context, r *axon.Request, s *Dummy) error {
		ta.forwards.Add(1)
		return fwd(ctx, r, s)
	}
	require.NoError(t, axon.Attach(a, h))
	require.NoError(t, a.Start())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, a.Shutdown(ctx))
	})
	addr := a.Addr().(*net.TCPAddr)
	ta.url = "http://" + addr.String()
	ta.info = synapse.AxonInfo{IP: netip.MustParseAddr("127.0.0.1"), Port: uint16(addr.Port), Hotkey: bob.SS58()}
	return ta
}

// signed builds a request exactly as a Python dendrite would: headers from to_headers, json.dumps body.
type signed struct {
	header http.Header
	body   []byte
	syn    *Dummy
}

func sign(t testing.TB, signer *keys.Keypair, axonHotkey string, nonce int64, uuid string, input int) *signed {
	t.Helper()
	d := &Dummy{Input: input}
	require.NoError(t, synapse.ApplyDefaults(d))
	b := &d.Base
	b.Dendrite = synapse.TerminalInfo{IP: synapse.Ptr("203.0.113.7"), Version: synapse.Ptr(int64(synapse.ProtocolVersion)),
		Nonce: &nonce, UUID: &uuid, Hotkey: synapse.Ptr(signer.SS58())}
	b.Axon = synapse.TerminalInfo{IP: synapse.Ptr("127.0.0.1"), Port: synapse.Ptr(8091), Hotkey: &axonHotkey}
	hash, err := synapse.BodyHash(d)
	require.NoError(t, err)
	sig, err := signer.Sign([]byte(synapse.SignatureMessage(nonce, signer.SS58(), axonHotkey, uuid, hash)))
	require.NoError(t, err)
	b.Dendrite.Signature = synapse.Ptr("0x" + hex.EncodeToString(sig[:]))
	h, err := synapse.ToHeaders(d)
	require.NoError(t, err)
	hdr := http.Header{}
	for _, kv := range h {
		hdr.Set(kv.Key, kv.Value) // canonical keys, so tests can Set/Del them; the axon lowercases anyway
	}
	hdr.Set("Content-Type", "application/json")
	body, err := synapse.Marshal(d, synapse.StyleDumps)
	require.NoError(t, err)
	return &signed{header: hdr, body: body, syn: d}
}

func (s *signed) post(t testing.TB, url string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/Dummy", bytes.NewReader(s.body))
	require.NoError(t, err)
	req.Header = s.header.Clone()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, b
}

func now() int64 { return time.Now().UnixNano() }
