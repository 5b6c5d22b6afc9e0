package phone

import "testing"

func BenchmarkParse(b *testing.B) {
	inputs := []struct{ s, region string }{
		{"+1 555-010-0001", ""},
		{"(555) 010-0003 ext. 42", "US"},
		{"0044 20 7946 0958", "DE"},
		{"8 (812) 123-45-67", "RU"},
		{"call me", "US"},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		in := inputs[i%len(inputs)]
		_, _ = Parse(in.s, in.region)
	}
}
