package expr

import "testing"

func TestTransforms(t *testing.T) {
	data := decode(t, `{"tags": ["CRM sync", "Support", "CRM sync", "", null], "n": 25, "big": 7300000000000000123}`)
	tests := []struct{ expr, want string }{
		{"email(' Zoe.Angstrom+billing@EXAMPLE.com ')", `"zoe.angstrom+billing@example.com"`},
		{"email('mailto:a@b.co')", `"a@b.co"`},
		{"email('not an email')", "null"},
		{"email('a@localhost')", "null"},
		{"email(missing)", "null"},

		{"split_name('Ada Example')", `{"first":"Ada","last":"Example"}`},
		{"split_name('Zoë Ångström-Ñúñez 🚀')", `{"first":"Zoë","last":"Ångström-Ñúñez"}`},
		{"split_name('李示例')", `{"first":null,"last":"李示例"}`},
		{"split_name('  Mary Ann   van Dyke ')", `{"first":"Mary Ann van","last":"Dyke"}`},
		{"split_name('Example, Ada')", `{"first":"Ada","last":"Example"}`},
		{"split_name('Renée 🌸')", `{"first":null,"last":"Renée"}`},
		{"split_name('🚀')", "null"},
		{"split_name(missing)", "null"},

		{"phone('(555) 010-0003 ext. 42', 'US')", `"+15550100003"`},
		{"phone_ext('(555) 010-0003 ext. 42', 'US')", `"42"`},
		{"phone('+1 555-010-0001')", `"+15550100001"`},
		{"phone('+1 (555) 010-0202', 'CA')", `"+15550100202"`},
		{"phone('030 1234567', 'DE')", `"+49301234567"`},
		{"phone('0044 20 7946 0958', 'DE')", `"+442079460958"`},
		{"phone('555-010-0001')", "null"},
		{"phone('call me', 'US')", "null"},
		{"phone('12', 'US')", "null"},
		{"phone_ext('+1 555-010-0001')", "null"},

		{"date(`1735732800`)", `"2025-01-01"`},
		{"date('1735732800')", `"2025-01-01"`},
		{"date('2025-01-09T01:00:00.000000Z', 'Asia/Shanghai')", `"2025-01-09"`},
		{"date('2025-01-08T23:30:00Z', 'America/Chicago')", `"2025-01-08"`},
		{"date('2025-01-09T01:00:00Z', 'America/Chicago')", `"2025-01-08"`},
		{"date('2025-02-01')", `"2025-02-01"`},
		{"date('2025-02-01', 'Asia/Tokyo')", `"2025-02-01"`},
		{"date('')", "null"},
		{"datetime('2025-01-03T09:15:41.9Z')", `"2025-01-03T09:15:41+00:00"`},
		{"datetime('2025-01-03T09:15:42.000002Z')", `"2025-01-03T09:15:42+00:00"`},
		{"datetime('2025-01-01T07:05:00-05:00')", `"2025-01-01T07:05:00-05:00"`},
		{"datetime('2025-01-01T07:05:00-05:00', 'UTC')", `"2025-01-01T12:05:00+00:00"`},
		{"datetime(`1735732791`)", `"2025-01-01T11:59:51+00:00"`},
		{"datetime(`1735732791`, 'Europe/Berlin')", `"2025-01-01T12:59:51+01:00"`},
		{"datetime('2025-03-09 03:30:00', 'America/New_York')", `"2025-03-09T03:30:00-04:00"`},
		{"datetime(`1735732791.75`)", `"2025-01-01T11:59:51+00:00"`},

		{"money(`8910`, 'usd')", "89.10"},
		{"money(`4980`, 'JPY')", "4980"},
		{"money(`4980`, 'krw')", "4980"},
		{"money(`1234`, 'KWD')", "1.234"},
		{"money(`5`, 'BHD')", "0.005"},
		{"money(`-250`, 'EUR')", "-2.50"},
		{"money('44700', 'usd')", "447.00"},
		{"money(big, 'usd')", "73000000000000001.23"},
		{"money(missing, 'usd')", "null"},

		{"picklist('won', 'stage')", `"Closed Won"`},
		{"picklist(' LOST ', 'stage')", `"Closed Lost"`},
		{"picklist('draw', 'stage')", "null"},
		{"picklist('draw', 'stage', 'Qualification')", `"Qualification"`},
		{"picklist(missing, 'stage', 'Qualification')", `"Qualification"`},

		{"multiselect(tags)", `["CRM sync","Support"]`},
		{"multiselect('a; b;;a', ';')", `["a","b"]`},
		{"multiselect('solo')", `["solo"]`},
		{"multiselect(n)", `["25"]`},

		{"lookup(big)", `{"id":"7300000000000000123"}`},
		{"lookup('  ')", "null"},

		{"truncate('Zoë Ångström', `5`)", `"Zoë Å"`},
		{"truncate('李示例🚀', `3`)", `"李示例"`},
		{"truncate('short', `80`)", `"short"`},

		{"default(missing, 'x')", `"x"`},
		{"default('  ', 'x')", `"x"`},
		{"default(n, 'x')", "25"},
		{"coalesce(missing, '', ' ', n)", "25"},
		{"coalesce(missing)", "null"},
		{"compact(tags)", `["CRM sync","Support","CRM sync"]`},
		{"concat('Order ', big, missing, ' ', `true`)", `"Order 7300000000000000123 true"`},

		{"to_boolean('true')", "true"},
		{"to_boolean('No')", "false"},
		{"to_boolean(`0`)", "false"},
		{"to_boolean('maybe')", "null"},
	}
	checkEvals(t, data, nil, tests)
}

func TestEmpty(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{`null`, true}, {`""`, true}, {`"  \n"`, true}, {`[]`, true}, {`{}`, true},
		{`0`, false}, {`false`, false}, {`"x"`, false}, {`[null]`, false},
	} {
		if got := Empty(decode(t, tt.in)); got != tt.want {
			t.Errorf("Empty(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
