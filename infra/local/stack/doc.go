// Package stack assembles zohosync's local stack, wired as in AWS: the
// emulators (DynamoDB Local, fauxqs), the table and queues of template.yaml,
// the front door on 127.0.0.1 in front of the ingest function, and the
// event source mapping (poller) in front of the sync function, with the
// template's batch size, batching window and maximum concurrency.
//
// The functions are lambdaemu.Invokers chosen by the caller: the real
// handlers in process (cmd/localstack), bootstraps under the RIE, or
// stand-ins in tests. Tracker follows each posted webhook from the front
// door's answer to the sync results and prints what became of it.
package stack
