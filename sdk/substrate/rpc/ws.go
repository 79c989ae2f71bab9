package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// DefaultReadLimit bounds one WebSocket message. Runtime answers are large (metadata about 300 KB, a
// 1,024-neuron metagraph about 370 KB as hex, whole-chain queries several MB), so the library's 32 KiB
// default is far too small.
const DefaultReadLimit = 64 << 20

// WSTransport is a JSON-RPC client over one WebSocket connection, dialled lazily and re-dialled after a
// failure. Subscriptions end (with an error) when their connection drops; callers re-subscribe.
type WSTransport struct {
	url string
	// ReadLimit bounds one message (default DefaultReadLimit).
	ReadLimit int64
	// DialTimeout bounds connecting (default 15 s).
	DialTimeout time.Duration

	id atomic.Uint64

	mu      sync.Mutex
	conn    *websocket.Conn
	pending map[uint64]chan wsResult
	subs    map[string]*wsSub
	early   map[string][]json.RawMessage
	closed  bool
}

type wsResult struct {
	r   response
	err error
}

type wsSub struct {
	ch   chan json.RawMessage
	err  chan error
	once sync.Once
}

func (s *wsSub) end(err error) {
	s.once.Do(func() {
		if err != nil {
			s.err <- err
		}
		close(s.err)
		close(s.ch)
	})
}

// NewWS returns a transport for a ws:// or wss:// endpoint. Nothing is dialled until the first call.
func NewWS(url string) *WSTransport {
	return &WSTransport{url: url, ReadLimit: DefaultReadLimit, DialTimeout: 15 * time.Second,
		pending: map[uint64]chan wsResult{}, subs: map[string]*wsSub{}, early: map[string][]json.RawMessage{}}
}

func (w *WSTransport) connect(ctx context.Context) (*websocket.Conn, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, ErrClosed
	}
	if w.conn != nil {
		return w.conn, nil
	}
	dctx, cancel := context.WithTimeout(ctx, w.DialTimeout)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, w.url, nil)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", w.url, err)
	}
	conn.SetReadLimit(w.ReadLimit)
	w.conn = conn
	go w.readLoop(conn)
	return conn, nil
}

func (w *WSTransport) readLoop(conn *websocket.Conn) {
	for {
		_, data, err := conn.Read(context.Background())
		if err != nil {
			w.fail(conn, fmt.Errorf("websocket %s: %w", w.url, err))
			return
		}
		var r response
		if json.Unmarshal(data, &r) != nil {
			continue // not JSON-RPC; ignore
		}
		if r.ID != nil {
			w.mu.Lock()
			ch := w.pending[*r.ID]
			delete(w.pending, *r.ID)
			w.mu.Unlock()
			if ch != nil {
				ch <- wsResult{r: r}
			}
			continue
		}
		if r.Params == nil || len(r.Params.Subscription) == 0 {
			continue
		}
		key := string(r.Params.Subscription)
		w.mu.Lock()
		sub := w.subs[key]
		if sub == nil {
			if len(w.early[key]) < 64 && len(w.early) < 1024 {
				w.early[key] = append(w.early[key], r.Params.Result)
			}
			w.mu.Unlock()
			continue
		}
		w.mu.Unlock()
		if r.Params.Error != nil {
			w.dropSub(key, r.Params.Error)
			continue
		}
		select {
		case sub.ch <- r.Params.Result:
		default:
			w.dropSub(key, errors.New("rpc: subscriber too slow, notifications dropped"))
		}
	}
}

func (w *WSTransport) dropSub(key string, err error) {
	w.mu.Lock()
	sub := w.subs[key]
	delete(w.subs, key)
	w.mu.Unlock()
	if sub != nil {
		sub.end(err)
	}
}

// fail ends everything that depended on conn.
func (w *WSTransport) fail(conn *websocket.Conn, err error) {
	w.mu.Lock()
	if w.conn != conn {
		w.mu.Unlock()
		return
	}
	w.conn = nil
	pending := w.pending
	subs := w.subs
	w.pending = map[uint64]chan wsResult{}
	w.subs = map[string]*wsSub{}
	w.early = map[string][]json.RawMessage{}
	w.mu.Unlock()
	_ = conn.CloseNow()
	for _, ch := range pending {
		ch <- wsResult{err: err}
	}
	for _, s := range subs {
		s.end(err)
	}
}

// Call implements Transport.
func (w *WSTransport) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	conn, err := w.connect(ctx)
	if err != nil {
		return nil, err
	}
	id := w.id.Add(1)
	body, err := json.Marshal(request{JSONRPC: "2.0", ID: id, Method: method, Params: normParams(params)})
	if err != nil {
		return nil, err
	}
	ch := make(chan wsResult, 1)
	w.mu.Lock()
	w.pending[id] = ch
	w.mu.Unlock()
	forget := func() {
		w.mu.Lock()
		delete(w.pending, id)
		w.mu.Unlock()
	}
	if err := conn.Write(ctx, websocket.MessageText, body); err != nil {
		forget()
		w.fail(conn, err)
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case res := <-ch:
		if res.err != nil {
			return nil, fmt.Errorf("%s: %w", method, res.err)
		}
		if res.r.Error != nil {
			return nil, res.r.Error
		}
		return res.r.Result, nil
	case <-ctx.Done():
		forget()
		return nil, fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Subscribe implements Subscriber.
func (w *WSTransport) Subscribe(ctx context.Context, method, unsubscribe string, params ...any) (*Subscription, error) {
	raw, err := w.Call(ctx, method, params...)
	if err != nil {
		return nil, err
	}
	key := string(raw)
	sub := &wsSub{ch: make(chan json.RawMessage, 256), err: make(chan error, 1)}
	w.mu.Lock()
	if w.conn == nil {
		w.mu.Unlock()
		return nil, fmt.Errorf("%s: connection lost", method)
	}
	w.subs[key] = sub
	for _, n := range w.early[key] {
		sub.ch <- n
	}
	delete(w.early, key)
	w.mu.Unlock()
	var idParam any
	_ = json.Unmarshal(raw, &idParam)
	cancel := func() {
		w.mu.Lock()
		_, live := w.subs[key]
		delete(w.subs, key)
		w.mu.Unlock()
		if live {
			uctx, c := context.WithTimeout(context.Background(), 5*time.Second)
			_, _ = w.Call(uctx, unsubscribe, idParam)
			c()
		}
		sub.end(nil)
	}
	return &Subscription{C: sub.ch, err: sub.err, cancel: cancel}, nil
}

// Close implements Transport: it closes the connection and ends every call and subscription.
func (w *WSTransport) Close() error {
	w.mu.Lock()
	w.closed = true
	conn := w.conn
	w.mu.Unlock()
	if conn != nil {
		w.fail(conn, ErrClosed)
	}
	return nil
}
