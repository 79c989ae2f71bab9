// Package cli_test drives gotensor's btcli-style commands end to end through the real binary
// ($GOTENSOR_BIN, or one it builds) against a `gotensor node --dev --fast` subprocess: every command in
// table and JSON form, the failure paths with their exit codes, the old names, and the reveal scheduler
// across a restart.
package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

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

type env struct {
	t    *testing.T
	bin  string
	home string // $HOME of every command: wallets in ~/.bittensor, config and reveal store in ~/.gotensor
	url  string
}

func (e *env) environ() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "HOME" || k == "GOTENSOR_HOME" || k == "GOTENSOR_CONFIG" || k == "GOTENSOR_NETWORK" || k == "COLUMNS" || strings.HasPrefix(k, "BT_") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "HOME="+e.home, "COLUMNS=80")
}

// run runs one command and returns its exit code, stdout and stderr.
func (e *env) run(args ...string) (int, string, string) {
	e.t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Env = e.environ()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("%v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

// ok runs a command that must succeed and returns its stdout.
func (e *env) ok(args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(args...)
	if code != 0 {
		e.t.Fatalf("gotensor %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// js runs a command with --json-output that must succeed and decodes its one JSON document.
func (e *env) js(args ...string) map[string]any {
	e.t.Helper()
	out := e.ok(append(args, "--json-output")...)
	return decodeOne(e.t, out)
}

func decodeOne(t *testing.T, out string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", out)
	}
	return m
}

// fails runs a command that must fail with code, print one JSON error document (with --json-output) and
// name the chain error (if name != "") on stderr.
func (e *env) fails(code int, name string, args ...string) map[string]any {
	e.t.Helper()
	got, out, errOut := e.run(append(args, "--json-output")...)
	if got != code {
		e.t.Fatalf("gotensor %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), got, code, out, errOut)
	}
	doc := decodeOne(e.t, out)
	if doc["success"] != false || doc["exit_code"].(float64) != float64(code) {
		e.t.Fatalf("error document: %v", doc)
	}
	if name != "" && (doc["error_name"] != name || !strings.Contains(errOut, name)) {
		e.t.Fatalf("want error %s: doc %v, stderr %s", name, doc, errOut)
	}
	if !strings.HasPrefix(errOut, "Error: ") && !strings.Contains(errOut, "\nError: ") {
		e.t.Fatalf("stderr has no error line: %q", errOut)
	}
	return doc
}

func startNode(t *testing.T, bin, home string) (url string, stop func()) {
	t.Helper()
	cmd := exec.Command(bin, "node", "--dev", "--fast", "--home", home, "--rpc.addr", "127.0.0.1:0", "--metrics.addr", "",
		"--block-time", "100ms", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "rpc listening on ws://"); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
	}()
	select {
	case a := <-addr:
		return "ws://" + a, func() { cmd.Process.Signal(syscall.SIGINT); cmd.Wait() }
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("node did not print its RPC address")
	}
	return "", nil
}

func num(v any) float64 { f, _ := v.(float64); return f }

func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

func TestCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := binary(t)
	tmp := t.TempDir()
	url, stop := startNode(t, bin, filepath.Join(tmp, "chain"))
	defer stop()
	e := &env{t: t, bin: bin, home: filepath.Join(tmp, "home"), url: url}
	N := []string{"--network", url}
	with := func(args ...string) []string { return append(args, N...) }
	const bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"

	// Wallets from dev URIs (unencrypted) and extra hotkeys.
	e.ok("wallet", "create", "--uri", "alice", "--wallet-name", "alice", "--no-prompt", "-q")
	e.ok("wallet", "create", "--uri", "bob", "--wallet-name", "bob", "--no-prompt", "-q")
	e.ok("wallet", "new-hotkey", "--wallet-name", "alice", "--hotkey", "miner", "--no-prompt", "-q")
	e.ok("wallet", "new-hotkey", "--wallet-name", "bob", "--hotkey", "pow", "--no-prompt", "-q")
	e.ok("wallet", "new-hotkey", "--wallet-name", "bob", "--hotkey", "spare", "--no-prompt", "-q")

	t.Run("network", func(t *testing.T) {
		e.t = t
		// finney and test go through the substrate backend (e2e/finney replays finney on loopback);
		// a subtensor endpoint where nothing listens is "no node" like any other.
		e.fails(4, "", "subnets", "list", "--network", "wss://127.0.0.1:1", "--timeout", "5s")
		e.fails(4, "", "subnets", "list", "--chain", "ws://127.0.0.1:1", "--timeout", "5s")
		e.fails(2, "", "subnets", "list", "--network", "nonsense")
		// A bad flag is a usage error too, with one JSON document.
		e.fails(2, "", "subnets", "list", "--no-such-flag")
		e.fails(2, "", "wallet", "balance", "--netuid", "x")
	})

	t.Run("config", func(t *testing.T) {
		e.t = t
		e.ok("config", "set", "--network", url, "--wallet-name", "alice")
		doc := e.js("config", "get")
		if field(doc, "config", "network") != url || field(doc, "config", "wallet_name") != "alice" {
			t.Fatalf("config get: %v", doc)
		}
		if out := e.ok("config", "get"); !strings.Contains(out, "wallet_name") || !strings.Contains(out, url) {
			t.Fatalf("config get table: %s", out)
		}
		// The config's network and wallet are used when no flag is given.
		doc = e.js("wallet", "balance")
		if field(doc, "balances", "alice", "free", "rao") == nil {
			t.Fatalf("balance from config: %v", doc)
		}
		e.fails(2, "", "config", "set", "--network", "bogus://x")
		e.ok("config", "clear", "--wallet-name")
		if doc := e.js("config", "get"); field(doc, "config", "wallet_name") != "" {
			t.Fatalf("clear: %v", doc)
		}
		e.fails(2, "", "config", "clear")
	})

	t.Run("wallet", func(t *testing.T) {
		e.t = t
		out := e.ok(with("wallet", "balance", "--wallet.name", "alice")...)
		if !strings.Contains(out, "τ1000000.000000000") || !strings.Contains(out, "Free Balance") {
			t.Fatalf("balance table:\n%s", out)
		}
		checkWidth(t, out)
		doc := e.js(with("wallet", "balance", "--all")...)
		if len(doc["balances"].(map[string]any)) != 2 {
			t.Fatalf("balance --all: %v", doc)
		}
		doc = e.js(with("wallet", "transfer", "--wallet.name", "alice", "--dest", bob, "--amount", "1.5", "-y")...)
		if field(doc, "data", "amount", "rao") != 1.5e9 || doc["success"] != true {
			t.Fatalf("transfer: %v", doc)
		}
		out = e.ok(with("wallet", "transfer", "--wallet_name", "alice", "-d", bob, "-a", "0.25", "--no-prompt")...)
		if !strings.Contains(out, "τ0.250000000") {
			t.Fatalf("transfer text: %s", out)
		}
		e.fails(3, "InsufficientBalance", with("wallet", "transfer", "--wallet.name", "bob", "--dest", bob, "--amount", "5000000", "-y")...)
		e.fails(2, "", with("wallet", "transfer", "--wallet.name", "bob", "--dest", "5notanaddress", "--amount", "1", "-y")...)
		e.fails(2, "", with("wallet", "transfer", "--wallet.name", "bob", "--dest", bob, "--amount", "1.0000000001", "-y")...)
		// No terminal and no --amount: fail naming the flag, never prompt.
		code, _, errOut := e.run(with("wallet", "transfer", "--wallet.name", "bob", "--dest", bob)...)
		if code != 2 || !strings.Contains(errOut, "--amount") {
			t.Fatalf("missing --amount: %d %s", code, errOut)
		}
		// A transfer without -y and without a terminal is refused, naming --no-prompt.
		code, _, errOut = e.run(with("wallet", "transfer", "--wallet.name", "bob", "--dest", bob, "--amount", "1")...)
		if code != 2 || !strings.Contains(errOut, "--no-prompt") {
			t.Fatalf("no confirmation: %d %s", code, errOut)
		}
		doc = e.js(with("wallet", "faucet", "--wallet.name", "bob", "-y")...)
		if num(field(doc, "data", "balance_after", "rao")) <= num(field(doc, "data", "balance_before", "rao")) {
			t.Fatalf("faucet: %v", doc)
		}
		doc = e.js(with("wallet", "associate-hotkey", "--wallet.name", "bob", "--hotkey", "spare", "-y")...)
		if doc["success"] != true {
			t.Fatalf("associate: %v", doc)
		}
		e.fails(3, "NonAssociatedColdKey", with("wallet", "associate-hotkey", "--wallet.name", "alice", "--hotkey-ss58",
			field(doc, "data", "hotkey").(string), "-y")...)
	})

	var netuid string
	t.Run("subnets", func(t *testing.T) {
		e.t = t
		doc := e.js(with("subnets", "burn-cost")...)
		if field(doc, "burn_cost", "rao") == nil {
			t.Fatalf("burn-cost: %v", doc)
		}
		doc = e.js(with("subnets", "create", "--wallet.name", "alice", "-y")...)
		if field(doc, "data", "started") != true {
			t.Fatalf("create: %v", doc)
		}
		netuid = strings.TrimSuffix(strings.TrimSpace(jsonNum(field(doc, "data", "netuid"))), ".0")
		out := e.ok(with("subnets", "list")...)
		for _, col := range []string{"NETUID", "NEURONS", "MAX_N", "TEMPO", "EMISSION", "BURN"} {
			if !strings.Contains(out, col) {
				t.Fatalf("subnets list lacks %s:\n%s", col, out)
			}
		}
		checkWidth(t, out)
		doc = e.js(with("subnets", "list", "--sort-by", "netuid", "--sort-order", "desc")...)
		if len(doc["subnets"].([]any)) < 2 {
			t.Fatalf("subnets list: %v", doc)
		}
		e.fails(2, "", with("subnets", "list", "--sort-by", "nosuch")...)
		doc = e.js(with("subnets", "check-start", "--netuid", netuid)...)
		if doc["started"] != true {
			t.Fatalf("check-start: %v", doc)
		}
		e.fails(3, "FirstEmissionBlockNumberAlreadySet", with("subnets", "start", "--netuid", netuid, "--wallet.name", "alice", "-y")...)
		out = e.ok(with("subnets", "hyperparameters", "--netuid", netuid)...)
		if !strings.Contains(out, "commit_reveal_weights_enabled") || !strings.Contains(out, "NORMALIZED") {
			t.Fatalf("hyperparameters:\n%s", out)
		}
		doc = e.js(with("sudo", "get", "--netuid", netuid)...)
		if len(doc["hyperparameters"].([]any)) < 10 {
			t.Fatalf("sudo get: %v", doc)
		}
		e.fails(2, "", with("subnets", "show", "--netuid", "99")...)

		// Burned registration; again: exit 0 with the uid.
		doc = e.js(with("subnets", "register", "--netuid", netuid, "--wallet.name", "alice", "--wallet.hotkey", "miner", "-y")...)
		if field(doc, "data", "uid") != 1.0 {
			t.Fatalf("register: %v", doc)
		}
		out = e.ok(with("subnets", "register", "--netuid", netuid, "--wallet.name", "alice", "--wallet.hotkey", "miner", "-y")...)
		if !strings.Contains(out, "Already Registered") || !strings.Contains(out, "UID 1") {
			t.Fatalf("re-register: %s", out)
		}
		// PoW registration.
		doc = e.js(with("subnets", "pow-register", "--netuid", netuid, "--wallet.name", "bob", "--hotkey", "pow", "--processors", "1", "-y")...)
		if field(doc, "data", "uid") != 2.0 {
			t.Fatalf("pow-register: %v", doc)
		}
		// Registration disabled (root-only parameter: alice is the dev chain's sudo).
		e.ok(with("sudo", "set", "--netuid", netuid, "--param", "registration_allowed", "--value", "false", "--sudo", "--wallet.name", "alice", "-y")...)
		doc = e.fails(3, "SubNetRegistrationDisabled", with("subnets", "register", "--netuid", netuid, "--wallet.name", "bob", "-y")...)
		if !strings.Contains(doc["hint"].(string), "not allowed") {
			t.Fatalf("hint: %v", doc)
		}
		e.fails(3, "BadOrigin", with("sudo", "set", "--netuid", netuid, "--param", "registration_allowed", "--value", "true", "--wallet.name", "bob", "-y")...)
		e.ok(with("sudo", "set", "--netuid", netuid, "--param", "registration_allowed", "--value", "true", "--sudo", "--wallet.name", "alice", "-y")...)
		// Inside the admin freeze window the owner's (and root's) W-parameter changes are refused, saying when to retry.
		e.ok(with("sudo", "set", "--global", "--param", "admin_freeze_window", "--value", "11", "--wallet.name", "alice", "-y")...)
		doc = e.fails(3, "AdminActionProhibitedDuringWeightsWindow", with("sudo", "set", "--netuid", netuid, "--param", "rho", "--value", "11", "--wallet.name", "alice", "-y")...)
		if !strings.Contains(doc["hint"].(string), "try again in") {
			t.Fatalf("hint: %v", doc)
		}
		e.ok(with("sudo", "set", "--global", "--param", "admin_freeze_window", "--value", "0", "--wallet.name", "alice", "-y")...)
		// Old names: recycle_register and `subnet register` work and name the new command.
		code, out, errOut := e.run(with("recycle_register", "--netuid", netuid, "--wallet.name", "bob", "-y")...)
		if code != 0 || !strings.Contains(errOut, "subnets register") || !strings.Contains(out, "Registered on netuid") {
			t.Fatalf("recycle_register: %d %s %s", code, out, errOut)
		}
		code, out, errOut = e.run(with("subnet", "register", "--netuid", netuid, "--wallet.name", "bob", "-y")...)
		if code != 0 || !strings.Contains(errOut, "`gotensor subnets register`") || !strings.Contains(out, "Already Registered") {
			t.Fatalf("subnet register: %d %s %s", code, out, errOut)
		}
		// A full registration interval says when to try again.
		e.ok(with("sudo", "set", "--netuid", netuid, "--param", "target_regs_per_interval", "--value", "1", "--sudo", "--wallet.name", "alice", "-y")...)
		doc = e.fails(3, "TooManyRegistrationsThisInterval", with("subnets", "register", "--netuid", netuid, "--wallet.name", "bob", "--hotkey", "spare", "-y")...)
		if !strings.Contains(doc["hint"].(string), "try again in") {
			t.Fatalf("hint: %v", doc)
		}
		e.ok(with("sudo", "set", "--netuid", netuid, "--param", "target_registrations_per_interval", "--value", "64", "--sudo", "--wallet.name", "alice", "-y")...)
		code, out, errOut = e.run(with("register", "--netuid", netuid, "--wallet.name", "bob", "--hotkey", "pow", "-y")...)
		if code != 0 || !strings.Contains(errOut, "subnets pow-register") || !strings.Contains(out, "Already Registered") {
			t.Fatalf("register (old): %d %s %s", code, out, errOut)
		}
		code, out, errOut = e.run(with("list_subnets", "--json-output")...)
		if code != 0 || !strings.Contains(errOut, "subnets list") {
			t.Fatalf("list_subnets: %d %s", code, errOut)
		}
		decodeOne(t, out)
		doc = e.js(with("subnets", "root-register", "--wallet.name", "alice", "--hotkey", "miner", "-y")...)
		if field(doc, "data", "netuid") != 0.0 {
			t.Fatalf("root-register: %v", doc)
		}
		code, out, errOut = e.run(with("root", "register", "--wallet.name", "alice", "--hotkey", "miner", "-y")...)
		if code != 0 || !strings.Contains(errOut, "subnets root-register") || !strings.Contains(out, "Already Registered") {
			t.Fatalf("root register: %d %s %s", code, out, errOut)
		}
	})

	t.Run("stake", func(t *testing.T) {
		e.t = t
		doc := e.js(with("stake", "add", "--netuid", netuid, "--amount", "100", "--wallet.name", "alice", "-y")...)
		if field(doc, "data", "stake_after", "rao") == 0.0 {
			t.Fatalf("stake add: %v", doc)
		}
		e.fails(3, "NotEnoughBalanceToStake", with("stake", "add", "--netuid", netuid, "--amount", "9000000", "--wallet.name", "bob", "-y")...)
		e.fails(3, "AmountTooLow", with("stake", "add", "--netuid", netuid, "--amount", "0.000001", "--wallet.name", "bob", "-y")...)
		e.ok(with("stake", "add", "--netuid", netuid, "--amount", "2", "--wallet.name", "bob", "--hotkey-ss58", "pow", "-y")...)
		doc = e.js(with("stake", "remove", "--netuid", netuid, "--amount", "1", "--wallet.name", "bob", "--hotkey", "pow", "-y")...)
		if doc["success"] != true {
			t.Fatalf("stake remove: %v", doc)
		}
		doc = e.js(with("stake", "list", "--wallet.name", "alice")...)
		if len(doc["stakes"].([]any)) == 0 {
			t.Fatalf("stake list: %v", doc)
		}
		out := e.ok(with("stake", "list", "--wallet.name", "alice")...)
		if !strings.Contains(out, "Netuid") || !strings.Contains(out, "Total stake") {
			t.Fatalf("stake list table:\n%s", out)
		}
		checkWidth(t, out)
		doc = e.js(with("sudo", "set-take", "--take", "0.09", "--wallet.name", "alice", "-y")...)
		if doc["success"] != true {
			t.Fatalf("set-take: %v", doc)
		}
		doc = e.js(with("sudo", "get-take", "--wallet.name", "alice")...)
		if num(doc["take_u16"]) != 5898 {
			t.Fatalf("get-take: %v", doc)
		}
		e.fails(3, "DelegateTakeTooHigh", with("sudo", "set-take", "--take", "0.5", "--wallet.name", "alice", "-y")...)
		code, _, errOut := e.run(with("root", "nominate", "--wallet.name", "alice")...)
		if code != 0 || !strings.Contains(errOut, "sudo set-take") {
			t.Fatalf("root nominate: %d %s", code, errOut)
		}
	})

	t.Run("axon", func(t *testing.T) {
		e.t = t
		e.ok(with("sudo", "set", "--netuid", netuid, "--param", "serving_rate_limit", "--value", "0", "--wallet.name", "alice", "-y")...)
		e.ok(with("axon", "set", "--netuid", netuid, "--ip", "203.0.113.7", "--port", "8091", "--wallet.name", "alice", "--hotkey", "miner", "-y")...)
		doc := e.js(with("subnets", "show", "--netuid", netuid)...)
		u := doc["uids"].([]any)[1].(map[string]any)
		if u["axon"] != "203.0.113.7:8091" {
			t.Fatalf("axon: %v", u)
		}
		e.fails(3, "InvalidIpAddress", with("axon", "set", "--netuid", netuid, "--ip", "127.0.0.1", "--port", "8091", "--wallet.name", "alice", "--hotkey", "miner", "-y")...)
		e.js(with("axon", "reset", "--netuid", netuid, "--wallet.name", "alice", "--hotkey", "miner", "-y")...)
	})

	t.Run("overview and show", func(t *testing.T) {
		e.t = t
		out := e.ok(with("wallet", "overview", "--wallet.name", "alice", "--sort-by", "uid", "--sort-order", "desc")...)
		for _, col := range []string{"HOTKEY", "UID", "STAKE", "INCENTIVE", "DIVIDENDS", "VPERMIT", "Wallet free balance"} {
			if !strings.Contains(out, col) {
				t.Fatalf("overview lacks %s:\n%s", col, out)
			}
		}
		checkWidth(t, out)
		// The seed documents' spelling: a bare --netuid.
		if out := e.ok(with("wallet", "overview", "--wallet.name", "alice", "--netuid")...); !strings.Contains(out, "Subnet: "+netuid) {
			t.Fatalf("overview --netuid:\n%s", out)
		}
		doc := e.js(with("wallet", "overview", "--wallet.name", "alice", "--netuid", netuid)...)
		if len(doc["neurons"].([]any)) < 2 {
			t.Fatalf("overview json: %v", doc)
		}
		code, out, errOut := e.run(with("overview", "--wallet.name", "alice", "--json-output")...)
		if code != 0 || !strings.Contains(errOut, "wallet overview") {
			t.Fatalf("overview alias: %d %s", code, errOut)
		}
		decodeOne(t, out)
		out = e.ok(with("subnets", "show", "--netuid", netuid, "--sort-by", "STAKE", "--sort-order", "desc")...)
		if !strings.Contains(out, "UID") || !strings.Contains(out, "INCENTIVE") {
			t.Fatalf("show:\n%s", out)
		}
		checkWidth(t, out)
		doc = e.js(with("subnets", "metagraph", "--netuid", netuid)...)
		u := doc["uids"].([]any)[0].(map[string]any)
		for _, k := range []string{"uid", "hotkey", "coldkey", "stake", "rank", "trust", "consensus", "incentive", "dividends", "emission",
			"validator_trust", "validator_permit", "active", "last_update", "axon"} {
			if _, ok := u[k]; !ok {
				t.Fatalf("show json lacks %s: %v", k, u)
			}
		}
		code, out, errOut = e.run(with("metagraph", "--netuid", netuid)...)
		if code != 0 || !strings.Contains(errOut, "subnets show") || !strings.Contains(out, "UID") {
			t.Fatalf("metagraph alias: %d %s", code, errOut)
		}
		doc = e.js(with("wallet", "inspect", "--wallet.name", "alice")...)
		if len(doc["wallets"].([]any)) != 1 {
			t.Fatalf("inspect: %v", doc)
		}
		if out := e.ok(with("wallet", "inspect", "--wallet.name", "alice")...); !strings.Contains(out, "Balance") {
			t.Fatalf("inspect table: %s", out)
		}
	})

	t.Run("weights and reveal scheduler", func(t *testing.T) {
		e.t = t
		// Let weights go every block, and wait for alice's validator permit (stake added above, one epoch).
		e.ok(with("sudo", "set", "--netuid", netuid, "--param", "weights_rate_limit", "--value", "0", "--sudo", "--wallet.name", "alice", "-y")...)
		deadline := time.Now().Add(60 * time.Second)
		for {
			doc := e.js(with("weights", "status", "--netuid", netuid, "--wallet.name", "alice")...)
			if doc["validator_permit"] == true {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no validator permit: %v", doc)
			}
			time.Sleep(500 * time.Millisecond)
		}
		// Commit-reveal is on (the default): a direct set fails, `weights set` commits and schedules.
		e.fails(3, "CommitRevealEnabled", with("weights", "set", "--direct", "--netuid", netuid, "--uids", "0,1", "--weights", "0.5,0.5", "--wallet.name", "alice", "-y")...)
		doc := e.js(with("weights", "set", "--netuid", netuid, "--uids", "0,1", "--weights", "0.25,0.75", "--wallet.name", "alice", "-y")...)
		if field(doc, "data", "committed") != true || field(doc, "data", "first_reveal_block") == 0.0 {
			t.Fatalf("weights set on commit-reveal: %v", doc)
		}
		doc = e.js(with("weights", "status", "--netuid", netuid, "--wallet.name", "alice")...)
		if len(doc["pending_commits"].([]any)) != 1 {
			t.Fatalf("status: %v", doc)
		}
		if out := e.ok(with("weights", "status", "--netuid", netuid, "--wallet.name", "alice")...); !strings.Contains(out, "Pending commits") {
			t.Fatalf("status table: %s", out)
		}
		doc = e.js(with("weights", "reveal-pending", "--wait")...)
		if len(doc["results"].([]any)) != 1 || doc["results"].([]any)[0].(map[string]any)["action"] != "revealed" {
			t.Fatalf("reveal-pending: %v", doc)
		}

		// --wait-reveal stays until the weights are revealed.
		doc = e.js(with("weights", "set", "--netuid", netuid, "--uids", "0,1", "--weights", "0.6,0.4", "--wait-reveal", "--wallet.name", "alice", "-y")...)
		if num(field(doc, "data", "revealed_block")) == 0 {
			t.Fatalf("--wait-reveal: %v", doc)
		}

		// Across a restart: commit with --auto-reveal, start the daemon, stop it before the window, start
		// it again: the second run reveals the commit stored by the first process.
		doc = e.js(with("weights", "commit", "--netuid", netuid, "--uids", "0,1", "--weights", "1,1", "--auto-reveal", "--wallet.name", "alice", "-y")...)
		hash := field(doc, "data", "hash").(string)
		d1 := exec.Command(bin, append([]string{"weights", "daemon"}, N...)...)
		d1.Env = e.environ()
		if err := d1.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		d1.Process.Signal(syscall.SIGTERM)
		d1.Wait()
		d2 := exec.Command(bin, append([]string{"weights", "daemon", "--json-output"}, N...)...)
		d2.Env = e.environ()
		stdout, _ := d2.StdoutPipe()
		if err := d2.Start(); err != nil {
			t.Fatal(err)
		}
		revealed := make(chan map[string]any, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				var m map[string]any
				if json.Unmarshal(sc.Bytes(), &m) == nil && m["hash"] == hash {
					revealed <- m
					return
				}
			}
		}()
		select {
		case m := <-revealed:
			if m["action"] != "revealed" {
				t.Fatalf("daemon: %v", m)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("the restarted daemon did not reveal the commit")
		}
		d2.Process.Signal(syscall.SIGTERM)
		d2.Wait()
		// Nothing left: reveal-pending is a no-op.
		if out := e.ok(with("weights", "reveal-pending")...); !strings.Contains(out, "No pending commits") {
			t.Fatalf("reveal-pending after daemon: %s", out)
		}

		// Manual commit and reveal with a given salt; a second reveal finds no commit.
		doc = e.js(with("weights", "commit", "--netuid", netuid, "--uids", "0,1", "--weights", "2,1", "--salt", "1,2,3", "--wallet.name", "alice", "-y")...)
		first := int(num(field(doc, "data", "first_reveal_block")))
		for {
			st := e.js(with("weights", "status", "--netuid", netuid, "--wallet.name", "alice")...)
			if int(num(st["block"])) >= first {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		e.ok(with("weights", "reveal", "--netuid", netuid, "--uids", "0,1", "--weights", "65535,32768", "--salt", "1,2,3", "--wallet.name", "alice", "-y")...)
		e.fails(3, "NoWeightsCommitFound", with("weights", "reveal", "--netuid", netuid, "--uids", "0,1", "--weights", "1,1", "--salt", "1,2,3", "--wallet.name", "alice", "-y")...)

		// Commit-reveal off (owner path): weights set sets directly; commit fails.
		e.ok(with("sudo", "set", "--netuid", netuid, "--param", "commit_reveal_weights_enabled", "--value", "false", "--wallet.name", "alice", "-y")...)
		doc = e.js(with("weights", "set", "--netuid", netuid, "--uids", "0,1", "--weights", "0.5,0.5", "--wallet.name", "alice", "-y")...)
		if field(doc, "data", "committed") != false {
			t.Fatalf("direct set: %v", doc)
		}
		e.fails(3, "CommitRevealDisabled", with("weights", "commit", "--netuid", netuid, "--uids", "0", "--weights", "1", "--wallet.name", "alice", "-y")...)
		e.fails(3, "HotKeyNotRegisteredInSubNet", with("weights", "set", "--netuid", netuid, "--uids", "0,2", "--weights", "1,1", "--wallet.name", "bob", "--hotkey", "spare", "-y")...)
		e.fails(2, "", with("weights", "set", "--netuid", netuid, "--uids", "0,1", "--weights", "1", "--wallet.name", "alice", "-y")...)
	})

	t.Run("read commands in both forms", func(t *testing.T) {
		e.t = t
		for _, args := range [][]string{
			{"wallet", "balance", "--wallet.name", "bob"}, {"wallet", "overview", "--all"}, {"wallet", "inspect", "--all"},
			{"subnets", "list"}, {"subnets", "show", "--netuid", netuid}, {"subnets", "hyperparameters", "--netuid", netuid},
			{"subnets", "check-start", "--netuid", netuid}, {"subnets", "burn-cost"}, {"stake", "list", "--wallet.name", "bob"},
			{"sudo", "get", "--netuid", netuid}, {"sudo", "get-take", "--wallet.name", "alice"},
			{"weights", "status", "--netuid", netuid, "--wallet.name", "alice"}, {"weights", "reveal-pending"},
		} {
			out := e.ok(with(args...)...)
			if strings.TrimSpace(out) == "" || strings.HasPrefix(strings.TrimSpace(out), "{") {
				t.Errorf("%v: no table/text output:\n%s", args, out)
			}
			checkWidth(t, out)
			e.js(with(args...)...)
		}
	})

	t.Run("sim snapshot", func(t *testing.T) {
		e.t = t
		out := filepath.Join(tmp, "snap.json")
		e.ok(with("sim", "snapshot", "--netuid", netuid, "--out", out)...)
		code, stdout, errOut := e.run("sim", "run", out)
		if code != 0 {
			t.Fatalf("sim run on the snapshot: %d\n%s\n%s", code, stdout, errOut)
		}
	})
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// checkWidth fails when a table line is wider than 80 columns (COLUMNS=80 in the environment).
func checkWidth(t *testing.T, out string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > 80 && !strings.HasPrefix(l, "Wallet ") && !strings.HasPrefix(l, "Total value") {
			t.Errorf("line wider than 80 columns (%d): %q", n, l)
		}
	}
}
