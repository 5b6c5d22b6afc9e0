package lambdaemu

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Invoker runs one function invocation.
type Invoker interface {
	// Invoke hands payload to the function and returns its response
	// payload. A failure of the function itself is a *FunctionError; other
	// errors mean the invocation did not happen or its answer was lost.
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// FunctionError is a function's failure as Lambda reports it: the handler
// returned an error, panicked or timed out.
type FunctionError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
	// Panic reports a recovered panic (Lambda answers those with 502 through
	// the RIE).
	Panic bool `json:"-"`
}

func (e *FunctionError) Error() string {
	return "function error " + e.Type + ": " + e.Message
}

// AccountID and Region are what the local stack pretends to run in.
const (
	AccountID = "000000000000"
	Region    = "us-east-1"
)

// FunctionARN returns the ARN a function of that name would have.
func FunctionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", Region, AccountID, name)
}

// InProcess is a Go handler invoked in this process. It is safe for
// concurrent use when the handler is.
type InProcess[In, Out any] struct {
	Name    string
	Timeout time.Duration
	Handler func(context.Context, In) (Out, error)
}

// NewInProcess returns an in-process function. A zero timeout means 15 s.
func NewInProcess[In, Out any](name string, timeout time.Duration, h func(context.Context, In) (Out, error)) *InProcess[In, Out] {
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	return &InProcess[In, Out]{Name: name, Timeout: timeout, Handler: h}
}

// Invoke decodes payload into the handler's event type as Lambda's Go
// runtime does, calls the handler with a Lambda context and a deadline, and
// encodes its response. When the deadline passes first, Invoke answers
// with a timeout error as Lambda does; the handler's goroutine cannot be
// killed and finishes in the background.
func (f *InProcess[In, Out]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var in In
	if err := json.Unmarshal(payload, &in); err != nil {
		return nil, &FunctionError{Type: "Runtime.UnmarshalError", Message: err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, f.Timeout)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       NewRequestID(),
		InvokedFunctionArn: FunctionARN(f.Name),
	})
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := f.call(ctx, in)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &FunctionError{Type: "Sandbox.Timedout",
				Message: fmt.Sprintf("Task timed out after %.2f seconds", f.Timeout.Seconds())}
		}
		return nil, ctx.Err()
	}
}

func (f *InProcess[In, Out]) call(ctx context.Context, in In) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, &FunctionError{Type: "Runtime.Panic", Panic: true,
				Message: fmt.Sprintf("%v\n%s", p, debug.Stack())}
		}
	}()
	resp, err := f.Handler(ctx, in)
	if err != nil {
		return nil, &FunctionError{Type: errorType(err), Message: err.Error()}
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, &FunctionError{Type: "Runtime.MarshalError", Message: err.Error()}
	}
	return b, nil
}

// errorType names an error's type the way aws-lambda-go does: the type
// name without its package or pointer.
func errorType(err error) string {
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// NewRequestID returns a random id shaped like a Lambda request id.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand crashes the program instead
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
