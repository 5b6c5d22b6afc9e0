package config

import "time"

// Config is one zohosync config file: the Zoho orgs, the webhook sources that
// feed them and how each source's events become CRM operations.
type Config struct {
	// Version of the file format; 1.
	Version int `yaml:"version" json:"version"`
	// Orgs by name.
	Orgs map[string]*Org `yaml:"orgs" json:"orgs"`
	// Sources by name; the name is the {source} of POST /hooks/{source}.
	Sources map[string]*Source `yaml:"sources" json:"sources"`
	// Picklists are named value maps that field expressions may use.
	Picklists map[string]map[string]string `yaml:"picklists,omitempty" json:"picklists,omitempty"`

	// File is the path the config was loaded from (for error messages).
	File string `yaml:"-" json:"-"`

	// pos locates each written field, for errors found after parsing.
	pos positions
}

// Org is one Zoho CRM org zohosync writes to.
type Org struct {
	Name string `yaml:"-" json:"-"`
	// DataCenter: us, eu, in, au, jp, ca, sa, cn, uk.
	DataCenter string `yaml:"data_center" json:"data_center"`
	// Edition: free, standard, professional, enterprise, ultimate.
	Edition string `yaml:"edition" json:"edition"`
	// Users is the number of paid user licences (credit formula).
	Users int `yaml:"users" json:"users"`
	// AddOnCredits are purchased extra daily credits.
	AddOnCredits int `yaml:"add_on_credits,omitempty" json:"add_on_credits,omitempty"`
	// CreditShare is the share (0,1] of the daily credits zohosync may spend.
	CreditShare float64 `yaml:"credit_share" json:"credit_share"`
	// ConcurrencyShare is how many concurrency units zohosync may hold.
	ConcurrencyShare int `yaml:"concurrency_share" json:"concurrency_share"`
	// ClientID and ClientSecret are secret references (env:NAME,
	// ssm:/path, secretsmanager:name) to the Zoho self-client's credentials.
	ClientID     string `yaml:"client_id" json:"client_id"`
	ClientSecret string `yaml:"client_secret" json:"client_secret"`
	// AccountsURL overrides the data centre's accounts server (a simulator, a
	// sandbox). Empty: derived from DataCenter.
	AccountsURL string `yaml:"accounts_url,omitempty" json:"accounts_url,omitempty"`
}

// Source is one webhook sender.
type Source struct {
	Name string `yaml:"-" json:"-"`
	// Org names the org this source's events go to.
	Org string `yaml:"org" json:"org"`
	// Verify says how deliveries are signed.
	Verify Verify `yaml:"verify" json:"verify"`
	// EventID says where the sender's event id is; empty falls back to a hash
	// of the body.
	EventID EventID `yaml:"event_id" json:"event_id"`
	// MaxBody is the largest accepted body in bytes (default 1 MiB).
	MaxBody int `yaml:"max_body,omitempty" json:"max_body,omitempty"`
	// ContentTypes lists media types accepted besides JSON
	// (application/json, */*+json) and forms
	// (application/x-www-form-urlencoded), whose bodies ingest checks parse.
	// A listed type's body is passed on unparsed; "*/*" accepts any type,
	// and a missing Content-Type too. Empty: JSON and forms only (415).
	ContentTypes []string `yaml:"content_types,omitempty" json:"content_types,omitempty"`
	// Routes are tried in order; every route whose when matches applies,
	// unless a matching route says ignore, which drops the whole event.
	Routes []*Route `yaml:"routes" json:"routes"`
}

// DefaultMaxBody is the body limit of a source that sets no max_body.
const DefaultMaxBody = 1 << 20

// BodyLimit returns MaxBody, or DefaultMaxBody when MaxBody is unset.
func (s *Source) BodyLimit() int {
	if s.MaxBody > 0 {
		return s.MaxBody
	}
	return DefaultMaxBody
}

// Verify is a source's signature scheme and secrets.
type Verify struct {
	// Scheme: stripe, shopify, typeform, calendly, standard (Standard
	// Webhooks), hmac (generic), shared_secret, none.
	Scheme string `yaml:"scheme" json:"scheme"`
	// Secrets are secret references; several are accepted at once while a
	// secret is being rotated.
	Secrets []string `yaml:"secrets" json:"secrets"`
	// Tolerance bounds the age of a signed timestamp (schemes that sign one).
	Tolerance time.Duration `yaml:"tolerance,omitempty" json:"tolerance,omitempty"`

	// Generic HMAC and shared_secret settings.
	Header          string `yaml:"header,omitempty" json:"header,omitempty"`
	Algorithm       string `yaml:"algorithm,omitempty" json:"algorithm,omitempty"` // sha256, sha1, sha512
	Encoding        string `yaml:"encoding,omitempty" json:"encoding,omitempty"`   // hex, base64
	Prefix          string `yaml:"prefix,omitempty" json:"prefix,omitempty"`
	TimestampHeader string `yaml:"timestamp_header,omitempty" json:"timestamp_header,omitempty"`
	// SignedTemplate builds the signed string, e.g. "{timestamp}.{body}";
	// default "{body}".
	SignedTemplate string `yaml:"signed_template,omitempty" json:"signed_template,omitempty"`
}

// EventID locates a sender's event id: a header, or a JMESPath expression
// over the body. When both are empty or yield nothing, the id is the
// SHA-256 of the body.
type EventID struct {
	Header string `yaml:"header,omitempty" json:"header,omitempty"`
	Expr   string `yaml:"expr,omitempty" json:"expr,omitempty"`
}

// Route turns matching events of a source into operations.
type Route struct {
	Name string `yaml:"name" json:"name"`
	// When is a JMESPath condition over the event; empty matches every event.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// Ignore marks a route that drops the events it matches: when it
	// matches, the event produces no operation at all, whatever other
	// routes say. An ignore route has no ops.
	Ignore bool `yaml:"ignore,omitempty" json:"ignore,omitempty"`
	// Ops are the operations, in order; a later op may refer to an earlier
	// one's record (a lookup), which makes the chain one composite call.
	Ops []*Op `yaml:"ops" json:"ops"`
}

// Op describes one CRM write. The mapping package owns how Fields are
// written and evaluated.
type Op struct {
	ID     string   `yaml:"id" json:"id"`
	Module string   `yaml:"module" json:"module"`
	Action string   `yaml:"action" json:"action"`
	Match  []string `yaml:"match,omitempty" json:"match,omitempty"`
	// Trigger: absent = Zoho's default (all automation); [] = none.
	Trigger *[]string        `yaml:"trigger,omitempty" json:"trigger,omitempty"`
	Fields  map[string]Field `yaml:"fields" json:"fields"`
	// When is a JMESPath condition; an op whose when is false is skipped
	// (and lookups that refer to it are left unset). Empty: always.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// RecordID is the expression giving the Zoho record id an update
	// targets; required for update, not allowed otherwise.
	RecordID string `yaml:"record_id,omitempty" json:"record_id,omitempty"`
}

// Field is one field's value: an expression, or a reference to the record
// an earlier op of the same route writes (a lookup). In YAML a plain string
// is shorthand for {expr: <string>}.
type Field struct {
	Expr string `yaml:"expr,omitempty" json:"expr,omitempty"`
	// Ref names an earlier op of the route; the field becomes a lookup to
	// the record that op writes ({"id": ...}), filled in by the sync side.
	Ref string `yaml:"ref,omitempty" json:"ref,omitempty"`
	// IfEmpty says what an empty result (null, "", [] or {}) does: omit
	// (the default: the field is left out, so CRM data is never blanked),
	// null (send null, clearing the CRM value) or fail (a mapping error).
	IfEmpty string `yaml:"if_empty,omitempty" json:"if_empty,omitempty"`
}

// What an empty field value does; see Field.IfEmpty.
const (
	IfEmptyOmit = "omit"
	IfEmptyNull = "null"
	IfEmptyFail = "fail"
)
