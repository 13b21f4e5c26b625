package rules

import (
	"strings"

	"github.com/iamscan/iamscan/access"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// escalation is one known way to turn IAM permissions into more
// permissions. The first action is the lever: findings point at the
// statement that grants it, and target says what kind of IAM resource it
// must reach beyond the principal's own ("user", "role", "policy",
// "group"; "" when any grant of it suffices).
type escalation struct {
	actions []string
	target  string
}

// escalations are the published IAM privilege-escalation methods that an
// identity policy alone can enable (after Rhino Security Labs' catalogue
// and AWS's own guidance on iam:PassRole).
var escalations = []escalation{
	{[]string{"iam:CreatePolicyVersion"}, "policy"},
	{[]string{"iam:SetDefaultPolicyVersion"}, "policy"},
	{[]string{"iam:CreateAccessKey"}, "user"},
	{[]string{"iam:CreateLoginProfile"}, "user"},
	{[]string{"iam:UpdateLoginProfile"}, "user"},
	{[]string{"iam:AttachUserPolicy"}, "user"},
	{[]string{"iam:PutUserPolicy"}, "user"},
	{[]string{"iam:AttachGroupPolicy"}, "group"},
	{[]string{"iam:PutGroupPolicy"}, "group"},
	{[]string{"iam:AddUserToGroup"}, "group"},
	{[]string{"iam:AttachRolePolicy", "sts:AssumeRole"}, "role"},
	{[]string{"iam:PutRolePolicy", "sts:AssumeRole"}, "role"},
	{[]string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, "role"},
	{[]string{"iam:PassRole", "ec2:RunInstances"}, "role"},
	{[]string{"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}, "role"},
	{[]string{"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"}, "role"},
	{[]string{"iam:PassRole", "glue:CreateDevEndpoint"}, "role"},
	{[]string{"iam:PassRole", "glue:CreateJob", "glue:StartJobRun"}, "role"},
	{[]string{"iam:PassRole", "cloudformation:CreateStack"}, "role"},
	{[]string{"iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"}, "role"},
	{[]string{"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"}, "role"},
	{[]string{"iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"}, "role"},
	{[]string{"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"}, "role"},
	{[]string{"lambda:UpdateFunctionCode"}, ""},
	{[]string{"glue:UpdateDevEndpoint"}, ""},
	{[]string{"ssm:SendCommand"}, ""},
}

// IAM011PrivilegeEscalation reports users and roles whose effective
// permissions contain a known privilege-escalation path.
var IAM011PrivilegeEscalation = &Rule{
	Meta: Meta{
		ID:       "IAM011",
		Title:    "Principal can escalate its privileges",
		Severity: High,
		Family:   FamilyEscalation,
		Description: "The user or role is allowed every action of a known privilege-escalation method: creating a " +
			"new version of a policy, attaching or writing policies, creating access keys or console passwords " +
			"for other users, changing a role's trust policy, or passing a role to a service it can then run " +
			"code in (EC2, Lambda, Glue, CloudFormation, ECS, SageMaker, CodeBuild, Data Pipeline). Effective " +
			"permissions are used (groups, explicit denies and the permissions boundary applied); grants that " +
			"hold only under conditions are not counted. Where the lever action targets IAM resources, a grant " +
			"limited to the principal itself (for example user/${aws:username}) does not count. Administrators " +
			"are left to IAM010 and service-linked roles are skipped.",
		Remediation: "Remove the lever action, or scope its Resource to the specific users, roles or policies the " +
			"principal must manage (never its own policies or roles more privileged than itself); scope " +
			"iam:PassRole to the roles the service needs and add an iam:PassedToService condition.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
		},
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam011_privilege_escalation.go",
	},
	Check: func(p *Pass) error {
		acc, err := access.Shared(p.Shared, p.Snapshot)
		if err != nil {
			return err
		}
		s := p.Snapshot
		// Resolve the methods' actions once: per principal, a method then
		// costs a few bit tests.
		ids := make([][]policy.ActionID, len(escalations))
		for i, e := range escalations {
			for _, name := range e.actions {
				a, ok := acc.Catalog().Lookup(name)
				if !ok {
					ids[i] = nil // not in the catalog: the method cannot apply
					break
				}
				ids[i] = append(ids[i], a.ID)
			}
		}
		for _, pr := range s.Principals() {
			perms := acc.Of(pr)
			if perms == nil || perms.IsAdmin() || serviceLinked(s, pr) {
				continue
			}
			for i, e := range escalations {
				if ids[i] == nil || !grantsAll(perms, ids[i]) {
					continue
				}
				src := leverSource(acc, s, pr, e)
				if src == nil {
					continue
				}
				msg := pr.Kind.String() + " " + pr.Name + " can escalate privileges with " + strings.Join(e.actions, " + ")
				p.reportIndexed(Finding{
					Resource:  pr.ARN,
					Principal: pr.ARN,
					Policy:    policyName(src.Policy),
					Sid:       src.Statement.Sid,
					Message:   msg,
					Location:  src.Statement.Loc,
				}, src.Statement.Index)
			}
		}
		return nil
	},
}

// grantsAll reports whether every action is allowed without conditions,
// on every resource or on some.
func grantsAll(perms *access.Permissions, actions []policy.ActionID) bool {
	for _, id := range actions {
		if l := perms.LevelOf(id); l != access.Everywhere && l != access.Somewhere {
			return false
		}
	}
	return true
}

// leverSource returns the Allow statement that grants the method's lever
// action on a resource of its target kind other than the principal's
// own, or nil when every grant stays on the principal itself.
func leverSource(acc *access.Access, s *snapshot.Snapshot, pr *snapshot.Principal, e escalation) *access.Source {
	probe := ""
	if e.target != "" {
		probe = probeARN(s, e.target)
	}
	if probe != "" {
		// IAM and STS actions of the method act on the target itself
		// (iam:AttachRolePolicy, then sts:AssumeRole of that role): a
		// Deny of either on every target ends the method.
		for _, a := range e.actions {
			if (strings.HasPrefix(a, "iam:") || strings.HasPrefix(a, "sts:")) && deniedOn(acc.Sources(pr, a), probe) {
				return nil
			}
		}
	}
	sources := acc.Sources(pr, e.actions[0])
	for _, src := range sources {
		st := src.Statement
		if src.Boundary || st.Effect != policy.Allow || len(st.Condition) > 0 {
			continue
		}
		if probe == "" || coversResource(st, probe) || st.Resource.Not {
			return &src
		}
	}
	return nil
}

// deniedOn reports whether an unconditional Deny among the sources
// (identity policies or boundary) covers the probe ARN: then the lever
// reaches no resource of its kind beyond what the Deny spares, which the
// permission levels alone cannot tell ("Deny iam:* on user/*" still
// leaves the action allowed "somewhere").
func deniedOn(sources []access.Source, probe string) bool {
	for _, src := range sources {
		st := src.Statement
		if st.Effect == policy.Deny && len(st.Condition) == 0 && coversResource(st, probe) {
			return true
		}
	}
	return false
}
