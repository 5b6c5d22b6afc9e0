// Command ingest is zohosync's webhook Lambda, behind an API Gateway HTTP
// API (POST /hooks/{source}) or a Lambda Function URL. It is wiring only:
// shared/app builds the handler (shared/ingest) the same way the local
// stack does.
//
// Environment:
//
//	ZOHOSYNC_CONFIG            the config: a file path, "ssm:/name" (an SSM
//	                           parameter holding the YAML) or "bundled" (the
//	                           default): config/zohosync.yaml beside the
//	                           binary, or zohosync.yaml beside it, where
//	                           `make build` and `sam build` put it
//	ZOHOSYNC_TABLE             the state table (delivery claims, large bodies)
//	ZOHOSYNC_EVENTS_QUEUE_URL  the events queue
//	ZOHOSYNC_LOG_LEVEL         debug, info (default), warn or error
//	ZOHOSYNC_DEFAULT_*         org defaults, see config.ApplyDefaults
//
// AWS endpoints and credentials come from the standard SDK settings, so
// AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_SQS point a local run at
// emulators. Everything - config, secrets, verifiers, clients - is built
// once at cold start, which emits the ColdStart metric; a failure there is
// logged once and the process exits non-zero.
package main
