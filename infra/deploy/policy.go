package deploy

import (
	"sort"
	"strings"
)

// Grant is one action allowed on one resource by an IAM policy statement.
type Grant struct {
	Sid      string
	Action   string
	Resource string // Text form: an ARN, "*", "getatt:X.Arn", "sub:..."
	// Conditioned reports a Condition block on the statement.
	Conditioned bool
}

// String renders the grant as "action on resource".
func (g Grant) String() string { return g.Action + " on " + g.Resource }

// RoleGrants returns every Allow grant of an AWS::IAM::Role's inline
// policies, sorted.
func (t *Template) RoleGrants(roleID string) []Grant {
	var out []Grant
	for _, pol := range Get(t.Raw, "Resources", roleID, "Properties", "Policies").Content {
		out = append(out, statementGrants(Get(pol, "PolicyDocument"))...)
	}
	sortGrants(out)
	return out
}

// KeyPolicyGrants returns the Allow grants of an AWS::KMS::Key's key policy.
func (t *Template) KeyPolicyGrants(keyID string) []Grant {
	g := statementGrants(Get(t.Raw, "Resources", keyID, "Properties", "KeyPolicy"))
	sortGrants(g)
	return g
}

func statementGrants(doc *Node) []Grant {
	var out []Grant
	st := Get(doc, "Statement")
	if st == nil {
		return nil
	}
	for _, s := range st.Content {
		if Text(Get(s, "Effect")) != "Allow" {
			continue
		}
		sid := Text(Get(s, "Sid"))
		cond := Get(s, "Condition") != nil
		res := List(Get(s, "Resource"))
		if len(res) == 0 {
			res = []string{""}
		}
		for _, a := range List(Get(s, "Action")) {
			for _, r := range res {
				out = append(out, Grant{Sid: sid, Action: a, Resource: r, Conditioned: cond})
			}
		}
	}
	return out
}

func sortGrants(g []Grant) {
	sort.Slice(g, func(i, j int) bool { return g[i].String() < g[j].String() })
}

// Wildcard reports whether an action or resource uses "*" or "?" as a
// pattern (an ARN path ending in "/*" under a fixed prefix counts too; the
// caller decides which of those it allows).
func Wildcard(s string) bool { return strings.ContainsAny(s, "*?") }
