package tools

// DeploymentIDInput is the input of tools that take only a deployment id.
type DeploymentIDInput struct {
	DeploymentID string `json:"deploymentId" jsonschema:"required" jsonschema_description:"From list_deployments."`
}

// DeploymentActionOutput is the result of pause_deployment and
// cancel_deployment.
type DeploymentActionOutput struct {
	DeploymentID string `json:"deploymentId" jsonschema:"required" jsonschema_description:"Deployment id."`
	Status       string `json:"status,omitempty" jsonschema_description:"Status, if sent."`
	Message      string `json:"message" jsonschema:"required" jsonschema_description:"Outcome."`
}
