package linearizability

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "kv.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := ParsePorcupineKV("kv.txt", f)
	if err != nil {
		t.Fatal(err)
	}
	model, _ := Lookup("kv")
	res, err := model.Check(context.Background(), "kv.txt", records, Options{})
	if err != nil || res.Verdict != Illegal {
		t.Fatalf("got %s (%v), want illegal", res.Verdict, err)
	}
	var b strings.Builder
	if err := res.Explain().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, banned := range []string{"<script", "http://", "https://", "src=", "@import"} {
		if strings.Contains(page, banned) {
			t.Errorf("page contains %q", banned)
		}
	}
	for _, want := range []string{"&lt;script&gt;", `class="op deadline"`, "Longest linearizable prefix", `key &#34;y&#34;`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLForEveryVerdict(t *testing.T) {
	for _, h := range [][]regOp{
		{write(0, 0, 1, "1"), read(1, 2, 3, "1")},
		{open(write(0, 0, 1, "1")), read(1, 2, 3, "2")},
		nil,
	} {
		var b strings.Builder
		if err := Check(context.Background(), CASRegisterModel(), h, Options{}).Explain().WriteHTML(&b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "</html>") {
			t.Errorf("truncated page for %v", h)
		}
	}
}

// TestHTMLOpensAtTheFailure: the failing partition comes first (the passing
// one is folded away), its view around the failure draws only the clients
// there, with the operation that cannot be placed marked, every label whole,
// and the state after each placed operation on hover.
func TestHTMLOpensAtTheFailure(t *testing.T) {
	h := []regOp{
		write(0, 0, 10, "1"),
		read(1, 20, 30, "1"),
		write(2, 40, 50, "22"),
		read(3, 60, 70, "1"), // stale: cannot be placed after write 22
	}
	for k := 0; k < 16; k++ { // a client busy after the failure: 32 time steps
		h = append(h, read(5, int64(100+10*k), int64(105+10*k), "22"))
	}
	for k := 0; k < 12; k++ { // and one after that, far from the failure
		h = append(h, read(4, int64(1000+10*k), int64(1005+10*k), "22"))
	}
	var b strings.Builder
	if err := Check(context.Background(), CASRegisterModel(), h, Options{}).Explain().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	focus := page[strings.Index(page, "Around the failure"):strings.Index(page, "Cannot be placed next")]
	for _, want := range []string{`class="op deadline"`, `>read() -&gt; &#34;1&#34;</a>`, `>3. write(&#34;22&#34;)</a>`,
		`step 3, state after: &#34;22&#34;`, "client 3", "client 5"} {
		if !strings.Contains(focus, want) {
			t.Errorf("the view around the failure lacks %q:\n%s", want, focus)
		}
	}
	if strings.Contains(focus, "client 4") {
		t.Errorf("the view around the failure draws a client that is not there")
	}
	if !strings.Contains(page, `id="culprit"`) || strings.Index(page, `id="culprit"`) > strings.Index(page, "Around the failure") {
		t.Errorf("the page does not open with the operation that cannot be placed")
	}
}
