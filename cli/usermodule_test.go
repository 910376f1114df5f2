package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestUserModule is the README's "Test your own protocol" path, followed
// literally from a fresh module: a copy of examples/primarybackup renamed
// "mypb" (so the run proves it is the copy that runs, not the upstream
// package), a cmd/mysim that is cli.Main over it, then a sweep that finds the
// planted bug, the reproduce line with -shrink and -html, and a replay of the
// shrunk trace. Nothing is registered: cli.Main is handed the protocol.
func TestUserModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program in a temporary module (-short)")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build a user's program: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeUserModule(t, root, dir)
	build := exec.Command(goTool, "build", "-o", "mysim", "./cmd/mysim")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mysim := func(want int, args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(dir, "mysim"), args...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != want {
			t.Fatalf("mysim %s: exit %d (%v), want %d\n%s", strings.Join(args, " "), code, err, want, out.String())
		}
		return out.String()
	}
	out := mysim(1, "-protocol", "mypb", "-bug", "early-ack", "-seeds", "1-400")
	m := regexp.MustCompile(`(?m)^reproduce:\s+mysim (-protocol mypb -seed \d+ .*)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the sweep printed no reproduce line naming mysim:\n%s", out)
	}
	args := append(strings.Fields(m[1]), "-shrink", "-shrink-runs", "3000", "-o", "min.jsonl", "-html", "min.html")
	out = mysim(1, args...)
	if !strings.Contains(out, "replay:     mysim -replay min.jsonl") {
		t.Fatalf("the shrink printed no replay line naming mysim:\n%s", out)
	}
	out = mysim(1, "-replay", "min.jsonl")
	if !strings.Contains(out, "replay identical") || !strings.Contains(out, "read-acknowledged-writes") {
		t.Fatalf("the shrunk trace does not replay identically:\n%s", out)
	}
	page, err := os.ReadFile(filepath.Join(dir, "min.html"))
	if err != nil || !bytes.Contains(page, []byte("mypb")) {
		t.Fatalf("min.html: %v, or it does not show the run of mypb", err)
	}
}

// writeUserModule lays out the user's module in dir: go.mod pointing at the
// Orrery checkout in root, their protocol (a renamed copy of the tutorial's),
// and their command.
func writeUserModule(t *testing.T, root, dir string) {
	t.Helper()
	files := map[string]string{
		"go.mod": "module example.com/mine\n\ngo 1.26\n\nrequire github.com/orrery-sim/orrery v0.0.0\n\n" +
			"replace github.com/orrery-sim/orrery => " + root + "\n",
		"cmd/mysim/main.go": "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/mine/pb\"\n\t\"github.com/orrery-sim/orrery/cli\"\n)\n\n" +
			"func main() { os.Exit(cli.Main(primarybackup.Protocol)) }\n",
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files["go.sum"] = string(sum)
	src := filepath.Join(root, "examples", "primarybackup")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		text, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		files["pb/"+name] = strings.Replace(string(text), `Name:     "primarybackup"`, `Name:     "mypb"`, 1)
	}
	if !strings.Contains(files["pb/protocol.go"], `"mypb"`) {
		t.Fatal(`the tutorial's protocol.go no longer has the line Name:     "primarybackup"`)
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
