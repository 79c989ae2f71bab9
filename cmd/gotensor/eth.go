package main

import (
	"context"
	"log/slog"
	"net"

	"github.com/gotensor/gotensor/internal/cli"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/ethrpc"
)

// The Ethereum JSON-RPC endpoint is registered here because only cmd/gotensor and node/ethrpc may import
// go-ethereum's rpc server (internal/archguard); `gotensor node --eth.addr` finds it through the cli.
func init() {
	cli.RegisterEthServer(func(ctx context.Context, e *dev.Engine, addr string, log *slog.Logger) (net.Addr, error) {
		return ethrpc.Start(ctx, e, addr, log)
	})
}
