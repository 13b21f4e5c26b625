package live

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
)

// iamDefaultRegion is where the global IAM endpoint lives in the aws
// partition; any region reaches IAM, but the SDK needs one.
const iamDefaultRegion = "us-east-1"

// httpTimeout bounds one HTTP attempt. GetAccountAuthorizationDetails
// pages of a large account take seconds; a minute leaves ample room while
// still ending a hung connection (the retryer then tries again).
const httpTimeout = 60 * time.Second

// loadConfig resolves credentials, region, endpoint and retry policy for
// the account of the caller's own credentials.
func loadConfig(ctx context.Context, o *Options) (aws.Config, error) {
	if err := checkCABundle(ctx, o.Profile); err != nil {
		return aws.Config{}, err
	}
	attempts := o.maxAttempts()
	loads := []func(*config.LoadOptions) error{
		// A BuildableClient (not a plain http.Client) so that the SDK can
		// add the AWS_CA_BUNDLE or profile ca_bundle roots to its transport.
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(httpTimeout)),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
				ao.StandardOptions = append(ao.StandardOptions, func(so *retry.StandardOptions) {
					so.MaxAttempts = attempts
				})
			})
		}),
	}
	if o.Profile != "" {
		loads = append(loads, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		loads = append(loads, config.WithRegion(o.Region))
	}
	if o.EndpointURL != "" {
		loads = append(loads, config.WithBaseEndpoint(o.EndpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loads...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = iamDefaultRegion
	}
	// Every client the collector builds comes from this configuration,
	// so every call passes the read-only guard. It is added after
	// loading: the credential providers the SDK built while loading
	// (SSO, web identity) make their own, non-IAM calls and keep their
	// own copy of the options.
	cfg.APIOptions = append(slices.Clip(cfg.APIOptions), guardReadOnly)
	return cfg, nil
}

// checkCABundle validates the CA bundle the SDK will load, AWS_CA_BUNDLE
// or else the profile's ca_bundle, before the SDK reads it: the SDK's own
// errors ("open /nope.pem: no such file or directory", "failed to load
// custom CA bundle PEM file") do not say which setting they come from.
func checkCABundle(ctx context.Context, profile string) error {
	env, err := config.NewEnvConfig()
	if err != nil {
		return nil // LoadDefaultConfig reports it
	}
	if path := env.CustomCABundle; path != "" {
		return checkPEMFile(path, "AWS_CA_BUNDLE="+path)
	}
	if profile == "" {
		profile = env.SharedConfigProfile
	}
	if profile == "" {
		profile = "default"
	}
	file := config.DefaultSharedConfigFilename()
	sc, err := config.LoadSharedConfigProfile(ctx, profile, func(lo *config.LoadSharedConfigOptions) {
		if env.SharedConfigFile != "" {
			file = env.SharedConfigFile
			lo.ConfigFiles = []string{env.SharedConfigFile}
		}
		if env.SharedCredentialsFile != "" {
			lo.CredentialsFiles = []string{env.SharedCredentialsFile}
		}
	})
	if err != nil || sc.CustomCABundle == "" {
		return nil // no such profile, or no bundle: LoadDefaultConfig decides
	}
	return checkPEMFile(sc.CustomCABundle, fmt.Sprintf("ca_bundle = %s of profile %q (%s)", sc.CustomCABundle, profile, file))
}

// checkPEMFile says, naming the setting, when a CA bundle cannot be read
// or holds no certificate.
func checkPEMFile(path, setting string) error {
	pem, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s cannot be read: %w", setting, err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return fmt.Errorf("%s holds no PEM certificate", setting)
	}
	return nil
}
