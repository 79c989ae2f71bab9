// Package rpc is the JSON-RPC 2.0 layer of the substrate backend: transports over WebSocket (with
// subscriptions) and HTTP, a Client that adds per-call deadlines, retries with backoff and a fallback to an
// archive node when a pruned node answers "state discarded", and a Replay transport that serves recorded
// conversations offline and fails on any request that was not recorded.
package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error is a JSON-RPC error object returned by the node.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// Error formats the code and message.
func (e *Error) Error() string {
	if len(e.Data) > 0 && string(e.Data) != "null" {
		return fmt.Sprintf("rpc error %d: %s (%s)", e.Code, e.Message, e.Data)
	}
	return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message)
}

// Well-known error codes.
const (
	CodeMethodNotFound = -32601
	// CodeStateDiscarded is what a pruned Substrate node answers for a block whose state it dropped.
	CodeStateDiscarded = 4003
)

// ErrClosed is returned by calls on a closed transport.
var ErrClosed = errors.New("rpc: transport closed")

// IsStateDiscarded reports whether err means the node pruned the state asked for, so an archive node
// should be asked instead.
func IsStateDiscarded(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == CodeStateDiscarded || strings.Contains(e.Message, "State already discarded") ||
		strings.Contains(e.Message, "UnknownBlock")
}

// Transport sends one JSON-RPC request and returns the raw result.
type Transport interface {
	Call(ctx context.Context, method string, params ...any) (json.RawMessage, error)
	Close() error
}

// Subscriber is a transport that supports Substrate-style subscriptions (WebSocket).
type Subscriber interface {
	Transport
	// Subscribe calls method, whose result is a subscription id, and delivers every notification for
	// that id. Closing the subscription calls unsubscribe.
	Subscribe(ctx context.Context, method, unsubscribe string, params ...any) (*Subscription, error)
}

// Subscription delivers notifications until it is closed or its transport fails.
type Subscription struct {
	// C receives each notification's result. It is closed when the subscription ends; Err then says why.
	C      <-chan json.RawMessage
	err    chan error
	cancel func()
	final  error
}

// Err returns the reason the subscription ended (nil after Close), waiting until it has ended.
func (s *Subscription) Err() error {
	if e, ok := <-s.err; ok {
		s.final = e
	}
	return s.final
}

// Close ends the subscription.
func (s *Subscription) Close() { s.cancel() }

// ClientOptions tunes a Client.
type ClientOptions struct {
	// Timeout bounds each call (default 30 s). A deadline already on the context wins when earlier.
	Timeout time.Duration
	// Retries is how many times a call is retried after a transport failure (not after a JSON-RPC error
	// answer); default 2. Backoff starts at RetryDelay (default 250 ms) and doubles.
	Retries    int
	RetryDelay time.Duration
	// Archive, when set, answers calls the primary refuses with "state discarded".
	Archive Transport
}

// Client wraps a transport with deadlines, retries and archive fallback.
type Client struct {
	t    Transport
	opts ClientOptions
}

// NewClient returns a client over t.
func NewClient(t Transport, opts ClientOptions) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	} else if opts.Retries == 0 {
		opts.Retries = 2
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = 250 * time.Millisecond
	}
	return &Client{t: t, opts: opts}
}

// Transport is the primary transport.
func (c *Client) Transport() Transport { return c.t }

// Close closes the transports.
func (c *Client) Close() error {
	err := c.t.Close()
	if c.opts.Archive != nil {
		err = errors.Join(err, c.opts.Archive.Close())
	}
	return err
}

// Call performs one call, retrying transport failures and falling back to the archive transport when
// the primary has discarded the state.
func (c *Client) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	res, err := c.callRetry(ctx, c.t, method, params)
	if err != nil && c.opts.Archive != nil && IsStateDiscarded(err) {
		res, err = c.callRetry(ctx, c.opts.Archive, method, params)
		if err != nil {
			return nil, fmt.Errorf("%s (archive): %w", method, err)
		}
	}
	return res, err
}

// CallInto performs Call and unmarshals the result into out.
func (c *Client) CallInto(ctx context.Context, out any, method string, params ...any) error {
	raw, err := c.Call(ctx, method, params...)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s: decode result: %w", method, err)
	}
	return nil
}

// Subscribe opens a subscription when the transport supports it.
func (c *Client) Subscribe(ctx context.Context, method, unsubscribe string, params ...any) (*Subscription, error) {
	s, ok := c.t.(Subscriber)
	if !ok {
		return nil, fmt.Errorf("rpc: %s needs a WebSocket endpoint (subscriptions are not available over HTTP)", method)
	}
	return s.Subscribe(ctx, method, unsubscribe, params...)
}

func (c *Client) callRetry(ctx context.Context, t Transport, method string, params []any) (json.RawMessage, error) {
	delay := c.opts.RetryDelay
	var lastErr error
	for attempt := 0; attempt <= c.opts.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("%s: %w (last error: %v)", method, ctx.Err(), lastErr)
			case <-time.After(delay):
			}
			delay *= 2
		}
		cctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
		res, err := t.Call(cctx, method, params...)
		cancel()
		if err == nil {
			return res, nil
		}
		var rpcErr *Error
		if errors.As(err, &rpcErr) || errors.Is(err, ErrClosed) || ctx.Err() != nil {
			return nil, err // the node answered, or the caller gave up: retrying cannot help
		}
		lastErr = err
	}
	return nil, fmt.Errorf("%s: %w (after %d attempts)", method, lastErr, c.opts.Retries+1)
}

type request struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

type response struct {
	ID     *uint64         `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *Error          `json:"error"`
	// notifications
	Method string `json:"method"`
	Params *struct {
		Subscription json.RawMessage `json:"subscription"`
		Result       json.RawMessage `json:"result"`
		Error        *Error          `json:"error"`
	} `json:"params"`
}

func normParams(p []any) []any {
	if p == nil {
		return []any{}
	}
	return p
}
