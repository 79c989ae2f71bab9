package runtime

import (
	"fmt"
	"sort"

	"github.com/gotensor/gotensor/chain/codec"
	"golang.org/x/crypto/blake2b"
)

// Genesis is the initial state. Every runtime default can be overridden: Globals by chain-wide parameter
// name (GlobalParameters), SubnetDefaults by hyper-parameter name (Hyperparameters) — the values a
// subnet starts with when it is registered.
type Genesis struct {
	ChainID        string           `json:"chain_id"`
	Sudo           Hex32            `json:"sudo"`
	Accounts       []GenesisAccount `json:"accounts"`
	Globals        []Param          `json:"globals,omitempty"`
	SubnetDefaults []Param          `json:"subnet_defaults,omitempty"`
}

// GenesisAccount is an endowed account.
type GenesisAccount struct {
	Account Hex32  `json:"account"`
	Balance uint64 `json:"balance"`
}

// Param is a named override.
type Param struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
}

// DevGlobals are the dev profile's chain-wide overrides (docs/chain.md, "Genesis profiles").
func DevGlobals() []Param {
	return []Param{
		{GAdminFreezeWindow, 0},
		{GOwnerHyperparamRateLimit, 0},
		{GWeightsVersionKeyRateLimit, 0},
		{GNetworkRateLimit, 0},
		{GStartCallDelay, 0},
		{GFaucetEnabled, 1},
	}
}

// DevSubnetDefaults are the dev profile's new-subnet overrides.
func DevSubnetDefaults() []Param {
	return []Param{
		{"max_registrations_per_block", 32},
		{"target_registrations_per_interval", 64},
		{"difficulty", 10_000},
		{"min_difficulty", 10_000},
		{"max_difficulty", 10_000},
	}
}

// MainnetLikeGenesis is the default profile: every runtime default as in spec/chain.md.
func MainnetLikeGenesis(chainID string, sudo [32]byte, accounts ...GenesisAccount) Genesis {
	return Genesis{ChainID: chainID, Sudo: Hex32(sudo), Accounts: accounts}
}

// DevGenesis is the dev profile (gotensor node --dev and the tests): no freeze window or owner/network
// rate limits, start_call at once, registration limits raised, CPU-friendly difficulty, faucet on.
func DevGenesis(chainID string, sudo [32]byte, accounts ...GenesisAccount) Genesis {
	return Genesis{ChainID: chainID, Sudo: Hex32(sudo), Accounts: accounts, Globals: DevGlobals(), SubnetDefaults: DevSubnetDefaults()}
}

// Validate checks names and sorts nothing; InitChain calls it.
func (g Genesis) Validate() error {
	if g.ChainID == "" {
		return fmt.Errorf("genesis: empty chain id")
	}
	seen := map[Hex32]bool{}
	for _, a := range g.Accounts {
		if seen[a.Account] {
			return fmt.Errorf("genesis: account %s listed twice", a.Account)
		}
		seen[a.Account] = true
	}
	for _, p := range g.Globals {
		if globalByName[p.Name] == nil {
			return fmt.Errorf("genesis: unknown global parameter %q", p.Name)
		}
	}
	for _, p := range g.SubnetDefaults {
		hp := hpByName[p.Name]
		if hp == nil {
			return fmt.Errorf("genesis: unknown hyper-parameter %q", p.Name)
		}
		if p.Value < hp.min || p.Value > hp.max {
			return fmt.Errorf("genesis: hyper-parameter %s = %d outside [%d, %d]", p.Name, p.Value, hp.min, hp.max)
		}
	}
	return nil
}

// Hash is the genesis hash: blake2b-256 of the canonical encoding (overrides sorted by name, accounts
// by key). Transactions carry it as their chain id.
func (g Genesis) Hash() [32]byte {
	w := codec.NewWriter(256)
	w.String("gotensor-genesis-v1")
	w.String(g.ChainID)
	w.Raw(g.Sudo[:])
	accts := append([]GenesisAccount(nil), g.Accounts...)
	sort.Slice(accts, func(i, j int) bool { return string(accts[i].Account[:]) < string(accts[j].Account[:]) })
	w.Varint(uint64(len(accts)))
	for _, a := range accts {
		w.Raw(a.Account[:])
		w.U64(a.Balance)
	}
	for _, list := range [][]Param{g.Globals, g.SubnetDefaults} {
		ps := append([]Param(nil), list...)
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
		w.Varint(uint64(len(ps)))
		for _, p := range ps {
			w.String(p.Name)
			w.U64(p.Value)
		}
	}
	return blake2b.Sum256(w.Bytes())
}

// Hex32 is a 32-byte value (an account id or a hash) that reads and writes JSON as a 0x-prefixed hex string.
type Hex32 [32]byte

// String is the 0x-hex form.
func (h Hex32) String() string { return hexAcct(h) }

// MarshalText implements encoding.TextMarshaler.
func (h Hex32) MarshalText() ([]byte, error) { return []byte(hexAcct(h)), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Hex32) UnmarshalText(b []byte) error {
	a, err := ParseAccount(string(b))
	if err != nil {
		return err
	}
	*h = a
	return nil
}
