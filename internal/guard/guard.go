package guard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"time"
)

// ElicitationKey is the key of the guard's input request in inputRequests
// and inputResponses.
const ElicitationKey = "approve"

// ClientCapabilities are the capabilities the client declared.
type ClientCapabilities struct {
	// Elicitation is true when the client declared the elicitation
	// capability (form mode).
	Elicitation bool
}

// InputAnswer is the client's answer to one input request.
type InputAnswer struct {
	// Action is "accept", "decline" or "cancel"; "" when the answer is not
	// an elicitation result.
	Action string
	// Content is the accepted form's content.
	Content map[string]any
}

// Call is one tool call as the guard receives it.
type Call struct {
	Tool Tool
	// Arguments are the call's arguments, approvalId included.
	Arguments map[string]any
	// Caller names who calls: the session id, followed over HTTP by
	// "@" and the hash of the caller's credential (see mcpguard). States
	// and approvals issued to one caller are refused for any other, and
	// the approval quota counts the credential part.
	Caller string
	Client ClientCapabilities
	// RequestState is the requestState the client echoed back, if any.
	RequestState string
	// InputResponses are the client's answers, nil when the call carries
	// none.
	InputResponses map[string]InputAnswer
}

// ElicitationRequest is a request for the user to approve a plan in the client.
type ElicitationRequest struct {
	Key     string
	Message string
	// Schema is the requested form schema: one required boolean "approve".
	Schema map[string]any
	// State is the signed requestState the client must echo back.
	State string
}

// Verdict is the guard's decision on a call.
type Verdict struct {
	Decision Decision
	// Rule names the rule that classified the call.
	Rule RuleSource
	// ApprovedBy is set for DecisionAllowed and DecisionApproved.
	ApprovedBy *Approver
	// Plan is set when the call needed approval and its plan was built.
	Plan *Plan
	// Elicitation is set for DecisionInputRequired.
	Elicitation *ElicitationRequest
	// Approval is set for DecisionApprovalRequired.
	Approval *PendingApproval
	// Refusal is set for DecisionRefused.
	Refusal *Refusal
	// PolicyMisses lists why no pre-approval rule matched a deploy.
	PolicyMisses []string

	// release ends the hold on the guard's deploy slot; nil when the
	// verdict holds none.
	release func()
}

// Release ends the verdict's hold on the guard's deploy slot. A verdict
// that lets a deploy run holds the slot, so the caller must call Release
// once the deploy returned, or when it does not run the tool. Release may
// be called more than once and on any verdict.
func (v Verdict) Release() {
	if v.release != nil {
		v.release()
	}
}

// Proceed reports whether the tool may run.
func (v Verdict) Proceed() bool {
	return v.Decision == DecisionAllowed || v.Decision == DecisionApproved
}

// Config configures a Guard.
type Config struct {
	Policy Policy
	Mode   Mode
	// Signer issues and verifies elicitation states. Required.
	Signer *StateSigner
	// Approvals backs the approval page; nil when the page is off.
	Approvals *Approvals
	// Planner builds plans. Required.
	Planner Planner
	// Audit receives one line per non-read call and per refusal; nil
	// writes none.
	Audit  *AuditLog
	Logger *slog.Logger
	// Now is the clock for audit lines; time.Now when nil.
	Now func() time.Time
	// OnDecision, when set, is called by Record for every call that gets
	// an audit line (changing calls and refusals), audit log or not. It
	// must not block; metrics count approvals by decision with it.
	OnDecision func(Decision)
}

// Guard decides on tool calls. It is safe for concurrent use.
type Guard struct {
	config Config

	// deploySlot serialises approved deploys in this process. A policy
	// check holds it from the plan's count of live deployments until the
	// deploy returned, so two concurrent checks cannot both count the same
	// free slot of maxConcurrentDeployments.
	deploySlot chan struct{}
}

// New returns a Guard for config.
func New(config Config) (*Guard, error) {
	if config.Signer == nil {
		return nil, errors.New("guard: a state signer is required")
	}
	if config.Planner == nil {
		return nil, errors.New("guard: a planner is required")
	}
	if config.Mode == "" {
		config.Mode = ModeAuto
	}
	if _, err := ParseMode(string(config.Mode)); err != nil {
		return nil, fmt.Errorf("guard: %w", err)
	}
	if config.Policy.Rules.Effects == nil {
		config.Policy.Rules = DefaultRules()
	}
	if config.Logger == nil {
		config.Logger = slog.Default()
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	return &Guard{config: config, deploySlot: make(chan struct{}, 1)}, nil
}

// Rules returns the rules in force, for listing tools.
func (g *Guard) Rules() Rules { return g.config.Policy.Rules }

// Check decides on call. It runs nothing itself: the caller runs the tool
// only when the verdict's Proceed is true, and only once per verdict, then
// calls the verdict's Release. A deploy check may wait while another
// approved deploy in this process runs.
func (g *Guard) Check(ctx context.Context, call Call) Verdict {
	action, rule := g.config.Policy.Rules.Decide(call.Tool)
	verdict := Verdict{Rule: rule}

	roundTrip := call.RequestState != "" || call.InputResponses != nil
	approvalID, hasApprovalID, refusal := approvalIDArgument(call.Arguments)
	if refusal != nil {
		return refused(verdict, refusal)
	}

	switch action {
	case ActionDeny:
		if rule == RuleReadOnly {
			return refused(verdict, refuse(ReasonReadOnly, fmt.Sprintf(
				"the server runs in read-only mode, which allows only tools that change nothing; use %s on a server without --read-only", call.Tool.Name)))
		}
		return refused(verdict, refuse(ReasonDenied, fmt.Sprintf(
			"the operator's %s does not allow %s; ask the operator if you need it", rule, call.Tool.Name)))

	case ActionAllow:
		if roundTrip {
			return refused(verdict, refuse(ReasonUnsolicited,
				"the call carries inputResponses or a requestState that this server did not ask for; call the tool again without them"))
		}
		verdict.Decision = DecisionAllowed
		verdict.ApprovedBy = &Approver{Kind: ApproverRule, Ref: string(rule)}
		return verdict
	}

	return g.checkApproval(ctx, call, verdict, roundTrip, approvalID, hasApprovalID)
}

// checkApproval handles a call whose rule requires approval.
func (g *Guard) checkApproval(ctx context.Context, call Call, verdict Verdict, roundTrip bool, approvalID string, hasApprovalID bool) Verdict {
	if roundTrip && hasApprovalID {
		return refused(verdict, refuse(ReasonUnsolicited,
			"the call carries both an approvalId and an elicitation answer; call again with the same arguments and only the approvalId"))
	}

	// A call that the policy may approve takes the deploy slot before its
	// plan counts the live deployments, and keeps it only when the policy
	// approves a deploy.
	policyPath := !roundTrip && !hasApprovalID && len(g.config.Policy.Preapprovals) > 0
	if policyPath {
		release, refusal := g.holdDeploySlot(ctx)
		if refusal != nil {
			return refused(verdict, refusal)
		}
		verdict.release = release
	}

	verdict = g.checkApprovalPlan(ctx, call, verdict, roundTrip, approvalID, hasApprovalID)
	if !verdict.Proceed() || verdict.Plan == nil || verdict.Plan.Deploy == nil {
		verdict.Release()
		verdict.release = nil
		return verdict
	}

	// A deploy approved by a human also runs in the slot, so that a
	// concurrent policy check counts it once it is live.
	if verdict.release == nil {
		release, refusal := g.holdDeploySlot(ctx)
		if refusal != nil {
			return refused(verdict, refusal)
		}
		verdict.release = release
	}
	return verdict
}

// holdDeploySlot waits for the deploy slot and returns the function that
// frees it once.
func (g *Guard) holdDeploySlot(ctx context.Context) (func(), *Refusal) {
	select {
	case g.deploySlot <- struct{}{}:
	case <-ctx.Done():
		return nil, refuse(ReasonPlanFailed, fmt.Sprintf(
			"the call ended (%v) while it waited for another deploy in this server to finish; nothing was deployed, call again", ctx.Err()))
	}

	var once sync.Once
	return func() { once.Do(func() { <-g.deploySlot }) }, nil
}

// checkApprovalPlan builds the plan of call and decides on it: by the
// elicitation answer, the approval id, the policy or a human.
func (g *Guard) checkApprovalPlan(ctx context.Context, call Call, verdict Verdict, roundTrip bool, approvalID string, hasApprovalID bool) Verdict {
	binding, plan, refusal := g.bind(ctx, call)
	if refusal != nil {
		return refused(verdict, refusal)
	}
	verdict.Plan = plan

	if roundTrip {
		return g.checkElicitationAnswer(call, verdict, binding)
	}

	if hasApprovalID {
		if refusal := g.consumeApproval(approvalID, binding); refusal != nil {
			return refused(verdict, refusal)
		}
		verdict.Decision = DecisionApproved
		verdict.ApprovedBy = &Approver{Kind: ApproverApprovalPage, Ref: Fingerprint(approvalID)}
		return verdict
	}

	if plan.Deploy != nil && len(g.config.Policy.Preapprovals) > 0 {
		match := MatchDeploy(g.config.Policy.Preapprovals, plan.Deploy.Facts())
		if match.Rule != nil {
			verdict.Decision = DecisionApproved
			verdict.ApprovedBy = &Approver{Kind: ApproverPolicy, Ref: match.Rule.Name}
			return verdict
		}
		verdict.PolicyMisses = match.Misses
	}

	return g.askHuman(call, verdict, binding)
}

// bind builds the plan of call and the binding that an approval must match.
func (g *Guard) bind(ctx context.Context, call Call) (Binding, *Plan, *Refusal) {
	digest, err := ArgumentsDigest(call.Arguments)
	if err != nil {
		return Binding{}, nil, refuse(ReasonPlanFailed, fmt.Sprintf("the arguments could not be read (%v); fix them and call again", err))
	}

	plan, err := g.config.Planner.Plan(ctx, call.Tool.Name, call.Arguments)
	var notFound *NotFoundError
	if errors.As(err, &notFound) {
		return Binding{}, nil, refuse(ReasonNotFound, notFound.Error())
	}
	if err != nil {
		return Binding{}, nil, refuse(ReasonPlanFailed, fmt.Sprintf(
			"the plan that the approver must see could not be built (%v); fix the arguments and call again", err))
	}

	return Binding{Tool: call.Tool.Name, Arguments: digest, Plan: plan.Digest(), Caller: call.Caller}, plan, nil
}

// askHuman sends the call to the human approval path that the mode and the
// client allow.
func (g *Guard) askHuman(call Call, verdict Verdict, binding Binding) Verdict {
	switch g.config.Mode {
	case ModeDeny:
		return refused(verdict, refuse(ReasonNoHumanPath, fmt.Sprintf(
			"%s needs approval, and this server asks no human (confirmation mode deny), so only the operator's policy can approve it, and %s; ask the operator for a policy rule that pre-approves this call",
			call.Tool.Name, policyHint(verdict.PolicyMisses))))

	case ModeElicitation:
		if !call.Client.Elicitation {
			return refused(verdict, refuse(ReasonNoHumanPath, fmt.Sprintf(
				"%s needs the user's approval, this server asks only through elicitation, and this client did not declare the elicitation capability; use a client that supports elicitation, or ask the operator for --confirmation auto",
				call.Tool.Name)))
		}
		return g.elicit(verdict, binding)

	case ModeApprovalPage:
		return g.sendToPage(call, verdict, binding)

	default:
		if call.Client.Elicitation {
			return g.elicit(verdict, binding)
		}
		return g.sendToPage(call, verdict, binding)
	}
}

func (g *Guard) elicit(verdict Verdict, binding Binding) Verdict {
	state, err := g.config.Signer.Issue(binding)
	if err != nil {
		return refused(verdict, refuse(ReasonPlanFailed, fmt.Sprintf("the confirmation request could not be created (%v); call again, and tell the operator if it keeps failing", err)))
	}

	verdict.Decision = DecisionInputRequired
	verdict.Elicitation = &ElicitationRequest{
		Key:     ElicitationKey,
		Message: verdict.Plan.Text() + "\nApprove runs exactly this, once. Decline runs nothing.",
		Schema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				"approve": map[string]any{
					"type":        "boolean",
					"title":       "Approve",
					"description": "Check to run exactly the action above, once.",
					"default":     false,
				},
			},
			"required": []any{"approve"},
		},
		State: state,
	}
	return verdict
}

func (g *Guard) sendToPage(call Call, verdict Verdict, binding Binding) Verdict {
	if g.config.Approvals == nil {
		return refused(verdict, refuse(ReasonNoHumanPath, fmt.Sprintf(
			"%s needs the user's approval, this client did not declare elicitation, and the approval page is off; ask the operator to enable the approval page or a policy rule",
			call.Tool.Name)))
	}

	pending, refusal := g.config.Approvals.Create(binding, verdict.Plan)
	if refusal != nil {
		return refused(verdict, refusal)
	}
	verdict.Decision = DecisionApprovalRequired
	verdict.Approval = &pending
	return verdict
}

// checkElicitationAnswer verifies a retried call's state and reads the
// user's answer.
func (g *Guard) checkElicitationAnswer(call Call, verdict Verdict, binding Binding) Verdict {
	if call.RequestState == "" {
		return refused(verdict, refuse(ReasonUnsolicited,
			"the call carries inputResponses but no requestState, so this server did not ask for them; call the tool again without inputResponses"))
	}
	if len(call.InputResponses) == 0 {
		return refused(verdict, refuse(ReasonUnsolicited,
			"the call carries a requestState but no inputResponses; call the tool again without requestState"))
	}

	if refusal := g.config.Signer.Verify(call.RequestState, binding); refusal != nil {
		return refused(verdict, refusal)
	}

	for key := range call.InputResponses {
		if key != ElicitationKey {
			return refused(verdict, refuse(ReasonUnsolicited, fmt.Sprintf(
				"inputResponses contains %q, which this server did not ask for; call the tool again without requestState and inputResponses",
				truncate(key, 80))))
		}
	}

	answer := call.InputResponses[ElicitationKey]
	switch {
	case answer.Action == "accept" && answer.Content["approve"] == true:
		verdict.Decision = DecisionApproved
		verdict.ApprovedBy = &Approver{Kind: ApproverElicitation, Ref: "user accepted in the client"}
		return verdict
	case answer.Action == "accept":
		return refused(verdict, refuse(ReasonDeclined,
			"the user answered without checking Approve; do not retry unless the user asks for it"))
	case answer.Action == "decline" || answer.Action == "cancel":
		return refused(verdict, refuse(ReasonDeclined, fmt.Sprintf(
			"the user chose %s; do not retry unless the user asks for it", answer.Action)))
	default:
		return refused(verdict, refuse(ReasonUnsolicited,
			"the answer under \"approve\" is not an elicitation result; call the tool again without requestState and inputResponses"))
	}
}

func (g *Guard) consumeApproval(approvalID string, binding Binding) *Refusal {
	if g.config.Approvals == nil {
		return refuse(ReasonUnknownApproval, "the approval page is off, so no approval id is valid; call the tool again without approvalId")
	}
	return g.config.Approvals.Consume(approvalID, binding)
}

// approvalIDArgument returns the approvalId argument. A present value that
// is not a non-empty string is refused, not ignored.
func approvalIDArgument(arguments map[string]any) (string, bool, *Refusal) {
	value, ok := arguments[ApprovalArgument]
	if !ok || value == nil {
		return "", false, nil
	}
	id, isString := value.(string)
	if !isString {
		return "", false, refuse(ReasonUnknownApproval, "approvalId is not a string; pass the approvalId string from the approval_required result, or leave it out")
	}
	if strings.TrimSpace(id) == "" {
		return "", false, refuse(ReasonUnknownApproval, "approvalId is empty; pass the approvalId string from the approval_required result, or leave it out")
	}
	return id, true, nil
}

// WithoutApprovalArguments returns a copy of arguments without the approval
// arguments, to hand to the tool.
func WithoutApprovalArguments(arguments map[string]any) map[string]any {
	out := maps.Clone(arguments)
	for _, key := range approvalArguments {
		delete(out, key)
	}
	return out
}

func refused(verdict Verdict, refusal *Refusal) Verdict {
	verdict.Decision = DecisionRefused
	verdict.Refusal = refusal
	verdict.ApprovedBy = nil
	return verdict
}

func policyHint(misses []string) string {
	if len(misses) == 0 {
		return "no policy rule pre-approves deploys"
	}
	return "no policy rule matched (" + strings.Join(misses, ", ") + ")"
}

// Record writes the audit line of a call: every call whose tool is not a
// read, and every refused call. upstream is nil when the tool did not run.
func (g *Guard) Record(call Call, verdict Verdict, upstream *UpstreamEntry, latency time.Duration) {
	if call.Tool.Effect == EffectRead && verdict.Decision != DecisionRefused {
		return
	}
	if g.config.OnDecision != nil {
		g.config.OnDecision(verdict.Decision)
	}
	if g.config.Audit == nil {
		return
	}

	entry := AuditEntry{
		Time:       g.config.Now().UTC(),
		Tool:       call.Tool.Name,
		Effect:     call.Tool.Effect,
		Arguments:  call.Arguments,
		Caller:     call.Caller,
		Decision:   verdict.Decision,
		ApprovedBy: verdict.ApprovedBy,
		Upstream:   upstream,
		LatencyMS:  float64(latency.Microseconds()) / 1000,
	}
	if verdict.Refusal != nil {
		entry.Reason = verdict.Refusal.Reason
		entry.Message = verdict.Refusal.Message
	}
	if verdict.Approval != nil {
		entry.Message = "approval requested: " + Fingerprint(verdict.Approval.ID)
	}

	if err := g.config.Audit.Write(entry); err != nil {
		g.config.Logger.Error("audit log write failed", "tool", call.Tool.Name, "caller", call.Caller, "err", err)
	}
}
