package cli

import (
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/internal/version"
)

// TestVersion: -version prints the build's version, the one every results
// line (and -json object) records.
func TestVersion(t *testing.T) {
	code, out, errs := simrun(t, "-version")
	if code != 0 || errs != "" || !strings.HasPrefix(out, "simrun "+version.String()+"\n") || !strings.Contains(out, "module ") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	_, out, _ = simrun(t, "-protocol", "chat", "-faults", "none", "-seeds", "1-2", "-json")
	if n := strings.Count(out, `"version":"`+version.String()+`"`); n != 2 {
		t.Fatalf("%d of 2 -json lines record the version:\n%s", n, out)
	}
}
