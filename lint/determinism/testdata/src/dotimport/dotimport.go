// Package dotimport reads the clock through a dot-import.
package dotimport

import . "time"

func Started() Time {
	return Now() // want `time.Now reads the wall clock`
}
