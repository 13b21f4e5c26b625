package rules

// cis builds a rule's CIS mapping from its control number in each
// benchmark version; "" means the version has no such control. The
// numbering moved between versions (v5.0.0 dropped the security-questions
// control, so 1.4 root access keys in v3/v4 became 1.3), hence one
// argument per version rather than one number.
func cis(v3, v4, v5 string) []CISRef {
	var out []CISRef
	for _, c := range []CISRef{{CISv3, v3}, {CISv4, v4}, {CISv5, v5}} {
		if c.Control != "" {
			out = append(out, c)
		}
	}
	return out
}
