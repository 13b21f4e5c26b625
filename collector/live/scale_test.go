package live

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"golang.org/x/sync/errgroup"

	"github.com/iamscan/iamscan/internal/mototest"
)

// TestCollectMotoScale collects an account of 2,000 users and 2,000 roles
// from moto and logs the calls and wall time. Populating moto takes
// minutes, so it runs only with IAMSCAN_MOTO_SCALE=1:
//
//	IAMSCAN_MOTO_SCALE=1 go test ./collector/live -run MotoScale -v -timeout 30m
func TestCollectMotoScale(t *testing.T) {
	if os.Getenv("IAMSCAN_MOTO_SCALE") != "1" {
		t.Skip("set IAMSCAN_MOTO_SCALE=1 to collect a 2,000-user, 2,000-role account from moto")
	}
	const users, roles = 2000, 2000
	endpoint := mototest.URL(t)
	c := adminClient(t, endpoint)
	ctx := context.Background()
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range users {
		g.Go(func() error {
			_, err := c.CreateUser(gctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user%05d", i))})
			return err
		})
	}
	for i := range roles {
		g.Go(func() error {
			_, err := c.CreateRole(gctx, &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("role%05d", i)), AssumeRolePolicyDocument: aws.String(ec2Trust)})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatalf("populating moto: %v", err)
	}
	t.Logf("populated %d users and %d roles in %s", users, roles, time.Since(start).Round(time.Second))

	res := collectMoto(t, endpoint, Options{})
	if res.Incomplete() {
		t.Fatalf("incomplete: %+v", res.Raw.Collection.Errors)
	}
	doc := rawJSON(t, res)
	gotUsers := len(path(t, doc, "AuthorizationDetails", "UserDetailList").([]any))
	gotRoles := len(path(t, doc, "AuthorizationDetails", "RoleDetailList").([]any))
	if gotUsers != users || gotRoles != roles {
		t.Fatalf("collected %d users and %d roles, want %d and %d", gotUsers, gotRoles, users, roles)
	}
	t.Logf("collected %d users, %d roles, %d KiB of authorization details: %d API calls in %s (%v)",
		gotUsers, gotRoles, len(res.Raw.AuthorizationDetails)/1024, res.Calls, res.Duration.Round(time.Millisecond), callCounts(res))
}
