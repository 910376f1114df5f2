// Package quorum is the quorum call of Gorums as a state machine an agent drives:
// a Caller sends a request to a configuration of nodes (with a per-node argument),
// collects the replies the agent forwards to it from Receive, and asks a quorum
// function after each reply whether enough have arrived and what they combine to.
// A call that is not decided within its timeout resends to the nodes that have not
// answered, a bounded number of times, on a timer of the agent's own; then it fails.
//
// The contract: the helper never starts goroutines or reads a clock. Every effect
// (sends, the retry timer) goes through the handler's context, so a run that uses it
// stays deterministic. Each call has an id (caller name, epoch, sequence); a reply
// to any other call — a late reply to an abandoned or finished call, a reply to
// a call made before a restart when the agent passes a fresh epoch — is ignored.
// One call is active per Caller at a time; an agent that needs concurrent calls
// owns several Callers with different names. The configuration is chosen per call,
// so it may change between calls.
//
// Configurations that change at run time carry epochs (Spec.ConfigEpoch, sent in
// every Request). A node that has moved to a newer configuration does not serve
// a call of an older one (Request.Stale): it answers Request.RedirectTo with its
// configuration, and the call ends with ErrStaleConfig and Result.Redirect, so
// the caller learns the new configuration and calls again there. Callers that
// leave ConfigEpoch at 0 see no change.
package quorum
