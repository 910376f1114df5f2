package linearizability

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/internal/quote"
)

// Record is one operation read from a history file, before a model gives it
// types. Call and Return are positions in the file's event order (files carry
// no usable clock), so real-time order is the order of the file.
type Record struct {
	Line     int // line of the invocation
	ClientID int
	F        string // operation name without colon: "read", "cas", "put"…
	Key      string
	HasKey   bool
	Value    Value // argument at invocation
	Result   Value // value at completion
	// Failed marks an operation that completed and reported a failure the
	// model can observe, e.g. an etcd compare-and-set whose compare failed.
	Failed bool
	Open   bool
	Call   int64
	Return int64
}

// ParseError locates what is wrong in a history file.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Format names of the parsers.
const (
	FormatEDN         = "edn"
	FormatEtcdLog     = "etcd"
	FormatPorcupineKV = "kv"
)

// historyBytesMax bounds the input a parser accepts.
const historyBytesMax = 1 << 30

// ParseHistory parses a history file in the given format, or detects the
// format from the file's extension and content when format is "". It returns
// the format used.
func ParseHistory(file string, r io.Reader, format string) ([]Record, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, historyBytesMax+1))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > historyBytesMax {
		return nil, "", &ParseError{File: file, Line: 1, Msg: "file larger than 1 GiB"}
	}
	if format == "" {
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte(`{"format":"orrery-trace/`)) {
			return nil, "", &ParseError{File: file, Line: 1, Msg: "an Orrery trace, not a history: -replay it to judge its run (its protocol's properties check its history)"}
		}
		format = DetectFormat(file, data)
	}
	var records []Record
	switch format {
	case FormatEDN:
		records, err = parseEDN(file, string(data), false)
	case FormatPorcupineKV:
		records, err = parseEDN(file, string(data), true)
	case FormatEtcdLog:
		records, err = parseEtcd(file, string(data))
	default:
		return nil, "", fmt.Errorf("%s: unknown history format %s (want %s, %s or %s)", file, quote.Q(format), FormatEDN, FormatEtcdLog, FormatPorcupineKV)
	}
	return records, format, err
}

// ParseEDN parses a Jepsen/Knossos EDN history: maps such as
// {:type :invoke, :f :write, :value 3, :process 0}, one after another or in
// a vector. :ok completes an operation, :fail drops it (it did not happen),
// :info leaves it open, as does the end of the file. Operations of
// non-integer processes (the nemesis) are ignored.
func ParseEDN(file string, r io.Reader) ([]Record, error) {
	records, _, err := ParseHistory(file, r, FormatEDN)
	return records, err
}

// ParsePorcupineKV parses Porcupine's kv test format: EDN maps, one per line,
// with :f :get, :put or :append and a string :key.
func ParsePorcupineKV(file string, r io.Reader) ([]Record, error) {
	records, _, err := ParseHistory(file, r, FormatPorcupineKV)
	return records, err
}

// ParseEtcdLog parses the Jepsen etcd logs of Porcupine's test data, lines
// such as "INFO  jepsen.util - 3	:invoke	:cas	[1 4]". A :fail of a
// compare-and-set means its compare failed; other :fail operations did not
// happen; :info leaves the operation open.
func ParseEtcdLog(file string, r io.Reader) ([]Record, error) {
	records, _, err := ParseHistory(file, r, FormatEtcdLog)
	return records, err
}

// DetectFormat guesses a history's format from its name and content.
func DetectFormat(file string, data []byte) string {
	trimmed := bytes.TrimSpace(data)
	switch {
	case bytes.Contains(data, []byte("jepsen.util")), filepath.Ext(file) == ".log":
		return FormatEtcdLog
	case bytes.HasPrefix(trimmed, []byte("{")) && bytes.Contains(data, []byte(":key")):
		return FormatPorcupineKV
	}
	return FormatEDN
}

// pairer matches invocations with completions per client.
type pairer struct {
	file    string
	records []Record
	pending map[int]int // client → index in records
	clock   int64
	// etcd: a failed compare-and-set is observed (its compare failed)
	// rather than dropped.
	etcd bool
}

func newPairer(file string) *pairer {
	return &pairer{file: file, pending: make(map[int]int)}
}

func (p *pairer) errorf(line int, format string, args ...any) error {
	return &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *pairer) invoke(rec Record) error {
	if i, busy := p.pending[rec.ClientID]; busy {
		return p.errorf(rec.Line, "process %d invokes %s while its %s from line %d has not completed",
			rec.ClientID, quote.Q(rec.F), quote.Q(p.records[i].F), p.records[i].Line)
	}
	p.clock++
	rec.Call, rec.Open = p.clock, true
	p.pending[rec.ClientID] = len(p.records)
	p.records = append(p.records, rec)
	return nil
}

// complete closes the client's pending operation: typ is ok, fail or info.
func (p *pairer) complete(line, client int, f, typ string) (*Record, error) {
	i, busy := p.pending[client]
	if !busy {
		return nil, p.errorf(line, "process %d completes %s but has no pending invocation", client, quote.Q(f))
	}
	rec := &p.records[i]
	if rec.F != f {
		return nil, p.errorf(line, "process %d completes %s but invoked %s on line %d", client, quote.Q(f), quote.Q(rec.F), rec.Line)
	}
	delete(p.pending, client)
	p.clock++
	switch typ {
	case "ok", "fail":
		rec.Open, rec.Return = false, p.clock
	default: // info: the operation stays open
		rec.Return = math.MaxInt64
	}
	return rec, nil
}

// finish drops the records marked for dropping (F cleared) and leaves
// unfinished invocations open.
func (p *pairer) finish() []Record {
	out := p.records[:0]
	for _, rec := range p.records {
		if rec.F == "" {
			continue
		}
		if rec.Open {
			rec.Return = math.MaxInt64
		}
		out = append(out, rec)
	}
	return out
}

func parseEtcd(file, text string) ([]Record, error) {
	p := newPairer(file)
	p.etcd = true
	for n, line := range strings.Split(text, "\n") {
		if err := p.etcdLine(n+1, strings.TrimSpace(line)); err != nil {
			return nil, err
		}
	}
	return p.finish(), nil
}

var logLevels = []string{"INFO", "WARN", "DEBUG", "ERROR", "TRACE"}

func (p *pairer) etcdLine(line int, text string) error {
	if text == "" {
		return nil
	}
	fields := strings.Fields(text)
	level := fields[0]
	if !isLogLevel(level) {
		return p.errorf(line, "not a Jepsen log line (want e.g. \"INFO  jepsen.util - 3\\t:invoke\\t:read\\tnil\")")
	}
	if len(fields) < 2 || fields[1] != "jepsen.util" {
		return nil // other loggers: not part of the history
	}
	if len(fields) < 7 || fields[2] != "-" {
		return p.errorf(line, "want \"INFO jepsen.util - PROCESS :TYPE :F VALUE\", got %d fields", len(fields))
	}
	client, err := strconv.Atoi(fields[3])
	if err != nil || client < 0 {
		return p.errorf(line, "process %s is not a non-negative integer", quote.Q(fields[3]))
	}
	typ, f := strings.TrimPrefix(fields[4], ":"), strings.TrimPrefix(fields[5], ":")
	if !strings.HasPrefix(fields[4], ":") || !strings.HasPrefix(fields[5], ":") {
		return p.errorf(line, "type and function must be keywords, got %s %s", quote.Q(fields[4]), quote.Q(fields[5]))
	}
	reader := ednReader{text: strings.Join(fields[6:], " "), line: line}
	value, err := reader.read(0)
	if err == nil && !reader.atEnd() {
		err = reader.fail("trailing text after value")
	}
	if err != nil {
		return &ParseError{File: p.file, Line: line, Msg: err.(*ednError).msg}
	}
	return p.event(line, client, typ, f, value, "", false)
}

func isLogLevel(s string) bool {
	for _, l := range logLevels {
		if s == l {
			return true
		}
	}
	return false
}

// event applies one invoke or completion. In etcd logs a failed
// compare-and-set is observed (its compare failed); everywhere else a
// failed operation did not happen and is dropped.
func (p *pairer) event(line, client int, typ, f string, value Value, key string, hasKey bool) error {
	switch typ {
	case "invoke", "ok", "fail", "info":
	default:
		return p.errorf(line, "unknown operation type %s (want :invoke, :ok, :fail or :info)", quote.Q(":"+typ))
	}
	if typ == "invoke" {
		return p.invoke(Record{Line: line, ClientID: client, F: f, Key: key, HasKey: hasKey, Value: value})
	}
	rec, err := p.complete(line, client, f, typ)
	if err != nil {
		return err
	}
	switch {
	case typ == "ok":
		rec.Result = value
	case typ == "fail" && f == "cas" && p.etcd:
		rec.Failed = true
	case typ == "fail":
		rec.F = "" // did not happen
	}
	return nil
}

func parseEDN(file, text string, porcupineKV bool) ([]Record, error) {
	r := ednReader{text: text, line: 1}
	p := newPairer(file)
	ednFail := func(err error) error {
		e := err.(*ednError)
		return &ParseError{File: file, Line: e.line, Msg: e.msg}
	}
	// A history is a sequence of maps, possibly wrapped in one vector.
	r.skip()
	closer := byte(0)
	if r.pos < len(text) && (text[r.pos] == '[' || text[r.pos] == '(') {
		closer = map[byte]byte{'[': ']', '(': ')'}[text[r.pos]]
		r.pos++
	}
	for {
		if r.atEnd() {
			if closer != 0 {
				return nil, ednFail(r.fail("missing %q at end of history", closer))
			}
			break
		}
		if closer != 0 && text[r.pos] == closer {
			r.pos++
			if !r.atEnd() {
				return nil, ednFail(r.fail("text after the end of the history"))
			}
			break
		}
		line := r.line
		v, err := r.read(0)
		if err != nil {
			return nil, ednFail(err)
		}
		if err := p.ednOp(line, v, porcupineKV); err != nil {
			return nil, err
		}
	}
	return p.finish(), nil
}

var porcupineKVFunctions = map[string]bool{"get": true, "put": true, "append": true}

// ednOp applies one operation map.
func (p *pairer) ednOp(line int, v Value, porcupineKV bool) error {
	if v.Kind != ValueMap {
		return p.errorf(line, "want an operation map like {:type :invoke, :f :read, :value nil, :process 0}, got %s", quote.Q(v.String()))
	}
	process, ok := v.lookup(":process")
	if !ok {
		return p.errorf(line, "operation has no :process")
	}
	client, err := strconv.Atoi(process.Atom)
	if process.Kind != ValueAtom || err != nil || client < 0 {
		if process.Kind == ValueAtom && strings.HasPrefix(process.Atom, ":") {
			return nil // the nemesis or another non-client process
		}
		return p.errorf(line, ":process %s is neither a non-negative integer nor a keyword", quote.Q(process.String()))
	}
	typ, err := p.keyword(line, v, ":type")
	if err != nil {
		return err
	}
	f, err := p.keyword(line, v, ":f")
	if err != nil {
		return err
	}
	value, _ := v.lookup(":value")
	key, hasKey := v.lookup(":key")
	if hasKey && key.Kind != ValueAtom {
		return p.errorf(line, ":key must be a string or number, got %s", quote.Q(key.String()))
	}
	if porcupineKV && (!hasKey || !porcupineKVFunctions[f]) {
		return p.errorf(line, "kv format wants :f :get, :put or :append with a :key, got :f %s", quote.Q(f))
	}
	return p.event(line, client, typ, f, value, key.Atom, hasKey)
}

// keyword returns the name of a keyword (or string) entry without colon.
func (p *pairer) keyword(line int, v Value, key string) (string, error) {
	w, ok := v.lookup(key)
	if !ok || w.Kind != ValueAtom || w.Atom == "" {
		return "", p.errorf(line, "operation has no %s keyword", key)
	}
	return strings.TrimPrefix(w.Atom, ":"), nil
}
