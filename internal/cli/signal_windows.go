//go:build windows

package cli

import "os"

var sigterm = os.Interrupt
