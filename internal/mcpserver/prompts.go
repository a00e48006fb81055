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

// deployOpenModelText is the step-by-step request for repo. It covers both
// a reachable Hub, where inspect_model supplies registerArgs, and an
// unreachable or offline one, where inspect_model fails with "could not
// verify" and the type comes from the catalog, the repo name or the user.
func deployOpenModelText(repo string) string {
	return fmt.Sprintf(`Deploy the open model %[1]s on the Rational AI Control Room and give me its endpoint.

1. Call inspect_model with huggingFaceId %[1]q.
   - If it returns the repo's facts, show me the type, license, gating and GPU estimate. Stop and tell me if its type is empty or the warnings say it cannot be served.
   - If it says the repo was not found, stop and tell me.
   - If it says it could not verify the repo (the Hugging Face Hub is offline or unreachable), tell me so and go on: the catalog or register_model settles the type.
2. Call list_models with text %[1]q and look for a row [id, name, type, params, ready, huggingFaceId] whose huggingFaceId, or name when it has none, is %[1]s. If there is one, use its id as modelId and go to step 4.
3. Call register_model. With registerArgs from step 1, pass them. Without them, pass huggingFaceId %[1]q and an explicit type: base for full-precision safetensors weights, awq, gguf or ggml when the repo name says so (e.g. -AWQ, -GGUF); ask me if unsure. Report any warnings, and stop if it rejects the repo.
4. Call deploy_model with the modelId. It asks me to approve the plan; do not work around a refusal.
5. Call get_deployment_status with the deploymentId and waitSeconds 45, again while ready is false and next says to keep waiting. Stop if the status is final (paused, cancelled, failed).
6. Report the serviceUrl, an OpenAI-compatible /v1 endpoint, with the modelId and deploymentId, and remind me that cancel_deployment or pause_deployment releases the GPUs.`, repo)
}
