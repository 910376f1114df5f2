package scheduler

// Key says who asked a question: the purpose, the agent whose handler asked
// (or -1 outside any handler: the nemesis, a fault action), and for a message
// delay, loss or duplication the receiver (-1 otherwise, and for a loss or
// duplication asked without a Receiver hook).
type Key struct {
	Purpose Purpose
	Asker   int32
	To      int32
}

// noAsker is the asker outside any handler, and the receiver of a question
// that is not a message delay.
const noAsker = -1

// KeyRecorder passes choices through to another chooser and logs each one
// with its Key, which Asker (the agent whose handler is asking; nil: -1)
// supplies and which a message delay's link completes. It answers exactly as
// its inner chooser would: a delay goes to the inner chooser's LinkChooser
// side when it has one, else to Choose(Delay, n), as the world itself does.
type KeyRecorder struct {
	Inner Chooser
	Asker func() int32
	// Receiver, when set, supplies the receiver of the message whose loss or
	// duplication is being asked (-1: none), which completes those keys.
	Receiver func() int32
	// Clock, when set, supplies the virtual time of each question, logged
	// in Times (one per choice; 0 while Clock is nil), so that an edit can
	// tell which answers belong to a stretch of the run.
	Clock func() int64
	Log   []Choice
	Keys  []Key
	Times []int64
}

func (r *KeyRecorder) log(c Choice, k Key) {
	r.Log = append(r.Log, c)
	r.Keys = append(r.Keys, k)
	var t int64
	if r.Clock != nil {
		t = r.Clock()
	}
	r.Times = append(r.Times, t)
}

func (r *KeyRecorder) asker() int32 {
	if r.Asker == nil {
		return noAsker
	}
	return r.Asker()
}

// Choose implements Chooser.
func (r *KeyRecorder) Choose(p Purpose, n uint64) uint64 {
	v := r.Inner.Choose(p, n)
	r.log(Choice{Purpose: p, N: n, Value: v}, key(p, r.asker(), r.Receiver))
	return v
}

// key is the key of a question of purpose p asked by asker: a loss or
// duplication is keyed by its link too when receiver knows it.
func key(p Purpose, asker int32, receiver func() int32) Key {
	k := Key{Purpose: p, Asker: asker, To: noAsker}
	if (p == Drop || p == Dup) && receiver != nil {
		k.To = receiver()
	}
	return k
}

// ChooseDelay implements LinkChooser.
func (r *KeyRecorder) ChooseDelay(from, to int32, now int64, n uint64) uint64 {
	var v uint64
	if l, ok := r.Inner.(LinkChooser); ok {
		v = l.ChooseDelay(from, to, now, n)
	} else {
		v = r.Inner.Choose(Delay, n)
	}
	r.log(Choice{Purpose: Delay, N: n, Value: v}, Key{Purpose: Delay, Asker: from, To: to})
	return v
}

// KeyedReplay answers from a log recorded with keys (KeyRecorder): each key
// replays its own subsequence of the log, in order, and answers the Simplest
// once it runs out. Replay keeps one sequence per purpose, so a shrinker's
// edit that makes one agent ask one question more or less (a fault deleted, a message
// lost) shifts every later answer of that purpose, the timeouts of every
// other agent among them, and the run it tells is another story. Keyed by
// agent (and by link for delays), the edit shifts only the answers of the
// agent, or link, whose questions changed. A run keyed-replayed and
// re-recorded replays identically with Replay, which sees the same answers
// per purpose in the same order.
type KeyedReplay struct {
	log    []Choice
	queues map[Key][]int // indexes into log, per key
	next   map[Key]int
	// times, when set (NewTimedReplay), hold the virtual time each choice
	// was asked at, and Clock supplies the time now.
	times []int64
	Clock func() int64
	// Asker supplies the agent whose handler is asking (nil: -1), and
	// Receiver the receiver of a message whose loss or duplication is asked,
	// as for the KeyRecorder that recorded the log.
	Asker    func() int32
	Receiver func() int32
}

// NewKeyedReplay returns a chooser replaying log, whose i-th choice was asked
// under keys[i]. keys must be as long as log.
func NewKeyedReplay(log []Choice, keys []Key) *KeyedReplay {
	if len(keys) != len(log) {
		panic("scheduler: a keyed log needs one key per choice")
	}
	r := &KeyedReplay{log: log, queues: map[Key][]int{}, next: map[Key]int{}}
	for i, k := range keys {
		r.queues[k] = append(r.queues[k], i)
	}
	return r
}

// NewTimedReplay is NewKeyedReplay that also keeps each key's answers in
// time: a question asked at virtual time t skips the answers of its key
// recorded before t that nobody asked for (Clock supplies t). An edit that
// removes an agent's questions from a stretch of the run (a client started
// later, a retry no longer needed, a fault deleted) then leaves its later
// questions with the answers they had, where keyed replay alone would hand
// them the answers of the removed ones. A question asked later than it was
// recorded (a message delayed more) skips answers it should have had, so
// neither way of replaying is better for every edit.
func NewTimedReplay(log []Choice, keys []Key, times []int64) *KeyedReplay {
	if len(times) != len(log) {
		panic("scheduler: a timed log needs one time per choice")
	}
	r := NewKeyedReplay(log, keys)
	r.times = times
	return r
}

func (r *KeyedReplay) answer(k Key, n uint64) uint64 {
	q, i := r.queues[k], r.next[k]
	if r.times != nil && r.Clock != nil {
		for now := r.Clock(); i < len(q) && r.times[q[i]] < now; i++ {
		}
	}
	r.next[k] = i + 1
	if n <= 1 {
		return 0
	}
	if i >= len(q) {
		return Simplest(k.Purpose, n)
	}
	return min(r.log[q[i]].Value, n-1)
}

// Choose implements Chooser.
func (r *KeyedReplay) Choose(p Purpose, n uint64) uint64 {
	asker := int32(noAsker)
	if r.Asker != nil {
		asker = r.Asker()
	}
	return r.answer(key(p, asker, r.Receiver), n)
}

// ChooseDelay implements LinkChooser.
func (r *KeyedReplay) ChooseDelay(from, to int32, _ int64, n uint64) uint64 {
	return r.answer(Key{Purpose: Delay, Asker: from, To: to}, n)
}
