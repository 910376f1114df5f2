package linearizability

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type regOp = Operation[RegisterInput, RegisterOutput]

func write(client int, call, ret int64, v string) regOp {
	return regOp{ClientID: client, Input: RegisterInput{Op: RegisterWrite, Value: v}, Call: call, Return: ret}
}

// read returns a read of v; "nil" reads an unset register.
func read(client int, call, ret int64, v string) regOp {
	out := RegisterOutput{Value: v, Exists: v != "nil"}
	if v == "nil" {
		out.Value = ""
	}
	return regOp{ClientID: client, Input: RegisterInput{Op: RegisterRead}, Call: call, Output: out, Return: ret}
}

func cas(client int, call, ret int64, from, to string, ok bool) regOp {
	return regOp{ClientID: client, Input: RegisterInput{Op: RegisterCAS, Expected: from, Value: to}, Call: call,
		Output: RegisterOutput{Ok: ok}, Return: ret}
}

func open(op regOp) regOp {
	op.Open, op.Return, op.Output = true, math.MaxInt64, RegisterOutput{}
	return op
}

// summary is what table tests compare: the result without the explanation.
type summary struct {
	Verdict       Verdict
	Linearization []int
	Candidates    []int
	Deadline      int
}

func summarize(r Result) summary {
	s := summary{Verdict: r.Verdict, Deadline: -1}
	for _, p := range r.Partitions {
		if p.Verdict == Illegal || len(r.Partitions) == 1 {
			s.Linearization, s.Candidates, s.Deadline = p.Linearization, p.Candidates, p.Deadline
		}
	}
	return s
}

func TestCheckRegister(t *testing.T) {
	tests := []struct {
		name    string
		history []regOp
		want    summary
	}{
		{"empty", nil, summary{Verdict: Ok, Deadline: -1}},
		{"sequential", []regOp{write(0, 0, 1, "1"), read(1, 2, 3, "1")},
			summary{Verdict: Ok, Linearization: []int{0, 1}, Deadline: -1}},
		{"read overlaps write", []regOp{write(0, 0, 10, "1"), read(1, 1, 2, "1")},
			summary{Verdict: Ok, Linearization: []int{0, 1}, Deadline: -1}},
		{"read nil before concurrent write", []regOp{read(0, 0, 5, "nil"), write(1, 1, 2, "1")},
			summary{Verdict: Ok, Linearization: []int{0, 1}, Deadline: -1}},
		{"touching intervals are concurrent", []regOp{read(0, 0, 5, "1"), write(1, 5, 6, "1")},
			summary{Verdict: Ok, Linearization: []int{1, 0}, Deadline: -1}},
		{"stale read", []regOp{write(0, 0, 1, "1"), write(0, 2, 3, "2"), read(1, 4, 5, "1")},
			summary{Verdict: Illegal, Linearization: []int{0, 1}, Candidates: []int{2}, Deadline: 2}},
		{"read from the future", []regOp{read(1, 0, 1, "1"), write(0, 2, 3, "1")},
			summary{Verdict: Illegal, Linearization: []int{}, Candidates: []int{0}, Deadline: 0}},
		{"cas after write", []regOp{write(0, 0, 1, "1"), cas(1, 2, 3, "1", "2", true), read(0, 4, 5, "2")},
			summary{Verdict: Ok, Linearization: []int{0, 1, 2}, Deadline: -1}},
		{"cas failed but should not have", []regOp{write(0, 0, 1, "1"), cas(1, 2, 3, "1", "2", false)},
			summary{Verdict: Illegal, Linearization: []int{0}, Candidates: []int{1}, Deadline: 1}},
		{"open write took effect", []regOp{open(write(0, 0, 1, "1")), read(1, 5, 6, "1")},
			summary{Verdict: Ok, Linearization: []int{0, 1}, Deadline: -1}},
		{"open write never took effect", []regOp{open(write(0, 0, 1, "1")), read(1, 5, 6, "nil")},
			summary{Verdict: Ok, Linearization: []int{1}, Deadline: -1}},
		{"open write cannot be undone", []regOp{open(write(0, 0, 1, "1")), read(1, 5, 6, "1"), read(1, 7, 8, "nil")},
			summary{Verdict: Illegal, Linearization: []int{0, 1}, Candidates: []int{2}, Deadline: 2}},
		{"open write takes effect late", []regOp{open(write(0, 0, 1, "1")), read(1, 5, 6, "nil"), read(1, 7, 8, "1")},
			summary{Verdict: Ok, Linearization: []int{1, 0, 2}, Deadline: -1}},
		{"open read is dropped", []regOp{open(read(0, 0, 1, "7")), write(1, 2, 3, "1")},
			summary{Verdict: Ok, Linearization: []int{1}, Deadline: -1}},
		{"open cas may succeed", []regOp{write(0, 0, 1, "1"), open(cas(1, 2, 3, "1", "2", false)), read(0, 9, 10, "2")},
			summary{Verdict: Ok, Linearization: []int{0, 1, 2}, Deadline: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(Check(context.Background(), CASRegisterModel(), tt.history, Options{}))
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(equalInts)); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// equalInts treats nil and empty slices alike.
func equalInts(a, b []int) bool {
	return len(a) == len(b) && fmt.Sprint(a) == fmt.Sprint(b)
}

func TestRegisterModelRejectsCAS(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("want a panic for cas on RegisterModel")
		}
	}()
	Check(context.Background(), RegisterModel(), []regOp{cas(0, 0, 1, "a", "b", false)}, Options{})
}

func TestExplanationText(t *testing.T) {
	res := Check(context.Background(), CASRegisterModel(),
		[]regOp{write(0, 0, 1, "1"), write(0, 2, 3, "2"), read(1, 4, 5, "1")}, Options{})
	want := `verdict: illegal
partition 0: illegal (3 ops)
  longest linearizable prefix: 2 ops, from initial state nil
     1. #0 client 0 [0,1] write("1")  => "1"
     2. #1 client 0 [2,3] write("2")  => "2"
  cannot place next:
   !  #2 client 1 [4,5] read() -> "1": not allowed in state "2"; it returned, so it must take effect before anything invoked later
`
	if diff := cmp.Diff(want, res.String()); diff != "" {
		t.Errorf("explanation mismatch (-want +got):\n%s", diff)
	}
}

type kvOp = Operation[KVInput, KVOutput]

func kv(client int, call, ret int64, op KVOp, key, value string, out KVOutput) kvOp {
	return kvOp{ClientID: client, Input: KVInput{Op: op, Key: key, Value: value}, Call: call, Output: out, Return: ret}
}

func TestCheckKV(t *testing.T) {
	tests := []struct {
		name       string
		history    []kvOp
		verdict    Verdict
		partitions []string // verdict per partition, in order
	}{
		{"independent keys", []kvOp{
			kv(0, 0, 10, KVPut, "x", "1", KVOutput{}),
			kv(1, 0, 10, KVAppend, "y", "a", KVOutput{}),
			kv(2, 11, 12, KVGet, "x", "", KVOutput{Value: "1"}),
			kv(2, 13, 14, KVGet, "y", "", KVOutput{Value: "a"}),
		}, Ok, []string{"ok", "ok"}},
		{"one bad key", []kvOp{
			kv(0, 0, 1, KVPut, "x", "1", KVOutput{}),
			kv(1, 0, 1, KVPut, "y", "1", KVOutput{}),
			kv(2, 2, 3, KVGet, "x", "", KVOutput{Value: "1"}),
			kv(2, 4, 5, KVGet, "y", "", KVOutput{Value: "2"}),
		}, Illegal, []string{"ok", "illegal"}},
		{"count forbids partitioning", []kvOp{
			kv(0, 0, 1, KVPut, "x", "1", KVOutput{}),
			kv(1, 0, 1, KVPut, "y", "1", KVOutput{}),
			kv(2, 2, 3, KVCount, "", "", KVOutput{Count: 1}),
		}, Illegal, []string{"illegal"}},
		{"delete, exists and cas", []kvOp{
			kv(0, 0, 1, KVPut, "x", "1", KVOutput{}),
			{Input: KVInput{Op: KVCAS, Key: "x", Expected: "1", Value: "2"}, Call: 2, Output: KVOutput{Ok: true}, Return: 3},
			kv(0, 4, 5, KVGet, "x", "", KVOutput{Value: "2"}),
			kv(0, 6, 7, KVDelete, "x", "", KVOutput{}),
			kv(0, 8, 9, KVExists, "x", "", KVOutput{Ok: false}),
			kv(0, 10, 11, KVCount, "", "", KVOutput{Count: 0}),
		}, Ok, []string{"ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(context.Background(), KVModel(), tt.history, Options{})
			var got []string
			for _, p := range res.Partitions {
				got = append(got, p.Verdict.String())
			}
			if diff := cmp.Diff(tt.partitions, got); diff != "" || res.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; partitions (-want +got):\n%s", res.Verdict, tt.verdict, diff)
			}
		})
	}
}

func TestCheckSetAndQueue(t *testing.T) {
	set := []Operation[SetInput, SetOutput]{
		{Input: SetInput{Op: SetAdd, Value: "a"}, Call: 0, Return: 10},
		{ClientID: 1, Input: SetInput{Op: SetAdd, Value: "b"}, Call: 0, Return: 10},
		{ClientID: 2, Input: SetInput{Op: SetRead}, Call: 1, Output: SetOutput{Values: []string{"b"}}, Return: 2},
		{ClientID: 2, Input: SetInput{Op: SetRead}, Call: 11, Output: SetOutput{Values: []string{"b", "a"}}, Return: 12},
	}
	if got := Check(context.Background(), SetModel(), set, Options{}).Verdict; got != Ok {
		t.Errorf("set: got %s, want ok", got)
	}
	set[3].Output.Values = []string{"a"}
	if got := Check(context.Background(), SetModel(), set, Options{}).Verdict; got != Illegal {
		t.Errorf("set with a lost element: got %s, want illegal", got)
	}
	queue := []Operation[QueueInput, QueueOutput]{
		{Input: QueueInput{Op: QueueEnqueue, Value: "a"}, Call: 0, Return: 10},
		{ClientID: 1, Input: QueueInput{Op: QueueEnqueue, Value: "b"}, Call: 0, Return: 10},
		{ClientID: 2, Input: QueueInput{Op: QueueDequeue}, Call: 11, Output: QueueOutput{Value: "b", Ok: true}, Return: 12},
		{ClientID: 2, Input: QueueInput{Op: QueueDequeue}, Call: 13, Output: QueueOutput{Value: "a", Ok: true}, Return: 14},
		{ClientID: 2, Input: QueueInput{Op: QueueDequeue}, Call: 15, Return: 16},
	}
	if got := Check(context.Background(), QueueModel(), queue, Options{}).Verdict; got != Ok {
		t.Errorf("queue: got %s, want ok", got)
	}
	queue[4].Output = QueueOutput{Value: "a", Ok: true}
	if got := Check(context.Background(), QueueModel(), queue, Options{}).Verdict; got != Illegal {
		t.Errorf("queue dequeuing twice: got %s, want illegal", got)
	}
}

// lossyCounter is a nondeterministic model: an increment adds 1 or 2.
func lossyCounter() Model[int, string, int] {
	return Model[int, string, int]{
		Init: func() int { return 0 },
		StepAll: func(state int, in string, out int) []int {
			if in == "incr" {
				return []int{state + 1, state + 2}
			}
			if out == state {
				return []int{state}
			}
			return nil
		},
		ReadOnly: func(op Operation[string, int]) bool { return op.Input == "read" },
	}
}

func TestNondeterministicModel(t *testing.T) {
	history := func(reads ...int) []Operation[string, int] {
		h := []Operation[string, int]{{Input: "incr", Call: 0, Return: 1}, {Input: "incr", Call: 2, Return: 3}}
		for i, r := range reads {
			h = append(h, Operation[string, int]{Input: "read", Call: int64(10 + 2*i), Output: r, Return: int64(11 + 2*i)})
		}
		return h
	}
	for _, tt := range []struct {
		reads []int
		want  Verdict
	}{{[]int{2}, Ok}, {[]int{3}, Ok}, {[]int{4}, Ok}, {[]int{5}, Illegal}, {[]int{3, 3}, Ok}, {[]int{3, 4}, Illegal}} {
		if got := Check(context.Background(), lossyCounter(), history(tt.reads...), Options{}).Verdict; got != tt.want {
			t.Errorf("reads %v: got %s, want %s", tt.reads, got, tt.want)
		}
	}
}

// hardHistory has concurrent appends whose every order gives a different
// state, and a final read no order explains: the search must try them all.
func hardHistory(appends int) []kvOp {
	var h []kvOp
	for i := range appends {
		h = append(h, kv(i, 0, 100, KVAppend, "k", fmt.Sprintf("<%d>", i), KVOutput{}))
	}
	return append(h, kv(appends, 101, 102, KVGet, "k", "", KVOutput{Value: "impossible"}))
}

func TestTimeoutIsUnknown(t *testing.T) {
	start := time.Now()
	res := Check(context.Background(), KVModel(), hardHistory(20), Options{Timeout: 50 * time.Millisecond})
	if res.Verdict != Unknown || !errors.Is(res.Err, context.DeadlineExceeded) {
		t.Fatalf("got %s (%v), want unknown with a deadline error", res.Verdict, res.Err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("timeout of 50ms took %s", elapsed)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res := Check(ctx, KVModel(), hardHistory(20), Options{}); res.Verdict != Unknown || !errors.Is(res.Err, context.Canceled) {
		t.Fatalf("cancelled: got %s (%v), want unknown", res.Verdict, res.Err)
	}
}

// TestDeterministicAcrossWorkers checks that the verdict and explanation do
// not depend on how many goroutines check partitions.
func TestDeterministicAcrossWorkers(t *testing.T) {
	var h []kvOp
	for k := range 12 {
		key := fmt.Sprintf("k%d", k)
		for i := range 6 {
			t0 := int64(10 * i)
			h = append(h, kv(i, t0, t0+15, KVAppend, key, fmt.Sprint(i), KVOutput{}))
		}
		bad := "012345"
		if k%3 == 1 {
			bad = "012354x"
		}
		h = append(h, kv(7, 100, 101, KVGet, key, "", KVOutput{Value: bad}))
	}
	want := Check(context.Background(), KVModel(), h, Options{Workers: 1}).Explain().String()
	if !strings.Contains(want, "illegal") {
		t.Fatalf("want an illegal history, got:\n%s", want)
	}
	for _, workers := range []int{1, 2, 3, 8} {
		for range 3 {
			got := Check(context.Background(), KVModel(), h, Options{Workers: workers}).Explain().String()
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("workers %d: explanation differs (-want +got):\n%s", workers, diff)
			}
		}
	}
}

func TestAllPartitions(t *testing.T) {
	h := []kvOp{
		kv(0, 0, 1, KVPut, "x", "1", KVOutput{}),
		kv(0, 2, 3, KVGet, "x", "", KVOutput{Value: "2"}),
		kv(1, 0, 1, KVPut, "y", "1", KVOutput{}),
		kv(1, 2, 3, KVGet, "y", "", KVOutput{Value: "2"}),
	}
	res := Check(context.Background(), KVModel(), h, Options{AllPartitions: true})
	for i, p := range res.Partitions {
		if p.Verdict != Illegal || p.Skipped {
			t.Errorf("partition %d: %s (skipped %t), want illegal", i, p.Verdict, p.Skipped)
		}
	}
}
