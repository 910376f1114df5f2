package kv_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	lin "github.com/orrery-sim/orrery/checkers/linearizability"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/workload/kv"
)

func TestApply(t *testing.T) {
	data := map[string]string{}
	steps := []struct {
		op   kv.Op
		want kv.Result
	}{
		{kv.Op{Kind: kv.Get, Key: "a"}, kv.Result{}},
		{kv.Op{Kind: kv.Put, Key: "a", Value: "1"}, kv.Result{OK: true}},
		{kv.Op{Kind: kv.Append, Key: "a", Value: "2"}, kv.Result{OK: true}},
		{kv.Op{Kind: kv.Append, Key: "a", Value: "2"}, kv.Result{OK: true}}, // not idempotent
		{kv.Op{Kind: kv.Get, Key: "a"}, kv.Result{Value: "122", Found: true}},
		{kv.Op{Kind: kv.CAS, Key: "a", Expect: "12", Value: "x"}, kv.Result{}},
		{kv.Op{Kind: kv.CAS, Key: "a", Expect: "122", Value: "x"}, kv.Result{OK: true}},
		{kv.Op{Kind: kv.Append, Key: "b", Value: "y"}, kv.Result{OK: true}},
		{kv.Op{Kind: kv.Count}, kv.Result{Count: 2}},
		{kv.Op{Kind: kv.Exists, Key: "b"}, kv.Result{Found: true}},
		{kv.Op{Kind: kv.Delete, Key: "b"}, kv.Result{Found: true}},
		{kv.Op{Kind: kv.Delete, Key: "b"}, kv.Result{}},
		{kv.Op{Kind: kv.Exists, Key: "b"}, kv.Result{}},
	}
	for i, s := range steps {
		if diff := cmp.Diff(s.want, kv.Apply(data, s.op)); diff != "" {
			t.Errorf("step %d %s (-want +got):\n%s", i, s.op.Describe(), diff)
		}
	}
	if diff := cmp.Diff(map[string]string{"a": "x"}, data); diff != "" {
		t.Errorf("final data (-want +got):\n%s", diff)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		v    interface{ Describe() string }
		want string
	}{
		{kv.Op{Kind: kv.Put, Key: "a", Value: "v"}, `put a="v"`},
		{kv.Op{Kind: kv.Append, Key: "a", Value: "3"}, `append a="3"`},
		{kv.Op{Kind: kv.CAS, Key: "a", Expect: "1", Value: "2"}, `cas a "1"→"2"`},
		{kv.Op{Kind: kv.Count}, "count"},
		{kv.Op{Kind: kv.Get, Key: "b"}, "get b"},
		{kv.Result{Value: "v", Found: true}, `found "v"`},
		{kv.Result{OK: true}, "ok"},
		{kv.Result{Count: 2}, "count 2"},
		{kv.Result{}, "none"},
	}
	for _, tt := range tests {
		if got := tt.v.Describe(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestSeconds(t *testing.T) {
	tests := []struct {
		t    sim.Time
		want string
	}{
		{0, "0s"},
		{1250 * sim.Millisecond, "1.25s"},
		{375 * sim.Microsecond, "0.000375s"},
		{2*sim.Second + 999, "2s"}, // below a microsecond
		{-1500 * sim.Millisecond, "-1.5s"},
		{12 * sim.Second, "12s"},
	}
	for _, tt := range tests {
		if got := kv.Seconds(int64(tt.t)); got != tt.want {
			t.Errorf("Seconds(%d) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// TestDescribeConverted: an explanation tells a get of an absent key from a
// get of an empty value.
func TestDescribeConverted(t *testing.T) {
	get := kv.Op{Kind: kv.Get, Key: "b"}
	tests := []struct {
		result kv.Result
		open   bool
		want   string
	}{
		{result: kv.Result{}, want: `get("b") -> (none)`},
		{result: kv.Result{Found: true}, want: `get("b") -> ""`},
		{result: kv.Result{Value: "1", Found: true}, want: `get("b") -> "1"`},
		{open: true, want: `get("b") -> ?`},
	}
	describe := lin.KVModel().DescribeOperation
	var got, want []string
	for _, tt := range tests {
		op := lin.Operation[lin.KVInput, lin.KVOutput]{Input: kv.ConvertOp(get), Open: tt.open}
		if !tt.open {
			op.Output = kv.ConvertResult(get, tt.result)
		}
		got, want = append(got, describe(op)), append(want, tt.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("descriptions (-want +got):\n%s", diff)
	}
}
