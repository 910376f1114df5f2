package linearizability

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseExplanationRoundTrips: the text of a failing check reads back into
// an explanation with the same partitions, prefixes, candidates and deadline,
// whose text is the original text.
func TestParseExplanationRoundTrips(t *testing.T) {
	var explanations []*Explanation
	for _, c := range []struct{ file, model string }{{"kv.txt", "kv"}, {"register-bad.edn", "cas-register"}} {
		f, err := os.Open(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		records, _, err := ParseHistory(c.file, f, "")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		model, _ := Lookup(c.model)
		res, err := model.Check(context.Background(), c.file, records, Options{})
		if err != nil || res.Verdict != Illegal {
			t.Fatalf("%s: %s (%v), want illegal", c.file, res.Verdict, err)
		}
		explanations = append(explanations, res.Explain())
	}
	explanations = append(explanations, Check(context.Background(), CASRegisterModel(),
		[]regOp{write(0, 0, 10, "1"), open(write(1, 1, 0, "2")), read(2, 11, 12, "3")}, Options{}).Explain())
	for k, e := range explanations {
		text := e.String()
		got, err := ParseExplanation("12 operations: " + text)
		if err != nil {
			t.Fatalf("case %d: %v\n%s", k, err, text)
		}
		if diff := cmp.Diff(text, got.String()); diff != "" {
			t.Errorf("case %d: text (-want +got):\n%s", k, diff)
		}
		for i, p := range got.Partitions {
			want := e.Partitions[i]
			if want.Verdict != Illegal { // the text names no operations of the others
				want.Steps, want.Stuck = nil, nil
			}
			if p.Name != want.Name || p.Verdict != want.Verdict || p.Deadline != want.Deadline ||
				!cmp.Equal(p.Steps, want.Steps) || !cmp.Equal(p.Stuck, want.Stuck) {
				t.Errorf("case %d: partition %d reads back as %+v, want %+v", k, i, p, want)
			}
			for _, s := range p.Steps {
				wantOp := e.Ops[s.Op]
				if wantOp.Open {
					wantOp.Return = got.Ops[s.Op].Return // meaningless
				}
				if !cmp.Equal(got.Ops[s.Op], wantOp) {
					t.Errorf("case %d: op %d reads back as %+v, want %+v", k, s.Op, got.Ops[s.Op], e.Ops[s.Op])
				}
			}
		}
	}
	if _, err := ParseExplanation("verdict: illegal\nnonsense"); err == nil {
		t.Error("nonsense parsed")
	}
}
