package chat

import (
	"errors"
	"strings"
	"testing"

	"github.com/orrery-sim/orrery/simtest/scenario"
)

// The Chatroom commands: "broadcast NODE TEXT" submits a message to a server,
// "log NODE" prints the messages it delivered, in order, and "alive NODE" the
// servers it believes alive.
var scenarioOptions = scenario.Options{Commands: map[string]scenario.Command{
	"broadcast": func(e *scenario.Env, args []string) (string, error) {
		return e.Exec("submit " + strings.Join(args, " "))
	},
	"log": func(e *scenario.Env, args []string) (string, error) {
		s, err := serverArg(e, args)
		if s == nil || err != nil {
			return "down", err
		}
		var parts []string
		for _, entry := range s.Log() {
			parts = append(parts, entry.String())
		}
		if len(parts) == 0 {
			return "empty", nil
		}
		return strings.Join(parts, ", "), nil
	},
	"alive": func(e *scenario.Env, args []string) (string, error) {
		s, err := serverArg(e, args)
		if s == nil || err != nil {
			return "down", err
		}
		id, _ := e.Node(args[0])
		return strings.Join(AliveNames(e.W, id), " "), nil
	},
}}

func serverArg(e *scenario.Env, args []string) (*Server, error) {
	if len(args) != 1 {
		return nil, errors.New("usage: log NODE / alive NODE")
	}
	id, err := e.Node(args[0])
	if err != nil {
		return nil, err
	}
	return ServerOf(e.W, id), nil
}

func TestScenarios(t *testing.T) { scenario.RunDir(t, "testdata", scenarioOptions) }
