// Package quote renders untrusted input for error messages: Go-quoted, so
// that control bytes never reach a terminal and a message stays one line,
// and cut to a length a person reads, with the full length named.
package quote

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// BytesMax bounds the quoted text in a message.
const BytesMax = 64

// Q renders s for an error message: %q, cut to BytesMax bytes (on a rune
// boundary) with the full length named.
func Q(s string) string {
	if len(s) <= BytesMax {
		return strconv.Quote(s)
	}
	cut := BytesMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:cut], len(s))
}
