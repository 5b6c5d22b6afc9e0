package zohosim

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"
)

// Ids are 19-digit numeric strings like Zoho's: an org prefix followed by a
// sequence. System objects (users, modules) use the low range, records the
// range above recordIDBase. The counter survives Reset, so ids stay unique
// for the life of a Sim.
const (
	systemIDBase int64 = 5725767000000000000
	recordIDBase int64 = 5725767000000100000
	userZUID           = "700000007"
)

type idGen struct{ next atomic.Int64 }

func (g *idGen) record() string {
	return strconv.FormatInt(recordIDBase+g.next.Add(1), 10)
}

func systemID(n int64) string { return strconv.FormatInt(systemIDBase+n, 10) }

// isRecordID reports whether s looks like a record id: 1 to 19 digits.
func isRecordID(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// newToken returns a random token in Zoho's "1000.<hex>.<hex>" shape.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	return "1000." + hex.EncodeToString(b[:16]) + "." + hex.EncodeToString(b[16:])
}
