package comet

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
)

// SettingsFile is the node's CometBFT settings under its home: HOME/config/gotensor-comet.json. CometBFT's
// keys (config/node_key.json, config/priv_validator_key.json), its genesis (config/genesis.json, whose
// app_state is the runtime genesis) and its data (data/) sit beside it, as in a CometBFT home.
const SettingsFile = "gotensor-comet.json"

// Settings are the CometBFT options gotensor exposes (everything else takes CometBFT's defaults).
type Settings struct {
	Moniker string `json:"moniker"`
	// P2PAddr is where the node listens for peers ("tcp://127.0.0.1:26656").
	P2PAddr string `json:"p2p_laddr"`
	// ExternalAddr is the address peers should dial (empty: P2PAddr).
	ExternalAddr string `json:"p2p_external_address,omitempty"`
	// PersistentPeers is "id@host:port,..." of the peers to keep connected to.
	PersistentPeers string `json:"persistent_peers"`
	// CometRPCAddr is CometBFT's own RPC ("" = off; gotensor's JSON-RPC is separate, --rpc-addr).
	CometRPCAddr string `json:"comet_rpc_laddr,omitempty"`
	// TimeoutCommitMs is the pause after a commit before the next height: the block time when the
	// network is healthy. TimeoutProposeMs is how long validators wait for a proposal.
	TimeoutCommitMs  int64 `json:"timeout_commit_ms"`
	TimeoutProposeMs int64 `json:"timeout_propose_ms"`
	// DBBackend is CometBFT's block and state store ("pebbledb" or "goleveldb").
	DBBackend string `json:"db_backend"`
	// LogLevel is CometBFT's own log level ("error", "info", "debug"; default "error").
	LogLevel string `json:"log_level,omitempty"`
	// LoopbackPeers allows peers on loopback and on the same IP (a testnet on one machine).
	LoopbackPeers bool `json:"loopback_peers"`
}

// DefaultSettings are a single machine's defaults: 1 s blocks.
func DefaultSettings() Settings {
	return Settings{Moniker: "gotensor", P2PAddr: "tcp://0.0.0.0:26656", TimeoutCommitMs: 1000, TimeoutProposeMs: 3000,
		DBBackend: "goleveldb", LogLevel: "error"}
}

// LoadSettings reads home/config/gotensor-comet.json.
func LoadSettings(home string) (Settings, error) {
	s := DefaultSettings()
	b, err := os.ReadFile(filepath.Join(home, "config", SettingsFile))
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s: %w", filepath.Join(home, "config", SettingsFile), err)
	}
	return s, nil
}

// SaveSettings writes home/config/gotensor-comet.json.
func SaveSettings(home string, s Settings) error {
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(home, "config", SettingsFile), append(b, '\n'), 0o600)
}

// BlockTime is the nominal block interval.
func (s Settings) BlockTime() time.Duration {
	return time.Duration(s.TimeoutCommitMs) * time.Millisecond
}

// cometConfig builds CometBFT's configuration for home from s.
func (s Settings) cometConfig(home string) (*cmtcfg.Config, error) {
	cfg := cmtcfg.DefaultConfig()
	cfg.SetRoot(home)
	cfg.Moniker = s.Moniker
	if s.DBBackend != "" {
		cfg.DBBackend = s.DBBackend
	}
	cfg.P2P.ListenAddress = s.P2PAddr
	cfg.P2P.ExternalAddress = s.ExternalAddr
	cfg.P2P.PersistentPeers = s.PersistentPeers
	cfg.P2P.PexReactor = false
	if s.LoopbackPeers {
		cfg.P2P.AddrBookStrict = false
		cfg.P2P.AllowDuplicateIP = true
	}
	cfg.P2P.PersistentPeersMaxDialPeriod = 2 * time.Second
	cfg.RPC.ListenAddress = s.CometRPCAddr
	cfg.GRPC.ListenAddress = ""
	cfg.Instrumentation.Prometheus = false
	if s.TimeoutCommitMs > 0 {
		cfg.Consensus.TimeoutCommit = time.Duration(s.TimeoutCommitMs) * time.Millisecond
		// CometBFT's gossip routines sleep 100 ms when idle, which would dominate short block times.
		cfg.Consensus.PeerGossipSleepDuration = min(100*time.Millisecond, max(5*time.Millisecond, cfg.Consensus.TimeoutCommit/4))
	}
	if s.TimeoutProposeMs > 0 {
		c := cfg.Consensus
		c.TimeoutPropose = time.Duration(s.TimeoutProposeMs) * time.Millisecond
		c.TimeoutPrevote, c.TimeoutPrecommit = c.TimeoutPropose/3, c.TimeoutPropose/3
		c.TimeoutProposeDelta, c.TimeoutPrevoteDelta, c.TimeoutPrecommitDelta = c.TimeoutPropose/6, c.TimeoutPropose/6, c.TimeoutPropose/6
	}
	cfg.Consensus.CreateEmptyBlocks = true
	if cfg.P2P.ListenAddress == "" {
		return nil, errors.New("comet: p2p_laddr is required")
	}
	for _, d := range []string{cfg.DBDir(), filepath.Join(home, "config")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	return cfg, cfg.ValidateBasic()
}
