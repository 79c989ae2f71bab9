//go:build !windows

package cli

import "syscall"

// sigterm stops long-running commands (`weights daemon`) as Ctrl-C does.
var sigterm = syscall.SIGTERM
