// Package lambdaemu invokes zohosync's functions locally the way Lambda
// does: a JSON payload in, a JSON payload out, with a Lambda context
// (request id, function ARN) and a deadline set from the function's timeout.
//
// Two kinds of Invoker exist. InProcess calls a Go handler in this process
// (the local stack and the tests use it, so several invocations can run at
// once, as in Lambda). RIE runs a built bootstrap under the Lambda runtime
// interface emulator on 127.0.0.1 and posts payloads to it, one at a time,
// because the emulator crashes on a second concurrent invoke.
//
// A handler's returned error or panic becomes a *FunctionError, shaped like
// the error payload Lambda itself returns.
package lambdaemu
