package rules

// Builtin returns the built-in Go rules, in id order. The list is explicit
// (no init side effects): adding a rule means adding it here.
func Builtin() []*Rule {
	return []*Rule{
		// Rules are added here, one line each, in id order.
	}
}
