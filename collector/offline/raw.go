package offline

import (
	"fmt"

	"github.com/iamscan/iamscan/jsonpos"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// rawFormatVersion is the newest raw document version this reader knows
// (docs/raw-format.md).
const rawFormatVersion = 1

// raw reads iamscan's raw document. A missing key is data not collected;
// a key present with null is data collected and absent.
func (r *reader) raw(v *jsonpos.Value) error {
	l := r.l
	ver := v.Get("FormatVersion")
	if ver == nil {
		return &InputError{Loc: r.at(v), Msg: "iamscan raw document has no FormatVersion"}
	}
	if n, ok := parseInt(ver.Str); ver.Kind != jsonpos.Number || !ok || n != rawFormatVersion {
		return &InputError{Loc: r.at(ver), Msg: fmt.Sprintf("iamscan raw document FormatVersion %s is not supported (this iamscan reads version %d)", rawText(r.src, ver), rawFormatVersion)}
	}
	for i := range v.Members {
		m := &v.Members[i]
		val := &m.Value
		switch m.Key {
		case "Format", "FormatVersion":
		case "Collector", "Caller", "AccountAliases":
			// Provenance, shown by the collector; nothing to evaluate.
		case "AccountId":
			if id := r.str(val, "AccountId"); id != "" && l.opt.AccountID == "" {
				l.snap.AccountID = id
			}
		case "Partition":
			l.snap.Partition = r.str(val, "Partition")
		case "CollectedAt":
			if t := r.time(val, "CollectedAt"); !t.IsZero() {
				l.snap.CollectedAt = t
				l.collectedAtSet = true
			}
		case "AuthorizationDetails":
			if val.Kind == jsonpos.Null {
				l.snap.Present[snapshot.DataAuthorizationDetails] = true
				continue
			}
			r.authorizationDetails(val)
		case "CredentialReport":
			if val.Kind == jsonpos.Null {
				// Collected, and none could be generated.
				l.snap.Present[snapshot.DataCredentialReport] = true
				continue
			}
			if !r.object(val, "CredentialReport") {
				continue
			}
			if err := r.credentialReportJSON(val); err != nil {
				return err
			}
		case "PasswordPolicy":
			if val.Kind == jsonpos.Object {
				if inner := val.Get("PasswordPolicy"); inner != nil {
					r.passwordPolicyOutput(val)
					continue
				}
			}
			r.passwordPolicy(val)
		case "AccountSummary":
			if val.Kind == jsonpos.Object && val.Get("SummaryMap") != nil {
				r.accountSummaryOutput(val)
				continue
			}
			r.summaryMap(val)
		case "VirtualMFADevices":
			r.virtualMFADevices(val)
		case "OpenIDConnectProviders":
			r.oidcProviders(val)
		case "SAMLProviders":
			r.samlProviders(val)
		case "ServerCertificates":
			r.serverCertificates(val)
		case "OrganizationPolicies":
			r.orgPolicies(val)
		case "Collection":
			r.collection(val)
		default:
			r.unknown(m, "the iamscan raw document")
		}
	}
	return nil
}

func rawText(src *policy.Source, v *jsonpos.Value) string {
	return string(src.Data[v.Off:v.End])
}

// each calls fn for every object of a list, reporting other entries.
func (r *reader) each(v *jsonpos.Value, what string, fn func(e *jsonpos.Value)) {
	elems := r.list(v, what)
	for i := range elems {
		if r.object(&elems[i], "a "+what+" entry") {
			fn(&elems[i])
		}
	}
}

func (r *reader) virtualMFADevices(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataMFADevices] = true
	r.each(v, "VirtualMFADevices", func(e *jsonpos.Value) {
		var d snapshot.VirtualMFADevice
		for i := range e.Members {
			m := &e.Members[i]
			switch m.Key {
			case "SerialNumber":
				d.SerialNumber = r.str(&m.Value, "SerialNumber")
			case "EnableDate":
				d.EnableDate = r.time(&m.Value, "EnableDate")
			case "User":
				if m.Value.Kind == jsonpos.Null || !r.object(&m.Value, "VirtualMFADevices User") {
					continue
				}
				// Only the ARN identifies the user; the rest repeats the
				// user's details.
				if a := m.Value.Get("Arn"); a != nil {
					d.UserARN = r.str(a, "User.Arn")
				}
			case "Tags", "Base32StringSeed", "QRCodePNG":
			default:
				r.unknown(m, "a VirtualMFADevices entry")
			}
		}
		r.l.snap.VirtualMFADevices = append(r.l.snap.VirtualMFADevices, d)
	})
}

func (r *reader) oidcProviders(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataIdentityProviders] = true
	r.each(v, "OpenIDConnectProviders", func(e *jsonpos.Value) {
		var p snapshot.OIDCProvider
		for i := range e.Members {
			m := &e.Members[i]
			switch m.Key {
			case "Arn":
				p.ARN = r.str(&m.Value, "Arn")
			case "Url":
				p.URL = r.str(&m.Value, "Url")
			case "ClientIDList":
				p.ClientIDs = r.strings(&m.Value, "ClientIDList")
			case "CreateDate":
				p.CreateDate = r.time(&m.Value, "CreateDate")
			case "ThumbprintList", "Tags":
			default:
				r.unknown(m, "an OpenIDConnectProviders entry")
			}
		}
		r.l.snap.OIDCProviders = append(r.l.snap.OIDCProviders, p)
	})
}

func (r *reader) samlProviders(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataIdentityProviders] = true
	r.each(v, "SAMLProviders", func(e *jsonpos.Value) {
		var p snapshot.SAMLProvider
		for i := range e.Members {
			m := &e.Members[i]
			switch m.Key {
			case "Arn":
				p.ARN = r.str(&m.Value, "Arn")
			case "ValidUntil":
				p.ValidUntil = r.time(&m.Value, "ValidUntil")
			case "CreateDate":
				p.CreateDate = r.time(&m.Value, "CreateDate")
			case "Tags":
			default:
				r.unknown(m, "a SAMLProviders entry")
			}
		}
		r.l.snap.SAMLProviders = append(r.l.snap.SAMLProviders, p)
	})
}

func (r *reader) serverCertificates(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataServerCertificates] = true
	r.each(v, "ServerCertificates", func(e *jsonpos.Value) {
		c := snapshot.ServerCertificate{Loc: r.at(e)}
		for i := range e.Members {
			m := &e.Members[i]
			switch m.Key {
			case "ServerCertificateName":
				c.Name = r.str(&m.Value, m.Key)
			case "Arn":
				c.ARN = r.str(&m.Value, m.Key)
			case "Expiration":
				c.Expiration = r.time(&m.Value, m.Key)
			case "UploadDate":
				c.UploadDate = r.time(&m.Value, m.Key)
			case "Path", "ServerCertificateId":
			default:
				r.unknown(m, "a ServerCertificates entry")
			}
		}
		r.l.snap.ServerCertificates = append(r.l.snap.ServerCertificates, c)
	})
}

func (r *reader) orgPolicies(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataOrganizationPolicies] = true
	r.each(v, "OrganizationPolicies", func(e *jsonpos.Value) {
		p := &snapshot.OrgPolicy{}
		var content *jsonpos.Value
		for i := range e.Members {
			m := &e.Members[i]
			switch m.Key {
			case "Id":
				p.ID = r.str(&m.Value, m.Key)
			case "Arn":
				p.ARN = r.str(&m.Value, m.Key)
			case "Name":
				p.Name = r.str(&m.Value, m.Key)
			case "Type":
				p.Type = r.str(&m.Value, m.Key)
			case "Content":
				content = &m.Value
			case "Description", "AwsManaged", "Targets":
			default:
				r.unknown(m, "an OrganizationPolicies entry")
			}
		}
		if content == nil {
			r.problem(e, "organization policy %s has no Content; it is not evaluated", p.Name)
			return
		}
		p.Doc = r.doc(content, "organization policy "+p.Name)
		r.l.snap.OrgPolicies = append(r.l.snap.OrgPolicies, p)
	})
}

func (r *reader) collection(v *jsonpos.Value) {
	if v.Kind == jsonpos.Null || !r.object(v, "Collection") {
		return
	}
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "Calls":
			// Call statistics, for the collector's own report.
		case "Errors":
			r.each(&m.Value, "Collection.Errors", func(e *jsonpos.Value) {
				var ce snapshot.CollectionError
				for j := range e.Members {
					f := &e.Members[j]
					switch f.Key {
					case "Operation":
						ce.Operation = r.str(&f.Value, f.Key)
					case "Code":
						ce.Code = r.str(&f.Value, f.Key)
					case "Message":
						ce.Message = r.str(&f.Value, f.Key)
					case "Missing":
						for _, d := range r.strings(&f.Value, "Missing") {
							ce.Missing = append(ce.Missing, snapshot.Data(d))
							r.l.missing[snapshot.Data(d)] = true
						}
					case "Expected":
						// The collector's judgement that the failure is
						// normal for the caller (a member account refused
						// by Organizations); the data is missing all the
						// same.
						ce.Expected, _ = r.boolean(&f.Value, "Collection.Errors Expected")
					default:
						r.unknown(f, "a Collection.Errors entry")
					}
				}
				r.l.snap.CollectionErrors = append(r.l.snap.CollectionErrors, ce)
			})
		default:
			r.unknown(m, "Collection")
		}
	}
}
