// Package dashboard is the live web page of a gotensor chain: the metagraph of each subnet (the overview
// columns), charts of incentive, dividends and emission per uid over epochs, stake, and the weights matrix
// as a heat map. It reads everything through sdk/client and pushes a fresh snapshot to every open page over
// a WebSocket as each block arrives. The page is plain HTML, CSS and JavaScript embedded in the binary: no
// build step, no CDN.
package dashboard

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/gotensor/gotensor/sdk/client"
)

//go:embed assets
var assets embed.FS

// HistoryLen is how many epochs of per-uid history each subnet keeps.
const HistoryLen = 64

// Snapshot is what the page renders: the head and every subnet.
type Snapshot struct {
	Head    client.BlockRef  `json:"head"`
	ChainID string           `json:"chain_id"`
	Subnets []SubnetSnapshot `json:"subnets"`
}

// SubnetSnapshot is one subnet: its info, its metagraph (with weights) and its epoch history.
type SubnetSnapshot struct {
	Info      *client.SubnetInfo    `json:"info"`
	Metagraph *client.MetagraphInfo `json:"metagraph"`
	History   []EpochRecord         `json:"history"`
}

// EpochRecord is one epoch's outputs per uid (u16 fractions as floats, emission in TAO).
type EpochRecord struct {
	Block     uint64    `json:"block"`
	Incentive []float64 `json:"incentive"`
	Dividends []float64 `json:"dividends"`
	Emission  []float64 `json:"emission"`
}

// Server serves the dashboard for one chain.
type Server struct {
	chain client.Chain
	log   *slog.Logger
	mux   *http.ServeMux

	mu       sync.Mutex
	snap     []byte
	history  map[uint16][]EpochRecord
	lastStep map[uint16]uint64
	subs     map[chan []byte]struct{}
}

// New makes a dashboard over c. Run feeds it; until then the page shows an empty chain.
func New(c client.Chain, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{chain: c, log: log, mux: http.NewServeMux(), history: map[uint16][]EpochRecord{},
		lastStep: map[uint16]uint64{}, subs: map[chan []byte]struct{}{}, snap: []byte(`{"subnets":[]}`)}
	static, _ := fs.Sub(assets, "assets")
	s.mux.Handle("GET /", http.FileServerFS(static))
	s.mux.HandleFunc("GET /api/snapshot", s.serveSnapshot)
	s.mux.HandleFunc("GET /ws", s.serveWS)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Run follows the chain's new heads until ctx ends, refreshing the snapshot and pushing it to the pages.
func (s *Server) Run(ctx context.Context) error {
	heads, err := s.chain.SubscribeHeads(ctx)
	if err != nil {
		return err
	}
	s.refresh(ctx)
	for range heads {
		s.refresh(ctx)
	}
	return ctx.Err()
}

func (s *Server) refresh(ctx context.Context) {
	snap, err := s.build(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("dashboard: read the chain", "err", err)
		}
		return
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.snap = b
	for ch := range s.subs {
		select {
		case ch <- b:
		default: // a slow page skips a block; it gets the next one
		}
	}
	s.mu.Unlock()
}

func (s *Server) build(ctx context.Context) (*Snapshot, error) {
	head, err := s.chain.Head(ctx)
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{Head: head}
	if info, err := s.chain.Info(ctx); err == nil {
		snap.ChainID = info.ChainID
	}
	netuids, err := s.chain.Subnets(ctx)
	if err != nil {
		return nil, err
	}
	for _, netuid := range netuids {
		if netuid == 0 {
			continue // root has no miners to show
		}
		info, err := s.chain.SubnetInfo(ctx, netuid)
		if err != nil {
			return nil, err
		}
		mg, err := s.chain.Metagraph(ctx, netuid, false)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		fresh := s.history[netuid] == nil
		s.mu.Unlock()
		var past []EpochRecord
		if fresh && info.LastStep != 0 {
			past = s.backfill(ctx, netuid, info)
		}
		s.mu.Lock()
		if fresh && s.history[netuid] == nil {
			s.history[netuid] = past
		}
		if info.LastStep != 0 && info.LastStep != s.lastStep[netuid] {
			s.lastStep[netuid] = info.LastStep
			h := append(s.history[netuid], record(info.LastStep, mg))
			if len(h) > HistoryLen {
				h = h[len(h)-HistoryLen:]
			}
			s.history[netuid] = h
		}
		hist := append([]EpochRecord(nil), s.history[netuid]...)
		s.mu.Unlock()
		snap.Subnets = append(snap.Subnets, SubnetSnapshot{Info: info, Metagraph: mg, History: hist})
	}
	return snap, nil
}

func record(block uint64, mg *client.MetagraphInfo) EpochRecord {
	rec := EpochRecord{Block: block}
	for uid := 0; uid < int(mg.N); uid++ {
		rec.Incentive = append(rec.Incentive, float64(mg.Incentive[uid])/65535)
		rec.Dividends = append(rec.Dividends, float64(mg.Dividends[uid])/65535)
		rec.Emission = append(rec.Emission, mg.Emission[uid].TAO())
	}
	return rec
}

// backfill reads the epochs before the last one from the past states the node still keeps (a page opened
// on a chain that ran before the dashboard started still gets charts), oldest first.
func (s *Server) backfill(ctx context.Context, netuid uint16, info *client.SubnetInfo) []EpochRecord {
	step := uint64(info.Tempo) + 1
	out := []EpochRecord{}
	for k := uint64(1); k < HistoryLen && info.LastStep >= k*step+1; k++ { // newest first
		b := info.LastStep - k*step
		mg, err := s.chain.At(b).Metagraph(ctx, netuid, true)
		if err != nil {
			break // pruned, or before the subnet existed
		}
		out = append(out, record(b, mg))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func (s *Server) serveSnapshot(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	b := s.snap
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil) // same-origin only
	if err != nil {
		return
	}
	defer c.CloseNow()
	ch := make(chan []byte, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	first := s.snap
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	ctx := c.CloseRead(r.Context())
	send := func(b []byte) error {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return c.Write(wctx, websocket.MessageText, b)
	}
	if err := send(first); err != nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-ch:
			if err := send(b); err != nil {
				return
			}
		}
	}
}
