package archguard

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/gotensor/gotensor"

// corePackages are the deterministic core (DESIGN.md §1) with their sub-packages.
var corePackages = []string{"chain/fixed", "chain/yuma", "chain/codec", "chain/kv", "chain/runtime"}

// forbiddenCoreImports may not be imported by a core package outside tests.
var forbiddenCoreImports = []string{"time", "math/rand", "math/rand/v2", "os", "net", "crypto/rand"}

// heavyModules slow every build that links them; only heavyAllowed packages may import them.
var heavyModules = []string{
	"github.com/cometbft/cometbft",
	"github.com/ethereum/go-ethereum/rpc",
	"github.com/cockroachdb/pebble",
}

var heavyAllowed = []string{"cmd/gotensor", "node/engine/comet", "node/ethrpc"}

// floatFuncs are functions that produce or consume floats without naming a float type.
var floatFuncs = map[string]bool{
	"strconv.ParseFloat": true, "strconv.FormatFloat": true, "strconv.AppendFloat": true,
}

type goFile struct {
	rel  string // slash path relative to the repository root
	pkg  string // slash directory relative to the repository root
	ast  *ast.File
	fset *token.FileSet
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("repository root not found at %s: %v", dir, err)
	}
	return dir
}

func parseRepo(t *testing.T) []goFile {
	t.Helper()
	root := repoRoot(t)
	var files []goFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		files = append(files, goFile{rel: rel, pkg: filepath.ToSlash(filepath.Dir(rel)), ast: f, fset: fset})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func underAny(pkg string, prefixes []string) bool {
	for _, p := range prefixes {
		if pkg == p || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}

func importPaths(f *ast.File) []string {
	var out []string
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		out = append(out, p)
	}
	return out
}

func TestCoreIsDeterministic(t *testing.T) {
	for _, f := range parseRepo(t) {
		if !underAny(f.pkg, corePackages) {
			continue
		}
		for _, p := range importPaths(f.ast) {
			if slices.Contains(forbiddenCoreImports, p) || strings.HasPrefix(p, "os/") || strings.HasPrefix(p, "net/") {
				t.Errorf("%s: core package imports %q (DESIGN.md §1: no clock, randomness or I/O)", f.rel, p)
			}
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Ident:
				switch x.Name {
				case "float32", "float64", "complex64", "complex128":
					t.Errorf("%s: core package uses %s (DESIGN.md §1: fixed point only)", f.fset.Position(x.Pos()), x.Name)
				}
			case *ast.BasicLit:
				if x.Kind == token.FLOAT || x.Kind == token.IMAG {
					t.Errorf("%s: core package has float literal %s", f.fset.Position(x.Pos()), x.Value)
				}
			case *ast.SelectorExpr:
				if pkg, ok := x.X.(*ast.Ident); ok {
					name := pkg.Name + "." + x.Sel.Name
					if floatFuncs[name] || (pkg.Name == "math" && !strings.HasPrefix(x.Sel.Name, "Max") && !strings.HasPrefix(x.Sel.Name, "Min")) {
						t.Errorf("%s: core package calls %s (floats)", f.fset.Position(x.Pos()), name)
					}
				}
			}
			return true
		})
	}
}

func TestHeavyModulesStayAtTheEdges(t *testing.T) {
	for _, f := range parseRepo(t) {
		if underAny(f.pkg, heavyAllowed) {
			continue
		}
		for _, p := range importPaths(f.ast) {
			for _, heavy := range heavyModules {
				if p == heavy || strings.HasPrefix(p, heavy+"/") {
					t.Errorf("%s imports %s: only %v may (they slow every build that links them)", f.rel, p, heavyAllowed)
				}
			}
		}
	}
}

// layering lists, for each layer, the layers of this module it must never import (DESIGN.md §1).
var layering = map[string][]string{
	"keys":          {"chain", "sdk", "node", "internal", "cmd", "examples", "dashboard", "sim"},
	"chain":         {"sdk", "node", "internal", "cmd", "examples", "dashboard", "sim"},
	"sdk":           {"chain/runtime", "chain/kv", "chain/yuma", "node", "internal", "cmd", "examples", "dashboard"},
	"node":          {"internal", "cmd", "examples", "dashboard"},
	"sim":           {"node", "internal", "cmd", "examples", "dashboard", "sdk"},
	"examples":      {"chain", "node", "internal", "cmd", "dashboard"},
	"chain/fixed":   {"chain/yuma", "chain/runtime", "chain/kv", "chain/tx"},
	"chain/yuma":    {"chain/runtime", "chain/kv", "chain/tx"},
	"chain/codec":   {"chain/runtime", "chain/kv", "chain/yuma"},
	"chain/kv":      {"chain/runtime", "chain/yuma"},
	"chain/tx":      {"chain/runtime", "chain/kv"},
	"chain/runtime": {},
}

func TestLayering(t *testing.T) {
	for _, f := range parseRepo(t) {
		for layer, banned := range layering {
			if !underAny(f.pkg, []string{layer}) {
				continue
			}
			for _, p := range importPaths(f.ast) {
				own, ok := strings.CutPrefix(p, modulePath+"/")
				if !ok {
					continue
				}
				if underAny(own, banned) {
					t.Errorf("%s (layer %s) imports %s: imports run downward only (DESIGN.md §1)", f.rel, layer, p)
				}
			}
		}
	}
}

// TestCoreDependencyGraphIsLight checks the transitive graph of the core, key and SDK packages too, so that
// a heavy module cannot sneak in through a library in between.
func TestCoreDependencyGraphIsLight(t *testing.T) {
	root := repoRoot(t)
	var pats []string
	for _, dir := range []string{"keys", "chain", "sdk", "sim"} {
		if _, err := os.Stat(filepath.Join(root, dir)); err == nil {
			pats = append(pats, "./"+dir+"/...")
		}
	}
	if len(pats) == 0 {
		t.Log("no core, key or SDK packages yet")
		return
	}
	cmd := exec.Command("go", append([]string{"list", "-deps"}, pats...)...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		for _, heavy := range heavyModules {
			if line == heavy || strings.HasPrefix(line, heavy+"/") {
				t.Errorf("core/SDK dependency graph contains %s", line)
			}
		}
	}
}

// TestGoldenCopyIsCurrent checks testdata/golden against ../shared/golden where that folder exists (it does in
// the development checkout and in CI); a fresh clone elsewhere tests against its own copy.
func TestGoldenCopyIsCurrent(t *testing.T) {
	root := repoRoot(t)
	shared := filepath.Join(root, "..", "shared", "golden")
	entries, err := os.ReadDir(shared)
	if err != nil {
		t.Logf("no %s here; testing against the committed copy only", shared)
		return
	}
	for _, e := range entries {
		want, err := os.ReadFile(filepath.Join(shared, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(root, "testdata", "golden", e.Name()))
		if err != nil {
			t.Errorf("testdata/golden/%s missing: copy ../shared/golden again", e.Name())
			continue
		}
		if string(got) != string(want) {
			t.Errorf("testdata/golden/%s differs from ../shared/golden: copy it again (never edit a vector)", e.Name())
		}
	}
}
