package report

import (
	"github.com/zohosync/zohosync/infra/bench/awscount"
	"github.com/zohosync/zohosync/infra/bench/gobench"
	"github.com/zohosync/zohosync/infra/bench/naive"
	"github.com/zohosync/zohosync/infra/bench/price"
	"github.com/zohosync/zohosync/infra/bench/stats"
)

// Report is one `make bench` run.
type Report struct {
	Date     string   `json:"date"`
	Seconds  float64  `json:"seconds"`
	Command  string   `json:"command"`
	Machine  Machine  `json:"machine"`
	Settings Settings `json:"settings"`
	Limits   Limits   `json:"limits"`
	// IngestLatency is the warm ingest function measured alone.
	IngestLatency IngestLatency `json:"ingest_latency"`
	// Scenarios are the load runs, each beside the naive sender.
	Scenarios []Scenario `json:"scenarios"`
	// Functions are bootstrap sizes and cold init times.
	Functions []Function `json:"functions"`
	// InitBaseline is the cold init of a minimal Go bootstrap (an echo
	// handler) measured the same way in the same run.
	InitBaseline Function `json:"init_baseline"`
	// GoBench are the micro benchmarks; Calibration the same run's
	// baseline benchmark, run just before and just after them.
	GoBench     []gobench.Result `json:"go_benchmarks"`
	Calibration Calibration      `json:"calibration"`
	Prices      Prices           `json:"prices"`
	Targets     []Target         `json:"targets"`
	// Notes are findings worth reading, computed from the figures;
	// Failures the parts of the run that failed.
	Notes    []string `json:"notes"`
	Failures []string `json:"failures,omitempty"`
}

// Machine is where the run happened.
type Machine struct {
	Cores     int     `json:"cores"`
	CPU       string  `json:"cpu"`
	OS        string  `json:"os"`
	Kernel    string  `json:"kernel"`
	GoVersion string  `json:"go_version"`
	LoadStart float64 `json:"load_start"`
	LoadMin   float64 `json:"load_min"`
	LoadMean  float64 `json:"load_mean"`
	LoadMax   float64 `json:"load_max"`
}

// Latency is one endpoint class's latency model in the simulator.
type Latency struct {
	Class    string  `json:"class"`
	Kind     string  `json:"kind"`
	MedianMs float64 `json:"median_ms"`
	P99Ms    float64 `json:"p99_ms"`
	MeanMs   float64 `json:"mean_ms"`
}

// Settings are what the runs were configured with.
type Settings struct {
	Edition            string    `json:"edition"`
	Users              int       `json:"users"`
	EditionConcurrency int       `json:"edition_concurrency"`
	SubConcurrency     int       `json:"sub_concurrency"`
	ConcurrencyShare   int       `json:"concurrency_share"`
	DailyCredits       int       `json:"daily_credits"`
	CreditBudget       int       `json:"credit_budget"`
	Latencies          []Latency `json:"latencies"`
	BatchSize          int       `json:"sync_batch_size"`
	WindowSeconds      float64   `json:"sync_batching_window_s"`
	MaxConcurrency     int       `json:"sync_max_concurrency"`
	IngestMemoryMB     int       `json:"ingest_memory_mb"`
	SyncMemoryMB       int       `json:"sync_memory_mb"`
	LogLevel           string    `json:"log_level"`
}

// Limits are the throughput limits the simulator's settings imply.
type Limits struct {
	// ConcurrencyRecordsPerSec = share × 100 records per call / mean write latency.
	ConcurrencyRecordsPerSec float64 `json:"concurrency_records_per_s"`
	// CreditRecordsPerDay = budget × 10 records per credit; per second below.
	CreditRecordsPerDay float64 `json:"credit_records_per_day"`
	CreditRecordsPerSec float64 `json:"credit_records_per_s"`
	// NaiveRecordsPerSec is the naive pattern's ceiling: share × 1 record
	// per call / mean write latency.
	NaiveRecordsPerSec float64 `json:"naive_records_per_s"`
	// ProbeRecordsPerSec is what a perfect client (share × full 100-record
	// upserts, back to back) got from the simulator in this run.
	ProbeRecordsPerSec float64 `json:"probe_records_per_s"`
	Probe429           int     `json:"probe_429"`
}

// Scenario is one load run.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Events posted; Accepted of them (202); Records = operations the
	// accepted events map to.
	Events   int `json:"events"`
	Accepted int `json:"accepted"`
	Records  int `json:"records"`
	// OfferedPerSec is the arrival rate (0 for a burst).
	OfferedPerSec float64 `json:"offered_events_per_s"`
	// PerModulePerMin is the arrival rate of records per module.
	PerModulePerMin map[string]float64 `json:"records_per_module_per_min"`
	BatchSize       int                `json:"sync_batch_size"`
	WindowSeconds   float64            `json:"sync_batching_window_s"`
	MaxConcurrency  int                `json:"sync_max_concurrency"`

	Ingest     Ingest     `json:"ingest"`
	Sync       Sync       `json:"sync"`
	Zoho       Zoho       `json:"zoho"`
	Naive      NaiveRun   `json:"naive"`
	Throughput Throughput `json:"throughput"`
	AWS        AWS        `json:"aws"`
}

// Ingest is the front door and ingest function side of a run.
type Ingest struct {
	EventsPerSec float64 `json:"events_per_s"`
	// Latency is the warm ingest function duration (in process, against
	// the emulators); Floor the same run's direct PutItem + SendMessage +
	// UpdateItem round trips, the least any ingest can take here.
	Latency    stats.Summary `json:"latency"`
	Floor      stats.Summary `json:"floor"`
	Containers int           `json:"containers"`
	Rejected   int           `json:"rejected"`
}

// IngestLatency is the ingest function's warm duration with one webhook
// at a time, beside the emulator floor measured alternately with it.
type IngestLatency struct {
	// N webhooks were measured after Warm to warm up; Accepted counts both.
	N        int           `json:"n"`
	Warm     int           `json:"warm_up"`
	Accepted int           `json:"accepted"`
	Handler  stats.Summary `json:"handler"`
	Floor    stats.Summary `json:"floor"`
}

// Sync is the sync function side of a run.
type Sync struct {
	RecordsSynced int `json:"records_synced"`
	// DrainSeconds is the time from the first post (a burst: its release)
	// to the last record written; RecordsPerSec the records over it.
	RecordsPerSec float64 `json:"records_per_s"`
	DrainSeconds  float64 `json:"drain_s"`
	DeadLettered  int     `json:"dead_lettered"`
	Requeued      int     `json:"requeued"`
	// RequeueCodes counts requeued operations by the problem code.
	RequeueCodes map[string]int `json:"requeue_codes,omitempty"`
	Invocations  int            `json:"invocations"`
	// BusySeconds is the sum of the sync invocations' durations.
	BusySeconds float64 `json:"busy_s"`
	Containers  int     `json:"containers"`
	MeanBatch   float64 `json:"mean_batch_messages"`
	MaxBatch    int     `json:"max_batch_messages"`
	// Duration is the sync function's invocation time; ToCRM the time from
	// a webhook's post (or, for a burst, its release) until every record
	// it maps to is written.
	Duration stats.Summary `json:"duration"`
	ToCRM    stats.Summary `json:"webhook_to_crm"`
}

// Zoho is what the simulator saw from zohosync.
type Zoho struct {
	Calls          int            `json:"calls"`
	CallsByKind    map[string]int `json:"calls_by_endpoint"`
	Credits        int64          `json:"credits"`
	RecordsPerCall float64        `json:"records_per_call"`
	MaxInFlight    int            `json:"max_in_flight_units"`
	MaxSubInFlight int            `json:"max_sub_in_flight"`
	TooMany        int            `json:"http_429"`
	Refused        map[string]int `json:"refused_by_reason"`
	TokenMints     int            `json:"token_mints"`
	RecordErrors   map[string]int `json:"record_results"`
}

// NaiveRun is the naive sender on the same stream.
type NaiveRun struct {
	Sender      naive.Stats `json:"sender"`
	Credits     int64       `json:"credits"`
	MaxInFlight int         `json:"max_in_flight_units"`
	TooMany     int         `json:"http_429"`
	TokenMints  int         `json:"token_mints"`
	Seconds     float64     `json:"seconds"`
}

// Throughput compares the sync rate with the limits.
type Throughput struct {
	// LimitRecordsPerSec is the binding limit for this run: the
	// concurrency limit, or the credit budget spread over the drain time,
	// whichever is less.
	LimitRecordsPerSec float64 `json:"limit_records_per_s"`
	Binding            string  `json:"binding"`
	// Share is Sync.RecordsPerSec over the limit. It measures capacity only
	// when the sync is saturated (a burst); a paced stream offers less.
	Share float64 `json:"share"`
	// OfferedRecordsPerSec is a paced stream's arrival rate of records.
	OfferedRecordsPerSec float64 `json:"offered_records_per_s,omitempty"`
}

// AWS is the run's AWS usage and cost.
type AWS struct {
	Ingest         awscount.Counts `json:"ingest"`
	Sync           awscount.Counts `json:"sync"`
	Poller         awscount.Counts `json:"event_source_mapping"`
	Totals         awscount.Totals `json:"totals"`
	Usage          price.Usage     `json:"usage"`
	PerEvent       PerEvent        `json:"per_event"`
	Bill           price.Bill      `json:"per_million_events"`
	Total          float64         `json:"total_per_million"`
	TotalHTTPAPI   float64         `json:"total_per_million_http_api"`
	IngestLogBytes int64           `json:"ingest_log_bytes"`
	SyncLogBytes   int64           `json:"sync_log_bytes"`
}

// PerEvent divides usage by accepted events.
type PerEvent struct {
	LambdaInvocations float64 `json:"lambda_invocations"`
	GBSeconds         float64 `json:"gb_seconds"`
	SQSRequests       float64 `json:"sqs_requests"`
	DynamoRequests    float64 `json:"dynamodb_requests"`
	WriteUnits        float64 `json:"dynamodb_write_units"`
	ReadUnits         float64 `json:"dynamodb_read_units"`
	LogBytes          float64 `json:"log_bytes"`
	FrontDoorRequests float64 `json:"front_door_requests"`
}

// Function is one function's bootstrap and cold start.
type Function struct {
	Name string `json:"name"`
	// Bytes is the linux/arm64 bootstrap built with the Makefile's flags;
	// ZipBytes the deployment zip.
	Bytes    int64 `json:"bytes"`
	ZipBytes int64 `json:"zip_bytes"`
	// InitMs is the cold init (median over trials): from starting the
	// process to its first request for work at the Runtime API. Trials
	// are each start's init; ColdMs the first invoke after init, WarmMs a
	// later one; SelfInitMs the InitDuration the function reports itself
	// (from main's start, so without process start and Go runtime init).
	InitMs     float64   `json:"init_ms"`
	Trials     []float64 `json:"init_trials_ms"`
	ColdMs     float64   `json:"first_invoke_ms"`
	WarmMs     float64   `json:"warm_invoke_ms"`
	SelfInitMs float64   `json:"self_reported_init_ms"`
}

// Calibration is the run's CPU baseline.
type Calibration struct {
	StartNs float64 `json:"start_ns"`
	EndNs   float64 `json:"end_ns"`
	What    string  `json:"what"`
}

// Prices records the price constants used and where they come from.
type Prices struct {
	Taken  string       `json:"taken"`
	Region string       `json:"region"`
	Items  []price.Item `json:"items"`
}

// Target is one goal and how the run did.
type Target struct {
	Name     string `json:"name"`
	Goal     string `json:"goal"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
	Why      string `json:"why,omitempty"`
}
