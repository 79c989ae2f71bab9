package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/chain/yuma"
	"github.com/gotensor/gotensor/sim"
)

func init() { commandGroups = append(commandGroups, addSimCommands) }

// addSimCommands registers `gotensor sim`: the Yuma Consensus simulator.
func addSimCommands(root *cobra.Command) {
	simCmd := &cobra.Command{
		Use:   "sim",
		Short: "Yuma Consensus simulator: replay epoch scenarios with the chain's exact numbers",
		Long: "sim replays scenario files (the yuma-golden/v1 schema: register, set_stake, set_weights, ..., epoch)\n" +
			"on gotensor's Yuma Consensus engine, which gives subtensor's numbers bit for bit, and checks every\n" +
			"expectation in them. See docs/yuma.md for how to write a scenario.",
	}
	simCmd.AddCommand(newSimRunCommand())
	root.AddCommand(simCmd)
}

func newSimRunCommand() *cobra.Command {
	var opts outputOptions
	var mode, outputs string
	var checkDerived bool
	cmd := &cobra.Command{
		Use:   "run FILE...",
		Short: "Run scenario files and check their expectations",
		Long: "run replays each scenario file, checks every `expect` entry and exits 1 naming each failed\n" +
			"expectation (file, case, step index, field, uid). Expectations on the deprecated rank/trust getters\n" +
			"are reported as \"" + sim.NotApplicableRankTrust + "\" and counted apart.\n" +
			"With --json-output it prints the outputs of every epoch as one JSON document:\n" +
			`{"files":[{"file":F,"cases":[{"case":name,"epochs":[{"step":i,"block":b,"outputs":{...}}]}]}]}`,
		Example: "  gotensor sim run testdata/scenarios/two_validators.json\n" +
			"  gotensor sim run --mode dense --json-output --outputs incentive,dividends scenario.json",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			con, err := newConsole(cmd, &opts)
			if err != nil {
				return err
			}
			var ro sim.Options
			if mode != "" {
				m, err := yuma.ParseMode(mode)
				if err != nil {
					return fmt.Errorf("--mode: %w", err)
				}
				ro.Mode = &m
			}
			fields, err := sim.ParseOutputFields(outputs)
			if err != nil {
				return fmt.Errorf("--outputs: %w", err)
			}
			ro.CheckDerived = checkDerived
			if opts.JSON {
				ro.Record = true
				for _, f := range fields {
					ro.RecordBonds = ro.RecordBonds || f == "bonds_u16"
				}
			}
			return simRunFiles(con, cmd, args, ro, fields)
		},
	}
	addOutputFlags(cmd, &opts, false)
	cmd.Flags().StringVar(&mode, "mode", "", "run every epoch in this mode (sparse or dense) instead of each step's own")
	cmd.Flags().StringVar(&outputs, "outputs", "", "comma-separated outputs to print with --json-output (default all: "+strings.Join(sim.OutputFields, ",")+")")
	cmd.Flags().BoolVar(&checkDerived, "check-derived", false, "also compare every derived_reference bit for bit")
	cmd.Flags().SetNormalizeFunc(normalizeFlagName)
	return cmd
}

func simRunFiles(con *console, cmd *cobra.Command, files []string, ro sim.Options, fields []string) error {
	failed := false
	var results []*sim.FileResult
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(con.stderr, "ERROR %s: %v\n", path, err)
			failed = true
			continue
		}
		fr, err := sim.RunFile(path, data, ro)
		if err != nil {
			fmt.Fprintf(con.stderr, "ERROR %v\n", err)
			failed = true
			if fr == nil {
				continue
			}
		}
		results = append(results, fr)
		var passed, fails, na, epochs, dp, df int
		for _, c := range fr.Cases {
			passed += c.Passed
			fails += c.Failed
			na += c.NotApplicable
			dp += c.DerivedPassed
			df += c.DerivedFailed
			epochs += len(c.Epochs)
			for _, f := range c.Failures {
				fmt.Fprintf(con.stderr, "FAIL %s\n", f)
			}
		}
		status := "PASS"
		if fails > 0 || err != nil {
			status = "FAIL"
			failed = true
		}
		con.Essentialf("%s %s: %s\n", status, path, simCountLine(len(fr.Cases), passed, fails, na, dp, df, ro.CheckDerived))
		if len(fr.Cases) > 1 || con.opts.Verbose || fails > 0 {
			for _, c := range fr.Cases {
				con.Printf("    case %q: %s\n", c.Case, simCountLine(-1, c.Passed, c.Failed, c.NotApplicable, c.DerivedPassed, c.DerivedFailed, ro.CheckDerived))
			}
		}
	}
	if con.opts.JSON {
		if err := sim.WriteJSON(con.stdout, results, fields); err != nil {
			return err
		}
	}
	if failed {
		return &ExitError{Code: 1}
	}
	return nil
}

func simCountLine(cases, passed, failed, na, dp, df int, derived bool) string {
	var b strings.Builder
	if cases >= 0 {
		fmt.Fprintf(&b, "%d case%s, ", cases, simPlural(cases))
	}
	fmt.Fprintf(&b, "%d passed, %d failed", passed, failed)
	if na > 0 {
		fmt.Fprintf(&b, ", %d %s", na, sim.NotApplicableRankTrust)
	}
	if derived {
		fmt.Fprintf(&b, "; derived_reference: %d matched, %d differ", dp, df)
	}
	return b.String()
}

func simPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
