package kubernetes_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The manifest is checked without a YAML library: parse reads the block-style
// subset the manifest uses (mappings, sequences, plain, quoted and folded
// scalars, JSON flow sequences, comments).

type line struct {
	indent int
	text   string
	num    int
}

func lines(src string) []line {
	var out []line
	for i, raw := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		out = append(out, line{indent: len(raw) - len(strings.TrimLeft(raw, " ")), text: trimmed, num: i + 1})
	}
	return out
}

type parser struct {
	ls  []line
	pos int
}

func (p *parser) node(indent int) (any, error) {
	if p.pos >= len(p.ls) || p.ls[p.pos].indent < indent {
		return nil, nil
	}
	if strings.HasPrefix(p.ls[p.pos].text, "- ") || p.ls[p.pos].text == "-" {
		return p.sequence(p.ls[p.pos].indent)
	}
	return p.mapping(p.ls[p.pos].indent)
}

func (p *parser) sequence(indent int) ([]any, error) {
	var out []any
	for p.pos < len(p.ls) && p.ls[p.pos].indent == indent && strings.HasPrefix(p.ls[p.pos].text, "-") {
		rest := strings.TrimSpace(strings.TrimPrefix(p.ls[p.pos].text, "-"))
		if rest == "" || strings.Contains(rest, ": ") || strings.HasSuffix(rest, ":") && !strings.HasPrefix(rest, "\"") {
			// A mapping item: re-read its first key at the item's inner indent.
			p.ls[p.pos] = line{indent: indent + 2, text: rest, num: p.ls[p.pos].num}
			v, err := p.mapping(indent + 2)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		if rest == ">-" || rest == ">" {
			p.pos++
			out = append(out, p.folded(indent+1))
			continue
		}
		v, err := scalar(rest, p.ls[p.pos].num)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.pos++
	}
	return out, nil
}

func (p *parser) mapping(indent int) (map[string]any, error) {
	out := map[string]any{}
	for p.pos < len(p.ls) && p.ls[p.pos].indent == indent && !strings.HasPrefix(p.ls[p.pos].text, "- ") {
		l := p.ls[p.pos]
		key, value, ok := strings.Cut(l.text, ":")
		if !ok {
			return nil, fmt.Errorf("line %d: want key: value", l.num)
		}
		value = strings.TrimSpace(value)
		p.pos++
		var v any
		var err error
		switch value {
		case "":
			v, err = p.node(indent + 1)
		case ">-", ">":
			v = p.folded(indent + 1)
		default:
			v, err = scalar(value, l.num)
		}
		if err != nil {
			return nil, err
		}
		out[key] = v
	}
	return out, nil
}

func (p *parser) folded(indent int) string {
	var parts []string
	for p.pos < len(p.ls) && p.ls[p.pos].indent >= indent {
		parts = append(parts, p.ls[p.pos].text)
		p.pos++
	}
	return strings.Join(parts, " ")
}

func scalar(s string, num int) (any, error) {
	switch {
	case strings.HasPrefix(s, "["), strings.HasPrefix(s, "\""):
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, fmt.Errorf("line %d: %v", num, err)
		}
		return v, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	return s, nil
}

func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, step := range path {
		switch k := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: not a mapping", path)
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				t.Fatalf("at %v: not a sequence of %d", path, k+1)
			}
			v = s[k]
		}
	}
	return v
}

func TestSweepJobManifest(t *testing.T) {
	raw, err := os.ReadFile("sweep-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := &parser{ls: lines(string(raw))}
	doc, err := p.node(0)
	if err != nil {
		t.Fatal(err)
	}
	if p.pos != len(p.ls) {
		t.Fatalf("line %d: not parsed", p.ls[p.pos].num)
	}
	checks := []struct {
		path []any
		want any
	}{
		{[]any{"apiVersion"}, "batch/v1"},
		{[]any{"kind"}, "Job"},
		{[]any{"spec", "completionMode"}, "Indexed"},
		{[]any{"spec", "template", "spec", "restartPolicy"}, "Never"},
		{[]any{"spec", "template", "spec", "containers", 0, "command"}, []any{"/bin/sh", "-c"}},
	}
	for _, c := range checks {
		if got := get(t, doc, c.path...); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
	completions := get(t, doc, "spec", "completions")
	if get(t, doc, "spec", "parallelism") != completions {
		t.Errorf("parallelism differs from completions")
	}
	env := map[string]any{}
	for _, e := range get(t, doc, "spec", "template", "spec", "containers", 0, "env").([]any) {
		env[e.(map[string]any)["name"].(string)] = e.(map[string]any)["value"]
	}
	if fmt.Sprint(env["SHARDS"]) != fmt.Sprint(completions) {
		t.Errorf("SHARDS = %v, want the number of completions %v", env["SHARDS"], completions)
	}
	args := fmt.Sprint(get(t, doc, "spec", "template", "spec", "containers", 0, "args", 0))
	for _, want := range []string{"simrun", `-shard "$JOB_COMPLETION_INDEX/$SHARDS"`, `-seeds "$SEEDS"`, "-resume", "/results/shard-$JOB_COMPLETION_INDEX.jsonl"} {
		if !strings.Contains(args, want) {
			t.Errorf("args %q lack %q", args, want)
		}
	}
	mount := get(t, doc, "spec", "template", "spec", "containers", 0, "volumeMounts", 0, "mountPath")
	if mount != "/results" {
		t.Errorf("results volume mounted at %v", mount)
	}
}
