package sim

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/chain/yuma"
)

func goldenFiles(t testing.TB) []string {
	files, err := filepath.Glob("../testdata/golden/epoch_*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden epoch files: %v", err)
	}
	return files
}

func runPath(t testing.TB, path string, opts Options) *FileResult {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := RunFile(filepath.Base(path), data, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fr
}

// TestGoldenFiles runs every golden epoch file as written (sparse and dense cases alike), checking every
// expectation and every derived_reference bit for bit.
func TestGoldenFiles(t *testing.T) {
	for _, path := range goldenFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fr := runPath(t, path, Options{CheckDerived: true})
			passed, derived := 0, 0
			for _, c := range fr.Cases {
				for _, f := range c.Failures {
					t.Error(f)
				}
				passed += c.Passed
				derived += c.DerivedPassed
			}
			if passed == 0 {
				t.Error("no expectation was checked")
			}
			// Every file but the 512-uid one carries derived references.
			if derived == 0 && !strings.Contains(path, "512_graph") {
				t.Error("no derived_reference was compared")
			}
		})
	}
}

// TestGoldenFilesForcedModes runs every file with --mode sparse and --mode dense. The expectations hold in
// both modes except where the spec says the paths differ: the subnet-owner exceptions exist only in the
// sparse path (spec/yuma.md §9), which epoch_test_can_set_self_weight_as_subnet_owner asserts.
func TestGoldenFilesForcedModes(t *testing.T) {
	for _, m := range []yuma.Mode{yuma.Sparse, yuma.Dense} {
		for _, path := range goldenFiles(t) {
			t.Run(m.String()+"/"+filepath.Base(path), func(t *testing.T) {
				fr := runPath(t, path, Options{Mode: &m})
				failed := 0
				for _, c := range fr.Cases {
					failed += c.Failed
				}
				ownerOnly := strings.Contains(path, "subnet_owner")
				switch {
				case m == yuma.Dense && ownerOnly:
					if failed == 0 {
						t.Error("the dense path has no owner exception, so the owner's self-weight test should fail")
					}
				case failed > 0:
					for _, c := range fr.Cases {
						for _, f := range c.Failures {
							t.Error(f)
						}
					}
				}
			})
		}
	}
}

func TestRankTrustNotApplicable(t *testing.T) {
	fr := runPath(t, "../testdata/golden/epoch_test_10_graph.json", Options{})
	c := fr.Cases[0]
	if c.NotApplicable != 20 || c.Failed != 0 {
		t.Fatalf("not applicable = %d, failed = %d; want 20 rank/trust entries apart and no failure", c.NotApplicable, c.Failed)
	}
}

func TestExampleScenarios(t *testing.T) {
	files, _ := filepath.Glob("../testdata/scenarios/*.json")
	if len(files) == 0 {
		t.Fatal("no example scenarios")
	}
	for _, path := range files {
		for _, m := range []yuma.Mode{yuma.Sparse, yuma.Dense} {
			fr := runPath(t, path, Options{Mode: &m})
			for _, c := range fr.Cases {
				for _, f := range c.Failures {
					t.Errorf("%v: %s", m, f)
				}
			}
		}
	}
}

func TestFailuresNameEverything(t *testing.T) {
	src := `{"schema":"yuma-golden/v1","cases":[{"case":"c1","hyperparameters":{"tempo":1},"initial_block":1,"steps":[
	{"op":"register","uid":0,"alpha_stake":1},
	{"op":"register","uid":1,"alpha_stake":1},
	{"op":"epoch","mode":"sparse","rao_emission":100,"expect":[
	  {"field":"emission","uid":1,"cmp":"eq","value":7},
	  {"field":"bond","row":0,"col":1,"cmp":"gt","value":0},
	  {"field":"trust","uids":[0,1],"cmp":"eq","value":0}]}]}]}`
	fr, err := RunFile("x.json", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := fr.Cases[0]
	if c.Failed != 2 || c.NotApplicable != 2 || c.Passed != 0 {
		t.Fatalf("failed %d, n/a %d, passed %d", c.Failed, c.NotApplicable, c.Passed)
	}
	got := c.Failures[0].String()
	for _, want := range []string{"x.json", `case "c1"`, "step 2", "emission uid 1", "got 50", "want eq 7"} {
		if !strings.Contains(got, want) {
			t.Errorf("failure %q lacks %q", got, want)
		}
	}
	if got := c.Failures[1].String(); !strings.Contains(got, "bond row 0 col 1") {
		t.Errorf("bond failure %q does not name row and column", got)
	}
}

func TestDecodeErrorsNameStepAndField(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`{"schema":"yuma-golden/v1","cases":[{"case":"a","steps":[{"op":"register","uid":0,"alpha_stake":1},{"op":"set_weights","uid":0,"dests":[1],"values":[70000]}]}]}`,
			`case 0 ("a"): step 1: set_weights: field "values": line 1`},
		{`{"schema":"yuma-golden/v1","cases":[{"case":"a","steps":[{"op":"epoch","mode":"fast"}]}]}`,
			`step 0: epoch: field "mode": unknown mode "fast"`},
		{`{"schema":"yuma-golden/v1","cases":[{"case":"a","steps":[{"op":"jump"}]}]}`, `step 0: field "op": unknown op "jump"`},
		{`{"schema":"yuma-golden/v1","cases":[{"case":"a","steps":[{"op":"set_block"}]}]}`, `step 0: set_block: missing field "block"`},
		{`{"schema":"yuma-golden/v1","cases":[{"case":"a","hyperparameters":{"kapa":1},"steps":[]}]}`, `unknown hyperparameter "kapa"`},
		{`{"schema":"yuma-golden/v1","cases":[{"case":"a","steps":[{"op":"epoch","expect":[{"field":"dividends","uid":0,"cmp":"eq"}]}]}]}`,
			`step 0: epoch: field "expect": entry 0: cmp "eq" needs "value" or "ref"`},
		{`{"schema":"other"}`, `unsupported schema "other"`},
		{`{"schema":"yuma-golden/v1","cases":[`, `line 1 column`},
	} {
		_, err := Decode([]byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%s):\n got  %v\n want …%s…", c.src, err, c.want)
		}
	}
	// A step that refers to a uid that does not exist stops the case, naming the step.
	_, err := RunFile("f.json", []byte(`{"schema":"yuma-golden/v1","cases":[{"case":"a","steps":[{"op":"set_stake","uid":3,"alpha_stake":1}]}]}`), Options{})
	if err == nil || !strings.Contains(err.Error(), `case "a": step 0 (set_stake): field "uid": uid 3 is not registered`) {
		t.Errorf("run error = %v", err)
	}
}

func TestWriteJSON(t *testing.T) {
	fr := runPath(t, "../testdata/golden/epoch_test_bonds.json", Options{Record: true, RecordBonds: true, CheckDerived: true})
	var buf bytes.Buffer
	if err := WriteJSON(&buf, []*FileResult{fr}, OutputFields); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []struct {
			File  string
			Cases []struct {
				Case   string
				Epochs []struct {
					Step    int
					Block   uint64
					Outputs map[string]json.RawMessage
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	ep := doc.Files[0].Cases[0].Epochs
	if len(ep) != 9 || ep[0].Step != 8 || len(ep[0].Outputs) != len(OutputFields) {
		t.Fatalf("unexpected document shape: %d epochs, first step %d", len(ep), ep[0].Step)
	}
	// The derived reference of the last epoch equals the printed outputs.
	data, _ := os.ReadFile("../testdata/golden/epoch_test_bonds.json")
	f, _ := Decode(data)
	var last *Derived
	for _, st := range f.Cases[0].Steps {
		if st.Derived != nil {
			last = st.Derived
		}
	}
	var bonds [][]uint16
	if err := json.Unmarshal(ep[8].Outputs["bonds_u16"], &bonds); err != nil {
		t.Fatal(err)
	}
	if len(bonds) != len(last.Bonds) {
		t.Fatalf("bonds_u16 has %d rows, want %d", len(bonds), len(last.Bonds))
	}
	for i := range bonds {
		for j := range bonds[i] {
			if bonds[i][j] != last.Bonds[i][j] {
				t.Fatalf("bonds_u16[%d][%d] = %d, want %d", i, j, bonds[i][j], last.Bonds[i][j])
			}
		}
	}
	if _, err := ParseOutputFields("incentive,nope"); err == nil {
		t.Error("unknown output accepted")
	}
	fs, _ := ParseOutputFields("dividends, incentive")
	if strings.Join(fs, ",") != "incentive,dividends" {
		t.Errorf("fields = %v", fs)
	}
}

func FuzzDecode(f *testing.F) {
	for _, p := range []string{"../testdata/golden/epoch_test_1_graph.json", "../testdata/golden/epoch_test_can_set_self_weight_as_subnet_owner.json",
		"../testdata/golden/epoch_test_liquid_alpha_equal_values_against_itself.json", "../testdata/scenarios/two_validators_three_miners.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"schema":"yuma-golden/v1","cases":[{"case":"\u00e9\ud83d\ude00","steps":[{"op":"set_hyperparameter","name":"subnet_owner_uid","value":null}]}]}`))
	f.Add([]byte(`{"schema":"yuma-golden/v1","cases":[{"steps":[{"op":"epoch","expect":[{"field":"x","uids":[1e3],"cmp":"eq","value":-1.5e-3}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		f, err := Decode(data)
		if err != nil {
			return
		}
		// Whatever decodes must also run without panicking (errors are fine).
		if len(data) < 4096 {
			_, _ = Run("fuzz.json", f, Options{CheckDerived: true, Record: true, RecordBonds: true})
		}
	})
}

func BenchmarkDecode5MB(b *testing.B) {
	data := SyntheticScenario(4096, 64, 2, true, true)
	b.SetBytes(int64(len(data)))
	b.ReportMetric(float64(len(data))/1e6, "MB")
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
