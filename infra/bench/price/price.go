package price

import "math"

// Taken is the date the prices below were read.
const Taken = "2026-12-04"

// us-east-1 list prices in US dollars.
const (
	// LambdaRequestsPerMillion is the Lambda request charge, the same for
	// arm64 and x86_64. Sources: https://aws.amazon.com/lambda/pricing/ as
	// summarised in https://cloudchipr.com/blog/aws-lambda-pricing and
	// https://git.mcrn.ar/mariano/lambda_local_runner/src/branch/main/docs/lambdas-md/lambda-13-cost.md
	LambdaRequestsPerMillion = 0.20
	// LambdaArmGBSecond is the arm64 duration charge for the first 7.5
	// billion GB-s a month, billed per 1 ms. Same sources.
	LambdaArmGBSecond = 0.0000133334
	// SQSStandardPerMillion is the standard-queue request charge (first 100
	// billion requests a month); each 64 KB chunk of a request's payload
	// counts as one request. Sources: https://aws.amazon.com/sqs/pricing/ as
	// summarised in https://cloudburn.io/blog/amazon-sqs-pricing (March 2026)
	// and https://unanswered.io/guide/aws-sqs-pricing-and-cost-optimization
	SQSStandardPerMillion = 0.40
	// SQSChunkBytes is the payload size billed as one SQS request.
	SQSChunkBytes = 64 << 10
	// DynamoWritePerMillion and DynamoReadPerMillion are on-demand write and
	// read request unit prices (after the November 2024 reduction). Source:
	// https://airbyte.com/data-engineering-resources/dynamodb-pricing (US
	// East); unit definitions from https://aws.amazon.com/dynamodb/pricing/on-demand/
	DynamoWritePerMillion = 0.625
	DynamoReadPerMillion  = 0.125
	// HTTPAPIPerMillion is the API Gateway HTTP API request charge for the
	// first 300 million requests a month, metered in 512 KB increments.
	// Source: AWS whitepaper "Best Practices for Designing Amazon API Gateway
	// Private APIs and Private Integration", Cost optimization, Table 4
	// (https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html)
	HTTPAPIPerMillion = 1.00
	// HTTPAPIChunkBytes is the request size billed as one HTTP API request.
	HTTPAPIChunkBytes = 512 << 10
	// FunctionURLPerMillion: a Lambda function URL has no charge of its own;
	// only the function's invocation is billed. Source:
	// https://dev.to/elifapaydin/fine-details-of-aws-lambda-function-url-feature-21kn
	FunctionURLPerMillion = 0
	// LogsIngestPerGB is CloudWatch Logs ingestion, Standard log class.
	// Sources: https://aws.amazon.com/cloudwatch/pricing/ as summarised in
	// https://c3x.dev/blog/cloudwatch-logs-cost-optimization and
	// https://hykell.com/knowledge-base/aws-cloudwatch-logs-pricing
	LogsIngestPerGB = 0.50
)

// Usage is what a run consumed.
type Usage struct {
	// Events is the number of webhooks the usage is for.
	Events int `json:"events"`
	// LambdaRequests counts function invocations.
	LambdaRequests int `json:"lambda_requests"`
	// GBSeconds is the billed duration (rounded up to 1 ms per invocation)
	// times configured memory.
	GBSeconds float64 `json:"gb_seconds"`
	// SQSRequests are billable SQS requests (64 KB chunks).
	SQSRequests int `json:"sqs_requests"`
	// WriteUnits and ReadUnits are DynamoDB request units.
	WriteUnits float64 `json:"dynamodb_write_units"`
	ReadUnits  float64 `json:"dynamodb_read_units"`
	// HTTPAPIRequests are billable HTTP API requests (512 KB chunks), had
	// the webhooks come through API Gateway.
	HTTPAPIRequests int `json:"http_api_requests"`
	// LogBytes is what the functions wrote to CloudWatch Logs.
	LogBytes int64 `json:"log_bytes"`
}

// Bill is a cost in dollars per million events, split by line item.
type Bill struct {
	LambdaRequests float64 `json:"lambda_requests"`
	LambdaDuration float64 `json:"lambda_duration"`
	SQS            float64 `json:"sqs"`
	DynamoWrites   float64 `json:"dynamodb_writes"`
	DynamoReads    float64 `json:"dynamodb_reads"`
	Logs           float64 `json:"cloudwatch_logs"`
	// FunctionURL is the front door's own charge with a function URL (0);
	// HTTPAPI what an API Gateway HTTP API would add instead.
	FunctionURL float64 `json:"function_url"`
	HTTPAPI     float64 `json:"http_api"`
}

// Total is the bill with the function URL front door.
func (b Bill) Total() float64 {
	return b.LambdaRequests + b.LambdaDuration + b.SQS + b.DynamoWrites + b.DynamoReads + b.Logs + b.FunctionURL
}

// TotalHTTPAPI is the bill with the HTTP API front door instead.
func (b Bill) TotalHTTPAPI() float64 { return b.Total() - b.FunctionURL + b.HTTPAPI }

// PerMillion prices u and scales it to one million events. Usage without
// events prices to the zero Bill.
func PerMillion(u Usage) Bill {
	if u.Events <= 0 {
		return Bill{}
	}
	scale := 1e6 / float64(u.Events)
	perM := func(n float64, price float64) float64 { return n / 1e6 * price * scale }
	return Bill{
		LambdaRequests: perM(float64(u.LambdaRequests), LambdaRequestsPerMillion),
		LambdaDuration: u.GBSeconds * LambdaArmGBSecond * scale,
		SQS:            perM(float64(u.SQSRequests), SQSStandardPerMillion),
		DynamoWrites:   perM(u.WriteUnits, DynamoWritePerMillion),
		DynamoReads:    perM(u.ReadUnits, DynamoReadPerMillion),
		Logs:           float64(u.LogBytes) / 1e9 * LogsIngestPerGB * scale,
		FunctionURL:    perM(float64(u.Events), FunctionURLPerMillion),
		HTTPAPI:        perM(float64(u.HTTPAPIRequests), HTTPAPIPerMillion),
	}
}

// Chunks returns how many billing units a payload of n bytes is, at the
// given unit size: at least one.
func Chunks(n int64, unit int64) int {
	if n <= 0 {
		return 1
	}
	return int(math.Ceil(float64(n) / float64(unit)))
}

// GBSeconds returns the billed GB-seconds of one invocation: its duration
// rounded up to the millisecond, times memory in MB / 1024.
func GBSeconds(durationNanos int64, memoryMB int) float64 {
	ms := math.Ceil(float64(durationNanos) / 1e6)
	return ms / 1000 * float64(memoryMB) / 1024
}

// Item is one price with where it was read.
type Item struct {
	Name   string  `json:"name"`
	Price  float64 `json:"price"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
}

// Items lists every price used, for the report.
func Items() []Item {
	return []Item{
		{"Lambda requests", LambdaRequestsPerMillion, "per million", "https://aws.amazon.com/lambda/pricing/ via https://cloudchipr.com/blog/aws-lambda-pricing"},
		{"Lambda duration, arm64", LambdaArmGBSecond, "per GB-s", "https://aws.amazon.com/lambda/pricing/ via https://cloudchipr.com/blog/aws-lambda-pricing"},
		{"SQS standard requests", SQSStandardPerMillion, "per million 64 KB chunks", "https://aws.amazon.com/sqs/pricing/ via https://cloudburn.io/blog/amazon-sqs-pricing"},
		{"DynamoDB on-demand writes", DynamoWritePerMillion, "per million write request units", "https://airbyte.com/data-engineering-resources/dynamodb-pricing"},
		{"DynamoDB on-demand reads", DynamoReadPerMillion, "per million read request units", "https://airbyte.com/data-engineering-resources/dynamodb-pricing"},
		{"API Gateway HTTP API", HTTPAPIPerMillion, "per million 512 KB requests", "https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html"},
		{"Lambda function URL", FunctionURLPerMillion, "per million", "https://dev.to/elifapaydin/fine-details-of-aws-lambda-function-url-feature-21kn"},
		{"CloudWatch Logs ingestion", LogsIngestPerGB, "per GB", "https://aws.amazon.com/cloudwatch/pricing/ via https://c3x.dev/blog/cloudwatch-logs-cost-optimization"},
	}
}
