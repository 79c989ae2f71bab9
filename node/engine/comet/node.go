package comet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	mempl "github.com/cometbft/cometbft/mempool"
	cmtnode "github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/metrics"
	"github.com/gotensor/gotensor/node/rpc"
)

// Config configures a validator (or full node) of a CometBFT network.
type Config struct {
	// Home holds chain.db, config/ (settings, keys, genesis) and data/ (CometBFT's stores).
	Home        string
	RPCAddr     string // gotensor JSON-RPC; port 0 picks a free one
	MetricsAddr string // "" = off
	Archive     bool
	NoSync      bool
	RPC         rpc.Config
	Logger      *slog.Logger
}

// Node is a running CometBFT node with gotensor's runtime, store and RPC.
type Node struct {
	Engine      *dev.Engine
	App         *App
	RPC         *rpc.Server
	Metrics     *metrics.Metrics
	RPCAddr     net.Addr
	MetricsAddr net.Addr
	Settings    Settings
	NodeID      string
	ChainID     string

	cmt      *cmtnode.Node
	cancel   context.CancelFunc
	fwdDone  chan struct{}
	stopOnce sync.Once
	stopErr  error
	log      *slog.Logger
}

// HasHome reports whether home holds a CometBFT configuration written by InitTestnet or InitSingle.
func HasHome(home string) bool {
	_, err := LoadSettings(home)
	return err == nil
}

// LoadGenesis reads CometBFT's genesis of home and the runtime genesis in its app_state.
func LoadGenesis(home string) (*cmttypes.GenesisDoc, runtime.Genesis, error) {
	var g runtime.Genesis
	doc, err := cmttypes.GenesisDocFromFile(genesisPath(home))
	if err != nil {
		return nil, g, fmt.Errorf("comet genesis: %w", err)
	}
	if err := json.Unmarshal(doc.AppState, &g); err != nil {
		return nil, g, fmt.Errorf("comet genesis %s: app_state: %w", genesisPath(home), err)
	}
	return doc, g, g.Validate()
}

// Start opens (creating from the CometBFT genesis if needed) the chain under cfg.Home, starts the RPC
// server, the metrics endpoint and the CometBFT node.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	set, err := LoadSettings(cfg.Home)
	if err != nil {
		return nil, fmt.Errorf("comet: %w (create a network with `gotensor testnet init`)", err)
	}
	ccfg, err := set.cometConfig(cfg.Home)
	if err != nil {
		return nil, fmt.Errorf("comet config: %w", err)
	}
	doc, g, err := LoadGenesis(cfg.Home)
	if err != nil {
		return nil, err
	}
	if _, err := dev.InitStore(cfg.Home, g, uint64(doc.GenesisTime.UnixMilli()), cfg.NoSync); err != nil {
		return nil, err
	}
	n := &Node{Settings: set, ChainID: doc.ChainID, log: log, fwdDone: make(chan struct{})}
	n.Metrics = metrics.New()
	e, err := dev.Open(dev.Config{Home: cfg.Home, BlockTime: set.BlockTime(), Archive: cfg.Archive, NoSync: cfg.NoSync,
		Genesis: g, Logger: log, Metrics: n.Metrics})
	if err != nil {
		return nil, err
	}
	n.Engine = e
	n.App = NewApp(e, log)
	fail := func(err error) (*Node, error) {
		if n.cancel != nil {
			n.cancel()
		}
		e.Close()
		return nil, err
	}
	pv, err := privval.LoadOrGenFilePV(ccfg.PrivValidatorKeyFile(), ccfg.PrivValidatorStateFile(), nil)
	if err != nil {
		return fail(fmt.Errorf("comet: validator key: %w", err))
	}
	nodeKey, err := p2p.LoadOrGenNodeKey(ccfg.NodeKeyFile())
	if err != nil {
		return fail(fmt.Errorf("comet: node key: %w", err))
	}
	n.NodeID = string(nodeKey.ID())
	level := set.LogLevel
	if level == "" {
		level = "error"
	}
	opt, err := cmtlog.AllowLevel(level)
	if err != nil {
		return fail(fmt.Errorf("comet: log_level: %w", err))
	}
	clog := cmtlog.NewFilter(&slogAdapter{l: log.With("module", "cometbft")}, opt)
	cn, err := cmtnode.NewNode(context.Background(), ccfg, pv, nodeKey, proxy.NewLocalClientCreator(n.App),
		cmtnode.DefaultGenesisDocProviderFunc(ccfg), cmtcfg.DefaultDBProvider, cmtnode.DefaultMetricsProvider(ccfg.Instrumentation), clog)
	if err != nil {
		return fail(fmt.Errorf("comet: new node: %w", err))
	}
	n.cmt = cn
	rcfg := cfg.RPC
	rcfg.Logger, rcfg.Metrics = log, n.Metrics
	n.RPC = rpc.New(e, rcfg)
	rctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	if n.RPCAddr, err = n.RPC.Listen(rctx, cfg.RPCAddr); err != nil {
		return fail(err)
	}
	if cfg.MetricsAddr != "" {
		if n.MetricsAddr, err = n.Metrics.Serve(rctx, cfg.MetricsAddr); err != nil {
			return fail(fmt.Errorf("metrics: listen on %s: %w", cfg.MetricsAddr, err))
		}
	}
	if err := cn.Start(); err != nil {
		return fail(fmt.Errorf("comet: start: %w", err))
	}
	go n.forward(rctx, cn.Mempool())
	return n, nil
}

// forward moves the transactions that clients submitted through gotensor's RPC (the engine's own mempool)
// into CometBFT's mempool, which gossips them to the other nodes.
func (n *Node) forward(ctx context.Context, mp mempl.Mempool) {
	defer close(n.fwdDone)
	sent := map[cmttypes.TxKey]bool{}
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		txs := n.Engine.PooledTxs(4096)
		next := make(map[cmttypes.TxKey]bool, len(txs))
		full := false
		for _, raw := range txs {
			k := cmttypes.Tx(raw).Key()
			if sent[k] {
				next[k] = true
				continue
			}
			if full {
				continue
			}
			_, err := mp.CheckTx(raw, "")
			var mf mempl.ErrMempoolIsFull
			if errors.As(err, &mf) {
				full = true // retried on the next tick
				continue
			}
			if err != nil && !errors.Is(err, mempl.ErrTxInCache) {
				n.log.Debug("comet mempool refused a transaction", "err", err)
			}
			next[k] = true
		}
		sent = next
	}
}

// Stop stops the CometBFT node, RPC and metrics and closes the store. It is safe to call more than once.
func (n *Node) Stop() error {
	n.stopOnce.Do(func() {
		var errs []error
		if n.cmt != nil && n.cmt.IsRunning() {
			if err := n.cmt.Stop(); err != nil {
				errs = append(errs, err)
			}
			n.cmt.Wait()
		}
		n.cancel()
		select {
		case <-n.fwdDone:
		case <-time.After(5 * time.Second):
		}
		errs = append(errs, n.Engine.Close())
		n.stopErr = errors.Join(errs...)
	})
	return n.stopErr
}

// slogAdapter is CometBFT's logger over log/slog.
type slogAdapter struct{ l *slog.Logger }

func (s *slogAdapter) Debug(msg string, kv ...any) { s.l.Debug(msg, kv...) }
func (s *slogAdapter) Info(msg string, kv ...any)  { s.l.Info(msg, kv...) }
func (s *slogAdapter) Error(msg string, kv ...any) { s.l.Error(msg, kv...) }
func (s *slogAdapter) With(kv ...any) cmtlog.Logger {
	return &slogAdapter{l: s.l.With(kv...)}
}

func genesisPath(home string) string { return filepath.Join(home, "config", "genesis.json") }

// Done is closed when the CometBFT node stops (after Stop, or when consensus fails).
func (n *Node) Done() <-chan struct{} { return n.cmt.Quit() }
