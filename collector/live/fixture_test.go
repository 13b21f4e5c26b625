package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// adminConfig is the configuration for setting moto up; the collector
// never gets write access, the fixture does. Each call gets a connection
// of its own: a create sent on a keep-alive connection that moto is
// closing can be carried out and still fail on the client, and the SDK's
// retry then answers EntityAlreadyExists.
func adminConfig(t *testing.T, endpoint string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithBaseEndpoint(endpoint), config.WithRegion("us-east-1"),
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.DisableKeepAlives = true })))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// adminClient is an IAM client for setting moto up.
func adminClient(t *testing.T, endpoint string) *iam.Client {
	t.Helper()
	return iam.NewFromConfig(adminConfig(t, endpoint))
}

// must fails the test on a setup error, naming the step.
func must[T any](t *testing.T, step string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture: %s: %v", step, err)
		}
		return v
	}
}

const (
	readS3Policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`
	// plusPolicy has a "+" that a query-style decoder would turn into a space.
	plusPolicy   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::a+b"}]}`
	adminPolicy  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	ec2Trust     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	accountTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	fixtureCert  = `-----BEGIN CERTIFICATE-----
MIIBhTCCASugAwIBAgIQIRi6zePL6mKjOipn+dNuaTAKBggqhkjOPQQDAjASMRAw
DgYDVQQKEwdBY21lIENvMB4XDTE3MTAyMDE5NDMwNloXDTE4MTAyMDE5NDMwNlow
EjEQMA4GA1UEChMHQWNtZSBDbzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABD0d
7VNhbWvZLWPuj/RtHFjvtJBEwOkhbN/BnnE8rnZR8+sbwnc/KhCk3FhnpHZnQz7B
5aETbbIgmuvewdjvSBSjYzBhMA4GA1UdDwEB/wQEAwICpDATBgNVHSUEDDAKBggr
BgEFBQcDATAPBgNVHRMBAf8EBTADAQH/MCkGA1UdEQQiMCCCDmxvY2FsaG9zdDo1
NDUzgg4xMjcuMC4wLjE6NTQ1MzAKBggqhkjOPQQDAgNIADBFAiEA2zpJEPQyz6/l
Wf86aX6PepsntZv2GYlA5UpabfT2EZICICpJ5h/iI+i341gBmLiAFQOyTDT+/wQc
6MF9+Yw1Yy0t
-----END CERTIFICATE-----`
)

// fixture is what populate created, for the assertions.
type fixture struct {
	policyARN string // customer managed, three versions, v3 default
	mfaSerial string // alice's virtual MFA device
	oidcARN   string
	samlARN   string
}

// populate creates a small but complete account: users with login
// profiles, access keys and MFA, a group, roles, inline and managed
// policies with several versions, a password policy, identity providers,
// a server certificate and an alias.
func populate(t *testing.T, c *iam.Client) fixture {
	t.Helper()
	ctx := context.Background()
	var f fixture

	pol := must[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &iam.CreatePolicyInput{
		PolicyName: aws.String("read-s3"), PolicyDocument: aws.String(readS3Policy)}))
	f.policyARN = aws.ToString(pol.Policy.Arn)
	for _, doc := range []string{plusPolicy, adminPolicy} {
		must[*iam.CreatePolicyVersionOutput](t, "CreatePolicyVersion")(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{
			PolicyArn: pol.Policy.Arn, PolicyDocument: aws.String(doc), SetAsDefault: true}))
	}

	must[*iam.CreateGroupOutput](t, "CreateGroup")(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))
	must[*iam.PutGroupPolicyOutput](t, "PutGroupPolicy")(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{
		GroupName: aws.String("devs"), PolicyName: aws.String("devs-inline"), PolicyDocument: aws.String(readS3Policy)}))
	must[*iam.AttachGroupPolicyOutput](t, "AttachGroupPolicy")(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{
		GroupName: aws.String("devs"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))

	for _, name := range []string{"alice", "bob"} {
		must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name),
			Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("audit")}}}))
		must[*iam.CreateAccessKeyOutput](t, "CreateAccessKey")(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}))
	}
	must[*iam.CreateLoginProfileOutput](t, "CreateLoginProfile")(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName: aws.String("alice"), Password: aws.String("Correct-horse-battery-1")}))
	must[*iam.AddUserToGroupOutput](t, "AddUserToGroup")(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{
		UserName: aws.String("alice"), GroupName: aws.String("devs")}))
	must[*iam.PutUserPolicyOutput](t, "PutUserPolicy")(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName: aws.String("alice"), PolicyName: aws.String("alice-plus"), PolicyDocument: aws.String(plusPolicy)}))
	must[*iam.AttachUserPolicyOutput](t, "AttachUserPolicy")(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{
		UserName: aws.String("bob"), PolicyArn: pol.Policy.Arn}))
	mfa := must[*iam.CreateVirtualMFADeviceOutput](t, "CreateVirtualMFADevice")(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("alice")}))
	f.mfaSerial = aws.ToString(mfa.VirtualMFADevice.SerialNumber)
	must[*iam.EnableMFADeviceOutput](t, "EnableMFADevice")(c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName: aws.String("alice"), SerialNumber: mfa.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")}))

	for _, r := range []struct{ name, trust string }{{"app", ec2Trust}, {"iamscan-audit", accountTrust}} {
		must[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx, &iam.CreateRoleInput{
			RoleName: aws.String(r.name), AssumeRolePolicyDocument: aws.String(r.trust)}))
	}
	must[*iam.PutRolePolicyOutput](t, "PutRolePolicy")(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String("app"), PolicyName: aws.String("app-inline"), PolicyDocument: aws.String(adminPolicy)}))
	must[*iam.AttachRolePolicyOutput](t, "AttachRolePolicy")(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{
		RoleName: aws.String("iamscan-audit"), PolicyArn: aws.String("arn:aws:iam::aws:policy/SecurityAudit")}))

	must[*iam.UpdateAccountPasswordPolicyOutput](t, "UpdateAccountPasswordPolicy")(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(14), RequireSymbols: true, PasswordReusePrevention: aws.Int32(24)}))
	oidc := must[*iam.CreateOpenIDConnectProviderOutput](t, "CreateOpenIDConnectProvider")(c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://token.actions.githubusercontent.com"), ClientIDList: []string{"sts.amazonaws.com"},
		ThumbprintList: []string{"6938fd4d98bab03faadb97b34396831e3780aea1"}}))
	f.oidcARN = aws.ToString(oidc.OpenIDConnectProviderArn)
	saml := must[*iam.CreateSAMLProviderOutput](t, "CreateSAMLProvider")(c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{
		Name: aws.String("okta"), SAMLMetadataDocument: aws.String(samlMetadata)}))
	f.samlARN = aws.ToString(saml.SAMLProviderArn)
	must[*iam.UploadServerCertificateOutput](t, "UploadServerCertificate")(c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String("legacy-elb"), CertificateBody: aws.String(fixtureCert), PrivateKey: aws.String("not a real key")}))
	must[*iam.CreateAccountAliasOutput](t, "CreateAccountAlias")(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("iamscan-test")}))
	return f
}

// addUsers creates n more users named user0000..., for scale tests.
// A user that already exists is fine: on a loaded machine the SDK can
// retry a CreateUser whose first attempt moto did carry out.
func addUsers(t testing.TB, c *iam.Client, prefix string, n int) {
	t.Helper()
	for i := range n {
		_, err := c.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("%s%05d", prefix, i))})
		var exists *iamtypes.EntityAlreadyExistsException
		if err != nil && !errors.As(err, &exists) {
			t.Fatalf("fixture: CreateUser: %v", err)
		}
	}
}

const samlMetadata = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/x" validUntil="2030-01-01T00:00:00Z"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://example.okta.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`
