// Package cli holds gotensor's commands: it parses flags, calls the SDK, the simulator or the node, and
// renders tables or JSON. It contains no chain rules of its own.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Version is the gotensor version, set at build time with -ldflags "-X ...cli.Version=...".
var Version = "0.1.0-dev"

// ExitError carries a process exit code through cobra without printing anything more.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// NewRootCommand builds the gotensor command tree writing to the given streams.
func NewRootCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "gotensor",
		Short: "gotensor: the Bittensor neuron system as one Go binary",
		Long: "gotensor is a Go implementation of the Bittensor neuron system: a local chain, an epoch simulator\n" +
			"that gives the chain's exact numbers, wallets compatible with bittensor, and btcli's commands.",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("gotensor version {{.Version}}\n")
	root.SetGlobalNormalizationFunc(normalizeFlagName)
	for _, register := range commandGroups {
		register(root)
	}
	return root
}

// commandGroups are the registration functions of each command group; each file adds its own in init.
var commandGroups []func(root *cobra.Command)

// Execute runs the command line and returns the process exit code.
func Execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := NewRootCommand(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	fmt.Fprintf(stderr, "Error: %v\n", err)
	return 1
}
