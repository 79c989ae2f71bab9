package axon

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// Request is what the axon knows about a caller. In Blacklist the identity fields are the caller's
// unverified claims (the blacklist runs before verification, as in Python, so that rejecting is cheap); in
// Verify, Priority and Forward they are verified: the signature over them checked, the nonce fresh.
type Request struct {
	// Name is the synapse name (the route).
	Name string
	// Hotkey is the caller's SS58 hotkey and PublicKey its key (PublicKey is zero before verification).
	Hotkey    string
	PublicKey [32]byte
	// UUID, Nonce and Version are the dendrite's.
	UUID    string
	Nonce   int64
	Version int64
	// Timeout is the caller's timeout in seconds.
	Timeout float64
	// Remote is the TCP peer.
	Remote netip.AddrPort
	// Verified is false only in Blacklist.
	Verified bool
}

// Handler serves one synapse type. Only Forward is required.
type Handler[PT synapse.Message] struct {
	// Forward fills the response fields of syn (the request body, its dendrite identity replaced by the
	// verified one). Returning a *synapse.StatusError answers with that code and message; any other error
	// gives 500. Setting syn.Axon.StatusCode answers with that code and the full body.
	Forward func(ctx context.Context, req *Request, syn PT) error
	// Blacklist sees the header-built synapse (required fields at dummy values) and unverified claims;
	// true rejects with 403 and the reason.
	Blacklist func(ctx context.Context, req *Request, syn PT) (bool, string)
	// Verify runs after the built-in signature and nonce checks (it cannot weaken them); an error gives 401.
	Verify func(ctx context.Context, req *Request, syn PT) error
	// Priority orders the queue: higher first (FIFO among equals).
	Priority func(ctx context.Context, req *Request, syn PT) float64
}

// StreamFunc writes a streaming reply's body; every Write is flushed to the caller as a chunk.
type StreamFunc func(ctx context.Context, w *StreamWriter) error

// StreamHandler serves a streaming synapse: Forward does the work before streaming (it may set fields of
// syn, which the reply headers carry) and returns the function that writes the body.
type StreamHandler[PT synapse.Message] struct {
	Forward   func(ctx context.Context, req *Request, syn PT) (StreamFunc, error)
	Blacklist func(ctx context.Context, req *Request, syn PT) (bool, string)
	Verify    func(ctx context.Context, req *Request, syn PT) error
	Priority  func(ctx context.Context, req *Request, syn PT) float64
}

// route is a type-erased attached synapse.
type route struct {
	name      string
	schema    *synapse.Schema
	newMsg    func() synapse.Message
	forward   func(context.Context, *Request, synapse.Message) error
	stream    func(context.Context, *Request, synapse.Message) (StreamFunc, error)
	blacklist func(context.Context, *Request, synapse.Message) (bool, string)
	verify    func(context.Context, *Request, synapse.Message) error
	priority  func(context.Context, *Request, synapse.Message) float64
}

// Axon is the miner-side server: one route per attached synapse, the Python pipeline (blacklist, verify,
// priority, body hash, forward) with the Python status codes, a priority queue with a worker pool, /info,
// Prometheus metrics and optional TLS.
type Axon struct {
	cfg     Config
	hotkey  *keys.Keypair
	uuid    string
	verify  *verifier
	metrics *metrics

	mu      sync.RWMutex
	routes  map[string]*route
	names   []string
	started bool

	tlsKey  ed25519.PrivateKey
	tlsCert tls.Certificate

	srv      *http.Server
	ln       net.Listener
	msrv     *http.Server
	mln      net.Listener
	pool     *pool
	serveErr chan error
	stopOnce sync.Once
	stopErr  error
}

// New makes an axon serving with hotkey (which must hold its secret: the axon signs its error replies).
// The base synapse "Synapse" (ping) is attached, as in Python.
func New(hotkey *keys.Keypair, cfg Config) (*Axon, error) {
	if hotkey == nil || !hotkey.HasSecret() {
		return nil, errors.New("axon: the hotkey must hold its secret key")
	}
	cfg = cfg.withDefaults()
	a := &Axon{cfg: cfg, hotkey: hotkey, uuid: synapse.NewUUID1(), routes: map[string]*route{},
		metrics: newMetrics()}
	a.verify = newVerifier(hotkey.SS58(), cfg.Now, cfg.MaxNonceTimeout, cfg.NonceEndpoints)
	a.pool = newPool(cfg.MaxWorkers, cfg.QueueSize,
		func(d int) { a.metrics.queue.Set(float64(d)) }, func(b int) { a.metrics.busy.Set(float64(b)) })
	if cfg.TLS {
		key := cfg.TLSKey
		if key == nil {
			var err error
			if _, key, err = ed25519.GenerateKey(rand.Reader); err != nil {
				return nil, err
			}
		}
		cert, err := synapse.NewTLSCertificate(key)
		if err != nil {
			return nil, err
		}
		a.tlsKey, a.tlsCert = key, cert
	}
	if err := Attach(a, Handler[*synapse.Ping]{Forward: func(context.Context, *Request, *synapse.Ping) error { return nil }}); err != nil {
		return nil, err
	}
	return a, nil
}

// Attach adds the route POST (and GET) /<Name> for synapse type T.
func Attach[T any, PT interface {
	*T
	synapse.Message
}](a *Axon, h Handler[PT]) error {
	if h.Forward == nil {
		return errors.New("axon: Attach needs a Forward function")
	}
	r, err := newRoute[T, PT](h.Blacklist, h.Verify, h.Priority)
	if err != nil {
		return err
	}
	r.forward = func(ctx context.Context, req *Request, m synapse.Message) error { return h.Forward(ctx, req, m.(PT)) }
	return a.add(r)
}

// AttachStream adds a streaming route for synapse type T.
func AttachStream[T any, PT interface {
	*T
	synapse.Message
}](a *Axon, h StreamHandler[PT]) error {
	if h.Forward == nil {
		return errors.New("axon: AttachStream needs a Forward function")
	}
	r, err := newRoute[T, PT](h.Blacklist, h.Verify, h.Priority)
	if err != nil {
		return err
	}
	r.stream = func(ctx context.Context, req *Request, m synapse.Message) (StreamFunc, error) {
		return h.Forward(ctx, req, m.(PT))
	}
	return a.add(r)
}

func newRoute[T any, PT interface {
	*T
	synapse.Message
}](bl func(context.Context, *Request, PT) (bool, string), vf func(context.Context, *Request, PT) error,
	pr func(context.Context, *Request, PT) float64) (*route, error) {
	s, err := synapse.SchemaFor[T, PT]()
	if err != nil {
		return nil, err
	}
	r := &route{name: s.Name, schema: s, newMsg: func() synapse.Message { return PT(new(T)) }}
	if bl != nil {
		r.blacklist = func(ctx context.Context, q *Request, m synapse.Message) (bool, string) { return bl(ctx, q, m.(PT)) }
	}
	if vf != nil {
		r.verify = func(ctx context.Context, q *Request, m synapse.Message) error { return vf(ctx, q, m.(PT)) }
	}
	if pr != nil {
		r.priority = func(ctx context.Context, q *Request, m synapse.Message) float64 { return pr(ctx, q, m.(PT)) }
	}
	return r, nil
}

func (a *Axon) add(r *route) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.started {
		return errors.New("axon: attach synapses before Start")
	}
	if r.name == infoPath {
		return fmt.Errorf("axon: synapse name %q is reserved for the info endpoint", r.name)
	}
	if _, dup := a.routes[r.name]; dup && r.name != "Synapse" {
		return fmt.Errorf("axon: synapse %q attached twice", r.name)
	}
	if _, dup := a.routes[r.name]; !dup {
		a.names = append(a.names, r.name)
	}
	a.routes[r.name] = r
	return nil
}

// Hotkey is the axon's hotkey address.
func (a *Axon) Hotkey() string { return a.hotkey.SS58() }

// UUID is the axon's uuid1, fixed for its life.
func (a *Axon) UUID() string { return a.uuid }

// Synapses lists the attached synapse names in attach order.
func (a *Axon) Synapses() []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return slices.Clone(a.names)
}

// Certificate is the TLS certificate to publish on chain (algorithm byte + key), or nil without TLS.
func (a *Axon) Certificate() []byte {
	if a.tlsKey == nil {
		return nil
	}
	return synapse.CertificateFor(a.tlsKey.Public().(ed25519.PublicKey)).Bytes()
}

// Start binds the listener (and the metrics listener) and serves in the background.
func (a *Axon) Start() error {
	addr := net.JoinHostPort(a.cfg.IP, strconv.Itoa(a.cfg.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("axon: listen on %s: %w", addr, err)
	}
	return a.Serve(ln)
}

// Serve serves on ln in the background (Start binds one for you).
func (a *Axon) Serve(ln net.Listener) error {
	a.mu.Lock()
	if a.started {
		a.mu.Unlock()
		return errors.New("axon: already started")
	}
	a.started = true
	a.mu.Unlock()
	if a.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.cfg.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("axon: metrics listen on %s: %w", a.cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(a.metrics.reg, promhttp.HandlerOpts{}))
		a.mln = mln
		a.msrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second}
		go func() { _ = a.msrv.Serve(mln) }()
	}
	a.srv = &http.Server{
		Handler:           a,
		ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
		ReadTimeout:       a.cfg.ReadTimeout,
		WriteTimeout:      a.cfg.WriteTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
		MaxHeaderBytes:    a.cfg.MaxHeaderBytes,
		ErrorLog:          nil,
	}
	if a.tlsKey != nil {
		a.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{a.tlsCert}, MinVersion: tls.VersionTLS13,
			NextProtos: []string{"http/1.1"}}
		ln = tls.NewListener(ln, a.srv.TLSConfig)
	}
	// HTTP/1.1 only, as the Python axon.
	a.srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	a.ln = ln
	a.serveErr = make(chan error, 1)
	go func() {
		err := a.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		a.serveErr <- err
	}()
	return nil
}

// Addr is the bound address (after Start).
func (a *Axon) Addr() net.Addr {
	if a.ln == nil {
		return nil
	}
	return a.ln.Addr()
}

// MetricsAddr is the bound metrics address, or nil.
func (a *Axon) MetricsAddr() net.Addr {
	if a.mln == nil {
		return nil
	}
	return a.mln.Addr()
}

// Shutdown stops accepting, waits for the requests in flight until ctx ends (then drops the rest), and
// stops the workers and the metrics server.
func (a *Axon) Shutdown(ctx context.Context) error {
	a.mu.RLock()
	started := a.started
	a.mu.RUnlock()
	if !started || a.srv == nil {
		return nil
	}
	a.stopOnce.Do(func() {
		err := a.srv.Shutdown(ctx)
		if err != nil {
			_ = a.srv.Close()
		}
		if serr := <-a.serveErr; serr != nil && err == nil {
			err = serr
		}
		if a.msrv != nil {
			_ = a.msrv.Close()
		}
		a.stopErr = err
	})
	return a.stopErr
}

// Info is the AxonInfo to announce: the external address, version, hotkey and TLS certificate.
func (a *Axon) Info() (synapse.AxonInfo, error) {
	ip, err := parseExternalIP(a.cfg.ExternalIP)
	if err != nil {
		return synapse.AxonInfo{}, err
	}
	port := a.cfg.ExternalPort
	if port == 0 {
		port = a.cfg.Port
		if tcp, ok := a.Addr().(*net.TCPAddr); ok && a.ln != nil {
			port = tcp.Port
		}
	}
	if !validAnnouncePort(port) {
		return synapse.AxonInfo{}, fmt.Errorf("axon: external port %d out of range (1024 < port < 65535)", port)
	}
	info := synapse.AxonInfo{Version: synapse.ProtocolVersion, IP: ip, Port: uint16(port), Hotkey: a.Hotkey(),
		Coldkey: a.cfg.Coldkey, Protocol: 4}
	if c := a.Certificate(); c != nil {
		cert, _ := synapse.ParseCertificate(c)
		info.TLS = &cert
	}
	return info, nil
}

// Announcer publishes an axon on chain; the chain client implements it (serve_axon / serve_axon_tls,
// signed by the hotkey; it may skip the call when the chain already holds the same AxonInfo).
type Announcer interface {
	ServeAxon(ctx context.Context, netuid uint16, info synapse.AxonInfo) error
	ServeAxonTLS(ctx context.Context, netuid uint16, info synapse.AxonInfo, certificate []byte) error
}

// ServeOnChain announces the axon's external ip:port (and TLS key) on netuid.
func (a *Axon) ServeOnChain(ctx context.Context, ann Announcer, netuid uint16) error {
	info, err := a.Info()
	if err != nil {
		return err
	}
	if info.TLS != nil {
		return ann.ServeAxonTLS(ctx, netuid, info, info.TLS.Bytes())
	}
	return ann.ServeAxon(ctx, netuid, info)
}

// infoPath is the route of the info endpoint.
const infoPath = "info"

// infoReply is the /info document.
type infoReply struct {
	Hotkey   string        `json:"hotkey"`
	UUID     string        `json:"uuid"`
	Version  int           `json:"version"`
	TLS      bool          `json:"tls"`
	Synapses []infoSynapse `json:"synapses"`
}

type infoSynapse struct {
	Name       string              `json:"name"`
	Timeout    float64             `json:"timeout"`
	Streaming  bool                `json:"streaming"`
	HashFields []string            `json:"required_hash_fields"`
	Fields     []synapse.FieldInfo `json:"fields"`
}

func (a *Axon) info() infoReply {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r := infoReply{Hotkey: a.Hotkey(), UUID: a.uuid, Version: synapse.ProtocolVersion, TLS: a.tlsKey != nil}
	for _, n := range a.names {
		rt := a.routes[n]
		r.Synapses = append(r.Synapses, infoSynapse{Name: n, Timeout: rt.schema.Timeout, Streaming: rt.stream != nil,
			HashFields: rt.schema.HashFields, Fields: rt.schema.Fields})
	}
	return r
}

func pyList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = synapse.PyRepr(n)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
