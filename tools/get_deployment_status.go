package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
)

// MaxWaitSeconds bounds waitSeconds. It keeps a waiting call well under the
// 60-second tool call time-out that common MCP clients apply.
const MaxWaitSeconds = 45

// Poll intervals while waiting: the first poll follows after
// firstPollInterval, later ones back off up to maxPollInterval.
const (
	firstPollInterval = 1 * time.Second
	maxPollInterval   = 8 * time.Second
)

// DeploymentStatusInput is the input of get_deployment_status.
type DeploymentStatusInput struct {
	DeploymentID string `json:"deploymentId" jsonschema:"required" jsonschema_description:"From list_deployments."`
	WaitSeconds  int    `json:"waitSeconds,omitempty" jsonschema:"minimum=0,maximum=45,default=0" jsonschema_description:"Seconds to wait for ready or a final status."`
}

// DeploymentStatusOutput is the result of get_deployment_status.
type DeploymentStatusOutput struct {
	DeploymentRow
	ElapsedSeconds int    `json:"elapsedSeconds" jsonschema:"required" jsonschema_description:"Seconds waited."`
	Next           string `json:"next" jsonschema:"required" jsonschema_description:"Next step."`
}

var getDeploymentStatus = define(Tool{
	Name:        "get_deployment_status",
	Title:       "Get deployment status",
	Description: "Get a deployment's status, ready flag, GPU count and serviceUrl. Pass waitSeconds to wait for ready.",
	Toolset:     ToolsetDeployments,
	Effect:      EffectRead,
	Annotations: Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false},
}, runGetDeploymentStatus)

func runGetDeploymentStatus(ctx context.Context, api controlroom.API, in DeploymentStatusInput) (DeploymentStatusOutput, error) {
	if err := requireID("deploymentId", &in.DeploymentID, "list_deployments"); err != nil {
		return DeploymentStatusOutput{}, err
	}
	if in.WaitSeconds < 0 || in.WaitSeconds > MaxWaitSeconds {
		return DeploymentStatusOutput{}, &ArgumentError{Argument: "waitSeconds", Message: fmt.Sprintf("got %d, want 0 to %d", in.WaitSeconds, MaxWaitSeconds)}
	}

	services := servicesFrom(ctx)
	waiter := statusWaiter{api: api, services: services, id: in.DeploymentID, progress: progressFrom(ctx)}
	row, elapsed, err := waiter.wait(ctx, time.Duration(in.WaitSeconds)*time.Second)
	if err != nil {
		return DeploymentStatusOutput{}, err
	}

	return DeploymentStatusOutput{
		DeploymentRow:  row,
		ElapsedSeconds: int(elapsed.Round(time.Second) / time.Second),
		Next:           nextStep(row, services),
	}, nil
}

// statusWaiter polls one deployment until it is ready, reaches a terminal
// status, or the budget ends.
type statusWaiter struct {
	api      controlroom.API
	services Services
	id       string
	progress ProgressReporter
	reports  int
}

// wait returns the last status read and the time spent. With a zero budget
// it reads the status once. A canceled ctx stops it at once with an error;
// a server shutdown (Services.Stopping) ends it early with the status read
// then.
func (w *statusWaiter) wait(ctx context.Context, budget time.Duration) (DeploymentRow, time.Duration, error) {
	start := w.services.now()
	policy := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(firstPollInterval),
		backoff.WithMaxInterval(maxPollInterval),
		backoff.WithMaxElapsedTime(0),
	)

	for {
		row, err := w.read(ctx)
		if err != nil {
			return DeploymentRow{}, 0, err
		}
		elapsed := w.services.now().Sub(start)
		if row.Ready || w.services.terminal(row.Status) {
			return row, elapsed, nil
		}

		remaining := budget - elapsed
		if remaining <= 0 || w.services.stopping() {
			return row, elapsed, nil
		}
		w.report(ctx, elapsed, budget, row.Status)

		interval := min(policy.NextBackOff(), remaining)
		if err := w.services.sleep(ctx, interval); err != nil {
			return DeploymentRow{}, 0, fmt.Errorf("get_deployment_status: stopped waiting for deployment %s: %w", quote(w.id), err)
		}
	}
}

func (w *statusWaiter) read(ctx context.Context) (DeploymentRow, error) {
	deployment, err := w.api.GetDeploymentStatus(ctx, w.id)
	if err != nil {
		return DeploymentRow{}, upstreamError("get_deployment_status", deploymentSubject(w.id), err)
	}
	row := deploymentRow(*deployment, "")
	if row.DeploymentID == "" {
		row.DeploymentID = w.id
	}
	return row, nil
}

// report sends one progress notification. Progress counts the reports, so
// it strictly increases even when the clock does not move; total is the
// budget in seconds for clients that draw a bar.
func (w *statusWaiter) report(ctx context.Context, elapsed, budget time.Duration, status string) {
	if w.progress == nil {
		return
	}
	w.reports++
	if status == "" {
		status = "unknown"
	}
	message := fmt.Sprintf("status %s after %ds", status, int(elapsed/time.Second))
	w.progress.ReportProgress(ctx, float64(w.reports), budget.Seconds(), message)
}

// nextStep tells the caller what to do after reading row.
func nextStep(row DeploymentRow, services Services) string {
	status := row.Status
	if status == "" {
		status = "unknown"
	}
	switch {
	case row.Ready:
		return fmt.Sprintf("ready; the OpenAI-compatible endpoint is %s", row.ServiceURL)
	case strings.EqualFold(status, "cancelled") || strings.EqualFold(status, "canceled"):
		return "cancelled; this is final and the deployment will not start again. Call deploy_model to start a new deployment"
	case strings.EqualFold(status, "paused"):
		return "paused; it will not become ready by waiting. To serve the model again, call deploy_model with forceDeployment true: the paused deployment still counts, so a deploy without it is rejected"
	case services.terminal(status):
		return fmt.Sprintf("status %s is final; waiting will not change it. Check the model with get_model, then call deploy_model to try again", quote(status))
	default:
		return fmt.Sprintf("not ready (status %s); call again with waitSeconds to keep waiting", quote(status))
	}
}
