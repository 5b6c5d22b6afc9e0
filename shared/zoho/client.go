package zoho

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/zohosync/zohosync/shared/core"
)

// Defaults of a new Client.
const (
	DefaultVersion = "v8"
	// DefaultMaxBody caps every response body read (a full 100-record
	// answer is about 50 KB).
	DefaultMaxBody = 4 << 20
)

// Client sends planned calls to Zoho CRM. It is safe for concurrent use;
// its zero value is not usable (see NewClient).
type Client struct {
	hc        *http.Client
	version   string
	userAgent string
	maxBody   int64
	base      *url.URL // fixed base URL; nil: the token's APIDomain
	pinned    bool     // base is a data centre: the token must agree
}

// Option configures a Client.
type Option func(*Client) error

var versionPattern = regexp.MustCompile(`^v[0-9]+(\.[0-9]+)?$`)

// WithVersion sets the API version path segment ("v8"; composite calls need
// v3 or later).
func WithVersion(v string) Option {
	return func(c *Client) error {
		if !versionPattern.MatchString(v) {
			return fmt.Errorf("zoho: bad API version %q", v)
		}
		c.version = v
		return nil
	}
}

// WithBaseURL sends every call to this base URL instead of the token's
// APIDomain (a simulator, a sandbox host). It must be https, or http on a
// loopback host.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := parseBase(raw)
		if err != nil {
			return err
		}
		c.base = u
		return nil
	}
}

// WithMaxBody caps how many bytes of a response body are read.
func WithMaxBody(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("zoho: max body %d must be positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithAppVersion sets the version in the User-Agent "zohosync/<version>".
func WithAppVersion(v string) Option {
	return func(c *Client) error {
		if v == "" || strings.ContainsAny(v, " \t\r\n") {
			return fmt.Errorf("zoho: bad app version %q", v)
		}
		c.userAgent = "zohosync/" + v
		return nil
	}
}

// NewClient returns a client sending through hc (give it a timeout; each
// call also honours its context). Without WithBaseURL, calls go to the
// token's APIDomain.
func NewClient(hc *http.Client, opts ...Option) (*Client, error) {
	if hc == nil {
		return nil, errors.New("zoho: nil http client")
	}
	c := &Client{hc: hc, version: DefaultVersion, userAgent: "zohosync/dev", maxBody: DefaultMaxBody}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parseBase checks a base URL: absolute, https (or http on loopback, for
// local simulators), no credentials, query or fragment.
func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("zoho: bad API domain %q: %w", raw, ErrBadDomain)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("zoho: API domain %q has credentials, query or fragment: %w", u.Host, ErrBadDomain)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return nil, fmt.Errorf("zoho: API domain %q must use https: %w", u.Host, ErrBadDomain)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// baseFor returns where a call with tok goes.
func (c *Client) baseFor(tok core.Token) (*url.URL, error) {
	if c.base == nil {
		return parseBase(tok.APIDomain)
	}
	if c.pinned && tok.APIDomain != "" {
		u, err := parseBase(tok.APIDomain)
		if err != nil || !strings.EqualFold(u.Host, c.base.Host) {
			return nil, fmt.Errorf("zoho: token belongs to another data centre: %w", ErrBadDomain)
		}
	}
	return c.base, nil
}

// Do sends one planned call with tok and returns one result per operation,
// in call.Operations() order. Operations that cannot even be encoded (an
// unresolved lookup, an unencodable value) are answered Dead without being
// sent. A request-level failure is returned as an error (see the package
// doc).
func (c *Client) Do(ctx context.Context, tok core.Token, call *core.Call) (*core.CallReport, error) {
	if err := c.check(call); err != nil {
		return nil, err
	}
	if tok.Access == "" {
		return nil, fmt.Errorf("zoho: empty access token: %w", ErrInvalidCall)
	}
	base, err := c.baseFor(tok)
	if err != nil {
		return nil, err
	}
	req, err := c.encode(call)
	if err != nil {
		return nil, err
	}
	rep := &core.CallReport{Results: make([]core.Result, len(req.ops)), CreditsRemaining: -1}
	for i, op := range req.ops {
		rep.Results[i].Op = op
	}
	for i, p := range req.failed {
		rep.Results[i].Outcome, rep.Results[i].Problem = core.Dead, p
	}
	if len(req.sent) == 0 {
		return rep, nil
	}
	status, header, body, err := c.send(ctx, tok, base, req)
	if err != nil {
		return nil, err
	}
	rep.Status = status
	rep.CreditsRemaining = creditsRemaining(header)
	if err := c.decode(call, req, status, body, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// send performs the HTTP request and reads the body through the cap.
func (c *Client) send(ctx context.Context, tok core.Token, base *url.URL, r *request) (int, http.Header, []byte, error) {
	u := base.JoinPath(r.path)
	hr, err := http.NewRequestWithContext(ctx, r.method, u.String(), bytes.NewReader(r.body))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("zoho: build request: %w", err)
	}
	hr.Header.Set("Authorization", "Zoho-oauthtoken "+tok.Access)
	hr.Header.Set("User-Agent", c.userAgent)
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(hr)
	if err != nil {
		return 0, nil, nil, transportError(ctx, r.method+" "+r.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return 0, nil, nil, transportError(ctx, "read "+r.path+" response", err)
	}
	if int64(len(body)) > c.maxBody {
		return 0, nil, nil, &ResponseError{Status: resp.StatusCode,
			Reason: "body exceeds " + strconv.FormatInt(c.maxBody, 10) + " bytes"}
	}
	return resp.StatusCode, resp.Header, body, nil
}

// creditsRemaining parses X-API-CREDITS-REMAINING, -1 when absent or bad.
func creditsRemaining(h http.Header) int {
	return parseCredits(h.Get("X-API-CREDITS-REMAINING"))
}

func parseCredits(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
