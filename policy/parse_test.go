package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/jsonpos"
)

// render writes a document without positions, to compare shapes.
func render(d *Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "V=%s", d.Version)
	if d.ID != "" {
		fmt.Fprintf(&b, " Id=%s", d.ID)
	}
	for _, s := range d.Statements {
		fmt.Fprintf(&b, " | #%d", s.Index)
		if s.Sid != "" {
			fmt.Fprintf(&b, " Sid=%s", s.Sid)
		}
		fmt.Fprintf(&b, " %s", s.Effect)
		vals := func(name string, v Values) {
			if !v.Present {
				return
			}
			if v.Not {
				name = "Not" + name
			}
			fmt.Fprintf(&b, " %s%v", name, v.List)
		}
		vals("Action", s.Action)
		vals("Resource", s.Resource)
		if pr := s.Principal; pr != nil {
			name := "Principal"
			if pr.Not {
				name = "NotPrincipal"
			}
			fmt.Fprintf(&b, " %s{", name)
			if pr.Wildcard {
				b.WriteString("*")
			}
			for _, kv := range []struct {
				k string
				v []string
			}{{"AWS", pr.AWS}, {"Service", pr.Service}, {"Federated", pr.Federated}, {"CanonicalUser", pr.CanonicalUser}} {
				if kv.v != nil {
					fmt.Fprintf(&b, "%s%v", kv.k, kv.v)
				}
			}
			b.WriteString("}")
		}
		for _, c := range s.Condition {
			fmt.Fprintf(&b, " %s:%s=%s", c.Operator, c.Key, strings.Join(c.Values, ","))
		}
	}
	return b.String()
}

// TestParseShapes covers every legal shape of the grammar.
func TestParseShapes(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			"V=2012-10-17 | #0 Allow Action[s3:GetObject] Resource[*]"},
		{"statement list", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*"},{"Effect":"Deny","Action":"c:d","Resource":"*"}]}`,
			"V=2012-10-17 | #0 Allow Action[a:b] Resource[*] | #1 Deny Action[c:d] Resource[*]"},
		{"lists", `{"Statement":[{"Effect":"Allow","Action":["a:b","c:*"],"Resource":["arn:aws:s3:::x","arn:aws:s3:::x/*"]}]}`,
			"V= | #0 Allow Action[a:b c:*] Resource[arn:aws:s3:::x arn:aws:s3:::x/*]"},
		{"not action and not resource", `{"Statement":{"Effect":"Allow","NotAction":"iam:*","NotResource":["arn:aws:iam::*:*"]}}`,
			"V= | #0 Allow NotAction[iam:*] NotResource[arn:aws:iam::*:*]"},
		{"sid and id", `{"Version":"2008-10-17","Id":"doc","Statement":[{"Sid":"One","Effect":"Allow","Action":"*","Resource":"*"}]}`,
			"V=2008-10-17 Id=doc | #0 Sid=One Allow Action[*] Resource[*]"},
		{"principal star", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}`,
			"V= | #0 Allow Action[sts:AssumeRole] Principal{*}"},
		{"principal AWS star", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`,
			"V= | #0 Allow Action[sts:AssumeRole] Principal{AWS[*]}"},
		{"principal map of lists", `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","222233334444"],"Service":["ec2.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"*"}}`,
			"V= | #0 Allow Action[s3:GetObject] Resource[*] Principal{AWS[arn:aws:iam::111122223333:root 222233334444]Service[ec2.amazonaws.com]Federated[cognito-identity.amazonaws.com]CanonicalUser[79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be]}"},
		{"not principal", `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}}`,
			"V= | #0 Deny Action[*] Resource[*] NotPrincipal{AWS[arn:aws:iam::111122223333:root]}"},
		{"condition values", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"sec","aws:RequestedRegion":["eu-west-1","us-east-1"]},"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:MultiFactorAuthPresent":true},"ForAnyValue:StringLike":{"aws:TagKeys":[]},"DateGreaterThan":{"aws:CurrentTime":["2020-01-01T00:00:00Z",1.5,false]}}}}`,
			"V= | #0 Allow Action[*] Resource[*] StringEquals:aws:PrincipalTag/team=sec StringEquals:aws:RequestedRegion=eu-west-1,us-east-1 NumericLessThan:s3:max-keys=10 Bool:aws:MultiFactorAuthPresent=true ForAnyValue:StringLike:aws:TagKeys= DateGreaterThan:aws:CurrentTime=2020-01-01T00:00:00Z,1.5,false"},
		{"no version, no sid", `{"Statement":[{"Effect":"Deny","Action":"*"}]}`, "V= | #0 Deny Action[*]"},
		{"escaped text", `{"Statement":{"Effect":"Allow","Action":"s3:Get\u002A","Resource":"arn:aws:s3:::a+b/\u00e9"}}`,
			"V= | #0 Allow Action[s3:Get*] Resource[arn:aws:s3:::a+b/é]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("p.json", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Problems) != 0 {
				t.Errorf("problems: %v", d.Problems)
			}
			if got := render(d); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestParseProblems: each grammar error is reported at file:line:col and
// the rest of the document is still read.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		shape    string
	}{
		{"unknown document key", "{\n  \"Statement\": [],\n  \"Versoin\": \"2012-10-17\"\n}",
			[]string{`p.json:3:14: unknown policy element "Versoin"`, "p.json:2:16: Statement is an empty list; the document grants and denies nothing"}, "V="},
		{"bad version", `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*"}}`,
			[]string{`p.json:1:12: unknown policy Version "2012-10-18" (expected 2012-10-17 or 2008-10-17)`}, "V=2012-10-18 | #0 Allow Action[*]"},
		{"version not a string", `{"Version":2012,"Statement":{"Effect":"Allow","Action":"*"}}`,
			[]string{"p.json:1:12: Version must be a string, found number"}, "V= | #0 Allow Action[*]"},
		{"no statement", `{"Version":"2012-10-17"}`, []string{"p.json:1:1: policy document has no Statement"}, "V=2012-10-17"},
		{"statement a string", `{"Statement":"Allow"}`, []string{"p.json:1:14: Statement must be an object or a list of objects, found string"}, "V="},
		{"statement entry not an object", `{"Statement":[1,{"Effect":"Allow","Action":"*"}]}`,
			[]string{"p.json:1:15: statement 0 must be an object, found number"}, "V= | #1 Allow Action[*]"},
		{"unknown statement key", "{\"Statement\":{\n\"Effect\":\"Allow\",\n\"Action\":\"*\",\n\"Resources\":\"*\"}}",
			[]string{`p.json:4:13: unknown statement element "Resources"`}, "V= | #0 Allow Action[*]"},
		{"bad effect", `{"Statement":{"Effect":"allow","Action":"*"}}`,
			[]string{`p.json:1:24: Effect must be "Allow" or "Deny", found "allow"`}, "V= | #0 Invalid Action[*]"},
		{"effect not a string", `{"Statement":{"Effect":true,"Action":"*"}}`,
			[]string{"p.json:1:24: Effect must be a string, found boolean"}, "V= | #0 Invalid Action[*]"},
		{"missing effect and action", `{"Statement":{"Resource":"*"}}`,
			[]string{"p.json:1:14: statement 0 has no Effect", "p.json:1:14: statement 0 has neither Action nor NotAction"}, "V= | #0 Invalid Resource[*]"},
		{"action and not action", `{"Statement":{"Effect":"Allow","Action":"a:b","NotAction":"c:d"}}`,
			[]string{"p.json:1:59: statement has both Action and NotAction"}, "V= | #0 Allow Action[a:b]"},
		{"resource wrong type", `{"Statement":{"Effect":"Allow","Action":"*","Resource":{"a":1}}}`,
			[]string{"p.json:1:56: Resource must be a string or a list of strings, found object"}, "V= | #0 Allow Action[*] Resource[]"},
		{"action entry wrong type", `{"Statement":{"Effect":"Allow","Action":["a:b",null,7]}}`,
			[]string{"p.json:1:48: Action entries must be strings, found null", "p.json:1:53: Action entries must be strings, found number"}, "V= | #0 Allow Action[a:b]"},
		{"empty action list", `{"Statement":{"Effect":"Allow","Action":[]}}`,
			[]string{"p.json:1:41: Action is an empty list"}, "V= | #0 Allow Action[]"},
		{"empty action string", `{"Statement":{"Effect":"Allow","Action":"","Resource":"*"}}`,
			[]string{"p.json:1:41: Action entry is an empty string, which AWS rejects"}, "V= | #0 Allow Action[] Resource[*]"},
		{"empty strings in lists", `{"Statement":{"Effect":"Allow","NotAction":["s3:*",""],"Resource":["",""]}}`,
			[]string{"p.json:1:52: NotAction entry is an empty string, which AWS rejects", "p.json:1:68: Resource entry is an empty string, which AWS rejects", "p.json:1:71: Resource entry is an empty string, which AWS rejects"}, "V= | #0 Allow NotAction[s3:* ] Resource[ ]"},
		{"duplicate principal type", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root","AWS":"*"},"Action":"*"}}`,
			[]string{`p.json:1:79: duplicate element "AWS" in Principal; both copies are read, but AWS may read only one`}, "V= | #0 Allow Action[*] Principal{AWS[arn:aws:iam::1:root *]}"},
		{"duplicate condition operator and key", `{"Statement":{"Effect":"Allow","Action":"*","Condition":{"Bool":{"k":"true","k":"false"},"Bool":{"j":"1"}}}}`,
			[]string{`p.json:1:81: duplicate element "k" in condition Bool; both copies are read, but AWS may read only one`, `p.json:1:97: duplicate element "Bool" in Condition; both copies are read, but AWS may read only one`}, "V= | #0 Allow Action[*] Bool:k=true Bool:k=false Bool:j=1"},
		{"principal empty", `{"Statement":{"Effect":"Allow","Principal":{},"Action":"*"}}`,
			[]string{"p.json:1:44: Principal is an empty object; it names no one"}, "V= | #0 Allow Action[*] Principal{}"},
		{"principal type empty list", `{"Statement":{"Effect":"Allow","Principal":{"AWS":[]},"Action":"*"}}`,
			[]string{"p.json:1:51: Principal.AWS is an empty list"}, "V= | #0 Allow Action[*] Principal{}"},
		{"principal bad string", `{"Statement":{"Effect":"Allow","Principal":"arn:aws:iam::1:root","Action":"*"}}`,
			[]string{`p.json:1:44: Principal as a string must be "*", found "arn:aws:iam::1:root"`}, "V= | #0 Allow Action[*] Principal{}"},
		{"principal unknown type", `{"Statement":{"Effect":"Allow","Principal":{"Aws":"*"},"Action":"*"}}`,
			[]string{`p.json:1:51: unknown principal type "Aws" in Principal`}, "V= | #0 Allow Action[*] Principal{}"},
		{"principal and not principal", `{"Statement":{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"*"}}`,
			[]string{"p.json:1:63: statement has both Principal and NotPrincipal"}, "V= | #0 Allow Action[*] Principal{*}"},
		{"principal a list", `{"Statement":{"Effect":"Allow","Principal":["*"],"Action":"*"}}`,
			[]string{"p.json:1:44: Principal must be \"*\" or an object, found array"}, "V= | #0 Allow Action[*] Principal{}"},
		{"condition not an object", `{"Statement":{"Effect":"Allow","Action":"*","Condition":[]}}`,
			[]string{"p.json:1:57: Condition must be an object, found array"}, "V= | #0 Allow Action[*]"},
		{"condition operator not an object", `{"Statement":{"Effect":"Allow","Action":"*","Condition":{"Bool":true}}}`,
			[]string{`p.json:1:65: condition operator "Bool" must map to an object of keys, found boolean`}, "V= | #0 Allow Action[*]"},
		{"condition value wrong type", `{"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":["a",{"x":1}]}}}}`,
			[]string{"p.json:1:83: condition StringEquals k: values must be strings, numbers or booleans, found object"}, "V= | #0 Allow Action[*] StringEquals:k=a"},
		// "IAM JSON policy elements: Condition operators": IAM rejects a
		// policy with an operator it does not know.
		{"unknown condition operators", `{"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringEqual":{"k":"a"},"NoSuchOp":{"j":"b"},"ForAnyValue:StringLikeIfExists":{"t":"x*"},"forallvalue:StringEqualsIfExist":{"u":"v"}}}}`,
			[]string{`p.json:1:58: unknown condition operator "StringEqual" (did you mean "StringEquals"?); the statement is evaluated as conditional`,
				`p.json:1:82: unknown condition operator "NoSuchOp"; the statement is evaluated as conditional`,
				`p.json:1:147: unknown condition operator "forallvalue:StringEqualsIfExist" (did you mean "ForAllValues:StringEqualsIfExists"?); the statement is evaluated as conditional`},
			"V= | #0 Allow Action[*] StringEqual:k=a NoSuchOp:j=b ForAnyValue:StringLikeIfExists:t=x* forallvalue:StringEqualsIfExist:u=v"},
		{"duplicate statement key", `{"Statement":{"Effect":"Allow","Action":"a:b","Action":"*"}}`,
			[]string{`p.json:1:56: duplicate element "Action"; only the first is read`}, "V= | #0 Allow Action[a:b]"},
		{"duplicate document key", `{"Statement":{"Effect":"Allow","Action":"*"},"Statement":[]}`,
			[]string{`p.json:1:58: duplicate element "Statement"; only the first is read`}, "V= | #0 Allow Action[*]"},
		{"not an object", `["Statement"]`, []string{"p.json:1:1: a policy document must be a JSON object, found array"}, "V="},
		// "IAM JSON policy elements: Version": without 2012-10-17, policy
		// variables are literal strings. Version may follow Statement.
		{"variables without version", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*","x"]}}}}`,
			[]string{`p.json:1:59: Resource "arn:aws:s3:::home/${aws:username}/*" holds a policy variable, but the document has no Version: AWS reads it as literal text (variables need "Version": "2012-10-17")`,
				`p.json:1:124: condition value "${aws:username}/*" holds a policy variable, but the document has no Version: AWS reads it as literal text (variables need "Version": "2012-10-17")`},
			"V= | #0 Allow Action[s3:*] Resource[arn:aws:s3:::home/${aws:username}/*] StringLike:s3:prefix=${aws:username}/*,x"},
		{"variables with old version after statement", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":["a","b/${aws:userid}"]},"Version":"2008-10-17"}`,
			[]string{`p.json:1:59: Resource "b/${aws:userid}" holds a policy variable, but the document has Version "2008-10-17": AWS reads it as literal text (variables need "Version": "2012-10-17")`},
			"V=2008-10-17 | #0 Allow Action[s3:*] Resource[a b/${aws:userid}]"},
		{"variables with version after statement", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"b/${aws:userid}"},"Version":"2012-10-17"}`,
			nil, "V=2012-10-17 | #0 Allow Action[s3:*] Resource[b/${aws:userid}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("p.json", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range d.Problems {
				got = append(got, p.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if s := render(d); s != tt.shape {
				t.Errorf("read %s, want %s", s, tt.shape)
			}
		})
	}
}

func TestParseSyntaxError(t *testing.T) {
	_, err := Parse("p.json", []byte("{\n  \"Statement\": [\n"))
	p, ok := err.(Problem)
	if !ok || p.Error() != "p.json:3:1: invalid JSON: unexpected end of input, expected a value" {
		t.Errorf("error = %v", err)
	}
}

// TestLocations: statements and their parts point at their own text.
func TestLocations(t *testing.T) {
	in := "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"a:b\",\n                 \"c:d\"],\n      \"Condition\": {\"Bool\": {\"k\": true}}\n    }\n  ]\n}"
	d, err := Parse("p.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	s := d.Statements[0]
	for _, tt := range []struct {
		what string
		got  Location
		want Location
	}{
		{"document", d.Loc, Location{File: "p.json", Line: 1, Col: 1, EndLine: 10, EndCol: 2}},
		{"statement", s.Loc, Location{File: "p.json", Line: 3, Col: 5, EndLine: 8, EndCol: 6}},
		{"action", s.Action.Loc, Location{File: "p.json", Line: 5, Col: 17, EndLine: 6, EndCol: 24}},
		{"condition", s.Condition[0].Loc, Location{File: "p.json", Line: 7, Col: 30, EndLine: 7, EndCol: 39}},
	} {
		if tt.got != tt.want {
			t.Errorf("%s at %+v, want %+v", tt.what, tt.got, tt.want)
		}
	}
}

// TestFromValue: documents as objects, URL-encoded strings and plain
// JSON strings give the same statements; only the encoded form is
// marked, and its locations are the string's.
func TestFromValue(t *testing.T) {
	const doc = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a+b/%41"}}`
	const want = "V=2012-10-17 | #0 Allow Action[s3:GetObject] Resource[arn:aws:s3:::a+b/%41]"
	tests := []struct {
		name, in string
		encoded  bool
		want     string
		problems []string
	}{
		{"object", `{"d": ` + doc + `}`, false, want, nil},
		// %2B is '+', which PathUnescape keeps as '+': QueryUnescape
		// would have turned a literal '+' into a space.
		{"url-encoded", `{"d": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Aa+b%2F%2541%22%7D%7D"}`, true, want, nil},
		{"plain JSON string", `{"d": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::a+b/%41\"}}"}`, false, want, nil},
		{"bad escape", `{"d": "%7B%ZZ"}`, true, "V=", []string{"x.json:1:7: policy document is neither JSON nor valid URL-encoded JSON"}},
		{"encoded bad JSON", `{"d": "%7B%22Statement%22%3A"}`, true, "V=",
			[]string{"x.json:1:7: URL-decoded policy document is not valid JSON: unexpected end of input, expected a value (decoded line 1, column 14)"}},
		{"encoded grammar problem", `{"d": "%7B%22Statement%22%3A%5B%5D%7D"}`, true, "V=",
			[]string{"x.json:1:7: Statement is an empty list; the document grants and denies nothing"}},
		{"placeholder", `{"d": "<URL-encoded-JSON>"}`, true, "V=",
			[]string{"x.json:1:7: URL-decoded policy document is not valid JSON: unexpected \"<\", expected a value (decoded line 1, column 1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.in)
			v, err := jsonpos.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			src := NewSource("x.json", data)
			dv := v.Get("d")
			d := FromValue(src, dv)
			if d.Encoded != tt.encoded || render(d) != tt.want {
				t.Errorf("got %s (encoded %v), want %s (encoded %v)", render(d), d.Encoded, tt.want, tt.encoded)
			}
			var got []string
			for _, p := range d.Problems {
				got = append(got, p.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.problems, "\n") {
				t.Errorf("problems %q, want %q", got, tt.problems)
			}
			if dv.Kind == jsonpos.String {
				at := src.At(dv)
				if d.Loc != at {
					t.Errorf("document at %+v, want the string %+v", d.Loc, at)
				}
				for _, s := range d.Statements {
					if s.Loc != at || s.Resource.Loc != at {
						t.Errorf("statement at %+v, want the string %+v", s.Loc, at)
					}
				}
			}
		})
	}
}
