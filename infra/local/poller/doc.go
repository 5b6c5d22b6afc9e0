// Package poller plays Lambda's SQS event source mapping for the local
// stack: it long-polls the events queue, gathers batches the way the
// template's mapping does (BatchSize, MaximumBatchingWindowInSeconds, a
// 6 MB payload cap), invokes the sync function with an events.SQSEvent
// built from the real messages (message ids, receipt handles, every system
// attribute such as ApproximateReceiveCount and SentTimestamp, message
// attributes, the queue ARN), and then applies ReportBatchItemFailures:
// every message not listed in batchItemFailures is deleted; a function
// error, panic or timeout, or a response Lambda would call invalid, leaves
// the whole batch on the queue to come back after its visibility timeout.
//
// Up to MaxConcurrency batches are in flight at once (ScalingConfig's
// MaximumConcurrency). Unlike Lambda, the number of pollers does not scale
// with the backlog: MaxConcurrency workers poll all the time.
package poller
