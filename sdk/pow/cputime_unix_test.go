//go:build unix

package pow

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time, for hashes per CPU-second on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
