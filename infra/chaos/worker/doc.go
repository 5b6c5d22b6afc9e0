// Package worker runs the sync side of the fault run in its own process, so
// the run can SIGKILL it mid-batch like a Lambda sandbox that dies: the
// events-queue poller (infra/local/poller, the event source mapping) in
// front of the real sync handler, built through shared/app with the run's
// short timeouts, leases and backoffs.
//
// The child (Main, Run) tells its parent on a control pipe (file descriptor
// 3, one JSON Message per line) when it is ready, when a batch starts and
// ends, and every result the sync handler settles (its OnResult hook). Its
// logs and metrics go to stdout. The parent side (Spawn, Proc) starts a
// child, follows its control pipe, and stops or kills it by process id.
package worker
