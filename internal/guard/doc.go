// Package guard decides whether an MCP tool call may run, and records the
// decision.
//
// Every call is classified by the effect that the tool registry declares for
// it (read, write, gpu, destructive). Rules keyed by effect and tool name,
// overridable by an operator policy file, map each call to allow,
// require_approval or deny. A call that needs approval runs only after one of
// three approvers said yes to exactly that call:
//
//   - an operator policy rule that pre-approves the deploy (deploys only);
//   - the user, through an elicitation round trip whose requestState is an
//     HMAC-protected, single-use token bound to the tool, the arguments, the
//     plan and the caller;
//   - the user, on a loopback approval page whose one-time approval id the
//     agent passes back with the same arguments.
//
// The package does not import the MCP SDK: an adapter translates tool calls
// into Call values and Verdict values back into tool results. Nothing in the
// arguments of a call can approve that call.
package guard
