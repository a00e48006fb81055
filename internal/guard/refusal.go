package guard

// Reason is a machine-readable cause of a refusal.
type Reason string

// The reasons for a refusal.
const (
	ReasonDenied            Reason = "denied"             // a rule denies the tool
	ReasonReadOnly          Reason = "read_only"          // the server runs read-only
	ReasonNoHumanPath       Reason = "no_human_path"      // approval is needed but no approver is available
	ReasonPlanFailed        Reason = "plan_failed"        // the facts for the approval plan could not be read
	ReasonNotFound          Reason = "not_found"          // the model or deployment named in the arguments does not exist
	ReasonUnsolicited       Reason = "unsolicited"        // inputResponses or state this server did not ask for
	ReasonTampered          Reason = "tampered"           // the state's signature or encoding is invalid
	ReasonExpired           Reason = "expired"            // the state or approval is past its expiry
	ReasonReplayed          Reason = "replayed"           // the state or approval was already used
	ReasonWrongSession      Reason = "wrong_session"      // issued to another session or principal
	ReasonWrongTool         Reason = "wrong_tool"         // issued for another tool
	ReasonArgumentsChanged  Reason = "arguments_changed"  // issued for other arguments
	ReasonPlanChanged       Reason = "plan_changed"       // the model or deployment changed since approval
	ReasonDeclined          Reason = "declined"           // the user declined or cancelled in the client
	ReasonElicitationFailed Reason = "elicitation_failed" // the client returned an error for the input request
	ReasonRejected          Reason = "rejected"           // the user rejected on the approval page
	ReasonPending           Reason = "pending"            // the approval page has no decision yet
	ReasonUnknownApproval   Reason = "unknown_approval"   // no approval has this id
	ReasonBusy              Reason = "busy"               // too many pending approvals or used states
)

// Refusal is a call that the guard did not let through. Message is a clause
// that says why and then, after a semicolon, what to do next; it is safe to
// show the user. Sentence makes it a whole sentence.
type Refusal struct {
	Reason  Reason
	Message string
}

func (r *Refusal) Error() string { return string(r.Reason) + ": " + r.Message }

// Sentence returns the refusal as one sentence for the agent: which tool
// did not run, why, and what to do next. Message starts with the reason and
// ends with the next step, without a final period.
func (r *Refusal) Sentence(tool string) string {
	return tool + " was not run because " + r.Message + "."
}

func refuse(reason Reason, message string) *Refusal {
	return &Refusal{Reason: reason, Message: message}
}
