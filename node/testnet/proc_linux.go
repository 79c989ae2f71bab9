package testnet

import "syscall"

// sysProcAttr makes a node die with the process that started it (a killed `testnet start` or test binary
// leaves no orphans).
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
