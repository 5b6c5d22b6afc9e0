// Command bench is zohosync's load and cost benchmark (`make bench`). It
// runs the local stack's pieces in this process, wired exactly as in AWS
// through shared/app: the front door (HTTP on 127.0.0.1) in front of the
// ingest function, DynamoDB Local and fauxqs with template.yaml's table and
// queues, the SQS event source mapping (infra/local/poller) with the
// template's batch size, batching window and maximum concurrency in front of
// the sync function, and infra/zohosim with a latency model and the
// config's edition limits. Each function runs as a pool of containers that
// grows like Lambda's, each container built through shared/app as a
// deployed function builds itself.
//
// For every scenario (a steady mixed stream, a burst of 10,000, sparse
// mixed modules, dependent Contact+Deal chains) it generates webhooks from
// testdata/webhooks with varied ids and addresses (infra/bench/stream),
// posts them signed, waits until every record is in the simulated CRM, and
// then sends the same events the naive way (infra/bench/naive: one Zoho call
// per event) to an identical simulator. It counts AWS requests with a
// middleware on the SDK clients (infra/bench/awscount) and prices them
// (infra/bench/price), measures bootstrap sizes and cold init under the
// Lambda runtime interface emulator, runs the Go micro benchmarks, and
// writes docs/BENCHMARKS.md and docs/benchmarks.json.
//
// DynamoDB Local listens on every interface: run it inside the project's
// private network namespace, as `make bench` does
// (infra/local/netns.sh go run ./infra/bench).
package main
