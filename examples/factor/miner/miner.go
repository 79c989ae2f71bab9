// Package miner is the factor subnet's miner, built only on the public SDK: an axon serving the Factor
// synapse with a blacklist (unregistered callers, and callers without a validator permit unless allowed),
// a priority by the caller's stake, the axon announced on chain, and a metagraph kept fresh by block
// height tracked locally (never by the miner's own last-update block, which a miner never moves).
package miner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/gotensor/gotensor/examples/factor/protocol"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/metagraph"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// Config configures a miner.
type Config struct {
	Netuid uint16
	// Axon is the axon's configuration (bind address, external address to announce, workers, TLS).
	Axon axon.Config
	// AllowNonRegistered lets hotkeys that are not registered on the subnet call (off: they get 403).
	AllowNonRegistered bool
	// AllowNonValidators lets registered hotkeys without a validator permit call (off: they get 403).
	AllowNonValidators bool
	// ResyncBlocks is how many blocks pass between metagraph syncs (default 5).
	ResyncBlocks uint64
	// PollInterval is how often the miner looks at the chain head (default 1 s).
	PollInterval time.Duration

	// Delay and WrongEvery degrade this miner on purpose, to demonstrate that incentive follows quality
	// (`gotensor localnet` runs miners of several qualities). Delay is added before every answer;
	// WrongEvery > 0 makes every WrongEvery-th answer to each caller wrong (1: always wrong). A validator
	// never sees these settings: it only sees answers and latency.
	Delay      time.Duration
	WrongEvery int

	Logger *slog.Logger
}

// Miner is a running factor miner.
type Miner struct {
	cfg    Config
	chain  client.Chain
	hotkey *keys.Keypair
	log    *slog.Logger
	ax     *axon.Axon

	mu      sync.RWMutex
	mg      *metagraph.Metagraph
	synced  uint64 // block of the last metagraph sync (tracked locally)
	answers map[string]int
	served  uint64
}

// New makes a miner for hotkey on cfg.Netuid. It does not touch the network until Run.
func New(c client.Chain, hotkey *keys.Keypair, cfg Config) (*Miner, error) {
	if c == nil || hotkey == nil {
		return nil, errors.New("miner: a chain client and a hotkey are required")
	}
	if cfg.ResyncBlocks == 0 {
		cfg.ResyncBlocks = 5
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Axon.Logger == nil {
		cfg.Axon.Logger = cfg.Logger
	}
	return &Miner{cfg: cfg, chain: c, hotkey: hotkey, log: cfg.Logger, answers: map[string]int{}}, nil
}

// Addr is the axon's bound address once Run has started it ("" before).
func (m *Miner) Addr() string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ax == nil || m.ax.Addr() == nil {
		return ""
	}
	return m.ax.Addr().String()
}

// Served is how many requests the miner answered.
func (m *Miner) Served() uint64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.served
}

// Sync refreshes the metagraph now.
func (m *Miner) Sync(ctx context.Context) error {
	mg, err := metagraph.Sync(ctx, m.chain, m.cfg.Netuid, metagraph.Lite())
	if err != nil {
		return fmt.Errorf("sync metagraph of netuid %d: %w", m.cfg.Netuid, err)
	}
	m.mu.Lock()
	m.mg, m.synced = mg, mg.Block
	m.mu.Unlock()
	return nil
}

// Run checks registration, starts the axon, announces it on chain and serves until ctx ends.
func (m *Miner) Run(ctx context.Context) error {
	if err := m.Sync(ctx); err != nil {
		return err
	}
	me := client.AccountID(m.hotkey.PublicKey())
	m.mu.RLock()
	uid, ok := m.mg.UIDOf(me)
	m.mu.RUnlock()
	if !ok {
		return fmt.Errorf("hotkey %s is not registered on netuid %d: register it first (gotensor subnets register --netuid %d)",
			me, m.cfg.Netuid, m.cfg.Netuid)
	}
	if m.cfg.AllowNonRegistered {
		m.log.Warn("miner accepts requests from unregistered hotkeys (--blacklist.allow-non-registered)")
	}
	if m.cfg.AllowNonValidators {
		m.log.Warn("miner accepts requests from hotkeys without a validator permit (--blacklist.allow-non-validators)")
	}
	ax, err := axon.New(m.hotkey, m.cfg.Axon)
	if err != nil {
		return err
	}
	if err := axon.Attach(ax, axon.Handler[*protocol.Factor]{Forward: m.forward, Blacklist: m.blacklist, Priority: m.priority}); err != nil {
		return err
	}
	if err := ax.Start(); err != nil {
		return fmt.Errorf("start axon: %w", err)
	}
	m.mu.Lock()
	m.ax = ax
	m.mu.Unlock()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = ax.Shutdown(sctx)
	}()
	if err := m.announce(ctx, ax, uid); err != nil {
		return err
	}
	m.log.Info("miner serving", "uid", uid, "hotkey", me.String(), "addr", ax.Addr().String(), "netuid", m.cfg.Netuid)
	t := time.NewTicker(m.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			m.log.Info("miner stopping", "uid", uid, "served", m.Served())
			return nil
		case <-t.C:
		}
		head, err := m.chain.Head(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			m.log.Warn("read head", "err", err)
			continue
		}
		m.mu.RLock()
		due := head.Height >= m.synced+m.cfg.ResyncBlocks
		m.mu.RUnlock()
		if due {
			if err := m.Sync(ctx); err != nil && ctx.Err() == nil {
				m.log.Warn("metagraph sync failed", "err", err)
			}
		}
	}
}

// announce publishes the axon's external address unless the chain already holds it.
func (m *Miner) announce(ctx context.Context, ax *axon.Axon, uid uint16) error {
	info, err := ax.Info()
	if err != nil {
		return err
	}
	m.mu.RLock()
	n, _ := m.mg.ByUID(uid)
	m.mu.RUnlock()
	if n.Axon.Served() && n.Axon.IP == info.IP && n.Axon.Port == info.Port && info.TLS == nil {
		m.log.Info("axon already announced", "addr", netip.AddrPortFrom(info.IP, info.Port).String())
		return nil
	}
	if err := ax.ServeOnChain(ctx, Announcer{Chain: m.chain, Hotkey: m.hotkey}, m.cfg.Netuid); err != nil {
		return fmt.Errorf("announce axon %s on netuid %d: %w", netip.AddrPortFrom(info.IP, info.Port), m.cfg.Netuid, err)
	}
	m.log.Info("axon announced on chain", "addr", netip.AddrPortFrom(info.IP, info.Port).String())
	return nil
}

// caller looks the caller up in the metagraph: registration first, so an unknown hotkey is a clean
// rejection (the Python template looked the uid up first and raised).
func (m *Miner) caller(hotkey string) (metagraph.Neuron, bool) {
	acct, err := client.ParseAccount(hotkey)
	if err != nil {
		return metagraph.Neuron{}, false
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.mg == nil {
		return metagraph.Neuron{}, false
	}
	return m.mg.ByHotkey(acct)
}

func (m *Miner) blacklist(_ context.Context, r *axon.Request, _ *protocol.Factor) (bool, string) {
	if r.Hotkey == "" {
		return true, "missing caller hotkey"
	}
	n, ok := m.caller(r.Hotkey)
	if !ok {
		if m.cfg.AllowNonRegistered {
			return false, "unregistered hotkey allowed"
		}
		return true, "unregistered hotkey"
	}
	if !n.ValidatorPermit && !m.cfg.AllowNonValidators {
		return true, "caller has no validator permit"
	}
	return false, "ok"
}

func (m *Miner) priority(_ context.Context, r *axon.Request, _ *protocol.Factor) float64 {
	n, ok := m.caller(r.Hotkey)
	if !ok {
		return 0
	}
	return float64(n.Stake)
}

func (m *Miner) forward(ctx context.Context, r *axon.Request, s *protocol.Factor) error {
	p, q, ok := protocol.Solve(s.N)
	m.mu.Lock()
	m.answers[r.Hotkey]++
	count := m.answers[r.Hotkey]
	m.served++
	m.mu.Unlock()
	if m.cfg.Delay > 0 {
		select {
		case <-time.After(m.cfg.Delay):
		case <-ctx.Done():
			return nil // the caller gave up or the axon is stopping: nothing to answer
		}
	}
	if !ok {
		return nil // prime or too small: no factors to give
	}
	if m.cfg.WrongEvery > 0 && count%m.cfg.WrongEvery == 0 {
		p += 2 // a plausible-looking wrong answer
	}
	s.P, s.Q = synapse.Ptr(p), synapse.Ptr(q)
	return nil
}

// Announcer publishes an axon through a chain client, signed by the hotkey (the axon.Announcer the SDK's
// ServeOnChain takes).
type Announcer struct {
	Chain  client.Chain
	Hotkey client.Signer
}

// ServeAxon implements axon.Announcer.
func (a Announcer) ServeAxon(ctx context.Context, netuid uint16, info synapse.AxonInfo) error {
	_, err := a.Chain.ServeAxon(ctx, a.Hotkey, netuid, axonOf(info, nil))
	return err
}

// ServeAxonTLS implements axon.Announcer.
func (a Announcer) ServeAxonTLS(ctx context.Context, netuid uint16, info synapse.AxonInfo, certificate []byte) error {
	_, err := a.Chain.ServeAxon(ctx, a.Hotkey, netuid, axonOf(info, certificate))
	return err
}

func axonOf(info synapse.AxonInfo, cert []byte) client.Axon {
	proto := info.Protocol
	if proto == 0 {
		proto = 4
	}
	return client.Axon{IP: info.IP, Port: info.Port, Protocol: proto, Version: info.Version, Certificate: cert}
}
