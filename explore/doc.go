// Package explore is Orrery's explicit-state model checker: given a Model (initial
// states, the actions enabled in a state, the successor of a state under an action,
// and named properties), it enumerates every reachable state by breadth-first search
// (sequential or parallel over all cores), depth-first search, or seeded random
// walks, and reports a Result with exact counts and, when a property fails, a
// step-by-step counterexample. The contract: a Model is deterministic and pure
// (NextState never mutates its input), Fingerprint is a function of the state alone,
// a canonicaliser used for symmetry reduction maps every member of an orbit to the
// same representative and commutes with the transition relation, and the numbers a
// search reports (distinct states, generated states, depth, verdict and
// counterexample) depend only on the model and the options, never on the number of
// workers or on timing, except when a timeout stops the search early. Partial-order
// reduction with sleep sets (Options.Reduce, for models that implement Independence)
// skips transitions but never states, so it keeps every count except Generated.
// Eventually properties are checked only with Options.Liveness, by a lasso
// search over the stored graph under weak fairness (lasso.go): a
// counterexample is a real path plus a fair cycle on which the property never
// holds, and states the bounds cut off never lie on one.
package explore
