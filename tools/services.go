package tools

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/rational-ai/rational-mcp/internal/estimate"
	"github.com/rational-ai/rational-mcp/internal/hfhub"
)

// Hub looks up repositories on the Hugging Face Hub. *hfhub.Client
// implements it. Errors are *hfhub.Error values, so hfhub.KindOf and
// hfhub.CouldNotVerify classify them.
type Hub interface {
	Inspect(ctx context.Context, repoID, revision string) (*hfhub.Facts, error)
}

// DefaultSupportedArchitectures are the config.architectures values that
// register_model accepts without a warning: common decoder-only text models
// that vLLM and llama.cpp serve. The vendor's guide says newer architectures
// may not be served, so the operator can widen or narrow the list.
var DefaultSupportedArchitectures = []string{
	"LlamaForCausalLM", "MistralForCausalLM", "MixtralForCausalLM",
	"Qwen2ForCausalLM", "Qwen3ForCausalLM", "Qwen2MoeForCausalLM",
	"GemmaForCausalLM", "Gemma2ForCausalLM", "Phi3ForCausalLM",
	"llama", "mistral", "qwen2", "gemma", "phi3",
}

// DefaultTerminalStatuses are the deployment statuses that end a wait
// besides ready: nothing happens to such a deployment without a new call.
var DefaultTerminalStatuses = []string{"paused", "cancelled", "canceled", "failed", "error"}

// Services are the dependencies of the tools beyond the Control Room. The
// zero value works: without a Hub every lookup reports "could not verify",
// and the wait settings take their defaults.
type Services struct {
	// Hub is the Hugging Face Hub client; nil means no Hub is configured.
	Hub Hub
	// HubStrict makes register_model, and update_model for a new
	// huggingFaceId or type, reject a change that the Hub could not verify,
	// or whose type or architecture it contradicts.
	HubStrict bool
	// SupportedArchitectures lists the architectures register_model
	// accepts without a warning; nil means DefaultSupportedArchitectures.
	SupportedArchitectures []string
	// Estimate sets the GPU size and overhead of inspect_model's estimate.
	Estimate estimate.Settings

	// TerminalStatuses end a wait besides ready; nil means
	// DefaultTerminalStatuses. Compared case-insensitively.
	TerminalStatuses []string
	// Sleep waits d or until ctx ends; nil means a real timer. Tests
	// inject one that advances a manual clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that measures the wait budget; nil means time.Now.
	Now func() time.Time
	// Stopping is closed when the server begins a graceful shutdown. A
	// get_deployment_status wait then ends early with the current status,
	// so the caller gets an answer before the connection closes. Nil
	// means never.
	Stopping <-chan struct{}
}

type servicesKey struct{}

// WithServices returns ctx carrying services for the tool handlers.
func WithServices(ctx context.Context, services Services) context.Context {
	return context.WithValue(ctx, servicesKey{}, services)
}

// servicesFrom returns the services in ctx, or the zero value.
func servicesFrom(ctx context.Context) Services {
	services, _ := ctx.Value(servicesKey{}).(Services)
	return services
}

func (s Services) architectureSupported(architecture string) bool {
	list := s.SupportedArchitectures
	if list == nil {
		list = DefaultSupportedArchitectures
	}
	return slices.ContainsFunc(list, func(name string) bool { return strings.EqualFold(name, architecture) })
}

func (s Services) terminal(status string) bool {
	list := s.TerminalStatuses
	if list == nil {
		list = DefaultTerminalStatuses
	}
	return slices.ContainsFunc(list, func(name string) bool { return strings.EqualFold(name, status) })
}

func (s Services) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// stopping reports whether Stopping is closed.
func (s Services) stopping() bool {
	select {
	case <-s.Stopping:
		return true
	default:
		return false
	}
}

// sleep waits d, until ctx ends or until Stopping closes; it returns nil in
// the last case, which the caller tells apart with stopping.
func (s Services) sleep(ctx context.Context, d time.Duration) error {
	if s.Stopping == nil {
		return s.sleepFor(ctx, d)
	}
	sleepCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.Stopping:
			cancel()
		case <-sleepCtx.Done():
		}
	}()
	err := s.sleepFor(sleepCtx, d)
	if err != nil && ctx.Err() == nil && s.stopping() {
		return nil
	}
	return err
}

func (s Services) sleepFor(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// ProgressReporter sends progress notifications for the running call. The
// MCP adapter installs one with WithProgressReporter when the client sent a
// progress token. Progress must increase with every report.
type ProgressReporter interface {
	ReportProgress(ctx context.Context, progress, total float64, message string)
}

type progressKey struct{}

// WithProgressReporter returns ctx carrying reporter for the running call.
func WithProgressReporter(ctx context.Context, reporter ProgressReporter) context.Context {
	return context.WithValue(ctx, progressKey{}, reporter)
}

// progressFrom returns the reporter in ctx, or nil.
func progressFrom(ctx context.Context) ProgressReporter {
	reporter, _ := ctx.Value(progressKey{}).(ProgressReporter)
	return reporter
}
