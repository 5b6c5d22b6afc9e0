package dynamo

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

const (
	// partSize is the compressed bytes per part item: well below DynamoDB's
	// 400 KB item limit, leaving room for the keys and other attributes.
	partSize = 350_000
	// MaxBlobSize is the largest blob (uncompressed) PutBlob accepts.
	MaxBlobSize = 32 << 20
)

// blobMeta describes a stored blob: the original bytes (length, SHA-256 in
// hex) and how they are stored (generation, gzip size, part count).
type blobMeta struct {
	Size   int
	SHA256 string
	Gen    string
	ZSize  int
	Parts  int
}

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// encodeBlob compresses data and cuts it into parts of at most size bytes.
func encodeBlob(data []byte, size int) (blobMeta, [][]byte, error) {
	if len(data) > MaxBlobSize {
		return blobMeta{}, nil, fmt.Errorf("%w: blob of %d bytes exceeds %d", ErrTooLarge, len(data), MaxBlobSize)
	}
	sum := sha256.Sum256(data)
	z, err := compress(data)
	if err != nil {
		return blobMeta{}, nil, err
	}
	zsize := len(z)
	var parts [][]byte
	for len(z) > size {
		parts = append(parts, z[:size])
		z = z[size:]
	}
	parts = append(parts, z)
	m := blobMeta{Size: len(data), SHA256: hex.EncodeToString(sum[:]), Gen: hex.EncodeToString(sum[:8]),
		ZSize: zsize, Parts: len(parts)}
	return m, parts, nil
}

// decodeBlob joins and decompresses parts and checks them against m.
func decodeBlob(m blobMeta, parts [][]byte) ([]byte, error) {
	if len(parts) != m.Parts {
		return nil, fmt.Errorf("%w: %d of %d parts present", ErrCorrupt, len(parts), m.Parts)
	}
	z := bytes.Join(parts, nil)
	if len(z) != m.ZSize {
		return nil, fmt.Errorf("%w: %d compressed bytes, want %d", ErrCorrupt, len(z), m.ZSize)
	}
	// Read one byte past the expected size so an overlong stream shows.
	data, err := decompress(z, m.Size, m.Size+1)
	if err != nil {
		return nil, err
	}
	if len(data) != m.Size {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrCorrupt, len(data), m.Size)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != m.SHA256 {
		return nil, fmt.Errorf("%w: SHA-256 mismatch", ErrCorrupt)
	}
	return data, nil
}

// compress gzips data.
func compress(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(data)/4 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(data); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	return buf.Bytes(), nil
}

// decompress gunzips z, reading at most limit bytes; hint sizes the buffer.
// A damaged stream wraps ErrCorrupt.
func decompress(z []byte, hint, limit int) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip header: %v", ErrCorrupt, err)
	}
	buf := bytes.NewBuffer(make([]byte, 0, hint))
	if _, err := io.Copy(buf, io.LimitReader(zr, int64(limit))); err != nil {
		return nil, fmt.Errorf("%w: gzip stream: %v", ErrCorrupt, err)
	}
	return buf.Bytes(), nil
}
