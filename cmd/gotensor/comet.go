package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/internal/cli"
	"github.com/gotensor/gotensor/node/engine/comet"
	"github.com/gotensor/gotensor/node/server"
)

// The comet engine is registered here because only cmd/gotensor and node/engine/comet may import
// CometBFT (internal/archguard); internal/cli finds it by name.
func init() {
	cli.RegisterEngine("comet", cli.Engine{Start: startComet, InitTestnet: comet.InitTestnet})
}

func startComet(ctx context.Context, o cli.EngineOptions) (*cli.EngineNode, error) {
	var summary []string
	// A genesis from `gotensor node init` seeds a one-validator network; otherwise the dev genesis.
	var g *runtime.Genesis
	if fg, ok, err := server.LoadGenesis(o.NodeDir); err != nil {
		return nil, err
	} else if ok {
		g = &fg
	}
	created, err := comet.InitSingle(o.NodeDir, g, o.Fast, o.BlockTime)
	if err != nil {
		return nil, err
	}
	switch {
	case created && g != nil:
		summary = append(summary, fmt.Sprintf("No network under %s: initialised a one-validator network from %s.", o.NodeDir, filepath.Join(o.NodeDir, server.GenesisFile)))
	case created:
		summary = append(summary, fmt.Sprintf("No network under %s: initialised a one-validator dev network (//Alice … //Ferdie endowed, //Alice sudo).", o.NodeDir))
	}
	n, err := comet.Start(ctx, comet.Config{Home: o.NodeDir, RPCAddr: o.RPCAddr, MetricsAddr: o.MetricsAddr, Archive: o.Archive, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	head := n.Engine.Head()
	summary = append(summary,
		fmt.Sprintf("gotensor node (comet): chain %s, genesis 0x%x, height %d, block time %v, store %s",
			n.ChainID, n.Engine.GenesisHash(), head.Height, n.Settings.BlockTime(), filepath.Join(o.NodeDir, "chain.db")),
		fmt.Sprintf("cometbft: node id %s, p2p %s, %d persistent peers", n.NodeID, n.Settings.P2PAddr, countPeers(n.Settings.PersistentPeers)))
	return &cli.EngineNode{RPCAddr: n.RPCAddr, MetricsAddr: n.MetricsAddr, Summary: summary, Done: n.Done(), Stop: n.Stop,
		Height: func() uint64 { return n.Engine.Head().Height }}, nil
}

func countPeers(s string) int {
	if s == "" {
		return 0
	}
	c := 1
	for _, r := range s {
		if r == ',' {
			c++
		}
	}
	return c
}
