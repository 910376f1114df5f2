package actors

// WithVisit returns o with a function that sees every state the stateless
// search judges and, when keepGoing, with violations recorded instead of
// stopping the search.
func WithVisit(o DPOROptions, visit func(State), keepGoing bool) DPOROptions {
	o.visit, o.keepGoing = visit, keepGoing
	return o
}
