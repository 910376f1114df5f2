package explore_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/statehash"
)

// bank is a model whose state is an ordinary Go value with a map, cloned,
// fingerprinted and encoded by package statehash, as an agent adapter without
// a fast path will be: three accounts move one coin at a time.
type bank struct{ coins int }

type ledger struct {
	balances map[string]int
	log      []string
}

type transfer struct{ from, to string }

var accounts = []string{"a", "b", "c"}

func (b *bank) Name() string { return "bank" }

func (b *bank) InitStates() []ledger {
	return []ledger{{balances: map[string]int{"a": b.coins, "b": 0, "c": 0}}}
}

func (b *bank) Actions(s ledger, actions []transfer) []transfer {
	for _, from := range accounts {
		for _, to := range accounts {
			if from != to && s.balances[from] > 0 {
				actions = append(actions, transfer{from, to})
			}
		}
	}
	return actions
}

func (b *bank) NextState(s ledger, t transfer) (ledger, bool) {
	if s.balances[t.from] == 0 {
		return s, false
	}
	next := statehash.CloneOf(s)
	next.balances[t.from]--
	next.balances[t.to]++
	next.log = nil // history is not state
	return next, true
}

func (b *bank) Properties() []explore.Property[ledger] {
	return []explore.Property[ledger]{
		explore.Always("conserved", func(s ledger) bool {
			return s.balances["a"]+s.balances["b"]+s.balances["c"] == b.coins
		}),
		explore.Sometimes("all-in-c", func(s ledger) bool { return s.balances["c"] == b.coins }),
	}
}

func (b *bank) Fingerprint(s ledger) uint64           { return statehash.Fingerprint(s) }
func (b *bank) AppendKey(dst []byte, s ledger) []byte { return statehash.AppendEncoding(dst, s) }
func (b *bank) DescribeAction(t transfer) string      { return t.from + "->" + t.to }
func (b *bank) DescribeState(s ledger) string {
	keys := make([]string, 0, len(s.balances))
	for k := range s.balances {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := ""
	for _, k := range keys {
		out += fmt.Sprintf("%s=%d ", k, s.balances[k])
	}
	return out
}

func TestReflectiveState(t *testing.T) {
	const coins = 6
	// Distributions of 6 coins over 3 accounts: C(8,2) = 28.
	for _, full := range []bool{false, true} {
		r := mustCheck[ledger, transfer](t, &bank{coins: coins}, explore.Options{FullState: full, Workers: 2})
		if r.Status != explore.StatusComplete || r.States != 28 || r.Collisions != 0 {
			t.Errorf("full-state=%v: %s with %d states and %d collisions, want complete with 28", full, r.Status, r.States, r.Collisions)
		}
	}
}
