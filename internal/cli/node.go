package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/server"
)

func init() { commandGroups = append(commandGroups, addNodeCommands) }

// defaultHome is $GOTENSOR_HOME or ~/.gotensor.
func defaultHome() string {
	if h := os.Getenv("GOTENSOR_HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".gotensor")
	}
	return ".gotensor"
}

// nodeDir is where the node keeps its chain under the gotensor home.
func nodeDir(home string) string { return filepath.Join(home, "node") }

func addNodeCommands(root *cobra.Command) {
	root.AddCommand(newNodeCommand())
}

func newNodeCommand() *cobra.Command {
	var (
		home, rpcAddr, metricsAddr, logLevel, logFormat string
		dashboardAddr, ethAddr, engine                  string
		blockTime                                       time.Duration
		fast, devFlag, archive                          bool
	)
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Run a gotensor chain node (dev engine by default, or CometBFT): blocks, RPC on 127.0.0.1:9944, metrics",
		Long: "node runs a chain node. The default dev engine is a single block producer: a block every --block-time (12 s; --fast gives 250 ms blocks and\n" +
			"tempo 10 for new subnets), its mempool, and blocks, events and state committed under --home in one\n" +
			"transaction per block, so kill -9 loses nothing committed. JSON-RPC (HTTP and WebSocket) listens on\n" +
			"--rpc.addr (btcli's `local` network), Prometheus metrics on --metrics.addr.\n\n" +
			"With no chain and no genesis under --home it initialises a dev chain (//Alice … //Ferdie endowed,\n" +
			"//Alice sudo, the faucet on) and says so; `gotensor node init` writes a genesis first. SIGINT or\n" +
			"SIGTERM stops it gracefully. docs/node.md and docs/rpc.md describe it. With --engine comet the same runtime\n" +
			"runs as an ABCI application on CometBFT, for networks of several validators (docs/network.md).",
		Example: "  gotensor node --dev --fast\n" +
			"  gotensor node --home /tmp/chain --rpc.addr 127.0.0.1:9945 --metrics.addr 127.0.0.1:9616",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if engine != "" && engine != "dev" {
				e, ok := LookupEngine(engine)
				if !ok || e.Start == nil {
					return fmt.Errorf("--engine %q: this build knows %v", engine, engineNames())
				}
				return runEngineNode(cmd, engine, e)
			}
			log, err := newLogger(cmd, logLevel, logFormat)
			if err != nil {
				return err
			}
			dir := nodeDir(home)
			cfg := server.Config{Home: dir, RPCAddr: rpcAddr, MetricsAddr: metricsAddr, BlockTime: blockTime, Fast: fast,
				Archive: archive, Logger: log}
			if devFlag && !server.HasChain(dir) {
				if _, ok, _ := server.LoadGenesis(dir); !ok {
					g, err := dev.DevGenesis(fast)
					if err != nil {
						return err
					}
					cfg.Genesis = &g
				}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			started := time.Now()
			n, err := server.Start(ctx, cfg)
			if err != nil {
				return err
			}
			head := n.Engine.Head()
			out := cmd.OutOrStdout()
			if n.DevGenesis || (n.Initialised && cfg.Genesis != nil) {
				fmt.Fprintf(out, "No genesis under %s: initialised a dev chain (//Alice … //Ferdie endowed with %s each, //Alice is sudo, faucet on).\n",
					dir, dev.FormatTAO(dev.DevEndowment))
			} else if n.Initialised {
				fmt.Fprintf(out, "Initialised a new chain from %s.\n", filepath.Join(dir, server.GenesisFile))
			}
			bt := blockTime
			if bt == 0 {
				bt = n.Engine.BlockTime()
			}
			fmt.Fprintf(out, "gotensor node: chain %s, genesis 0x%x, height %d, block time %v, store %s\n",
				n.Engine.ChainID(), n.Engine.GenesisHash(), head.Height, bt, filepath.Join(dir, "chain.db"))
			fmt.Fprintf(out, "rpc listening on ws://%s (HTTP POST on http://%s)\n", n.RPCAddr, n.RPCAddr)
			if n.MetricsAddr != nil {
				fmt.Fprintf(out, "metrics on http://%s/metrics\n", n.MetricsAddr)
			}
			if dashboardAddr != "" {
				dash, err := startDashboard(ctx, dashboardAddr, "ws://"+n.RPCAddr.String(), log)
				if err != nil {
					_ = n.Stop()
					return fmt.Errorf("dashboard: %w", err)
				}
				defer dash.Close()
				fmt.Fprintf(out, "dashboard on %s\n", dash.URL())
			}
			if ethAddr != "" {
				ea, err := startEthServer(ctx, n.Engine, ethAddr, log)
				if err != nil {
					_ = n.Stop()
					return fmt.Errorf("eth rpc: %w", err)
				}
				fmt.Fprintf(out, "eth rpc listening on http://%s (and ws://%s); the neuron precompile is at 0x0000000000000000000000000000000000000804\n", ea, ea)
			}
			fmt.Fprintf(out, "ready in %v\n", time.Since(started).Round(time.Millisecond))
			select {
			case <-ctx.Done():
				fmt.Fprintln(out, "shutting down")
			case <-n.Done():
				err := n.Stop()
				return fmt.Errorf("block production stopped: %w", err)
			}
			if err := n.Stop(); err != nil {
				return err
			}
			fmt.Fprintf(out, "stopped at height %d\n", n.Engine.Head().Height)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&home, "home", defaultHome(), "gotensor home; the chain lives in HOME/node (env GOTENSOR_HOME)")
	f.StringVar(&rpcAddr, "rpc-addr", server.DefaultRPCAddr, "JSON-RPC listen address (HTTP and WebSocket); port 0 picks a free one")
	f.StringVar(&metricsAddr, "metrics-addr", "127.0.0.1:9615", "Prometheus metrics listen address (empty: off)")
	f.StringVar(&dashboardAddr, "dashboard-addr", "", "serve the live dashboard on this address, e.g. 127.0.0.1:8080 (empty: off; port 0 picks a free one)")
	f.StringVar(&engine, "engine", "dev", "block production engine: dev (one node) or comet (CometBFT validators; docs/network.md)")
	f.StringVar(&ethAddr, "eth-addr", "", "Ethereum JSON-RPC address for the neuron precompile, e.g. 127.0.0.1:8545 (empty: off; docs/evm.md)")
	f.DurationVar(&blockTime, "block-time", 0, "time between blocks (default 12s, or 250ms with --fast)")
	f.BoolVar(&fast, "fast", false, "250 ms blocks; a new chain gets tempo 10 for new subnets")
	f.BoolVar(&devFlag, "dev", false, "initialise a missing chain with the dev genesis (the default when there is no genesis)")
	f.BoolVar(&archive, "archive", false, "keep every past state queryable (default: the last 256 blocks)")
	f.StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	f.StringVar(&logFormat, "log-format", "text", "text or json (logs go to stderr)")
	cmd.AddCommand(newNodeInitCommand())
	return cmd
}

func newLogger(cmd *cobra.Command, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

func newNodeInitCommand() *cobra.Command {
	var (
		opts          outputOptions
		home, chainID string
		sudo          string
		accounts      []string
		devFlag, fast bool
		force         bool
	)
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a genesis for `gotensor node` under --home",
		Long: "init writes HOME/node/genesis.json, which `gotensor node` uses when it creates the chain. --dev endows\n" +
			"//Alice … //Ferdie, makes //Alice sudo and enables the faucet (the dev profile of docs/chain.md);\n" +
			"otherwise the genesis is mainnet-like and --sudo names the sudo account. --account ADDRESS=TAO endows\n" +
			"more accounts. It refuses to touch a home that already holds a chain.",
		Example: "  gotensor node init --dev --fast\n" +
			"  gotensor node init --chain-id mynet --sudo 5Grw... --account 5FHn...=1000",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			con, err := newConsole(cmd, &opts)
			if err != nil {
				return err
			}
			dir := nodeDir(home)
			if server.HasChain(dir) {
				return fmt.Errorf("%s already holds a chain: its genesis cannot change (remove %s to start over)", dir, filepath.Join(dir, "chain.db"))
			}
			if _, ok, _ := server.LoadGenesis(dir); ok && !force {
				return fmt.Errorf("%s exists: pass --force to overwrite it", filepath.Join(dir, server.GenesisFile))
			}
			var g runtime.Genesis
			if devFlag {
				if g, err = dev.DevGenesis(fast); err != nil {
					return err
				}
			} else {
				if sudo == "" {
					return errors.New("--sudo ADDRESS is required without --dev (the account allowed to run admin calls)")
				}
				pk, err := parseAddress(sudo)
				if err != nil {
					return fmt.Errorf("--sudo: %w", err)
				}
				g = runtime.MainnetLikeGenesis("gotensor-local", pk)
				if fast {
					g.SubnetDefaults = append(g.SubnetDefaults, runtime.Param{Name: "tempo", Value: dev.FastTempo})
				}
			}
			if chainID != "" {
				g.ChainID = chainID
			}
			for _, a := range accounts {
				addr, amount, ok := strings.Cut(a, "=")
				if !ok {
					return fmt.Errorf("--account %q: want ADDRESS=TAO", a)
				}
				pk, err := parseAddress(addr)
				if err != nil {
					return fmt.Errorf("--account %q: %w", a, err)
				}
				tao, err := strconv.ParseFloat(amount, 64)
				if err != nil || tao < 0 {
					return fmt.Errorf("--account %q: bad TAO amount", a)
				}
				g.Accounts = append(g.Accounts, runtime.GenesisAccount{Account: runtime.Hex32(pk), Balance: uint64(tao * 1e9)})
			}
			path, err := server.WriteGenesis(dir, g)
			if err != nil {
				return err
			}
			gh := g.Hash()
			con.Printf("Wrote %s (chain %s, genesis 0x%x, %d endowed accounts).\nStart the chain with: gotensor node --home %s\n",
				path, g.ChainID, gh, len(g.Accounts), home)
			return con.JSON(map[string]any{"path": path, "chain_id": g.ChainID, "genesis_hash": runtime.Hex32(gh), "accounts": len(g.Accounts)})
		},
	}
	addOutputFlags(cmd, &opts, false)
	f := cmd.Flags()
	f.StringVar(&home, "home", defaultHome(), "gotensor home; the genesis goes to HOME/node/genesis.json")
	f.BoolVar(&devFlag, "dev", false, "dev profile: //Alice … //Ferdie endowed, //Alice sudo, faucet on")
	f.BoolVar(&fast, "fast", false, "tempo 10 for new subnets (use with `gotensor node --fast`)")
	f.StringVar(&chainID, "chain-id", "", "chain id (default gotensor-dev, or gotensor-local without --dev)")
	f.StringVar(&sudo, "sudo", "", "sudo account (SS58 or 0x-hex) of a non-dev genesis")
	f.StringArrayVar(&accounts, "account", nil, "endow ADDRESS=TAO (repeatable)")
	f.BoolVar(&force, "force", false, "overwrite an existing genesis.json")
	return cmd
}

func parseAddress(s string) ([32]byte, error) {
	if strings.HasPrefix(s, "0x") {
		return runtime.ParseAccount(s)
	}
	pk, _, err := keys.DecodeSS58(s)
	return pk, err
}
