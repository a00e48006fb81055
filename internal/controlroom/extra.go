package controlroom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Model and Deployment keep the JSON fields that the vendor's guide does not
// name in Extra. Decoding matches the named fields by exact key (not by the
// case-insensitive match of encoding/json), so a key like "ID" stays in Extra
// instead of overwriting "id", and encoding writes Extra back after the named
// fields. Decoding then encoding keeps every field.

type modelFields Model
type deploymentFields Deployment

var (
	modelKeys      = jsonKeys(reflect.TypeFor[modelFields]())
	deploymentKeys = jsonKeys(reflect.TypeFor[deploymentFields]())
)

// jsonKeys returns the JSON names of the encoded fields of a struct type.
func jsonKeys(t reflect.Type) map[string]bool {
	keys := make(map[string]bool)
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		keys[name] = true
	}
	return keys
}

// UnmarshalJSON decodes a model record and keeps unknown fields in Extra.
func (m *Model) UnmarshalJSON(data []byte) error {
	var fields modelFields
	extra, err := splitKnown(data, modelKeys, &fields)
	if err != nil {
		return fmt.Errorf("model record: %w", err)
	}
	fields.Extra = extra
	*m = Model(fields)
	return nil
}

// MarshalJSON encodes the named fields, then the Extra fields whose keys are
// not named fields.
func (m Model) MarshalJSON() ([]byte, error) {
	return joinExtra(modelFields(m), m.Extra, modelKeys)
}

// UnmarshalJSON decodes a deployment and keeps unknown fields in Extra.
func (d *Deployment) UnmarshalJSON(data []byte) error {
	var fields deploymentFields
	extra, err := splitKnown(data, deploymentKeys, &fields)
	if err != nil {
		return fmt.Errorf("deployment: %w", err)
	}
	fields.Extra = extra
	*d = Deployment(fields)
	return nil
}

// MarshalJSON encodes the named fields, then the Extra fields whose keys are
// not named fields.
func (d Deployment) MarshalJSON() ([]byte, error) {
	return joinExtra(deploymentFields(d), d.Extra, deploymentKeys)
}

// splitKnown decodes the fields of the JSON object data whose keys are in
// known into target and returns the others. A JSON null decodes to the zero
// value and no Extra.
func splitKnown(data []byte, known map[string]bool, target any) (map[string]json.RawMessage, error) {
	// When a scan of the keys finds nothing that encoding/json would match
	// differently from exact keys, decoding data directly gives the named
	// fields, and the object is decoded once instead of into a map first.
	if extra, ok := scanExtra(data, known); ok {
		if err := json.Unmarshal(data, target); err != nil {
			return nil, err
		}
		return extra, nil
	}
	return splitKnownByMap(data, known, target)
}

// splitKnownByMap is splitKnown for any input: it decodes data into a map,
// then only the named keys into target.
func splitKnownByMap(data []byte, known map[string]bool, target any) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	if all == nil {
		return nil, nil
	}

	named := make(map[string]json.RawMessage, len(known))
	var extra map[string]json.RawMessage
	for key, value := range all {
		if known[key] {
			named[key] = value
			continue
		}
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		extra[key] = value
	}

	namedJSON, err := json.Marshal(named)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(namedJSON, target); err != nil {
		return nil, err
	}
	return extra, nil
}

// matchesKeyFold reports whether key equals a known key apart from case.
func matchesKeyFold(key string, known map[string]bool) bool {
	for name := range known {
		if strings.EqualFold(key, name) {
			return true
		}
	}
	return false
}

// joinExtra encodes fields (a struct) and appends the extra keys in sorted
// order. Keys that name a struct field are skipped, so Extra cannot override
// a named field.
func joinExtra(fields any, extra map[string]json.RawMessage, known map[string]bool) ([]byte, error) {
	encoded, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	if len(extra) == 0 {
		return encoded, nil
	}

	keys := make([]string, 0, len(extra))
	for key := range extra {
		if !known[key] {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)

	var buf bytes.Buffer
	buf.Write(encoded[:len(encoded)-1])
	needComma := !bytes.Equal(bytes.TrimSpace(encoded), []byte("{}"))
	for _, key := range keys {
		value := extra[key]
		if !json.Valid(value) {
			return nil, fmt.Errorf("extra field %q contains invalid JSON", key)
		}
		name, err := json.Marshal(key)
		if err != nil {
			return nil, err
		}
		if needComma {
			buf.WriteByte(',')
		}
		needComma = true
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(value)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
