package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
)

func TestNodeInit(t *testing.T) {
	home := t.TempDir()
	out := mustRun(t, "node", "init", "--dev", "--fast", "--home", home, "--json-output")
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil || res["chain_id"] != "gotensor-dev-fast" || res["accounts"].(float64) != 6 {
		t.Fatalf("%s %v", out, err)
	}
	b, err := os.ReadFile(filepath.Join(home, "node", "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g runtime.Genesis
	if err := json.Unmarshal(b, &g); err != nil || g.Validate() != nil {
		t.Fatalf("genesis.json: %v", err)
	}
	// A second init needs --force; a non-dev init needs --sudo.
	if code, _, errOut := run(t, "node", "init", "--dev", "--home", home); code == 0 || !strings.Contains(errOut, "--force") {
		t.Fatalf("second init: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "node", "init", "--home", t.TempDir()); code == 0 || !strings.Contains(errOut, "--sudo") {
		t.Fatalf("init without --sudo: %d %s", code, errOut)
	}
	mustRun(t, "node", "init", "--home", t.TempDir(), "--sudo", aliceSS58, "--account", bobSS58+"=12.5", "--chain-id", "mine")
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestNodeRunsAndStopsOnSignal starts `gotensor node --dev --fast` in-process, waits until it is ready,
// sends SIGINT and expects a clean stop.
func TestNodeRunsAndStopsOnSignal(t *testing.T) {
	home := t.TempDir()
	var stdout, stderr syncBuf
	done := make(chan int, 1)
	go func() {
		done <- Execute([]string{"node", "--dev", "--fast", "--home", home, "--rpc.addr", "127.0.0.1:0", "--metrics.addr", "127.0.0.1:0",
			"--log-level", "warn"}, strings.NewReader(""), &stdout, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "ready in") {
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %s %s", stdout.String(), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	out := stdout.String()
	for _, want := range []string{"initialised a dev chain", "chain gotensor-dev-fast", "rpc listening on ws://127.0.0.1:", "metrics on http://127.0.0.1:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	time.Sleep(600 * time.Millisecond) // a couple of 250 ms blocks
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stdout.String(), "stopped at height") {
			t.Fatalf("exit %d: %s %s", code, stdout.String(), stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("node did not stop on SIGINT")
	}
	if _, err := os.Stat(filepath.Join(home, "node", "chain.db")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "node", "--home", home, "--log-level", "loud"); code == 0 || !strings.Contains(errOut, "--log-level") {
		t.Fatalf("bad --log-level: %d %s", code, errOut)
	}
}
