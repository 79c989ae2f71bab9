// Command gotensor is the single gotensor binary: node, localnet, simulator, wallet and the btcli-style
// commands.
package main

import (
	"os"

	"github.com/gotensor/gotensor/internal/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
