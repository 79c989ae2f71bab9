package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

func init() { commandGroups = append(commandGroups, addOldNameAliases) }

// renamed makes cmd a hidden command under an old name: it works as the new command does and first prints
// the new name once on stderr (never on stdout, so --json-output stays one document).
func renamed(cmd *cobra.Command, oldName, newName string) *cobra.Command {
	cmd.Hidden = true
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		noteRenamed(c, oldName, newName)
		return run(c, args)
	}
	return cmd
}

func noteRenamed(c *cobra.Command, oldName, newName string) {
	fmt.Fprintf(c.ErrOrStderr(), "Note: `gotensor %s` is now `gotensor %s`.\n", oldName, newName)
}

// addOldNameAliases registers the names older btcli documents use (spec/cli.md §4).
func addOldNameAliases(root *cobra.Command) {
	root.AddCommand(
		renamed(newSubnetsPowRegisterCommand("register", true), "register", "subnets pow-register"),
		renamed(newSubnetsRegisterCommand("recycle_register", true), "recycle_register", "subnets register"),
		renamed(newSubnetsListCommand("list_subnets", true), "list_subnets", "subnets list"),
		renamed(newWalletOverviewCommand("overview", true), "overview", "wallet overview"),
		renamed(newSubnetsShowCommandAs("metagraph"), "metagraph", "subnets show"),
	)
	rootGroup := &cobra.Command{Use: "root", Hidden: true, Short: "Old root-network commands (renamed)"}
	nominate := newSudoGetTakeCommand()
	nominate.Use, nominate.Aliases = "nominate", nil
	run := nominate.RunE
	nominate.RunE = func(c *cobra.Command, args []string) error {
		fmt.Fprintln(c.ErrOrStderr(), "Note: `gotensor root nominate` is gone: since dynamic TAO every hotkey can receive stake. "+
			"The delegate take is set with `gotensor sudo set-take`; the current take follows.")
		return run(c, args)
	}
	rootGroup.AddCommand(nominate,
		renamed(newSubnetsRootRegisterCommandAs("register"), "root register", "subnets root-register"),
	)
	root.AddCommand(rootGroup)
}

func newSubnetsShowCommandAs(use string) *cobra.Command {
	c := newSubnetsShowCommand()
	c.Use, c.Aliases = use, nil
	return c
}

func newSubnetsRootRegisterCommandAs(use string) *cobra.Command {
	c := newSubnetsRootRegisterCommand()
	c.Use = use
	return c
}

// snakeTwins gives every kebab-case subcommand of g its btcli snake_case twin (burn-cost → burn_cost).
func snakeTwins(g *cobra.Command) {
	for _, c := range g.Commands() {
		if snake := strings.ReplaceAll(c.Name(), "-", "_"); snake != c.Name() && !slices.Contains(c.Aliases, snake) {
			c.Aliases = append(c.Aliases, snake)
		}
	}
}

// scriptableFlagErrors makes a bad or unknown flag on these commands (and their subcommands) exit 2, with
// one JSON error document on stdout when --json-output was asked for.
func scriptableFlagErrors(cmds ...*cobra.Command) {
	for _, c := range cmds {
		c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
			fmt.Fprintf(c.ErrOrStderr(), "Error: %v\nRun '%s --help' for usage.\n", err, c.CommandPath())
			if wantsJSON(c) {
				con := &console{opts: &outputOptions{JSON: true}, stdout: c.OutOrStdout(), stderr: c.ErrOrStderr()}
				_ = con.JSON(errorDoc{Success: false, Error: err.Error(), ExitCode: exitUsage})
			}
			return &ExitError{Code: exitUsage}
		})
	}
}

func wantsJSON(c *cobra.Command) bool {
	if f := c.Flags().Lookup("json-output"); f != nil && f.Changed {
		return true
	}
	for _, a := range os.Args[1:] {
		switch a {
		case "--json-output", "--json-out", "--json_output", "--json_out":
			return true
		}
	}
	return false
}
