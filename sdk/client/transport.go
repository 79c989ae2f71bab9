package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Transport carries JSON-RPC to a gotensor node. The WebSocket transport (Dial) is the usual one;
// node/rpc's InProcess satisfies it for tests without a network. Errors that carry a JSON-RPC error
// implement RPCCode() int, RPCMessage() string and RPCData() json.RawMessage.
type Transport interface {
	// Call runs method with params (marshalled as JSON; nil sends none) and decodes the result into
	// result (nil discards it).
	Call(ctx context.Context, method string, params any, result any) error
	// Subscribe starts a subscription; fn gets each notification's result. A transport that loses
	// the subscription without being able to restore it calls fn(nil). The returned function ends it.
	Subscribe(ctx context.Context, method string, params any, fn func(json.RawMessage)) (func(), error)
	Close() error
}

// Networks maps btcli's network names that a gotensor node can serve.
var Networks = map[string]string{
	"local": "ws://127.0.0.1:9944",
}

// ResolveEndpoint turns a network name or URL into a ws://, wss://, http:// or https:// URL.
func ResolveEndpoint(network string) (string, error) {
	if network == "" {
		network = "local"
	}
	if u, ok := Networks[network]; ok {
		return u, nil
	}
	if !strings.Contains(network, "://") {
		if _, _, err := net.SplitHostPort(network); err == nil {
			return "ws://" + network, nil
		}
		return "", fmt.Errorf("unknown network %q: use \"local\" or a ws://, wss://, http:// or https:// URL", network)
	}
	u, err := url.Parse(network)
	if err != nil {
		return "", fmt.Errorf("bad endpoint %q: %v", network, err)
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
		return network, nil
	}
	return "", fmt.Errorf("bad endpoint %q: the scheme must be ws, wss, http or https", network)
}

type rpcErr struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *rpcErr) Error() string            { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }
func (e *rpcErr) RPCCode() int             { return e.Code }
func (e *rpcErr) RPCMessage() string       { return e.Message }
func (e *rpcErr) RPCData() json.RawMessage { return e.Data }

type rpcResponse struct {
	ID     *uint64         `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  *rpcErr         `json:"error"`
	Params *struct {
		Subscription string          `json:"subscription"`
		Result       json.RawMessage `json:"result"`
	} `json:"params"`
}

type rpcRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  any    `json:"params,omitempty"`
}

func noNode(endpoint string, err error) error {
	host := endpoint
	if u, perr := url.Parse(endpoint); perr == nil && u.Host != "" {
		host = u.Host
	}
	return fmt.Errorf("%w at %s: is `gotensor node` running? (%v)", ErrNoNode, host, err)
}

// ---- HTTP ----

// HTTPTransport sends each call as an HTTP POST. It cannot subscribe.
type HTTPTransport struct {
	URL    string
	Client *http.Client
	mu     sync.Mutex
	id     uint64
}

// Call implements Transport.
func (t *HTTPTransport) Call(ctx context.Context, method string, params any, result any) error {
	t.mu.Lock()
	t.id++
	id := t.id
	t.mu.Unlock()
	body, err := json.Marshal(rpcRequest{JSONRPC: "2.0", ID: id, Method: method, Params: params})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	hc := t.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return noNode(t.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrConnectionLost, err)
	}
	var r rpcResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return fmt.Errorf("node answered HTTP %d with something that is not JSON-RPC: %.200s", resp.StatusCode, data)
	}
	if r.Error != nil {
		return r.Error
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(r.Result, result)
}

// Subscribe implements Transport: HTTP cannot carry subscriptions.
func (t *HTTPTransport) Subscribe(context.Context, string, any, func(json.RawMessage)) (func(), error) {
	return nil, fmt.Errorf("subscriptions need a WebSocket endpoint (ws://): %w", ErrUnsupported)
}

// Close implements Transport.
func (t *HTTPTransport) Close() error { return nil }

// ---- WebSocket ----

// WSTransport multiplexes calls and subscriptions over one WebSocket. It connects lazily, reconnects
// when the connection drops (with backoff) and re-issues every live subscription on the new connection.
type WSTransport struct {
	url string
	log *slog.Logger

	mu      sync.Mutex
	conn    *websocket.Conn
	connGen int
	nextID  uint64
	pending map[uint64]chan rpcResponse
	subs    map[int]*wsSub
	bySrv   map[string]*wsSub
	orphans map[string][]json.RawMessage // notifications that beat their subscription's response
	subSeq  int
	closed  bool
	redial  bool
	done    chan struct{}
}

type wsSub struct {
	method string
	params any
	fn     func(json.RawMessage)
	srvID  string
	gen    int
	mu     sync.Mutex // serialises fn
}

// NewWSTransport returns a WebSocket transport for url (ws:// or wss://). It does not connect yet.
func NewWSTransport(u string, log *slog.Logger) *WSTransport {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &WSTransport{url: u, log: log, pending: map[uint64]chan rpcResponse{}, subs: map[int]*wsSub{},
		bySrv: map[string]*wsSub{}, orphans: map[string][]json.RawMessage{}, done: make(chan struct{})}
}

// connect returns the live connection, dialling if there is none.
func (t *WSTransport) connect(ctx context.Context) (*websocket.Conn, int, error) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil, 0, ErrClosed
	}
	if t.conn != nil {
		c, g := t.conn, t.connGen
		t.mu.Unlock()
		return c, g, nil
	}
	t.mu.Unlock()
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(dctx, t.url, nil)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, noNode(t.url, err)
	}
	c.SetReadLimit(512 << 20)
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		c.CloseNow()
		return nil, 0, ErrClosed
	}
	if t.conn != nil { // lost a race with another dialler
		old, g := t.conn, t.connGen
		t.mu.Unlock()
		c.CloseNow()
		return old, g, nil
	}
	t.conn = c
	t.connGen++
	gen := t.connGen
	t.mu.Unlock()
	go t.readLoop(c, gen)
	return c, gen, nil
}

func (t *WSTransport) readLoop(c *websocket.Conn, gen int) {
	for {
		_, data, err := c.Read(context.Background())
		if err != nil {
			t.lost(gen, err)
			return
		}
		r, ok := fastResponse(data)
		if !ok && json.Unmarshal(data, &r) != nil {
			continue
		}
		if r.ID != nil {
			t.mu.Lock()
			ch := t.pending[*r.ID]
			delete(t.pending, *r.ID)
			t.mu.Unlock()
			if ch != nil {
				ch <- r
			}
			continue
		}
		if r.Params != nil {
			t.mu.Lock()
			s := t.bySrv[r.Params.Subscription]
			if s == nil && len(t.orphans) > 256 {
				clear(t.orphans) // late notifications of ended subscriptions
			}
			if s == nil && len(t.orphans[r.Params.Subscription]) < 64 {
				t.orphans[r.Params.Subscription] = append(t.orphans[r.Params.Subscription], r.Params.Result)
			}
			t.mu.Unlock()
			if s != nil {
				s.mu.Lock()
				s.fn(r.Params.Result)
				s.mu.Unlock()
			}
		}
	}
}

// lost handles a dropped connection: pending calls fail, and subscriptions are restored on a new one.
func (t *WSTransport) lost(gen int, err error) {
	t.mu.Lock()
	if t.connGen != gen || t.conn == nil {
		t.mu.Unlock()
		return
	}
	t.conn.CloseNow()
	t.conn = nil
	for id, ch := range t.pending {
		ch <- rpcResponse{Error: nil, Method: "\x00lost"}
		delete(t.pending, id)
	}
	clear(t.bySrv)
	clear(t.orphans)
	closed := t.closed
	needRedial := len(t.subs) > 0 && !closed && !t.redial
	if needRedial {
		t.redial = true
	}
	t.mu.Unlock()
	if !closed {
		t.log.Warn("connection to node lost", "url", t.url, "err", err)
	}
	if needRedial {
		go t.resubscribeLoop()
	}
}

func (t *WSTransport) resubscribeLoop() {
	backoff := 100 * time.Millisecond
	for {
		select {
		case <-t.done:
			return
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, gen, err := t.connect(ctx)
		if err == nil {
			err = t.resubscribeAll(ctx, gen)
		}
		cancel()
		if err == nil {
			t.mu.Lock()
			t.redial = false
			t.mu.Unlock()
			t.log.Info("reconnected to node; subscriptions restored", "url", t.url)
			return
		}
		select {
		case <-t.done:
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (t *WSTransport) resubscribeAll(ctx context.Context, gen int) error {
	t.mu.Lock()
	subs := make([]*wsSub, 0, len(t.subs))
	for _, s := range t.subs {
		if s.gen != gen {
			subs = append(subs, s)
		}
	}
	t.mu.Unlock()
	for _, s := range subs {
		if err := t.startSub(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (t *WSTransport) roundTrip(ctx context.Context, method string, params any) (json.RawMessage, int, error) {
	c, gen, err := t.connect(ctx)
	if err != nil {
		return nil, 0, err
	}
	t.mu.Lock()
	t.nextID++
	id := t.nextID
	ch := make(chan rpcResponse, 1)
	t.pending[id] = ch
	t.mu.Unlock()
	body, err := json.Marshal(rpcRequest{JSONRPC: "2.0", ID: id, Method: method, Params: params})
	if err != nil {
		t.drop(id)
		return nil, 0, err
	}
	if err := c.Write(ctx, websocket.MessageText, body); err != nil {
		t.drop(id)
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		t.lost(gen, err)
		return nil, 0, fmt.Errorf("%w: %v", ErrConnectionLost, err)
	}
	select {
	case r := <-ch:
		if r.Method == "\x00lost" {
			return nil, 0, fmt.Errorf("%w while waiting for %s", ErrConnectionLost, method)
		}
		if r.Error != nil {
			return nil, 0, r.Error
		}
		return r.Result, gen, nil
	case <-ctx.Done():
		t.drop(id)
		return nil, 0, ctx.Err()
	}
}

func (t *WSTransport) drop(id uint64) {
	t.mu.Lock()
	delete(t.pending, id)
	t.mu.Unlock()
}

// Call implements Transport.
func (t *WSTransport) Call(ctx context.Context, method string, params any, result any) error {
	raw, _, err := t.roundTrip(ctx, method, params)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(raw, result)
}

func (t *WSTransport) startSub(ctx context.Context, s *wsSub) error {
	// Register under a placeholder so a notification racing the response is not lost: the server
	// sends the response before the first notification, and the read loop handles them in order.
	raw, gen, err := t.roundTrip(ctx, s.method, s.params)
	if err != nil {
		return err
	}
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		return fmt.Errorf("subscribe %s: bad subscription id %s", s.method, raw)
	}
	s.mu.Lock() // hold fn back until the early notifications are delivered, in order
	defer s.mu.Unlock()
	t.mu.Lock()
	s.srvID, s.gen = id, gen
	t.bySrv[id] = s
	early := t.orphans[id]
	delete(t.orphans, id)
	t.mu.Unlock()
	for _, n := range early {
		s.fn(n)
	}
	return nil
}

// Subscribe implements Transport. The subscription survives reconnects.
func (t *WSTransport) Subscribe(ctx context.Context, method string, params any, fn func(json.RawMessage)) (func(), error) {
	s := &wsSub{method: method, params: params, fn: fn}
	// Registered first, so a connection lost right after the server's answer still restores it.
	t.mu.Lock()
	t.subSeq++
	key := t.subSeq
	t.subs[key] = s
	t.mu.Unlock()
	if err := t.startSub(ctx, s); err != nil {
		t.mu.Lock()
		delete(t.subs, key)
		t.mu.Unlock()
		return nil, err
	}
	return func() {
		t.mu.Lock()
		delete(t.subs, key)
		delete(t.bySrv, s.srvID)
		srv := s.srvID
		t.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		t.Call(ctx, "unsubscribe", map[string]string{"subscription": srv}, nil)
	}, nil
}

// Close implements Transport.
func (t *WSTransport) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	close(t.done)
	c := t.conn
	t.conn = nil
	for id, ch := range t.pending {
		ch <- rpcResponse{Method: "\x00lost"}
		delete(t.pending, id)
	}
	t.mu.Unlock()
	if c != nil {
		c.Close(websocket.StatusNormalClosure, "")
	}
	return nil
}

// DialTransport returns the transport for an endpoint (a network name or URL; see ResolveEndpoint). A
// ws:// endpoint gives a WSTransport; an http:// one a transport that calls over HTTP and subscribes
// over a WebSocket to the same address.
func DialTransport(endpoint string, log *slog.Logger) (Transport, error) {
	u, err := ResolveEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(u, "http") {
		return &mixedTransport{HTTPTransport: &HTTPTransport{URL: u}, ws: NewWSTransport("ws"+strings.TrimPrefix(u, "http"), log)}, nil
	}
	return NewWSTransport(u, log), nil
}

type mixedTransport struct {
	*HTTPTransport
	ws *WSTransport
}

func (m *mixedTransport) Subscribe(ctx context.Context, method string, params any, fn func(json.RawMessage)) (func(), error) {
	return m.ws.Subscribe(ctx, method, params, fn)
}

func (m *mixedTransport) Close() error { return errors.Join(m.HTTPTransport.Close(), m.ws.Close()) }

// fastResponse splits a success response as node/rpc writes it ({"jsonrpc":"2.0","id":N,"result":...})
// without validating the result, which the caller's decode validates anyway: large results (a
// metagraph) are then scanned once instead of twice. Anything else takes the general path.
func fastResponse(data []byte) (rpcResponse, bool) {
	const prefix = `{"jsonrpc":"2.0","id":`
	if !bytes.HasPrefix(data, []byte(prefix)) {
		return rpcResponse{}, false
	}
	rest := data[len(prefix):]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 || i > 19 || !bytes.HasPrefix(rest[i:], []byte(`,"result":`)) {
		return rpcResponse{}, false
	}
	id, err := strconv.ParseUint(string(rest[:i]), 10, 64)
	if err != nil {
		return rpcResponse{}, false
	}
	body := bytes.TrimRight(rest[i+len(`,"result":`):], " \t\r\n")
	if len(body) < 2 || body[len(body)-1] != '}' {
		return rpcResponse{}, false
	}
	return rpcResponse{ID: &id, Result: json.RawMessage(body[:len(body)-1])}, true
}
