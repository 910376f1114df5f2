package cluster

import (
	"fmt"
	"strconv"
)

// Error is an invalid cluster file: the JSON path of the offending field (empty
// for the whole file) and what is wrong with it.
type Error struct {
	Path string // e.g. agents[2].routes["db"][0].agent
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errorf returns an *Error at path.
func Errorf(path, format string, args ...any) *Error {
	return &Error{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// Under returns err with its path below prefix. Paths relative to a field start
// with "." or "[" (or are empty, meaning the field itself).
func Under(prefix string, err error) error {
	if e, ok := err.(*Error); ok {
		return &Error{Path: prefix + e.Path, Msg: e.Msg}
	}
	return &Error{Path: prefix, Msg: err.Error()}
}

// Index renders the path of an array element.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Key renders the path of an object member with an arbitrary name.
func Key(path, key string) string { return path + "[" + strconv.Quote(key) + "]" }

// Field renders the path of an object member with a fixed name.
func Field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
