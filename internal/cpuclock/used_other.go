//go:build !unix

package cpuclock

import "time"

func used() time.Duration { return 0 }
