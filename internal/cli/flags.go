package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagAliases maps btcli's alternative flag spellings (after '.' and '_' become '-') to gotensor's canonical
// flag names, so that scripts, tutorials and systemd units written for btcli keep working (spec/cli.md §2.3).
var flagAliases = map[string]string{
	"name":                     "wallet-name",
	"wallet-hotkey":            "hotkey",
	"wallet-hotkey-ss58":       "hotkey-ss58",
	"subtensor-network":        "network",
	"chain":                    "network",
	"subtensor-chain-endpoint": "network",
	"yes":                      "no-prompt",
	"json-out":                 "json-output",
	"public-key":               "address",
	"ss58-address":             "ss58",
}

// normalizeFlagName turns every accepted spelling of a flag into its canonical name: dotted argparse style
// (--wallet.name), snake case (--wallet_name) and btcli's aliases (--name) all become --wallet-name.
func normalizeFlagName(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	name = strings.NewReplacer(".", "-", "_", "-").Replace(name)
	if canonical, ok := flagAliases[name]; ok {
		name = canonical
	}
	return pflag.NormalizedName(name)
}

// boolPair is a --flag/--no-flag pair as btcli spells booleans (--use-password / --no-use-password).
type boolPair struct {
	on, off bool
	def     bool
	name    string
}

// addBoolPair registers --name and --no-name on cmd with the given default.
func addBoolPair(cmd *cobra.Command, name string, def bool, usage string) *boolPair {
	b := &boolPair{def: def, name: name}
	cmd.Flags().BoolVar(&b.on, name, false, usage)
	cmd.Flags().BoolVar(&b.off, "no-"+name, false, "opposite of --"+name)
	return b
}

// Value resolves the pair: an explicit --no-name wins, then --name, then the default.
func (b *boolPair) Value() bool {
	switch {
	case b.off:
		return false
	case b.on:
		return true
	}
	return b.def
}

// hiddenAliases adds hidden copies of a command under other names (btcli's snake_case twins such as
// new_hotkey, and short group names such as w).
func hiddenAliases(cmd *cobra.Command, names ...string) {
	cmd.Aliases = append(cmd.Aliases, names...)
}
