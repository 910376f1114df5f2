package quote

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQ(t *testing.T) {
	long := strings.Repeat("é", 40) // 80 bytes
	tests := []struct{ in, want string }{
		{"abc", `"abc"`},
		{"a\x1b[2Jb\n", `"a\x1b[2Jb\n"`},
		{strings.Repeat("x", 100), `"` + strings.Repeat("x", 64) + `"... (100 bytes)`},
		{long, `"` + strings.Repeat("é", 32) + `"... (80 bytes)`},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Q(tt.in)); diff != "" {
			t.Errorf("Q(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
