package ingest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/zohosync/zohosync/shared/obs"
)

var errUnknownClaimState = errors.New("claim store answered an unknown state")

// report logs the outcome and records its metrics. Metric dimensions name
// only configured sources, so unknown paths cannot inflate them.
func (h *Handler) report(ctx context.Context, o *outcome, start time.Time) {
	var dims []obs.Dim
	if o.src != nil {
		ctx = obs.With(ctx, "org", o.src.org, "source", o.src.name)
		dims = append(dims, obs.Org(o.src.org), obs.Source(o.src.name))
	}
	if o.eventID != "" {
		ctx = obs.With(ctx, "event_id", o.eventID)
	}
	switch {
	case o.status == http.StatusAccepted:
		obs.Add(ctx, "EventsReceived", obs.Count, 1, dims...)
	case o.status == http.StatusOK:
		obs.Add(ctx, "EventsDuplicate", obs.Count, 1, dims...)
	default:
		obs.Add(ctx, "EventsRejected", obs.Count, 1, append(dims, obs.Dim{Name: "reason", Value: o.code})...)
	}
	ms := float64(h.now().Sub(start)) / float64(time.Millisecond)
	obs.Add(ctx, "IngestLatency", obs.Milliseconds, ms, dims...)

	attrs := []any{"status", o.status, "ms", ms}
	if o.code != "" {
		attrs = append(attrs, "code", o.code)
	}
	if o.err != nil {
		attrs = append(attrs, "err", o.err.Error())
	}
	h.log.Log(ctx, level(o.status), message(o.status), attrs...)
}

func level(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func message(status int) string {
	switch {
	case status == http.StatusAccepted:
		return "webhook accepted"
	case status == http.StatusOK:
		return "webhook duplicate"
	case status >= 500:
		return "webhook not stored"
	}
	return "webhook rejected"
}
