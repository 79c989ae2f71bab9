package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// outputOptions are the common output and prompting flags of btcli: --json-output, --quiet, --verbose and
// --no-prompt.
type outputOptions struct {
	JSON     bool
	Quiet    bool
	Verbose  bool
	NoPrompt bool
}

func addOutputFlags(cmd *cobra.Command, o *outputOptions, prompts bool) {
	cmd.Flags().BoolVar(&o.JSON, "json-output", false, "print one JSON document on stdout instead of text")
	cmd.Flags().BoolVarP(&o.Quiet, "quiet", "q", false, "print only what is essential")
	cmd.Flags().BoolVar(&o.Verbose, "verbose", false, "print more detail")
	if prompts {
		cmd.Flags().BoolVarP(&o.NoPrompt, "no-prompt", "y", false, "never prompt; fail naming the missing flag instead")
	}
}

// console is what one command invocation writes to and reads from.
type console struct {
	opts   *outputOptions
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func newConsole(cmd *cobra.Command, opts *outputOptions) (*console, error) {
	if opts.Quiet && opts.Verbose {
		return nil, fmt.Errorf("--quiet and --verbose cannot be used together")
	}
	return &console{opts: opts, stdin: cmd.InOrStdin(), stdout: cmd.OutOrStdout(), stderr: cmd.ErrOrStderr()}, nil
}

// Printf writes human-readable text to stdout, unless --json-output or --quiet is set.
func (c *console) Printf(format string, args ...any) {
	if c.opts.JSON || c.opts.Quiet {
		return
	}
	fmt.Fprintf(c.stdout, format, args...)
}

// Essentialf writes text that --quiet keeps (results a script needs), unless --json-output is set.
func (c *console) Essentialf(format string, args ...any) {
	if c.opts.JSON {
		return
	}
	fmt.Fprintf(c.stdout, format, args...)
}

// Warnf writes a warning to stderr (never to stdout, so JSON output stays parseable).
func (c *console) Warnf(format string, args ...any) {
	if c.opts.Quiet {
		return
	}
	fmt.Fprintf(c.stderr, format, args...)
}

// JSON writes v as the command's one JSON document when --json-output is set.
func (c *console) JSON(v any) error {
	if !c.opts.JSON {
		return nil
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Interactive reports whether the command may prompt: prompts are allowed, and stdin is a terminal.
func (c *console) Interactive() bool {
	if c.opts.NoPrompt || c.opts.JSON {
		return false
	}
	f, ok := c.stdin.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
