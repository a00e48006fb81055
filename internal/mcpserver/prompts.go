package mcpserver

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// DeployOpenModelPrompt is the name of the prompt that walks an agent from
// a Hugging Face repo id to a serving endpoint.
const DeployOpenModelPrompt = "deploy_open_model"

// addPrompts registers the deploy_open_model prompt.
func addPrompts(mcpServer *server.MCPServer) {
	mcpServer.AddPrompt(
		mcp.NewPrompt(DeployOpenModelPrompt,
			mcp.WithPromptTitle("Deploy an open model"),
			mcp.WithPromptDescription("Inspect a Hugging Face model, register it if absent, deploy it with approval, wait until it serves, and report the serviceUrl."),
			mcp.WithArgument("huggingFaceId",
				mcp.ArgumentDescription("Hugging Face repo id, e.g. Qwen/Qwen2.5-7B-Instruct."),
				mcp.RequiredArgument())),
		func(_ context.Context, request mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			repo := strings.TrimSpace(request.Params.Arguments["huggingFaceId"])
			if err := hfhub.ValidateRepoID(repo); err != nil {
				return nil, invalidParams(fmt.Errorf("argument huggingFaceId of prompt %s: %w", DeployOpenModelPrompt, err))
			}
			return mcp.NewGetPromptResult("Deploy "+repo+" and report its endpoint",
				[]mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(deployOpenModelText(repo)))}), nil
		})
}

// deployOpenModelText is the step-by-step request for repo.
func deployOpenModelText(repo string) string {
	return fmt.Sprintf(`Deploy the open model %[1]s on the Rational AI Control Room and give me its endpoint.

1. Call inspect_model with huggingFaceId %[1]q. Stop and tell me if the repo is missing, its type is unknown, or the warnings say it cannot be served. Show me the GPU estimate.
2. Call list_models and look for a record whose huggingFaceId is %[1]s. If there is none, call register_model with the registerArgs from step 1, and report any warnings.
3. Call deploy_model with the modelId. It asks me to approve the plan; do not work around a refusal.
4. Call get_deployment_status with the deploymentId and waitSeconds 45, again while ready is false and next says to keep waiting. Stop if the status is final (paused, cancelled, failed).
5. Report the serviceUrl, an OpenAI-compatible /v1 endpoint, with the modelId and deploymentId, and remind me that cancel_deployment or pause_deployment releases the GPUs.`, repo)
}
