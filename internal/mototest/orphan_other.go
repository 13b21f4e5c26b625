//go:build !linux

package mototest

import "syscall"

// stopWithParent has no portable equivalent outside Linux: there Main's
// cleanup is the only stop.
func stopWithParent(*syscall.SysProcAttr) {}
