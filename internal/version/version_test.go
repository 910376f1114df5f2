package version

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestString(t *testing.T) {
	tests := []struct {
		b    build
		want string
	}{
		{build{module: "(devel)"}, "(devel)"},
		{build{module: "(devel)", revision: "3043682a1b2c3d4e5f60718293a4b5c6d7e8f901", modified: true}, "(devel) 3043682a1b2c+modified"},
		{build{module: "v0.4.0", main: "example.com/mine (devel)", revision: "abc"}, "v0.4.0 in example.com/mine (devel) abc"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.b.String()); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.b, diff)
		}
	}
	if got := String(); got == "" || Lines()[0] != got {
		t.Errorf("String() = %q, Lines()[0] = %q", got, Lines()[0])
	}
	if Or("") != Unknown || Or("v1") != "v1" {
		t.Errorf("Or")
	}
}
