package rules

import (
	"strings"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM022RootVirtualMFA reports a root user whose MFA is a virtual device.
var IAM022RootVirtualMFA = &Rule{
	Meta: Meta{
		ID:       "IAM022",
		Title:    "Root user MFA is a virtual device",
		Severity: Medium,
		Family:   FamilyCredentials,
		Description: "CIS asks for a hardware MFA device on the root user: a virtual authenticator lives on a phone " +
			"or laptop that is also used for everything else and can be cloned or phished. The rule fires only " +
			"when the virtual MFA device list names the root user (serial mfa/root-account-mfa-device or user " +
			"ARN ...:root) of a device that is assigned; without that list it is not evaluable, never a pass.",
		Remediation: "Sign in as root, remove the virtual MFA device and register a FIDO2 security key or hardware " +
			"TOTP token kept in a safe place, with a second one as backup.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_physical.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
		},
		CIS:    cis("1.6", "1.6", "1.5"),
		Needs:  []snapshot.Data{snapshot.DataMFADevices},
		Source: "rules/iam022_root_virtual_mfa.go",
	},
	Check: func(p *Pass) error {
		s := p.Snapshot
		for _, d := range s.VirtualMFADevices {
			// An unassigned device (no user, never enabled) is what an
			// abandoned enrollment leaves behind, often with the root
			// serial: it is nobody's MFA.
			assigned := d.UserARN != "" || !d.EnableDate.IsZero()
			if !strings.HasSuffix(d.UserARN, ":root") && !(assigned && strings.HasSuffix(d.SerialNumber, ":mfa/root-account-mfa-device")) {
				continue
			}
			f := Finding{Resource: rootARN(s), Principal: rootARN(s), Message: "root user MFA is a virtual device, not hardware"}
			if cr := s.CredentialReport; cr != nil && cr.Root != nil {
				f.Location = rowLocation(cr, cr.Root)
			} else {
				f.Location = policy.Location{File: inputPath(s, string(snapshot.DataMFADevices), "iamscan-raw")}
			}
			p.Report(f)
			return nil
		}
		return nil
	},
}
