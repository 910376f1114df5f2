package primarybackup

import (
	"fmt"
	"strings"
)

// Op is one step of a workload script.
type Op struct {
	Get     bool
	Key     string
	Value   string // put
	Replica string // get: the replica asked ("" : the primary)
}

func (o Op) String() string {
	switch {
	case !o.Get:
		return "put " + o.Key + " " + o.Value
	case o.Replica != "":
		return "get " + o.Key + " @" + o.Replica
	}
	return "get " + o.Key
}

// Describe renders an operation in traces.
func (o Op) Describe() string { return o.String() }

// opsMax bounds a workload script.
const opsMax = 1000

// ParseWorkload reads a workload script: operations separated by ';', each
// "put KEY VALUE" or "get KEY [@REPLICA]", e.g. "put x 1; get x @n2". Keys and
// values are words without '='. FormatWorkload is its inverse.
func ParseWorkload(text string) ([]Op, error) {
	var ops []Op
	for i, part := range strings.Split(text, ";") {
		words := strings.Fields(part)
		if len(words) == 0 {
			continue
		}
		op, err := parseOp(words)
		if err != nil {
			return nil, fmt.Errorf("workload op %d %q: %v", i+1, strings.TrimSpace(part), err)
		}
		if len(ops) == opsMax {
			return nil, fmt.Errorf("workload longer than %d operations", opsMax)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

func parseOp(words []string) (Op, error) {
	for _, w := range words {
		if strings.Contains(w, "=") {
			return Op{}, fmt.Errorf("'=' in %q", w)
		}
	}
	switch {
	case words[0] == "put" && len(words) == 3:
		return Op{Key: words[1], Value: words[2]}, nil
	case words[0] == "get" && len(words) == 2:
		return Op{Get: true, Key: words[1]}, nil
	case words[0] == "get" && len(words) == 3 && strings.HasPrefix(words[2], "@"):
		return Op{Get: true, Key: words[1], Replica: words[2][1:]}, nil
	}
	return Op{}, fmt.Errorf("want \"put KEY VALUE\" or \"get KEY [@REPLICA]\"")
}

// FormatWorkload renders a script that ParseWorkload reads back.
func FormatWorkload(ops []Op) string {
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.String()
	}
	return strings.Join(parts, "; ")
}
