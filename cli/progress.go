package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress reports a sweep's advance on stderr: a bar redrawn in place on a
// terminal, plain lines every progressInterval otherwise (logs, CI).
type progress struct {
	w        io.Writer
	terminal bool
	total    uint64
	start    time.Time
	last     time.Time
}

// progressBarWidth is the bar's length in characters.
const progressBarWidth = 30

func newProgress(w io.Writer, total uint64) *progress {
	p := &progress{w: w, total: total, start: time.Now(), last: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) elapsed() time.Duration { return time.Since(p.start) }

func (p *progress) update(done, failing uint64) {
	every := progressInterval
	if p.terminal {
		every = 100 * time.Millisecond
	}
	if time.Since(p.last) < every {
		return
	}
	p.last = time.Now()
	p.print(done, failing)
}

func (p *progress) finish(done, failing uint64) {
	if p.terminal {
		p.print(done, failing)
		fmt.Fprintln(p.w)
	}
}

func (p *progress) print(done, failing uint64) {
	el := p.elapsed()
	rate := perSecond(done, el)
	eta := "?"
	if rate > 0 {
		eta = time.Duration(float64(p.total-done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	if !p.terminal {
		fmt.Fprintf(p.w, "sweep: %d/%d seeds, %d failing, %.0f seeds/s, ETA %s\n", done, p.total, failing, rate, eta)
		return
	}
	filled := 0
	if p.total > 0 {
		filled = int(done * progressBarWidth / p.total)
	}
	bar := strings.Repeat("#", filled) + strings.Repeat(".", progressBarWidth-filled)
	fmt.Fprintf(p.w, "\r[%s] %d/%d seeds, %d failing, %.0f seeds/s, ETA %s   ", bar, done, p.total, failing, rate, eta)
}
