package secrets

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// service is one of the two AWS APIs the client calls.
type service struct {
	// name is the SigV4 signing name and the endpoint's host prefix.
	name string
	// envID is the service's part of AWS_ENDPOINT_URL_<ID>.
	envID string
	// target prefixes the X-Amz-Target header ("AmazonSSM.GetParameter").
	target string
}

var (
	ssmService = service{name: "ssm", envID: "SSM", target: "AmazonSSM"}
	smService  = service{name: "secretsmanager", envID: "SECRETS_MANAGER", target: "secretsmanager"}
)

// regionRE is what an AWS region name looks like; anything else must not
// reach a host name.
var regionRE = regexp.MustCompile(`^[a-z]{2,5}(-[a-z0-9]+)+-[0-9]+$`)

// endpoint returns the URL the client posts s's calls to: the
// AWS_ENDPOINT_URL_<ID> override, else base (the config's BaseEndpoint,
// from AWS_ENDPOINT_URL), else https://<name>.<region>.<partition DNS
// suffix>/. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores the service
// override, as the SDK does.
func endpoint(s service, region string, base *string, lookupEnv func(string) (string, bool)) (string, error) {
	if v, ok := lookupEnv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"); !ok || !strings.EqualFold(v, "true") {
		if v, ok := lookupEnv("AWS_ENDPOINT_URL_" + s.envID); ok && v != "" {
			return overrideURL("AWS_ENDPOINT_URL_"+s.envID, v)
		}
	}
	if base != nil && *base != "" {
		return overrideURL("the base endpoint", *base)
	}
	if !regionRE.MatchString(region) {
		return "", fmt.Errorf("%s endpoint: region %q: %w", s.name, region, ErrAWSConfig)
	}
	return "https://" + s.name + "." + region + "." + dnsSuffix(region) + "/", nil
}

// overrideURL checks an endpoint override and gives it a path ending in /.
func overrideURL(what, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("endpoint override %s is not an http(s) URL: %w", what, ErrAWSConfig)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String(), nil
}

// dnsSuffix returns the DNS suffix of region's partition. GovCloud
// (us-gov-*) shares amazonaws.com with the commercial partition.
func dnsSuffix(region string) string {
	for _, p := range partitions {
		if strings.HasPrefix(region, p.prefix) {
			return p.suffix
		}
	}
	return "amazonaws.com"
}

// partitions are the AWS partitions whose DNS suffix is not amazonaws.com,
// by region-name prefix.
var partitions = []struct{ prefix, suffix string }{
	{"cn-", "amazonaws.com.cn"},
	{"us-isob-", "sc2s.sgov.gov"},
	{"us-isof-", "csp.hci.ic.gov"},
	{"us-iso-", "c2s.ic.gov"},
	{"eu-isoe-", "cloud.adc-e.uk"},
	{"eusc-", "amazonaws.eu"},
}
