package controlroom

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleModelID = "3f2b8c1e-9a4d-4c2e-8f1a-420f1c9176bc"

func TestDecodeModelPageBareArray(t *testing.T) {
	body := `[{"id":"` + sampleModelID + `","name":"google/gemma-4-12B-it","type":"base","isFineTuned":false}]`

	page, bare, err := decodeModelPage([]byte(body), 2, 50)
	require.NoError(t, err)

	assert.True(t, bare)
	require.Len(t, page.Content, 1)
	assert.Equal(t, sampleModelID, page.Content[0].ID)
	assert.Equal(t, 2, page.Number)
	assert.Equal(t, 50, page.Size)
	assert.Equal(t, int64(1), page.TotalElements)
	assert.Equal(t, 1, page.TotalPages)
}

func TestDecodeModelPageObject(t *testing.T) {
	body := `{"content":[{"id":"a","name":"x","type":"gguf"}],"totalElements":7,"totalPages":4,"number":1,"size":2,"pageable":{}}`

	page, bare, err := decodeModelPage([]byte(body), 1, 2)
	require.NoError(t, err)

	assert.False(t, bare)
	assert.Len(t, page.Content, 1)
	assert.Equal(t, int64(7), page.TotalElements)
	assert.Equal(t, 4, page.TotalPages)
	assert.Equal(t, 1, page.Number)
}

func TestDecodeModelPageObjectWithoutTotals(t *testing.T) {
	page, _, err := decodeModelPage([]byte(`{"content":[]}`), 3, 10)
	require.NoError(t, err)

	assert.NotNil(t, page.Content)
	assert.Equal(t, 3, page.Number)
	assert.Equal(t, 10, page.Size)
	assert.Equal(t, 0, page.TotalPages)
}

func TestDecodeModelPageRejectsOtherShapes(t *testing.T) {
	for _, body := range []string{``, `null`, `{}`, `{"items":[]}`, `"text"`, `<html>oops</html>`, `[1,2]`, `{"content":{}}`, `[{"id":5}]`} {
		_, _, err := decodeModelPage([]byte(body), 0, 10)
		var decodeErr *decodeError
		assert.True(t, errors.As(err, &decodeErr), "body %q should fail to decode", body)
	}
}

func TestDecodeErrorQuotesBodyStart(t *testing.T) {
	body := "<html>" + strings.Repeat("x", 1000) + "</html>"

	_, _, err := decodeModelPage([]byte(body), 0, 10)
	require.Error(t, err)

	assert.Contains(t, err.Error(), `"<html>xxx`)
	assert.Less(t, len(err.Error()), 400, "the quote is cut to about 200 bytes")
}

func TestDecodeModelKeepsUnknownFields(t *testing.T) {
	body := `{"id":"` + sampleModelID + `","name":"n","type":"base","architecture":"gemma3","ID":"shadow",
		"deployments":[{"deploymentId":"model-n-1","status":"pullingWeights","gpuCount":2,"replicas":1}]}`

	model, err := decodeModel([]byte(body))
	require.NoError(t, err)

	assert.Equal(t, sampleModelID, model.ID, "the exact key id wins over ID")
	assert.JSONEq(t, `"gemma3"`, string(model.Extra["architecture"]))
	assert.JSONEq(t, `"shadow"`, string(model.Extra["ID"]))
	require.Len(t, model.Deployments, 1)
	assert.Equal(t, "pullingWeights", model.Deployments[0].Status)
	assert.False(t, model.Deployments[0].Ready())
	assert.JSONEq(t, `1`, string(model.Deployments[0].Extra["replicas"]))
}

func TestModelJSONRoundTrip(t *testing.T) {
	body := `{"id":"i","name":"n","type":"weird","isFineTuned":true,"architecture":{"a":[1,2]},
		"deployments":[{"deploymentId":"d","status":"s","tier":"x"}]}`

	var first Model
	require.NoError(t, json.Unmarshal([]byte(body), &first))
	encoded, err := json.Marshal(first)
	require.NoError(t, err)

	assert.JSONEq(t, `{"id":"i","name":"n","type":"weird","isFineTuned":true,"architecture":{"a":[1,2]},
		"deployments":[{"deploymentId":"d","status":"s","tier":"x"}]}`, string(encoded))
	var second Model
	require.NoError(t, json.Unmarshal(encoded, &second))
	assert.Equal(t, first, second)
}

func TestModelMarshalSkipsExtraShadowingField(t *testing.T) {
	model := Model{ID: "real", Extra: map[string]json.RawMessage{"id": json.RawMessage(`"fake"`), "z": json.RawMessage(`true`)}}

	encoded, err := json.Marshal(model)
	require.NoError(t, err)

	assert.JSONEq(t, `{"id":"real","name":"","type":"","isFineTuned":false,"z":true}`, string(encoded))
}

func TestDecodeModelRejectsMissingID(t *testing.T) {
	for _, body := range []string{`{}`, `{"name":"x"}`, `[]`, `null`, `OK`, ``} {
		_, err := decodeModel([]byte(body))
		assert.Error(t, err, "body %q", body)
	}
}

func TestDecodeDeploymentIDShapes(t *testing.T) {
	cases := map[string]string{
		"model-google-gemma-4-12-b-it-420f1c9176bc": "model-google-gemma-4-12-b-it-420f1c9176bc",
		"  model-a-1\n": "model-a-1",
		`"model-a-1"`:   "model-a-1",
		`{"deploymentId":"model-a-1","status":"queued"}`:                "model-a-1",
		`{"deploymentId":" model-a-1 "}`:                                "model-a-1",
		"model-google-gemma-4-12-b-it-420f1c9176bc\r\n":                 "model-google-gemma-4-12-b-it-420f1c9176bc",
		`"model-google-gemma-4-12-b-it-420f1c9176bc"` + "\n":            "model-google-gemma-4-12-b-it-420f1c9176bc",
		`{"deploymentId":"model-google-gemma-4-12-b-it-420f1c9176bc"} `: "model-google-gemma-4-12-b-it-420f1c9176bc",
	}
	for body, want := range cases {
		got, err := decodeDeploymentID([]byte(body))
		if assert.NoError(t, err, "body %q", body) {
			assert.Equal(t, want, got, "body %q", body)
		}
	}
}

func TestDecodeDeploymentIDRejectsGarbage(t *testing.T) {
	for _, body := range []string{``, `OK`, `"`, `{}`, `{"id":"model-a"}`, `null`, `[]`, `model a`, `../admin`, `<html></html>`,
		`{"deploymentId":5}`, strings.Repeat("a", 64), `Model-Upper`, `-lead`} {
		_, err := decodeDeploymentID([]byte(body))
		assert.Error(t, err, "body %q", body)
	}
}

func TestDecodeDeploymentStatusShapes(t *testing.T) {
	object, err := decodeDeploymentStatus([]byte(`{"status":"waitingForChat","serviceUrl":"http://x/v1/","phase":"Running"}`), "model-a-1")
	require.NoError(t, err)
	assert.Equal(t, "model-a-1", object.DeploymentID, "the id is filled from the request")
	assert.True(t, object.Ready())
	assert.JSONEq(t, `"Running"`, string(object.Extra["phase"]))

	text, err := decodeDeploymentStatus([]byte("someFutureStatus\n"), "model-a-1")
	require.NoError(t, err)
	assert.Equal(t, "someFutureStatus", text.Status, "unknown statuses pass through unchanged")
	assert.False(t, text.Ready())

	quoted, err := decodeDeploymentStatus([]byte(`"waitingForChat"`), "model-a-1")
	require.NoError(t, err)
	assert.Equal(t, StatusWaitingForChat, quoted.Status)

	empty, err := decodeDeploymentStatus(nil, "model-a-1")
	require.NoError(t, err)
	assert.Equal(t, "", empty.Status)
	assert.Equal(t, "model-a-1", empty.DeploymentID)

	for _, body := range []string{`[]`, `<html><body>502</body></html>`, "two\nlines", strings.Repeat("s", 600), `{"gpuCount":"two"}`} {
		_, err := decodeDeploymentStatus([]byte(body), "model-a-1")
		assert.Error(t, err, "body %q", body)
	}
}

func TestDecodeActionResultShapes(t *testing.T) {
	empty, err := decodeActionResult([]byte("  "))
	require.NoError(t, err)
	assert.Equal(t, &ActionResult{}, empty)

	text, err := decodeActionResult([]byte("Deployment paused"))
	require.NoError(t, err)
	assert.Equal(t, "Deployment paused", text.Message)
	assert.Nil(t, text.Deployment)

	object, err := decodeActionResult([]byte(`{"deploymentId":"model-a-1","status":"paused","message":"ok"}`))
	require.NoError(t, err)
	require.NotNil(t, object.Deployment)
	assert.Equal(t, "paused", object.Deployment.Status)
	assert.Equal(t, "ok", object.Message)

	message, err := decodeActionResult([]byte(`{"result":"cancelled"}`))
	require.NoError(t, err)
	assert.Equal(t, "cancelled", message.Message)
	assert.Nil(t, message.Deployment)

	for _, body := range []string{`[1]`, `<html></html>`, "a\x00b", `{"status":3}`} {
		_, err := decodeActionResult([]byte(body))
		assert.Error(t, err, "body %q", body)
	}
}

func TestErrorMessageShapes(t *testing.T) {
	cases := map[string]string{
		`{"timestamp":"x","status":404,"error":"Not Found","message":"Model not found","path":"/x"}`: "Model not found",
		`{"error":"Not Found","message":""}`:                     "Not Found",
		`{"detail":"bad type","title":"Bad Request"}`:            "bad type",
		`"quoted failure"`:                                       "quoted failure",
		"plain\ttext\nfailure":                                   "plain text failure",
		`<!DOCTYPE html><pre>Cannot POST /models/register</pre>`: "Cannot POST /models/register",
		``:              "",
		`{"code":17}`:   `{"code":17}`,
		"bad \xff utf8": "bad utf8",
	}
	for body, want := range cases {
		assert.Equal(t, want, errorMessage([]byte(body)), "body %q", body)
	}

	long := errorMessage([]byte(strings.Repeat("é", 2000)))
	assert.LessOrEqual(t, len(long), messageLimit+len("…"))
	assert.True(t, strings.HasSuffix(long, "…"), "a cut message ends in …")
}

func TestErrorMessageKeepsAdvice(t *testing.T) {
	advice := "model m1 already has deployment d1 (status waitingForChat): use that deployment, " +
		strings.Repeat("or read the status first, ", 8) + "or send forceDeployment=true to replace it with a fresh rollout"
	require.Greater(t, len(advice), quoteLimit)

	bodies := map[string]string{
		"JSON message": `{"status":409,"message":"` + advice + `"}`,
		"JSON string":  `"` + advice + `"`,
		"plain text":   advice,
	}
	for name, body := range bodies {
		assert.Equal(t, advice, errorMessage([]byte(body)), name)
	}

	controls := errorMessage([]byte("{\"message\":\"line one\\nline two\\u0007 \\u001b[31mred\"}"))
	assert.Equal(t, "line one line two [31mred", controls)

	page := "<html><body><p>" + strings.Repeat("Internal error. ", 40) + "</p></body></html>"
	assert.LessOrEqual(t, len(errorMessage([]byte(page))), quoteLimit+len("…"), "an HTML page is quoted short")
	assert.LessOrEqual(t, len(errorMessage([]byte(`{"code":"`+strings.Repeat("x", 500)+`"}`))), quoteLimit+len("…"), "an object without a message is quoted short")
}

func TestIsWrongOrigin(t *testing.T) {
	assert.True(t, isWrongOrigin([]byte("Cannot POST /management/v0/models/register")))
	assert.True(t, isWrongOrigin([]byte(`<html><body><pre>Cannot GET /models</pre></body></html>`)))
	assert.False(t, isWrongOrigin([]byte(`{"message":"Model 3f2b not found"}`)))
	assert.False(t, isWrongOrigin(nil))
}

func TestModelExtraKeyDifferingInCaseOnly(t *testing.T) {
	var model Model
	require.NoError(t, json.Unmarshal([]byte(`{"id":"m-1","ID":"other","name":"n","vendorField":1}`), &model))

	assert.Equal(t, "m-1", model.ID)
	assert.JSONEq(t, `"other"`, string(model.Extra["ID"]))
	assert.JSONEq(t, `1`, string(model.Extra["vendorField"]))
}

func TestModelExtraKeysOnlyUnknown(t *testing.T) {
	var model Model
	require.NoError(t, json.Unmarshal([]byte(`{"id":"m-1","name":"n","type":"gguf","vendorField":{"a":1}}`), &model))

	assert.Equal(t, "m-1", model.ID)
	assert.Equal(t, ModelTypeGGUF, model.Type)
	assert.Len(t, model.Extra, 1)
	assert.JSONEq(t, `{"a":1}`, string(model.Extra["vendorField"]))
}
