package mototest

import "syscall"

// stopWithParent asks Linux to end moto_server when the test binary dies
// without running Main's cleanup (a -timeout panic, a kill): a shared
// machine must not collect orphan servers.
func stopWithParent(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGTERM }
