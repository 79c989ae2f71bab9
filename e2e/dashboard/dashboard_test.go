// Package dashboard_test drives the dashboard in a real headless Chromium (Debian's `chromium`; set
// $CHROMIUM to use another binary): it runs `gotensor localnet` with the dashboard on, opens the page,
// and checks the JavaScript-rendered uid rows, that the page changes as new blocks arrive, and saves a
// screenshot ($GOTENSOR_ARTIFACTS/dashboard.png, default in the system temporary folder).
package dashboard_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

func chromium(t *testing.T) string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: install Debian's chromium (scripts/test does) or set $CHROMIUM")
	return ""
}

func TestDashboardInChromium(t *testing.T) {
	browser := chromium(t)
	bin := binary(t)
	cmd := exec.Command(bin, "localnet", "--home", filepath.Join(t.TempDir(), "ln"), "--rpc-addr", "127.0.0.1:0",
		"--dashboard-addr", "127.0.0.1:0", "--eth-addr", "", "--validators", "1", "--miners", "3", "--blocks", "600")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	url := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "dashboard: "); ok && strings.HasPrefix(u, "http") {
				url <- u
			}
		}
	}()
	var page string
	select {
	case page = <-url:
	case <-time.After(90 * time.Second):
		t.Fatal("localnet printed no dashboard address within 90 s")
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1400, 1000))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()

	// The rows are rendered by JavaScript from the WebSocket snapshot: the HTML has none.
	var rows int
	var head1 string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(`#uid-row-4`, chromedp.ByQuery), // owner + 1 validator + 3 miners
		chromedp.Evaluate(`document.querySelectorAll("#rows tr[id^='uid-row-']").length`, &rows),
		chromedp.Text(`#head`, &head1, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("load the dashboard at %s: %v", page, err)
	}
	if rows != 5 {
		t.Errorf("%d uid rows rendered, want 5", rows)
	}
	var hotkey string
	if err := chromedp.Run(ctx, chromedp.Text(`#uid-row-1 td.hk`, &hotkey, chromedp.ByQuery)); err != nil || !strings.Contains(hotkey, "…") {
		t.Errorf("uid 1's hotkey cell reads %q (%v)", hotkey, err)
	}

	// A new block changes the page without a reload.
	deadline := time.Now().Add(30 * time.Second)
	var head2 string
	for {
		if err := chromedp.Run(ctx, chromedp.Sleep(300*time.Millisecond), chromedp.Text(`#head`, &head2, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		if head2 != head1 && head2 != "–" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the block number stayed at %s for 30 s", head1)
		}
	}
	var status string
	if err := chromedp.Run(ctx, chromedp.Text(`#status`, &status, chromedp.ByQuery)); err != nil || status != "live" {
		t.Errorf("WebSocket status %q (%v), want live", status, err)
	}

	// Let a few epochs pass so the charts have lines and the heat map has weights, then take the picture.
	var polylines int
	var epochs int
	deadline = time.Now().Add(60 * time.Second)
	for epochs < 4 || polylines == 0 {
		if err := chromedp.Run(ctx, chromedp.Sleep(time.Second),
			chromedp.Evaluate(`document.querySelectorAll("#chart-incentive polyline").length`, &polylines),
			chromedp.Evaluate(`parseInt((document.querySelector("#chart-incentive text:last-of-type")||{}).textContent||"0")`, &epochs)); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("charts not drawn after 60 s (%d incentive lines, %d epochs)", polylines, epochs)
		}
	}
	var shot []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&shot, 100)); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("GOTENSOR_ARTIFACTS")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, "dashboard.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("blocks %s → %s, %d uid rows, %d incentive lines; screenshot %s (%d bytes)", head1, head2, rows, polylines, path, len(shot))
}
