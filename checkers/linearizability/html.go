package linearizability

import (
	"html/template"
	"io"
	"slices"
	"strconv"
)

const (
	// opsDrawnMax bounds the bars drawn on a partition's whole time line;
	// beyond it the time line shows the operations nearest the failing point.
	opsDrawnMax = 1500
	// focusTicks is how many time steps the view of a failure spans, centred
	// on the operation that cannot be placed: it fits a 1600-pixel window.
	focusTicks = 34
	// Geometry of the time lines, in CSS pixels: a lane holds a row of labels
	// above its bars and one below, so that a label never has to fit its bar.
	pixelsPerTick = 38
	pixelsPerLane = 48
	laneLabelPx   = 84
	labelCharPx   = 7 // an 11px sans-serif character, generously
	prefixShown   = 10
)

// WriteHTML writes a self-contained page (no scripts, no network resources)
// that opens at the failure: failing partitions first, each with a time line
// centred on the operation that cannot be placed (only the clients active
// around it, a time axis, the longest linearizable prefix numbered and
// joined by its linearization points, the model state after each placed
// operation on hover), what cannot be placed next and why, and the prefix;
// then the whole time line of the partition, and the partitions that passed.
func (e *Explanation) WriteHTML(w io.Writer) error {
	page := htmlPage{Verdict: e.Verdict.String()}
	for _, want := range []Verdict{Illegal, Unknown, Ok} {
		for _, p := range e.Partitions {
			if p.Verdict != want || p.Skipped {
				continue
			}
			h := e.htmlPartition(p)
			if want == Ok {
				page.Passed = append(page.Passed, h)
			} else {
				page.Failed = append(page.Failed, h)
			}
		}
	}
	for _, p := range e.Partitions {
		if p.Skipped {
			page.Skipped = append(page.Skipped, p.Name)
		}
	}
	return pageTemplate.Execute(w, page)
}

type htmlPage struct {
	Verdict        string
	Failed, Passed []htmlPartition
	Skipped        []string
}

type htmlPartition struct {
	Name, Verdict, Initial string
	Illegal                bool
	OpCount                int
	Focus, Whole           *htmlTimeline
	Steps, Earlier         []htmlStep
	Stuck                  []htmlStuck
	Culprit                *htmlStuck
	Omitted                int
	PrefixLen              int
}

type htmlTimeline struct {
	Lanes         []htmlLane
	Bars          []htmlBar
	Axis          []htmlTick
	Points        []htmlPoint
	Path          string // the polyline through the linearization points
	Width, Height int
	Wall          int // x of the failing operation's return, 0 for none
}

type htmlLane struct {
	Label string
	Top   int
}

type htmlBar struct {
	ID                       string
	Left, Top, Width         int
	LabelLeft, LabelTop      int
	LabelMax                 int // 0: no limit
	Class, Label, Title, Tip string
	Kind                     string // linearized, candidate, deadline or "", for the label's colour
	Link                     string // the element a click goes to: its row in the tables, else itself
}

type htmlTick struct {
	Left  int
	Label string
}

type htmlPoint struct{ Left, Top int }

type htmlStep struct {
	N           int
	ID, Op      string
	State       string
	Description string
}

type htmlStuck struct {
	ID, Op, Description, Reason string
	Deadline                    bool
}

func (e *Explanation) htmlPartition(p PartitionView) htmlPartition {
	h := htmlPartition{Name: p.Name, Verdict: p.Verdict.String(), Initial: p.Initial, Illegal: p.Verdict == Illegal,
		OpCount: p.size(), PrefixLen: len(p.Steps)}
	for k, s := range p.Steps {
		step := htmlStep{N: k + 1, ID: "op-" + strconv.Itoa(s.Op), Op: "#" + strconv.Itoa(s.Op), State: s.State, Description: e.Ops[s.Op].Description}
		if len(p.Steps)-k > prefixShown {
			h.Earlier = append(h.Earlier, step)
		} else {
			h.Steps = append(h.Steps, step)
		}
	}
	for _, s := range p.Stuck {
		st := htmlStuck{ID: "op-" + strconv.Itoa(s.Op), Op: "#" + strconv.Itoa(s.Op), Description: e.Ops[s.Op].Description,
			Reason: s.Reason, Deadline: s.Op == p.Deadline}
		h.Stuck = append(h.Stuck, st)
		if st.Deadline {
			h.Culprit = &st
		}
	}
	if h.Culprit == nil && len(h.Stuck) > 0 {
		h.Culprit = &h.Stuck[0]
	}
	ops := e.drawnOps(p)
	h.Omitted = len(p.Ops) - len(ops)
	if p.Verdict != Ok {
		h.Focus = e.timeline(p, ops, "bar-")
	}
	h.Whole = e.timeline(p, ops, "all-")
	return h
}

// layout is the state of drawing one time line.
type layout struct {
	e        *Explanation
	p        PartitionView
	times    []int64 // distinct call and return times: one tick each
	from     int     // first tick drawn
	to       int     // one past the last tick drawn
	rank     map[int]int
	state    map[int]string
	stuck    map[int]bool
	clients  []int
	idPrefix string // of the bars' element ids, unique per time line
}

func (l *layout) tick(t int64) int { i, _ := slices.BinarySearch(l.times, t); return i }

// x is where tick k is drawn, clipped to the drawn range.
func (l *layout) x(k int) int {
	k = max(l.from, min(k, l.to))
	return laneLabelPx + (k-l.from)*pixelsPerTick + pixelsPerTick/2
}

// timeline draws ops on a compressed time axis: every distinct call or
// return time is one tick, so that short and long gaps look alike and
// concurrency stays readable. With focus it draws only the ticks around the
// failing operation and the clients active there; idPrefix "bar-" marks the
// focused time line, which the tables link to.
func (e *Explanation) timeline(p PartitionView, ops []int, idPrefix string) *htmlTimeline {
	focus := idPrefix == "bar-"
	l := &layout{e: e, p: p, rank: map[int]int{}, state: map[int]string{}, stuck: map[int]bool{}, idPrefix: idPrefix}
	for _, i := range ops {
		op := e.Ops[i]
		l.times = append(l.times, op.Call)
		if !op.Open {
			l.times = append(l.times, op.Return)
		}
	}
	slices.Sort(l.times)
	l.times = slices.Compact(l.times)
	l.from, l.to = 0, len(l.times)+1 // open operations run to the end
	for k, s := range p.Steps {
		l.rank[s.Op], l.state[s.Op] = k+1, s.State
	}
	for _, s := range p.Stuck {
		l.stuck[s.Op] = true
	}
	if focus {
		l.focus()
	}
	var drawn []int
	for _, i := range ops {
		op := e.Ops[i]
		end := l.to
		if !op.Open {
			end = l.tick(op.Return)
		}
		if l.tick(op.Call) <= l.to && end >= l.from {
			drawn = append(drawn, i)
			l.clients = append(l.clients, op.ClientID)
		}
	}
	slices.Sort(l.clients)
	l.clients = slices.Compact(l.clients)
	t := &htmlTimeline{Width: l.x(l.to) + pixelsPerTick, Height: len(l.clients)*pixelsPerLane + 22}
	for lane, c := range l.clients {
		label := "client " + strconv.Itoa(c)
		if name, ok := e.ClientNames[c]; ok {
			label = name
		}
		t.Lanes = append(t.Lanes, htmlLane{Label: label, Top: lane*pixelsPerLane + 16})
	}
	l.bars(t, drawn)
	l.axis(t)
	l.points(t)
	if d := p.Deadline; d >= 0 && !e.Ops[d].Open {
		t.Wall = l.x(l.tick(e.Ops[d].Return))
	}
	return t
}

// focus narrows the drawn ticks to focusTicks around the operation that
// cannot be placed (or the end of the prefix).
func (l *layout) focus() {
	centre := len(l.times) - 1
	if d := l.p.Deadline; d >= 0 {
		op := l.e.Ops[d]
		end := l.to
		if !op.Open {
			end = l.tick(op.Return)
		}
		centre = (l.tick(op.Call) + end) / 2
	}
	l.from = max(0, centre-focusTicks/2)
	l.to = min(l.to, l.from+focusTicks)
}

// bars draws each operation with its label in the row above or below its
// lane, whichever is free; a label is shortened only when neither row has room.
func (l *layout) bars(t *htmlTimeline, drawn []int) {
	rowEnd := map[int]*[2]int{}
	for _, i := range drawn {
		op := l.e.Ops[i]
		lane, _ := slices.BinarySearch(l.clients, op.ClientID)
		from, to := l.tick(op.Call), l.to
		if !op.Open {
			to = l.tick(op.Return)
		}
		x1, x2 := l.x(from)-pixelsPerTick/3, l.x(to)+pixelsPerTick/3
		if op.Open {
			x2 = l.x(l.to)
		}
		top := lane*pixelsPerLane + 16
		bar := htmlBar{ID: l.idPrefix + strconv.Itoa(i), Left: x1, Top: top + 17, Width: max(6, x2-x1), Class: "op", Label: op.Description,
			Title: "#" + strconv.Itoa(i) + " client " + strconv.Itoa(op.ClientID) + " " + op.Description}
		l.classify(&bar, i)
		ends := rowEnd[lane]
		if ends == nil {
			ends = &[2]int{-1 << 30, -1 << 30}
			rowEnd[lane] = ends
		}
		width := len([]rune(bar.Label))*labelCharPx + 6
		row := 0
		switch {
		case ends[0] <= x1:
		case ends[1] <= x1:
			row = 1
		default: // neither row is free: the one that frees first, cut to the bar
			if ends[1] < ends[0] {
				row = 1
			}
			bar.LabelMax = max(3*labelCharPx, x2-x1)
		}
		bar.LabelLeft, bar.LabelTop = x1, top+[2]int{2, 31}[row]
		if bar.LabelMax > 0 {
			width = bar.LabelMax
		}
		ends[row] = x1 + width
		t.Bars = append(t.Bars, bar)
	}
}

func (l *layout) classify(bar *htmlBar, i int) {
	op := l.e.Ops[i]
	switch {
	case i == l.p.Deadline:
		bar.Kind = "deadline"
		bar.Tip = "cannot be placed: it returned before the prefix could take it"
	case l.stuck[i]:
		bar.Kind = "candidate"
		bar.Tip = "cannot be placed next"
	case l.rank[i] > 0:
		bar.Kind = "linearized"
		bar.Label = strconv.Itoa(l.rank[i]) + ". " + op.Description
		bar.Title += " (step " + strconv.Itoa(l.rank[i]) + ")"
		bar.Tip = "step " + strconv.Itoa(l.rank[i]) + ", state after: " + l.state[i]
	default:
		bar.Tip = "not reached by the prefix"
	}
	bar.Link = bar.ID
	if bar.Kind != "" {
		bar.Class += " " + bar.Kind
		bar.Link = "op-" + strconv.Itoa(i)
	}
	if op.Open {
		bar.Class += " open"
		bar.Title += " (open: may take effect later or never)"
	}
	bar.Title += ": " + bar.Tip
}

// axisEvery is how many ticks apart the time axis is labelled.
const axisEvery = 4

func (l *layout) axis(t *htmlTimeline) {
	for k := l.from; k < min(l.to, len(l.times)); k++ {
		if (k-l.from)%axisEvery == 0 {
			t.Axis = append(t.Axis, htmlTick{Left: l.x(k), Label: l.e.formatTime(l.times[k])})
		}
	}
}

// points marks where each step of the prefix can take effect (the earliest
// time within its operation not before the previous step's) and joins them.
func (l *layout) points(t *htmlTimeline) {
	var at int64 = -1 << 62
	path := ""
	for _, s := range l.p.Steps {
		op := l.e.Ops[s.Op]
		at = max(at, op.Call)
		k := l.tick(at)
		if k < l.from || k > l.to {
			continue
		}
		lane, ok := slices.BinarySearch(l.clients, op.ClientID)
		if !ok {
			continue
		}
		pt := htmlPoint{Left: l.x(k), Top: lane*pixelsPerLane + 16 + 23}
		t.Points = append(t.Points, pt)
		if path != "" {
			path += " "
		}
		path += strconv.Itoa(pt.Left) + "," + strconv.Itoa(pt.Top)
	}
	t.Path = path
}

// formatTime renders a history time: virtual nanoseconds as seconds when
// the history says so, raw numbers otherwise.
func (e *Explanation) formatTime(t int64) string {
	if e.TimeUnit != "ns" {
		return strconv.FormatInt(t, 10)
	}
	return strconv.FormatFloat(float64(t)/1e9, 'f', 6, 64) + "s"
}

// drawnOps picks at most opsDrawnMax operations of the partition, centred
// on the failing point when there is one.
func (e *Explanation) drawnOps(p PartitionView) []int {
	if len(p.Ops) <= opsDrawnMax {
		return p.Ops
	}
	centre := len(p.Ops) - 1
	if p.Deadline >= 0 {
		centre, _ = slices.BinarySearch(p.Ops, p.Deadline)
	}
	from := max(0, min(centre-opsDrawnMax/2, len(p.Ops)-opsDrawnMax))
	return p.Ops[from : from+opsDrawnMax]
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Linearizability: {{.Verdict}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1em 1.5em; color: #222; }
h1 { font-size: 22px; margin: .2em 0; } h2 { font-size: 17px; margin: .8em 0 .3em; } h3 { font-size: 15px; margin: .8em 0 .3em; }
h1 .illegal, h2 .illegal { color: #b00020; } h1 .ok, h2 .ok { color: #1b7f3b; } .unknown { color: #8a6d00; }
.culprit { border: 2px solid #b00020; background: #fff5f6; border-radius: 6px; padding: 6px 10px; margin: .4em 0; }
.timeline { position: relative; overflow-x: auto; border: 1px solid #ccc; background: #fcfcfc; margin: .4em 0 .8em; }
.plane { position: relative; }
.lane { position: absolute; left: 4px; font-size: 12px; color: #555; line-height: 48px; height: 48px; border-top: 1px solid #eee; width: 100%; box-sizing: border-box; }
.axis { position: absolute; top: 0; font-size: 10px; color: #666; border-left: 1px solid #bbb; padding-left: 2px; height: 12px; white-space: nowrap; }
.op { position: absolute; height: 12px; box-sizing: border-box; border: 1px solid #888; background: #e4e4e4; border-radius: 3px; display: block; }
.op.linearized { background: #9fd8ab; border-color: #1b7f3b; }
.op.candidate { background: #ffc98a; border-color: #c77700; }
.op.deadline { background: #ff8a98; border: 3px solid #b00020; height: 14px; }
.op.open { border-style: dashed; }
.op .tip { display: none; position: absolute; left: 0; top: 16px; z-index: 5; background: #263238; color: #fff; font-size: 12px;
           padding: 3px 6px; border-radius: 3px; white-space: nowrap; }
.op:hover .tip { display: block; }
.label { position: absolute; font-size: 11px; line-height: 13px; white-space: nowrap; color: #222; text-decoration: none; background: rgba(252, 252, 252, .85); z-index: 2; }
.label.linearized { color: #14532d; } .label.candidate { color: #8a4b00; } .label.deadline { color: #b00020; font-weight: bold; }
.label.cut { overflow: hidden; text-overflow: ellipsis; }
.wall { position: absolute; top: 12px; width: 0; border-left: 2px dashed #b00020; }
svg.points { position: absolute; left: 0; top: 0; pointer-events: none; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
.deadline-row { background: #ffe8eb; } tr:target { outline: 2px solid #1565c0; }
.legend span { display: inline-block; padding: 0 6px; margin-right: 6px; border: 1px solid #888; border-radius: 3px; font-size: 12px; }
</style></head>
<body>
<h1>Linearizability: <span class="{{.Verdict}}">{{.Verdict}}</span></h1>
{{range .Failed}}{{if .Culprit}}<p class="culprit" id="culprit">In {{.Name}}, operation <b>{{.Culprit.Op}} {{.Culprit.Description}}</b> cannot be placed after the longest linearizable prefix ({{.PrefixLen}} operations): {{.Culprit.Reason}}.</p>{{end}}{{end}}
<p class="legend"><span class="op linearized" style="position:static;display:inline-block;height:auto">linearized, numbered in order</span><span class="op candidate" style="position:static;display:inline-block;height:auto">cannot be placed next</span><span class="op deadline" style="position:static;display:inline-block;height:auto">returned before it could be placed</span><span class="op open" style="position:static;display:inline-block;height:auto">open (never returned)</span> dots: where the prefix takes effect; hover a bar for the state after it</p>
{{define "timeline"}}<div class="timeline"><div class="plane" style="width: {{.Width}}px; height: {{.Height}}px">
{{range .Lanes}}<div class="lane" style="top: {{.Top}}px">{{.Label}}</div>
{{end}}{{range .Axis}}<div class="axis" style="left: {{.Left}}px">{{.Label}}</div>
{{end}}{{if .Wall}}<div class="wall" style="left: {{.Wall}}px; height: {{.Height}}px" title="the failing operation returned here"></div>{{end}}
<svg class="points" width="{{.Width}}" height="{{.Height}}">{{if .Path}}<polyline points="{{.Path}}" fill="none" stroke="#1b7f3b" stroke-width="1.5" stroke-dasharray="4 2"/>{{end}}{{range .Points}}<circle cx="{{.Left}}" cy="{{.Top}}" r="3.5" fill="#1b7f3b"/>{{end}}</svg>
{{range .Bars}}<a class="{{.Class}}" id="{{.ID}}" href="#{{.Link}}" style="left: {{.Left}}px; top: {{.Top}}px; width: {{.Width}}px" title="{{.Title}}"><span class="tip">{{.Tip}}</span></a><a class="label {{.Kind}}{{if .LabelMax}} cut{{end}}" href="#{{.Link}}" style="left: {{.LabelLeft}}px; top: {{.LabelTop}}px{{if .LabelMax}}; max-width: {{.LabelMax}}px{{end}}" title="{{.Title}}">{{.Label}}</a>
{{end}}</div></div>{{end}}
{{define "partition"}}<section>
<h2>{{.Name}}: <span class="{{.Verdict}}">{{.Verdict}}</span> ({{.OpCount}} operations)</h2>
{{if .Focus}}<h3>Around the failure</h3>{{template "timeline" .Focus}}{{end}}
{{if .Illegal}}<h3>Cannot be placed next</h3>
<table><tr><th>operation</th><th>why</th></tr>
{{range .Stuck}}<tr id="{{.ID}}"{{if .Deadline}} class="deadline-row"{{end}}><td><a href="#bar-{{slice .ID 3}}">{{.Op}}</a> {{.Description}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{end}}
{{if .Illegal}}<h3>Longest linearizable prefix ({{.PrefixLen}} operations){{if .Earlier}}, its last {{len .Steps}} steps{{end}}</h3>{{else if eq .Verdict "ok"}}<h3>Linearization</h3>{{else}}<h3>Longest linearizable prefix found before stopping</h3>{{end}}
{{if .Earlier}}<details><summary>{{len .Earlier}} earlier steps</summary><table><tr><th>step</th><th>operation</th><th>state after</th></tr>
<tr><td>0</td><td>initial</td><td>{{.Initial}}</td></tr>
{{range .Earlier}}<tr id="{{.ID}}"><td>{{.N}}</td><td><a href="#bar-{{slice .ID 3}}">{{.Op}}</a> {{.Description}}</td><td>{{.State}}</td></tr>
{{end}}</table></details>{{end}}
<table><tr><th>step</th><th>operation</th><th>state after</th></tr>
{{if not .Earlier}}<tr><td>0</td><td>initial</td><td>{{.Initial}}</td></tr>{{end}}
{{range .Steps}}<tr id="{{.ID}}"><td>{{.N}}</td><td><a href="#bar-{{slice .ID 3}}">{{.Op}}</a> {{.Description}}</td><td>{{.State}}</td></tr>
{{end}}</table>
{{if .Focus}}<details><summary>the whole partition{{if .Omitted}} ({{.Omitted}} operations far from the failure not drawn){{end}}</summary>{{template "timeline" .Whole}}</details>
{{else}}{{if .Omitted}}<p>{{.Omitted}} operations not drawn.</p>{{end}}{{template "timeline" .Whole}}{{end}}
</section>{{end}}
{{range .Failed}}{{template "partition" .}}{{end}}
{{if .Skipped}}<p>Not finished because another partition failed first: {{range $i, $n := .Skipped}}{{if $i}}, {{end}}{{$n}}{{end}}.</p>{{end}}
{{if .Passed}}{{if .Failed}}<details><summary>{{len .Passed}} linearizable partitions</summary>{{end}}
{{range .Passed}}{{template "partition" .}}{{end}}
{{if .Failed}}</details>{{end}}{{end}}
</body></html>
`))
