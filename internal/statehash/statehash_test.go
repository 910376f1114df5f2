package statehash

import (
	"bytes"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

type inner struct {
	n    int
	tags []string
	next *inner
}

type state struct {
	ID      int
	name    string
	f       float64
	data    []byte
	m       map[string]*inner
	arr     [3]int16
	dynamic any
	ptr     *inner
	shared  [2]*inner
	nested  struct {
		ok bool
		u  uint32
	}
	values map[int]any
}

func drawInner(t *rapid.T, label string) *inner {
	if rapid.Bool().Draw(t, label+"-nil") {
		return nil
	}
	return &inner{
		n:    rapid.Int().Draw(t, label+"-n"),
		tags: rapid.SliceOfN(rapid.String(), 0, 3).Draw(t, label+"-tags"),
	}
}

func drawState(t *rapid.T) *state {
	s := &state{
		ID:   rapid.Int().Draw(t, "id"),
		name: rapid.String().Draw(t, "name"),
		f:    rapid.Float64().Draw(t, "f"),
		data: rapid.SliceOfN(rapid.Byte(), 0, 8).Draw(t, "data"),
		m:    map[string]*inner{},
		ptr:  drawInner(t, "ptr"),
	}
	for i := range rapid.IntRange(0, 4).Draw(t, "entries") {
		s.m[rapid.String().Draw(t, "key")] = drawInner(t, "value"+string(rune('a'+i)))
	}
	for i := range s.arr {
		s.arr[i] = rapid.Int16().Draw(t, "arr")
	}
	switch rapid.IntRange(0, 3).Draw(t, "dynamic") {
	case 1:
		s.dynamic = rapid.Int32().Draw(t, "int32")
	case 2:
		s.dynamic = rapid.String().Draw(t, "string")
	case 3:
		s.dynamic = inner{n: rapid.Int().Draw(t, "inner")}
	}
	shared := &inner{n: rapid.Int().Draw(t, "shared")}
	s.shared = [2]*inner{shared, shared}
	s.nested.ok = rapid.Bool().Draw(t, "ok")
	s.nested.u = rapid.Uint32().Draw(t, "u")
	if rapid.Bool().Draw(t, "values") {
		s.values = map[int]any{1: "one", 2: []int{2}, 3: nil}
	}
	return s
}

// mutate changes c in one of several places, always to a different value.
func mutate(t *rapid.T, c *state) {
	switch rapid.IntRange(0, 8).Draw(t, "mutation") {
	case 0:
		c.ID++
	case 1:
		c.name += "x"
	case 2:
		c.data = append(c.data, 1)
	case 3:
		c.m["new key that rapid rarely draws"] = &inner{n: 1}
	case 4:
		c.arr[1]++
	case 5:
		c.nested.u++
	case 6:
		c.shared[0].n++
	case 7:
		c.dynamic = struct{}{}
	case 8:
		for _, v := range c.m {
			if v != nil {
				v.tags = append(v.tags, "t")
				return
			}
		}
		c.m[""] = nil
		c.m["another key rapid rarely draws"] = nil
	}
}

func TestCloneIsDeepAndFingerprintFollowsEquality(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		orig := drawState(t)
		snapshot := CloneOf(orig)
		before := Fingerprint(orig)
		c := CloneOf(orig)
		encoded := AppendEncoding(nil, orig)
		if !reflect.DeepEqual(orig, c) || Fingerprint(c) != before || !bytes.Equal(AppendEncoding(nil, c), encoded) {
			t.Fatalf("clone differs from the original")
		}
		if c.shared[0] != c.shared[1] || c.shared[0] == orig.shared[0] {
			t.Fatalf("clone lost aliasing or shares a pointee with the original")
		}
		mutate(t, c)
		if !reflect.DeepEqual(orig, snapshot) || Fingerprint(orig) != before {
			t.Fatalf("mutating the clone changed the original")
		}
		if Fingerprint(c) == before || bytes.Equal(AppendEncoding(nil, c), encoded) {
			t.Fatalf("fingerprint or encoding unchanged after a mutation")
		}
		if !bytes.Equal(AppendEncoding(nil, orig), encoded) {
			t.Fatalf("encoding of the original changed")
		}
	})
}

func TestMapOrderDoesNotMatter(t *testing.T) {
	up, down := map[int]string{}, map[int]string{}
	for i := range 1000 {
		up[i] = string(rune('a' + i%26))
		down[999-i] = string(rune('a' + (999-i)%26))
	}
	want := Fingerprint(up)
	wantEncoding := AppendEncoding(nil, up)
	for range 20 {
		if Fingerprint(down) != want || Fingerprint(CloneOf(up)) != want || !bytes.Equal(AppendEncoding(nil, down), wantEncoding) {
			t.Fatal("map fingerprint or encoding depends on insertion or iteration order")
		}
	}
}

func TestDistinctions(t *testing.T) {
	type holder struct{ v any }
	tests := []struct {
		name string
		a, b any
	}{
		{"dynamic type", holder{int32(1)}, holder{int64(1)}},
		{"nil vs empty slice", holder{[]int(nil)}, holder{[]int{}}},
		{"string boundaries", [2]string{"ab", "c"}, [2]string{"a", "bc"}},
		{"nil vs zero pointer", holder{(*int)(nil)}, holder{new(int)}},
		{"map entries", map[string]int{"a": 1, "b": 2}, map[string]int{"a": 2, "b": 1}},
	}
	for _, tt := range tests {
		if Fingerprint(tt.a) == Fingerprint(tt.b) {
			t.Errorf("%s: %v and %v share a fingerprint", tt.name, tt.a, tt.b)
		}
		if bytes.Equal(AppendEncoding(nil, tt.a), AppendEncoding(nil, tt.b)) {
			t.Errorf("%s: %v and %v share an encoding", tt.name, tt.a, tt.b)
		}
	}
	if Fingerprint(0.0) != Fingerprint(-1*0.0) {
		t.Error("-0 and 0 are equal but hash differently")
	}
}

type ring struct {
	id   int
	next *ring
}

func TestCycles(t *testing.T) {
	a := &ring{id: 1}
	b := &ring{id: 2, next: a}
	a.next = b
	c := CloneOf(a)
	if c.next.next != c || c == a || c.next.id != 2 {
		t.Fatal("clone did not preserve the cycle")
	}
	if Fingerprint(a) != Fingerprint(c) || !bytes.Equal(AppendEncoding(nil, a), AppendEncoding(nil, c)) {
		t.Fatal("equal cyclic values hash or encode differently")
	}
	c.next.id = 3
	if Fingerprint(a) == Fingerprint(c) {
		t.Fatal("fingerprint ignores a change inside a cycle")
	}
}

// fast implements both fast paths and counts their use.
type fast struct{ hashed, cloned *int }

func (f fast) HashState(h *Hasher) { *f.hashed++; h.WriteUint64(7) }
func (f fast) CloneState() any     { *f.cloned++; return f }

func TestFastPaths(t *testing.T) {
	var hashed, cloned int
	v := struct{ F []fast }{F: []fast{{&hashed, &cloned}, {&hashed, &cloned}}}
	Fingerprint(v)
	Clone(v)
	if hashed != 2 || cloned != 2 {
		t.Errorf("fast paths used %d and %d times, want 2 and 2", hashed, cloned)
	}
}

func TestNil(t *testing.T) {
	if Clone(nil) != nil || Fingerprint(nil) == Fingerprint(0) {
		t.Error("nil mishandled")
	}
}
