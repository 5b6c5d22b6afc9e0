package worker

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/zohosync/zohosync/shared/retry"
	"github.com/zohosync/zohosync/shared/syncer"
)

// EnvSettings is the environment variable that carries a child's Settings
// as JSON. The child reads everything else as the sync function does
// (ZOHOSYNC_TABLE, ZOHOSYNC_EVENTS_QUEUE_URL, ZOHOSYNC_CONFIG, AWS
// endpoints, secret references).
const EnvSettings = "ZOHOSYNC_CHAOS_WORKER"

// Settings tune one worker.
type Settings struct {
	// Name labels the worker in its logs.
	Name string `json:"name"`
	// QueueARN is the events queue's ARN (put into each SQS record).
	QueueARN string `json:"queue_arn"`
	// BatchSize, Window and Concurrency are the event source mapping's
	// BatchSize, MaximumBatchingWindowInSeconds and MaximumConcurrency.
	BatchSize   int           `json:"batch_size"`
	Window      time.Duration `json:"window"`
	Concurrency int           `json:"concurrency"`
	// FunctionTimeout is the sync function's timeout; keep it below the
	// queue's visibility timeout.
	FunctionTimeout time.Duration `json:"function_timeout"`
	// Sync and Policy tune the sync handler and its retries.
	Sync   syncer.Options `json:"sync"`
	Policy retry.Policy   `json:"policy"`
	// LedgerLease and LedgerRetryAfter shorten the ledger's slot leases
	// and concurrency retry hint.
	LedgerLease      time.Duration `json:"ledger_lease"`
	LedgerRetryAfter time.Duration `json:"ledger_retry_after"`
	// AuthLease, AuthRefreshTimeout and AuthMaxWait shorten the token
	// store's refresh lease and waits.
	AuthLease          time.Duration `json:"auth_lease"`
	AuthRefreshTimeout time.Duration `json:"auth_refresh_timeout"`
	AuthMaxWait        time.Duration `json:"auth_max_wait"`
}

// Env returns the settings as an environment entry for a child.
func (s Settings) Env() (string, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("worker settings: %w", err)
	}
	return EnvSettings + "=" + string(b), nil
}

// ParseSettings reads settings written by Env.
func ParseSettings(v string) (Settings, error) {
	var s Settings
	if v == "" {
		return s, fmt.Errorf("worker settings: %s is not set", EnvSettings)
	}
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return s, fmt.Errorf("worker settings: %w", err)
	}
	if s.FunctionTimeout <= 0 || s.BatchSize <= 0 || s.Concurrency <= 0 {
		return s, fmt.Errorf("worker settings: function timeout, batch size and concurrency must be positive")
	}
	return s, nil
}
