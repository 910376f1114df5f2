// Package quote renders untrusted input for error messages: Go-quoted, so
// that control bytes never reach a terminal and a message stays one line,
// and cut to a length a person reads, with the full length named.
package quote
