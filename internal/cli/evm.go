package cli

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/node/engine/dev"
)

// The EVM side of gotensor (docs/evm.md): `gotensor evm address 0x…` prints the SS58 address an H160 maps
// to (blake2-256("evm:" ‖ h160)), which is where a native transfer funds that Ethereum account.

func init() { commandGroups = append(commandGroups, addEvmCommands) }

func addEvmCommands(root *cobra.Command) {
	cmd := &cobra.Command{
		Use:   "evm",
		Short: "Ethereum-side helpers: the H160 → account mapping of the neuron precompile (docs/evm.md)",
	}
	cmd.AddCommand(newEvmAddressCommand())
	root.AddCommand(cmd)
}

func newEvmAddressCommand() *cobra.Command {
	var opts outputOptions
	cmd := &cobra.Command{
		Use:   "address 0xH160",
		Short: "Print the SS58 address an Ethereum address maps to (fund it with a native transfer)",
		Long: "address prints the account an Ethereum (H160) address acts as on the chain: blake2-256(\"evm:\" ‖ h160),\n" +
			"as subtensor's HashedAddressMapping. Its balance is the H160's balance (rao shown as wei × 10^9), its\n" +
			"nonce is the H160's Ethereum nonce. Fund an H160 with a native transfer to this address.",
		Example: "  gotensor evm address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n" +
			"  gotensor wallet transfer --dest $(gotensor evm address 0xf39F…2266) --amount 10",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			con, err := newConsole(cmd, &opts)
			if err != nil {
				return err
			}
			h160, err := parseH160(args[0])
			if err != nil {
				return err
			}
			acct := tx.EVMAccount(h160)
			ss58 := keys.EncodeSS58(acct[:], keys.DefaultSS58Prefix)
			con.Essentialf("%s\n", ss58)
			return con.JSON(map[string]string{"h160": "0x" + hex.EncodeToString(h160[:]), "account": "0x" + hex.EncodeToString(acct[:]), "ss58": ss58})
		},
	}
	addOutputFlags(cmd, &opts, false)
	return cmd
}

func parseH160(s string) ([20]byte, error) {
	var a [20]byte
	h, ok := strings.CutPrefix(strings.TrimSpace(s), "0x")
	if !ok {
		h, ok = strings.CutPrefix(strings.TrimSpace(s), "0X")
	}
	b, err := hex.DecodeString(h)
	if !ok || err != nil || len(b) != 20 {
		return a, fmt.Errorf("%q is not an Ethereum address: want 0x followed by 40 hex digits", s)
	}
	copy(a[:], b)
	return a, nil
}

// EthServer starts the Ethereum JSON-RPC endpoint (node/ethrpc) for a running node's engine and returns
// the address it listens on; it stops when ctx ends. internal/cli does not link go-ethereum's rpc server
// (internal/archguard), so cmd/gotensor registers it (cmd/gotensor/eth.go), as it does the comet engine.
type EthServer func(ctx context.Context, e *dev.Engine, addr string, log *slog.Logger) (net.Addr, error)

var ethServer EthServer

// RegisterEthServer installs the Ethereum endpoint `gotensor node --eth.addr` starts.
func RegisterEthServer(s EthServer) { ethServer = s }

// startEthServer starts the registered Ethereum endpoint (`gotensor node --eth.addr ADDR`).
func startEthServer(ctx context.Context, e *dev.Engine, addr string, log *slog.Logger) (net.Addr, error) {
	if ethServer == nil {
		return nil, errors.New("--eth.addr: this gotensor build has no Ethereum endpoint (build it from ./cmd/gotensor)")
	}
	return ethServer(ctx, e, addr, log)
}
