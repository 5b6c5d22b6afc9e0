package stream

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// person is one customer of the synthetic stream.
type person struct {
	first, last, email, phone string
	street, city, state, zip  string
	stripeID                  string
	shopifyID                 int64
}

// name is a display name and the ASCII form used in e-mail addresses.
type name struct{ display, ascii string }

var firstNames = []name{{"Ada", "ada"}, {"Grace", "grace"}, {"Alan", "alan"}, {"Zoë", "zoe"},
	{"José", "jose"}, {"Łukasz", "lukasz"}, {"Amara", "amara"}, {"Kenji", "kenji"}, {"Priya", "priya"},
	{"Noor", "noor"}, {"Chidi", "chidi"}, {"Ingrid", "ingrid"}, {"Mateo", "mateo"}, {"Aiko", "aiko"},
	{"Fatima", "fatima"}, {"Oskar", "oskar"}}

var lastNames = []name{{"Lovelace", "lovelace"}, {"Hopper", "hopper"}, {"Turing", "turing"},
	{"Müller", "mueller"}, {"García", "garcia"}, {"Kowalski", "kowalski"}, {"Okafor", "okafor"},
	{"Tanaka", "tanaka"}, {"Sharma", "sharma"}, {"Haddad", "haddad"}, {"Eze", "eze"},
	{"Lindqvist", "lindqvist"}, {"Rossi", "rossi"}, {"Sato", "sato"}, {"Nguyen", "nguyen"}, {"Ivanova", "ivanova"}}

var streets = []string{"Example Street", "Sample Avenue", "Test Road", "Fixture Lane", "Bench Boulevard", "Mock Way"}

var cities = []struct{ city, state, zip string }{{"Springfield", "IL", "62701"}, {"Portland", "OR", "97201"},
	{"Austin", "TX", "73301"}, {"Madison", "WI", "53703"}, {"Boulder", "CO", "80302"}, {"Albany", "NY", "12207"}}

var companyWords = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne",
	"Soylent", "Hooli", "Vandelay", "Wonka", "Massive", "Pied Piper", "Aperture"}

var companySuffixes = []string{"LLC", "Inc", "GmbH", "Ltd", "Co", "Group"}

// newPerson makes the seq-th person of a stream; tag keeps ids of different
// runs apart.
func newPerson(r *rand.Rand, tag string, seq int) *person {
	f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	c := cities[r.IntN(len(cities))]
	return &person{
		first:     f.display,
		last:      l.display,
		email:     fmt.Sprintf("%s.%s.%s%d@example.com", f.ascii, l.ascii, tag, seq),
		phone:     fmt.Sprintf("+1 555-010-%04d", r.IntN(10000)),
		street:    fmt.Sprintf("%d %s", 1+r.IntN(999), streets[r.IntN(len(streets))]),
		city:      c.city,
		state:     c.state,
		zip:       c.zip,
		stripeID:  fmt.Sprintf("cus_%s%07d", tag, seq),
		shopifyID: 7700000000000 + int64(seq),
	}
}

// company returns one of a pool of company names (so some repeat and
// coalesce, as customers of one company do).
func company(r *rand.Rand) string {
	return fmt.Sprintf("%s %s %d", companyWords[r.IntN(len(companyWords))],
		companySuffixes[r.IntN(len(companySuffixes))], r.IntN(20))
}

// sameEmail returns e, sometimes in another letter case, as a customer may
// type it differently at checkout.
func sameEmail(r *rand.Rand, e string) string {
	switch r.IntN(4) {
	case 0:
		return strings.ToUpper(e[:1]) + e[1:]
	case 1:
		return strings.ToUpper(e)
	}
	return e
}

func (p *person) fullName() string { return p.first + " " + p.last }
