package main

import (
	"hash/fnv"
	"maps"
	"math"

	"github.com/anishathalye/porcupine"
	lin "github.com/orrery-sim/orrery/checkers/linearizability"
)

// Porcupine's side: models written from the descriptions in Porcupine's
// tests, fed the same parsed records as Orrery's checker, in the event form
// Porcupine's own tests use (events in file order, open operations returning
// "unknown" at the end).

const porcupineNil = math.MinInt64 // a register never written

type etcdInput struct {
	op       lin.RegisterOp
	value    int
	expected int
}

type etcdOutput struct {
	value   int // porcupineNil when the read saw nothing
	ok      bool
	unknown bool
}

var porcupineEtcdModel = porcupine.Model{
	Init: func() any { return porcupineNil },
	Step: func(state, input, output any) (bool, any) {
		st, in, out := state.(int), input.(etcdInput), output.(etcdOutput)
		switch in.op {
		case lin.RegisterRead:
			return out.unknown || out.value == st, st
		case lin.RegisterWrite:
			return true, in.value
		}
		match := st == in.expected
		next := st
		if match {
			next = in.value
		}
		return out.unknown || match == out.ok, next
	},
	Hash: func(state any) uint64 { return uint64(state.(int)) },
}

type kvInput struct {
	op         lin.KVOp
	key, value string
}

var porcupineKVModel = porcupine.Model{
	PartitionEvent: func(history []porcupine.Event) [][]porcupine.Event {
		byKey := map[string][]porcupine.Event{}
		keyOf := map[int]string{}
		var order []string
		for _, e := range history {
			if e.Kind == porcupine.CallEvent {
				keyOf[e.Id] = e.Value.(kvInput).key
			}
			k := keyOf[e.Id]
			if _, ok := byKey[k]; !ok {
				order = append(order, k)
			}
			byKey[k] = append(byKey[k], e)
		}
		parts := make([][]porcupine.Event, len(order))
		for i, k := range order {
			parts[i] = byKey[k]
		}
		return parts
	},
	Init: func() any { return "" },
	Step: func(state, input, output any) (bool, any) {
		st, in := state.(string), input.(kvInput)
		switch in.op {
		case lin.KVGet:
			return output.(string) == st, st
		case lin.KVPut:
			return true, in.value
		}
		return true, st + in.value
	},
	Hash: func(state any) uint64 { return fnvString(state.(string)) },
}

var porcupineKVWholeModel = porcupine.Model{
	Init: func() any { return map[string]string{} },
	Step: func(state, input, output any) (bool, any) {
		st, in := state.(map[string]string), input.(kvInput)
		switch in.op {
		case lin.KVGet:
			return output.(string) == st[in.key], st
		case lin.KVPut:
			next := maps.Clone(st)
			next[in.key] = in.value
			return true, next
		}
		next := maps.Clone(st)
		next[in.key] += in.value
		return true, next
	},
	Equal: func(a, b any) bool { return maps.Equal(a.(map[string]string), b.(map[string]string)) },
	Hash: func(state any) uint64 {
		var h uint64
		for k, v := range state.(map[string]string) {
			h ^= fnvString(k + "\x00" + v)
		}
		return h
	},
}

func fnvString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// porcupineEvents converts records to Porcupine events; an open operation
// gets its return, with an unknown output, after every other event.
func porcupineEvents(records []lin.Record, input func(lin.Record) any, output func(lin.Record) any) []porcupine.Event {
	type timed struct {
		at    int64
		event porcupine.Event
	}
	var all []timed
	var open []porcupine.Event
	for id, r := range records {
		all = append(all, timed{r.Call, porcupine.Event{ClientId: r.ClientID, Kind: porcupine.CallEvent, Value: input(r), Id: id}})
		ret := porcupine.Event{ClientId: r.ClientID, Kind: porcupine.ReturnEvent, Value: output(r), Id: id}
		if r.Open {
			open = append(open, ret)
			continue
		}
		all = append(all, timed{r.Return, ret})
	}
	sortTimed(all, func(t timed) int64 { return t.at })
	events := make([]porcupine.Event, 0, len(all)+len(open))
	for _, t := range all {
		events = append(events, t.event)
	}
	return append(events, open...)
}

func registerValue(v lin.Value) int {
	if v.Kind != lin.ValueAtom {
		return porcupineNil
	}
	return atoi(v.Atom)
}

func etcdEvents(records []lin.Record) []porcupine.Event {
	return porcupineEvents(records, func(r lin.Record) any {
		switch r.F {
		case "read":
			return etcdInput{op: lin.RegisterRead}
		case "write":
			return etcdInput{op: lin.RegisterWrite, value: atoi(r.Value.Atom)}
		}
		return etcdInput{op: lin.RegisterCAS, expected: atoi(r.Value.Items[0].Atom), value: atoi(r.Value.Items[1].Atom)}
	}, func(r lin.Record) any {
		return etcdOutput{value: registerValue(r.Result), ok: !r.Failed, unknown: r.Open}
	})
}

var kvOpsByName = map[string]lin.KVOp{"get": lin.KVGet, "put": lin.KVPut, "append": lin.KVAppend}

func kvEvents(records []lin.Record) []porcupine.Event {
	return porcupineEvents(records, func(r lin.Record) any {
		return kvInput{op: kvOpsByName[r.F], key: r.Key, value: r.Value.Atom}
	}, func(r lin.Record) any { return r.Result.Atom })
}
