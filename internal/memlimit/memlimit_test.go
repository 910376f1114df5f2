package memlimit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    uint64
		wantErr bool
	}{
		{"0", 0, false}, {"1048576", 1 << 20, false}, {"512MiB", 512 << 20, false}, {"1.5GiB", 3 << 29, false},
		{"8GB", 8e9, false}, {"4G", 4 << 30, false}, {"100B", 100, false}, {"2KiB", 2048, false},
		{"", 0, true}, {"MiB", 0, true}, {"-1GiB", 0, true}, {"1e9", 0, true}, {"NaN", 0, true},
		{"Inf", 0, true}, {"1 GiB", 0, true}, {"99999999999TiB", 0, true}, {"0x10", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseMeminfo(t *testing.T) {
	got, ok := parseMeminfo("MemFree: 1 kB\nMemTotal:       24683784 kB\n")
	if diff := cmp.Diff([]any{uint64(24683784 * 1024), true}, []any{got, ok}); diff != "" {
		t.Error(diff)
	}
	if _, ok := parseMeminfo("MemTotal: lots\n"); ok {
		t.Error("accepted a MemTotal that is not a number")
	}
}

func TestDefaultIsAShareOfTheMachine(t *testing.T) {
	physical, ok := Physical()
	if !ok {
		if Default() != fallbackBytes {
			t.Errorf("Default() = %d without /proc/meminfo, want the fallback", Default())
		}
		return
	}
	if got := Default(); got != physical/2 || got == 0 {
		t.Errorf("Default() = %d, want half of %d", got, physical)
	}
}

func TestInUseGrowsWithTheHeap(t *testing.T) {
	before := InUse()
	block := make([]byte, 64<<20)
	for i := range block {
		block[i] = 1
	}
	if after := InUse(); after < before+32<<20 {
		t.Errorf("InUse went from %d to %d after a 64 MiB allocation", before, after)
	}
	if block[len(block)-1] != 1 {
		t.Fatal("unreachable")
	}
}

func TestWatchCancelsWithExceeded(t *testing.T) {
	ctx, stop := Watch(context.Background(), 1, time.Millisecond) // any process holds more than a byte
	defer stop()
	<-ctx.Done()
	if err := context.Cause(ctx); !errors.Is(err, ErrExceeded) {
		t.Errorf("cause %v, want ErrExceeded", err)
	}
	ctx, stop = Watch(context.Background(), 0, time.Millisecond)
	stop()
	if errors.Is(context.Cause(ctx), ErrExceeded) {
		t.Error("a zero limit stopped the search")
	}
}
