package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/examples/factor/miner"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/client"
)

func init() { commandGroups = append(commandGroups, addNeuronCommands) }

func addNeuronCommands(root *cobra.Command) {
	root.AddCommand(newMinerCommand(), newValidatorCommand())
}

// neuronOptions are the flags `gotensor miner` and `gotensor validator` share: the wallet, the network,
// the subnet and logging.
type neuronOptions struct {
	wallet    walletOptions
	network   string
	netuid    uint16
	logLevel  string
	logFormat string
	out       outputOptions
}

func addNeuronFlags(cmd *cobra.Command, o *neuronOptions) {
	addWalletFlags(cmd, &o.wallet, true)
	cmd.Flags().StringVar(&o.network, "network", "", "chain to use: local, finney, test, archive, or a ws://, wss://, http:// URL of a gotensor or subtensor node (env BT_SUBTENSOR_NETWORK; default local)")
	cmd.Flags().Uint16Var(&o.netuid, "netuid", 1, "subnet to serve on")
	cmd.Flags().StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error (logs go to stderr)")
	cmd.Flags().StringVar(&o.logFormat, "log-format", "text", "text or json")
	cmd.Flags().BoolVar(&o.out.NoPrompt, "no-prompt", false, "never prompt for a password")
}

// neuronSession opens the wallet's hotkey and connects to the chain.
func (o *neuronOptions) open(cmd *cobra.Command) (*neuronSession, error) {
	con, err := newConsole(cmd, &o.out)
	if err != nil {
		return nil, err
	}
	log, err := newLogger(cmd, o.logLevel, o.logFormat)
	if err != nil {
		return nil, err
	}
	w, err := o.wallet.open(con)
	if err != nil {
		return nil, err
	}
	hk, err := w.Hotkey()
	if err != nil {
		return nil, fmt.Errorf("wallet %q hotkey %q: %w (create it with `gotensor wallet create`)", w.Name, w.HotkeyName, err)
	}
	network := o.network
	if network == "" {
		network = os.Getenv("BT_SUBTENSOR_NETWORK")
	}
	if network == "" {
		network = "local"
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), 15*time.Second)
	defer cancel()
	co := chainOptions{Network: []string{network}}
	tg, err := co.resolveTarget()
	if err != nil {
		return nil, err
	}
	c, err := dialTarget(ctx, tg, client.WithLogger(log))
	if err != nil {
		return nil, err
	}
	return &neuronSession{chain: c, hotkey: hk, log: log, walletName: w.Name, hotkeyName: w.HotkeyName}, nil
}

type neuronSession struct {
	chain                  client.Chain
	hotkey                 *keys.Keypair
	log                    *slog.Logger
	walletName, hotkeyName string
}

// signalContext is the command's context, cancelled by SIGINT or SIGTERM.
func signalContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	parent := cmd.Context()
	if parent == nil {
		parent = context.Background()
	}
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

func newMinerCommand() *cobra.Command {
	var (
		o   neuronOptions
		cfg miner.Config
	)
	if dc, err := axon.DefaultConfig(); err == nil { // BT_AXON_* from the environment; flags override
		cfg.Axon = dc
	} else {
		cfg.Axon.Port = axon.DefaultPort
	}
	cmd := &cobra.Command{
		Use:   "miner",
		Short: "Run the example subnet's miner (factoring semiprimes) with a wallet's hotkey",
		Long: "miner runs the factor example subnet's miner (examples/factor): an axon answering Factor synapses,\n" +
			"rejecting unregistered callers and callers without a validator permit, serving higher-stake callers\n" +
			"first. It announces --axon.external-ip:--axon.external-port on the subnet (a dev chain refuses\n" +
			"127.0.0.1; 127.0.0.2 is loopback too on Linux) and runs until Ctrl-C.",
		Example: "  gotensor miner --wallet.name miner --wallet.hotkey default --netuid 1 --axon.ip 127.0.0.2 --axon.external-ip 127.0.0.2",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := o.open(cmd)
			if err != nil {
				return err
			}
			defer s.chain.Close()
			cfg.Netuid, cfg.Logger = o.netuid, s.log
			m, err := miner.New(s.chain, s.hotkey, cfg)
			if err != nil {
				return err
			}
			ctx, stop := signalContext(cmd)
			defer stop()
			return m.Run(ctx)
		},
	}
	addNeuronFlags(cmd, &o)
	cfg.Axon.BindFlags(cmd.Flags())
	f := cmd.Flags()
	f.BoolVar(&cfg.AllowNonRegistered, "blacklist.allow-non-registered", false, "accept requests from hotkeys not registered on the subnet")
	f.BoolVar(&cfg.AllowNonValidators, "blacklist.allow-non-validators", false, "accept requests from registered hotkeys without a validator permit")
	f.Uint64Var(&cfg.ResyncBlocks, "neuron.resync-blocks", 5, "blocks between two metagraph syncs")
	f.DurationVar(&cfg.Delay, "demo.delay", 0, "answer this much later (a deliberately slow miner, for demonstrations)")
	f.IntVar(&cfg.WrongEvery, "demo.wrong-every", 0, "answer every Nth request of each caller wrongly (1: always; for demonstrations)")
	_ = f.MarkHidden("demo.delay")
	_ = f.MarkHidden("demo.wrong-every")
	return cmd
}
