package simtest

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"pgregory.net/rapid"
)

// recordingTB is the TB rapid reports to. It records rapid's verdict
// instead of ending the test, so that Check can write the trace of the shrunk
// failure before failing, and Find can expect a failure. forward passes rapid's
// failure report on to the test as an error (Check) or as a log line (Find).
type recordingTB struct {
	rapid.TB
	forward bool
	failed  bool
	// key names the search to rapid: the test's name, the protocol and the
	// bug, so that the failing cases rapid saves under testdata/rapid/ (and
	// replays first) belong to one protocol and bug, and two searches in one
	// test never replay each other's cases.
	key string
}

// Name is what rapid files saved cases under.
func (r *recordingTB) Name() string { return r.key }

// searchKey is the name a search's saved cases go under.
func searchKey(test, protocol, bug string) string {
	if bug == "" {
		bug = "clean"
	}
	return test + "/" + protocol + "-" + bug
}

func (r *recordingTB) report(msg string) {
	// rapid's "-run" hint names the key; the test to run is the real one.
	msg = strings.ReplaceAll(msg, fmt.Sprintf("-run=%q", regexp.QuoteMeta(r.key)), fmt.Sprintf("-run=%q", runPattern(r.TB.Name())))
	r.failed = true
	r.TB.Helper()
	if r.forward {
		r.TB.Error(msg)
	} else {
		r.TB.Log(msg)
	}
}

func (r *recordingTB) Errorf(format string, args ...any) { r.report(fmt.Sprintf(format, args...)) }
func (r *recordingTB) Error(args ...any)                 { r.report(fmt.Sprint(args...)) }
func (r *recordingTB) Fatalf(format string, args ...any) { r.report(fmt.Sprintf(format, args...)) }
func (r *recordingTB) Fatal(args ...any)                 { r.report(fmt.Sprint(args...)) }
func (r *recordingTB) Fail()                             { r.failed = true }
func (r *recordingTB) Failed() bool                      { return r.failed }

// FailNow is called by rapid once it has reported; the search's caller decides.
func (r *recordingTB) FailNow() { r.failed = true }

// withRapidFlags runs fn with rapid's -rapid.checks and -rapid.shrinktime set
// from a Spec, unless the user gave them on the command line or in the
// environment. rapid reads only its flags, so this is the one way to bound a
// search per test. The flags are process-wide: do not run such tests with
// t.Parallel next to other rapid checks.
func withRapidFlags(checks int, shrinkTime time.Duration, fn func()) {
	if checks > 0 {
		defer setRapidFlag("rapid.checks", "RAPID_CHECKS", strconv.Itoa(checks))()
	}
	if shrinkTime > 0 {
		defer setRapidFlag("rapid.shrinktime", "RAPID_SHRINKTIME", shrinkTime.String())()
	}
	fn()
}

// setRapidFlag sets a flag and returns what restores it.
func setRapidFlag(name, env, value string) (restore func()) {
	f := flag.Lookup(name)
	if f == nil {
		return func() {}
	}
	if _, ok := os.LookupEnv(env); ok {
		return func() {}
	}
	explicit := false
	flag.Visit(func(g *flag.Flag) { explicit = explicit || g.Name == name })
	if explicit {
		return func() {}
	}
	old := f.Value.String()
	_ = f.Value.Set(value)
	return func() { _ = f.Value.Set(old) }
}
