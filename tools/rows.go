package tools

import (
	"github.com/invopop/jsonschema"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// DeploymentRow is one serving instance as the deployment tools return it.
// The descriptions of the fields that hold a rowList of them name its
// fields, so keep those in step with this type.
// Status is the Control Room's value, passed through unchanged; Ready is
// true only for waitingForChat.
type DeploymentRow struct {
	DeploymentID string `json:"deploymentId" jsonschema:"required" jsonschema_description:"Deployment id."`
	ModelID      string `json:"modelId,omitempty" jsonschema_description:"Model id."`
	Status       string `json:"status" jsonschema:"required" jsonschema_description:"Status; waitingForChat is ready."`
	Ready        bool   `json:"ready" jsonschema:"required" jsonschema_description:"True when serving."`
	GPUCount     int    `json:"gpuCount" jsonschema:"required" jsonschema_description:"GPUs allocated."`
	ServiceURL   string `json:"serviceUrl,omitempty" jsonschema_description:"OpenAI-compatible /v1 URL."`
}

// rowList is a list of rows whose output schema declares the items only as
// objects. The description of the field that holds it names the row's
// fields instead, which costs a fraction of the bytes in tools/list.
type rowList[Row any] []Row

// JSONSchema returns the schema of a rowList: an array of objects.
func (rowList[Row]) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: "object"}}
}

func deploymentRow(d controlroom.Deployment, modelID string) DeploymentRow {
	row := DeploymentRow{
		DeploymentID: d.DeploymentID,
		ModelID:      d.ModelID,
		Status:       d.Status,
		Ready:        d.Ready(),
		GPUCount:     d.GPUCount,
		ServiceURL:   d.ServiceURL,
	}
	if row.ModelID == "" {
		row.ModelID = modelID
	}
	return row
}
