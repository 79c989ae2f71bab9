// Package testnet describes and runs a multi-validator network on one machine: the manifest that
// `gotensor testnet init` writes (DIR/testnet.json) and `gotensor testnet start`, which runs every node
// as a child process with its log in DIR. Writing the nodes' CometBFT keys and genesis is the comet
// engine's job (node/engine/comet.InitTestnet); this package imports no CometBFT, so the CLI can use it.
package testnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// ManifestFile is the network's description under its directory.
const ManifestFile = "testnet.json"

// InitOptions configure a new network.
type InitOptions struct {
	Dir        string
	Validators int
	ChainID    string // "" = the genesis default
	BlockTime  time.Duration
	// Fast gives new subnets tempo 10 (like `gotensor node --fast`).
	Fast bool
	// Host is the address nodes listen on and dial (default 127.0.0.1).
	Host string
	// CometRPC also enables each node's CometBFT RPC on its own port.
	CometRPC bool
}

// Node is one node of the manifest.
type Node struct {
	Name    string `json:"name"`
	Home    string `json:"home"` // the gotensor home (`--home`), relative to the manifest's directory
	NodeID  string `json:"node_id"`
	P2PAddr string `json:"p2p_addr"`
	RPCAddr string `json:"rpc_addr"` // gotensor JSON-RPC
	// CometRPCAddr is CometBFT's own RPC, when enabled.
	CometRPCAddr string `json:"comet_rpc_addr,omitempty"`
	Validator    bool   `json:"validator"`
}

// Manifest describes a network written by `gotensor testnet init`.
type Manifest struct {
	ChainID     string    `json:"chain_id"`
	GenesisHash string    `json:"genesis_hash"`
	BlockTimeMs int64     `json:"block_time_ms"`
	Created     time.Time `json:"created"`
	Nodes       []Node    `json:"nodes"`
}

// NodeHome is the absolute gotensor home of node i of the manifest in dir.
func (m *Manifest) NodeHome(dir string, i int) string { return filepath.Join(dir, m.Nodes[i].Home) }

// Write saves the manifest as dir/testnet.json.
func (m *Manifest) Write(dir string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestFile), append(b, '\n'), 0o600)
}

// Load reads dir/testnet.json.
func Load(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: create the network with `gotensor testnet init --output %s`", dir, ManifestFile, dir)
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if len(m.Nodes) == 0 {
		return nil, fmt.Errorf("%s lists no nodes", filepath.Join(dir, ManifestFile))
	}
	return &m, nil
}

// FreePorts returns n distinct TCP ports on host that are free now (all held open until every one is
// picked, so they differ).
func FreePorts(host string, n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	out := make([]int, 0, n)
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("find a free port on %s: %w", host, err)
		}
		ls = append(ls, l)
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}
