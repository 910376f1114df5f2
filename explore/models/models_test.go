package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/orrery-sim/orrery/explore"
	_ "github.com/orrery-sim/orrery/explore/models"
)

func TestBuiltinsAreRegistered(t *testing.T) {
	var names []string
	for _, b := range explore.Builtins() {
		names = append(names, b.Name)
	}
	if diff := cmp.Diff([]string{"paxos", "twophase"}, names); diff != "" {
		t.Errorf("builtins (-want +got):\n%s", diff)
	}
	if _, ok := explore.Lookup("twophase"); !ok {
		t.Error("Lookup(twophase) failed")
	}
}
