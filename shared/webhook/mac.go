package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"sync"
)

// macKey computes HMACs under one secret. Keyed hashes are pooled: keying
// an HMAC costs two block compressions and several allocations, which a
// busy verifier need not repeat per delivery.
type macKey struct {
	pool sync.Pool
	size int
}

func newMACKey(newHash func() hash.Hash, key []byte) *macKey {
	k := append([]byte(nil), key...)
	m := &macKey{size: newHash().Size()}
	m.pool.New = func() any { return hmac.New(newHash, k) }
	return m
}

// sum appends the HMAC of the concatenated parts to dst.
func (m *macKey) sum(dst []byte, parts ...[]byte) []byte {
	h := m.pool.Get().(hash.Hash)
	h.Reset()
	for _, p := range parts {
		h.Write(p)
	}
	dst = h.Sum(dst)
	m.pool.Put(h)
	return dst
}

// keyring is the set of secrets a source accepts at once.
type keyring []*macKey

func newKeyring(newHash func() hash.Hash, secrets [][]byte) keyring {
	r := make(keyring, len(secrets))
	for i, s := range secrets {
		r[i] = newMACKey(newHash, s)
	}
	return r
}

// match reports whether any candidate signature equals the HMAC of parts
// under any secret. Each comparison is constant-time; the loop stops at the
// first match, which tells an observer only that some secret matched.
func (r keyring) match(candidates [][]byte, parts ...[]byte) bool {
	var buf [sha512.Size]byte
	for _, k := range r {
		sum := k.sum(buf[:0], parts...)
		for _, c := range candidates {
			if hmac.Equal(sum, c) {
				return true
			}
		}
	}
	return false
}

// hashFor maps an algorithm name to its hash constructor.
func hashFor(name string) (func() hash.Hash, bool) {
	switch name {
	case "", "sha256":
		return sha256.New, true
	case "sha1":
		return sha1.New, true
	case "sha512":
		return sha512.New, true
	}
	return nil, false
}
