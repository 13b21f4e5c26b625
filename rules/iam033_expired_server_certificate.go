package rules

import (
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM033ExpiredServerCertificate reports expired IAM server certificates.
var IAM033ExpiredServerCertificate = &Rule{
	Meta: Meta{
		ID:       "IAM033",
		Title:    "Expired server certificate stored in IAM",
		Severity: Medium,
		Family:   FamilyCredentials,
		Description: "An expired SSL/TLS certificate left in IAM can be deployed by mistake to a load balancer or " +
			"CloudFront distribution, breaking clients or training them to click through warnings. Expiry is " +
			"compared with the scan's as-of date.",
		Remediation: "Delete the certificate (aws iam delete-server-certificate --server-certificate-name NAME) " +
			"after checking nothing references it; manage certificates in ACM where the region supports it.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html",
		},
		CIS:    cis("1.19", "1.19", "1.18"),
		Needs:  []snapshot.Data{snapshot.DataServerCertificates},
		Source: "rules/iam033_expired_server_certificate.go",
	},
	Check: func(p *Pass) error {
		s := p.Snapshot
		for _, c := range s.ServerCertificates {
			if !c.Expiration.IsZero() && c.Expiration.Before(p.AsOf) {
				loc := c.Loc // the certificate's entry, when the loader knows it
				if loc.File == "" {
					loc = policy.Location{File: inputPath(s, string(snapshot.DataServerCertificates), "iamscan-raw")}
				}
				p.Report(Finding{
					Resource: c.ARN,
					Message:  "server certificate " + c.Name + " has expired",
					Location: loc,
				})
			}
		}
		return nil
	},
}
