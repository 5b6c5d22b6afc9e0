package frontdoor

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
)

// MaxPayload is the HTTP API's request payload limit: 10 MB.
const MaxPayload = 10 << 20

// Server is the front door. Set Function before serving; the zero values of
// the other fields are usable.
type Server struct {
	// Function is the ingest function.
	Function lambdaemu.Invoker
	// MaxPayload overrides the request size limit (default MaxPayload).
	MaxPayload int64
	// Now is the clock for requestContext.time (default time.Now).
	Now func() time.Time
	// Log receives one line per request (default: discard).
	Log *slog.Logger
	// OnResponse, when set, sees each event and the function's response
	// (the runner uses it to report outcomes).
	OnResponse func(ev *events.APIGatewayV2HTTPRequest, resp *events.APIGatewayV2HTTPResponse)

	apiID string
}

// ServeHTTP routes POST /hooks/{source} to the function; everything else is
// 404, as API Gateway answers for an unmatched route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	source, ok := matchRoute(r)
	if !ok {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	limit := s.MaxPayload
	if limit <= 0 {
		limit = MaxPayload
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "Bad Request")
		return
	}
	if int64(len(body)) > limit {
		writeMessage(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if s.apiID == "" {
		s.apiID = "local"
	}
	ev := buildEvent(r, body, source, newAPIRequestID(), now(), s.apiID)
	resp, err := s.invoke(r.Context(), &ev)
	if err != nil {
		s.logf("invoke failed", "path", r.URL.Path, "request_id", ev.RequestContext.RequestID, "error", err)
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	if s.OnResponse != nil {
		s.OnResponse(&ev, resp)
	}
	if err := writeResponse(w, resp); err != nil {
		s.logf("bad function response", "request_id", ev.RequestContext.RequestID, "error", err)
	}
}

func (s *Server) invoke(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) (*events.APIGatewayV2HTTPResponse, error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	out, err := s.Function.Invoke(ctx, payload)
	if err != nil {
		return nil, err
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		return nil, fmt.Errorf("decode function response: %w", err)
	}
	if resp.StatusCode < 100 || resp.StatusCode > 599 {
		return nil, fmt.Errorf("function answered status %d", resp.StatusCode)
	}
	return &resp, nil
}

func (s *Server) logf(msg string, args ...any) {
	if s.Log != nil {
		s.Log.Warn(msg, args...)
	}
}

// matchRoute returns the decoded {source} of POST /hooks/{source}.
func matchRoute(r *http.Request) (string, bool) {
	if r.Method != http.MethodPost {
		return "", false
	}
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/hooks/")
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	source, err := url.PathUnescape(rest)
	if err != nil || source == "" {
		return "", false
	}
	return source, true
}

// writeResponse writes the function's response: status, headers (single
// and multi-value), cookies, and the body, base64-decoded when flagged.
func writeResponse(w http.ResponseWriter, resp *events.APIGatewayV2HTTPResponse) error {
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
			return fmt.Errorf("response body is not base64: %w", err)
		}
		body = b
	}
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	if h.Get("Content-Type") == "" && len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.StatusCode)
	_, err := w.Write(body)
	return err
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, "{\"message\":%q}\n", msg)
}

// newAPIRequestID returns an id shaped like API Gateway's (base64, 16 chars).
func newAPIRequestID() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand crashes the program instead
	return base64.StdEncoding.EncodeToString(b[:])[:14] + "="
}

// Listen starts serving on addr (a 127.0.0.1 address) and returns the
// running server; Shutdown stops it.
func (s *Server) Listen(addr string) (*http.Server, net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("front door address: %w", err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, nil, errors.New("front door address must be a loopback IP such as 127.0.0.1")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("front door listen: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 1 << 20}
	go srv.Serve(l)
	return srv, l, nil
}
