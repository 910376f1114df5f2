package viz

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/traces"
)

// Options tune WriteHTML.
type Options struct {
	// Title heads the page (default: protocol, seed and verdict).
	Title string
	// Explanation is the linearizability checker's explanation of the failure,
	// when the caller has one: its own HTML view is embedded (sandboxed, no
	// scripts). Without it a linearizability failure shows the checker's text,
	// which the property's reason carries.
	Explanation *lin.Explanation
}

type page struct {
	Title    string
	Model    *Model
	Options  []traces.Option
	Failed   bool
	Verdict  string
	Property string
	Reason   string
	Long     bool // the reason is long: shown folded after its first lines
	Head     string
	Where    string
	Context  []storyLine
	More     int // events of the cause's causal past not listed
	Lin      bool
	LinHTML  string
	Script   template.JS
	Style    template.CSS
}

// WriteHTML writes the self-contained page for t.
func WriteHTML(w io.Writer, t *traces.Trace, o Options) error {
	m := Analyze(t)
	p := page{Title: o.Title, Model: m, Options: m.Options, Verdict: m.Verdict, Property: m.Property,
		Reason: m.Reason, Script: template.JS(script), Style: template.CSS(style)}
	if p.Title == "" {
		p.Title = fmt.Sprintf("orrery: %s seed %d, %s", m.Protocol, m.Seed, orDash(m.Verdict))
	}
	p.Failed = m.Verdict != "" && m.Verdict != "pass"
	if m.Fail >= 0 {
		f := &m.Events[m.Fail]
		p.Where = fmt.Sprintf("at %s, event %d", traces.FormatTime(f.Time), f.Seq)
		for _, k := range m.Past {
			e := &m.Events[k]
			p.Context = append(p.Context, storyLine{Index: k, Seq: e.Seq, Desc: e.Desc, Summary: e.Summary})
		}
		if m.Cause >= 0 {
			p.More = len(m.CausalPast(m.Cause)) + 1 - len(m.Past)
		}
	}
	p.Lin = o.Explanation != nil || strings.Contains(m.Property, "lineariz")
	x := o.Explanation
	if x == nil && p.Lin {
		x = explanationOf(m)
	}
	if x != nil {
		var b bytes.Buffer
		if err := x.WriteHTML(&b); err != nil {
			return err
		}
		p.LinHTML = b.String()
	}
	p.Head, p.Long = headOf(p.Reason)
	return pageTemplate.Execute(w, p)
}

// reasonLinesShown is how many lines of a long reason show unfolded.
const reasonLinesShown = 4

// headOf is the first lines of a long reason (and the lines of a
// linearizability explanation that mark the operation that cannot be placed).
func headOf(reason string) (string, bool) {
	lines := strings.Split(reason, "\n")
	if len(lines) <= reasonLinesShown+2 {
		return reason, false
	}
	head := lines[:reasonLinesShown]
	for _, l := range lines[reasonLinesShown:] {
		if strings.HasPrefix(l, "   !") {
			head = append(head, "  ...", l)
		}
	}
	return strings.Join(head, "\n"), true
}

// explanationOf reads the linearizability checker's explanation back from the
// failure's reason (its text form), in virtual time, with the clients named
// as in the trace: the client that invoked an operation at its call time.
func explanationOf(m *Model) *lin.Explanation {
	x, err := lin.ParseExplanation(m.Reason)
	if err != nil {
		return nil
	}
	x.TimeUnit = "ns"
	invokers := map[int64][]string{}
	for _, e := range m.Events {
		if e.Kind == traces.KindInvoke && e.Node != "" {
			invokers[e.Time] = append(invokers[e.Time], e.Node)
		}
	}
	x.ClientNames = map[int]string{}
	for _, op := range x.Ops {
		if names := invokers[op.Call]; op.Description != "" && len(names) == 1 {
			x.ClientNames[op.ClientID] = names[0]
		}
	}
	return x
}

// storyLine is one event listed as leading to the violation.
type storyLine struct {
	Index   int
	Seq     uint64
	Desc    string
	Summary string
}

func orDash(s string) string {
	if s == "" {
		return "no verdict"
	}
	return s
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head><body>
<header><h1>{{.Title}}</h1>
<details><summary>run options</summary><table class="opts">{{range .Options}}<tr><th>{{.Key}}</th><td>{{.Value}}</td></tr>{{end}}</table></details>
</header>
{{if .Failed}}<section id="violation" class="violation">
<h2>Violation: {{.Property}} ({{.Verdict}}) {{.Where}}</h2>
<pre class="reason">{{.Head}}</pre>
{{if .Long}}<details><summary>the whole reason</summary><pre class="reason">{{.Reason}}</pre></details>{{end}}
{{if .LinHTML}}<h3>Linearizability checker</h3>
<iframe class="lin" sandbox="" title="linearizability explanation" srcdoc="{{.LinHTML}}"></iframe>
{{else if .Lin}}<p>The client history has no linearization; the checker's explanation (longest linearizable prefix and the operations that cannot follow it) is the reason above.</p>{{end}}
{{if .Context}}<p>What led to it, most recent first: the step after which the property failed (ringed in red in the diagram), the handler that sent its message, and the events of its causal past that changed a node's state, crashed or restarted one, or began or ended an operation{{if .More}} ({{.More}} more events in its causal past: click the ringed event to highlight them all){{end}}. Click a line to show it.</p>
<ol class="context" id="story">{{range .Context}}<li data-i="{{.Index}}"><span class="seq">#{{.Seq}}</span> {{.Desc}}{{if .Summary}}<span class="sum"> ⇒ {{.Summary}}</span>{{end}}</li>{{end}}</ol>{{end}}
<button id="goto-fail" type="button">show in the diagram</button>
</section>{{else}}<section class="pass"><h2>Verdict: {{if .Verdict}}{{.Verdict}}{{else}}none (the trace has no footer){{end}}</h2></section>{{end}}
<section class="controls">
<span class="group">zoom <button type="button" id="zoom-out">−</button><button type="button" id="zoom-in">+</button></span>
<label class="group">x axis <select id="mode"><option value="order">event order</option><option value="time">virtual time</option></select></label>
<span class="group" id="node-filter">nodes </span>
<span class="group" id="type-filter" title="message types: the colour of their arrows and labels">messages </span>
</section>
<div id="scroller"><svg id="diagram" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="space-time diagram"></svg></div>
<section class="legend">
<span><i class="lg recv"></i>delivery (arrows and labels take the colour of their message type, above)</span><span><i class="lg drop"></i>drop (dashed arrow)</span><span><i class="lg timer"></i>timer</span>
<span><i class="lg start"></i>start</span><span><i class="lg crash"></i>down (crashed)</span><span><i class="lg pause"></i>paused</span>
<span><i class="lg net"></i>network fault</span>
<span><i class="lg st-leader"></i><i class="lg st-candidate"></i><i class="lg st-other"></i>state track (the node's summary where it changed; leader, candidate, other)</span>
<span>★ becomes leader, ┆ new term / ballot / epoch</span><span><i class="lg op"></i>client operation</span><span><i class="lg fail"></i>violation</span>
</section>
<section class="detail"><h3>Event <span id="detail-title">(click an event: its causal past is ringed in blue, its future in orange, the rest fades)</span></h3>
<p id="causal" class="causal"></p><pre id="detail"></pre></section>
<script>const DATA = {{.Model}};</script>
<script>{{.Script}}</script>
</body></html>
`))

const style = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 16px 24px;color:#222}
h1{font-size:20px;margin:12px 0 4px}h2{font-size:17px;margin:4px 0}h3{font-size:15px;margin:10px 0 4px}
.opts th{text-align:left;padding-right:12px;font-weight:600}.opts td{font-family:monospace}
.violation{border:2px solid #c62828;background:#fff5f5;padding:8px 12px;border-radius:6px;margin:8px 0}
.pass{border:1px solid #2e7d32;background:#f3fbf3;padding:4px 12px;border-radius:6px;margin:8px 0}
.reason,pre{white-space:pre-wrap;font:12px/1.35 monospace;margin:4px 0}
.context{font:12px monospace;margin:4px 0;padding-left:0;list-style:none}
.context li{cursor:pointer}.context li:hover{background:#ffe0e0}.context .seq{display:inline-block;width:4em;color:#777}.context .sum{color:#2e7d32}
.ev.past{stroke:#1565c0;stroke-width:3}.ev.future{stroke:#ef6c00;stroke-width:3}
.dim{opacity:.12}
iframe.lin{width:100%;height:680px;border:1px solid #ccc;background:#fff}
.controls{margin:8px 0;display:flex;flex-wrap:wrap;gap:14px;align-items:center}
.controls label.cb{margin-right:6px;white-space:nowrap}
#scroller{overflow:auto;border:1px solid #ccc;max-height:70vh;background:#fff}
svg text{font:11px monospace;fill:#333}
svg text.lane-label{font:bold 13px monospace}
.lane{stroke:#bbb;stroke-width:1}
.ev{cursor:pointer;stroke:#fff;stroke-width:1}
.ev.k-recv{fill:#1565c0}.ev.k-drop{fill:#e53935}.ev.k-timer{fill:#ef6c00}.ev.k-start{fill:#2e7d32}
.ev.k-invoke,.ev.k-return{fill:#6a1b9a}.ev.k-note{fill:#9e9e9e}.ev.k-crash,.ev.k-restart,.ev.k-pause,.ev.k-resume{fill:#555}
.ev.selected{stroke:#000;stroke-width:3}
.ev.culprit{stroke:#c62828;stroke-width:4}
.msg{stroke:#1565c0;stroke-width:1.3;fill:none;opacity:.8}
svg text.arrow-label{font:10px monospace;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;cursor:pointer}
.swatch{display:inline-block;width:12px;height:4px;margin:0 3px 2px 2px;vertical-align:middle}
.msg.drop{stroke:#e53935;stroke-dasharray:4 3}
.msg.selected{stroke-width:3;opacity:1}
.msg[data-fatal]{stroke-width:3.5;opacity:1}svg text.arrow-label[data-fatal]{font-weight:bold;font-size:11px}
.span-crash{fill:#e53935;opacity:.18}.span-pause{fill:#757575;opacity:.2}.span-network{fill:#ffb300;opacity:.08}
.op{fill:#6a1b9a;opacity:.35}.op.open{fill:none;stroke:#6a1b9a;stroke-dasharray:3 2}
rect.state{stroke:#fff;stroke-width:1;cursor:pointer}
svg text.state-text{font:10px monospace;fill:#37474f;pointer-events:none}
.mark{stroke:#2e7d32;stroke-width:2}.mark.era{stroke:#5d4037;stroke-dasharray:3 2;stroke-width:1.5}
svg text.mark-label{font:bold 10px monospace;fill:#5d4037;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg text.mark-label.leads{fill:#1b5e20}
.fault-line{stroke:#ff8f00;stroke-dasharray:2 3}.phase-line{stroke:#2e7d32;stroke-dasharray:6 3}
.fail-line{stroke:#c62828;stroke-width:3}.fail-label{fill:#c62828;font-weight:bold}
.legend{margin:6px 0;display:flex;flex-wrap:wrap;gap:12px;font-size:12px}
.lg{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
.lg.recv{background:#1565c0}.lg.drop{background:#e53935}.lg.timer{background:#ef6c00}.lg.start{background:#2e7d32}
.lg.crash{background:#f3b7b6}.lg.pause{background:#d0d0d0}.lg.net{background:#ffe9b3}.lg.op{background:#c9a8d6}.lg.fail{background:#c62828}
.lg.st-leader{background:#c8e6c9;margin-right:0}.lg.st-candidate{background:#ffe0b2;margin-right:0}.lg.st-other{background:#eceff1}
.detail pre{background:#f6f6f6;padding:8px;max-height:40vh;overflow:auto}
`
