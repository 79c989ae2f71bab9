package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sim"
)

func init() { commandGroups = append(commandGroups, addSimSnapshotCommand) }

func addSimSnapshotCommand(root *cobra.Command) {
	g := findOrAddGroup(root, "sim", "Yuma Consensus simulator")
	g.AddCommand(newSimSnapshotCommand())
}

type snapStep map[string]any

func newSimSnapshotCommand() *cobra.Command {
	var opts outputOptions
	var co chainOptions
	var netuid uint16
	var block uint64
	var out, emission string
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Write a live subnet as a yuma-golden/v1 scenario, so `sim run` answers \"what would the next epoch give if...\"",
		Long: "snapshot reads a subnet's metagraph (stake weights, weights, last updates, permits, registration blocks)\n" +
			"and hyper-parameters at the head or --block, and writes a scenario that registers every uid, writes\n" +
			"their weight rows and runs one sparse epoch at that block. Edit its steps (set_stake, set_weights,\n" +
			"set_hyperparameter, ...) and `gotensor sim run --json-output` it to see what changes. Bonds are not\n" +
			"part of the scenario schema's state ops: the scenario starts with empty bonds.",
		Example: "  gotensor sim snapshot --netuid 1 --out sn1.json && gotensor sim run --json-output sn1.json\n" +
			"  gotensor sim snapshot --netuid 1 --block 1200 > sn1-at-1200.json",
		Args: cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		var r client.Reader = s.chain
		if block > 0 {
			r = s.chain.At(block)
		}
		mg, err := r.Metagraph(s.ctx, netuid, false)
		if err != nil {
			return subnetHint(err, netuid)
		}
		glob, err := r.Globals(s.ctx)
		if err != nil {
			return err
		}
		hp := mg.Hyperparameters.Map()
		g := glob.Map()
		tempo := hp["tempo"]
		factor := uint64(0)
		if tempo > 0 {
			factor = hp["activity_cutoff"] * 1000 / tempo
		}
		var owner any
		for uid, hk := range mg.Hotkeys {
			if hk == mg.Subnet.OwnerHotkey {
				owner = uid
				break
			}
		}
		hyper := map[string]any{
			"tempo": tempo, "activity_cutoff_factor_milli": factor, "kappa": hp["kappa"], "bonds_penalty": hp["bonds_penalty"],
			"bonds_moving_average": hp["bonds_moving_average"], "liquid_alpha_enabled": hp["liquid_alpha_enabled"] != 0,
			"yuma3_enabled": hp["yuma3_enabled"] != 0, "alpha_low": hp["alpha_low"], "alpha_high": hp["alpha_high"],
			"alpha_sigmoid_steepness": hp["alpha_sigmoid_steepness"], "max_allowed_validators": hp["max_allowed_validators"],
			"bonds_reset_enabled": hp["bonds_reset"] != 0, "commit_reveal_enabled": hp["commit_reveal_weights_enabled"] != 0,
			"stake_threshold": g["stake_threshold"], "tao_weight_raw": g["tao_weight"], "subnet_owner_uid": owner,
			"last_mechanism_step_block": mg.Subnet.LastStep,
		}
		var steps []snapStep
		for uid := range mg.Hotkeys {
			steps = append(steps, snapStep{"op": "register", "uid": uid, "alpha_stake": uint64(mg.TotalStake[uid]),
				"registration_block": mg.BlockAtRegistration[uid]})
		}
		for uid, row := range mg.Weights {
			if len(row) == 0 {
				continue
			}
			pairs := make([][2]uint16, len(row))
			for i, e := range row {
				pairs[i] = [2]uint16{e.UID, e.Value}
			}
			steps = append(steps, snapStep{"op": "insert_weights_raw", "uid": uid, "row": pairs})
		}
		if len(mg.LastUpdate) > 0 {
			steps = append(steps, snapStep{"op": "set_last_update", "values": mg.LastUpdate},
				snapStep{"op": "set_validator_permits", "values": mg.ValidatorPermit})
		}
		// The alpha the next epoch distributes: the subnet's alpha emission per block over one tempo.
		var rao uint64
		if emission != "" {
			b, err := parseTAO(emission, "--emission")
			if err != nil {
				return err
			}
			rao = uint64(b)
		} else if em, err := r.Emission(s.ctx); err == nil {
			for _, e := range em.Subnets {
				if e.Netuid == netuid {
					rao = uint64(e.AlphaOut) * (tempo + 1)
				}
			}
		}
		steps = append(steps, snapStep{"op": "epoch", "mode": "sparse", "rao_emission": rao, "expect": []any{}})
		doc := map[string]any{
			"schema": sim.SchemaScenario, "name": fmt.Sprintf("snapshot of netuid %d at block %d", netuid, mg.Block),
			"description": fmt.Sprintf("Written by `gotensor sim snapshot` from %s. Bonds start empty (the schema has no op to set them).", s.network),
			"cases": []any{map[string]any{"case": fmt.Sprintf("netuid %d block %d", netuid, mg.Block), "hyperparameters": hyper,
				"initial_block": mg.Block, "steps": steps}},
		}
		b, err := json.MarshalIndent(doc, "", " ")
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if _, err := sim.Decode(b); err != nil {
			return fmt.Errorf("the snapshot does not decode as a scenario (a bug): %w", err)
		}
		if out == "" || out == "-" {
			_, err = con.stdout.Write(b)
			return err
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return err
		}
		con.Essentialf("Wrote netuid %d at block %d (%d uids) to %s; run it with `gotensor sim run %s`\n", netuid, mg.Block, mg.N, out, out)
		return con.JSON(map[string]any{"success": true, "file": out, "netuid": netuid, "block": mg.Block, "uids": mg.N})
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	cmd.Flags().Uint64Var(&block, "block", 0, "read at this past block (0: the head)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (default: stdout)")
	cmd.Flags().StringVar(&emission, "emission", "", "alpha the epoch distributes, in TAO units (default: the subnet's per-block alpha emission × (tempo+1))")
	return cmd
}
