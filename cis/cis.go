// Package cis is the catalog of CIS Amazon Web Services Foundations
// Benchmark controls that iamscan maps its rules to: control id → title,
// per benchmark version. Reports use it to print control titles and to
// build the compliance matrix; a test checks every rule's CIS reference
// against it so a typo in a rule cannot ship.
//
// Only section 1, "Identity and Access Management", is listed: the other
// sections (storage, logging, monitoring, networking) are outside what an
// IAM scanner can judge, and listing them would make every report show
// dozens of "not covered" rows that say nothing.
package cis

// Benchmark versions, spelled as rules.CISRef.Benchmark spells them.
const (
	V3 = "v3.0.0"
	V4 = "v4.0.0"
	V5 = "v5.0.0"
)

// Control is one recommendation of a benchmark.
type Control struct {
	ID      string `json:"id"` // e.g. "1.16"
	Title   string `json:"title"`
	Section string `json:"section"`
	// Manual is true when the benchmark grades the control "Manual"
	// (it cannot be fully judged from configuration data).
	Manual bool `json:"manual,omitempty"`
}

// Benchmark is one version of the CIS AWS Foundations Benchmark.
type Benchmark struct {
	Version  string    `json:"version"`
	Title    string    `json:"title"`
	Controls []Control `json:"controls"` // in benchmark order
}

const sectionIAM = "1 Identity and Access Management"

// c builds a section-1 control; m marks a manual one.
func c(id, title string, manual bool) Control {
	return Control{ID: id, Title: title, Section: sectionIAM, Manual: manual}
}

const (
	auto   = false
	manual = true
)

// v3 and v4 share numbering for section 1; their titles differ in wording
// only, and each is kept as that version prints it.
var benchmarks = []Benchmark{
	{Version: V3, Title: "CIS Amazon Web Services Foundations Benchmark v3.0.0", Controls: []Control{
		c("1.1", "Maintain current contact details", manual),
		c("1.2", "Ensure security contact information is registered", manual),
		c("1.3", "Ensure security questions are registered in the AWS account", manual),
		c("1.4", "Ensure no 'root' user account access key exists", auto),
		c("1.5", "Ensure MFA is enabled for the 'root' user account", auto),
		c("1.6", "Ensure hardware MFA is enabled for the 'root' user account", manual),
		c("1.7", "Eliminate use of the 'root' user for administrative and daily tasks", manual),
		c("1.8", "Ensure IAM password policy requires minimum length of 14 or greater", auto),
		c("1.9", "Ensure IAM password policy prevents password reuse", auto),
		c("1.10", "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password", auto),
		c("1.11", "Do not setup access keys during initial user setup for all IAM users that have a console password", manual),
		c("1.12", "Ensure credentials unused for 45 days or greater are disabled", auto),
		c("1.13", "Ensure there is only one active access key available for any single IAM user", auto),
		c("1.14", "Ensure access keys are rotated every 90 days or less", auto),
		c("1.15", "Ensure IAM Users Receive Permissions Only Through Groups", auto),
		c("1.16", "Ensure IAM policies that allow full \"*:*\" administrative privileges are not attached", auto),
		c("1.17", "Ensure a support role has been created to manage incidents with AWS Support", auto),
		c("1.18", "Ensure IAM instance roles are used for AWS resource access from instances", manual),
		c("1.19", "Ensure that all the expired SSL/TLS certificates stored in AWS IAM are removed", auto),
		c("1.20", "Ensure that IAM Access analyzer is enabled for all regions", auto),
		c("1.21", "Ensure IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments", manual),
		c("1.22", "Ensure access to AWSCloudShellFullAccess is restricted", manual),
	}},
	{Version: V4, Title: "CIS Amazon Web Services Foundations Benchmark v4.0.0", Controls: []Control{
		c("1.1", "Maintain current contact details", manual),
		c("1.2", "Ensure security contact information is registered", manual),
		c("1.3", "Ensure security questions are registered in the AWS account", manual),
		c("1.4", "Ensure no 'root' user account access key exists", auto),
		c("1.5", "Ensure MFA is enabled for the 'root' user account", auto),
		c("1.6", "Ensure hardware MFA is enabled for the 'root' user account", manual),
		c("1.7", "Eliminate use of the 'root' user for administrative and daily tasks", manual),
		c("1.8", "Ensure IAM password policy requires minimum length of 14 or greater", auto),
		c("1.9", "Ensure IAM password policy prevents password reuse", auto),
		c("1.10", "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password", auto),
		c("1.11", "Do not create access keys during initial setup for IAM users with a console password", manual),
		c("1.12", "Ensure credentials unused for 45 days or more are disabled", auto),
		c("1.13", "Ensure there is only one active access key for any single IAM user", auto),
		c("1.14", "Ensure access keys are rotated every 90 days or less", auto),
		c("1.15", "Ensure IAM Users Receive Permissions Only Through Groups", auto),
		c("1.16", "Ensure IAM policies that allow full \"*:*\" administrative privileges are not attached", auto),
		c("1.17", "Ensure a support role has been created to manage incidents with AWS Support", auto),
		c("1.18", "Ensure IAM instance roles are used for AWS resource access from instances", auto),
		c("1.19", "Ensure that all expired SSL/TLS certificates stored in AWS IAM are removed", auto),
		c("1.20", "Ensure that IAM Access analyzer is enabled for all regions", auto),
		c("1.21", "Ensure IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments", manual),
		c("1.22", "Ensure access to AWSCloudShellFullAccess is restricted", manual),
	}},
	// v5.0.0 dropped "security questions" (v4 1.3), so every later
	// control moved up by one: v4 1.16 is v5 1.15.
	{Version: V5, Title: "CIS Amazon Web Services Foundations Benchmark v5.0.0", Controls: []Control{
		c("1.1", "Maintain current contact details", manual),
		c("1.2", "Ensure security contact information is registered", manual),
		c("1.3", "Ensure no 'root' user account access key exists", auto),
		c("1.4", "Ensure MFA is enabled for the 'root' user account", auto),
		c("1.5", "Ensure hardware MFA is enabled for the 'root' user account", manual),
		c("1.6", "Eliminate use of the 'root' user for administrative and daily tasks", manual),
		c("1.7", "Ensure IAM password policy requires minimum length of 14 or greater", auto),
		c("1.8", "Ensure IAM password policy prevents password reuse", auto),
		c("1.9", "Ensure MFA is enabled for all IAM users with console password", auto),
		c("1.10", "Do not setup access keys during initial user setup for all IAM users that have a console password", manual),
		c("1.11", "Ensure credentials unused for 45 days or greater are disabled", auto),
		c("1.12", "Ensure there is only one active access key available for any single IAM user", auto),
		c("1.13", "Ensure access keys are rotated every 90 days or less", auto),
		c("1.14", "Ensure IAM users receive permissions only through groups", auto),
		c("1.15", "Ensure IAM policies that allow full '*:*' administrative privileges are not attached", auto),
		c("1.16", "Ensure a support role has been created to manage incidents with AWS Support", auto),
		c("1.17", "Ensure IAM instance roles are used for AWS resource access from instances", auto),
		c("1.18", "Ensure expired SSL/TLS certificates stored in AWS IAM are removed", auto),
		c("1.19", "Ensure that IAM Access Analyzer is enabled for all regions", auto),
		c("1.20", "Ensure IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments", manual),
		c("1.21", "Ensure access to AWSCloudShellFullAccess is restricted", manual),
	}},
}

// Benchmarks returns every known benchmark version, oldest first. The
// result is a copy: callers may not change the catalog.
func Benchmarks() []Benchmark {
	out := make([]Benchmark, len(benchmarks))
	for i, b := range benchmarks {
		b.Controls = append([]Control(nil), b.Controls...)
		out[i] = b
	}
	return out
}

// Versions lists the known benchmark versions, oldest first.
func Versions() []string {
	out := make([]string, len(benchmarks))
	for i, b := range benchmarks {
		out[i] = b.Version
	}
	return out
}

// Lookup returns one control of one benchmark version.
func Lookup(version, id string) (Control, bool) {
	for _, b := range benchmarks {
		if b.Version != version {
			continue
		}
		for _, ctl := range b.Controls {
			if ctl.ID == id {
				return ctl, true
			}
		}
	}
	return Control{}, false
}
