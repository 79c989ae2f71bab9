// Package dendrite is the validator-side client of the axon protocol: it signs synapses with a hotkey and
// sends them to one or many axons, byte-compatible with the Python SDK's dendrite (spec/sdk.md §3).
//
// A call never returns a Go error for what happens on the network: like the Python dendrite, it returns the
// synapse with dendrite.status_code / status_message set (200 on success; 408 timeout; 503 unreachable; 422
// unreadable response; the axon's own code otherwise), the axon and dendrite TerminalInfo merged from the
// reply, and the local process time.
//
// Fan-out runs the targets concurrently under a bound on connections in flight (default 100, aiohttp's
// default); waiting for a slot counts against the call's timeout. Nonces are wall-clock nanoseconds made
// strictly increasing across goroutines; the uuid is fixed for the life of the Dendrite. Connections are
// kept alive and reused. An axon that published a TLS certificate is reached over HTTPS with its key
// pinned (crypto/tls verification against the published key; never InsecureSkipVerify).
package dendrite

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// DefaultTimeout is the Python dendrite's default call timeout.
const DefaultTimeout = 12 * time.Second

// Dendrite sends signed synapses. It is safe for concurrent use; Close it to drop its idle connections.
type Dendrite struct {
	kp         *keys.Keypair
	hotkey     string
	uuid       string
	externalIP string
	version    int64
	now        func() time.Time
	lastNonce  atomic.Int64
	sem        chan struct{}
	maxResp    int64
	logger     *slog.Logger

	transport *http.Transport
	client    *http.Client
	dialer    *net.Dialer
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)

	pinsMu sync.RWMutex
	pins   map[string]synapse.Certificate
}

// Option configures a Dendrite.
type Option func(*Dendrite)

// WithExternalIP sets the ip the dendrite reports in bt_header_dendrite_ip (default 0.0.0.0; there is no
// web look-up). Axons overwrite it with the TCP peer address anyway.
func WithExternalIP(ip string) Option { return func(d *Dendrite) { d.externalIP = ip } }

// WithMaxConnections bounds the requests in flight (default 100).
func WithMaxConnections(n int) Option {
	return func(d *Dendrite) {
		if n > 0 {
			d.sem = make(chan struct{}, n)
		}
	}
}

// WithMaxResponseBytes bounds a response body (default 64 MiB); a larger one is a 400 payload error.
func WithMaxResponseBytes(n int64) Option { return func(d *Dendrite) { d.maxResp = n } }

// WithVersion sets bt_header_dendrite_version (default synapse.ProtocolVersion; keep it >= 7002000 so
// axons apply the wall-clock nonce rules).
func WithVersion(v int64) Option { return func(d *Dendrite) { d.version = v } }

// WithUUID fixes the dendrite uuid (tests and replays of recorded traffic; default a fresh uuid1).
func WithUUID(u string) Option { return func(d *Dendrite) { d.uuid = u } }

// WithClock sets the clock nonces come from (tests).
func WithClock(now func() time.Time) Option { return func(d *Dendrite) { d.now = now } }

// WithDialContext replaces how TCP connections are opened (a proxy, a test harness); TLS still runs on top
// with the published key pinned.
func WithDialContext(dial func(ctx context.Context, network, addr string) (net.Conn, error)) Option {
	return func(d *Dendrite) { d.dial = dial }
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(d *Dendrite) { d.logger = l } }

// New makes a dendrite that signs with hotkey (which must hold its secret).
func New(hotkey *keys.Keypair, opts ...Option) (*Dendrite, error) {
	if hotkey == nil || !hotkey.HasSecret() {
		return nil, errors.New("dendrite: the hotkey must hold its secret key")
	}
	d := &Dendrite{kp: hotkey, hotkey: hotkey.SS58(), uuid: synapse.NewUUID1(), externalIP: "0.0.0.0",
		version: synapse.ProtocolVersion, now: time.Now, maxResp: 64 << 20, logger: slog.Default(),
		pins: map[string]synapse.Certificate{}}
	for _, o := range opts {
		o(d)
	}
	if d.sem == nil {
		d.sem = make(chan struct{}, 100)
	}
	d.dialer = &net.Dialer{KeepAlive: 30 * time.Second}
	if d.dial == nil {
		d.dial = d.dialer.DialContext
	}
	d.transport = &http.Transport{
		Proxy:               nil,
		DialContext:         d.dial,
		DialTLSContext:      d.dialTLS,
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: cap(d.sem),
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	d.client = &http.Client{Transport: d.transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // an axon never redirects; following one would leak the signed request
	}}
	return d, nil
}

// Hotkey is the dendrite's hotkey address.
func (d *Dendrite) Hotkey() string { return d.hotkey }

// UUID is the dendrite's uuid1.
func (d *Dendrite) UUID() string { return d.uuid }

// Close drops idle connections. In-flight calls finish normally.
func (d *Dendrite) Close() { d.transport.CloseIdleConnections() }

// nextNonce is max(now_ns, last+1), atomically: strictly increasing across goroutines.
func (d *Dendrite) nextNonce() int64 {
	for {
		last := d.lastNonce.Load()
		n := max(d.now().UnixNano(), last+1)
		if d.lastNonce.CompareAndSwap(last, n) {
			return n
		}
	}
}

func (d *Dendrite) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	d.pinsMu.RLock()
	cert, ok := d.pins[addr]
	d.pinsMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("no published TLS certificate for %s", addr)
	}
	cfg, err := synapse.PinnedTLSConfig(cert)
	if err != nil {
		return nil, err
	}
	raw, err := d.dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	conn := tls.Client(raw, cfg)
	if err := conn.HandshakeContext(ctx); err != nil {
		_ = raw.Close()
		return nil, &tlsError{err}
	}
	return conn, nil
}

type tlsError struct{ err error }

func (e *tlsError) Error() string { return "TLS: " + e.err.Error() }
func (e *tlsError) Unwrap() error { return e.err }

// prepared is one signed request.
type prepared struct {
	url     string
	headers synapse.Headers
	body    []byte
}

// prepare fills clone (a copy of the caller's synapse) for target and signs it.
func (d *Dendrite) prepare(clone synapse.Message, target synapse.AxonInfo, timeout time.Duration) (*prepared, error) {
	s, err := synapse.SchemaOf(clone)
	if err != nil {
		return nil, err
	}
	b := synapse.BaseOf(clone)
	b.Name = s.Name
	b.Timeout = timeout.Seconds()
	b.ComputedBodyHash = ""
	b.HeaderSize, b.TotalSize = 0, 0
	b.Axon = synapse.TerminalInfo{IP: synapse.Ptr(target.IP.Unmap().String()), Port: synapse.Ptr(int(target.Port)),
		Hotkey: synapse.Ptr(target.Hotkey)}
	b.Dendrite = synapse.TerminalInfo{IP: synapse.Ptr(d.externalIP), Version: synapse.Ptr(d.version),
		UUID: synapse.Ptr(d.uuid), Hotkey: synapse.Ptr(d.hotkey)}
	hash, err := synapse.BodyHash(clone)
	if err != nil {
		return nil, err
	}
	nonce := d.nextNonce()
	b.Dendrite.Nonce = &nonce
	sig, err := d.kp.Sign([]byte(synapse.SignatureMessage(nonce, d.hotkey, target.Hotkey, d.uuid, hash)))
	if err != nil {
		return nil, err
	}
	b.Dendrite.Signature = synapse.Ptr("0x" + hex.EncodeToString(sig[:]))
	h, err := synapse.ToHeaders(clone)
	if err != nil {
		return nil, err
	}
	body, err := synapse.Marshal(clone, synapse.StyleDumps)
	if err != nil {
		return nil, err
	}
	host := target.HostPort()
	if d.externalIP != "" && d.externalIP != "0.0.0.0" && target.IP.Unmap().String() == d.externalIP {
		host = net.JoinHostPort("0.0.0.0", strconv.Itoa(int(target.Port))) // the Python dendrite's own-IP rule
	}
	scheme := "http"
	if target.TLS != nil {
		scheme = "https"
		d.pinsMu.Lock()
		d.pins[host] = *target.TLS
		d.pinsMu.Unlock()
	}
	return &prepared{url: scheme + "://" + host + "/" + s.Name, headers: h, body: body}, nil
}

// formatSeconds renders a timeout as the Python message does for the usual int and float arguments.
func formatSeconds(t time.Duration) string {
	s := t.Seconds()
	if s == float64(int64(s)) {
		return strconv.FormatInt(int64(s), 10)
	}
	return synapse.FormatFloat(s)
}
