package mapping

import "testing"

// BenchmarkMap maps each sample with the shipped config; events/s is the
// throughput of one core.
func BenchmarkMap(b *testing.B) {
	m := defaultMapper(b)
	for _, s := range allSamples(b) {
		id, err := m.EventID(s.source, s.headers, s.body, s.contentType)
		if err != nil {
			b.Fatal(err)
		}
		env := envelopeFor(s, id)
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(s.body)))
			for b.Loop() {
				if _, err := m.Map(env, s.body); err != nil {
					var me *Error
					if !asError(err, &me) {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	*target = e
	return ok
}
