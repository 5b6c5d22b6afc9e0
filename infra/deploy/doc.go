// Package deploy checks template.yaml, the SAM template `sam deploy` ships,
// against the rest of the repository: the Makefile targets `sam build`
// calls, the environment variables and metrics the Go code uses, and the
// rules the design depends on (batch item failures, the visibility-timeout
// rule, encryption, least-privilege roles).
//
// Load parses the template twice: with goformation v7.14.9 for typed
// resources (intrinsics kept visible as "ref:X", "getatt:X.Attr" and
// "sub:..." strings), and as raw YAML for what goformation cannot see. That
// version silently drops an SQS event that carries FunctionResponseTypes or
// ScalingConfig and rejects properties newer than its spec (a function's
// LoggingConfig, a permission's InvokedViaFunctionUrl); Load removes those
// before the typed parse and the checks read them from the raw YAML.
//
// The package holds no deployed code: only the test helpers and the tests.
package deploy
