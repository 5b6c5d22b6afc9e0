package faultrun

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/infra/chaos/gen"
	"github.com/zohosync/zohosync/infra/chaos/tap"
	"github.com/zohosync/zohosync/infra/local/frontdoor"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/samples"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/admin"
	"github.com/zohosync/zohosync/shared/app"
	"github.com/zohosync/zohosync/shared/obs"
)

// The run's org, data centre and self-client. The client secret is one of
// the secrets the logs must never show.
const (
	org          = "acme"
	dataCenter   = "us"
	clientID     = "1000.CHAOSRUNCLIENT"
	clientSecret = "chaos-run-client-secret-5e1f0c"
	scope        = "ZohoCRM.modules.ALL,ZohoCRM.composite_requests.CUSTOM"
	// The simulated org: an Ultimate edition with enough users that a
	// 100,000-event run stays within its daily credits.
	edition = "ultimate"
	users   = 1000
)

// stage is everything a run sets up before it posts.
type stage struct {
	st      *stack.Stack
	sim     *zohosim.Sim
	simSrv  *zohosim.Server
	tap     *tap.Tap
	rt      *app.Runtime
	front   *http.Server
	url     string // front door
	env     map[string]string
	fnLog   *os.File
	secrets []string // values the logs must not show, known up front
	closers []func()
}

// setUp starts everything, connects the org and opens the front door.
func setUp(ctx context.Context, o Options) (s *stage, err error) {
	s = &stage{}
	defer func() {
		if err != nil {
			s.close()
			s = nil
		}
	}()
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := s.startStack(ctx, o); err != nil {
		return nil, err
	}
	if err := s.startZoho(o); err != nil {
		return nil, err
	}
	if err := s.writeEnv(o); err != nil {
		return nil, err
	}
	if err := s.startFunctions(ctx, o); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *stage) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
}

// startStack brings up the emulators (unless given) with template.yaml's
// table and queues under a fresh prefix, and shortens the events queue's
// visibility timeout.
func (s *stage) startStack(ctx context.Context, o Options) error {
	st, err := stack.Up(ctx, stack.Options{Root: o.Root, Emulators: o.Emulators,
		Prefix: fmt.Sprintf("chaos%d-%d", o.Seed, time.Now().UnixNano()%1e6), LogDir: filepath.Join(o.Dir, "emulators")})
	if err != nil {
		return err
	}
	s.st = st
	s.closers = append(s.closers, st.Down)
	_, err = st.SQS.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(s.queueURL()),
		Attributes: map[string]string{"VisibilityTimeout": strconv.Itoa(int(o.Timing.Visibility / time.Second))}})
	if err != nil {
		return fmt.Errorf("shorten the visibility timeout: %w", err)
	}
	return nil
}

func (s *stage) queueURL() string { return s.st.Names.QueueURLs["EventsQueue"] }
func (s *stage) dlqURL() string   { return s.st.Names.QueueURLs["EventsDLQ"] }

// startZoho starts the simulator and the tap in front of it.
func (s *stage) startZoho(o Options) error {
	// Access tokens live ten minutes, so a long run also refreshes them as
	// they expire (at most two mints per ten minutes, with the auth store's
	// margin of half a short lifetime), besides the invalidations.
	sim, err := zohosim.New(zohosim.Config{Edition: edition, Users: users, DataCenters: []string{dataCenter},
		SchemaFiles:    []string{filepath.Join(o.Root, "config", "zoho-custom-fields.json")},
		AccessTokenTTL: 10 * time.Minute, Seed: o.Seed + 1, LogLimit: -1})
	if err != nil {
		return err
	}
	srv, err := sim.Start()
	if err != nil {
		return err
	}
	s.sim, s.simSrv = sim, srv
	s.closers = append(s.closers, func() { srv.Close() })
	if s.tap, err = tap.Start(srv.AccountsURL(dataCenter), gen.RecordKey); err != nil {
		return err
	}
	s.closers = append(s.closers, func() { s.tap.Close() })
	return sim.AddClient(dataCenter, clientID, clientSecret)
}

// writeEnv writes the run's config and the functions' environment: the
// template's, plus the config, the self-client and the signing secrets the
// config refers to.
func (s *stage) writeEnv(o Options) error {
	cfg, err := writeConfig(o.Root, o.Dir, s.tap.URL())
	if err != nil {
		return err
	}
	s.env = s.st.FunctionEnv()
	s.env["ZOHOSYNC_CONFIG"] = cfg
	s.env["ZOHOSYNC_LOG_LEVEL"] = "info"
	s.env["AWS_EC2_METADATA_DISABLED"] = "true"
	s.env["ZOHO_CLIENT_ID"], s.env["ZOHO_CLIENT_SECRET"] = clientID, clientSecret
	s.secrets = append(s.secrets, clientSecret)
	sets, err := samples.LoadAll(o.Root)
	if err != nil {
		return err
	}
	for _, set := range sets {
		s.env[strings.ToUpper(set.Source)+"_SIGNING_SECRET"] = set.Secret
		s.secrets = append(s.secrets, set.Secret)
	}
	return stack.SetEnv(s.env)
}

// workerEnv is a worker's whole environment: the functions' settings and
// little else, so no credential of the machine reaches it.
func (s *stage) workerEnv(o Options) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + o.Dir, "TMPDIR=" + os.TempDir()}
	for k, v := range s.env {
		out = append(out, k+"="+v)
	}
	return append(out, o.WorkerEnv...)
}

// startFunctions builds the runtime in process, connects the org through
// the admin function and opens the front door in front of ingest.
func (s *stage) startFunctions(ctx context.Context, o Options) error {
	f, err := os.Create(filepath.Join(o.Dir, "functions.log"))
	if err != nil {
		return err
	}
	s.fnLog = f
	s.closers = append(s.closers, func() { f.Close() })
	settings := app.FromEnv()
	rt, err := app.Start(ctx, settings, obs.NewLogger(f, settings.LogLevel))
	if err != nil {
		return err
	}
	rt.Metrics = f
	s.rt = rt
	if err := s.connect(ctx); err != nil {
		return err
	}
	in, err := rt.Ingest(ctx)
	if err != nil {
		return err
	}
	fd := &frontdoor.Server{Function: lambdaemu.NewInProcess("ingest", 10*time.Second, in.Handle)}
	srv, ln, err := fd.Listen("127.0.0.1:0")
	if err != nil {
		return err
	}
	s.front, s.url = srv, "http://"+ln.Addr().String()
	s.closers = append(s.closers, func() { srv.Close() })
	return nil
}

// connect exchanges a grant code through the admin function, as a user
// connects an org.
func (s *stage) connect(ctx context.Context) error {
	ad, err := s.rt.Admin()
	if err != nil {
		return err
	}
	code := s.sim.GrantCode(dataCenter, clientID, scope)
	if code == "" {
		return errors.New("the simulator issued no grant code")
	}
	s.secrets = append(s.secrets, code)
	if _, err := ad.Handle(ctx, admin.Request{Action: "connect", Org: org, GrantCode: code}); err != nil {
		return fmt.Errorf("connect org %s: %w", org, err)
	}
	return nil
}
