package linearizability

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestScratchC50(t *testing.T) {
	f := "/root/go/pkg/mod/github.com/anishathalye/porcupine@v1.3.0/test_data/kv/" + os.Getenv("F")
	fh, _ := os.Open(f)
	recs, _, _ := ParseHistory(f, fh, "")
	ops, _ := Operations(f, recs, kvRecord)
	m := KVModel()
	parts := m.Partition(ops)
	for i, p := range parts {
		var sub []Operation[KVInput, KVOutput]
		for _, k := range p {
			sub = append(sub, ops[k])
		}
		start := time.Now()
		res := Check(context.Background(), KVModelUnpartitioned(), sub, Options{Timeout: 10 * time.Second})
		fmt.Println(i, sub[0].Input.Key, len(sub), res.Verdict, time.Since(start), res.Partitions[0].Configurations)
	}
}
