// Package scan looks for secrets in captured logs: every credential value
// the fault run saw (tokens the simulator issued, the client secret, the
// signing secrets, Authorization header values) and, whatever its value,
// any text shaped like a Zoho Authorization header. Findings never carry
// the secret itself, only a redacted label.
package scan
