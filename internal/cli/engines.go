package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/node/testnet"
)

// Engines other than the built-in dev engine register here. internal/cli may not import CometBFT
// (internal/archguard), so cmd/gotensor registers the comet engine (cmd/gotensor/comet.go) and
// `gotensor node --engine comet` and `gotensor testnet init` find it by name.

// EngineOptions are what `gotensor node` hands a registered engine.
type EngineOptions struct {
	// NodeDir is the node's directory (HOME/node).
	NodeDir     string
	RPCAddr     string
	MetricsAddr string
	BlockTime   time.Duration // 0: the engine's configured block time
	Fast        bool
	Archive     bool
	Logger      *slog.Logger
}

// EngineNode is a node a registered engine started.
type EngineNode struct {
	RPCAddr     net.Addr
	MetricsAddr net.Addr // nil when off
	// Summary lines are printed after start (chain, genesis, height, peers, store).
	Summary []string
	// Done is closed when the node stops by itself; Stop stops it gracefully.
	Done   <-chan struct{}
	Stop   func() error
	Height func() uint64
}

// Engine is a registered block production engine.
type Engine struct {
	// Start starts a node (creating its configuration when NodeDir has none).
	Start func(ctx context.Context, o EngineOptions) (*EngineNode, error)
	// InitTestnet writes a multi-validator network (nil: the engine has none).
	InitTestnet func(o testnet.InitOptions) (*testnet.Manifest, error)
}

var (
	enginesMu sync.Mutex
	engines   = map[string]Engine{}
)

// RegisterEngine makes an engine available to `gotensor node --engine NAME` (call it from an init).
func RegisterEngine(name string, e Engine) {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	engines[name] = e
}

// LookupEngine returns a registered engine.
func LookupEngine(name string) (Engine, bool) {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	e, ok := engines[name]
	return e, ok
}

func engineNames() []string {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	names := []string{"dev"}
	for n := range engines {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	return names
}

// runEngineNode runs `gotensor node --engine NAME` for a registered engine other than dev.
func runEngineNode(cmd *cobra.Command, name string, e Engine) error {
	f := cmd.Flags()
	home, _ := f.GetString("home")
	rpcAddr, _ := f.GetString("rpc-addr")
	metricsAddr, _ := f.GetString("metrics-addr")
	blockTime, _ := f.GetDuration("block-time")
	fast, _ := f.GetBool("fast")
	archive, _ := f.GetBool("archive")
	level, _ := f.GetString("log-level")
	format, _ := f.GetString("log-format")
	log, err := newLogger(cmd, level, format)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	n, err := e.Start(ctx, EngineOptions{NodeDir: nodeDir(home), RPCAddr: rpcAddr, MetricsAddr: metricsAddr, BlockTime: blockTime,
		Fast: fast, Archive: archive, Logger: log})
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	for _, l := range n.Summary {
		fmt.Fprintln(out, l)
	}
	fmt.Fprintf(out, "rpc listening on ws://%s (HTTP POST on http://%s)\n", n.RPCAddr, n.RPCAddr)
	if n.MetricsAddr != nil {
		fmt.Fprintf(out, "metrics on http://%s/metrics\n", n.MetricsAddr)
	}
	fmt.Fprintf(out, "ready in %v (engine %s)\n", time.Since(started).Round(time.Millisecond), name)
	select {
	case <-ctx.Done():
		fmt.Fprintln(out, "shutting down")
	case <-n.Done:
		err := n.Stop()
		return fmt.Errorf("the %s engine stopped: %v", name, err)
	}
	if err := n.Stop(); err != nil {
		return err
	}
	fmt.Fprintf(out, "stopped at height %d\n", n.Height())
	return nil
}
