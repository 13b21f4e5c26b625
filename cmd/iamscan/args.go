package main

import (
	"flag"
	"strings"
)

// parseArgs parses a subcommand's arguments with flags anywhere among
// them, as people type them: `iamscan scan x.json --quiet` is the same as
// `iamscan scan --quiet x.json`. The standard flag package stops at the
// first argument that is not a flag and would read "--quiet" as a file
// name. "--" ends the flags: what follows is an argument even when it
// starts with "-" (a file named "-x.json"). A lone "-" is an argument.
// It returns the non-flag arguments in the order given.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		// A flag that takes a value and is not written -name=value takes
		// the next argument, whatever it looks like, as fs.Parse would.
		name := strings.TrimPrefix(a[1:], "-")
		if strings.Contains(name, "=") || i+1 == len(args) {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) {
			i++
			flags = append(flags, args[i])
		}
	}
	// Every flag and flag value is in flags, so Parse consumes all of
	// them (or fails on a malformed or unknown one, with its message).
	if err := fs.Parse(flags); err != nil {
		return nil, err
	}
	return append(fs.Args(), rest...), nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
