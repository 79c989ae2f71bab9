package metagraph

import (
	"path/filepath"
	"testing"

	"github.com/gotensor/gotensor/sdk/client"
)

func info(netuid uint16) *client.MetagraphInfo {
	return &client.MetagraphInfo{
		Netuid: netuid, N: 3, Block: 9,
		Hotkeys:    []client.AccountID{{1}, {2}, {3}},
		Coldkeys:   []client.AccountID{{9}, {9}, {8}},
		AlphaStake: []client.Balance{2e9, 0, 0}, TaoStake: []client.Balance{1e9, 0, 0}, TotalStake: []client.Balance{2.18e9, 0, 0},
		Consensus: []uint16{0, 65535, 0}, Incentive: []uint16{0, 32768, 65535}, Dividends: []uint16{65535, 0, 0},
		ValidatorTrust: []uint16{65535, 0, 0}, Emission: []client.Balance{5e8, 1e8, 0},
		Active: []bool{true, true, false}, LastUpdate: []uint64{7, 3, 3}, ValidatorPermit: []bool{true, false, false},
		BlockAtRegistration: []uint64{1, 2, 3}, Axons: make([]client.AxonInfo, 3),
		Weights: [][]client.UIDValue{{{UID: 1, Value: 30000}, {UID: 2, Value: 10000}}, {}, {}},
		Bonds:   [][]client.UIDValue{{{UID: 1, Value: 7}}, {}, {}},
	}
}

func TestFromInfo(t *testing.T) {
	m := FromInfo(info(1))
	if m.N != 3 || m.S()[0] != 2.18 || m.TS()[0] != 0.18 || m.AS()[0] != 2 || m.I()[1] != float32(32768)/65535 || m.E()[0] != 0.5 {
		t.Fatalf("%+v", m)
	}
	if m.W()[0][1] != 0.75 || m.W()[0][2] != 0.25 || m.W()[1][0] != 0 || m.B()[0][1] != 7 {
		t.Fatalf("W %v B %v", m.W(), m.B())
	}
	if uid, ok := m.UIDOf(client.AccountID{3}); !ok || uid != 2 {
		t.Fatal("UIDOf")
	}
	n, ok := m.ByHotkey(client.AccountID{1})
	if !ok || !n.ValidatorPermit || n.Weights[1] != 0.75 || n.Coldkey != (client.AccountID{9}) {
		t.Fatalf("%+v", n)
	}
	root := FromInfo(info(0))
	if root.S()[0] != 1 || root.TS()[0] != 1 || root.AS()[0] != 1 {
		t.Fatalf("root stakes %v %v %v", root.S(), root.TS(), root.AS())
	}
	path := filepath.Join(t.TempDir(), m.DefaultPath("x"))
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.W()[0][2] != 0.25 || back.Hotkeys[2] != m.Hotkeys[2] || back.Block != 9 {
		t.Fatal("save/load round trip")
	}
	back.N = 4
	if back.check() == nil {
		t.Fatal("inconsistent metagraph passed check")
	}
}
