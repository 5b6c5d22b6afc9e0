package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/zohosync/zohosync/infra/zohosim"
)

type options struct {
	listen, config, dc, edition, latency   string
	clientID, clientSecret, refresh, scope string
	allDCs                                 bool
	users                                  int
	tokenTTL                               time.Duration
}

func parseFlags(args []string, out io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("zohosim", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:9090", "loopback address of the single data centre")
	fs.StringVar(&o.config, "config", "", "YAML or JSON config file (see infra/zohosim/README.md)")
	fs.StringVar(&o.dc, "dc", "", "data centre served on -listen (default: the config's only one, else us)")
	fs.BoolVar(&o.allDCs, "all-dcs", false, "serve every data centre on free loopback ports (ignores -listen and -dc)")
	fs.StringVar(&o.edition, "edition", "", "free, standard, professional, enterprise or ultimate")
	fs.IntVar(&o.users, "users", 0, "licensed users in the credit formula")
	fs.StringVar(&o.latency, "latency", "", "write latency: fixed:50ms, uniform:10ms-90ms or lognormal:80ms,900ms")
	fs.DurationVar(&o.tokenTTL, "access-token-ttl", 0, "access token lifetime (default 1h)")
	fs.StringVar(&o.clientID, "client-id", "", "OAuth client to register in the data centre")
	fs.StringVar(&o.clientSecret, "client-secret", "", "secret of -client-id")
	fs.StringVar(&o.refresh, "refresh-token", "", "refresh token to seed for -client-id")
	fs.StringVar(&o.scope, "scope", "", "scope of the seeded refresh token")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	return o, nil
}

// run builds the simulator from flags and the config file, serves until ctx
// ends and prints each data centre's URL to out.
func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	cfg, err := buildConfig(o)
	if err != nil {
		return err
	}
	sim, err := zohosim.New(cfg)
	if err != nil {
		return err
	}
	srv, err := sim.Start()
	if err != nil {
		return err
	}
	defer srv.Close()
	for _, dc := range srv.DataCenters() {
		fmt.Fprintf(out, "zohosim: dc=%s accounts=%s api=%s control=%s/__sim/\n", dc, srv.AccountsURL(dc), srv.APIURL(dc), srv.APIURL(dc))
	}
	<-ctx.Done()
	return nil
}

func buildConfig(o options) (zohosim.Config, error) {
	var cfg zohosim.Config
	if o.config != "" {
		c, err := zohosim.LoadConfig(o.config)
		if err != nil {
			return cfg, err
		}
		cfg = c
	}
	if o.edition != "" {
		cfg.Edition = o.edition
	}
	if o.users > 0 {
		cfg.Users = o.users
	}
	if o.tokenTTL > 0 {
		cfg.AccessTokenTTL = o.tokenTTL
	}
	if o.latency != "" {
		l, err := parseLatency(o.latency)
		if err != nil {
			return cfg, err
		}
		cfg.Latency.Write = l
	}
	dc := pickDC(o, cfg)
	if !o.allDCs {
		cfg.DataCenters = []string{dc}
		cfg.Listen = map[string]string{dc: o.listen}
	}
	if o.clientID != "" {
		if o.clientSecret == "" {
			return cfg, errors.New("-client-id needs -client-secret")
		}
		cfg.Clients = append(cfg.Clients, zohosim.ClientSeed{DC: dc, ClientID: o.clientID,
			ClientSecret: o.clientSecret, RefreshToken: o.refresh, Scope: o.scope})
	}
	return cfg, nil
}

func pickDC(o options, cfg zohosim.Config) string {
	switch {
	case o.dc != "":
		return o.dc
	case len(cfg.DataCenters) == 1:
		return cfg.DataCenters[0]
	}
	return "us"
}
