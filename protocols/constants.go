package protocols

// Constant is a protocol constant that a run may set through Options.Params
// (as its decimal value under Param) and that a shrinker may lower: a
// snapshot interval, a batch size, a retry count. A failure that needs a
// snapshot shows sooner with snapshots every few entries than every 32.
type Constant struct {
	Param   string // the key in Options.Params
	Default int    // the value when the key is absent
	Min     int    // the smallest value the protocol accepts
}
