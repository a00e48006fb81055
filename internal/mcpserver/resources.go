package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// Resource URI templates. A model resource is the catalog record with its
// deployments; a deployment resource is the deployment-status record.
const (
	ModelResourceTemplate      = "rational://models/{id}"
	DeploymentResourceTemplate = "rational://deployments/{deploymentId}"
)

// maxResourceIDLength bounds an id taken from a resource URI.
const maxResourceIDLength = 128

// addResources registers the model and deployment resource templates,
// which read the Control Room through api.
func addResources(mcpServer *server.MCPServer, api controlroom.API) {
	mcpServer.AddResourceTemplate(
		mcp.NewResourceTemplate(ModelResourceTemplate, "Catalog model",
			mcp.WithTemplateDescription("A catalog model record with its deployments, as JSON. Ids come from list_models."),
			mcp.WithTemplateMIMEType("application/json")),
		func(ctx context.Context, request mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			id, err := resourceID(request, "id", "list_models")
			if err != nil {
				return nil, invalidParams(err)
			}
			model, err := api.GetModel(ctx, id)
			if err != nil {
				return nil, readError(ctx, request.Params.URI, err)
			}
			return jsonContents(request.Params.URI, model)
		})

	mcpServer.AddResourceTemplate(
		mcp.NewResourceTemplate(DeploymentResourceTemplate, "Deployment",
			mcp.WithTemplateDescription("A deployment's status, GPU count and serviceUrl, as JSON. Ids come from list_deployments."),
			mcp.WithTemplateMIMEType("application/json")),
		func(ctx context.Context, request mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			id, err := resourceID(request, "deploymentId", "list_deployments")
			if err != nil {
				return nil, invalidParams(err)
			}
			deployment, err := api.GetDeploymentStatus(ctx, id)
			if err != nil {
				return nil, readError(ctx, request.Params.URI, err)
			}
			if deployment.DeploymentID == "" {
				deployment.DeploymentID = id
			}
			return jsonContents(request.Params.URI, deployment)
		})
}

// readError describes a failed read of uri. A record the Control Room does
// not have is "resource not found" for the client, an id the client
// rejects before sending is invalid params, and anything else is an
// internal error.
func readError(ctx context.Context, uri string, err error) error {
	switch controlroom.KindOf(err) {
	case controlroom.KindNotFound:
		return notFoundError(ctx, uri, err)
	case controlroom.KindInvalidInput:
		return invalidParams(fmt.Errorf("read %s: %w", uri, err))
	}
	return fmt.Errorf("read %s: %w", uri, err)
}

// resourceID returns the template variable name of request after checking
// that it is a plausible id, so no malformed value reaches the Control
// Room. finder names the tool that lists valid ids.
func resourceID(request mcp.ReadResourceRequest, name, finder string) (string, error) {
	raw, _ := request.Params.Arguments[name].(string)
	if values, ok := request.Params.Arguments[name].([]string); ok && len(values) == 1 {
		raw = values[0]
	}
	id := strings.TrimSpace(raw)

	switch {
	case id == "":
		return "", fmt.Errorf("invalid resource URI %s: the %s is missing; use an id from %s", request.Params.URI, name, finder)
	case len(id) > maxResourceIDLength:
		return "", fmt.Errorf("invalid resource URI %s: the %s is %d characters long, at most %d allowed; use an id from %s", request.Params.URI, name, len(id), maxResourceIDLength, finder)
	case strings.ContainsFunc(id, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r) || strings.ContainsRune("/?#%\\", r)
	}):
		return "", fmt.Errorf("invalid resource URI %s: the %s %q contains a character that no id has; use an id from %s", request.Params.URI, name, id, finder)
	}
	return id, nil
}

// jsonContents renders value as the JSON text contents of uri.
func jsonContents(uri string, value any) ([]mcp.ResourceContents, error) {
	encoded, err := json.MarshalIndent(value, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", uri, err)
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: "application/json", Text: string(encoded)}}, nil
}
