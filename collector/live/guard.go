package live

import (
	"context"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// readOnlyOperations are the only API operations the collector sends, as
// the IAM actions that authorize them. Each reads (List, Get, Describe),
// generates the credential report (which changes no IAM state), names
// the caller, or assumes the audit role in another account.
// docs/iamscan-collector-policy.json allows exactly these, and a test
// derives the operations from this package's code and checks that they,
// this list and the policy are the same.
var readOnlyOperations = map[string]bool{
	"iam:GenerateCredentialReport":       true,
	"iam:GetAccountAuthorizationDetails": true,
	"iam:GetAccountPasswordPolicy":       true,
	"iam:GetAccountSummary":              true,
	"iam:GetCredentialReport":            true,
	"iam:GetOpenIDConnectProvider":       true,
	"iam:ListAccountAliases":             true,
	"iam:ListOpenIDConnectProviders":     true,
	"iam:ListSAMLProviders":              true,
	"iam:ListServerCertificates":         true,
	"iam:ListVirtualMFADevices":          true,

	"organizations:DescribeOrganization":  true,
	"organizations:DescribePolicy":        true,
	"organizations:ListAccounts":          true,
	"organizations:ListParents":           true,
	"organizations:ListPoliciesForTarget": true,

	"sts:GetCallerIdentity": true,
	"sts:AssumeRole":        true, // multi-account collection
}

// NotReadOnlyError is the guard refusing to send an operation that is
// not on the read-only list: a bug in the collector, never sent to AWS.
type NotReadOnlyError struct {
	Action string // e.g. "iam:CreateUser"
}

func (e *NotReadOnlyError) Error() string {
	return "iamscan refused to send " + e.Action + ": it is not one of the read-only operations the collector may call"
}

// guardReadOnly is installed on every client configuration the collector
// builds (loadConfig): before an operation is serialized, let alone
// sent, it checks the operation against readOnlyOperations. The
// collector's read-only promise then does not rest on review alone.
func guardReadOnly(stack *middleware.Stack) error {
	return stack.Serialize.Add(middleware.SerializeMiddlewareFunc("iamscanReadOnlyGuard",
		func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
			action := actionName(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))
			if !readOnlyOperations[action] {
				return middleware.SerializeOutput{}, middleware.Metadata{}, &NotReadOnlyError{Action: action}
			}
			return next.HandleSerialize(ctx, in)
		}), middleware.Before)
}
