package policy

// MatchStringLike reports whether a StringLike (or ForAnyValue/
// ForAllValues:StringLike) condition value matches a request value, as
// IAM compares them: case-sensitively, '*' matching any run of characters
// and '?' exactly one. Policy variables are not substituted: the pattern
// is taken as written.
func MatchStringLike(pattern, value string) bool { return glob(pattern, value, false, false) }
