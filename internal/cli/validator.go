package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/examples/factor/validator"
)

func newValidatorCommand() *cobra.Command {
	var (
		o         neuronOptions
		cfg       validator.Config
		statePath string
		home      string
	)
	cmd := &cobra.Command{
		Use:   "validator",
		Short: "Run the example subnet's validator (factoring semiprimes) with a wallet's hotkey",
		Long: "validator runs the factor example subnet's validator (examples/factor): every step it samples serving\n" +
			"miners, sends each a fresh semiprime through the dendrite, scores correctness and latency into a\n" +
			"moving average per uid, and every --neuron.epoch-length blocks sets its weights (commit-reveal when\n" +
			"the subnet has it on, revealing automatically). Its state (scores, hotkeys, pending commits) is kept in\n" +
			"--neuron.state and loaded at start. It runs until Ctrl-C.",
		Example: "  gotensor validator --wallet.name validator --wallet.hotkey default --netuid 1",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := o.open(cmd)
			if err != nil {
				return err
			}
			defer s.chain.Close()
			if statePath == "" {
				statePath = filepath.Join(home, "validators", s.walletName, s.hotkeyName, fmt.Sprintf("netuid%d", o.netuid), "state.json")
			}
			cfg.Netuid, cfg.Logger, cfg.StatePath = o.netuid, s.log, statePath
			v, err := validator.New(s.chain, s.hotkey, cfg)
			if err != nil {
				return err
			}
			s.log.Info("validator state file", "path", statePath)
			ctx, stop := signalContext(cmd)
			defer stop()
			return v.Run(ctx)
		},
	}
	addNeuronFlags(cmd, &o)
	f := cmd.Flags()
	f.StringVar(&home, "home", defaultHome(), "gotensor home; the state lives under HOME/validators unless --neuron.state says otherwise")
	f.StringVar(&statePath, "neuron.state", "", "validator state file (default HOME/validators/<wallet>/<hotkey>/netuid<N>/state.json)")
	f.IntVar(&cfg.SampleSize, "neuron.sample-size", 50, "miners queried per step")
	f.DurationVar(&cfg.Timeout, "neuron.timeout", 10*time.Second, "dendrite timeout of one query")
	f.Float64Var(&cfg.Alpha, "neuron.moving-average-alpha", 0.1, "moving-average factor of the scores")
	f.DurationVar(&cfg.StepInterval, "neuron.step-interval", 5*time.Second, "pause between two query steps")
	f.Uint64Var(&cfg.WeightsInterval, "neuron.epoch-length", 100, "blocks between two weight settings")
	f.Uint64Var(&cfg.ResyncBlocks, "neuron.resync-blocks", 5, "blocks between two metagraph syncs")
	f.Float64Var(&cfg.VpermitTaoLimit, "neuron.vpermit-tao-limit", 4096, "do not query uids with a validator permit and more stake than this")
	f.BoolVar(&cfg.DisableSetWeights, "neuron.disable-set-weights", false, "score miners but never set weights")
	f.IntVar(&cfg.Bits, "neuron.bits", 20, "size in bits of each prime of a challenge (2..31)")
	return cmd
}
