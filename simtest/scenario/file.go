package scenario

import (
	"fmt"
	"strings"
)

// Case is one command block of a scenario file and the output it should print.
type Case struct {
	Line     int      // line number of the case's first line
	Commands []string // command lines; lines starting with '#' are comments
	Want     string   // expected output, without a trailing newline
}

// File is a parsed scenario file.
type File struct {
	Header []string // the opening comment lines
	Cases  []Case
}

// separator divides a case's commands from its expected output.
const separator = "----"

// Parse reads a scenario file. A case needs a "----" line; its output runs to
// the next blank line.
func Parse(text string) (*File, error) {
	lines := strings.Split(text, "\n")
	for i, line := range lines { // CRLF files; a line never ends in '\r', so String's lines read back the same
		lines[i] = strings.TrimRight(line, "\r")
	}
	f := &File{}
	i := 0
	for i < len(lines) && strings.HasPrefix(lines[i], "#") {
		f.Header = append(f.Header, lines[i])
		i++
	}
	if len(f.Header) == 0 {
		return nil, fmt.Errorf("line 1: a scenario file opens with a '#' comment saying what it tests")
	}
	for i < len(lines) {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		c := Case{Line: i + 1}
		for i < len(lines) && lines[i] != separator {
			if strings.TrimSpace(lines[i]) == "" {
				return nil, fmt.Errorf("line %d: blank line before %q: every case needs its expected output", i+1, separator)
			}
			c.Commands = append(c.Commands, lines[i])
			i++
		}
		if i == len(lines) {
			return nil, fmt.Errorf("line %d: case without a %q line", c.Line, separator)
		}
		i++ // the separator
		var want []string
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			want = append(want, lines[i])
			i++
		}
		c.Want = strings.Join(want, "\n")
		f.Cases = append(f.Cases, c)
	}
	return f, nil
}

// String renders the file back; with outputs replaced, it is the rewritten file.
func (f *File) String() string {
	var b strings.Builder
	for _, h := range f.Header {
		b.WriteString(h + "\n")
	}
	for _, c := range f.Cases {
		b.WriteString("\n")
		for _, cmd := range c.Commands {
			b.WriteString(cmd + "\n")
		}
		b.WriteString(separator + "\n")
		if c.Want != "" {
			b.WriteString(c.Want + "\n")
		}
	}
	return b.String()
}

// clean makes command output fit the format: no trailing spaces, no blank lines
// (a blank line would end the case).
func clean(out string) string {
	var kept []string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, " \t")
		if line != "" {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}
