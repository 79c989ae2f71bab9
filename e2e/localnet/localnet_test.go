// Package localnet_test is the end-to-end test of `gotensor localnet`: it runs the real binary
// ($GOTENSOR_BIN, or one it builds) for several tempos and checks what a user should see: every neuron
// registered with its role, validators holding permits, the miners' incentive ordered by their quality
// (the always-wrong and offline miners near zero), dividends paid to the validators, and each epoch's
// emission conserved.
package localnet_test

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gotensor/gotensor/sdk/client"
)

// syncBuilder is a strings.Builder safe for one writer and concurrent readers.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) WriteString(x string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(x)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func binary(t *testing.T) string {
	if b := os.Getenv("GOTENSOR_BIN"); b != "" {
		return b
	}
	out := filepath.Join(t.TempDir(), "gotensor")
	cmd := exec.Command("go", "build", "-o", out, "github.com/gotensor/gotensor/cmd/gotensor")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build gotensor: %v\n%s", err, b)
	}
	return out
}

type neuron struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Quality string `json:"quality"`
	UID     uint16 `json:"uid"`
	Hotkey  string `json:"hotkey"`
}

type info struct {
	RPC     string   `json:"rpc"`
	Netuid  uint16   `json:"netuid"`
	Tempo   uint16   `json:"tempo"`
	Neurons []neuron `json:"neurons"`
}

func TestLocalnet(t *testing.T) {
	bin := binary(t)
	home := filepath.Join(t.TempDir(), "ln")
	const epochs = 6
	cmd := exec.Command(bin, "localnet", "--home", home, "--rpc-addr", "127.0.0.1:0", "--dashboard-addr", "127.0.0.1:0",
		"--eth-addr", "127.0.0.1:0", "--validators", "2", "--miners", "5", "--tempo", "10", "--block-time", "250ms", "--blocks", "400")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	var transcript syncBuilder
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	exited := false
	defer func() {
		if !exited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		if t.Failed() {
			t.Logf("localnet stdout:\n%s\nstderr:\n%s", transcript.String(), stderr.String())
		}
	}()
	ready := time.After(90 * time.Second)
	for wait := true; wait; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("localnet exited before it was ready")
			}
			transcript.WriteString(l + "\n")
			if strings.HasPrefix(l, "ready in ") {
				wait = false
			}
		case <-ready:
			t.Fatal("localnet not ready within 90 s")
		}
	}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for l := range lines {
			transcript.WriteString(l + "\n")
		}
	}()
	for _, want := range []string{"rpc:       ws://", "dashboard: http://", "ethereum:  http://"} {
		if !strings.Contains(transcript.String(), want) {
			t.Errorf("start banner lacks %q", want)
		}
	}
	b, err := os.ReadFile(filepath.Join(home, "localnet.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in info
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"wallets/validator-1/coldkey", "wallets/miner-1/hotkeys/default"} {
		st, err := os.Stat(filepath.Join(home, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", f, st.Mode().Perm())
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := client.Dial(ctx, in.RPC)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	si, err := c.SubnetInfo(ctx, in.Netuid)
	if err != nil {
		t.Fatal(err)
	}
	// Run for `epochs` epochs after the neurons started.
	target := si.LastStep + uint64(epochs)*(uint64(in.Tempo)+1)
	if _, err := c.WaitForBlock(ctx, target+1); err != nil {
		t.Fatal(err)
	}
	// Read one epoch's outputs consistently: just after an epoch block.
	si, err = c.SubnetInfo(ctx, in.Netuid)
	if err != nil {
		t.Fatal(err)
	}
	at := si.LastStep
	r := c.At(at)
	mg, err := r.Metagraph(ctx, in.Netuid, true)
	if err != nil {
		t.Fatal(err)
	}

	byName := map[string]neuron{}
	for _, n := range in.Neurons {
		byName[n.Name] = n
		if int(n.UID) >= int(mg.N) || mg.Hotkeys[n.UID].SS58() != n.Hotkey {
			t.Fatalf("%s (%s) is not uid %d on chain", n.Name, n.Role, n.UID)
		}
		switch n.Role {
		case "validator":
			if !mg.ValidatorPermit[n.UID] {
				t.Errorf("validator %s (uid %d) holds no validator permit", n.Name, n.UID)
			}
			if d := float64(mg.Dividends[n.UID]) / 65535; d < 0.2 {
				t.Errorf("validator %s: dividends %.4f, want a share (about 0.5)", n.Name, d)
			}
			if mg.Axons[n.UID].Served() {
				t.Errorf("validator %s serves an axon", n.Name)
			}
		case "miner":
			if mg.ValidatorPermit[n.UID] {
				t.Errorf("miner %s (uid %d) holds a validator permit", n.Name, n.UID)
			}
			if !mg.Axons[n.UID].Served() {
				t.Errorf("miner %s announced no axon", n.Name)
			} else if ip := mg.Axons[n.UID].IP.String(); ip == "127.0.0.1" || !strings.HasPrefix(ip, "127.") {
				t.Errorf("miner %s announced %s, want a loopback address other than 127.0.0.1", n.Name, ip)
			}
		}
	}
	inc := func(name string) float64 { return float64(mg.Incentive[byName[name].UID]) / 65535 }
	t.Logf("epoch at block %d: incentive fast %.4f slow %.4f flaky %.4f wrong %.4f offline %.4f", at,
		inc("miner-1"), inc("miner-2"), inc("miner-3"), inc("miner-4"), inc("miner-5"))
	for _, q := range [][2]string{{"miner-1", "miner-2"}, {"miner-2", "miner-3"}, {"miner-3", "miner-4"}} {
		if !(inc(q[0]) > inc(q[1])) {
			t.Errorf("incentive not ordered by quality: %s (%s) %.4f ≤ %s (%s) %.4f", q[0], byName[q[0]].Quality, inc(q[0]),
				q[1], byName[q[1]].Quality, inc(q[1]))
		}
	}
	for _, name := range []string{"miner-4", "miner-5"} {
		if inc(name) > 0.01 {
			t.Errorf("%s (%s): incentive %.4f, want about 0", name, byName[name].Quality, inc(name))
		}
	}

	// Emission conservation: what the epoch paid to the uids is the subnet's alpha emission over the epoch
	// less the owner's cut, split evenly between miners (incentive) and validators (dividends).
	em, err := c.At(at).Emission(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var perBlock float64
	for _, s := range em.Subnets {
		if s.Netuid == in.Netuid {
			perBlock = float64(s.AlphaOut)
		}
	}
	globals, err := c.Globals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cut, _ := globals.Get("subnet_owner_cut")
	var miners, validators float64
	for _, n := range in.Neurons {
		e := float64(mg.Emission[n.UID])
		switch n.Role {
		case "miner":
			miners += e
		case "validator":
			validators += e
		}
	}
	total := float64(0)
	for _, e := range mg.Emission {
		total += float64(e)
	}
	want := perBlock * float64(in.Tempo+1) * (1 - float64(cut)/65535)
	t.Logf("epoch emission: total %.0f rao (miners %.0f, validators %.0f), alpha out per block %.0f, owner cut %d/65535: want %.0f",
		total, miners, validators, perBlock, cut, want)
	if want == 0 || math.Abs(total-want)/want > 0.01 {
		t.Errorf("epoch emission %.0f rao, want %.0f (alpha out per block × (tempo+1) × (1 − owner cut)) within 1%%", total, want)
	}
	if math.Abs(miners-validators)/total > 0.01 {
		t.Errorf("miners got %.0f and validators %.0f: want an even split", miners, validators)
	}

	// Ctrl-C stops everything cleanly.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		exited = true
		if err != nil {
			t.Errorf("localnet exited with %v after SIGINT", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("localnet did not stop within 30 s of SIGINT")
	}
	<-drained
	if !strings.Contains(transcript.String(), "localnet stopped") {
		t.Error("no clean-stop message after SIGINT")
	}
	if !strings.Contains(transcript.String(), "UID") {
		t.Error("no metagraph table printed")
	}
}
