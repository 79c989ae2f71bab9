// Package server assembles a running node: the dev engine with its store, the JSON-RPC server and the
// metrics endpoint. `gotensor node` and the integration tests start nodes through it.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/metrics"
	"github.com/gotensor/gotensor/node/rpc"
)

// DefaultRPCAddr is where `gotensor node` listens (btcli's "local" network).
const DefaultRPCAddr = "127.0.0.1:9944"

// GenesisFile is the genesis document under the home directory.
const GenesisFile = "genesis.json"

// Config configures a node.
type Config struct {
	Home        string
	RPCAddr     string // "" = DefaultRPCAddr; port 0 picks a free one
	MetricsAddr string // "" = no metrics endpoint
	BlockTime   time.Duration
	Fast        bool // 250 ms blocks; a new dev chain gets tempo 10 for new subnets
	Archive     bool
	NoSync      bool
	// Genesis overrides the genesis used when the store is empty (otherwise Home/genesis.json, else the
	// dev genesis).
	Genesis *runtime.Genesis
	RPC     rpc.Config
	Logger  *slog.Logger
}

// Node is a running node.
type Node struct {
	Engine      *dev.Engine
	RPC         *rpc.Server
	Metrics     *metrics.Metrics
	RPCAddr     net.Addr
	MetricsAddr net.Addr
	// Initialised is set when this start created the chain; DevGenesis when it used the dev genesis
	// because none was given.
	Initialised bool
	DevGenesis  bool

	cancel   context.CancelFunc
	stopped  chan struct{}
	runErr   error
	stopOnce sync.Once
	stopErr  error
	log      *slog.Logger
}

// LoadGenesis reads home/genesis.json (ok false if there is none).
func LoadGenesis(home string) (runtime.Genesis, bool, error) {
	var g runtime.Genesis
	b, err := os.ReadFile(filepath.Join(home, GenesisFile))
	if errors.Is(err, os.ErrNotExist) {
		return g, false, nil
	}
	if err != nil {
		return g, false, err
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return g, false, fmt.Errorf("%s: %w", filepath.Join(home, GenesisFile), err)
	}
	return g, true, g.Validate()
}

// WriteGenesis writes home/genesis.json (0600, atomically).
func WriteGenesis(home string, g runtime.Genesis) (string, error) {
	if err := g.Validate(); err != nil {
		return "", err
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(home, GenesisFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// HasChain reports whether home already holds a chain store.
func HasChain(home string) bool {
	_, err := os.Stat(filepath.Join(home, "chain.db"))
	return err == nil
}

// Start opens the chain under cfg.Home (initialising it if needed), starts block production, RPC and
// metrics. Stop ends them.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Home == "" {
		return nil, errors.New("node: no home directory")
	}
	if cfg.BlockTime == 0 {
		cfg.BlockTime = dev.DefaultBlockTime
		if cfg.Fast {
			cfg.BlockTime = dev.FastBlockTime
		}
	}
	if cfg.RPCAddr == "" {
		cfg.RPCAddr = DefaultRPCAddr
	}
	n := &Node{log: log, stopped: make(chan struct{})}
	fresh := !HasChain(cfg.Home)
	var g runtime.Genesis
	switch {
	case cfg.Genesis != nil:
		g = *cfg.Genesis
	default:
		fg, ok, err := LoadGenesis(cfg.Home)
		if err != nil {
			return nil, err
		}
		if ok {
			g = fg
		} else {
			if g, err = dev.DevGenesis(cfg.Fast); err != nil {
				return nil, err
			}
			n.DevGenesis = fresh
		}
	}
	n.Metrics = metrics.New()
	e, err := dev.Open(dev.Config{Home: cfg.Home, BlockTime: cfg.BlockTime, Archive: cfg.Archive, NoSync: cfg.NoSync,
		Genesis: g, Logger: log, Metrics: n.Metrics})
	if err != nil {
		return nil, err
	}
	n.Engine, n.Initialised = e, fresh
	rcfg := cfg.RPC
	rcfg.Logger, rcfg.Metrics = log, n.Metrics
	n.RPC = rpc.New(e, rcfg)
	rctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.RPCAddr, err = n.RPC.Listen(rctx, cfg.RPCAddr)
	if err != nil {
		cancel()
		e.Close()
		return nil, err
	}
	if cfg.MetricsAddr != "" {
		n.MetricsAddr, err = n.Metrics.Serve(rctx, cfg.MetricsAddr)
		if err != nil {
			cancel()
			e.Close()
			return nil, fmt.Errorf("metrics: listen on %s: %w", cfg.MetricsAddr, err)
		}
	}
	go func() {
		n.runErr = e.Run(rctx)
		close(n.stopped)
	}()
	return n, nil
}

// Done is closed when block production stops (after Stop, or on a failure: see Err).
func (n *Node) Done() <-chan struct{} { return n.stopped }

// Err is why block production stopped (nil after a clean Stop).
func (n *Node) Err() error {
	select {
	case <-n.stopped:
		return n.runErr
	default:
		return nil
	}
}

// Stop stops block production, RPC and metrics and closes the store (a graceful shutdown: the block in
// progress, if any, finishes first). It is safe to call more than once.
func (n *Node) Stop() error {
	n.stopOnce.Do(func() {
		n.cancel()
		var runErr error
		select {
		case <-n.stopped:
			runErr = n.runErr
		case <-time.After(30 * time.Second):
			runErr = errors.New("node: block production did not stop within 30 s")
		}
		n.stopErr = errors.Join(runErr, n.Engine.Close())
	})
	return n.stopErr
}
