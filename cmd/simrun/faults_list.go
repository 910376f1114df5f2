package main

import (
	"fmt"
	"io"
)

func listFaults(w io.Writer) {
	fmt.Fprintln(w, "fault modes (-faults): none, default, swarm, a plan file, or an inline plan")
}
