package linearizability

import (
	"html/template"
	"io"
	"slices"
	"strconv"
)

const (
	// opsDrawnMax bounds the bars drawn per partition; beyond it the time
	// line shows the operations nearest the failing point.
	opsDrawnMax = 1500
	// Geometry of the time line, in CSS pixels.
	pixelsPerTick = 36
	pixelsPerLane = 26
	laneLabelPx   = 80
)

// WriteHTML writes a self-contained page (no scripts, no network resources)
// showing each partition's operations as bars on a time line per client,
// the linearization or longest linearizable prefix found (bars numbered in
// linearization order), and, for failing partitions, the operations that
// cannot be placed next, the one whose return was passed in red.
func (e *Explanation) WriteHTML(w io.Writer) error {
	page := htmlPage{Verdict: e.Verdict.String()}
	for _, p := range e.Partitions {
		page.Partitions = append(page.Partitions, e.htmlPartition(p))
	}
	return pageTemplate.Execute(w, page)
}

type htmlPage struct {
	Verdict    string
	Partitions []htmlPartition
}

type htmlPartition struct {
	Name, Verdict, Initial string
	Skipped, Illegal       bool
	OpCount                int
	Lanes                  []htmlLane
	Bars                   []htmlBar
	Width, Height          int
	Omitted                int
	Steps                  []htmlStep
	Stuck                  []htmlStuck
}

type htmlLane struct {
	Label string
	Top   int
}

type htmlBar struct {
	Left, Top, Width int
	Class, Label     string
	Title            string
}

type htmlStep struct {
	N           int
	Op, State   string
	Description string
}

type htmlStuck struct {
	Op, Description, Reason string
	Deadline                bool
}

func (e *Explanation) htmlPartition(p PartitionView) htmlPartition {
	h := htmlPartition{Name: p.Name, Verdict: p.Verdict.String(), Initial: p.Initial, Skipped: p.Skipped,
		Illegal: p.Verdict == Illegal, OpCount: len(p.Ops)}
	for k, s := range p.Steps {
		h.Steps = append(h.Steps, htmlStep{N: k + 1, Op: "#" + strconv.Itoa(s.Op), State: s.State, Description: e.Ops[s.Op].Description})
	}
	for _, s := range p.Stuck {
		h.Stuck = append(h.Stuck, htmlStuck{Op: "#" + strconv.Itoa(s.Op), Description: e.Ops[s.Op].Description,
			Reason: s.Reason, Deadline: s.Op == p.Deadline})
	}
	if !p.Skipped {
		e.drawTimeline(&h, p)
	}
	return h
}

// drawTimeline lays out bars on a compressed time axis: every distinct call
// or return time is one tick, so that short and long gaps look alike and
// concurrency stays readable.
func (e *Explanation) drawTimeline(h *htmlPartition, p PartitionView) {
	ops := e.drawnOps(p)
	h.Omitted = len(p.Ops) - len(ops)
	var times []int64
	var clients []int
	for _, i := range ops {
		op := e.Ops[i]
		times = append(times, op.Call)
		if !op.Open {
			times = append(times, op.Return)
		}
		clients = append(clients, op.ClientID)
	}
	slices.Sort(times)
	times = slices.Compact(times)
	slices.Sort(clients)
	clients = slices.Compact(clients)
	tick := func(t int64) int { i, _ := slices.BinarySearch(times, t); return i }
	end := len(times) + 1 // where open operations are drawn to
	for lane, c := range clients {
		h.Lanes = append(h.Lanes, htmlLane{Label: "client " + strconv.Itoa(c), Top: lane * pixelsPerLane})
	}
	rank := map[int]int{}
	for k, s := range p.Steps {
		rank[s.Op] = k + 1
	}
	stuck := map[int]bool{}
	for _, s := range p.Stuck {
		stuck[s.Op] = true
	}
	for _, i := range ops {
		op := e.Ops[i]
		from, to := tick(op.Call), end
		if !op.Open {
			to = tick(op.Return)
		}
		lane, _ := slices.BinarySearch(clients, op.ClientID)
		bar := htmlBar{Left: laneLabelPx + from*pixelsPerTick, Top: lane*pixelsPerLane + 3,
			Width: (to-from)*pixelsPerTick + pixelsPerTick/2, Class: "op", Label: op.Description,
			Title: "#" + strconv.Itoa(i) + " " + op.Description}
		switch {
		case i == p.Deadline:
			bar.Class += " deadline"
		case stuck[i]:
			bar.Class += " candidate"
		case rank[i] > 0:
			bar.Class += " linearized"
			bar.Label = strconv.Itoa(rank[i]) + ". " + op.Description
			bar.Title += " (step " + strconv.Itoa(rank[i]) + ")"
		}
		if op.Open {
			bar.Class += " open"
			bar.Title += " (open: may take effect later or never)"
		}
		h.Bars = append(h.Bars, bar)
	}
	h.Width = laneLabelPx + (end+2)*pixelsPerTick
	h.Height = len(clients) * pixelsPerLane
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
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 .illegal, h2 .illegal { color: #b00020; } h1 .ok, h2 .ok { color: #1b7f3b; } .unknown { color: #8a6d00; }
.timeline { position: relative; overflow-x: auto; border: 1px solid #ccc; background: #fafafa; margin: .5em 0 1em; }
.plane { position: relative; }
.lane { position: absolute; left: 4px; font-size: 12px; color: #555; line-height: 26px; }
.op { position: absolute; height: 20px; box-sizing: border-box; border: 1px solid #888; background: #e4e4e4;
      border-radius: 3px; font-size: 11px; line-height: 18px; padding: 0 3px; white-space: nowrap; overflow: hidden; }
.op.linearized { background: #cdebd3; border-color: #1b7f3b; }
.op.candidate { background: #ffe2b8; border-color: #c77700; }
.op.deadline { background: #ffc9cf; border: 2px solid #b00020; font-weight: bold; }
.op.open { border-style: dashed; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
.deadline-row { background: #ffe8eb; }
.legend span { display: inline-block; padding: 0 6px; margin-right: 6px; border: 1px solid #888; border-radius: 3px; font-size: 12px; }
</style></head>
<body>
<h1>Linearizability: <span class="{{.Verdict}}">{{.Verdict}}</span></h1>
<p class="legend"><span class="op linearized" style="position:static">linearized, in order</span><span class="op candidate" style="position:static">cannot be placed next</span><span class="op deadline" style="position:static">returned before it could be placed</span><span class="op open" style="position:static">open (never returned)</span></p>
{{range .Partitions}}
<section>
<h2>{{.Name}}: <span class="{{.Verdict}}">{{if .Skipped}}skipped{{else}}{{.Verdict}}{{end}}</span> ({{.OpCount}} operations)</h2>
{{if .Skipped}}<p>Not finished: other partitions failed first.</p>{{else}}
{{if .Omitted}}<p>{{.Omitted}} operations far from the failing point are not drawn.</p>{{end}}
<div class="timeline"><div class="plane" style="width: {{.Width}}px; height: {{.Height}}px">
{{range .Lanes}}<div class="lane" style="top: {{.Top}}px">{{.Label}}</div>
{{end}}{{range .Bars}}<div class="{{.Class}}" style="left: {{.Left}}px; top: {{.Top}}px; width: {{.Width}}px" title="{{.Title}}">{{.Label}}</div>
{{end}}</div></div>
{{if .Illegal}}<h3>Longest linearizable prefix ({{len .Steps}} operations)</h3>{{else if eq .Verdict "ok"}}<h3>Linearization ({{len .Steps}} operations)</h3>{{else}}<h3>Longest linearizable prefix found before stopping ({{len .Steps}} operations)</h3>{{end}}
<table><tr><th>step</th><th>operation</th><th>state after</th></tr>
<tr><td>0</td><td>initial</td><td>{{.Initial}}</td></tr>
{{range .Steps}}<tr><td>{{.N}}</td><td>{{.Op}} {{.Description}}</td><td>{{.State}}</td></tr>
{{end}}</table>
{{if .Illegal}}<h3>Cannot be placed next</h3>
<table><tr><th>operation</th><th>why</th></tr>
{{range .Stuck}}<tr{{if .Deadline}} class="deadline-row"{{end}}><td>{{.Op}} {{.Description}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{end}}
{{end}}
</section>
{{end}}
</body></html>
`))
