package rules

// IAM091InputProblems turns what the loaders could not understand into
// findings, so that a skipped statement is visible in every report.
var IAM091InputProblems = &Rule{
	Meta: Meta{
		ID:       "IAM091",
		Title:    "Input the scanner could not fully understand",
		Severity: Info,
		Family:   FamilyInput,
		Description: "Unknown policy elements, malformed statements, wrong types and managed policies referenced " +
			"but absent from the input are not evaluated by the other rules. Each is reported here with its file " +
			"and line, so that a clean report never hides input that was skipped: a statement iamscan cannot " +
			"read may be the one that grants too much.",
		Remediation: "Fix the document (AWS would reject most of these on a new upload), or supply the missing " +
			"input (for example get-account-authorization-details output that includes the AWS managed policies " +
			"in use).",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
		},
		Source: "rules/iam091_input_problems.go",
	},
	Check: func(p *Pass) error {
		// The loaders copy each document's own problems here, with the
		// context they were found in; reading Doc.Problems as well would
		// report them twice.
		for _, pr := range p.Snapshot.Problems {
			p.Report(Finding{Resource: pr.Loc.File, Message: pr.Message, Location: pr.Loc})
		}
		return nil
	},
}
