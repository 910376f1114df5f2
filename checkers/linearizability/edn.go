package linearizability

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/internal/quote"
)

// ValueKind tells the shape of a Value.
type ValueKind uint8

const (
	ValueNil  ValueKind = iota
	ValueAtom           // a number, string, keyword, symbol or boolean
	ValueList           // a vector, list or set
	ValueMap
)

// Value is a value read from a history file: EDN's data, flattened into
// atoms (numbers, strings, keywords and booleans all keep their text, without
// quotes for strings), lists and maps. Models interpret atoms as they need.
type Value struct {
	Kind  ValueKind
	Atom  string
	Items []Value // list items, or map keys and values alternating
}

func (v Value) String() string {
	switch v.Kind {
	case ValueNil:
		return "nil"
	case ValueAtom:
		return v.Atom
	}
	parts := make([]string, len(v.Items))
	for i, item := range v.Items {
		parts[i] = item.String()
	}
	if v.Kind == ValueMap {
		return "{" + strings.Join(parts, " ") + "}"
	}
	return "[" + strings.Join(parts, " ") + "]"
}

const (
	// ednDepthMax bounds nesting so that hostile input cannot exhaust the
	// stack of the recursive reader.
	ednDepthMax = 64
)

// ednReader reads EDN values from text, tracking line numbers.
type ednReader struct {
	text string
	pos  int
	line int
}

type ednError struct {
	line int
	msg  string
}

func (e *ednError) Error() string { return fmt.Sprintf("%d: %s", e.line, e.msg) }

func (r *ednReader) fail(format string, args ...any) error {
	return &ednError{line: r.line, msg: fmt.Sprintf(format, args...)}
}

// skip passes whitespace, commas and comments.
func (r *ednReader) skip() {
	for r.pos < len(r.text) {
		switch c := r.text[r.pos]; {
		case c == '\n':
			r.line++
			r.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == ',':
			r.pos++
		case c == ';':
			for r.pos < len(r.text) && r.text[r.pos] != '\n' {
				r.pos++
			}
		default:
			return
		}
	}
}

func (r *ednReader) atEnd() bool {
	r.skip()
	return r.pos >= len(r.text)
}

// read reads one value; depth counts enclosing collections.
func (r *ednReader) read(depth int) (Value, error) {
	if depth > ednDepthMax {
		return Value{}, r.fail("values nested deeper than %d", ednDepthMax)
	}
	r.skip()
	if r.pos >= len(r.text) {
		return Value{}, r.fail("unexpected end of input")
	}
	switch c := r.text[r.pos]; c {
	case '{':
		r.pos++
		return r.readItems('}', ValueMap, depth)
	case '[':
		r.pos++
		return r.readItems(']', ValueList, depth)
	case '(':
		r.pos++
		return r.readItems(')', ValueList, depth)
	case '#':
		if strings.HasPrefix(r.text[r.pos:], "#{") {
			r.pos += 2
			return r.readItems('}', ValueList, depth)
		}
		return Value{}, r.fail("unsupported tagged value")
	case '"':
		return r.readString()
	case '}', ']', ')':
		return Value{}, r.fail("unexpected %s", quote.Q(string(c)))
	}
	return r.readToken()
}

func (r *ednReader) readItems(closer byte, kind ValueKind, depth int) (Value, error) {
	v := Value{Kind: kind}
	for {
		r.skip()
		if r.pos >= len(r.text) {
			return Value{}, r.fail("missing %q", closer)
		}
		if r.text[r.pos] == closer {
			r.pos++
			if kind == ValueMap && len(v.Items)%2 != 0 {
				return Value{}, r.fail("map with a key but no value")
			}
			return v, nil
		}
		if c := r.text[r.pos]; c == '}' || c == ']' || c == ')' {
			return Value{}, r.fail("unexpected %s, want %q", quote.Q(string(c)), closer)
		}
		item, err := r.read(depth + 1)
		if err != nil {
			return Value{}, err
		}
		v.Items = append(v.Items, item)
	}
}

func (r *ednReader) readString() (Value, error) {
	var b strings.Builder
	r.pos++ // opening quote
	for r.pos < len(r.text) {
		c := r.text[r.pos]
		r.pos++
		switch c {
		case '"':
			return Value{Kind: ValueAtom, Atom: b.String()}, nil
		case '\n':
			r.line++
			b.WriteByte(c)
		case '\\':
			if r.pos >= len(r.text) {
				return Value{}, r.fail("unterminated string")
			}
			esc := r.text[r.pos]
			r.pos++
			switch esc {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '"', '\\':
				b.WriteByte(esc)
			default:
				return Value{}, r.fail("unsupported escape %s in string", quote.Q("\\"+string(esc)))
			}
		default:
			b.WriteByte(c)
		}
	}
	return Value{}, r.fail("unterminated string")
}

func isDelimiter(c byte) bool {
	return strings.IndexByte(" \t\r\n,;{}[]()\"", c) >= 0
}

func (r *ednReader) readToken() (Value, error) {
	start := r.pos
	for r.pos < len(r.text) && !isDelimiter(r.text[r.pos]) {
		r.pos++
	}
	token := r.text[start:r.pos]
	if token == "" {
		return Value{}, r.fail("unexpected %s", quote.Q(r.text[r.pos:r.pos+1]))
	}
	if token == "nil" {
		return Value{}, nil
	}
	// Integers are canonicalised so that 007 and 7 compare equal.
	if n, err := strconv.ParseInt(strings.TrimSuffix(token, "N"), 10, 64); err == nil {
		return Value{Kind: ValueAtom, Atom: strconv.FormatInt(n, 10)}, nil
	}
	return Value{Kind: ValueAtom, Atom: token}, nil
}

// lookup returns the value of a keyword key in a map value.
func (v Value) lookup(key string) (Value, bool) {
	if v.Kind != ValueMap {
		return Value{}, false
	}
	for i := 0; i+1 < len(v.Items); i += 2 {
		if k := v.Items[i]; k.Kind == ValueAtom && k.Atom == key {
			return v.Items[i+1], true
		}
	}
	return Value{}, false
}
