package runtime_test

import (
	"os"
	"path/filepath"
	"testing"

	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
)

// TestScenarioScripts runs every testdata/scenarios/*.txt script on a fresh dev chain.
func TestScenarioScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario scripts: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sc.New(t, sc.Options{GrantPermits: true}).RunScript(string(b))
		})
	}
}
