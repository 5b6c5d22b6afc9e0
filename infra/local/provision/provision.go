// Package provision creates the state table and the queues of template.yaml
// in the local emulators, so the local stack and the tests use exactly what
// `sam deploy` creates in AWS: same keys, index, TTL attribute, queue
// attributes and redrive policy.
//
// It reads the template's raw YAML (CloudFormation short tags such as !Ref and
// !GetAtt included), resolves parameter references to their defaults (or to
// overrides) and translates AWS::DynamoDB::Table and AWS::SQS::Queue resources
// into CreateTable / CreateQueue calls.
package provision

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"gopkg.in/yaml.v3"
)

// Template is the part of template.yaml that provisioning needs.
type Template struct {
	params    map[string]string
	resources map[string]*yaml.Node // logical id -> resource mapping node
	types     map[string]string     // logical id -> Type
}

// Load reads and parses a template file.
func Load(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	return Parse(b)
}

// Parse parses template YAML.
func Parse(b []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("parse template: empty document")
	}
	root := doc.Content[0]
	t := &Template{params: map[string]string{}, resources: map[string]*yaml.Node{}, types: map[string]string{}}
	if p := mapGet(root, "Parameters"); p != nil {
		for i := 0; i+1 < len(p.Content); i += 2 {
			if d := mapGet(p.Content[i+1], "Default"); d != nil {
				t.params[p.Content[i].Value] = d.Value
			}
		}
	}
	res := mapGet(root, "Resources")
	if res == nil {
		return nil, errors.New("parse template: no Resources")
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		id, node := res.Content[i].Value, res.Content[i+1]
		t.resources[id] = node
		if ty := mapGet(node, "Type"); ty != nil {
			t.types[id] = ty.Value
		}
	}
	return t, nil
}

// SetParam overrides a parameter's default.
func (t *Template) SetParam(name, value string) { t.params[name] = value }

// Resources returns the logical ids of resources of the given type, sorted.
func (t *Template) Resources(typ string) []string {
	var ids []string
	for id, ty := range t.types {
		if ty == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Names maps logical ids to the physical names created locally.
type Names struct {
	Tables    map[string]string // logical id -> table name
	QueueURLs map[string]string // logical id -> queue URL
	QueueARNs map[string]string // logical id -> queue ARN
}

// Apply creates every table and queue of the template, named
// prefix + "-" + logical id. Queues are created dead-letter targets first.
// Existing tables and queues are reused.
func (t *Template) Apply(ctx context.Context, ddb *dynamodb.Client, q *sqs.Client, prefix string) (*Names, error) {
	n := &Names{Tables: map[string]string{}, QueueURLs: map[string]string{}, QueueARNs: map[string]string{}}
	for _, id := range t.Resources("AWS::DynamoDB::Table") {
		name := prefix + "-" + id
		if err := t.CreateTable(ctx, ddb, id, name); err != nil {
			return nil, err
		}
		n.Tables[id] = name
	}
	queues := t.Resources("AWS::SQS::Queue")
	// Create queues whose redrive target does not exist yet last.
	for pending := queues; len(pending) > 0; {
		var next []string
		for _, id := range pending {
			if dep := t.redriveTarget(id); dep != "" && n.QueueARNs[dep] == "" {
				next = append(next, id)
				continue
			}
			url, arn, err := t.CreateQueue(ctx, q, id, prefix+"-"+id, n.QueueARNs)
			if err != nil {
				return nil, err
			}
			n.QueueURLs[id], n.QueueARNs[id] = url, arn
		}
		if len(next) == len(pending) {
			return nil, fmt.Errorf("queues %v: redrive targets form a cycle or are missing", next)
		}
		pending = next
	}
	return n, nil
}

// CreateTable creates the table resource id as name, with its keys, global
// secondary indexes and TTL.
func (t *Template) CreateTable(ctx context.Context, ddb *dynamodb.Client, id, name string) error {
	props := mapGet(t.resources[id], "Properties")
	if props == nil {
		return fmt.Errorf("table %s: no Properties", id)
	}
	in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: ddbtypes.BillingModePayPerRequest}
	for _, a := range seq(mapGet(props, "AttributeDefinitions")) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, ddbtypes.AttributeDefinition{
			AttributeName: aws.String(t.str(mapGet(a, "AttributeName"))),
			AttributeType: ddbtypes.ScalarAttributeType(t.str(mapGet(a, "AttributeType"))),
		})
	}
	in.KeySchema = t.keySchema(mapGet(props, "KeySchema"))
	for _, g := range seq(mapGet(props, "GlobalSecondaryIndexes")) {
		proj := ddbtypes.ProjectionTypeAll
		if p := mapGet(g, "Projection"); p != nil {
			if pt := mapGet(p, "ProjectionType"); pt != nil {
				proj = ddbtypes.ProjectionType(t.str(pt))
			}
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName:  aws.String(t.str(mapGet(g, "IndexName"))),
			KeySchema:  t.keySchema(mapGet(g, "KeySchema")),
			Projection: &ddbtypes.Projection{ProjectionType: proj},
		})
	}
	if _, err := ddb.CreateTable(ctx, in); err != nil {
		var inUse *ddbtypes.ResourceInUseException
		if !errors.As(err, &inUse) {
			return fmt.Errorf("create table %s: %w", name, err)
		}
	}
	if ttl := mapGet(props, "TimeToLiveSpecification"); ttl != nil && t.str(mapGet(ttl, "Enabled")) == "true" {
		_, err := ddb.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName: aws.String(name),
			TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{
				AttributeName: aws.String(t.str(mapGet(ttl, "AttributeName"))),
				Enabled:       aws.Bool(true),
			},
		})
		if err != nil && !strings.Contains(err.Error(), "already enabled") {
			return fmt.Errorf("enable TTL on %s: %w", name, err)
		}
	}
	return nil
}

func (t *Template) keySchema(n *yaml.Node) []ddbtypes.KeySchemaElement {
	var ks []ddbtypes.KeySchemaElement
	for _, k := range seq(n) {
		ks = append(ks, ddbtypes.KeySchemaElement{
			AttributeName: aws.String(t.str(mapGet(k, "AttributeName"))),
			KeyType:       ddbtypes.KeyType(t.str(mapGet(k, "KeyType"))),
		})
	}
	return ks
}

// queueAttrs lists the queue properties that map one to one onto
// CreateQueue attributes.
var queueAttrs = []string{"DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
	"ReceiveMessageWaitTimeSeconds", "VisibilityTimeout"}

// CreateQueue creates the queue resource id as name. arns resolves
// !GetAtt <queue>.Arn in its RedrivePolicy.
func (t *Template) CreateQueue(ctx context.Context, q *sqs.Client, id, name string, arns map[string]string) (url, arn string, err error) {
	props := mapGet(t.resources[id], "Properties")
	attrs := map[string]string{}
	for _, a := range queueAttrs {
		if v := mapGet(props, a); v != nil {
			attrs[a] = t.str(v)
		}
	}
	if rp := mapGet(props, "RedrivePolicy"); rp != nil {
		target := t.redriveTarget(id)
		max := t.str(mapGet(rp, "maxReceiveCount"))
		if _, err := strconv.Atoi(max); err != nil {
			return "", "", fmt.Errorf("queue %s: maxReceiveCount %q is not a number", id, max)
		}
		attrs["RedrivePolicy"] = fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":%s}`, arns[target], max)
	}
	out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		return "", "", fmt.Errorf("create queue %s: %w", name, err)
	}
	ga, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		return "", "", fmt.Errorf("queue %s ARN: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), ga.Attributes["QueueArn"], nil
}

// redriveTarget returns the logical id of a queue's dead-letter target.
func (t *Template) redriveTarget(id string) string {
	rp := mapGet(mapGet(t.resources[id], "Properties"), "RedrivePolicy")
	if rp == nil {
		return ""
	}
	n := mapGet(rp, "deadLetterTargetArn")
	if n == nil {
		return ""
	}
	switch {
	case n.Tag == "!GetAtt" && n.Kind == yaml.ScalarNode:
		return strings.TrimSuffix(n.Value, ".Arn")
	case n.Tag == "!GetAtt" && n.Kind == yaml.SequenceNode && len(n.Content) > 0:
		return n.Content[0].Value
	case n.Kind == yaml.MappingNode:
		if ga := mapGet(n, "Fn::GetAtt"); ga != nil {
			if ga.Kind == yaml.SequenceNode && len(ga.Content) > 0 {
				return ga.Content[0].Value
			}
			return strings.TrimSuffix(ga.Value, ".Arn")
		}
	}
	return ""
}

// str resolves a scalar, following !Ref / {Ref: } to parameter values.
func (t *Template) str(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if n.Tag == "!Ref" {
		return t.params[n.Value]
	}
	if n.Kind == yaml.MappingNode {
		if r := mapGet(n, "Ref"); r != nil {
			return t.params[r.Value]
		}
	}
	return n.Value
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// Param returns a parameter's value: its override or its default.
func (t *Template) Param(name string) string { return t.params[name] }

// Property returns the text of a scalar under a resource's Properties,
// following !Ref to parameters: Property("SyncFunction", "Timeout").
func (t *Template) Property(id string, path ...string) string {
	n := mapGet(t.resources[id], "Properties")
	for _, p := range path {
		n = mapGet(n, p)
	}
	return t.str(n)
}
