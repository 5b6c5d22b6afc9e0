package deploy

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// Resources named in the expected grants.
const (
	table     = "getatt:StateTable.Arn"
	index     = "sub:${StateTable.Arn}/index/gsi1"
	key       = "getatt:StateKey.Arn"
	queue     = "getatt:EventsQueue.Arn"
	dlq       = "getatt:EventsDLQ.Arn"
	params    = "sub:arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/zohosync/*"
	secrets   = "sub:arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:zohosync/*"
	tableKeys = "kms:Decrypt kms:DescribeKey kms:Encrypt kms:GenerateDataKey"
	config    = "ssm:GetParameter ssm:GetParameters"
)

// wantGrants is the one list of what each function may do. A change to a
// role in template.yaml must be made here too, which is the point.
var wantGrants = map[string]map[string]string{ // role -> resource -> actions
	"IngestRole": {
		"getatt:IngestLogs.Arn": "logs:CreateLogStream logs:PutLogEvents",
		table:                   "dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:UpdateItem",
		key:                     tableKeys,
		queue:                   "sqs:SendMessage",
		params:                  config,
		secrets:                 "secretsmanager:GetSecretValue",
	},
	"SyncRole": {
		"getatt:SyncLogs.Arn": "logs:CreateLogStream logs:PutLogEvents",
		table: "dynamodb:BatchGetItem dynamodb:ConditionCheckItem dynamodb:DeleteItem dynamodb:GetItem " +
			"dynamodb:PutItem dynamodb:Query dynamodb:TransactWriteItems dynamodb:UpdateItem",
		index:   "dynamodb:Query",
		key:     tableKeys,
		queue:   "sqs:ChangeMessageVisibility sqs:DeleteMessage sqs:GetQueueAttributes sqs:ReceiveMessage sqs:SendMessage",
		params:  config,
		secrets: "secretsmanager:GetSecretValue",
	},
	"RefreshRole": {
		"getatt:RefreshLogs.Arn": "logs:CreateLogStream logs:PutLogEvents",
		table:                    "dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:Query dynamodb:UpdateItem",
		index:                    "dynamodb:Query",
		key:                      tableKeys,
		params:                   config,
		secrets:                  "secretsmanager:GetSecretValue",
	},
	"AdminRole": {
		"getatt:AdminLogs.Arn": "logs:CreateLogStream logs:PutLogEvents",
		table:                  "dynamodb:BatchGetItem dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:Query dynamodb:UpdateItem",
		index:                  "dynamodb:Query",
		key:                    tableKeys,
		queue:                  "sqs:GetQueueAttributes sqs:SendMessage",
		dlq:                    "sqs:GetQueueAttributes",
		params:                 config,
		secrets:                "secretsmanager:GetSecretValue",
	},
}

func TestRolesAreExactlyTheirList(t *testing.T) {
	tpl := mustLoad(t)
	for role, byRes := range wantGrants {
		t.Run(role, func(t *testing.T) {
			var want []string
			for res, actions := range byRes {
				for _, a := range strings.Fields(actions) {
					want = append(want, Grant{Action: a, Resource: res}.String())
				}
			}
			var got []string
			for _, g := range tpl.RoleGrants(role) {
				got = append(got, g.String())
			}
			sort.Strings(want)
			if reflect.DeepEqual(got, want) {
				return
			}
			extra, missing := diff(got, want), diff(want, got)
			t.Errorf("grants differ from the list\n not in the list: %v\n not granted:     %v", extra, missing)
		})
	}
}

func TestNoWildcardGrants(t *testing.T) {
	tpl := mustLoad(t)
	for id := range tpl.Typed.GetAllIAMRoleResources() {
		for _, g := range tpl.RoleGrants(id) {
			if Wildcard(g.Action) {
				t.Errorf("%s: wildcard action %s", id, g)
			}
			if g.Resource == "*" || g.Resource == "" {
				t.Errorf("%s: %s is not limited to this stack's resources", id, g)
			}
			if strings.HasPrefix(g.Action, "kms:") && !g.Conditioned {
				t.Errorf("%s: %s lacks the kms:ViaService condition", id, g)
			}
			if Wildcard(g.Resource) && !strings.HasSuffix(g.Resource, "/zohosync/*") && !strings.HasSuffix(g.Resource, ":zohosync/*") {
				t.Errorf("%s: %s has a wildcard resource outside /zohosync/", id, g)
			}
		}
	}
	// The key policy's Resource "*" means the key itself; its actions must
	// still be spelled out.
	for _, g := range tpl.KeyPolicyGrants("StateKey") {
		if Wildcard(g.Action) {
			t.Errorf("StateKey key policy: wildcard action %s", g)
		}
	}
	for id := range tpl.Typed.GetAllIAMPolicyResources() {
		t.Errorf("stand-alone policy %s: keep each function's grants in its role", id)
	}
	for id, fn := range tpl.Typed.GetAllServerlessFunctionResources() {
		if fn.Policies != nil {
			t.Errorf("%s: has SAM Policies; grants belong in its role", id)
		}
	}
}

// diff returns the items of a that are not in b.
func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}
