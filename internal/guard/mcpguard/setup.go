package mcpguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/rational-ai/rational-mcp/internal/controlroom"
	"github.com/rational-ai/rational-mcp/internal/guard"
	"github.com/rational-ai/rational-mcp/tools"
)

// Settings are the operator's guard settings, one per command-line flag.
type Settings struct {
	// Confirmation is the confirmation mode: auto, elicitation,
	// approval-page or deny. Empty means auto.
	Confirmation string
	// PolicyFile is the policy file; empty means the default rules.
	PolicyFile string
	// AuditLogFile is the append-only audit log; empty writes none.
	AuditLogFile string
	// StateKeyFile holds the HMAC key for request states, shared by
	// replicas; empty means a random key per process.
	StateKeyFile string
	// ApprovalTTL is how long approval links and request states stay
	// valid; 0 means guard.DefaultApprovalTTL and guard.DefaultStateTTL.
	ApprovalTTL time.Duration
	// ApprovalLink is how approval links reach the user: result (in the
	// tool result, the default), browser or log (see LinkInResult).
	ApprovalLink string
	// ApprovalOpener is the command that opens a URL in the user's browser
	// for ApprovalLink browser; empty means the platform's default.
	ApprovalOpener string
	// ReadOnly refuses every call that is not a read.
	ReadOnly bool
	// OnDecision, when set, receives the guard's decision on every
	// changing or refused call (see guard.Config.OnDecision).
	OnDecision func(guard.Decision)
}

// Running is a configured guard with its approval page and audit log.
type Running struct {
	Adapter *Adapter
	// Page is nil when the confirmation mode never uses the approval page.
	Page  *guard.PageServer
	audit *guard.AuditLog
}

// Start builds the guard from settings, starts the approval page on a
// loopback port when the mode can use it, and opens the audit log. api
// feeds the approval plans; estimator may be nil. Close releases it all.
func Start(settings Settings, api controlroom.API, estimator guard.Estimator, logger *slog.Logger) (*Running, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	mode := guard.ModeAuto
	if settings.Confirmation != "" {
		parsed, err := guard.ParseMode(settings.Confirmation)
		if err != nil {
			return nil, fmt.Errorf("invalid --confirmation: %w", err)
		}
		mode = parsed
	}

	if settings.ApprovalTTL < 0 || settings.ApprovalTTL > guard.MaxApprovalTTL {
		return nil, fmt.Errorf("invalid --approval-ttl %s: use a positive duration of at most %s, such as %s",
			settings.ApprovalTTL, guard.MaxApprovalTTL, guard.DefaultApprovalTTL)
	}

	if err := checkLinkMode(settings.ApprovalLink); err != nil {
		return nil, err
	}

	policy, err := loadPolicy(settings.PolicyFile)
	if err != nil {
		return nil, err
	}
	policy.Rules.ReadOnly = settings.ReadOnly

	key := guard.NewRandomKey()
	if settings.StateKeyFile != "" {
		if key, err = guard.LoadKeyFile(settings.StateKeyFile); err != nil {
			return nil, err
		}
	}
	signer, err := guard.NewStateSigner(key, min(settings.ApprovalTTL, guard.DefaultStateTTL), nil)
	if err != nil {
		return nil, err
	}

	running := &Running{}
	config := guard.Config{
		Policy:  policy,
		Mode:    mode,
		Signer:  signer,
		Planner: &guard.ControlRoomPlanner{API: api, Estimator: estimator},
		Logger:  logger,
	}
	config.OnDecision = settings.OnDecision

	if settings.AuditLogFile != "" {
		if running.audit, err = guard.OpenAuditLog(settings.AuditLogFile); err != nil {
			return nil, err
		}
		config.Audit = running.audit
	}

	if mode == guard.ModeAuto || mode == guard.ModeApprovalPage {
		approvals := guard.NewApprovals(settings.ApprovalTTL, nil)
		if running.Page, err = guard.StartPageServer(approvals, logger); err != nil {
			_ = running.Close(context.Background())
			return nil, err
		}
		config.Approvals = approvals
	}

	g, err := guard.New(config)
	if err != nil {
		_ = running.Close(context.Background())
		return nil, err
	}
	running.Adapter = New(g, logger)
	if running.Page != nil {
		if err := running.Adapter.SetApprovalLink(settings.ApprovalLink, settings.ApprovalOpener); err != nil {
			_ = running.Close(context.Background())
			return nil, err
		}
	}

	logger.Info("guard ready", "confirmation", mode, "policy", settings.PolicyFile,
		"preapprovalRules", len(policy.Preapprovals), "auditLog", settings.AuditLogFile,
		"sharedStateKey", settings.StateKeyFile != "", "readOnly", settings.ReadOnly,
		"approvalLink", orDefault(settings.ApprovalLink, LinkInResult))
	return running, nil
}

// loadPolicy reads the policy file and checks that its tool rules name
// tools of the registry.
func loadPolicy(filename string) (guard.Policy, error) {
	if filename == "" {
		return guard.DefaultPolicy(), nil
	}

	policy, err := guard.LoadPolicyFile(filename)
	if err != nil {
		return guard.Policy{}, err
	}

	var known []string
	for _, tool := range tools.All() {
		known = append(known, tool.Name)
	}
	if err := policy.Rules.CheckTools(known); err != nil {
		return guard.Policy{}, fmt.Errorf("policy file %s: %w", filename, err)
	}
	return policy, nil
}

// Close stops the approval page and closes the audit log.
func (r *Running) Close(ctx context.Context) error {
	var errs []error
	if r.Page != nil {
		errs = append(errs, r.Page.Close(ctx))
	}
	if r.audit != nil {
		errs = append(errs, r.audit.Close())
	}
	return errors.Join(errs...)
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
