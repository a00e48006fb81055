package mcpserver_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/mcpserver"
)

func TestResourceTemplatesListed(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			mcpClient := h.connect(t, era, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			listed, err := mcpClient.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
			require.NoError(t, err)

			var templates []string
			for _, template := range listed.ResourceTemplates {
				templates = append(templates, template.URITemplate.Raw())
				assert.Equal(t, "application/json", template.MIMEType)
				assert.NotEmpty(t, template.Description)
			}
			assert.ElementsMatch(t, []string{mcpserver.ModelResourceTemplate, mcpserver.DeploymentResourceTemplate}, templates)
		})
	}
}

func TestReadModelAndDeploymentResources(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	registered, err := h.api.RegisterModel(ctx, controlroom.RegisterModelRequest{
		Name: "resource-test", Type: controlroom.ModelTypeBase, HuggingFaceID: "Qwen/Qwen2.5-7B-Instruct", NumberOfParams: "7000000000",
	})
	require.NoError(t, err)
	deployed, err := h.api.DeployModel(ctx, registered.Model.ID, controlroom.DeploymentParameters{})
	require.NoError(t, err)

	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)

	modelURI := "rational://models/" + registered.Model.ID
	read, err := mcpClient.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: modelURI}})
	require.NoError(t, err)
	require.Len(t, read.Contents, 1)
	text, ok := read.Contents[0].(mcp.TextResourceContents)
	require.True(t, ok)
	assert.Equal(t, modelURI, text.URI)
	assert.Equal(t, "application/json", text.MIMEType)
	var model controlroom.Model
	require.NoError(t, json.Unmarshal([]byte(text.Text), &model))
	assert.Equal(t, registered.Model.ID, model.ID)
	assert.Equal(t, "Qwen/Qwen2.5-7B-Instruct", model.HuggingFaceID)
	require.Len(t, model.Deployments, 1)
	assert.Equal(t, deployed.DeploymentID, model.Deployments[0].DeploymentID)

	deploymentURI := "rational://deployments/" + deployed.DeploymentID
	read, err = mcpClient.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: deploymentURI}})
	require.NoError(t, err)
	require.Len(t, read.Contents, 1)
	text, ok = read.Contents[0].(mcp.TextResourceContents)
	require.True(t, ok)
	var deployment controlroom.Deployment
	require.NoError(t, json.Unmarshal([]byte(text.Text), &deployment))
	assert.Equal(t, deployed.DeploymentID, deployment.DeploymentID)
	assert.NotEmpty(t, deployment.Status)
}

func TestReadResourceErrors(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	cases := []struct {
		name string
		uri  string
		want []string
	}{
		{"unknown model", "rational://models/no-such-model", []string{"rational://models/no-such-model", "no-such-model"}},
		{"unknown deployment", "rational://deployments/no-such-deployment", []string{"rational://deployments/no-such-deployment"}},
		{"bad id", "rational://models/a%20b", []string{"invalid resource URI", "list_models"}},
		{"unknown scheme", "rational://widgets/1", []string{"rational://widgets/1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.sim.Stats().Requests
			_, err := mcpClient.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: tc.uri}})
			require.Error(t, err)
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
			if tc.name == "bad id" {
				assert.Equal(t, before, h.sim.Stats().Requests, "a bad id reaches no Control Room endpoint")
			}
		})
	}
}

func TestDeployOpenModelPrompt(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	mcpClient := h.connect(t, mcp.ProtocolVersion20251125, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	listed, err := mcpClient.ListPrompts(ctx, mcp.ListPromptsRequest{})
	require.NoError(t, err)
	require.Len(t, listed.Prompts, 1)
	prompt := listed.Prompts[0]
	assert.Equal(t, mcpserver.DeployOpenModelPrompt, prompt.Name)
	require.Len(t, prompt.Arguments, 1)
	assert.Equal(t, "huggingFaceId", prompt.Arguments[0].Name)
	assert.True(t, prompt.Arguments[0].Required)

	got, err := mcpClient.GetPrompt(ctx, mcp.GetPromptRequest{Params: mcp.GetPromptParams{
		Name: mcpserver.DeployOpenModelPrompt, Arguments: map[string]string{"huggingFaceId": "Qwen/Qwen2.5-7B-Instruct"},
	}})
	require.NoError(t, err)
	require.Len(t, got.Messages, 1)
	text, ok := got.Messages[0].Content.(mcp.TextContent)
	require.True(t, ok)
	for _, step := range []string{"inspect_model", "list_models", "register_model", "deploy_model", "get_deployment_status", "waitSeconds", "serviceUrl", "Qwen/Qwen2.5-7B-Instruct"} {
		assert.Contains(t, text.Text, step)
	}

	_, err = mcpClient.GetPrompt(ctx, mcp.GetPromptRequest{Params: mcp.GetPromptParams{
		Name: mcpserver.DeployOpenModelPrompt, Arguments: map[string]string{"huggingFaceId": "not a repo"},
	}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "huggingFaceId")
}
