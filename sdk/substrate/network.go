// Package substrate is gotensor's backend for real Substrate-based Bittensor networks (finney, test, a
// subtensor localnet). It stacks small layers, each tested offline: scale (the codec), metadata (runtime
// metadata v14–v16, indexed by name and cached per runtime), codec (decoding by field name with drift
// errors), extrinsic (calls and v4 signed extrinsics built from metadata), rpc (WebSocket/HTTP JSON-RPC
// with retries, deadlines, archive fallback and an offline replay) and subtensor (the runtime's answers as
// plain Go types). Backend puts them together behind domain-level methods — metagraph, neurons,
// hyperparameters, balances, set weights, serve axon, stake — that expose no wire format.
package substrate

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Network names an endpoint.
type Network struct {
	Name    string
	URL     string    // ws://, wss://, http:// or https://
	Archive string    // optional archive endpoint for pruned state
	Genesis *[32]byte // known genesis hash; nil means ask the node
}

// FinneyGenesis is the genesis hash of the Bittensor main network.
var FinneyGenesis = mustHash("2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03")

// The public endpoints the Bittensor SDK uses.
var (
	Finney  = Network{Name: "finney", URL: "wss://entrypoint-finney.opentensor.ai:443", Archive: "wss://archive.chain.opentensor.ai:443", Genesis: &FinneyGenesis}
	Test    = Network{Name: "test", URL: "wss://test.finney.opentensor.ai:443"}
	Archive = Network{Name: "archive", URL: "wss://archive.chain.opentensor.ai:443", Genesis: &FinneyGenesis}
	Local   = Network{Name: "local", URL: "ws://127.0.0.1:9944"}
)

// LookupNetwork resolves "finney", "test", "archive", "local" or an endpoint URL.
func LookupNetwork(name string) (Network, error) {
	switch strings.ToLower(name) {
	case "finney", "main", "mainnet":
		return Finney, nil
	case "test", "testnet":
		return Test, nil
	case "archive":
		return Archive, nil
	case "local", "localnet":
		return Local, nil
	}
	for _, p := range []string{"ws://", "wss://", "http://", "https://"} {
		if strings.HasPrefix(name, p) {
			return Network{Name: name, URL: name}, nil
		}
	}
	return Network{}, fmt.Errorf("substrate: unknown network %q (want finney, test, archive, local or a ws://, wss://, http:// or https:// URL)", name)
}

func mustHash(s string) [32]byte {
	h, err := parseHash(s)
	if err != nil {
		panic(err)
	}
	return h
}

func parseHash(s string) ([32]byte, error) {
	var h [32]byte
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		return h, fmt.Errorf("substrate: bad block hash %q", s)
	}
	copy(h[:], b)
	return h, nil
}

func hexHash(h [32]byte) string { return "0x" + hex.EncodeToString(h[:]) }

func decodeHex(s string) ([]byte, error) {
	s = strings.TrimPrefix(s, "0x")
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("substrate: bad hex from node: %w", err)
	}
	return b, nil
}
