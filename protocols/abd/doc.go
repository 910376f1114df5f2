// Package abd is the multi-writer ABD atomic register (Attiya, Bar-Noy and Dolev;
// the multi-writer form of Lynch and Shvartsman) built on package quorum.
//
// Replicas hold one tagged value, durable before they acknowledge. Clients are the
// readers and writers: a write asks a majority for their tags, picks a tag above
// every tag it saw, tag = (counter, writer), and stores its value at a majority; a
// read asks a majority for their tagged values, writes the newest back to a
// majority, and returns it. The write-back is what makes reads atomic: without it
// two reads that follow each other can see a new value and then an old one.
//
// Checkers: linearizability of the client history against the register model (at
// the end of the run), tags that never go back at a replica and never name two
// values (always), and a completed operation after the nemesis heals (eventually).
// Planted bugs: skip-write-back and minority-quorum.
package abd
