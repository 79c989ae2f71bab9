package runtime_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
)

// TestDocsListEverything keeps docs/chain.md in step with the code: every hyper-parameter, chain-wide
// parameter and error must appear in it. GOTENSOR_DOCGEN=1 prints the parameter tables.
func TestDocsListEverything(t *testing.T) {
	if os.Getenv("GOTENSOR_DOCGEN") != "" {
		var b strings.Builder
		b.WriteString("| hyper-parameter | default (mainnet-like) | setter | freeze window | range | note |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, p := range runtime.Hyperparameters() {
			w := ""
			if p.Freeze {
				w = "W"
			}
			fmt.Fprintf(&b, "| `%s` | %d | %s | %s | %d..=%d | %s |\n", p.Name, p.Default, p.Setter, w, p.Min, p.Max, p.Note)
		}
		b.WriteString("\n| global parameter | default (mainnet-like) | settable by sudo | note |\n| --- | --- | --- | --- |\n")
		for _, g := range runtime.GlobalParameters() {
			fmt.Fprintf(&b, "| `%s` | %d | %v | %s |\n", g.Name, g.Default, g.Settable, g.Note)
		}
		b.WriteString("\n| error | code |\n| --- | --- |\n")
		for _, e := range runtime.Errors() {
			fmt.Fprintf(&b, "| `%s` | %d |\n", e.Name, e.Code)
		}
		fmt.Println(b.String())
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "chain.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	for _, p := range runtime.Hyperparameters() {
		if !strings.Contains(text, "`"+p.Name+"`") {
			t.Errorf("docs/chain.md does not list hyper-parameter %s", p.Name)
		}
	}
	for _, g := range runtime.GlobalParameters() {
		if !strings.Contains(text, "`"+g.Name+"`") {
			t.Errorf("docs/chain.md does not list global parameter %s", g.Name)
		}
	}
	for _, e := range runtime.Errors() {
		if !strings.Contains(text, "`"+e.Name+"`") {
			t.Errorf("docs/chain.md does not list error %s", e.Name)
		}
	}
}
