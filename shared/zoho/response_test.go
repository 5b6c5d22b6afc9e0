package zoho

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

const okItem = `{"code":"SUCCESS","status":"success","message":"record added","details":{"id":"%s"}}`

func items(ids ...string) string {
	var parts []string
	for _, id := range ids {
		parts = append(parts, strings.Replace(okItem, "%s", id, 1))
	}
	return `{"data":[` + strings.Join(parts, ",") + `]}`
}

func TestUnusableAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   string // substring of the error
	}{
		{"204 no content", 204, "", "no content"},
		{"201 empty", 201, "", "no content"},
		{"not JSON", 200, "<html>ok</html>", "malformed"},
		{"truncated", 200, `{"data":[{"code":"SUCCESS"`, "malformed"},
		{"too few results", 201, items("1"), "1 results for 2 records"},
		{"too many results", 201, items("1", "2", "3"), "3 results for 2 records"},
		{"json_path points elsewhere", 207, `{"data":[` + strings.Replace(okItem, "%s", "1", 1) +
			`,{"code":"INVALID_DATA","status":"error","message":"invalid data","details":{"json_path":"$.data[0].Phone"}}]}`, "json_path"},
		{"success without id", 201, `{"data":[{"code":"SUCCESS","status":"success","details":{}},` + strings.Replace(okItem, "%s", "2", 1) + `]}`, "without a record id"},
		{"item without code", 201, `{"data":[{"status":"error"},{"status":"error"}]}`, "neither success"},
		{"data is not a list", 200, `{"data":{"id":"1"}}`, "malformed"},
		{"2xx without data", 200, `{"info":{}}`, "no data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, tok := serve(t, &fakeZoho{status: tt.status, body: []byte(tt.body)})
			_, err := c.Do(context.Background(), tok, inserts(2))
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a ResponseError about %q", err, tt.want)
			}
			if !Retryable(err) {
				t.Error("unusable answer not retryable")
			}
		})
	}
}

func TestGatewayErrorPage(t *testing.T) {
	c, tok := serve(t, &fakeZoho{status: 502, body: []byte("<html>Bad Gateway</html>")})
	_, err := c.Do(context.Background(), tok, inserts(1))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 502 || !ae.Retryable() {
		t.Fatalf("err = %v, want a retryable APIError 502", err)
	}
	if strings.Contains(err.Error(), "Bad Gateway</html>") {
		t.Error("error text carries the raw body")
	}
}

func TestBodyCap(t *testing.T) {
	big := items("1") + strings.Repeat(" ", 2048)
	tests := []struct {
		name   string
		status int
	}{{"success body", 201}, {"error body", 500}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, tok := serve(t, &fakeZoho{status: tt.status, body: []byte(big)}, WithMaxBody(1024))
			_, err := c.Do(context.Background(), tok, inserts(1))
			if err == nil || !strings.Contains(err.Error(), "exceeds 1024 bytes") {
				t.Fatalf("err = %v, want the body cap", err)
			}
		})
	}
	c, tok := serve(t, &fakeZoho{status: 201, body: []byte(items("1"))}, WithMaxBody(int64(len(items("1")))))
	if _, err := c.Do(context.Background(), tok, inserts(1)); err != nil {
		t.Errorf("body exactly at the cap: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	f := &fakeZoho{status: 201, body: []byte(items("1")), delay: 2 * time.Second}
	c, tok := serve(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, tok, inserts(1))
	var te *TransportError
	if !errors.As(err, &te) || !te.Timeout || !te.Retryable() || !te.MaybeApplied() {
		t.Fatalf("err = %v, want a retryable timeout that may have applied", err)
	}
	if strings.Contains(err.Error(), tok.Access) {
		t.Error("error text carries the token")
	}
}

func TestConnectionRefused(t *testing.T) {
	c, err := NewClient(&http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), core.Token{Access: "x", APIDomain: closedLoopbackURL(t)}, inserts(1))
	var te *TransportError
	if !errors.As(err, &te) || te.Timeout || te.MaybeApplied() {
		t.Fatalf("err = %v, want a connection error that was never sent", err)
	}
}

func TestCreditsHeader(t *testing.T) {
	tests := []struct {
		value string
		want  int
	}{{"", -1}, {"4821", 4821}, {" 17 ", 17}, {"many", -1}, {"-3", -1}}
	for _, tt := range tests {
		hdr := map[string]string{}
		if tt.value != "" {
			hdr["X-API-CREDITS-REMAINING"] = tt.value
		}
		c, tok := serve(t, &fakeZoho{status: 201, body: []byte(items("1")), header: hdr})
		rep, err := c.Do(context.Background(), tok, inserts(1))
		if err != nil {
			t.Fatalf("Do: %v", err)
		}
		if rep.CreditsRemaining != tt.want {
			t.Errorf("header %q: credits = %d, want %d", tt.value, rep.CreditsRemaining, tt.want)
		}
	}
}

func TestCompositeBlame(t *testing.T) {
	call := chain()
	call.Subs = append(call.Subs, core.Sub{ID: "note_2", Op: &core.Operation{ID: "note", Module: "Notes",
		Action: core.Insert, Fields: map[string]any{"Note_Title": "x"}}, Refs: map[string]string{"Parent_Id": "deal_1"}})
	tests := []struct {
		name    string
		first   string
		wantOut [3]core.Outcome
	}{
		{"referred sub died", `{"code":"SUCCESS","status":"success","message":"success","details":{"response":{"status_code":400,"headers":{},"body":{"data":[{"code":"INVALID_DATA","status":"error","message":"invalid data","details":{"api_name":"Email","json_path":"$.data[0].Email"}}]}}}}`,
			[3]core.Outcome{core.Dead, core.Dead, core.Dead}},
		{"referred sub locked", `{"code":"SUCCESS","status":"success","message":"success","details":{"response":{"status_code":400,"headers":{},"body":{"data":[{"code":"RECORD_LOCKED","status":"error","message":"locked","details":{}}]}}}}`,
			[3]core.Outcome{core.Retry, core.Retry, core.Retry}},
		{"referred sub timed out", `{"code":"REQUEST_TIMEOUT","status":"error","message":"timeout","details":{}}`,
			[3]core.Outcome{core.Retry, core.Retry, core.Retry}},
	}
	stopped := `{"code":"INVALID_REFERENCE","status":"error","message":"invalid reference","details":{}}`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"__composite_requests":[` + tt.first + `,` + stopped + `,` +
				strings.Replace(stopped, "INVALID_REFERENCE", "PROCESSING_STOPPED", 1) + `]}`
			c, tok := serve(t, &fakeZoho{status: 200, body: []byte(body)})
			rep, err := c.Do(context.Background(), tok, call)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			for i, r := range rep.Results {
				if r.Outcome != tt.wantOut[i] {
					t.Errorf("sub %d: %v, want %v", i, r.Outcome, tt.wantOut[i])
				}
			}
			if msg := rep.Results[2].Problem.Message; !strings.Contains(msg, `"deal_1"`) {
				t.Errorf("problem %q does not name the referred sub", msg)
			}
		})
	}
}

func TestRollbackPerformed(t *testing.T) {
	call := chain()
	call.Rollback = true
	body := `{"__composite_requests":[{"code":"ROLLBACK_PERFORMED","status":"error","message":"transaction rolled back","details":{"rollbacked_by_sub_request_index":1}},` +
		`{"code":"SUCCESS","status":"success","message":"success","details":{"response":{"status_code":400,"body":{"data":[{"code":"MANDATORY_NOT_FOUND","status":"error","message":"required field not found","details":{"api_name":"Stage","json_path":"$.data[0].Stage"}}]}}}}]}`
	f := &fakeZoho{status: 400, body: []byte(body)}
	c, tok := serve(t, f)
	rep, err := c.Do(context.Background(), tok, call)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if !strings.HasPrefix(f.last(t).Body, `{"rollback_on_fail":true,"parallel_execution":false,`) {
		t.Errorf("body starts %.60s", f.last(t).Body)
	}
	if rep.Results[0].Outcome != core.Retry || rep.Results[1].Outcome != core.Dead {
		t.Errorf("outcomes %v, %v; want retry (rolled back), dead", rep.Results[0].Outcome, rep.Results[1].Outcome)
	}
}

func TestCompositeRequestLevelError(t *testing.T) {
	body := `{"code":"INVALID_DATA","details":{"maximum_length":5,"api_name":"__composite_requests"},"message":"invalid data","status":"error"}`
	c, tok := serve(t, &fakeZoho{status: 400, body: []byte(body)})
	_, err := c.Do(context.Background(), tok, chain())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "INVALID_DATA" || ae.Retryable() {
		t.Fatalf("err = %v, want a permanent INVALID_DATA APIError", err)
	}
}
