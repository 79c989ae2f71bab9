package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

func init() { commandGroups = append(commandGroups, addChainRecordCommands) }

func addChainRecordCommands(root *cobra.Command) {
	g := findOrAddGroup(root, "chain", "Talk to a Substrate chain directly (recordings for offline tests)")
	g.AddCommand(newChainRecordCommand())
}

// recordRequests documents what `chain record` can drive.
const recordRequests = `requests (each drives the substrate backend; every RPC it makes is recorded):
  block                     the best block (chain_getHead, chain_getHeader)
  runtime                   the runtime version and metadata
  metagraph:NETUID          the selective metagraph (one runtime call)
  neurons-lite:NETUID       get_neurons_lite
  neuron:NETUID:UID         get_neuron
  subnet-state:NETUID       get_subnet_state
  hyperparameters:NETUID    get_subnet_hyperparams_v2
  subnets                   get_subnets_info_v2
  dynamic-info              get_all_dynamic_info
  balance:SS58              System.Account
  uid:NETUID:SS58           SubtensorModule.Uids
  stake:SS58                get_stake_info_for_coldkey
  rpc:METHOD[:JSON-PARAMS]  any JSON-RPC call, e.g. rpc:chain_getBlockHash:[6852690]`

func newChainRecordCommand() *cobra.Command {
	var network, out, seed string
	var block uint64
	cmd := &cobra.Command{
		Use:   "record REQUEST...",
		Short: "Record JSON-RPC conversations with a subtensor node in the offline fixture format",
		Long: "Runs the given reads against a subtensor node through the substrate backend and writes every request\n" +
			"and answer, under the seed name, into the fixture file (other seeds in it are kept).\n\n" + recordRequests,
		Example: "  gotensor chain record --network finney --out recorded-rpc.json --seed metagraph block metagraph:1 neurons-lite:1\n" +
			"  gotensor chain record --network wss://test.finney.opentensor.ai:443 --out test.json subnets hyperparameters:1",
		Args: cobra.MinimumNArgs(1),
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if out == "" {
			return usageErr(fmt.Errorf("--out FILE is required"))
		}
		n, err := substrate.LookupNetwork(network)
		if err != nil {
			return usageErr(err)
		}
		var inner rpc.Transport
		switch {
		case strings.HasPrefix(n.URL, "ws"):
			inner = rpc.NewWS(n.URL)
		default:
			inner = rpc.NewHTTP(n.URL, nil)
		}
		rec := rpc.NewRecorder(inner, seed)
		ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
		defer stop()
		// Without a known genesis the backend asks chain_getBlockHash(0), which is recorded too.
		b, err := substrate.New(ctx, rec, substrate.Options{Genesis: n.Genesis})
		if err != nil {
			return err
		}
		defer b.Close()
		at := substrate.At{}
		if block > 0 {
			at = substrate.AtBlock(block)
		}
		for _, req := range args {
			if err := recordOne(ctx, b, rec, at, req); err != nil {
				return fmt.Errorf("%s: %w", req, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "recorded %s\n", req)
		}
		if err := rec.Save(out); err != nil {
			return err
		}
		calls := 0
		for _, conv := range rec.Recording() {
			for _, ps := range conv {
				calls += len(ps)
			}
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote seed %q (%d requests) to %s\n", seed, calls, out)
		return nil
	}
	cmd.Flags().StringVar(&network, "network", "finney", "finney, test, archive or a ws://, wss://, http:// URL of a subtensor node")
	cmd.Flags().StringVar(&out, "out", "", "fixture file to write (merged: other seeds are kept)")
	cmd.Flags().StringVar(&seed, "seed", "recorded", "seed name of this conversation")
	cmd.Flags().Uint64Var(&block, "block", 0, "read at this block instead of the best one")
	return cmd
}

func recordOne(ctx context.Context, b *substrate.Backend, rec *rpc.Recorder, at substrate.At, req string) error {
	parts := strings.Split(req, ":")
	u16 := func(i int) (uint16, error) {
		if i >= len(parts) {
			return 0, usageErr(fmt.Errorf("missing argument %d", i))
		}
		v, err := strconv.ParseUint(parts[i], 10, 16)
		if err != nil {
			return 0, usageErr(err)
		}
		return uint16(v), nil
	}
	acct := func(i int) (subtensor.AccountID, error) {
		if i >= len(parts) {
			return subtensor.AccountID{}, usageErr(fmt.Errorf("missing address"))
		}
		raw, _, err := keys.DecodeSS58(parts[i])
		if err != nil {
			return subtensor.AccountID{}, usageErr(fmt.Errorf("bad address %q: %v", parts[i], err))
		}
		return subtensor.AccountID(raw), nil
	}
	var err error
	switch parts[0] {
	case "block":
		_, err = b.BestHead(ctx)
	case "runtime":
		_, err = b.Runtime(ctx)
	case "metagraph", "neurons-lite", "subnet-state", "hyperparameters":
		var netuid uint16
		if netuid, err = u16(1); err != nil {
			return err
		}
		switch parts[0] {
		case "metagraph":
			_, err = b.Metagraph(ctx, netuid, at)
		case "neurons-lite":
			_, err = b.NeuronsLite(ctx, netuid, at)
		case "subnet-state":
			_, err = b.SubnetState(ctx, netuid, at)
		default:
			_, err = b.Hyperparameters(ctx, netuid, at)
		}
	case "neuron":
		netuid, e1 := u16(1)
		uid, e2 := u16(2)
		if e1 != nil || e2 != nil {
			return usageErr(fmt.Errorf("want neuron:NETUID:UID"))
		}
		_, err = b.Neuron(ctx, netuid, uid, at)
	case "subnets":
		_, err = b.Subnets(ctx, at)
	case "dynamic-info":
		_, err = b.AllDynamicInfo(ctx, at)
	case "balance", "stake":
		a, e := acct(1)
		if e != nil {
			return e
		}
		if parts[0] == "balance" {
			_, err = b.Balance(ctx, a, at)
		} else {
			_, err = b.StakeForColdkey(ctx, a, at)
		}
	case "uid":
		netuid, e1 := u16(1)
		a, e2 := acct(2)
		if e1 != nil || e2 != nil {
			return usageErr(fmt.Errorf("want uid:NETUID:SS58"))
		}
		_, _, err = b.UIDForHotkey(ctx, netuid, a, at)
	case "rpc":
		if len(parts) < 2 {
			return usageErr(fmt.Errorf("want rpc:METHOD[:JSON-PARAMS]"))
		}
		var params []any
		if len(parts) > 2 {
			if err := json.Unmarshal([]byte(strings.Join(parts[2:], ":")), &params); err != nil {
				return usageErr(fmt.Errorf("params must be a JSON array: %v", err))
			}
		}
		_, err = rec.Call(ctx, parts[1], params...)
	default:
		return usageErr(fmt.Errorf("unknown request %q\n%s", parts[0], recordRequests))
	}
	return err
}
