package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iamscan/iamscan/policy"
)

func runExpand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("expand", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: iamscan expand PATTERN...

Lists the IAM actions an action pattern (as in a policy's Action element,
e.g. 's3:Get*', 'iam:*Policy*') matches in the embedded action catalog,
with each action's access level and the resource types it accepts ("*"
when it supports no resource-level permissions).

Exit status: 0 every pattern matched, 1 some pattern matched nothing,
2 usage error.

flags:
`)
		fs.PrintDefaults()
	}
	patterns, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(patterns) == 0 {
		fs.Usage()
		return exitUsage
	}
	cat := policy.DefaultCatalog()
	code := exitOK
	for _, pattern := range patterns {
		set, err := cat.Expand(pattern)
		if err != nil {
			fmt.Fprintln(stderr, "iamscan expand:", err)
			code = exitFindings
			continue
		}
		for id := range set.All() {
			a := cat.Action(id)
			types := "*"
			if a.ResourceLevel() {
				names := make([]string, len(a.ResourceTypes))
				for i, rt := range a.ResourceTypes {
					names[i] = rt.Name
				}
				types = strings.Join(names, ",")
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", a.FullName(), a.Level, types)
		}
	}
	return code
}
