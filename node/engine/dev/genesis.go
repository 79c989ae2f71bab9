package dev

import (
	"fmt"
	"strconv"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/keys"
)

// DevAccounts are the well-known dev keys the dev genesis endows.
var DevAccounts = []string{"//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"}

// DevEndowment is each dev account's genesis balance: 1,000,000 TAO.
const DevEndowment = 1_000_000 * 1_000_000_000

// DevChainID is the chain id of the dev genesis.
const DevChainID = "gotensor-dev"

// DevGenesis is the dev profile (runtime.DevGenesis) with //Alice…//Ferdie endowed and //Alice as sudo;
// fast adds tempo FastTempo for new subnets.
func DevGenesis(fast bool) (runtime.Genesis, error) {
	var accts []runtime.GenesisAccount
	var sudo [32]byte
	for i, uri := range DevAccounts {
		kp, err := keys.FromURI(uri)
		if err != nil {
			return runtime.Genesis{}, fmt.Errorf("dev genesis: %s: %w", uri, err)
		}
		pk := kp.PublicKey()
		if i == 0 {
			sudo = pk
		}
		accts = append(accts, runtime.GenesisAccount{Account: runtime.Hex32(pk), Balance: DevEndowment})
	}
	g := runtime.DevGenesis(DevChainID, sudo, accts...)
	if fast {
		g.ChainID = DevChainID + "-fast"
		g.SubnetDefaults = append(g.SubnetDefaults, runtime.Param{Name: "tempo", Value: FastTempo})
	}
	return g, nil
}

// FormatTAO renders rao as τ with nine decimals.
func FormatTAO(rao uint64) string {
	s := strconv.FormatUint(rao/1_000_000_000, 10)
	return fmt.Sprintf("τ%s.%09d", s, rao%1_000_000_000)
}
