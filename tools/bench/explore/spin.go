package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// spinResult is what pan reports for one run.
type spinResult struct {
	states     int64
	seconds    float64
	cpuSeconds float64
	flags      string
}

// spinCompileFlags make pan an exhaustive safety search without partial-order
// reduction (our checker has none) and without array bound checks.
var spinCompileFlags = []string{"-O2", "-DSAFETY", "-DNOBOUNDCHECK", "-DNOREDUCE", "-DMEMLIM=16384"}

// spinElapsedTrustedSeconds is where pan's own elapsed time becomes precise
// enough to replace the wall time of the pan process.
const spinElapsedTrustedSeconds = 1.0

var (
	spinStoredPattern  = regexp.MustCompile(`(\d+) states, stored`)
	spinElapsedPattern = regexp.MustCompile(`pan: elapsed time ([0-9.e+-]+) seconds`)
)

func spinAvailable() bool {
	_, errSpin := exec.LookPath("spin")
	_, errCC := exec.LookPath("gcc")
	return errSpin == nil && errCC == nil
}

// runSpin writes the Promela model for rms into a temporary directory, builds
// pan and runs it. The hash table gets 2^hashLog slots.
func runSpin(rms, hashLog int) (spinResult, error) {
	dir, err := os.MkdirTemp("", "orrery-spin-")
	if err != nil {
		return spinResult{}, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "twophase.pml"), []byte(promela(rms)), 0o644); err != nil {
		return spinResult{}, err
	}
	if err := run(dir, "spin", "-a", "twophase.pml"); err != nil {
		return spinResult{}, err
	}
	args := append(append([]string{}, spinCompileFlags...), "-o", "pan", "pan.c")
	if err := run(dir, "gcc", args...); err != nil {
		return spinResult{}, err
	}
	panArgs := []string{"-m10000", fmt.Sprintf("-w%d", hashLog)}
	start := time.Now()
	cmd := exec.Command("./pan", panArgs...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	wall := time.Since(start).Seconds()
	if err != nil {
		return spinResult{}, fmt.Errorf("pan: %v\n%s", err, out)
	}
	m := spinStoredPattern.FindSubmatch(out)
	if m == nil {
		return spinResult{}, fmt.Errorf("pan: no state count in output:\n%s", out)
	}
	r := spinResult{seconds: wall, flags: fmt.Sprintf("gcc %v; pan %v", spinCompileFlags, panArgs)}
	r.cpuSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	r.states, _ = strconv.ParseInt(string(m[1]), 10, 64)
	if e := spinElapsedPattern.FindSubmatch(out); e != nil {
		// pan's own clock has 10 ms resolution; keep it only where it is
		// meaningful, since it excludes process start-up.
		if elapsed, _ := strconv.ParseFloat(string(e[1]), 64); elapsed >= spinElapsedTrustedSeconds {
			r.seconds = elapsed
		}
	}
	return r, nil
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, out)
	}
	return nil
}
