package sim

// queue is a binary min-heap of (time, sequence) keys pointing into a slab of event
// payloads, so sifting moves 24-byte keys instead of whole events. Ties in time
// break on the sequence number: the order in which events were scheduled.
type queue struct {
	items []qitem
	slab  []event
	free  []int32
	seq   uint64
}

type qitem struct {
	at  Time
	seq uint64
	idx int32
}

func (a qitem) less(b qitem) bool { return a.at < b.at || (a.at == b.at && a.seq < b.seq) }

func (q *queue) len() int { return len(q.items) }

// push schedules e at time at.
func (q *queue) push(at Time, e event) {
	var idx int32
	if n := len(q.free); n > 0 {
		idx = q.free[n-1]
		q.free = q.free[:n-1]
		q.slab[idx] = e
	} else {
		idx = int32(len(q.slab))
		q.slab = append(q.slab, e)
	}
	q.seq++
	q.items = append(q.items, qitem{at: at, seq: q.seq, idx: idx})
	q.up(len(q.items) - 1)
}

// peek returns the time of the next event.
func (q *queue) peek() Time { return q.items[0].at }

// pop removes the next event. The returned event is a copy; its slab slot is free.
func (q *queue) pop() (Time, event) {
	top := q.items[0]
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items = q.items[:last]
	if last > 0 {
		q.down(0)
	}
	e := q.slab[top.idx]
	q.slab[top.idx] = event{}
	q.free = append(q.free, top.idx)
	return top.at, e
}

func (q *queue) up(i int) {
	items := q.items
	x := items[i]
	for i > 0 {
		p := (i - 1) / 2
		if !x.less(items[p]) {
			break
		}
		items[i] = items[p]
		i = p
	}
	items[i] = x
}

func (q *queue) down(i int) {
	items := q.items
	n := len(items)
	x := items[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && items[r].less(items[c]) {
			c = r
		}
		if !items[c].less(x) {
			break
		}
		items[i] = items[c]
		i = c
	}
	items[i] = x
}
