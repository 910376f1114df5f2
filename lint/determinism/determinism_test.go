package determinism_test

import (
	"testing"

	"github.com/orrery-sim/orrery/lint/determinism"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestAnalyzerCatches runs the analyzer over testdata packages that break every rule
// once, each next to the allowed deterministic form; the "// want" comments there
// are the expected findings, and any finding without one fails the test.
func TestAnalyzerCatches(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), determinism.Analyzer, "agent", "dotimport")
}
