// Package finney_test runs the gotensor binary ($GOTENSOR_BIN, or one it builds) against the recorded
// finney conversations served on loopback by substratetest: the CLI probes the ws:// endpoint, finds a
// subtensor node, and reads through the substrate backend exactly as it would read finney. No network.
package finney_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/substratetest"
)

var (
	buildOnce sync.Once
	buildDir  string
	built     string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary is $GOTENSOR_BIN, or gotensor built once for the package.
func binary(t *testing.T) string {
	if b := os.Getenv("GOTENSOR_BIN"); b != "" {
		return b
	}
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "gotensor-e2e-finney"); buildErr != nil {
			return
		}
		built = filepath.Join(buildDir, "gotensor")
		cmd := exec.Command("go", "build", "-o", built, "github.com/gotensor/gotensor/cmd/gotensor")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if b, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("%v\n%s", err, b)
		}
	})
	if buildErr != nil {
		t.Fatalf("build gotensor: %v", buildErr)
	}
	return built
}

// run runs the binary with a private $HOME (metadata cache, config) and no network from the environment.
func run(t *testing.T, bin, home string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "HOME" || k == "GOTENSOR_HOME" || k == "GOTENSOR_CONFIG" || k == "GOTENSOR_NETWORK" || strings.HasPrefix(k, "BT_") {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, "HOME="+home, "COLUMNS=200")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return code, o.String(), e.String()
}

// server serves the recorded finney metagraph conversation (block 6,852,690) on 127.0.0.1.
func server(t *testing.T, strict bool) (*rpc.Replay, string) {
	r := substratetest.Replay(t, substratetest.SeedMetagraph)
	// What the CLI's probe asks (state_getRuntimeVersion without a block); the recording's own
	// answers at the parent block are untouched.
	_ = r.AddResult("state_getRuntimeVersion", nil, map[string]any{"specName": "node-subtensor", "specVersion": 343})
	if !strict {
		r.OnUnrecorded = nil
	}
	ws, _ := substratetest.Server(t, r)
	return r, ws
}

type showDoc struct {
	Netuid  uint16   `json:"netuid"`
	Block   uint64   `json:"block"`
	Network string   `json:"network"`
	N       int      `json:"n"`
	Owner   string   `json:"owner"`
	Name    *string  `json:"subnet_name"`
	Price   *float64 `json:"price"`
	UIDs    []struct {
		UID             uint16 `json:"uid"`
		Hotkey          string `json:"hotkey"`
		Coldkey         string `json:"coldkey"`
		ValidatorPermit bool   `json:"validator_permit"`
		Stake           struct {
			Rao uint64 `json:"rao"`
		} `json:"stake"`
	} `json:"uids"`
}

func TestSubnetsShowReplayedFinney(t *testing.T) {
	bin, home := binary(t), t.TempDir()
	r, ws := server(t, true)

	code, out, errOut := run(t, bin, home, "subnets", "show", "--netuid", "1", "--network", ws, "--json-output")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var doc showDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%.400s", err, out)
	}

	// The fixture, read by the backend in this process.
	b, err := substrate.New(context.Background(), substratetest.Replay(t, substratetest.SeedMetagraph), substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	mg, err := b.Metagraph(context.Background(), 1, substrate.At{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Netuid != 1 || doc.Block != mg.Block || doc.N != len(mg.Neurons) || len(doc.UIDs) != 1024 || doc.Owner != mg.OwnerColdkey.SS58() {
		t.Fatalf("netuid %d block %d n %d uids %d owner %s", doc.Netuid, doc.Block, doc.N, len(doc.UIDs), doc.Owner)
	}
	// Best-effort extras: the recorded metagraph names the subnet and has a pool.
	if doc.Name == nil || *doc.Name != mg.Name || doc.Price == nil || *doc.Price <= 0 {
		t.Fatalf("name %v price %v (recorded %q)", doc.Name, doc.Price, mg.Name)
	}
	var stake uint64
	for i, u := range doc.UIDs {
		want := mg.Neurons[i]
		if int(u.UID) != i || u.Hotkey != want.Hotkey.SS58() || u.Coldkey != want.Coldkey.SS58() || u.Stake.Rao != want.TotalStake ||
			u.ValidatorPermit != want.ValidatorPermit {
			t.Fatalf("uid %d: %+v, recorded %s %d", i, u, want.Hotkey.SS58(), want.TotalStake)
		}
		stake += u.Stake.Rao
	}
	if stake == 0 {
		t.Fatal("no stake in the recorded metagraph")
	}
	// One runtime call for the whole subnet, not one per uid.
	n := 0
	for _, c := range r.Calls() {
		if strings.Contains(c, "get_selective_mechagraph") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d metagraph calls", n)
	}

	// The table, under btcli's other name; and at the recorded block.
	code, out, errOut = run(t, bin, home, "subnets", "metagraph", "--netuid", "1", "--network", ws, "--block", "6852690")
	if code != 0 || !strings.Contains(out, "Subnet 1") || !strings.Contains(out, "block 6852690") {
		t.Fatalf("table: exit %d\n%.600s\n%s", code, out, errOut)
	}
}

// TestUnrecordedIsAnError: a read the recordings do not hold (subnets list, hyperparameters at spec 343)
// fails with an error, never an empty answer.
func TestUnrecordedIsAnError(t *testing.T) {
	bin, home := binary(t), t.TempDir()
	_, ws := server(t, false)
	for _, args := range [][]string{{"subnets", "list"}, {"subnets", "hyperparameters", "--netuid", "1"}} {
		code, out, errOut := run(t, bin, home, append(args, "--network", ws, "--json-output")...)
		if code == 0 || !strings.Contains(out, `"success": false`) && !strings.Contains(out, `"success":false`) {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
}

// TestChainRecordReplays: `gotensor chain record` writes the fixture format; the file replays strictly.
func TestChainRecordReplays(t *testing.T) {
	bin, home := binary(t), t.TempDir()
	_, ws := server(t, true)
	file := filepath.Join(t.TempDir(), "recorded.json")
	code, out, errOut := run(t, bin, home, "chain", "record", "--network", ws, "--out", file, "--seed", "sn1", "metagraph:1")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	rec, err := rpc.LoadRecording(file)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rpc.NewReplay(rec, "sn1")
	if err != nil {
		t.Fatal(err)
	}
	r.OnUnrecorded = func(m string, p []any) { t.Errorf("unrecorded %s %v", m, p) }
	b, err := substrate.New(context.Background(), r, substrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if mg, err := b.Metagraph(context.Background(), 1, substrate.At{}); err != nil || len(mg.Neurons) != 1024 {
		t.Fatalf("replayed recording: %v", err)
	}
}
