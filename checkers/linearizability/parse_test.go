package linearizability

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func atomValue(s string) Value { return Value{Kind: ValueAtom, Atom: s} }

func listValue(items ...string) Value {
	v := Value{Kind: ValueList}
	for _, s := range items {
		v.Items = append(v.Items, atomValue(s))
	}
	return v
}

const never = math.MaxInt64

func TestParseTestdata(t *testing.T) {
	tests := []struct {
		file, format string
		want         []Record
	}{
		{"register.edn", FormatEDN, []Record{
			{Line: 3, ClientID: 0, F: "write", Value: atomValue("1"), Result: atomValue("1"), Call: 1, Return: 2},
			{Line: 5, ClientID: 1, F: "cas", Value: listValue("1", "2"), Result: listValue("1", "2"), Call: 3, Return: 5},
			{Line: 6, ClientID: 2, F: "read", Result: atomValue("1"), Call: 4, Return: 6},
			{Line: 12, ClientID: 0, F: "write", Value: atomValue("4"), Open: true, Call: 9, Return: never},
			{Line: 14, ClientID: 2, F: "read", Result: atomValue("4"), Call: 11, Return: 12},
		}},
		{"kv.txt", FormatPorcupineKV, []Record{
			{Line: 1, ClientID: 0, F: "put", Key: "x", HasKey: true, Value: atomValue("a"), Result: atomValue("a"), Call: 1, Return: 3},
			{Line: 2, ClientID: 1, F: "append", Key: "y", HasKey: true, Value: atomValue("b"), Result: atomValue("b"), Call: 2, Return: 4},
			{Line: 5, ClientID: 0, F: "get", Key: "x", HasKey: true, Result: atomValue("a"), Call: 5, Return: 6},
			{Line: 7, ClientID: 1, F: "get", Key: "y", HasKey: true, Result: atomValue("<script>alert(1)</script>"), Call: 7, Return: 8},
		}},
		{"etcd.log", FormatEtcdLog, []Record{
			{Line: 1, ClientID: 0, F: "write", Value: atomValue("3"), Result: atomValue("3"), Call: 1, Return: 3},
			{Line: 2, ClientID: 1, F: "read", Result: atomValue("3"), Call: 2, Return: 4},
			{Line: 5, ClientID: 2, F: "cas", Value: listValue("2", "4"), Failed: true, Call: 5, Return: 6},
			{Line: 10, ClientID: 4, F: "write", Value: atomValue("5"), Open: true, Call: 9, Return: never},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, format, err := ParseHistory(tt.file, f, "")
			if err != nil {
				t.Fatal(err)
			}
			if format != tt.format {
				t.Errorf("detected format %q, want %q", format, tt.format)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTestdataVerdicts(t *testing.T) {
	for file, want := range map[string]Verdict{"register.edn": Ok, "register-bad.edn": Illegal, "kv.txt": Illegal, "etcd.log": Ok} {
		f, err := os.Open(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		records, format, err := ParseHistory(file, f, "")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		model, _ := Lookup(DefaultModel(format, records))
		res, err := model.Check(context.Background(), file, records, Options{})
		if err != nil || res.Verdict != want {
			t.Errorf("%s: got %s (%v), want %s", file, res.Verdict, err, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		format, text, want string
	}{
		{FormatEDN, "{:type :invoke, :f :read, :process 0}\n{:type :ok :f :read :process 0 :value [1 2}", `h:2: unexpected "}", want ']'`},
		{FormatEDN, "{:type :invoke, :f :read, :process 0}\n{:type :invoke, :f :write, :process 0, :value 1}", `h:2: process 0 invokes "write" while its "read" from line 1 has not completed`},
		{FormatEDN, "\n\n{:type :ok, :f :read, :process 3}", `h:3: process 3 completes "read" but has no pending invocation`},
		{FormatEDN, "{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :write, :process 0}", `h:2: process 0 completes "write" but invoked "read" on line 1`},
		{FormatEDN, "{:type :begin, :f :read, :process 0}", `h:1: unknown operation type ":begin"`},
		{FormatEDN, "{:type :invoke, :process 0}", "h:1: operation has no :f keyword"},
		{FormatEDN, "{:type :invoke, :f :read}", "h:1: operation has no :process"},
		{FormatEDN, "[1 2 3]", "h:1: want an operation map"},
		{FormatEDN, "[{:type :invoke, :f :read, :process 0}", "h:1: missing ']' at end of history"},
		{FormatEDN, "{:type :invoke, :f :read, :process 0, :value \"abc}", "h:1: unterminated string"},
		{FormatEDN, "{:a}", "h:1: map with a key but no value"},
		{FormatEDN, "{:type :invoke, :f :read, :process -1}", `h:1: :process "-1" is neither`},
		{FormatPorcupineKV, "{:process 0, :type :invoke, :f :get, :value nil}", "h:1: kv format wants :f :get, :put or :append with a :key"},
		{FormatEtcdLog, "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nhello world", "h:2: not a Jepsen log line"},
		{FormatEtcdLog, "INFO  jepsen.util - x\t:invoke\t:read\tnil", "h:1: process \"x\" is not a non-negative integer"},
		{FormatEtcdLog, "INFO  jepsen.util - 1\t:invoke\t:read", "h:1: want \"INFO jepsen.util - PROCESS :TYPE :F VALUE\""},
		{FormatEtcdLog, "INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2", "h:1: missing ']'"},
		{"xml", "", "h: unknown history format \"xml\""},
		{"", `{"format":"orrery-trace/1","protocol":"raft"}`, "h:1: an Orrery trace, not a history: -replay it"},
	}
	for _, tt := range tests {
		_, _, err := ParseHistory("h", strings.NewReader(tt.text), tt.format)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s %q: got error %v, want one starting %q", tt.format, tt.text, err, tt.want)
		}
	}
}

func TestConversionErrors(t *testing.T) {
	tests := []struct {
		model, text, want string
	}{
		{"register", "{:type :invoke, :f :cas, :value [1 2], :process 0}", "h:1: model register has no cas"},
		{"cas-register", "\n{:type :invoke, :f :cas, :value 1, :process 0}", `h:2: "cas" wants [expected new], got "1"`},
		{"cas-register", "{:type :invoke, :f :inc, :process 0}", "h:1: register models know read, write and cas, not \"inc\""},
		{"kv", "{:type :invoke, :f :get, :process 0}", `h:1: "get" needs a :key`},
		{"set", "{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :value 3, :process 0}", "h:1: set read result must be a collection"},
		{"queue", "{:type :invoke, :f :push, :process 0}", "h:1: the queue model knows enqueue and dequeue"},
	}
	for _, tt := range tests {
		records, _, err := ParseHistory("h", strings.NewReader(tt.text), FormatEDN)
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		model, ok := Lookup(tt.model)
		if !ok {
			t.Fatalf("no model %q", tt.model)
		}
		_, err = model.Check(context.Background(), "h", records, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s %q: got error %v, want one starting %q", tt.model, tt.text, err, tt.want)
		}
	}
}

func TestModelNames(t *testing.T) {
	want := []string{"register", "cas-register", "etcd", "kv", "kv-unpartitioned", "set", "queue"}
	if diff := cmp.Diff(want, ModelNames()); diff != "" {
		t.Errorf("model names (-want +got):\n%s", diff)
	}
}

// errorTextBytesMax bounds an error message: input is quoted cut short.
const errorTextBytesMax = 400

// checkErrorText requires an error message to be one printable line of
// bounded length, whatever bytes the input held.
func checkErrorText(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if len(msg) > errorTextBytesMax {
		t.Fatalf("error of %d bytes: %.200q...", len(msg), msg)
	}
	for _, r := range msg {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			t.Fatalf("error echoes a control or invalid byte: %q", msg)
		}
	}
}

// TestErrorsQuoteUntrustedInput: control bytes and long junk in a history
// reach error messages quoted and cut, never raw.
func TestErrorsQuoteUntrustedInput(t *testing.T) {
	junk := strings.Repeat("x", 500)
	tests := []struct{ format, text string }{
		{FormatEDN, "{:type :in\x1b[2Jvoke, :f :read, :process 0}"},
		{FormatEDN, "{:type :ok, :f :re\x07ad, :process 0}"},
		{FormatEDN, "{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :wr\x1bite, :process 0}"},
		{FormatEDN, "{:type :invoke, :f :read, :process 0, :key [\"\x1b\"]}"},
		{FormatEDN, "{:type :invoke, :f :" + junk + ", :process 0}\n{:type :invoke, :f :read, :process 0}"},
		{FormatEDN, "\x1b"},
		{FormatEtcdLog, "INFO  jepsen.util - 1\x1b\t:invoke\t:read\tnil"},
		{FormatEtcdLog, "INFO  jepsen.util - 1\t:in\x1bvoke\t:read\tnil"},
		{FormatEtcdLog, "INFO  jepsen.util - 1\tinvoke\t:read\x1b\tnil"},
		{FormatPorcupineKV, "{:process 0, :type :invoke, :f :g\x1bet, :key \"0\", :value nil}"},
	}
	for _, tt := range tests {
		_, _, err := ParseHistory("h", strings.NewReader(tt.text), tt.format)
		if err == nil {
			t.Errorf("%s %q parsed", tt.format, tt.text)
			continue
		}
		t.Run(tt.format, func(t *testing.T) { checkErrorText(t, err) })
	}
	records, _, err := ParseHistory("h", strings.NewReader("{:type :invoke, :f :fr\x1bob, :process 0}"), FormatEDN)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ModelNames() {
		model, _ := Lookup(name)
		if _, err := model.Check(context.Background(), "h", records, Options{}); err != nil {
			t.Run(name, func(t *testing.T) { checkErrorText(t, err) })
		}
	}
}

// fuzzParser checks that a parser never panics, and that what it accepts
// every model either converts or rejects with a located error.
func fuzzParser(f *testing.F, format string, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	if entries, err := os.ReadDir("testdata"); err == nil {
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil && !e.IsDir() {
				f.Add(string(data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		records, _, err := ParseHistory("fuzz", strings.NewReader(text), format)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error without location: %v", err)
			}
			checkErrorText(t, err)
			return
		}
		if len(records) > 12 {
			return // keep checks fast; parsing is what is fuzzed
		}
		for _, name := range ModelNames() {
			model, _ := Lookup(name)
			_, err := model.Check(context.Background(), "fuzz", records, Options{})
			if err != nil && !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("%s: error without location: %v", name, err)
			}
			if err != nil {
				checkErrorText(t, err)
			}
		}
	})
}

func FuzzParseEDN(f *testing.F) {
	fuzzParser(f, FormatEDN,
		`{:type :invoke, :f :write, :value 3, :process 0}`,
		`[{:type :invoke :f :cas :value [1 2] :process 1} {:type :info :f :cas :value [1 2] :process 1}]`,
		`{:type :invoke, :f :read, :value nil, :process 0} ; comment
{:type :ok, :f :read, :value #{1 2}, :process 0, :time 12}`)
}

func FuzzParsePorcupineKV(f *testing.F) {
	fuzzParser(f, FormatPorcupineKV,
		`{:process 0, :type :invoke, :f :get, :key "0", :value nil}
{:process 0, :type :ok, :f :get, :key "0", :value "x 0 0 y"}`)
}

func FuzzParseEtcdLog(f *testing.F) {
	fuzzParser(f, FormatEtcdLog,
		"INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\nINFO  jepsen.util - 2\t:fail\t:cas\t[3 0]",
		"INFO  jepsen.util - 4\t:invoke\t:write\t1\nINFO  jepsen.util - 4\t:info\t:write\t:timed-out")
}
