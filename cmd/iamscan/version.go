package main

import (
	"fmt"
	"io"
)

// version is the iamscan release; set with -ldflags "-X main.version=..."
// at release time.
var version = "0.1.0-dev"

func runVersion(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "iamscan %s\n", version)
	return exitOK
}
