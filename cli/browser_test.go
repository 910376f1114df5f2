package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/traces"
	"github.com/orrery-sim/orrery/viz"
)

// chromium finds a headless browser. Locally the browser tests skip without
// one; in CI (CI=true, where .ci/run installs it) its absence is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH in CI (.ci/run installs it)")
	}
	t.Skip("no chromium on PATH")
	return ""
}

// browse opens page in headless Chromium with extra flags (--dump-dom,
// --screenshot=...) and returns what it printed on stdout.
func browse(t *testing.T, browser, page string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
		"--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.CommandContext(ctx, browser, append(args, "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
	}
	return stdout.String()
}

// TestHTMLInBrowser shrinks a planted-bug run with -html, opens the page in
// headless Chromium, checks that the script drew one arrow per delivery and
// drop and marked the violation, and takes a screenshot.
func TestHTMLInBrowser(t *testing.T) {
	browser := chromium(t)
	dir := t.TempDir()
	trace, page := filepath.Join(dir, "min.jsonl"), filepath.Join(dir, "min.html")
	code, out, errs := simrun(t, "-protocol", "chat", "-seed", "15", "-bug", "no-hold-back", "-shrink", "-o", trace, "-html", page)
	if code != 1 {
		t.Fatalf("shrink: exit %d\n%s%s", code, out, errs)
	}
	tr, err := traces.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Deliveries, Drops, Violations int }
	for _, e := range tr.Events {
		switch e.Kind {
		case traces.KindRecv:
			want.Deliveries++
		case traces.KindDrop:
			want.Drops++
		case traces.KindFail:
			want.Violations++
		}
	}
	dom := browse(t, browser, page, "--dump-dom")
	if !strings.Contains(dom, `data-rendered="true"`) {
		t.Fatalf("the diagram was not drawn:\n%.2000s", dom)
	}
	got := struct{ Deliveries, Drops, Violations int }{
		Deliveries: len(regexp.MustCompile(`<line class="msg"`).FindAllString(dom, -1)),
		Drops:      len(regexp.MustCompile(`<line class="msg drop"`).FindAllString(dom, -1)),
		Violations: len(regexp.MustCompile(`<line class="fail-line"`).FindAllString(dom, -1)),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("drawn arrows (-trace +page):\n%s", diff)
	}
	shot := filepath.Join(dir, "min.png")
	browse(t, browser, page, "--screenshot="+shot, "--window-size=1400,900", "--hide-scrollbars")
	if info, err := os.Stat(shot); err != nil || info.Size() < 10_000 {
		t.Fatalf("screenshot: %v (%v)", info, err)
	}
}

// TestHTMLEscapesInBrowser: a trace whose content is markup and script runs no
// script and adds no element in a real browser.
func TestHTMLEscapesInBrowser(t *testing.T) {
	browser := chromium(t)
	payload := `</script><script>document.title="pwned"</script><img src=x onerror="document.title='pwned'">`
	events := []traces.Event{
		{Seq: 1, Kind: traces.KindStart, Node: "n1", Summary: "leader term=" + payload},
		{Seq: 2, Kind: traces.KindStart, Node: payload, Summary: payload},
		{Seq: 3, Time: 1000, Kind: traces.KindRecv, Node: "n1", Peer: payload, Msg: 1, Type: payload, Text: payload},
		{Seq: 4, Time: 1000, Kind: traces.KindFail, Type: "p", Text: payload},
	}
	for i := range events {
		events[i].Desc = traces.Describe(&events[i])
	}
	tr := &traces.Trace{Header: traces.Header{Format: traces.FormatVersion, Protocol: payload},
		Events: events, Footer: &traces.Footer{Verdict: "safety", Property: payload, Reason: payload, Events: 4}}
	page := filepath.Join(t.TempDir(), "hostile.html")
	var b bytes.Buffer
	if err := viz.WriteHTML(&b, tr, viz.Options{Title: "hostile"}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(page, b.Bytes(), 0o644)
	dom := browse(t, browser, page, "--dump-dom")
	if !strings.Contains(dom, `data-rendered="true"`) || !strings.Contains(dom, "<title>hostile</title>") ||
		strings.Contains(dom, "pwned</title>") || strings.Contains(dom, "<img") {
		t.Fatalf("page was injected or not drawn:\n%.3000s", dom)
	}
}
