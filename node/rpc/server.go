// Package rpc is the node's JSON-RPC 2.0 API over HTTP (POST /) and WebSocket (GET / with an upgrade,
// or /ws), on loopback by default. docs/rpc.md documents every method and shape. Bad requests get
// JSON-RPC errors, never a crash; requests are limited in size and, per client address, in rate.
package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/metrics"
	"github.com/gotensor/gotensor/node/store"
)

// Version is reported by system_info.
var Version = "gotensor-dev"

// Config configures the server. Zero fields take the defaults.
type Config struct {
	// MaxRequestBytes bounds one HTTP body or WebSocket message (default 2 MiB: a 256 KiB transaction is
	// 512 KiB of hex).
	MaxRequestBytes int64
	// RateLimit is requests per second per client address (default 2000); Burst the bucket size
	// (default 2×RateLimit). A negative RateLimit disables the limit.
	RateLimit float64
	Burst     float64
	// MaxBatch bounds a batch request (default 100).
	MaxBatch int
	// MaxWait bounds tx_submit's wait (default 2 minutes).
	MaxWait time.Duration
	Logger  *slog.Logger
	Metrics *metrics.Metrics
}

// Engine is what the server needs from a block producer. *dev.Engine implements it; another engine
// (CometBFT) can serve the same API by implementing it too.
type Engine interface {
	GenesisHash() [32]byte
	ChainID() string
	BlockTime() time.Duration
	Archive() bool
	OldestState() uint64
	Head() dev.Head
	// Submit admits a signed transaction; a refusal is a *dev.SubmitError.
	Submit(raw []byte) ([32]byte, error)
	NextNonce(account [32]byte) uint64
	MempoolSize() (txs, bytes int)
	Pending(hash [32]byte) bool
	// Read runs fn over the committed state at block at (nil = head); errors wrap store.ErrPruned or
	// store.ErrNotFound where they apply.
	Read(at *uint64, fn func(r *runtime.Runtime) error) (uint64, error)
	Query(path string, at *uint64) (json.RawMessage, uint64, error)
	Block(height uint64) (*store.Block, error)
	TxLocation(hash [32]byte) (store.TxLocation, error)
	// Subscribe delivers every committed block; the channel closes when the subscriber lags or ends.
	Subscribe(buf int) (<-chan *store.Block, func())
	WaitTx(ctx context.Context, hash [32]byte) (*store.Block, int, error)
}

var _ Engine = (*dev.Engine)(nil)

// Server answers JSON-RPC requests against an engine.
type Server struct {
	e       Engine
	cfg     Config
	log     *slog.Logger
	limiter *limiter
	methods map[string]method
	subs    map[string]subMethod
}

type method func(ctx context.Context, p json.RawMessage) (any, *Error)

// subMethod starts a subscription: emit sends one notification; it returns the cancel function.
type subMethod func(ctx context.Context, p json.RawMessage, emit func(any) error, dropped func()) (func(), *Error)

// New returns a server over e.
func New(e Engine, cfg Config) *Server {
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = 2 << 20
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 2000
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 2 * cfg.RateLimit
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 100
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 2 * time.Minute
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{e: e, cfg: cfg, log: log}
	if cfg.RateLimit > 0 {
		s.limiter = newLimiter(cfg.RateLimit, cfg.Burst)
	}
	s.methods = map[string]method{
		"rpc_methods":       s.rpcMethods,
		"system_info":       s.systemInfo,
		"chain_head":        s.chainHead,
		"chain_block":       s.chainBlock,
		"chain_events":      s.chainEvents,
		"chain_tx":          s.chainTx,
		"chain_waitTx":      s.chainWaitTx,
		"tx_submit":         s.txSubmit,
		"tx_pending":        s.txPending,
		"account_nextNonce": s.nextNonce,
		"state_query":       s.stateQuery,
		"state_metagraph":   s.stateMetagraph,
		"state_stake":       s.stateStake,
		"state_stakes":      s.stateStakes,
		"state_emission":    s.stateEmission,
		"mempool_status":    s.mempoolStatus,
	}
	s.subs = map[string]subMethod{
		"chain_subscribeHeads":  s.subHeads,
		"chain_subscribeEvents": s.subEvents,
	}
	return s
}

// Methods lists the method names, sorted.
func (s *Server) Methods() []string {
	var out []string
	for m := range s.methods {
		out = append(out, m)
	}
	for m := range s.subs {
		out = append(out, m)
	}
	out = append(out, "unsubscribe")
	sort.Strings(out)
	return out
}

// Handler serves HTTP POST and WebSocket on any path.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			s.serveWS(w, r)
			return
		}
		s.serveHTTP(w, r)
	})
}

// Listen starts serving on addr (host:port; port 0 picks a free one) until ctx ends, and returns the
// bound address.
func (s *Server) Listen(ctx context.Context, addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("rpc: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		srv.Close()
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("rpc server stopped", "err", err)
		}
	}()
	return ln.Addr(), nil
}

// request and response are the JSON-RPC 2.0 envelopes.
type request struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params,omitempty"`
}

type response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
}

type notification struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  struct {
		Subscription string `json:"subscription"`
		Result       any    `json:"result"`
	} `json:"params"`
}

var nullID = json.RawMessage("null")

// call runs one method with panic protection.
func (s *Server) call(ctx context.Context, name string, params json.RawMessage) (res any, rerr *Error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("rpc method panicked", "method", name, "panic", p)
			res, rerr = nil, errf(CodeInternal, "internal error in %s", name)
		}
		if s.cfg.Metrics != nil {
			outcome := "ok"
			if rerr != nil {
				outcome = fmt.Sprint(rerr.Code)
			}
			s.cfg.Metrics.RPCRequests.WithLabelValues(metricName(name, s), outcome).Inc()
		}
	}()
	m, ok := s.methods[name]
	if !ok {
		return nil, errf(CodeMethodNotFound, "method %q not found (rpc_methods lists them)", name)
	}
	return m(ctx, params)
}

func metricName(name string, s *Server) string {
	if _, ok := s.methods[name]; ok {
		return name
	}
	if _, ok := s.subs[name]; ok {
		return name
	}
	return "unknown"
}

func (s *Server) handleOne(ctx context.Context, raw json.RawMessage) *response {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return &response{JSONRPC: "2.0", ID: nullID, Error: errf(CodeInvalidRequest, "invalid request: %v", err)}
	}
	id := req.ID
	if len(id) == 0 {
		id = nullID
	}
	if req.JSONRPC != "2.0" || req.Method == "" {
		return &response{JSONRPC: "2.0", ID: id, Error: errf(CodeInvalidRequest, `invalid request: want {"jsonrpc":"2.0","method":...}`)}
	}
	res, err := s.call(ctx, req.Method, req.Params)
	if len(req.ID) == 0 {
		return nil // a notification gets no response
	}
	if err != nil {
		return &response{JSONRPC: "2.0", ID: id, Error: err}
	}
	if res == nil {
		res = json.RawMessage("null")
	}
	return &response{JSONRPC: "2.0", ID: id, Result: res}
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && (r.URL.Path == "/health" || r.URL.Path == "/healthz") {
		writeJSON(w, http.StatusOK, s.e.Head())
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, response{JSONRPC: "2.0", ID: nullID,
			Error: errf(CodeInvalidRequest, "send JSON-RPC requests with POST (or open a WebSocket)")})
		return
	}
	if s.limiter != nil && !s.limiter.allow(clientAddr(r)) {
		writeJSON(w, http.StatusTooManyRequests, response{JSONRPC: "2.0", ID: nullID,
			Error: errf(CodeRateLimited, "rate limit exceeded: at most %.0f requests per second per client", s.cfg.RateLimit)})
		return
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxRequestBytes)
	var raw json.RawMessage
	if err := json.NewDecoder(body).Decode(&raw); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeJSON(w, http.StatusRequestEntityTooLarge, response{JSONRPC: "2.0", ID: nullID,
				Error: errf(CodeTooLarge, "request larger than %d bytes", s.cfg.MaxRequestBytes)})
			return
		}
		writeJSON(w, http.StatusOK, response{JSONRPC: "2.0", ID: nullID, Error: errf(CodeParse, "parse error: %v", err)})
		return
	}
	out, status := s.dispatch(r.Context(), raw)
	if out == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, status, out)
}

// dispatch handles a single request or a batch; it returns nil when nothing is to be sent.
func (s *Server) dispatch(ctx context.Context, raw json.RawMessage) (any, int) {
	if !json.Valid(raw) {
		return response{JSONRPC: "2.0", ID: nullID, Error: errf(CodeParse, "parse error: the request is not valid JSON")}, http.StatusOK
	}
	trimmed := strings.TrimLeft(string(raw), " \t\r\n")
	if strings.HasPrefix(trimmed, "[") {
		var batch []json.RawMessage
		if err := json.Unmarshal(raw, &batch); err != nil {
			return response{JSONRPC: "2.0", ID: nullID, Error: errf(CodeParse, "parse error: %v", err)}, http.StatusOK
		}
		if len(batch) == 0 || len(batch) > s.cfg.MaxBatch {
			return response{JSONRPC: "2.0", ID: nullID, Error: errf(CodeInvalidRequest, "a batch holds 1 to %d requests", s.cfg.MaxBatch)}, http.StatusOK
		}
		out := make([]*response, 0, len(batch))
		for _, b := range batch {
			if r := s.handleOne(ctx, b); r != nil {
				out = append(out, r)
			}
		}
		if len(out) == 0 {
			return nil, http.StatusNoContent
		}
		return out, http.StatusOK
	}
	r := s.handleOne(ctx, raw)
	if r == nil {
		return nil, http.StatusNoContent
	}
	return r, http.StatusOK
}

// limiter is a token bucket per client address.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	return &limiter{rate: rate, burst: burst, buckets: map[string]*bucket{}, sweep: time.Now()}
}

func (l *limiter) allow(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.sweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b := l.buckets[addr]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[addr] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// ---- parameters ----

func parse[T any](p json.RawMessage) (T, *Error) {
	var v T
	if len(p) == 0 || string(p) == "null" {
		return v, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(p)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, errf(CodeInvalidParams, "invalid params: %v (params are an object; docs/rpc.md lists them)", err)
	}
	return v, nil
}

func engineErr(err error) *Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrPruned):
		return errf(CodePruned, "%v", err)
	case errors.Is(err, store.ErrNotFound):
		return errf(CodeNotFound, "%v", err)
	}
	var re *Error
	if errors.As(err, &re) {
		return re
	}
	return errf(CodeInvalidParams, "%v", err)
}

// ---- methods ----

func (s *Server) rpcMethods(context.Context, json.RawMessage) (any, *Error) { return s.Methods(), nil }

func (s *Server) systemInfo(context.Context, json.RawMessage) (any, *Error) {
	return Info{ChainID: s.e.ChainID(), GenesisHash: runtime.Hex32(s.e.GenesisHash()), BlockTimeMs: s.e.BlockTime().Milliseconds(),
		Archive: s.e.Archive(), OldestState: s.e.OldestState(), Head: s.e.Head(), Version: Version}, nil
}

func (s *Server) chainHead(context.Context, json.RawMessage) (any, *Error) { return s.e.Head(), nil }

type heightParams struct {
	Height *uint64 `json:"height"`
	Txs    bool    `json:"txs"`
}

func (s *Server) blockAt(h *uint64) (*store.Block, *Error) {
	height := s.e.Head().Height
	if h != nil {
		height = *h
	}
	b, err := s.e.Block(height)
	if err != nil {
		return nil, engineErr(err)
	}
	return b, nil
}

func (s *Server) chainBlock(_ context.Context, p json.RawMessage) (any, *Error) {
	hp, perr := parse[heightParams](p)
	if perr != nil {
		return nil, perr
	}
	b, e := s.blockAt(hp.Height)
	if e != nil {
		return nil, e
	}
	return toBlock(b, hp.Txs), nil
}

type eventsParams struct {
	Height *uint64  `json:"height"`
	Names  []string `json:"names"`
}

func nameSet(names []string) map[string]bool {
	if len(names) == 0 {
		return nil
	}
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func (s *Server) chainEvents(_ context.Context, p json.RawMessage) (any, *Error) {
	ep, perr := parse[eventsParams](p)
	if perr != nil {
		return nil, perr
	}
	b, e := s.blockAt(ep.Height)
	if e != nil {
		return nil, e
	}
	return eventsOf(b, nameSet(ep.Names)), nil
}

type hashParams struct {
	Hash runtime.Hex32 `json:"hash"`
}

func (s *Server) inclusion(hash [32]byte) (*TxInclusion, *Error) {
	loc, err := s.e.TxLocation(hash)
	if err != nil {
		return nil, engineErr(err)
	}
	b, err := s.e.Block(loc.Height)
	if err != nil {
		return nil, engineErr(err)
	}
	return &TxInclusion{Hash: hash, Height: b.Height, BlockHash: b.Hash, Index: int(loc.Index), Result: toResult(b.Results[loc.Index])}, nil
}

func (s *Server) chainTx(_ context.Context, p json.RawMessage) (any, *Error) {
	hp, perr := parse[hashParams](p)
	if perr != nil {
		return nil, perr
	}
	return s.inclusion(hp.Hash)
}

func (s *Server) txPending(_ context.Context, p json.RawMessage) (any, *Error) {
	hp, perr := parse[hashParams](p)
	if perr != nil {
		return nil, perr
	}
	return s.e.Pending(hp.Hash), nil
}

type submitParams struct {
	Tx        Bytes  `json:"tx"`
	Wait      bool   `json:"wait"`
	TimeoutMs uint64 `json:"timeout_ms"`
}

func (s *Server) txSubmit(ctx context.Context, p json.RawMessage) (any, *Error) {
	sp, perr := parse[submitParams](p)
	if perr != nil {
		return nil, perr
	}
	if len(sp.Tx) == 0 {
		return nil, errf(CodeInvalidParams, "invalid params: tx (0x-hex of a signed transaction) is required")
	}
	hash, err := s.e.Submit(sp.Tx)
	if err != nil {
		var se *dev.SubmitError
		if errors.As(err, &se) {
			data, _ := json.Marshal(TxErrorData{Code: se.Code, Name: se.Name})
			return nil, &Error{Code: CodeTxRejected, Message: fmt.Sprintf("transaction rejected: %s", se.Msg), Data: data}
		}
		return nil, errf(CodeInternal, "%v", err)
	}
	out := SubmitResult{Hash: runtime.Hex32(hash)}
	if !sp.Wait {
		return out, nil
	}
	wait := s.cfg.MaxWait
	if sp.TimeoutMs > 0 && time.Duration(sp.TimeoutMs)*time.Millisecond < wait {
		wait = time.Duration(sp.TimeoutMs) * time.Millisecond
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	b, i, err := s.e.WaitTx(wctx, hash)
	if err != nil {
		data, _ := json.Marshal(map[string]string{"hash": runtime.Hex32(hash).String()})
		return nil, &Error{Code: CodeTimeout, Message: fmt.Sprintf("transaction %s not included after %v: it may still be; look it up with chain_tx", runtime.Hex32(hash), wait), Data: data}
	}
	out.Included = &TxInclusion{Hash: runtime.Hex32(hash), Height: b.Height, BlockHash: b.Hash, Index: i, Result: toResult(b.Results[i])}
	return out, nil
}

type accountParams struct {
	Account runtime.Hex32 `json:"account"`
}

func (s *Server) nextNonce(_ context.Context, p json.RawMessage) (any, *Error) {
	ap, perr := parse[accountParams](p)
	if perr != nil {
		return nil, perr
	}
	return s.e.NextNonce(ap.Account), nil
}

func (s *Server) mempoolStatus(context.Context, json.RawMessage) (any, *Error) {
	n, b := s.e.MempoolSize()
	return map[string]int{"transactions": n, "bytes": b}, nil
}

type queryParams struct {
	Path string  `json:"path"`
	At   *uint64 `json:"at"`
}

func (s *Server) stateQuery(_ context.Context, p json.RawMessage) (any, *Error) {
	qp, perr := parse[queryParams](p)
	if perr != nil {
		return nil, perr
	}
	if qp.Path == "" {
		return nil, errf(CodeInvalidParams, "invalid params: path is required (for example \"subnets\")")
	}
	out, h, err := s.e.Query(qp.Path, qp.At)
	if err != nil {
		return nil, engineErr(err)
	}
	return QueryResult{Height: h, Result: out}, nil
}

type metagraphParams struct {
	Netuid uint16  `json:"netuid"`
	At     *uint64 `json:"at"`
	Lite   bool    `json:"lite"`
}

func (s *Server) stateMetagraph(_ context.Context, p json.RawMessage) (any, *Error) {
	mp, perr := parse[metagraphParams](p)
	if perr != nil {
		return nil, perr
	}
	var out Metagraph
	var rerr *Error
	h, err := s.e.Read(mp.At, func(r *runtime.Runtime) error {
		info, ok := r.SubnetInfo(mp.Netuid)
		if !ok {
			rerr = errf(CodeNotFound, "subnet %d does not exist", mp.Netuid)
			return nil
		}
		hp, _ := r.Hyperparameters(mp.Netuid)
		m, _ := r.Metagraph(mp.Netuid, !mp.Lite)
		out = Metagraph{Metagraph: m, Lite: mp.Lite, Subnet: info, Hyperparameters: hp,
			WeightsPacked: PackRows(m.Weights), BondsPacked: PackRows(m.Bonds)}
		m.Weights, m.Bonds = nil, nil
		return nil
	})
	if err != nil {
		return nil, engineErr(err)
	}
	if rerr != nil {
		return nil, rerr
	}
	out.Height = h
	return out, nil
}

type stakeParams struct {
	Hotkey  runtime.Hex32  `json:"hotkey"`
	Coldkey *runtime.Hex32 `json:"coldkey"`
	Netuid  uint16         `json:"netuid"`
	At      *uint64        `json:"at"`
}

// StakeResult is state_stake's result (rao; alpha on subnets, TAO on root).
type StakeResult struct {
	Height      uint64  `json:"height"`
	Stake       *uint64 `json:"stake,omitempty"` // the coldkey's share, when a coldkey was given
	HotkeyStake uint64  `json:"hotkey_stake"`    // the hotkey's whole pool on netuid
	StakeWeight uint64  `json:"stake_weight"`    // alpha + tao_weight × root stake
	Take        uint16  `json:"take"`
}

func (s *Server) stateStake(_ context.Context, p json.RawMessage) (any, *Error) {
	sp, perr := parse[stakeParams](p)
	if perr != nil {
		return nil, perr
	}
	var out StakeResult
	h, err := s.e.Read(sp.At, func(r *runtime.Runtime) error {
		if sp.Coldkey != nil {
			v := r.Stake(sp.Hotkey, *sp.Coldkey, sp.Netuid)
			out.Stake = &v
		}
		out.HotkeyStake = r.HotkeyStake(sp.Hotkey, sp.Netuid)
		out.StakeWeight = r.StakeWeightOf(sp.Hotkey, sp.Netuid)
		out.Take = r.DelegateTake(sp.Hotkey)
		return nil
	})
	if err != nil {
		return nil, engineErr(err)
	}
	out.Height = h
	return out, nil
}

func (s *Server) stateStakes(_ context.Context, p json.RawMessage) (any, *Error) {
	sp, perr := parse[struct {
		Coldkey runtime.Hex32 `json:"coldkey"`
		At      *uint64       `json:"at"`
	}](p)
	if perr != nil {
		return nil, perr
	}
	var out []runtime.StakeInfo
	_, err := s.e.Read(sp.At, func(r *runtime.Runtime) error {
		out = r.StakeForColdkey(sp.Coldkey)
		return nil
	})
	if err != nil {
		return nil, engineErr(err)
	}
	return out, nil
}

// Emission is state_emission's result.
type Emission struct {
	Height        uint64                   `json:"height"`
	BlockEmission uint64                   `json:"block_emission"`
	TotalStake    uint64                   `json:"total_stake"`
	TotalIssuance uint64                   `json:"total_issuance"`
	Subnets       []runtime.SubnetEmission `json:"subnets"`
}

func (s *Server) stateEmission(_ context.Context, p json.RawMessage) (any, *Error) {
	ap, perr := parse[struct {
		At *uint64 `json:"at"`
	}](p)
	if perr != nil {
		return nil, perr
	}
	var out Emission
	h, err := s.e.Read(ap.At, func(r *runtime.Runtime) error {
		out = Emission{BlockEmission: r.BlockEmission(), TotalStake: r.TotalStake(), TotalIssuance: r.TotalIssuance(),
			Subnets: r.SubnetsWithEmission()}
		return nil
	})
	if err != nil {
		return nil, engineErr(err)
	}
	out.Height = h
	return out, nil
}

type waitParams struct {
	Hash      runtime.Hex32 `json:"hash"`
	TimeoutMs uint64        `json:"timeout_ms"`
}

func (s *Server) chainWaitTx(ctx context.Context, p json.RawMessage) (any, *Error) {
	wp, perr := parse[waitParams](p)
	if perr != nil {
		return nil, perr
	}
	wait := s.cfg.MaxWait
	if wp.TimeoutMs > 0 && time.Duration(wp.TimeoutMs)*time.Millisecond < wait {
		wait = time.Duration(wp.TimeoutMs) * time.Millisecond
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	b, i, err := s.e.WaitTx(wctx, wp.Hash)
	if err != nil {
		data, _ := json.Marshal(map[string]any{"hash": wp.Hash, "pending": s.e.Pending(wp.Hash)})
		return nil, &Error{Code: CodeTimeout, Message: fmt.Sprintf("transaction %s not included after %v", wp.Hash, wait), Data: data}
	}
	return TxInclusion{Hash: wp.Hash, Height: b.Height, BlockHash: b.Hash, Index: i, Result: toResult(b.Results[i])}, nil
}

// ---- subscriptions ----

func (s *Server) subHeads(ctx context.Context, _ json.RawMessage, emit func(any) error, dropped func()) (func(), *Error) {
	ch, cancel := s.e.Subscribe(256)
	go func() {
		for b := range ch {
			if emit(dev.Head{Height: b.Height, Hash: b.Hash, StateHash: b.StateHash, Time: b.Time}) != nil {
				cancel()
				return
			}
		}
		dropped()
	}()
	return cancel, nil
}

func (s *Server) subEvents(ctx context.Context, p json.RawMessage, emit func(any) error, dropped func()) (func(), *Error) {
	ep, perr := parse[struct {
		Names []string `json:"names"`
	}](p)
	if perr != nil {
		return nil, perr
	}
	names := nameSet(ep.Names)
	ch, cancel := s.e.Subscribe(256)
	go func() {
		for b := range ch {
			if emit(eventsOf(b, names)) != nil {
				cancel()
				return
			}
		}
		dropped()
	}()
	return cancel, nil
}
