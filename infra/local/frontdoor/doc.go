// Package frontdoor is the local stand-in for the API Gateway HTTP API in
// front of the ingest function: an HTTP server (127.0.0.1 only) with one
// route, POST /hooks/{source}, that turns each request into an HTTP API
// payload-format-2.0 event, invokes the function with it and writes the
// function's response back.
//
// What it reproduces: header names lower-cased and repeated headers joined
// with commas; cookies moved to the cookies field; query parameters;
// pathParameters.source; requestContext with http method, path, protocol,
// sourceIp, userAgent, requestId, time and timeEpoch; bodies that are not
// text base64-encoded with isBase64Encoded set (text means text/*, JSON,
// XML, JavaScript or YAML media types holding valid UTF-8); the 10 MB
// payload limit (413); 404 for any other route; 500 when the function
// fails; base64 response bodies decoded; cookies set from the response.
package frontdoor
