package cli

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/traces"
	"github.com/orrery-sim/orrery/viz"
)

// probe opens a copy of page with a script that, once the page has loaded,
// evaluates body (JavaScript that fills the object out; vis(el) says whether
// an element lies inside the first 1600x1000 viewport) and leaves out in the
// DOM, which headless Chromium then dumps. hash is appended to the URL.
func probe(t *testing.T, browser, page, hash, body string, into any) {
	t.Helper()
	raw, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	script := `<script>window.addEventListener("load", function () {
var out = {};
function vis(el) {
  if (!el) { return false; }
  var r = el.getBoundingClientRect();
  return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
}
` + body + `
var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
});</script></body>`
	copyPath := filepath.Join(t.TempDir(), "probed.html")
	probed := strings.Replace(string(raw), "</body>", script, 1)
	if err := os.WriteFile(copyPath, []byte(probed), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := browse(t, browser, copyPath+hash, "--dump-dom", "--window-size=1600,1000", "--hide-scrollbars")
	m := regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe left nothing:\n%.3000s", dom)
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), into); err != nil {
		t.Fatalf("probe output %q: %v", m[1], err)
	}
}

// TestViewerStoryInBrowser runs the README's walk-through (shrink the planted
// Raft bug, render it) and checks the page in headless Chromium at 1600x1000:
// arrows carry their messages, every summary is drawn on the state track with
// a mark per new leader, the fatal delivery and its label are in the first
// viewport, labels thin out as the diagram zooms out, and clicking an event (#event=N) rings exactly its causal past
// and future.
func TestViewerStoryInBrowser(t *testing.T) {
	browser := chromium(t)
	dir := t.TempDir()
	trace, page := filepath.Join(dir, "min.jsonl"), filepath.Join(dir, "min.html")
	code, out, errs := simrun(t, "-protocol", "raft", "-seed", "96", "-bug", "commit-past-verified", "-shrink", "-o", trace, "-html", page)
	if code != 1 {
		t.Fatalf("shrink: exit %d\n%s%s", code, out, errs)
	}
	tr, err := traces.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	m := viz.Analyze(tr)
	var got struct {
		Labels            []string
		States            int
		Marks             []string
		FatalVisible      bool
		FatalLabelVisible bool
		StoryLines        int
		ZoomedOut         int
		ZoomedIn          int
	}
	probe(t, browser, page, "", fmt.Sprintf(`
out.labels = Array.prototype.map.call(document.querySelectorAll("text.arrow-label"), function (e) { return e.textContent; });
out.states = document.querySelectorAll("rect.state").length;
out.marks = Array.prototype.map.call(document.querySelectorAll("text.mark-label.leads"), function (e) { return e.textContent; });
out.fatalVisible = vis(document.querySelector(".ev.culprit"));
out.fatalLabelVisible = vis(document.querySelector('text.arrow-label[data-i="%d"]'));
out.storyLines = document.querySelectorAll("#story li").length;
function labelsAfter(button, times) {
  for (var k = 0; k < times; k++) { document.getElementById(button).click(); }
  return document.querySelectorAll("text.arrow-label").length;
}
out.zoomedOut = labelsAfter("zoom-out", 2);
out.zoomedIn = labelsAfter("zoom-in", 4);
`, m.Cause), &got)
	cause := &m.Events[m.Cause]
	fatal := viz.ShortLabel(cause.Text)
	leads := 0
	for _, s := range m.States {
		if s.Leads {
			leads++
		}
	}
	if !strings.HasPrefix(cause.Text, "MsgApp ") || !contains(got.Labels, fatal) || len(got.Labels) < len(m.Arrows)/3 {
		t.Errorf("arrow labels: %d of %d arrows labelled, want the fatal %q among them: %q", len(got.Labels), len(m.Arrows), fatal, got.Labels)
	}
	if got.States != len(m.States) || len(got.Marks) != leads || leads < 2 {
		t.Errorf("state track: %d stretches drawn of %d, leader marks %q (want %d)", got.States, len(m.States), got.Marks, leads)
	}
	if !got.FatalVisible || !got.FatalLabelVisible {
		t.Errorf("the fatal delivery #%d is not in the first viewport (dot %v, label %v)", cause.Seq, got.FatalVisible, got.FatalLabelVisible)
	}
	if !(got.ZoomedOut < len(got.Labels) && len(got.Labels) < got.ZoomedIn) {
		t.Errorf("labels do not thin out with zoom: %d zoomed out, %d at first, %d zoomed in", got.ZoomedOut, len(got.Labels), got.ZoomedIn)
	}
	if got.StoryLines != len(m.Past) || len(m.Past) < 8 {
		t.Errorf("%d lines of what led to the violation, want %d", got.StoryLines, len(m.Past))
	}

	// Click the event where the first leader takes over: its causal past and
	// future, as the page rings them, are the trace's happens-before.
	pick := -1
	for _, s := range m.States {
		if s.Leads {
			pick = s.From
			break
		}
	}
	var rings struct{ Past, Future []int }
	probe(t, browser, page, fmt.Sprintf("#event=%d", m.Events[pick].Seq), `
function ids(sel) { return Array.prototype.map.call(document.querySelectorAll(sel), function (e) { return +e.getAttribute("data-i"); }); }
out.past = ids(".ev.past"); out.future = ids(".ev.future");
`, &rings)
	want := struct{ Past, Future []int }{Past: drawnEvents(m, m.CausalPast(pick)), Future: drawnEvents(m, causalFuture(m, pick))}
	sort.Ints(rings.Past)
	sort.Ints(rings.Future)
	if diff := cmp.Diff(want, rings); diff != "" || len(want.Past) < 3 || len(want.Future) < 3 {
		t.Errorf("causal rings of event #%d (-trace +page):\n%s", m.Events[pick].Seq, diff)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// drawnEvents keeps the events the diagram draws as dots or diamonds (faults,
// the liveness phase and the violation are lines).
func drawnEvents(m *viz.Model, events []int) []int {
	out := []int{}
	for _, i := range events {
		switch m.Events[i].Kind {
		case traces.KindFault, traces.KindPhase, traces.KindFail:
		default:
			out = append(out, i)
		}
	}
	return out
}

// causalFuture is every event that event i happened before.
func causalFuture(m *viz.Model, i int) []int {
	var out []int
	for j := i + 1; j < len(m.Events); j++ {
		if contains1(m.CausalPast(j), i) {
			out = append(out, j)
		}
	}
	return out
}

func contains1(sorted []int, i int) bool {
	k := sort.SearchInts(sorted, i)
	return k < len(sorted) && sorted[k] == i
}

// TestLinearizabilityPageInBrowser: on a history of twenty clients whose
// second key fails half-way, the page opens on the failing partition, and
// at 1600x1000 the operation that cannot be placed and its whole label are
// in the first viewport, with only the clients active around it.
func TestLinearizabilityPageInBrowser(t *testing.T) {
	browser := chromium(t)
	dir := t.TempDir()
	history, page := filepath.Join(dir, "h.txt"), filepath.Join(dir, "h.html")
	var b strings.Builder
	value, stale := map[string]int{}, 0
	for r := 0; r < 120; r++ {
		p, key := r%20, []string{"x", "y"}[r%2]
		if r%3 == 0 {
			value[key]++
			fmt.Fprintf(&b, "{:process %d, :type :invoke, :f :put, :key %q, :value \"%d\"}\n{:process %d, :type :ok, :f :put, :key %q, :value \"%d\"}\n", p, key, value[key], p, key, value[key])
			continue
		}
		read := value[key]
		if r == 61 {
			read-- // stale
			stale = read
		}
		seen := "" // the initial value
		if read > 0 {
			seen = fmt.Sprint(read)
		}
		fmt.Fprintf(&b, "{:process %d, :type :invoke, :f :get, :key %q, :value nil}\n{:process %d, :type :ok, :f :get, :key %q, :value %q}\n", p, key, p, key, seen)
	}
	os.WriteFile(history, []byte(b.String()), 0o644)
	if code, out, errs := simrun(t, "-history", history, "-model", "kv", "-html", page); code != 1 {
		t.Fatalf("-history: exit %d\n%s%s", code, out, errs)
	}
	var got struct {
		First        string
		Visible      bool
		LabelVisible bool
		Label, Title string
		Cut          int
		Lanes        int
	}
	probe(t, browser, page, "", `
out.first = document.querySelector("h2").textContent;
var bar = document.querySelector(".timeline .op.deadline"), label = document.querySelector(".timeline .label.deadline");
out.visible = vis(bar); out.labelVisible = vis(label) && label.scrollWidth <= label.clientWidth + 1;
out.label = label.textContent; out.title = bar.getAttribute("title");
out.cut = document.querySelectorAll(".timeline .label.cut").length;
out.lanes = document.querySelector(".timeline").querySelectorAll(".lane").length;
`, &got)
	if !strings.HasPrefix(got.First, `key "y": illegal`) {
		t.Errorf("the page opens on %q, want the failing partition", got.First)
	}
	if !got.Visible || !got.LabelVisible || got.Label != fmt.Sprintf(`get("y") -> "%d"`, stale) || !strings.Contains(got.Title, got.Label) || got.Cut != 0 {
		t.Errorf("failing operation: bar visible %v, label %q visible and whole %v (title %q), %d labels cut",
			got.Visible, got.Label, got.LabelVisible, got.Title, got.Cut)
	}
	if got.Lanes == 0 || got.Lanes > 10 {
		t.Errorf("%d client lanes around the failure, want only clients of the failing key (10 of 20)", got.Lanes)
	}
}
