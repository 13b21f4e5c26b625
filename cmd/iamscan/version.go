package main

import (
	"fmt"
	"io"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/policy"
)

// version is the iamscan release; set with -ldflags "-X main.version=..."
// at release time.
var version = "0.1.0-dev"

func runVersion(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "iamscan %s\n", version)
	fmt.Fprintf(stdout, "action catalog: %s\n", policy.CatalogVersion())
	fmt.Fprintf(stdout, "AWS managed policies: %s\n", awsmanaged.DataVersion())
	return exitOK
}
