package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A user's module: one package that breaks the rules, one that keeps them.
var userModule = map[string]string{
	"go.mod": "module example.com/agents\n\ngo 1.26\n",
	"bad/bad.go": `package bad

import "time"

func Tick(m map[string]int) int64 {
	go func() {}()
	for k := range m {
		_ = k
	}
	return time.Now().UnixNano()
}
`,
	"bad/bad_test.go": `package bad

import "testing"

func TestTick(t *testing.T) { go Tick(nil) }
`,
	"good/good.go": `package good

import "sort"

func Keys(m map[string]int) []string {
	var keys []string
	for k := range m { // lint:ordered sorted below
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
`,
}

var wantFindings = []string{
	"bad.go:6: go statement: a simulation runs on one goroutine",
	"bad.go:7: range over a map: iteration order is random (sort the keys, or mark the loop // lint:ordered <why>)",
	"bad.go:10: time.Now reads the wall clock: use virtual time (ctx.Now, ctx.SetTimer)",
}

// TestStandaloneAndVet builds orrerylint and runs it on a user's module both ways a
// user would: standalone (exit 3 on findings) and as go vet's tool (exit 1).
func TestStandaloneAndVet(t *testing.T) {
	tool := filepath.Join(t.TempDir(), "orrerylint")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mod := t.TempDir()
	for name, text := range userModule { // lint:ordered writes independent files
		path := filepath.Join(mod, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{"standalone", []string{tool, "./..."}, 3, wantFindings},
		{"standalone clean", []string{tool, "./good"}, 0, nil},
		{"vet", []string{"go", "vet", "-vettool=" + tool, "./..."}, 1, wantFindings},
		{"vet clean", []string{"go", "vet", "-vettool=" + tool, "./good"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(tt.args[0], tt.args[1:]...)
			cmd.Dir = mod
			cmd.Env = append(os.Environ(), "GOWORK=off")
			out, err := cmd.CombinedOutput()
			code := 0
			if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; output:\n%s", code, tt.wantCode, out)
			}
			if diff := cmp.Diff(tt.want, findings(out)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\noutput:\n%s", diff, out)
			}
		})
	}
}

var findingLine = regexp.MustCompile(`(?m)([^/\s]+\.go):(\d+):\d+: (.*)$`)

// findings reduces the tool's output to "file:line: message", dropping directories
// and columns, which differ between the standalone and go vet forms.
func findings(out []byte) []string {
	var got []string
	for _, m := range findingLine.FindAllSubmatch(out, -1) {
		got = append(got, string(m[1])+":"+string(m[2])+": "+string(m[3]))
	}
	return got
}
