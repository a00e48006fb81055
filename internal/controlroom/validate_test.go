package controlroom

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidateModelID(t *testing.T) {
	assert.NoError(t, ValidateModelID(sampleModelID))
	assert.NoError(t, ValidateModelID("3F2B8C1E-9A4D-4C2E-8F1A-420F1C9176BC"))

	for _, id := range []string{"", "3f2b8c1e", "../models", sampleModelID + "/deploy", "3f2b8c1e9a4d4c2e8f1a420f1c9176bc",
		"{" + sampleModelID + "}", "3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bg", sampleModelID + "?x=1", "deployments"} {
		err := ValidateModelID(id)
		if assert.Error(t, err, "id %q", id) {
			assert.Contains(t, err.Error(), "list_models")
		}
	}
}

func TestValidateDeploymentID(t *testing.T) {
	assert.NoError(t, ValidateDeploymentID("model-google-gemma-4-12-b-it-420f1c9176bc"))
	assert.NoError(t, ValidateDeploymentID("a"))

	for _, id := range []string{"", "Model-A", "model_a", "model-a-", "-model", "model/a", "..", "model%2fa", "model a",
		"a123456789012345678901234567890123456789012345678901234567890123"} {
		err := ValidateDeploymentID(id)
		if assert.Error(t, err, "id %q", id) {
			assert.Contains(t, err.Error(), "list_deployments")
		}
	}
}

func TestRegisterRequestValidate(t *testing.T) {
	valid := RegisterModelRequest{
		Name: "google/gemma-4-12B-it", Type: ModelTypeBase, HuggingFaceID: "google/gemma-4-12B-it",
		NumberOfParams: "12000000000", Card: "https://huggingface.co/google/gemma-4-12B-it",
	}
	assert.NoError(t, valid.Validate())

	cases := map[string]func(r *RegisterModelRequest){
		"name":           func(r *RegisterModelRequest) { r.Name = "  " },
		"type":           func(r *RegisterModelRequest) { r.Type = "safetensors" },
		"missing type":   func(r *RegisterModelRequest) { r.Type = "" },
		"numberOfParams": func(r *RegisterModelRequest) { r.NumberOfParams = "12B" },
		"card relative":  func(r *RegisterModelRequest) { r.Card = "/google/gemma" },
		"card scheme":    func(r *RegisterModelRequest) { r.Card = "javascript:alert(1)" },
		"control":        func(r *RegisterModelRequest) { r.Publisher = "a\x00b" },
		"hf whitespace":  func(r *RegisterModelRequest) { r.HuggingFaceID = "google/gemma 4" },
	}
	for name, mutate := range cases {
		request := valid
		mutate(&request)
		assert.Error(t, request.Validate(), name)
	}
}

func TestUpdateRequestValidate(t *testing.T) {
	assert.ErrorContains(t, UpdateModelRequest{}.Validate(), "no field")

	description := "new text"
	assert.NoError(t, UpdateModelRequest{Description: &description}.Validate())

	badType := ModelType("fp8")
	assert.Error(t, UpdateModelRequest{Type: &badType}.Validate())

	empty := ""
	assert.Error(t, UpdateModelRequest{Name: &empty}.Validate())

	params := "1e9"
	assert.Error(t, UpdateModelRequest{NumberOfParams: &params}.Validate())
}

func TestDeploymentParametersValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }

	valid := DeploymentParameters{
		ForceDeployment: true, Temperature: f(0.7), TopP: f(1), TopK: f(40), MinP: f(0),
		RepetitionPenalty: f(1.1), MaxOutputTokens: n(1), AdapterScale: f(1),
	}
	assert.NoError(t, valid.Validate())
	assert.NoError(t, DeploymentParameters{}.Validate())

	cases := map[string]func(p *DeploymentParameters){
		"temperature high": func(p *DeploymentParameters) { p.Temperature = f(2.5) },
		"temperature NaN":  func(p *DeploymentParameters) { p.Temperature = f(math.NaN()) },
		"topP":             func(p *DeploymentParameters) { p.TopP = f(1.01) },
		"minP":             func(p *DeploymentParameters) { p.MinP = f(-0.1) },
		"topK":             func(p *DeploymentParameters) { p.TopK = f(-1) },
		"topK inf":         func(p *DeploymentParameters) { p.TopK = f(math.Inf(1)) },
		"penalty":          func(p *DeploymentParameters) { p.RepetitionPenalty = f(0) },
		"max tokens":       func(p *DeploymentParameters) { p.MaxOutputTokens = n(0) },
		"adapter":          func(p *DeploymentParameters) { p.AdapterScale = f(-1) },
	}
	for name, mutate := range cases {
		params := valid
		mutate(&params)
		assert.Error(t, params.Validate(), name)
	}
}
