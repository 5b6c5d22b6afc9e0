// Package secrets resolves secret references from the config file:
//
//	env:NAME                    the environment variable NAME
//	ssm:/path/name              an SSM Parameter Store parameter, decrypted
//	                            (GetParameter WithDecryption)
//	secretsmanager:name         a Secrets Manager secret's string value
//	secretsmanager:name#key     one string field of a JSON secret
//
// A Resolver fetches each parameter or secret at most once and keeps the
// value for the life of the process, which in Lambda is one container: build
// one at cold start, resolve every reference then, and hand the values to
// the code that needs them. A failed fetch is not cached, so a later call
// tries again.
//
// Values are never logged, and errors (*Error) name the reference and the
// step that failed, never the value or any part of it. SSM and Secrets
// Manager are reached through the small SSMClient and SecretsManagerClient
// interfaces. AWSClient implements both without the AWS SDK's service
// clients (about 2.3 MB of a Lambda binary): it posts GetParameter and
// GetSecretValue to the services' JSON APIs, signs them with the SDK's
// SigV4 signer, honours the AWS_ENDPOINT_URL_SSM and
// AWS_ENDPOINT_URL_SECRETS_MANAGER overrides, retries throttling and
// server errors a bounded number of times, reads answers through a size
// cap and turns AWS error answers into *APIError.
package secrets
