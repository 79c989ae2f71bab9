package axon

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

// Config configures an Axon. The zero value is usable: every unset field takes the default below.
type Config struct {
	// IP and Port are what the server binds. IP "" binds every interface (the Python axon always binds
	// 0.0.0.0); Port 0 picks a free port. Default port: 8091 (BT_AXON_PORT).
	IP   string
	Port int
	// ExternalIP and ExternalPort are what ServeOnChain announces; there is no web look-up, so ExternalIP
	// must be given to announce (BT_AXON_EXTERNAL_IP, BT_AXON_EXTERNAL_PORT). ExternalPort defaults to the
	// bound port.
	ExternalIP   string
	ExternalPort int
	// Coldkey is the SS58 coldkey put in Info (informational).
	Coldkey string

	// MaxWorkers is how many forward calls run at once (default 10, BT_AXON_MAX_WORKERS).
	MaxWorkers int
	// QueueSize is how many verified requests may wait for a worker; beyond it the axon answers 503
	// (default 8 × MaxWorkers).
	QueueSize int
	// MaxBodyBytes bounds a request body (default 8 MiB); larger bodies get 413.
	MaxBodyBytes int64
	// MaxHeaderBytes bounds the request header block (default 64 KiB).
	MaxHeaderBytes int

	// ReadHeaderTimeout bounds reading the request line and headers (slowloris; default 5 s). ReadTimeout
	// bounds reading the whole request (default 30 s). WriteTimeout bounds writing a reply (default 120 s,
	// streams included). IdleTimeout bounds keep-alive idleness (default 90 s).
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration

	// MaxNonceTimeout caps the timeout a caller can claim to widen the first-contact nonce window
	// (4 s + timeout; default 60 s). The timeout header is not signed, so without a cap a replayer could
	// claim any window.
	MaxNonceTimeout time.Duration
	// NonceEndpoints bounds how many (hotkey, uuid) pairs the nonce memory keeps (default 65536).
	NonceEndpoints int

	// TLS serves HTTPS with a self-signed ed25519 certificate (--axon.tls). TLSKey is its key; nil makes a
	// fresh one. Publish Certificate() on chain (ServeOnChain does) so dendrites can pin it.
	TLS    bool
	TLSKey ed25519.PrivateKey

	// MetricsAddr, when set, serves Prometheus metrics at http://MetricsAddr/metrics (e.g. ":9091").
	MetricsAddr string

	// Logger receives operational logs (never key material); default slog.Default().
	Logger *slog.Logger
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// DefaultPort is the Python SDK's default axon port.
const DefaultPort = 8091

func (c Config) withDefaults() Config {
	if c.MaxWorkers <= 0 {
		c.MaxWorkers = 10
	}
	if c.QueueSize <= 0 {
		c.QueueSize = 8 * c.MaxWorkers
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 8 << 20
	}
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = 64 << 10
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 5 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 120 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 90 * time.Second
	}
	if c.MaxNonceTimeout <= 0 {
		c.MaxNonceTimeout = 60 * time.Second
	}
	if c.NonceEndpoints <= 0 {
		c.NonceEndpoints = 1 << 16
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// DefaultConfig is the configuration with the Python SDK's port and the environment overrides applied.
func DefaultConfig() (Config, error) {
	c := Config{Port: DefaultPort}
	err := c.ApplyEnv(os.Getenv)
	return c, err
}

// ApplyEnv applies BT_AXON_PORT, BT_AXON_IP, BT_AXON_EXTERNAL_IP, BT_AXON_EXTERNAL_PORT and
// BT_AXON_MAX_WORKERS (the Python SDK's variables) where set.
func (c *Config) ApplyEnv(getenv func(string) string) error {
	for _, kv := range []struct {
		name string
		dst  *int
	}{{"BT_AXON_PORT", &c.Port}, {"BT_AXON_EXTERNAL_PORT", &c.ExternalPort}, {"BT_AXON_MAX_WORKERS", &c.MaxWorkers}} {
		if v := getenv(kv.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%s=%q: not an integer", kv.name, v)
			}
			*kv.dst = n
		}
	}
	if v := getenv("BT_AXON_IP"); v != "" {
		c.IP = v
	}
	if v := getenv("BT_AXON_EXTERNAL_IP"); v != "" {
		c.ExternalIP = v
	}
	return nil
}

// BindFlags registers the btcli-style --axon.* flags on fs, writing into c.
func (c *Config) BindFlags(fs *pflag.FlagSet) {
	fs.IntVar(&c.Port, "axon.port", c.Port, "port the axon binds (1024 < port < 65535 to announce)")
	fs.StringVar(&c.IP, "axon.ip", c.IP, "address the axon binds (empty: every interface)")
	fs.StringVar(&c.ExternalIP, "axon.external_ip", c.ExternalIP, "IP announced on chain (required to announce; no web look-up)")
	fs.IntVar(&c.ExternalPort, "axon.external_port", c.ExternalPort, "port announced on chain (default: the bound port)")
	fs.IntVar(&c.MaxWorkers, "axon.max_workers", c.MaxWorkers, "forward calls that run at once")
	fs.IntVar(&c.QueueSize, "axon.queue_size", c.QueueSize, "verified requests that may wait for a worker before 503")
	fs.BoolVar(&c.TLS, "axon.tls", c.TLS, "serve HTTPS with a self-signed ed25519 certificate published on chain")
	fs.StringVar(&c.MetricsAddr, "axon.metrics_addr", c.MetricsAddr, "serve Prometheus metrics on this address (e.g. :9091)")
}

// validAnnouncePort is the Python SDK's rule: 1024 < port < 65535.
func validAnnouncePort(p int) bool { return p > 1024 && p < 65535 }

// ErrBadExternalIP means the announced address is missing or one the chain refuses.
var ErrBadExternalIP = errors.New("invalid external IP")

func parseExternalIP(s string) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, fmt.Errorf("%w: none configured (set --axon.external_ip; there is no web look-up)", ErrBadExternalIP)
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: %q is not an IP address", ErrBadExternalIP, s)
	}
	ip = ip.Unmap()
	switch {
	case ip == netip.AddrFrom4([4]byte{127, 0, 0, 1}) || ip == netip.IPv6Loopback():
		return netip.Addr{}, fmt.Errorf("%w: the chain refuses %s; neurons on one machine announce another loopback address such as 127.0.0.2", ErrBadExternalIP, ip)
	case ip.IsUnspecified():
		return netip.Addr{}, fmt.Errorf("%w: %s means \"not serving\"", ErrBadExternalIP, ip)
	case ip.Is4() && ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return netip.Addr{}, fmt.Errorf("%w: the chain refuses %s", ErrBadExternalIP, ip)
	}
	return ip, nil
}
