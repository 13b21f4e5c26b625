//go:build unix

package report

import (
	"syscall"
	"time"
)

// cpuTime is the user and system CPU time this process has used. The
// benchmarks report it next to wall time because the shared machines
// they run on are often busy: wall time then measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
