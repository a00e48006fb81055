package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/simulator"
)

// bytesPerToken is the estimate of reply size in tokens: 4 bytes per token.
const bytesPerToken = 4

// measureTokens measures the JSON-RPC result that a client passes on to
// the model: tools/list of the binary as an IDE starts it, a list_models
// reply of TokenModels models, and a get_deployment_status reply for a
// deployment that is still starting.
func measureTokens(ctx context.Context, cfg Config, report *Report) error {
	toolsList, err := toolsListResult(ctx, cfg.Binary)
	if err != nil {
		return err
	}
	report.Rows = append(report.Rows, tokenRows("tools/list (all tools)", len(toolsList), cfg.target(Below, 3000))...)

	catalog, err := newInProcess(simulator.Options{SyntheticModels: cfg.TokenModels})
	if err != nil {
		return err
	}
	defer catalog.close()
	listReply, err := catalog.call(ctx, toolListModels, map[string]any{"size": cfg.TokenModels})
	if err != nil {
		return err
	}
	name := fmt.Sprintf("list_models reply, %d models", cfg.TokenModels)
	report.Rows = append(report.Rows, tokenRows(name, len(listReply), cfg.target(Below, 2500))...)
	text, err := textContent(listReply)
	if err != nil {
		return err
	}
	report.Rows = append(report.Rows, tokenRows(name+", text block alone", len(text), nil)...)

	statusReply, err := notReadyStatusReply(ctx)
	if err != nil {
		return err
	}
	report.Rows = append(report.Rows, tokenRows("get_deployment_status reply, not ready", len(statusReply), nil)...)
	return nil
}

func tokenRows(name string, size int, tokenTarget *Target) []Row {
	tokens := float64((size + bytesPerToken - 1) / bytesPerToken)
	return []Row{
		newRow("tokens", name+" bytes", "B", []float64{float64(size)}, nil),
		newRow("tokens", name+" tokens (bytes/4)", "tokens", []float64{tokens}, tokenTarget),
	}
}

// toolsListResult returns the tools/list result of the binary over stdio.
func toolsListResult(ctx context.Context, binary string) ([]byte, error) {
	server, err := startStdio(ctx, binary)
	if err != nil {
		return nil, err
	}
	defer server.stop()
	if err := server.initialize(); err != nil {
		return nil, err
	}
	line, err := server.roundTrip(toolsListRequest(server.id()))
	if err != nil {
		return nil, err
	}
	result, err := checkResponse(line)
	if err != nil {
		return nil, fmt.Errorf("tools/list: %w", err)
	}
	return result, nil
}

// notReadyStatusReply deploys a seeded model on a simulator whose clock
// does not move, so the deployment stays in its first phase, and returns
// the get_deployment_status result for it.
func notReadyStatusReply(ctx context.Context) ([]byte, error) {
	clock := simulator.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	seeded, err := newInProcess(simulator.Options{Seed: true, Clock: clock})
	if err != nil {
		return nil, err
	}
	defer seeded.close()

	page, err := seeded.api.ListModels(ctx, 0, 50)
	if err != nil {
		return nil, err
	}
	var modelID string
	for _, model := range page.Content {
		if model.Name == "meta-llama/Llama-3.1-8B-Instruct" {
			modelID = model.ID
		}
	}
	if modelID == "" {
		return nil, fmt.Errorf("the seeded catalog has no meta-llama/Llama-3.1-8B-Instruct")
	}
	deployed, err := seeded.api.DeployModel(ctx, modelID, controlroom.DeploymentParameters{})
	if err != nil {
		return nil, fmt.Errorf("deploy %s on the simulator: %w", modelID, err)
	}
	return seeded.call(ctx, toolGetStatus, map[string]any{"deploymentId": deployed.DeploymentID})
}

// textContent returns the text of the first content block of a tool result,
// the part that a client without structuredContent support shows the model.
func textContent(result []byte) (string, error) {
	var decoded struct {
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	if err := json.Unmarshal(result, &decoded); err != nil {
		return "", fmt.Errorf("decode the tool result: %w", err)
	}
	if len(decoded.Content) == 0 {
		return "", fmt.Errorf("the tool result has no content block: %.200s", result)
	}
	return decoded.Content[0].Text, nil
}
