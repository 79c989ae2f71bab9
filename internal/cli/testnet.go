package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/node/testnet"
)

func init() { commandGroups = append(commandGroups, addTestnetCommands) }

func addTestnetCommands(root *cobra.Command) {
	cmd := &cobra.Command{
		Use:   "testnet",
		Short: "Write and run a network of several CometBFT validators on this machine",
		Long: "testnet init writes a ready-to-run network of N validators (keys, a genesis naming them all, persistent\n" +
			"peers, distinct free loopback ports) into a directory; testnet start runs every node as a child process\n" +
			"with its log in that directory. Each node serves the same JSON-RPC as `gotensor node`. docs/network.md\n" +
			"explains running validators on several machines.",
	}
	cmd.AddCommand(newTestnetInitCommand(), newTestnetStartCommand())
	root.AddCommand(cmd)
}

func newTestnetInitCommand() *cobra.Command {
	var (
		opts      outputOptions
		n         int
		dir       string
		chainID   string
		host      string
		blockTime time.Duration
		fast      bool
		cometRPC  bool
	)
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a network of --validators CometBFT validators into --output",
		Example: "  gotensor testnet init --validators 4 --output ./testnet\n" +
			"  gotensor testnet init --validators 4 --output ./testnet --block-time 250ms --fast",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			con, err := newConsole(cmd, &opts)
			if err != nil {
				return err
			}
			if dir == "" {
				return errors.New("--output DIR is required (a new or empty directory)")
			}
			e, ok := LookupEngine("comet")
			if !ok || e.InitTestnet == nil {
				return errors.New("this gotensor build has no comet engine (build it from ./cmd/gotensor)")
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			m, err := e.InitTestnet(testnet.InitOptions{Dir: abs, Validators: n, ChainID: chainID, BlockTime: blockTime, Fast: fast,
				Host: host, CometRPC: cometRPC})
			if err != nil {
				return err
			}
			con.Printf("Wrote a %d-validator network (chain %s, genesis %s, block time %v) to %s.\n", len(m.Nodes), m.ChainID,
				m.GenesisHash, time.Duration(m.BlockTimeMs)*time.Millisecond, abs)
			for _, nd := range m.Nodes {
				con.Printf("  %s  rpc %s  p2p %s  id %s\n", nd.Name, nd.RPCAddr, nd.P2PAddr, nd.NodeID)
			}
			con.Printf("Start it with: gotensor testnet start %s\n", abs)
			return con.JSON(m)
		},
	}
	addOutputFlags(cmd, &opts, false)
	f := cmd.Flags()
	f.IntVar(&n, "validators", 4, "number of validators")
	f.StringVar(&dir, "output", "", "directory to write the network to (new or empty)")
	f.StringVar(&chainID, "chain-id", "", "chain id (default gotensor-testnet)")
	f.StringVar(&host, "host", "127.0.0.1", "address the nodes listen on and dial")
	f.DurationVar(&blockTime, "block-time", time.Second, "block interval (CometBFT's timeout_commit)")
	f.BoolVar(&fast, "fast", false, "tempo 10 for new subnets (like `gotensor node --fast`)")
	f.BoolVar(&cometRPC, "comet-rpc", false, "also open each node's CometBFT RPC on its own port")
	return cmd
}

func newTestnetStartCommand() *cobra.Command {
	var bin string
	cmd := &cobra.Command{
		Use:     "start DIR",
		Short:   "Run every node of a network written by testnet init (logs in DIR/<node>.log)",
		Example: "  gotensor testnet start ./testnet",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := filepath.Abs(args[0])
			if err != nil {
				return err
			}
			if bin == "" {
				if bin, err = os.Executable(); err != nil {
					return fmt.Errorf("find the gotensor binary: %w", err)
				}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return testnet.Run(ctx, bin, dir, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&bin, "bin", "", "gotensor binary to run the nodes with (default: this one)")
	return cmd
}
