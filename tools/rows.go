package tools

import "github.com/rational-ai/rational-mcp/internal/controlroom"

// ModelRow is the compact catalog entry that list_models, register_model and
// update_model return.
type ModelRow struct {
	ID            string `json:"id" jsonschema:"required" jsonschema_description:"Model id."`
	Name          string `json:"name" jsonschema:"required" jsonschema_description:"Catalog name."`
	Type          string `json:"type" jsonschema:"required" jsonschema_description:"Weight format."`
	HuggingFaceID string `json:"huggingFaceId,omitempty" jsonschema_description:"Repo id."`
	Publisher     string `json:"publisher,omitempty" jsonschema_description:"Publisher."`
}

func modelRow(m controlroom.Model) ModelRow {
	return ModelRow{
		ID:            m.ID,
		Name:          m.Name,
		Type:          string(m.Type),
		HuggingFaceID: m.HuggingFaceID,
		Publisher:     m.Publisher,
	}
}

// DeploymentRow is one serving instance as the deployment tools return it.
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
