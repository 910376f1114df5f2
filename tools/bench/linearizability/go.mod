module github.com/orrery-sim/orrery/tools/bench/linearizability

go 1.26.0

require (
	github.com/anishathalye/porcupine v1.3.0
	github.com/orrery-sim/orrery v0.0.0
)

replace github.com/orrery-sim/orrery => ../../..
