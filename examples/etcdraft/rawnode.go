package etcdraft

import (
	"github.com/orrery-sim/orrery/examples/etcdraft/adapter"
	raftbug "github.com/orrery-sim/orrery/examples/etcdraft/internal/raftbug"
	"go.etcd.io/raft/v3"
)

// patchedRawNode builds a RawNode of the patched copy of etcd's raft package
// (internal/raftbug) with bug enabled: the same code as go.etcd.io/raft/v3
// v3.6.0 but for the lines that re-introduce the bug.
func patchedRawNode(bug string) func(c *raft.Config) (adapter.RawNode, error) {
	return func(c *raft.Config) (adapter.RawNode, error) {
		rn, err := raftbug.NewRawNode(&raftbug.Config{
			ID: c.ID, ElectionTick: c.ElectionTick, HeartbeatTick: c.HeartbeatTick, Storage: c.Storage,
			Applied: c.Applied, MaxSizePerMsg: c.MaxSizePerMsg, MaxCommittedSizePerReady: c.MaxCommittedSizePerReady,
			MaxUncommittedEntriesSize: c.MaxUncommittedEntriesSize, MaxInflightMsgs: c.MaxInflightMsgs,
			MaxInflightBytes: c.MaxInflightBytes, CheckQuorum: c.CheckQuorum, PreVote: c.PreVote,
			ReadOnlyOption: raftbug.ReadOnlyOption(c.ReadOnlyOption), Logger: c.Logger,
			DisableProposalForwarding: c.DisableProposalForwarding, Bug: bug,
		})
		return &patched{RawNode: rn}, err
	}
}

// patched is the copy's RawNode seen through upstream's types: its Ready
// converts field by field (the copy has its own SoftState and ReadState).
type patched struct {
	*raftbug.RawNode
	last raftbug.Ready // handed back to Advance
}

func (p *patched) ReportSnapshot(id uint64, status raft.SnapshotStatus) {
	p.RawNode.ReportSnapshot(id, raftbug.SnapshotStatus(status))
}

func (p *patched) Ready() raft.Ready {
	rd := p.RawNode.Ready()
	p.last = rd
	out := raft.Ready{
		HardState: rd.HardState, Entries: rd.Entries, Snapshot: rd.Snapshot,
		CommittedEntries: rd.CommittedEntries, Messages: rd.Messages, MustSync: rd.MustSync,
	}
	if rd.SoftState != nil {
		out.SoftState = &raft.SoftState{Lead: rd.SoftState.Lead, RaftState: raft.StateType(rd.SoftState.RaftState)}
	}
	for _, rs := range rd.ReadStates {
		out.ReadStates = append(out.ReadStates, raft.ReadState{Index: rs.Index, RequestCtx: rs.RequestCtx})
	}
	return out
}

// Advance hands back the copy's own Ready.
func (p *patched) Advance(raft.Ready) { p.RawNode.Advance(p.last) }
