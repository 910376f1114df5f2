package linearizability

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// porcupineVersion is the Porcupine module whose test data the test checks
// against: the version bench/linearizability requires.
const porcupineVersion = "v1.3.0"

// porcupineData finds the test data shipped in Porcupine's module, if the
// module cache has it (`go mod download github.com/anishathalye/porcupine@v1.3.0`;
// .ci/run fetches it). Without it the test skips, except in CI (CI=true), where
// the data must be there and its absence fails the test.
func porcupineData(t *testing.T) string {
	missing := t.Skipf
	if os.Getenv("CI") == "true" {
		missing = t.Fatalf
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		missing("no go command to locate the module cache: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "github.com", "anishathalye", "porcupine@"+porcupineVersion, "test_data")
	if _, err := os.Stat(dir); err != nil {
		missing("Porcupine's test data is not in the module cache (go mod download github.com/anishathalye/porcupine@%s): %v", porcupineVersion, err)
	}
	return dir
}

// Porcupine's tests expect these etcd logs to be linearizable, the others
// not; etcd_095.log is empty.
var etcdLinearizable = []int{2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 95, 98, 100, 101, 102}

func TestPorcupineData(t *testing.T) {
	dir := porcupineData(t)
	type testCase struct {
		file, model string
		want        Verdict
	}
	var cases []testCase
	for n := 0; n <= 102; n++ {
		want := Illegal
		if slices.Contains(etcdLinearizable, n) {
			want = Ok
		}
		cases = append(cases, testCase{fmt.Sprintf("jepsen/etcd_%03d.log", n), "etcd", want})
	}
	for _, c := range []string{"c01", "c10", "c50"} {
		cases = append(cases, testCase{"kv/" + c + "-ok.txt", "kv", Ok}, testCase{"kv/" + c + "-bad.txt", "kv", Illegal})
	}
	if !testing.Short() {
		for _, c := range []string{"c01", "c10"} {
			cases = append(cases, testCase{"kv/" + c + "-ok.txt", "kv-unpartitioned", Ok}, testCase{"kv/" + c + "-bad.txt", "kv-unpartitioned", Illegal})
		}
	}
	for _, tc := range cases {
		t.Run(tc.model+"/"+tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			records, _, err := ParseHistory(tc.file, f, "")
			if err != nil {
				t.Fatal(err)
			}
			model, _ := Lookup(tc.model)
			res, err := model.Check(context.Background(), tc.file, records, Options{})
			if err != nil || res.Verdict != tc.want {
				t.Fatalf("got %s (%v), want %s", res.Verdict, err, tc.want)
			}
		})
	}
}
