package controlroom

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// Limits that the client checks before sending anything. They are the
// client's own checks, not documented Control Room rules: they reject values
// that no serving backend accepts, so a typo fails fast and changes nothing
// upstream.
const (
	// MaxDeploymentIDLength is 63 because a deployment id is the host label
	// of its in-cluster service URL (http://<deploymentId>.rational-ai.svc...),
	// and a DNS label has at most 63 bytes.
	MaxDeploymentIDLength = 63
	// MaxNameLength bounds a catalog name.
	MaxNameLength = 256
	// MaxPageSize bounds the size of one catalog page request.
	MaxPageSize = 1000

	MinTemperature = 0.0
	MaxTemperature = 2.0
)

var (
	uuidPattern         = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	deploymentIDPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	digitsPattern       = regexp.MustCompile(`^[0-9]+$`)
)

// ValidateModelID checks that id is a UUID in its canonical 8-4-4-4-12 hex
// form, the shape of catalog ids. The error quotes at most 80 bytes of id.
func ValidateModelID(id string) error {
	if id == "" {
		return fmt.Errorf("model id is empty; call list_models to find the id (a UUID)")
	}
	if !uuidPattern.MatchString(id) {
		return fmt.Errorf("model id %s is not a UUID (like 3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bc); call list_models to find the id", shortQuote(id))
	}
	return nil
}

// ValidateDeploymentID checks that id has the shape of a deployment id, such
// as model-google-gemma-4-12-b-it-420f1c9176bc: lowercase letters, digits
// and '-', starting and ending with a letter or digit, at most
// MaxDeploymentIDLength bytes.
func ValidateDeploymentID(id string) error {
	if id == "" {
		return fmt.Errorf("deployment id is empty; call list_deployments to find the id")
	}
	if !deploymentIDPattern.MatchString(id) {
		return fmt.Errorf("deployment id %s is invalid: it must be lowercase letters, digits and '-', at most %d characters, like model-google-gemma-4-12-b-it-420f1c9176bc; call list_deployments to find the id",
			shortQuote(id), MaxDeploymentIDLength)
	}
	return nil
}

// Validate checks a registration before it is sent: name and a valid type
// are required, numberOfParams must be digits only and card an absolute
// http(s) URL when set, and no text field may contain control characters.
func (r RegisterModelRequest) Validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return fmt.Errorf("name is required; by convention it is the Hugging Face repo id, e.g. google/gemma-4-12B-it")
	}
	if !r.Type.Valid() {
		return invalidType(r.Type)
	}
	return checkModelFields(modelFieldValues{
		name: &r.Name, huggingFaceID: &r.HuggingFaceID, publisher: &r.Publisher,
		numberOfParams: &r.NumberOfParams, quant: &r.Quant, size: &r.Size, card: &r.Card,
	})
}

// Validate checks a PATCH before it is sent: it must change at least one
// field, and each field set follows the rules of RegisterModelRequest.Validate.
func (u UpdateModelRequest) Validate() error {
	if u.Empty() {
		return fmt.Errorf("the update changes no field; set at least one field to change")
	}
	if u.Name != nil && strings.TrimSpace(*u.Name) == "" {
		return fmt.Errorf("name cannot be set to an empty string")
	}
	if u.Type != nil && !u.Type.Valid() {
		return invalidType(*u.Type)
	}
	return checkModelFields(modelFieldValues{
		name: u.Name, huggingFaceID: u.HuggingFaceID, publisher: u.Publisher,
		numberOfParams: u.NumberOfParams, quant: u.Quant, size: u.Size, card: u.Card,
	})
}

type modelFieldValues struct {
	name, huggingFaceID, publisher, numberOfParams, quant, size, card *string
}

func checkModelFields(v modelFieldValues) error {
	if v.name != nil && len(*v.name) > MaxNameLength {
		return fmt.Errorf("name is %d bytes, more than the %d allowed", len(*v.name), MaxNameLength)
	}
	for _, field := range []struct {
		name  string
		value *string
	}{
		{"name", v.name}, {"huggingFaceId", v.huggingFaceID}, {"publisher", v.publisher},
		{"numberOfParams", v.numberOfParams}, {"quant", v.quant}, {"size", v.size}, {"card", v.card},
	} {
		if field.value != nil && strings.IndexFunc(*field.value, unicode.IsControl) >= 0 {
			return fmt.Errorf("%s contains a control character", field.name)
		}
	}
	if v.huggingFaceID != nil && strings.ContainsFunc(*v.huggingFaceID, unicode.IsSpace) {
		return fmt.Errorf("huggingFaceId %s contains whitespace; use the exact repo id, e.g. google/gemma-4-12B-it", shortQuote(*v.huggingFaceID))
	}
	if v.numberOfParams != nil && *v.numberOfParams != "" && !digitsPattern.MatchString(*v.numberOfParams) {
		return fmt.Errorf("numberOfParams %s must be digits only, e.g. \"12000000000\"", shortQuote(*v.numberOfParams))
	}
	if v.card != nil && *v.card != "" {
		u, err := url.Parse(*v.card)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("card %s must be an absolute http(s) URL, e.g. https://huggingface.co/google/gemma-4-12B-it", shortQuote(*v.card))
		}
	}
	return nil
}

func invalidType(t ModelType) error {
	return fmt.Errorf("type %s is invalid; use one of base, awq, ggml, gguf (base for full-precision Hugging Face weights)", shortQuote(string(t)))
}

// Validate checks deployment parameters before they are sent. Every number
// must be finite, and: temperature in [0, 2], topP and minP in [0, 1],
// topK >= 0, repetitionPenalty > 0, maxOutputTokens >= 1, adapterScale >= 0.
func (p DeploymentParameters) Validate() error {
	checks := []struct {
		name  string
		value *float64
		ok    func(float64) bool
		rule  string
	}{
		{"temperature", p.Temperature, func(v float64) bool { return v >= MinTemperature && v <= MaxTemperature }, "between 0 and 2"},
		{"topP", p.TopP, func(v float64) bool { return v >= 0 && v <= 1 }, "between 0 and 1"},
		{"minP", p.MinP, func(v float64) bool { return v >= 0 && v <= 1 }, "between 0 and 1"},
		{"topK", p.TopK, func(v float64) bool { return v >= 0 }, "0 or more"},
		{"repetitionPenalty", p.RepetitionPenalty, func(v float64) bool { return v > 0 }, "greater than 0"},
		{"adapterScale", p.AdapterScale, func(v float64) bool { return v >= 0 }, "0 or more"},
	}
	for _, check := range checks {
		if check.value == nil {
			continue
		}
		v := *check.value
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s must be a finite number", check.name)
		}
		if !check.ok(v) {
			return fmt.Errorf("%s %v is out of range: it must be %s", check.name, v, check.rule)
		}
	}
	if p.MaxOutputTokens != nil && *p.MaxOutputTokens < 1 {
		return fmt.Errorf("maxOutputTokens %d is out of range: it must be 1 or more", *p.MaxOutputTokens)
	}
	return nil
}

// shortQuote quotes s, cut to 80 bytes, for error messages.
func shortQuote(s string) string {
	if len(s) > 80 {
		return fmt.Sprintf("%q…", s[:80])
	}
	return fmt.Sprintf("%q", s)
}
