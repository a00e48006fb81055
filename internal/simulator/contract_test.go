package simulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guideRegisterBody is the register example of the vendor's guide.
const guideRegisterBody = `{
    "name": "google/gemma-4-12B-it",
    "type": "base",
    "isFineTuned": false,
    "publisher": "google",
    "numberOfParams": "12000000000",
    "description": "Gemma 4 12B instruction-tuned",
    "card": "https://huggingface.co/google/gemma-4-12B-it",
    "huggingFaceId": "google/gemma-4-12B-it"
  }`

var guideDeploymentID = regexp.MustCompile(`^model-google-gemma-4-12-b-it-[0-9a-f]{12}$`)

func TestListModelsSeededPage(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, Seed: true})

	resp := h.do(http.MethodGet, "/management/v0/models?page=0&size=50", nil)

	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, contentTypeJSON, resp.header.Get("Content-Type"))
	var page struct {
		Content       []map[string]any `json:"content"`
		TotalElements int              `json:"totalElements"`
		TotalPages    int              `json:"totalPages"`
		Number        int              `json:"number"`
		Size          int              `json:"size"`
	}
	resp.decode(t, &page)
	assert.Equal(t, len(seedCatalog), page.TotalElements)
	assert.Equal(t, 1, page.TotalPages)
	assert.Equal(t, 0, page.Number)
	assert.Equal(t, 50, page.Size)
	require.Len(t, page.Content, len(seedCatalog))

	types := map[string]int{}
	for _, entry := range page.Content {
		for _, field := range []string{"id", "name", "type", "publisher", "huggingFaceId"} {
			assert.NotEmpty(t, entry[field], "field %s of %v", field, entry["name"])
		}
		assert.Contains(t, entry, "deployments")
		assert.True(t, isUUID(entry["id"].(string)))
		types[entry["type"].(string)]++
	}
	for _, modelType := range []string{"base", "awq", "gguf", "ggml"} {
		assert.Positive(t, types[modelType], "seeded models of type %s", modelType)
	}
}

func TestListModelsPaging(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	for i := range 5 {
		h.register(fmt.Sprintf("org/model-%d", i), "base", "")
	}

	resp := h.do(http.MethodGet, "/management/v0/models?page=1&size=2", nil)
	require.Equal(t, http.StatusOK, resp.status)
	page := resp.object(t)
	assert.EqualValues(t, 5, page["totalElements"])
	assert.EqualValues(t, 3, page["totalPages"])
	assert.EqualValues(t, 1, page["number"])
	content := page["content"].([]any)
	require.Len(t, content, 2)
	assert.Equal(t, "org/model-2", content[0].(map[string]any)["name"])
	assert.Equal(t, "org/model-3", content[1].(map[string]any)["name"])

	beyond := h.do(http.MethodGet, "/management/v0/models?page=9&size=2", nil)
	require.Equal(t, http.StatusOK, beyond.status)
	assert.Empty(t, beyond.object(t)["content"])

	empty := newHarness(t, Options{}).do(http.MethodGet, "/management/v0/models", nil)
	require.Equal(t, http.StatusOK, empty.status)
	assert.JSONEq(t, `{"content":[],"totalElements":0,"totalPages":0,"number":0,"size":20}`, string(empty.body))
}

func TestListModelsInvalidPaging(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	for _, query := range []string{"page=-1&size=50", "page=x&size=50", "page=0&size=0", "page=0&size=1001", "page=0&size=ten"} {
		resp := h.do(http.MethodGet, "/management/v0/models?"+query, nil)
		assert.Equal(t, http.StatusBadRequest, resp.status, "query %s", query)
		assert.Contains(t, errorMessage(t, resp), "query parameter", "query %s", query)
	}
}

func TestRegisterGuideExample(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})

	resp := h.do(http.MethodPost, "/management/v0/models/register", guideRegisterBody)

	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Equal(t, contentTypeJSON, resp.header.Get("Content-Type"))
	record := resp.object(t)
	assert.True(t, isUUID(record["id"].(string)), "id %v", record["id"])
	assert.Equal(t, "google/gemma-4-12B-it", record["name"])
	assert.Equal(t, "base", record["type"])
	assert.Equal(t, false, record["isFineTuned"])
	assert.Equal(t, "google", record["publisher"])
	assert.Equal(t, "12000000000", record["numberOfParams"])
	assert.Equal(t, "Gemma 4 12B instruction-tuned", record["description"])
	assert.Equal(t, "https://huggingface.co/google/gemma-4-12B-it", record["card"])
	assert.Equal(t, "google/gemma-4-12B-it", record["huggingFaceId"])
	assert.Equal(t, []any{}, record["deployments"])
	assert.Contains(t, record, "quant")
	assert.Nil(t, record["quant"])

	got := h.do(http.MethodGet, "/management/v0/models/"+record["id"].(string), nil)
	require.Equal(t, http.StatusOK, got.status)
	assert.JSONEq(t, string(resp.body), string(got.body))
	assert.EqualValues(t, 1, h.sim.Stats().RegistrationsCreated)
}

func TestRegisterDuplicateName(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	first := h.do(http.MethodPost, "/management/v0/models/register", guideRegisterBody)
	require.Equal(t, http.StatusCreated, first.status)
	id := first.object(t)["id"].(string)

	second := h.do(http.MethodPost, "/management/v0/models/register", guideRegisterBody)

	assert.Equal(t, http.StatusConflict, second.status)
	message := errorMessage(t, second)
	assert.Contains(t, message, "already exists")
	assert.Contains(t, message, id)
	assert.EqualValues(t, 409, second.object(t)["statusCode"])
	assert.EqualValues(t, 1, h.sim.Stats().RegistrationsCreated)
}

func TestRegisterInvalidBodies(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	cases := []struct {
		name    string
		body    string
		message string
	}{
		{"missing name", `{"type":"base","isFineTuned":false}`, `field "name" is required`},
		{"missing type", `{"name":"a/b","isFineTuned":false}`, `field "type" is required`},
		{"missing isFineTuned", `{"name":"a/b","type":"base"}`, `field "isFineTuned" is required`},
		{"unknown type", `{"name":"a/b","type":"safetensors","isFineTuned":false}`, `must be one of base, awq, ggml, gguf`},
		{"blank name", `{"name":"  ","type":"base","isFineTuned":false}`, `must not be blank`},
		{"name not string", `{"name":7,"type":"base","isFineTuned":false}`, `field "name" must be a string, got number`},
		{"isFineTuned string", `{"name":"a/b","type":"base","isFineTuned":"false"}`, `field "isFineTuned" must be a boolean, got string`},
		{"numberOfParams number", `{"name":"a/b","type":"base","isFineTuned":false,"numberOfParams":12000000000}`, `field "numberOfParams" must be a string`},
		{"card not URL", `{"name":"a/b","type":"base","isFineTuned":false,"card":"huggingface.co/a/b"}`, `field "card" must be an absolute http or https URL`},
		{"defaultParameters array", `{"name":"a/b","type":"base","isFineTuned":false,"defaultParameters":[]}`, `field "defaultParameters" must be an object`},
		{"malformed JSON", `{"name":"a/b",`, `not a valid JSON object`},
		{"array body", `[{"name":"a/b"}]`, `must be a JSON object, got array`},
		{"null body", `null`, `must be a JSON object, got null`},
		{"empty body", ``, `request body is empty`},
		{"trailing data", `{"name":"a/b","type":"base","isFineTuned":false} {}`, `data after the JSON object`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.do(http.MethodPost, "/management/v0/models/register", tc.body)
			assert.Equal(t, http.StatusBadRequest, resp.status, "body: %s", resp.body)
			assert.Contains(t, errorMessage(t, resp), tc.message)
		})
	}
	assert.Empty(t, h.sim.Stats().RegistrationsCreated)
}

func TestRegisterWrongContentType(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	req, err := http.NewRequest(http.MethodPost, h.base+"/management/v0/models/register",
		strings.NewReader(`{"name":"a/b","type":"base","isFineTuned":false}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+testToken)

	resp, err := h.server.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
}

func TestRegisterBodyTooLarge(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	body := `{"name":"a/b","type":"base","isFineTuned":false,"description":"` + strings.Repeat("x", MaxBodyBytes) + `"}`

	resp := h.do(http.MethodPost, "/management/v0/models/register", body)

	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.status)
	assert.Contains(t, errorMessage(t, resp), "larger than")
}

func TestGetModelNotFound(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	for _, id := range []string{"6f9619ff-8b86-4d01-b42d-00c04fc964ff", "not-a-uuid"} {
		resp := h.do(http.MethodGet, "/management/v0/models/"+id, nil)
		assert.Equal(t, http.StatusNotFound, resp.status, "id %s", id)
		assert.Contains(t, errorMessage(t, resp), "not found", "id %s", id)
	}
}

func TestDeployGuideExample(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	registered := h.do(http.MethodPost, "/management/v0/models/register", guideRegisterBody)
	require.Equal(t, http.StatusCreated, registered.status)
	modelID := registered.object(t)["id"].(string)

	resp := h.do(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", `{ "forceDeployment": true, "adapterScale": 1 }`)

	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	assert.Equal(t, contentTypeText, resp.header.Get("Content-Type"))
	deploymentID := string(resp.body)
	assert.Regexp(t, guideDeploymentID, deploymentID)

	record := h.do(http.MethodGet, "/management/v0/models/"+modelID, nil).object(t)
	deployments := record["deployments"].([]any)
	require.Len(t, deployments, 1)
	entry := deployments[0].(map[string]any)
	assert.Equal(t, deploymentID, entry["deploymentId"])
	assert.Equal(t, StatusScheduling, entry["status"])
	assert.EqualValues(t, 1, entry["gpuCount"])
	assert.Equal(t, "http://"+deploymentID+".rational-ai.svc.cluster.local/v1/", entry["serviceUrl"])
	assert.Equal(t, map[string]any{"forceDeployment": true, "adapterScale": 1.0}, entry["parameters"])
	assert.EqualValues(t, 1, h.sim.Stats().DeploymentsCreated)
}

func TestDeployInvalidParameters(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	cases := []struct {
		name    string
		body    string
		message string
	}{
		{"missing forceDeployment", `{"adapterScale":1}`, `field "forceDeployment" is required`},
		{"forceDeployment string", `{"forceDeployment":"true"}`, `field "forceDeployment" must be a boolean`},
		{"temperature string", `{"forceDeployment":true,"temperature":"0.7"}`, `field "temperature" must be a number`},
		{"maxOutputTokens fraction", `{"forceDeployment":true,"maxOutputTokens":1.5}`, `field "maxOutputTokens" must be an integer`},
		{"maxOutputTokens zero", `{"forceDeployment":true,"maxOutputTokens":0}`, `field "maxOutputTokens" must be >= 1`},
		{"topP above one", `{"forceDeployment":true,"topP":1.5}`, `field "topP" must be from 0 to 1`},
		{"negative temperature", `{"forceDeployment":true,"temperature":-1}`, `field "temperature" must be >= 0`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.do(http.MethodPost, "/management/v0/models/"+modelID+"/deploy", tc.body)
			assert.Equal(t, http.StatusBadRequest, resp.status, "body: %s", resp.body)
			assert.Contains(t, errorMessage(t, resp), tc.message)
		})
	}
	assert.Empty(t, h.sim.Deployments())
}

func TestDeploySamplingParametersEchoed(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")

	resp := h.do(http.MethodPost, "/management/v0/models/"+modelID+"/deploy",
		`{"forceDeployment":false,"temperature":0.7,"topP":0.9,"topK":-1,"minP":0.05,"repetitionPenalty":1.1,"maxOutputTokens":512,"adapterScale":1}`)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)

	parameters := h.deploymentStatus(string(resp.body))["parameters"]
	assert.Equal(t, map[string]any{
		"forceDeployment": false, "temperature": 0.7, "topP": 0.9, "topK": -1.0, "minP": 0.05,
		"repetitionPenalty": 1.1, "maxOutputTokens": 512.0, "adapterScale": 1.0,
	}, parameters)
}

func TestDeployUnknownModel(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	for _, id := range []string{"6f9619ff-8b86-4d01-b42d-00c04fc964ff", "google-gemma"} {
		resp := h.do(http.MethodPost, "/management/v0/models/"+id+"/deploy", `{"forceDeployment":true}`)
		assert.Equal(t, http.StatusNotFound, resp.status, "id %s", id)
		assert.Contains(t, errorMessage(t, resp), "not found")
	}
}

func TestDeploymentStatusEndpoint(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "awq", "7000000000")
	deploymentID := h.deploy(modelID, false)

	resp := h.do(http.MethodGet, "/management/v0/models/"+deploymentID+"/deployment-status", nil)

	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, contentTypeJSON, resp.header.Get("Content-Type"))
	status := resp.object(t)
	assert.Equal(t, deploymentID, status["deploymentId"])
	assert.Equal(t, StatusScheduling, status["status"])
	assert.EqualValues(t, 1, status["gpuCount"])
	assert.Equal(t, serviceURL(deploymentID), status["serviceUrl"])
	assert.Equal(t, modelID, status["modelId"])
	assert.Equal(t, "org/model", status["modelName"])
}

func TestDeploymentStatusNotFound(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "")

	unknown := h.do(http.MethodGet, "/management/v0/models/model-org-model-000000000000/deployment-status", nil)
	assert.Equal(t, http.StatusNotFound, unknown.status)
	assert.Contains(t, errorMessage(t, unknown), "not found")

	byModelID := h.do(http.MethodGet, "/management/v0/models/"+modelID+"/deployment-status", nil)
	assert.Equal(t, http.StatusNotFound, byModelID.status)
	assert.Contains(t, errorMessage(t, byModelID), "is a model id")
}

func TestListDeployments(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, Seed: true})
	modelID := h.register("org/model", "gguf", "7000000000")
	deploymentID := h.deploy(modelID, true)

	resp := h.do(http.MethodGet, "/management/v0/models/deployments", nil)

	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, contentTypeJSON, resp.header.Get("Content-Type"))
	var list []map[string]any
	resp.decode(t, &list)
	require.Len(t, list, 2)
	assert.Equal(t, SeededReadyModel, list[0]["modelName"])
	assert.Equal(t, StatusWaitingForChat, list[0]["status"])
	assert.Equal(t, deploymentID, list[1]["deploymentId"])
	assert.Equal(t, modelID, list[1]["modelId"])
	assert.Equal(t, "org/model", list[1]["modelName"])
	assert.EqualValues(t, 1, h.sim.Stats().Requests[EndpointListDeployments])
	assert.Zero(t, h.sim.Stats().Requests[EndpointGetModel])

	empty := newHarness(t, Options{}).do(http.MethodGet, "/management/v0/models/deployments", nil)
	assert.Equal(t, "[]", string(empty.body))
}

func TestPauseAndCancel(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, GPUs: 4})
	modelID := h.register("org/model", "base", "7000000000")
	deploymentID := h.deploy(modelID, false)
	require.Equal(t, 3, h.sim.FreeGPUs())

	paused := h.do(http.MethodPost, "/management/v0/models/"+deploymentID+"/pause", nil)
	require.Equal(t, http.StatusOK, paused.status)
	assert.Equal(t, contentTypeJSON, paused.header.Get("Content-Type"))
	assert.Equal(t, StatusPaused, paused.object(t)["status"])
	assert.Nil(t, paused.object(t)["serviceUrl"])
	assert.Equal(t, 4, h.sim.FreeGPUs())

	again := h.do(http.MethodPost, "/management/v0/models/"+deploymentID+"/pause", nil)
	assert.Equal(t, http.StatusOK, again.status)
	assert.Equal(t, StatusPaused, again.object(t)["status"])

	cancelled := h.do(http.MethodPost, "/management/v0/models/"+deploymentID+"/cancel", nil)
	require.Equal(t, http.StatusOK, cancelled.status)
	assert.Equal(t, StatusCancelled, cancelled.object(t)["status"])

	cancelAgain := h.do(http.MethodPost, "/management/v0/models/"+deploymentID+"/cancel", nil)
	assert.Equal(t, http.StatusOK, cancelAgain.status)
	assert.Equal(t, StatusCancelled, cancelAgain.object(t)["status"])

	pauseCancelled := h.do(http.MethodPost, "/management/v0/models/"+deploymentID+"/pause", nil)
	assert.Equal(t, http.StatusConflict, pauseCancelled.status)
	assert.Contains(t, errorMessage(t, pauseCancelled), "cancelled")

	unknown := h.do(http.MethodPost, "/management/v0/models/model-x-000000000000/cancel", nil)
	assert.Equal(t, http.StatusNotFound, unknown.status)

	// register, deploy, pause and cancel changed state; the repeats did not.
	assert.EqualValues(t, 4, h.sim.Stats().Mutations)
}

func TestUpdateModel(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	registered := h.do(http.MethodPost, "/management/v0/models/register", guideRegisterBody)
	require.Equal(t, http.StatusCreated, registered.status)
	before := registered.object(t)
	modelID := before["id"].(string)

	resp := h.do(http.MethodPatch, "/management/v0/models/"+modelID, `{"description":"Gemma 4 12B, updated","quant":"bf16"}`)

	require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
	after := resp.object(t)
	assert.Equal(t, "Gemma 4 12B, updated", after["description"])
	assert.Equal(t, "bf16", after["quant"])
	for _, unchanged := range []string{"id", "name", "type", "isFineTuned", "publisher", "numberOfParams", "card", "huggingFaceId", "createdAt"} {
		assert.Equal(t, before[unchanged], after[unchanged], "field %s", unchanged)
	}

	cleared := h.do(http.MethodPatch, "/management/v0/models/"+modelID, `{"quant":null}`)
	require.Equal(t, http.StatusOK, cleared.status)
	assert.Nil(t, cleared.object(t)["quant"])

	renamed := h.do(http.MethodPatch, "/management/v0/models/"+modelID, `{"name":"google/gemma-4-12B-it-renamed"}`)
	require.Equal(t, http.StatusOK, renamed.status)
	assert.Equal(t, "google/gemma-4-12B-it-renamed", renamed.object(t)["name"])
	h.register("google/gemma-4-12B-it", "base", "")
}

func TestUpdateModelRejections(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/first", "base", "")
	h.register("org/second", "base", "")

	taken := h.do(http.MethodPatch, "/management/v0/models/"+modelID, `{"name":"org/second"}`)
	assert.Equal(t, http.StatusConflict, taken.status)
	assert.Contains(t, errorMessage(t, taken), "already has that name")

	for body, message := range map[string]string{
		`{"type":"onnx"}`:        "must be one of",
		`{"name":null}`:          `field "name" cannot be null`,
		`{"isFineTuned":"yes"}`:  "must be a boolean",
		`{"card":"not a url"}`:   "absolute http or https URL",
		`{"description":[1, 2]}`: "must be a string, got array",
	} {
		resp := h.do(http.MethodPatch, "/management/v0/models/"+modelID, body)
		assert.Equal(t, http.StatusBadRequest, resp.status, "body %s", body)
		assert.Contains(t, errorMessage(t, resp), message, "body %s", body)
	}

	record := h.do(http.MethodGet, "/management/v0/models/"+modelID, nil).object(t)
	assert.Equal(t, "org/first", record["name"])
	assert.Equal(t, "base", record["type"])

	unknown := h.do(http.MethodPatch, "/management/v0/models/6f9619ff-8b86-4d01-b42d-00c04fc964ff", `{"quant":"x"}`)
	assert.Equal(t, http.StatusNotFound, unknown.status)
}

func TestDeleteModel(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	modelID := h.register("org/model", "base", "7000000000")
	deploymentID := h.deploy(modelID, false)

	blocked := h.do(http.MethodDelete, "/management/v0/models/"+modelID, nil)
	assert.Equal(t, http.StatusConflict, blocked.status)
	message := errorMessage(t, blocked)
	assert.Contains(t, message, "live deployments")
	assert.Contains(t, message, deploymentID)

	h.do(http.MethodPost, "/management/v0/models/"+deploymentID+"/pause", nil)
	stillBlocked := h.do(http.MethodDelete, "/management/v0/models/"+modelID, nil)
	assert.Equal(t, http.StatusConflict, stillBlocked.status)

	h.do(http.MethodPost, "/management/v0/models/"+deploymentID+"/cancel", nil)
	deleted := h.do(http.MethodDelete, "/management/v0/models/"+modelID, nil)
	assert.Equal(t, http.StatusNoContent, deleted.status)
	assert.Empty(t, deleted.body)

	gone := h.do(http.MethodGet, "/management/v0/models/"+modelID, nil)
	assert.Equal(t, http.StatusNotFound, gone.status)
	assert.Empty(t, h.sim.Deployments())

	again := h.do(http.MethodDelete, "/management/v0/models/"+modelID, nil)
	assert.Equal(t, http.StatusNotFound, again.status)

	h.register("org/model", "base", "")
}

func TestUnauthorized(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	for _, token := range []string{"", "wrong-token", testToken + "x"} {
		resp := h.doWithToken(http.MethodGet, "/management/v0/models?page=0&size=50", nil, token)
		assert.Equal(t, http.StatusUnauthorized, resp.status, "token %q", token)
		assert.Contains(t, errorMessage(t, resp), "bearer token")
		assert.NotContains(t, string(resp.body), testToken)
	}

	resp := h.doWithToken(http.MethodPost, "/management/v0/models/register", guideRegisterBody, "wrong")
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Zero(t, h.sim.Stats().RegistrationsCreated)
}

func TestAuthDisabledWithoutToken(t *testing.T) {
	h := newHarness(t, Options{})
	resp := h.doWithToken(http.MethodGet, "/management/v0/models", nil, "")
	assert.Equal(t, http.StatusOK, resp.status)
}

func TestCannotPostUnknownPath(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	cases := []struct{ method, path string }{
		{http.MethodPost, "/management/v0/models/register/extra"},
		{http.MethodPut, "/management/v0/models/6f9619ff-8b86-4d01-b42d-00c04fc964ff"},
		{http.MethodGet, "/management/v0/models/register"},
		{http.MethodPost, "/management/v1/models/register"},
		{http.MethodGet, "/management/v0/models/x/deploy"},
	}
	for _, tc := range cases {
		resp := h.do(tc.method, tc.path, nil)
		assert.Equal(t, http.StatusNotFound, resp.status, "%s %s", tc.method, tc.path)
		assert.Equal(t, contentTypeText, resp.header.Get("Content-Type"))
		assert.Equal(t, "Cannot "+tc.method+" /api"+tc.path, string(resp.body))
	}

	// A client whose base URL lacks /api sends to /management/...
	req, err := http.NewRequest(http.MethodPost, h.server.URL+"/management/v0/models/register", strings.NewReader(guideRegisterBody))
	require.NoError(t, err)
	noPrefix, err := h.server.Client().Do(req)
	require.NoError(t, err)
	defer noPrefix.Body.Close()
	assert.Equal(t, http.StatusNotFound, noPrefix.StatusCode)
	assert.EqualValues(t, 6, h.sim.Stats().Requests[EndpointUnmatched])
}

func TestHeadAndTrailingSlash(t *testing.T) {
	h := newHarness(t, Options{Token: testToken, Seed: true})

	head := h.do(http.MethodHead, "/management/v0/models", nil)
	assert.Equal(t, http.StatusOK, head.status)
	assert.Empty(t, head.body)
	assert.Equal(t, contentTypeJSON, head.header.Get("Content-Type"))

	slash := h.do(http.MethodGet, "/management/v0/models/", nil)
	assert.Equal(t, http.StatusOK, slash.status)
	assert.EqualValues(t, len(seedCatalog), slash.object(t)["totalElements"])
}

func TestRegisterNameTooLong(t *testing.T) {
	h := newHarness(t, Options{Token: testToken})
	name := strings.Repeat("n", maxNameLength+1)

	resp := h.do(http.MethodPost, registerPath, registerBody(name))

	assert.Equal(t, http.StatusBadRequest, resp.status)
	assert.Contains(t, errorMessage(t, resp), "the maximum is 256")
}
