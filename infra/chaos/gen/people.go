package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Given and family names, some beyond ASCII, so every encoding step of the
// pipeline carries accents, ligatures and scripts other than Latin.
var (
	givenNames = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Katherine", "Linus", "Margaret",
		"Dennis", "Radia", "Zoë", "José", "Søren", "Anaïs", "Łukasz", "Björk", "Nnamdi", "Mei", "Ngozi", "Élodie"}
	familyNames = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Johnson", "Torvalds",
		"Hamilton", "Ritchie", "Perlman", "Åström", "Núñez", "Øberg", "Müller", "Kowalczyk", "O'Brien",
		"Okafor", "Zhang", "Nakamura", "Dubois"}
	companyWords = []string{"Widgets", "Analytics", "Logistics", "Studios", "Foods", "Robotics", "Labs", "Textiles"}
)

// people makes the run's buyers, leads and invitees. Every person is new
// (a unique e-mail and family name suffix) unless taken from a pool of
// earlier customers on purpose.
type people struct {
	tag string // run tag, keeps ids of different seeds apart
	rnd *rand.Rand
	n   int
}

// next returns a new person; src tags the e-mail so that different senders
// never share a Zoho record by accident.
func (p *people) next(src string) person {
	p.n++
	first := givenNames[p.rnd.IntN(len(givenNames))]
	family := familyNames[p.rnd.IntN(len(familyNames))]
	suffix := strconv.FormatInt(int64(p.n), 36)
	return person{
		first: first,
		// A suffix makes names unique, so Deal names built from them never
		// collide in Zoho's duplicate check on Deal_Name.
		last:      family + "-" + strings.ToUpper(suffix),
		email:     fmt.Sprintf("%s.%s.%s%s@example.com", asciiLower(first), src, p.tag, suffix),
		stripeID:  fmt.Sprintf("cus_chaos%s%s", p.tag, suffix),
		shopifyID: 7700000000000 + int64(p.n),
	}
}

// company returns a new company name.
func (p *people) company() string {
	p.n++
	w := companyWords[p.rnd.IntN(len(companyWords))]
	return fmt.Sprintf("%s %s %s LLC", familyNames[p.rnd.IntN(len(familyNames))], w, strings.ToUpper(strconv.FormatInt(int64(p.n), 36)))
}

// asciiLower keeps the ASCII letters of s, lower-cased, for e-mail local
// parts ("Zoë" -> "zo").
func asciiLower(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}
