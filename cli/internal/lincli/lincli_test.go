package lincli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testdata holds the checker's small histories.
var testdata = filepath.Join("..", "..", "..", "checkers", "linearizability", "testdata")

func TestRunExitCodes(t *testing.T) {
	hard := filepath.Join(t.TempDir(), "hard.edn")
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "{:type :invoke, :f :append, :key \"k\", :value \"<%d>\", :process %d}\n", i, i)
	}
	for i := range 20 {
		fmt.Fprintf(&b, "{:type :ok, :f :append, :key \"k\", :value \"<%d>\", :process %d}\n", i, i)
	}
	b.WriteString("{:type :invoke, :f :get, :key \"k\", :process 99}\n{:type :ok, :f :get, :key \"k\", :value \"no\", :process 99}\n")
	if err := os.WriteFile(hard, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		options    Options
		code       int
		stdout     []string // substrings
		stderrLine string   // prefix of the single stderr line
	}{
		{"ok edn", Options{File: filepath.Join(testdata, "register.edn")}, ExitOk,
			[]string{"format edn, model cas-register, 5 operations", "verdict: ok (checked in "}, ""},
		{"ok etcd", Options{File: filepath.Join(testdata, "etcd.log")}, ExitOk, []string{"model etcd", "verdict: ok"}, ""},
		{"illegal", Options{File: filepath.Join(testdata, "register-bad.edn"), Model: "register"}, ExitIllegal,
			[]string{"verdict: illegal", "cannot place next:", `read() -> "1": not allowed in state "2"`}, ""},
		{"illegal kv", Options{File: filepath.Join(testdata, "kv.txt")}, ExitIllegal, []string{`key "y": illegal`, `key "x": ok`}, ""},
		{"timeout", Options{File: hard, Timeout: 30 * time.Millisecond}, ExitUnknown,
			[]string{"verdict: unknown", "reason: context deadline exceeded"}, ""},
		// Any process holds more than a byte: the watcher stops the hard
		// history's search at its first poll.
		{"memory", Options{File: hard, MaxMemory: 1}, ExitUnknown,
			[]string{"verdict: unknown", "reason: memory limit 1B reached ("}, "simrun -history: stopped by -max-memory 1B ("},
		{"no file", Options{}, ExitBadInput, nil, "no history file given"},
		{"missing file", Options{File: "missing.edn"}, ExitBadInput, nil, "open missing.edn: no such file"},
		{"unknown model", Options{File: hard, Model: "stack"}, ExitBadInput, nil, `unknown model "stack" (want one of register, cas-register,`},
		{"unknown format", Options{File: hard, Format: "csv"}, ExitBadInput, nil, hard + `: unknown history format "csv"`},
		{"wrong model", Options{File: hard, Model: "queue"}, ExitBadInput, nil, hard + `:1: the queue model knows enqueue and dequeue, not "append"`},
		{"wrong format", Options{File: hard, Format: "etcd"}, ExitBadInput, nil, hard + ":1: not a Jepsen log line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tt.options, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stdout:\n%s\nstderr:\n%s", code, tt.code, &stdout, &stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, &stdout)
				}
			}
			if tt.stderrLine == "" {
				if stderr.Len() != 0 {
					t.Errorf("unexpected stderr: %s", &stderr)
				}
				return
			}
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], tt.stderrLine) {
				t.Errorf("stderr %q, want one line starting %q", stderr.String(), tt.stderrLine)
			}
		})
	}
}

func TestRunJSONAndHTML(t *testing.T) {
	html := filepath.Join(t.TempDir(), "view.html")
	file := filepath.Join(testdata, "register-bad.edn")
	var stdout, stderr bytes.Buffer
	if code := Run(Options{File: file, HTML: html, JSON: true}, &stdout, &stderr); code != ExitIllegal {
		t.Fatalf("exit code %d, want %d; stderr: %s", code, ExitIllegal, &stderr)
	}
	var got report
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, &stdout)
	}
	got.CheckNanos = 0
	want := report{File: file, Format: "edn", Model: "cas-register", Operations: 3, Partitions: 1, Verdict: "illegal",
		Failures: []failure{{Partition: "partition 0", Prefix: []int{0, 1}, Candidates: []int{2}, Deadline: 2}}, HTML: html}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(report{})); diff != "" {
		t.Errorf("JSON report (-want +got):\n%s", diff)
	}
	page, err := os.ReadFile(html)
	if err != nil || !bytes.Contains(page, []byte("<!DOCTYPE html>")) {
		t.Errorf("no HTML view written: %v", err)
	}
}
