package comet

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/testnet"
)

// NodeDir is where a node keeps its chain under a gotensor home (as `gotensor node` does: HOME/node).
func NodeDir(home string) string { return filepath.Join(home, "node") }

// ValidatorPower is each genesis validator's voting power.
const ValidatorPower = 10

type keys struct {
	pv     *privval.FilePV
	nodeID string
}

// writeKeys creates the validator and node keys of the node directory dir.
func writeKeys(dir string) (keys, error) {
	cfgDir := filepath.Join(dir, "config")
	dataDir := filepath.Join(dir, "data")
	for _, d := range []string{cfgDir, dataDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return keys{}, err
		}
	}
	pv := privval.NewFilePV(ed25519.GenPrivKey(), filepath.Join(cfgDir, "priv_validator_key.json"),
		filepath.Join(dataDir, "priv_validator_state.json"))
	pv.Save()
	nk := &p2p.NodeKey{PrivKey: ed25519.GenPrivKey()}
	if err := nk.SaveAs(filepath.Join(cfgDir, "node_key.json")); err != nil {
		return keys{}, err
	}
	return keys{pv: pv, nodeID: string(nk.ID())}, nil
}

// genesisDoc is CometBFT's genesis with the runtime genesis as app_state.
func genesisDoc(g runtime.Genesis, vals []cmttypes.GenesisValidator, at time.Time) (*cmttypes.GenesisDoc, error) {
	app, err := json.Marshal(g)
	if err != nil {
		return nil, err
	}
	doc := &cmttypes.GenesisDoc{GenesisTime: at.UTC().Truncate(time.Millisecond), ChainID: g.ChainID, InitialHeight: 1,
		ConsensusParams: cmttypes.DefaultConsensusParams(), Validators: vals, AppState: app}
	return doc, doc.ValidateAndComplete()
}

// InitTestnet writes a network of opts.Validators validators under opts.Dir: DIR/node<i> is node i's
// gotensor home (its chain, keys, genesis and CometBFT data under DIR/node<i>/node), every node lists the
// others as persistent peers, all ports are distinct and free now, and DIR/testnet.json describes it.
func InitTestnet(opts testnet.InitOptions) (*testnet.Manifest, error) {
	if opts.Validators < 1 || opts.Validators > 64 {
		return nil, fmt.Errorf("--validators %d: want 1 to 64", opts.Validators)
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.BlockTime <= 0 {
		opts.BlockTime = time.Second
	}
	if entries, err := os.ReadDir(opts.Dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty: choose a new --output directory", opts.Dir)
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	g, err := dev.DevGenesis(opts.Fast)
	if err != nil {
		return nil, err
	}
	if opts.ChainID != "" {
		g.ChainID = opts.ChainID
	} else {
		g.ChainID = "gotensor-testnet"
	}
	per := 2
	if opts.CometRPC {
		per = 3
	}
	ports, err := testnet.FreePorts(opts.Host, per*opts.Validators)
	if err != nil {
		return nil, err
	}
	m := &testnet.Manifest{ChainID: g.ChainID, BlockTimeMs: opts.BlockTime.Milliseconds(), Created: time.Now().UTC()}
	gh := g.Hash()
	m.GenesisHash = fmt.Sprintf("0x%x", gh[:])
	var vals []cmttypes.GenesisValidator
	for i := 0; i < opts.Validators; i++ {
		name := "node" + strconv.Itoa(i)
		k, err := writeKeys(NodeDir(filepath.Join(opts.Dir, name)))
		if err != nil {
			return nil, err
		}
		pub, err := k.pv.GetPubKey()
		if err != nil {
			return nil, err
		}
		vals = append(vals, cmttypes.GenesisValidator{Address: pub.Address(), PubKey: pub, Power: ValidatorPower, Name: name})
		n := testnet.Node{Name: name, Home: name, NodeID: k.nodeID, Validator: true,
			P2PAddr: net.JoinHostPort(opts.Host, strconv.Itoa(ports[per*i])),
			RPCAddr: net.JoinHostPort(opts.Host, strconv.Itoa(ports[per*i+1]))}
		if opts.CometRPC {
			n.CometRPCAddr = net.JoinHostPort(opts.Host, strconv.Itoa(ports[per*i+2]))
		}
		m.Nodes = append(m.Nodes, n)
	}
	doc, err := genesisDoc(g, vals, time.Now())
	if err != nil {
		return nil, err
	}
	propose := max(time.Second, 3*opts.BlockTime)
	for i, n := range m.Nodes {
		dir := NodeDir(filepath.Join(opts.Dir, n.Name))
		if err := doc.SaveAs(genesisPath(dir)); err != nil {
			return nil, err
		}
		var peers []string
		for j, o := range m.Nodes {
			if j != i {
				peers = append(peers, o.NodeID+"@"+o.P2PAddr)
			}
		}
		s := DefaultSettings()
		s.Moniker, s.P2PAddr, s.PersistentPeers = n.Name, "tcp://"+n.P2PAddr, strings.Join(peers, ",")
		if n.CometRPCAddr != "" {
			s.CometRPCAddr = "tcp://" + n.CometRPCAddr
		}
		s.TimeoutCommitMs, s.TimeoutProposeMs = opts.BlockTime.Milliseconds(), propose.Milliseconds()
		s.LoopbackPeers = true
		if err := SaveSettings(dir, s); err != nil {
			return nil, err
		}
	}
	return m, m.Write(opts.Dir)
}

// InitSingle writes a one-validator network into the node directory dir (used by `gotensor node --engine
// comet` on an empty home) with genesis g, or the dev genesis when g is nil. It does nothing when dir
// already has settings.
func InitSingle(dir string, g *runtime.Genesis, fast bool, blockTime time.Duration) (bool, error) {
	if HasHome(dir) {
		return false, nil
	}
	if g == nil {
		dg, err := dev.DevGenesis(fast)
		if err != nil {
			return false, err
		}
		g = &dg
	}
	k, err := writeKeys(dir)
	if err != nil {
		return false, err
	}
	pub, err := k.pv.GetPubKey()
	if err != nil {
		return false, err
	}
	doc, err := genesisDoc(*g, []cmttypes.GenesisValidator{{Address: pub.Address(), PubKey: pub, Power: ValidatorPower, Name: "node0"}}, time.Now())
	if err != nil {
		return false, err
	}
	if err := doc.SaveAs(genesisPath(dir)); err != nil {
		return false, err
	}
	// Nobody dials a lone validator: its p2p port is any free loopback port (change it in the settings to
	// add peers).
	ports, err := testnet.FreePorts("127.0.0.1", 1)
	if err != nil {
		return false, err
	}
	s := DefaultSettings()
	s.P2PAddr = "tcp://127.0.0.1:" + strconv.Itoa(ports[0])
	if blockTime > 0 {
		s.TimeoutCommitMs = blockTime.Milliseconds()
	}
	return true, SaveSettings(dir, s)
}
