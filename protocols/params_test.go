package protocols

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveChecksRangesAndParams(t *testing.T) {
	p := &Protocol{Name: "toy", Nodes: 3, MinNodes: 1, MaxNodes: 5, Clients: 2, Params: []Param{
		{Name: "fast", Kind: ParamBool, Default: "false"},
		{Name: "size", Kind: ParamInt, Min: 1, Max: 9},
		{Name: "script", Kind: ParamText},
	}}
	tests := []struct {
		name    string
		in      Options
		want    Options
		wantErr string
	}{
		{"defaults", Options{}, Options{Nodes: 3, Clients: 2}, ""},
		{"params canonical", Options{Params: map[string]string{"fast": "true", "size": "+07", "script": "x\ny"}},
			Options{Nodes: 3, Clients: 2, Params: map[string]string{"fast": "true", "size": "7", "script": "x\ny"}}, ""},
		{"too many nodes", Options{Nodes: 6}, Options{}, "needs 1 to 5 nodes, got 6"},
		{"too many clients", Options{Clients: 2000}, Options{}, "takes 1 to 256 clients (0: its default, 2), got 2000"},
		{"negative clients", Options{Clients: -1}, Options{}, "takes 1 to 256 clients (0: its default, 2), got -1"},
		{"too many ops", Options{Ops: OpsMax + 1}, Options{}, "operations per client"},
		{"negative ops", Options{Ops: -1}, Options{}, "operations per client"},
		{"unknown param", Options{Params: map[string]string{"q1": "2"}}, Options{}, `protocol toy has no parameter "q1" (known: fast, size, script)`},
		{"bad bool", Options{Params: map[string]string{"fast": "yes"}}, Options{}, `parameter fast: want true or false, got "yes"`},
		{"int out of range", Options{Params: map[string]string{"size": "10"}}, Options{}, `want an integer from 1 to 9, got "10"`},
		{"int not a number", Options{Params: map[string]string{"size": "1e3"}}, Options{}, `got "1e3"`},
		{"control bytes quoted", Options{Params: map[string]string{"\x1b[2J": "1"}}, Options{}, `no parameter "\x1b[2J"`},
	}
	for _, tt := range tests {
		got, err := p.Resolve(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	bare := &Protocol{Name: "bare", Nodes: 1, MinNodes: 1}
	if _, err := bare.Resolve(Options{Params: map[string]string{"x": "1"}}); err == nil || !strings.Contains(err.Error(), "it takes none") {
		t.Errorf("a protocol without parameters accepted one: %v", err)
	}
	if _, err := bare.Resolve(Options{Nodes: NodesMax + 1}); err == nil {
		t.Errorf("MaxNodes 0 accepted %d nodes", NodesMax+1)
	}
}
