package quote

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQ(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", `"abc"`},
		{"a\x1b[2Jb\n", `"a\x1b[2Jb\n"`},
		{strings.Repeat("x", 100), `"` + strings.Repeat("x", 64) + `"... (100 bytes)`},
		{strings.Repeat("é", 40), `"` + strings.Repeat("é", 32) + `"... (80 bytes)`},
		{strings.Repeat("\x96", 100), `"` + strings.Repeat(`\x96`, 16) + `"... (100 bytes)`},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Q(tt.in)); diff != "" {
			t.Errorf("Q(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
