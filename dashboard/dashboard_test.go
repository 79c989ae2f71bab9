package dashboard

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gotensor/gotensor/sdk/client"
)

// fakeChain serves one subnet of two uids whose epoch block moves when the test says so.
type fakeChain struct {
	client.Chain
	mu       sync.Mutex
	height   uint64
	lastStep uint64
	heads    chan client.BlockRef
}

func (f *fakeChain) Head(context.Context) (client.BlockRef, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return client.BlockRef{Height: f.height}, nil
}
func (f *fakeChain) Info(context.Context) (*client.ChainInfo, error) {
	return &client.ChainInfo{ChainID: "test-chain"}, nil
}

// At serves past states for blocks 2 and 4 only (so a dashboard started late backfills those epochs).
func (f *fakeChain) At(b uint64) client.Reader { return pastReader{f: f, block: b} }

type pastReader struct {
	client.Reader
	f     *fakeChain
	block uint64
}

func (p pastReader) Metagraph(ctx context.Context, netuid uint16, lite bool) (*client.MetagraphInfo, error) {
	if p.block != 4 && p.block != 2 {
		return nil, client.ErrPruned
	}
	return p.f.Metagraph(ctx, netuid, lite)
}

func (f *fakeChain) Subnets(context.Context) ([]uint16, error) { return []uint16{0, 1}, nil }
func (f *fakeChain) SubnetInfo(_ context.Context, netuid uint16) (*client.SubnetInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &client.SubnetInfo{Netuid: netuid, N: 2, Tempo: 10, LastStep: f.lastStep}, nil
}
func (f *fakeChain) Metagraph(_ context.Context, netuid uint16, _ bool) (*client.MetagraphInfo, error) {
	return &client.MetagraphInfo{Netuid: netuid, N: 2, Hotkeys: make([]client.AccountID, 2),
		Incentive: []uint16{0, 65535}, Dividends: []uint16{65535, 0}, Emission: []client.Balance{client.TAO(1), client.TAO(2)},
		TotalStake: []client.Balance{client.TAO(100), 0}, Weights: [][]client.UIDValue{{{UID: 1, Value: 65535}}, nil}}, nil
}
func (f *fakeChain) SubscribeHeads(ctx context.Context) (<-chan client.BlockRef, error) {
	out := make(chan client.BlockRef)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case h := <-f.heads:
				select {
				case out <- h:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

func (f *fakeChain) advance(epoch bool) {
	f.mu.Lock()
	f.height++
	if epoch {
		f.lastStep = f.height
	}
	h := f.height
	f.mu.Unlock()
	f.heads <- client.BlockRef{Height: h}
}

func TestDashboardServesAssetsSnapshotsAndPushes(t *testing.T) {
	fc := &fakeChain{heads: make(chan client.BlockRef), height: 5, lastStep: 0}
	d := New(fc, nil)
	srv := httptest.NewServer(d)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go func() { _ = d.Run(ctx) }()

	for path, want := range map[string]string{"/": `id="rows"`, "/app.js": "new WebSocket", "/style.css": "table"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, lacks %q", path, resp.StatusCode, want)
		}
		if strings.Contains(string(b), "https://") && path == "/" {
			t.Errorf("%s loads something from the network", path)
		}
	}

	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	read := func() Snapshot {
		t.Helper()
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var s Snapshot
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	_ = read() // the current snapshot on connect
	fc.advance(true)
	var s Snapshot
	for s.Head.Height < 6 {
		s = read()
	}
	fc.advance(false)
	fc.advance(true)
	for s.Head.Height < 8 {
		s = read()
	}
	if s.ChainID != "test-chain" || len(s.Subnets) != 1 || s.Subnets[0].Info.Netuid != 1 {
		t.Fatalf("snapshot: %+v", s)
	}
	h := s.Subnets[0].History
	if len(h) != 2 || h[0].Block != 6 || h[1].Block != 8 || h[1].Incentive[1] != 1 || h[1].Emission[1] != 2 {
		t.Fatalf("history: %+v", h)
	}
	resp, err := http.Get(srv.URL + "/api/snapshot")
	if err != nil {
		t.Fatal(err)
	}
	var snap Snapshot
	_ = json.NewDecoder(resp.Body).Decode(&snap)
	resp.Body.Close()
	if snap.Head.Height != 8 {
		t.Fatalf("/api/snapshot head %d", snap.Head.Height)
	}
}

func TestDashboardBackfillsEpochsFromPastStates(t *testing.T) {
	fc := &fakeChain{heads: make(chan client.BlockRef), height: 16, lastStep: 15}
	d := New(fc, nil)
	d.refresh(context.Background())
	var s Snapshot
	if err := json.Unmarshal(d.snap, &s); err != nil {
		t.Fatal(err)
	}
	h := s.Subnets[0].History
	if len(h) != 2 || h[0].Block != 4 || h[1].Block != 15 {
		t.Fatalf("history %+v, want the epochs at blocks 4 (from the past state) and 15", h)
	}
}
