package quote

import (
	"fmt"
	"strconv"
)

// BytesMax bounds the quoted text in a message, quotes and escapes
// included.
const BytesMax = 66

// Q renders s for an error message: %q, cut (on a rune boundary) to the
// longest prefix whose quoted form fits BytesMax, with the full length named.
func Q(s string) string {
	q := strconv.Quote(s)
	if len(q) <= BytesMax {
		return q
	}
	cut := 0
	for i := range s {
		if len(strconv.Quote(s[:i])) > BytesMax {
			break
		}
		cut = i
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:cut]), len(s))
}
