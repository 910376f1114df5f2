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
