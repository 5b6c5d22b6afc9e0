// Package awscount counts the AWS requests zohosync's functions make, with a
// middleware on the SDK clients (aws.Config.APIOptions), so the benchmark's
// cost figures come from what was sent, not from a guess.
//
// Per service and operation it counts requests and failures; for DynamoDB it
// asks each request for its consumed capacity (ReturnConsumedCapacity TOTAL)
// and adds the read and write request units the answer reports; for SQS it
// adds the payload bytes (message bodies and attributes sent or received)
// and the billable 64 KB chunks.
//
// A request that fails reports no capacity. Failed writes (a conditional
// check that did not hold, a cancelled transaction) still consume write
// units in DynamoDB, so they are estimated — one unit per item, two per
// transactional item — and kept apart (EstimatedWriteUnits) so the report
// can say how much of the figure is an estimate.
package awscount
