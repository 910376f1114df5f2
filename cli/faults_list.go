package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/orrery-sim/orrery/faults"
)

func listFaults(w io.Writer) {
	fmt.Fprintln(w, "fault modes (-faults): none, default, swarm, a plan file, or an inline plan such as")
	fmt.Fprintln(w, "  'at 2s crash n1; at 3s restart n1; at 4s partition n1 n2 | n3; at 6s heal'")
	var kinds []string
	for _, k := range faults.Kinds() {
		kinds = append(kinds, k.String())
	}
	fmt.Fprintf(w, "fault kinds: %s\n", strings.Join(kinds, ", "))
	fmt.Fprintf(w, "  %s: for protocols that opt in (abd); spares join\n", faults.Reconfigure.Synopsis())
}
