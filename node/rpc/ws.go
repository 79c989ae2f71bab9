package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// maxInflight bounds the requests one WebSocket connection runs at once.
const maxInflight = 64

type wsConn struct {
	s      *Server
	c      *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	subs   map[string]func()
	nextID atomic.Uint64
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if s.limiter != nil && !s.limiter.allow(clientAddr(r)) {
		writeJSON(w, http.StatusTooManyRequests, response{JSONRPC: "2.0", ID: nullID,
			Error: errf(CodeRateLimited, "rate limit exceeded: at most %.0f requests per second per client", s.cfg.RateLimit)})
		return
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	c.SetReadLimit(s.cfg.MaxRequestBytes)
	ctx, cancel := context.WithCancel(r.Context())
	wc := &wsConn{s: s, c: c, ctx: ctx, cancel: cancel, subs: map[string]func(){}}
	defer wc.close()
	addr := clientAddr(r)
	sem := make(chan struct{}, maxInflight)
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) == websocket.StatusMessageTooBig {
				return
			}
			var ce websocket.CloseError
			if !errors.As(err, &ce) && ctx.Err() == nil {
				s.log.Debug("websocket read", "err", err)
			}
			return
		}
		if s.limiter != nil && !s.limiter.allow(addr) {
			wc.send(response{JSONRPC: "2.0", ID: idOf(data),
				Error: errf(CodeRateLimited, "rate limit exceeded: at most %.0f requests per second per client", s.cfg.RateLimit)})
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		go func() {
			defer func() { <-sem }()
			defer func() {
				if p := recover(); p != nil {
					s.log.Error("rpc websocket handler panicked", "panic", p)
					wc.send(response{JSONRPC: "2.0", ID: idOf(data), Error: errf(CodeInternal, "internal error")})
				}
			}()
			if out := wc.handle(data); out != nil {
				wc.send(out)
			}
		}()
	}
}

func idOf(data []byte) json.RawMessage {
	var r struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &r) != nil || len(r.ID) == 0 {
		return nullID
	}
	return r.ID
}

func (wc *wsConn) send(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(wc.ctx, 30*time.Second)
	defer cancel()
	if err := wc.c.Write(ctx, websocket.MessageText, b); err != nil {
		wc.cancel()
		return err
	}
	return nil
}

func (wc *wsConn) close() {
	wc.mu.Lock()
	for id, cancel := range wc.subs {
		cancel()
		delete(wc.subs, id)
	}
	wc.mu.Unlock()
	wc.cancel()
	wc.c.Close(websocket.StatusNormalClosure, "")
}

// handle answers one message: a request, a batch, or a (un)subscription.
func (wc *wsConn) handle(data []byte) any {
	var probe struct {
		Method string          `json:"method"`
		ID     json.RawMessage `json:"id"`
		Params json.RawMessage `json:"params"`
	}
	if json.Unmarshal(data, &probe) == nil {
		id := probe.ID
		if len(id) == 0 {
			id = nullID
		}
		if sm, ok := wc.s.subs[probe.Method]; ok {
			return wc.subscribe(id, probe.Method, sm, probe.Params)
		}
		if probe.Method == "unsubscribe" {
			p, perr := parse[struct {
				Subscription string `json:"subscription"`
			}](probe.Params)
			if perr != nil {
				return response{JSONRPC: "2.0", ID: id, Error: perr}
			}
			wc.mu.Lock()
			cancel, ok := wc.subs[p.Subscription]
			delete(wc.subs, p.Subscription)
			wc.mu.Unlock()
			if ok {
				cancel()
			}
			return response{JSONRPC: "2.0", ID: id, Result: ok}
		}
	}
	out, _ := wc.s.dispatch(wc.ctx, data)
	return out
}

func (wc *wsConn) subscribe(id json.RawMessage, method string, sm subMethod, params json.RawMessage) any {
	subID := strconv.FormatUint(wc.nextID.Add(1), 10)
	var ready sync.WaitGroup
	ready.Add(1)
	emit := func(v any) error {
		ready.Wait() // the subscription id reaches the client before its first notification
		n := notification{JSONRPC: "2.0", Method: method}
		n.Params.Subscription = subID
		n.Params.Result = v
		return wc.send(n)
	}
	dropped := func() {
		wc.mu.Lock()
		_, live := wc.subs[subID]
		delete(wc.subs, subID)
		wc.mu.Unlock()
		if live {
			// The subscriber fell too far behind: close the connection so the client reconnects,
			// resubscribes and catches up with chain_block.
			wc.c.Close(websocket.StatusTryAgainLater, "subscription lagged; reconnect")
			wc.cancel()
		}
	}
	cancel, rerr := sm(wc.ctx, params, emit, dropped)
	if rerr != nil {
		ready.Done()
		return response{JSONRPC: "2.0", ID: id, Error: rerr}
	}
	wc.mu.Lock()
	wc.subs[subID] = cancel
	wc.mu.Unlock()
	err := wc.send(response{JSONRPC: "2.0", ID: id, Result: subID})
	ready.Done()
	if err != nil {
		cancel()
	}
	return nil
}

// InProcess is a client transport that calls the server directly, without a network: the same
// methods, parameters, results and errors as over WebSocket (everything goes through JSON). It
// satisfies sdk/client's Transport.
type InProcess struct{ s *Server }

// InProcess returns the in-process transport.
func (s *Server) InProcess() *InProcess { return &InProcess{s} }

// Call runs method with params and decodes the result into result.
func (t *InProcess) Call(ctx context.Context, method string, params any, result any) error {
	p, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("rpc: encode params: %w", err)
	}
	if params == nil {
		p = nil
	}
	res, rerr := t.s.call(ctx, method, p)
	if rerr != nil {
		return rerr
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(b, result)
}

// Subscribe starts a subscription; fn receives each notification's result as JSON. The returned
// function ends it. A subscriber that lags and is dropped by the engine is resubscribed at once (like
// the WebSocket client after a reconnect; sdk/client fills the gap).
func (t *InProcess) Subscribe(ctx context.Context, method string, params any, fn func(json.RawMessage)) (func(), error) {
	sm, ok := t.s.subs[method]
	if !ok {
		return nil, errf(CodeMethodNotFound, "subscription %q not found", method)
	}
	p, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	if params == nil {
		p = nil
	}
	var (
		mu     sync.Mutex
		done   bool
		cancel func()
	)
	emit := func(v any) error {
		mu.Lock()
		d := done
		mu.Unlock()
		if d {
			return errors.New("unsubscribed")
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		fn(b)
		return nil
	}
	var start func() *Error
	dropped := func() {
		mu.Lock()
		d := done
		mu.Unlock()
		if !d && ctx.Err() == nil {
			go func() {
				select {
				case <-ctx.Done():
				case <-time.After(20 * time.Millisecond):
					start()
				}
			}()
		}
	}
	start = func() *Error {
		c, rerr := sm(ctx, p, emit, dropped)
		if rerr != nil {
			return rerr
		}
		mu.Lock()
		cancel = c
		mu.Unlock()
		return nil
	}
	if rerr := start(); rerr != nil {
		return nil, rerr
	}
	return func() {
		mu.Lock()
		done = true
		c := cancel
		mu.Unlock()
		c()
	}, nil
}

// Close implements the transport; the in-process transport holds nothing.
func (t *InProcess) Close() error { return nil }
