package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/sim"
)

func runCLI(t testing.TB, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Execute(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSimRunGolden(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/golden/epoch_*.json")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, mode := range []string{"", "sparse"} {
		args := []string{"sim", "run", "--check-derived"}
		if mode != "" {
			args = append(args, "--mode", mode)
		}
		code, out, errOut := runCLI(t, append(args, files...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
		if n := strings.Count(out, "PASS "); n != len(files) {
			t.Errorf("%d PASS lines for %d files:\n%s", n, len(files), out)
		}
		if !strings.Contains(out, "20 not applicable: gotensor computes rank/trust") {
			t.Errorf("rank/trust entries not reported apart:\n%s", out)
		}
	}
}

func TestSimRunJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "sim", "run", "--json-output", "--outputs", "dividends,incentive",
		"../../testdata/scenarios/two_validators_three_miners.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Files []struct {
			File  string `json:"file"`
			Cases []struct {
				Case   string `json:"case"`
				Epochs []struct {
					Step    int                 `json:"step"`
					Block   uint64              `json:"block"`
					Outputs map[string][]uint16 `json:"outputs"`
				} `json:"epochs"`
			} `json:"cases"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	ep := doc.Files[0].Cases[0].Epochs
	if len(ep) != 2 || ep[1].Step != 8 || ep[1].Block != 12 {
		t.Fatalf("epochs = %+v", ep)
	}
	if len(ep[1].Outputs) != 2 || ep[1].Outputs["incentive"][3] == 0 {
		t.Fatalf("outputs = %v", ep[1].Outputs)
	}
}

func TestSimRunFailureExit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.json")
	src := `{"schema":"yuma-golden/v1","cases":[{"case":"wrong","hyperparameters":{"tempo":1},"initial_block":1,"steps":[
	{"op":"register","uid":0,"alpha_stake":1},{"op":"epoch","rao_emission":10,"expect":[
	{"field":"dividends","uid":0,"cmp":"eq","value":5},{"field":"emission","uid":0,"cmp":"eq","value":10}]}]}]}`
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "sim", "run", path)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, `bad.json: case "wrong": step 1 (epoch): dividends uid 0: got 0, want eq 5`) {
		t.Errorf("stderr does not name the failure:\n%s", errOut)
	}
	if !strings.Contains(out, "FAIL "+path+": 1 case, 1 passed, 1 failed") {
		t.Errorf("summary:\n%s", out)
	}
	// A malformed file names the step and field; a bad flag is refused.
	if err := os.WriteFile(path, []byte(`{"schema":"yuma-golden/v1","cases":[{"case":"x","steps":[{"op":"set_block","block":"soon"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "sim", "run", path)
	if code != 1 || !strings.Contains(errOut, `step 0: set_block: field "block"`) {
		t.Errorf("exit %d, stderr %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "sim", "run", "--mode", "fast", path); code == 0 {
		t.Error("--mode fast accepted")
	}
	if code, _, _ := runCLI(t, "sim", "run", "--outputs", "nope", path); code == 0 {
		t.Error("--outputs nope accepted")
	}
}

// BenchmarkSimRunE2E: `gotensor sim run --json-output --outputs incentive,dividends` on a generated
// 64-validator, 4096-uid scenario with two weight rounds (Yuma3 + liquid alpha; three epochs in all: the
// first, without weights, only issues permits).
func BenchmarkSimRunE2E(b *testing.B) {
	path := filepath.Join(b.TempDir(), "synthetic.json")
	data := sim.SyntheticScenario(4096, 64, 2, true, true)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(data))/1e6, "MB")
	for b.Loop() {
		code := Execute([]string{"sim", "run", "--json-output", "--outputs", "incentive,dividends", path}, strings.NewReader(""), io.Discard, io.Discard)
		if code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
