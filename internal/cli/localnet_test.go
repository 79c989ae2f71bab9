package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLocalnetInProcess runs the whole example subnet inside `go test`: an in-process dev chain, a
// validator and miners of three qualities, until --blocks; then checks the last metagraph table.
func TestLocalnetInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a chain for about 15 s")
	}
	home := filepath.Join(t.TempDir(), "ln")
	var out, errb bytes.Buffer
	code := Execute([]string{"localnet", "--home", home, "--rpc-addr", "127.0.0.1:0", "--dashboard-addr", "",
		"--validators", "1", "--miners", "3", "--blocks", "60", "--step-interval", "300ms"}, nil, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	text := out.String()
	for _, want := range []string{"rpc:", "dashboard:", "ethereum:", "ready in", "reached --blocks 60", "localnet stopped"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// The last table: the fast miner earns, the validator is paid dividends.
	last := text[strings.LastIndex(text, "\nepoch "):]
	cols := map[string][]string{}
	for _, l := range strings.Split(last, "\n") {
		f := strings.Fields(l)
		if len(f) > 2 {
			cols[f[1]] = f
		}
	}
	num := func(name string, fromEnd int) float64 {
		f := cols[name]
		if len(f) < 8 {
			t.Fatalf("no row for %s in:\n%s", name, last)
		}
		v, err := strconv.ParseFloat(f[len(f)-fromEnd], 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	// Columns: UID NAME QUALITY STAKE VPERMIT (blank when not held) CONSENSUS VTRUST INCENTIVE DIVIDENDS
	// EMISSION AXON: counted from the end.
	if d := num("validator-1", 3); d < 0.5 {
		t.Errorf("validator dividends %v, want the validators' share:\n%s", d, last)
	}
	if inc := num("miner-1", 4); inc <= num("miner-3", 4) {
		t.Errorf("fast miner incentive %v, want more than the flaky one's:\n%s", inc, last)
	}

	var info LocalnetInfo
	b, err := os.ReadFile(filepath.Join(home, "localnet.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &info); err != nil || len(info.Neurons) != 5 || info.Netuid == 0 {
		t.Fatalf("localnet.json: %+v (%v)", info, err)
	}
	if _, err := os.Stat(filepath.Join(home, "validators", "validator-1", "state.json")); err != nil {
		t.Errorf("validator state not saved: %v", err)
	}

	// A second run refuses a folder that already holds a chain.
	out.Reset()
	errb.Reset()
	if code := Execute([]string{"localnet", "--home", home, "--rpc-addr", "127.0.0.1:0", "--dashboard-addr", ""}, nil, &out, &errb); code == 0 ||
		!strings.Contains(errb.String(), "already holds a chain") {
		t.Errorf("reusing --home: exit %d, %s", code, errb.String())
	}
}

func TestLocalnetFlagsRefuseBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"localnet", "--axon-ip", "127.0.0.1"},
		{"localnet", "--miners", "0"},
		{"localnet", "--tempo", "1"},
	} {
		var out, errb bytes.Buffer
		if code := Execute(args, nil, &out, &errb); code == 0 {
			t.Errorf("%v: exit 0", args)
		}
	}
}
