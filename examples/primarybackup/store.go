package primarybackup

import (
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// store is the replicated state and the durable log behind it, shared by the
// primary and the backups: entry i of the log is stored under "log/i", the
// number of entries under "len". Start rebuilds the state from what was synced.
type store struct {
	data map[string]string
	log  []MsgReplicate // log[i] has Seq i+1
}

func load(st *sim.Storage) store {
	s := store{data: map[string]string{}}
	n := 0
	if v, ok := st.Get("len"); ok {
		n, _ = strconv.Atoi(string(v))
	}
	for seq := 1; seq <= n; seq++ {
		v, _ := st.Get("log/" + strconv.Itoa(seq))
		key, value, _ := strings.Cut(string(v), "=")
		s.apply(MsgReplicate{Seq: seq, Key: key, Value: value})
	}
	return s
}

// apply adds the next entry to the state (not yet to storage).
func (s *store) apply(e MsgReplicate) {
	s.log = append(s.log, e)
	s.data[e.Key] = e.Value
}

// persist writes the entry to the log; the caller syncs.
func (s *store) persist(st *sim.Storage, e MsgReplicate) {
	st.Put("log/"+strconv.Itoa(e.Seq), []byte(e.Key+"="+e.Value))
	st.Put("len", []byte(strconv.Itoa(e.Seq)))
}

func (s *store) get(key string) MsgReply {
	v, ok := s.data[key]
	return MsgReply{Value: v, Found: ok}
}
