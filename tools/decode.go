package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ArgumentError is an invalid tool argument. Its message names the argument
// and says what a valid value looks like.
type ArgumentError struct {
	Argument string
	Message  string
}

func (e *ArgumentError) Error() string {
	if e.Argument == "" {
		return "invalid arguments: " + e.Message
	}
	return fmt.Sprintf("invalid argument '%s': %s", e.Argument, e.Message)
}

// Decode decodes a JSON object of arguments into the struct pointed to by in.
// Unknown arguments and values of the wrong type are rejected with an
// *ArgumentError; null or empty args decode as no arguments. An argument
// name must equal a field's JSON name exactly: encoding/json alone would
// also fill modelId from "modelid" or "MODELID", so a guard that reads the
// exact key could check one value while the tool runs with another.
func Decode(args json.RawMessage, in any) error {
	trimmed := bytes.TrimSpace(args)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		trimmed = []byte("{}")
	}

	if err := checkArgumentNames(trimmed, reflect.TypeOf(in).Elem()); err != nil {
		return err
	}

	decoder := json.NewDecoder(bytes.NewReader(trimmed))
	decoder.DisallowUnknownFields()
	err := decoder.Decode(in)
	if err == nil {
		return nil
	}

	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return &ArgumentError{
			Argument: typeErr.Field,
			Message:  fmt.Sprintf("expected %s, got a JSON %s", describeKind(typeErr.Type), typeErr.Value),
		}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return &ArgumentError{
			Argument: name,
			Message:  "unknown argument; valid arguments: " + strings.Join(fieldNames(reflect.TypeOf(in).Elem()), ", "),
		}
	}
	return &ArgumentError{Message: "arguments must be a JSON object: " + err.Error()}
}

// checkArgumentNames rejects every top-level key of the JSON object args
// that is not the exact JSON name of a field of struct type input. Input
// that is not a JSON object is left for the decoder to report.
func checkArgumentNames(args []byte, input reflect.Type) error {
	var object map[string]json.RawMessage
	if json.Unmarshal(args, &object) != nil {
		return nil
	}

	names := fieldNames(input)
	unknown := make([]string, 0, len(object))
	for key := range object {
		if !slices.Contains(names, key) {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) == 0 {
		return nil
	}

	slices.Sort(unknown)
	return &ArgumentError{
		Argument: unknown[0],
		Message:  "unknown argument (names are case-sensitive); valid arguments: " + strings.Join(names, ", "),
	}
}

func describeKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "an array"
	default:
		return "an object"
	}
}

// fieldNames returns the JSON names of the exported fields of struct type t.
func fieldNames(t reflect.Type) []string {
	var names []string
	for field := range t.Fields() {
		if name := jsonName(field); name != "" {
			names = append(names, name)
		}
	}
	return names
}

func jsonName(field reflect.StructField) string {
	if !field.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return field.Name
	}
	return name
}

// Coerce rewrites arguments the way language models really send them into
// the types that tool t declares, and returns the result as a JSON object:
//   - absent or null arguments become {};
//   - arguments sent as a string that contains a JSON object are unwrapped;
//   - numeric strings become numbers for number and integer arguments;
//   - integral numbers such as 3.0 become 3 for integer arguments;
//   - "true" and "false" become booleans for boolean arguments;
//   - numbers become their decimal text for string arguments, so that
//     numberOfParams may be sent as 12000000000.
//
// Anything else is left unchanged for schema validation to report.
func Coerce(t Tool, args any) (map[string]any, error) {
	object, err := argumentObject(args)
	if err != nil {
		return nil, err
	}

	kinds := argumentKinds(t.Input)
	for name, value := range object {
		kind, known := kinds[name]
		if !known {
			continue
		}
		object[name] = coerceValue(kind, value)
	}
	return object, nil
}

// kindsByInput caches argumentKinds, because the input types are fixed at
// build time and every tools/call coerces its arguments.
var kindsByInput sync.Map // reflect.Type -> map[string]reflect.Kind

// argumentKinds returns the kind of each argument of input struct type
// input, by JSON name, with pointers dereferenced. The map is shared and
// must not be changed.
func argumentKinds(input reflect.Type) map[string]reflect.Kind {
	if cached, ok := kindsByInput.Load(input); ok {
		return cached.(map[string]reflect.Kind)
	}

	kinds := map[string]reflect.Kind{}
	for field := range input.Fields() {
		fieldType := field.Type
		for fieldType.Kind() == reflect.Pointer {
			fieldType = fieldType.Elem()
		}
		if name := jsonName(field); name != "" {
			kinds[name] = fieldType.Kind()
		}
	}
	kindsByInput.Store(input, kinds)
	return kinds
}

// argumentObject turns the raw arguments of a tools/call request into a map.
func argumentObject(args any) (map[string]any, error) {
	switch value := args.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return value, nil
	case string:
		trimmed := strings.TrimSpace(value)
		if trimmed == "" {
			return map[string]any{}, nil
		}
		var object map[string]any
		if err := json.Unmarshal([]byte(trimmed), &object); err != nil {
			return nil, &ArgumentError{Message: "arguments must be a JSON object, got a string that is not one"}
		}
		if object == nil {
			object = map[string]any{}
		}
		return object, nil
	case json.RawMessage:
		return argumentObjectFromJSON(value)
	default:
		encoded, err := json.Marshal(value)
		if err != nil {
			return nil, &ArgumentError{Message: "arguments must be a JSON object"}
		}
		return argumentObjectFromJSON(encoded)
	}
}

func argumentObjectFromJSON(raw []byte) (map[string]any, error) {
	var decoded any
	if len(bytes.TrimSpace(raw)) > 0 {
		decoder := json.NewDecoder(bytes.NewReader(raw))
		decoder.UseNumber()
		if err := decoder.Decode(&decoded); err != nil {
			return nil, &ArgumentError{Message: "arguments must be a JSON object: " + err.Error()}
		}
	}
	if _, isString := decoded.(string); isString {
		return argumentObject(decoded)
	}
	if decoded == nil {
		return map[string]any{}, nil
	}
	object, ok := decoded.(map[string]any)
	if !ok {
		return nil, &ArgumentError{Message: fmt.Sprintf("arguments must be a JSON object, got %s", jsonKind(decoded))}
	}
	return object, nil
}

func jsonKind(value any) string {
	switch value.(type) {
	case []any:
		return "an array"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	default:
		return "a non-object value"
	}
}

func coerceValue(kind reflect.Kind, value any) any {
	switch kind {
	case reflect.Int, reflect.Int32, reflect.Int64:
		number, ok := numberOf(value)
		if ok && number == math.Trunc(number) && math.Abs(number) <= 1<<53 {
			return int64(number)
		}
	case reflect.Float32, reflect.Float64:
		if number, ok := numberOf(value); ok {
			return number
		}
	case reflect.String:
		switch number := value.(type) {
		case json.Number:
			return number.String()
		case float64:
			return strconv.FormatFloat(number, 'f', -1, 64)
		}
	case reflect.Bool:
		if text, ok := value.(string); ok {
			if parsed, err := strconv.ParseBool(strings.TrimSpace(text)); err == nil {
				return parsed
			}
		}
	}
	return value
}

// numberOf returns value as a float64 when it is a JSON number or a string
// that contains one.
func numberOf(value any) (float64, bool) {
	switch number := value.(type) {
	case float64:
		return number, true
	case json.Number:
		parsed, err := number.Float64()
		return parsed, err == nil
	case int:
		return float64(number), true
	case int64:
		return float64(number), true
	case string:
		parsed, err := strconv.ParseFloat(strings.TrimSpace(number), 64)
		if err != nil || math.IsNaN(parsed) || math.IsInf(parsed, 0) {
			return 0, false
		}
		return parsed, true
	}
	return 0, false
}
