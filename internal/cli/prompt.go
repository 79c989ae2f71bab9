package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// errNotInteractive is wrapped by every "cannot prompt" error so callers and tests can recognise it.
var errNotInteractive = errors.New("not interactive")

// missingFlag is the error when a value is needed, the user gave no flag and prompting is impossible.
func missingFlag(flag, what string) error {
	return fmt.Errorf("%s is required: pass %s (no terminal to prompt on, or --no-prompt/--json-output given): %w",
		what, flag, errNotInteractive)
}

// promptLine asks for one line of text, offering def when the answer is empty.
func (c *console) promptLine(label, def, flag string) (string, error) {
	if !c.Interactive() {
		if def != "" {
			return def, nil
		}
		return "", missingFlag(flag, label)
	}
	if def != "" {
		fmt.Fprintf(c.stderr, "%s [%s]: ", label, def)
	} else {
		fmt.Fprintf(c.stderr, "%s: ", label)
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("reading %s: %w", label, err)
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return def, nil
	}
	return line, nil
}

// promptSecret asks for a secret without echo. It never falls back to an echoing read.
func (c *console) promptSecret(label, flag string) (string, error) {
	if !c.Interactive() {
		return "", missingFlag(flag, label)
	}
	f := c.stdin.(*os.File)
	fmt.Fprintf(c.stderr, "%s: ", label)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", label, err)
	}
	return string(b), nil
}

// promptNewPassword asks twice for a new password and checks that the two agree and that it is at least 6
// characters long, as btwallet's policy asks.
func (c *console) promptNewPassword(what, flag string) (string, error) {
	for range 3 {
		pw, err := c.promptSecret(fmt.Sprintf("Specify password for %s encryption", what), flag)
		if err != nil {
			return "", err
		}
		if len(pw) < 6 {
			fmt.Fprintln(c.stderr, "Password not strong enough: use at least 6 characters.")
			continue
		}
		again, err := c.promptSecret("Retype your password", flag)
		if err != nil {
			return "", err
		}
		if again != pw {
			fmt.Fprintln(c.stderr, "Passwords do not match.")
			continue
		}
		return pw, nil
	}
	return "", errors.New("no acceptable password after 3 attempts")
}

// confirm asks a yes/no question; without a terminal it returns def (callers pass false for anything
// destructive unless the user gave --no-prompt/--overwrite explicitly).
func (c *console) confirm(question string, def bool) (bool, error) {
	if !c.Interactive() {
		return def, nil
	}
	hint := "y/N"
	if def {
		hint = "Y/n"
	}
	fmt.Fprintf(c.stderr, "%s [%s]: ", question, hint)
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return false, fmt.Errorf("reading answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	case "n", "no":
		return false, nil
	}
	return def, nil
}
