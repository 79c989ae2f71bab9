package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/sdk/client"
)

// The package's tests never read the developer's ~/.gotensor/config.yml (its wallet and network
// defaults would change what the commands under test do).
func init() {
	if dir, err := os.MkdirTemp("", "gotensor-cli-test"); err == nil {
		os.Setenv("GOTENSOR_CONFIG", filepath.Join(dir, "config.yml"))
	}
}

func TestParseTAO(t *testing.T) {
	for in, want := range map[string]client.Balance{
		"1.5": 1_500_000_000, "τ2": 2_000_000_000, "0.000000001": 1, ".5": 500_000_000, "1_000": 1_000_000_000_000, "0": 0,
	} {
		if got, err := parseTAO(in, "--amount"); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "abc", "1.0000000001", "1e3", "99999999999999999999"} {
		_, err := parseTAO(bad, "--amount")
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--amount") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if s := client.Balance(1_500_000_000).String(); s != "τ1.500000000" {
		t.Fatal(s)
	}
}

func TestResolveNetwork(t *testing.T) {
	t.Setenv("GOTENSOR_CONFIG", t.TempDir()+"/config.yml")
	t.Setenv("GOTENSOR_NETWORK", "")
	for _, c := range []struct {
		in   []string
		want string
	}{{nil, "ws://127.0.0.1:9944"}, {[]string{"local"}, "ws://127.0.0.1:9944"}, {[]string{"finney", "ws://h:1"}, "ws://h:1"}} {
		o := chainOptions{Network: c.in}
		if got, _, err := o.resolveNetwork(); err != nil || got != c.want {
			t.Errorf("%v: %q %v", c.in, got, err)
		}
	}
	// Substrate networks by name select the substrate backend; URLs are probed at connect time.
	for name, want := range map[string]string{"finney": "wss://entrypoint-finney.opentensor.ai:443", "test": "wss://test.finney.opentensor.ai:443",
		"archive": "wss://archive.chain.opentensor.ai:443"} {
		o := chainOptions{Network: []string{name}}
		if tg, err := o.resolveTarget(); err != nil || tg.url != want || tg.kind != backendSubstrate {
			t.Errorf("%s: %+v %v", name, tg, err)
		}
	}
	if tg, _ := (&chainOptions{Network: []string{"ws://127.0.0.1:9"}}).resolveTarget(); tg.kind != backendProbe {
		t.Errorf("a URL is probed: %+v", tg)
	}
	for _, bad := range []string{"nonsense", "ftp://x"} {
		o := chainOptions{Network: []string{bad}}
		if _, _, err := o.resolveNetwork(); err == nil {
			t.Errorf("%q accepted", bad)
		} else if code, _, _ := classify(err); code != exitUsage {
			t.Errorf("%q: exit %d", bad, code)
		}
	}
}

func TestClassify(t *testing.T) {
	code, name, hint := classify(withHint(&client.TxError{Name: "TooManyRegistrationsThisInterval"}, "try again in 37 blocks"))
	if code != exitChainRefuse || name != "TooManyRegistrationsThisInterval" || hint != "try again in 37 blocks" {
		t.Fatal(code, name, hint)
	}
	if code, _, _ := classify(client.ErrNoNode); code != exitNoNode {
		t.Fatal(code)
	}
	if code, _, _ := classify(missingFlag("--netuid", "netuid")); code != exitUsage {
		t.Fatal(code)
	}
}

func TestTableFitsAndSorts(t *testing.T) {
	tb := &table{Cols: []column{{Name: "UID", Right: true}, {Name: "STAKE(τ)", Right: true}, {Name: "HOTKEY"},
		{Name: "LONG_COLUMN_A", Drop: 1}, {Name: "LONG_COLUMN_B", Drop: 2}}}
	tb.add("2", "τ1.5000", "5Grwva…utQY", strings.Repeat("a", 30), strings.Repeat("b", 30))
	tb.add("10", "τ0.2500", "5FHneW…94ty", "x", "y")
	if err := tb.sortRows(sortOptions{By: "stake", Order: "desc"}); err != nil || tb.Rows[0][0] != "2" {
		t.Fatalf("%v %v", err, tb.Rows)
	}
	if err := tb.sortRows(sortOptions{By: "uid"}); err != nil || tb.Rows[0][0] != "2" {
		t.Fatalf("numeric sort: %v", tb.Rows)
	}
	if err := tb.sortRows(sortOptions{By: "nope"}); err == nil {
		t.Fatal("unknown column accepted")
	}
	var b bytes.Buffer
	tb.render(&b, 60)
	out := b.String()
	if strings.Contains(strings.Split(out, "\n")[0], "LONG_COLUMN_B") || !strings.Contains(out, "hidden to fit 60 columns:") {
		t.Fatalf("%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > 60 {
			t.Errorf("too wide: %q", l)
		}
	}
}

func TestConfigSetGetClear(t *testing.T) {
	t.Setenv("GOTENSOR_CONFIG", t.TempDir()+"/config.yml")
	mustRun(t, "config", "set", "--network", "ws://127.0.0.1:1234", "--wallet.name", "mine", "--hotkey", "hk")
	c, err := loadConfig()
	if err != nil || c.Network != "ws://127.0.0.1:1234" || c.WalletName != "mine" || c.WalletHotkey != "hk" {
		t.Fatalf("%+v %v", c, err)
	}
	var wo walletOptions
	t.Setenv("BT_WALLET_NAME", "")
	t.Setenv("BT_WALLET_HOTKEY", "")
	wo.resolve()
	if wo.Name != "mine" || wo.Hotkey != "hk" {
		t.Fatalf("wallet defaults from config: %+v", wo)
	}
	if code, _, errOut := run(t, "config", "set", "--network", "finney"); code != 0 {
		t.Fatalf("finney may be stored (it fails when used): %d %s", code, errOut)
	}
	mustRun(t, "config", "clear", "--all")
	if c, _ := loadConfig(); c.Network != "" || c.WalletName != "" {
		t.Fatalf("%+v", c)
	}
}

func TestBlocksUntilAdjustment(t *testing.T) {
	// Registered in block 423, interval 100: resets in blocks 424, 524, 624, ...
	for head, want := range map[uint64]uint64{423: 1, 424: 100, 500: 24, 522: 2, 523: 1, 10: 414} {
		if got := blocksUntilAdjustment(423, 100, head); got != want {
			t.Errorf("head %d: %d, want %d", head, got, want)
		}
	}
	// Registered before the first interval ends: resets at multiples of the interval.
	if got := blocksUntilAdjustment(5, 360, 100); got != 260 {
		t.Errorf("%d", got)
	}
}
