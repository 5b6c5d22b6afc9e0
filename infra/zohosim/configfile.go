package zohosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadConfig reads a Config from a YAML (.yaml, .yml) or JSON file. Keys are
// the JSON names of Config's fields (edition, users, latency, faults,
// clients, unconfirmed ...); durations are strings such as "250ms". Unknown
// keys are errors.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("zohosim: read config: %w", err)
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".yaml" || ext == ".yml" {
		if b, err = yamlToJSON(b); err != nil {
			return Config{}, fmt.Errorf("zohosim: config %s: %w", path, err)
		}
	}
	var c Config
	if err := strictUnmarshal(b, &c); err != nil {
		return Config{}, fmt.Errorf("zohosim: config %s: %w", path, err)
	}
	return c, nil
}

// yamlToJSON converts a YAML document to JSON, so one decoder (with its
// duration and strictness rules) reads both formats.
func yamlToJSON(b []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	if v == nil {
		v = map[string]any{}
	}
	return json.Marshal(v)
}

// strictUnmarshal decodes JSON, refusing unknown keys and trailing data.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}
