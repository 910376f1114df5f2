package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/orrery-sim/orrery/harness"
	"github.com/orrery-sim/orrery/internal/version"
	"github.com/orrery-sim/orrery/sim"
)

// A results file (-results, -resume) is JSON Lines: a header naming the sweep
// that writes it, then one summary per finished seed. The header is what makes
// resuming safe: a sweep appends to or resumes from a results file only when
// the file's header matches it field by field (the build's version, every
// config field, the shard), so old verdicts never complete a sweep of other
// settings or code.

// resultsFormat is the version of the results file format.
const resultsFormat = "orrery-results/1"

// resultsLine is a header line: {"sweep": {...}}.
type resultsLine struct {
	Sweep *sweepHeader `json:"sweep"`
}

// sweepHeader describes the sweep whose results follow.
type sweepHeader struct {
	Format  string `json:"format"`
	Version string `json:"version"`
	// Config is the resolved config (defaults filled in), its seed zero.
	Config harness.Config `json:"config"`
	// Seeds is the swept range A-B, Shard the part of it, I/N.
	Seeds string `json:"seeds"`
	Shard string `json:"shard"`
}

// newSweepHeader describes the sweep of the resolved cfg over p.
func newSweepHeader(cfg harness.Config, p *plan) *sweepHeader {
	cfg.Seed = 0
	return &sweepHeader{Format: resultsFormat, Version: version.String(), Config: cfg,
		Seeds: fmt.Sprintf("%d-%d", p.lo, p.hi), Shard: fmt.Sprintf("%d/%d", p.shard, p.of)}
}

// valueShownBytesMax bounds a value quoted in an error (a fault plan or a
// cluster file can be long).
const valueShownBytesMax = 60

// differs names the first field in which the recorded header differs from
// want, with both values, or returns "". The seed range matters only for a
// shard, whose seeds are counted from the range's start.
func (want *sweepHeader) differs(got *sweepHeader) string {
	if got.Format != want.Format {
		return field("format", quoted(got.Format), quoted(want.Format))
	}
	if got.Version != want.Version {
		return field("version", quoted(got.Version), quoted(want.Version))
	}
	if d := configDiffers(got.Config, want.Config); d != "" {
		return d
	}
	if got.Shard != want.Shard {
		return field("shard", quoted(got.Shard), quoted(want.Shard))
	}
	if want.Shard != "0/1" && got.Seeds != want.Seeds {
		return field("seeds", quoted(got.Seeds), quoted(want.Seeds))
	}
	return ""
}

// configDiffers compares two configs field by field, in declaration order,
// naming a field as its JSON key.
func configDiffers(got, want harness.Config) string {
	a, b := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < a.NumField(); i++ {
		name, _, _ := strings.Cut(a.Type().Field(i).Tag.Get("json"), ",")
		if name == "-" {
			continue // not recorded (Config.Impl)
		}
		x, _ := json.Marshal(a.Field(i).Interface())
		y, _ := json.Marshal(b.Field(i).Interface())
		if !bytes.Equal(x, y) {
			return field(name, string(x), string(y))
		}
	}
	return ""
}

// field says that a field differs, with its two values (rendered as JSON).
func field(name, recorded, sweep string) string {
	return fmt.Sprintf("%s differs: %s in the file, %s in this sweep", name, shown(recorded), shown(sweep))
}

func shown(s string) string {
	if s == "" || s == `""` || s == "null" {
		return "none"
	}
	if len(s) > valueShownBytesMax {
		return s[:valueShownBytesMax] + "..."
	}
	return s
}

// quoted renders a string as JSON does.
func quoted(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// readResults checks a results file against the sweep (want) and returns the
// seeds it holds that lie in the plan's range, their exit codes derived from
// their verdicts. A torn last line (the sweep was killed mid-write) is
// ignored: that seed runs again. A missing or empty file holds nothing.
func readResults(flag, path string, want *sweepHeader, p *plan) (map[uint64]summary, error) {
	done := map[uint64]summary{}
	lines, err := resultLines(path)
	if err != nil {
		return nil, usagef("%s: %v", flag, err)
	}
	headers := 0
	for i, line := range lines {
		where := fmt.Sprintf("%s %s:%d", flag, path, i+1)
		if i == len(lines)-1 && !json.Valid([]byte(line)) {
			break // torn last line
		}
		if strings.HasPrefix(line, `{"sweep"`) {
			var h resultsLine
			if err := json.Unmarshal([]byte(line), &h); err != nil || h.Sweep == nil {
				return nil, usagef("%s: bad sweep header: %v", where, err)
			}
			if d := want.differs(h.Sweep); d != "" {
				return nil, usagef("%s: the results are of another sweep: %s", where, d)
			}
			headers++
			continue
		}
		s, err := readSummary(line, want)
		if err != nil {
			return nil, usagef("%s: %v", where, err)
		}
		if headers == 0 {
			return nil, usagef("%s: no sweep header before the results (written by an older simrun?); start a new results file", where)
		}
		if s.Seed >= p.lo && s.Seed <= p.hi {
			done[s.Seed] = s
		}
	}
	return done, nil
}

// readSummary parses one result and checks it against the sweep. Its exit
// code and reproduce line are derived, never read.
func readSummary(line string, want *sweepHeader) (summary, error) {
	var s summary
	if err := json.Unmarshal([]byte(line), &s); err != nil {
		return s, err
	}
	v, err := sim.ParseVerdict(s.Verdict)
	if err != nil {
		return s, err
	}
	switch {
	case s.Protocol != want.Config.Protocol:
		return s, fmt.Errorf("seed %d: %s", s.Seed, field("protocol", quoted(s.Protocol), quoted(want.Config.Protocol)))
	case s.Bug != want.Config.Bug:
		return s, fmt.Errorf("seed %d: %s", s.Seed, field("bug", quoted(s.Bug), quoted(want.Config.Bug)))
	case s.Version != want.Version:
		return s, fmt.Errorf("seed %d: %s", s.Seed, field("version", quoted(s.Version), quoted(want.Version)))
	}
	s.ExitCode, s.Reproduce = v.ExitCode(), ""
	if v != sim.VerdictPass {
		cfg := want.Config
		cfg.Seed = s.Seed
		if resolved, _, err := cfg.Resolve(); err == nil {
			cfg = resolved // with what the seed drew
		}
		s.Reproduce = reproduce(cfg)
	}
	return s, nil
}

// resultLines reads the lines of a results file; a missing file has none.
func resultLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var lines []string
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, sc.Err()
}

// dropTornLine truncates a results file after its last complete line, so that
// appending to it after a kill does not glue a record onto a fragment.
func dropTornLine(path string) error {
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) || len(raw) == 0 || raw[len(raw)-1] == '\n' {
		return nil
	}
	if err != nil {
		return err
	}
	return os.Truncate(path, int64(strings.LastIndexByte(string(raw), '\n')+1))
}

// openResults opens the results file for appending, after checking that what
// it already holds is of this sweep; a new or empty file gets the header.
func openResults(path string, want *sweepHeader, p *plan, resuming bool) (*os.File, error) {
	done, err := readResults("-results", path, want, p)
	if err != nil {
		return nil, err
	}
	if !resuming && len(done) > 0 {
		// Running those seeds again would record them twice.
		return nil, usagef("-results %s already holds %d results of this sweep: continue it with -resume %s, or name another file",
			path, len(done), path)
	}
	if err := dropTornLine(path); err != nil {
		return nil, usagef("-results: %v", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, usagef("-results: %v", err)
	}
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		if err := writeJSON(f, resultsLine{Sweep: want}); err != nil {
			f.Close()
			return nil, usagef("-results: %v", err)
		}
	}
	return f, nil
}
