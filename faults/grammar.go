package faults

import (
	"slices"
	"strings"

	"github.com/orrery-sim/orrery/sim"

	"github.com/orrery-sim/orrery/internal/quote"
)

// fault reads one fault: a kind word and its arguments, up to the end of the entry.
// after is the word before it, for error messages.
func (p *parser) fault(after string) (Fault, error) {
	t, err := p.word("a fault", after)
	if err != nil {
		return Fault{}, err
	}
	k, err := ParseKind(t.text)
	if err != nil {
		return Fault{}, p.errorf(t, "%v", err)
	}
	f := Fault{Kind: k}
	switch k {
	case Crash:
		err = p.crash(&f)
	case Restart, Resume, Isolate:
		f.Node, err = p.name(t.text)
	case Pause:
		f.Node, err = p.name(t.text)
		if err == nil && p.keyword("for") {
			f.For, err = p.positive("for")
		}
	case Split, Halves, Bridge, Partition:
		err = p.shape(&f, t)
	case Mend, Heal:
	case Drop, Dup:
		err = p.rate(&f, t.text)
	case Jitter:
		f.Delay, err = p.duration(t.text)
	case Cut, Clog, Spike:
		err = p.linkFault(&f)
	case Skew:
		err = p.skew(&f)
	case Reconfigure:
		err = p.reconfigure(&f)
	}
	if err != nil {
		return Fault{}, err
	}
	if !p.atEnd() {
		t := p.peek()
		return Fault{}, p.errorf(t, "unexpected %s after %q", t.quote(), f.String())
	}
	return f, nil
}

func (p *parser) crash(f *Fault) error {
	var err error
	if f.Node, err = p.name("crash"); err != nil {
		return err
	}
	if p.atEnd() {
		return nil
	}
	t := p.next()
	mode := slices.Index(crashModes[:], t.text)
	if t.kind != tokWord || mode < 0 {
		return p.errorf(t, "expected a crash mode (lose, keep, torn), found %s", t.quote())
	}
	f.Mode = sim.CrashMode(mode)
	return nil
}

// positive reads a duration that must not be zero.
func (p *parser) positive(after string) (sim.Time, error) {
	t := p.peek()
	d, err := p.duration(after)
	if err == nil && d == 0 {
		return 0, p.errorf(t, "duration after %q must be positive", after)
	}
	return d, err
}

// shape reads the arguments of a partition shape: groups separated by '|', or
// nothing (split, halves: drawn when applied), or one node (bridge).
func (p *parser) shape(f *Fault, verb token) error {
	groups := [][]string{nil}
	for !p.atEnd() {
		if t := p.peek(); t.kind == tokPipe {
			p.next()
			if len(groups[len(groups)-1]) == 0 || len(groups) == groupsMax {
				return p.errorf(t, "unexpected '|' (groups are non-empty, at most %d)", groupsMax)
			}
			groups = append(groups, nil)
			continue
		}
		t := p.peek()
		name, err := p.name(verb.text)
		if err != nil {
			return err
		}
		g := &groups[len(groups)-1]
		if slices.Contains(*g, name) || len(*g) == namesPerGroupMax {
			return p.errorf(t, "%q twice in one group, or more than %d names", name, namesPerGroupMax)
		}
		*g = append(*g, name)
	}
	last := groups[len(groups)-1]
	switch {
	case len(groups) > 1 && len(last) == 0:
		return p.errorf(p.peek(), "expected a node name after '|'")
	case len(groups) > 1:
		f.Groups = groups
	case len(last) == 1 && f.Kind == Bridge:
		f.Node = last[0]
	case len(last) == 0 && (f.Kind == Split || f.Kind == Halves):
	case f.Kind == Bridge:
		return p.errorf(verb, "bridge takes one node, or groups that share it: bridge n1 n2 | n2 n3")
	default:
		return p.errorf(verb, "%s takes groups separated by '|': %s n1 n2 | n3", verb.text, verb.text)
	}
	return nil
}

func (p *parser) rate(f *Fault, after string) error {
	t, err := p.word("a rate", after)
	if err != nil {
		return err
	}
	if f.PPM, err = ParseRate(t.text); err != nil {
		return p.errorf(t, "bad rate %s: %v", quote.Q(t.text), err)
	}
	return nil
}

// linkFault reads "A -> B" (or "A <-> B") and what follows for clog and spike.
func (p *parser) linkFault(f *Fault) error {
	var err error
	verb := f.Kind.String()
	if f.From, err = p.name(verb); err != nil {
		return err
	}
	t := p.next()
	if t.kind != tokArrow && t.kind != tokBoth {
		return p.errorf(t, "expected '->' or '<->' after %q, found %s", f.From, t.quote())
	}
	f.Both = t.kind == tokBoth
	first := p.peek()
	if f.To, err = p.name(t.text); err != nil {
		return err
	}
	if f.To == f.From {
		return p.errorf(first, "a link needs two different ends, got %q twice", f.To)
	}
	switch f.Kind {
	case Clog:
		if !p.keyword("for") {
			return p.errorf(p.peek(), "expected \"for DURATION\" after the clogged link, found %s", p.peek().quote())
		}
		f.For, err = p.positive("for")
	case Spike:
		if f.Delay, err = p.positive(f.To); err == nil && p.keyword("for") {
			f.For, err = p.positive("for")
		}
	}
	return err
}

// skew reads "NODE [OFFSET] [drift DRIFT]", at least one of the two.
func (p *parser) skew(f *Fault) error {
	var err error
	if f.Node, err = p.name("skew"); err != nil {
		return err
	}
	seen := false
	if t := p.peek(); t.kind == tokWord && t.text != "drift" {
		p.next()
		if f.Offset, err = parseOffset(t.text); err != nil {
			return p.errorf(t, "bad clock step %s: %v", quote.Q(t.text), err)
		}
		seen = true
	}
	if p.keyword("drift") {
		t, err := p.word("a drift", "drift")
		if err != nil {
			return err
		}
		if f.Drift, err = parseDrift(t.text); err != nil {
			return p.errorf(t, "bad drift %s: %v", quote.Q(t.text), err)
		}
		seen = true
	}
	if !seen {
		return p.errorf(p.peek(), "expected a clock step (+30ms) or \"drift 200ppm\" after %q", f.Node)
	}
	return nil
}

// Entry is one line of a plan: a fault and the virtual time at which it applies.
type Entry struct {
	At    sim.Time
	Fault Fault
	// Line and Col locate the entry in its source text (0 when drawn).
	Line, Col int
}

// Plan is a list of entries sorted by time; entries at the same time apply in
// the order written.
type Plan []Entry

// String renders the plan on one line, entries separated by "; ".
// ParsePlan(p.String()) is p, up to positions.
func (p Plan) String() string {
	parts := make([]string, len(p))
	for i, e := range p {
		parts[i] = "at " + FormatDuration(e.At) + " " + e.Fault.String()
	}
	return strings.Join(parts, "; ")
}

// ParsePlan reads a plan: entries "at DURATION FAULT" separated by ';' or
// newlines; '#' starts a comment that ends with its line or at the next ';',
// so that an inline plan's comment does not swallow the entries after it.
// Durations are sim.ParseDuration's (1.5s, 1m30s). Errors look like
// `plan:3:12: expected a duration after "at", found end of line`.
func ParsePlan(text string) (Plan, error) {
	if len(text) > planBytesMax {
		return nil, (&parser{source: "plan"}).errorf(token{line: 1, col: 1}, "plan longer than %d bytes", planBytesMax)
	}
	p := newParser("plan", text)
	var plan Plan
	for {
		t := p.next()
		switch t.kind {
		case tokEOF:
			slices.SortStableFunc(plan, func(a, b Entry) int { return compareTime(a.At, b.At) })
			return plan, nil
		case tokSep:
			continue
		}
		if t.kind != tokWord || t.text != "at" {
			return nil, p.errorf(t, "expected \"at DURATION FAULT\", found %s", t.quote())
		}
		at, err := p.duration("at")
		if err != nil {
			return nil, err
		}
		f, err := p.fault(FormatDuration(at))
		if err != nil {
			return nil, err
		}
		plan = append(plan, Entry{At: at, Fault: f, Line: t.line, Col: t.col})
	}
}

func compareTime(a, b sim.Time) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
