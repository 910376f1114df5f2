package traces

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Writer writes a trace file. Errors are sticky: check Close.
type Writer struct {
	w   *bufio.Writer
	c   io.Closer
	err error
}

// NewWriter starts a trace on w and writes its header.
func NewWriter(w io.Writer, h *Header) *Writer {
	tw := &Writer{w: bufio.NewWriterSize(w, 64<<10)}
	if c, ok := w.(io.Closer); ok {
		tw.c = c
	}
	tw.line(h)
	return tw
}

// Event appends one event.
func (tw *Writer) Event(e *Event) { tw.line(e) }

// Close writes the footer and flushes.
func (tw *Writer) Close(f *Footer) error {
	tw.line(f)
	if err := tw.w.Flush(); err != nil && tw.err == nil {
		tw.err = err
	}
	if tw.c != nil {
		if err := tw.c.Close(); err != nil && tw.err == nil {
			tw.err = err
		}
	}
	return tw.err
}

func (tw *Writer) line(v any) {
	if tw.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		tw.err = err
		return
	}
	b = append(b, '\n')
	_, tw.err = tw.w.Write(b)
}

// Trace is a whole trace file in memory.
type Trace struct {
	Header Header
	Events []Event
	Footer *Footer // nil when the file ended without one (an interrupted run)
}

// lineBytesMax bounds one line of a trace file.
const lineBytesMax = 16 << 20

// ErrFormat marks a file that is not a trace of this format.
var ErrFormat = errors.New("not an orrery trace")

// Read parses a trace file. Errors name the line.
func Read(r io.Reader) (*Trace, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), lineBytesMax)
	t := &Trace{}
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if t.Footer != nil {
			return nil, fmt.Errorf("line %d: content after the footer", line)
		}
		if err := t.parseLine(line, b); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %v", line+1, err)
	}
	if line == 0 || t.Header.Format == "" {
		return nil, fmt.Errorf("line 1: %w: empty file", ErrFormat)
	}
	return t, nil
}

func (t *Trace) parseLine(line int, b []byte) error {
	if t.Header.Format == "" {
		if line > 1 || !bytes.HasPrefix(b, []byte(`{"format"`)) {
			return fmt.Errorf("line %d: %w: no header", line, ErrFormat)
		}
		if err := strictUnmarshal(b, &t.Header); err != nil {
			return fmt.Errorf("line %d: header: %v", line, err)
		}
		if t.Header.Format != FormatVersion {
			return fmt.Errorf("line %d: format %q, want %q", line, t.Header.Format, FormatVersion)
		}
		return nil
	}
	if bytes.HasPrefix(b, []byte(`{"verdict"`)) {
		t.Footer = &Footer{}
		if err := strictUnmarshal(b, t.Footer); err != nil {
			return fmt.Errorf("line %d: footer: %v", line, err)
		}
		return nil
	}
	var e Event
	if err := strictUnmarshal(b, &e); err != nil {
		return fmt.Errorf("line %d: event: %v", line, err)
	}
	if want := uint64(len(t.Events) + 1); e.Seq != want {
		return fmt.Errorf("line %d: event seq %d, want %d", line, e.Seq, want)
	}
	for _, c := range e.Choices {
		if _, err := DecodeChoice(c); err != nil {
			return fmt.Errorf("line %d: %v", line, err)
		}
	}
	t.Events = append(t.Events, e)
	return nil
}

func strictUnmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// ReadFile reads the trace file at path.
func ReadFile(path string) (*Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, prefixColon(err))
	}
	return t, nil
}

// prefixColon makes "line 3: x" read as "file:3: x" after the path.
func prefixColon(err error) error {
	var n int
	var rest string
	if k, _ := fmt.Sscanf(err.Error(), "line %d:", &n); k == 1 {
		rest = err.Error()[len(fmt.Sprintf("line %d:", n)):]
		return wrapped{fmt.Sprintf("%d:%s", n, rest), err}
	}
	return wrapped{" " + err.Error(), err}
}

type wrapped struct {
	msg   string
	inner error
}

func (w wrapped) Error() string { return w.msg }
func (w wrapped) Unwrap() error { return w.inner }
