package metrics

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestServe(t *testing.T) {
	m := New()
	m.Height.Set(42)
	m.TxResults.WithLabelValues("transfer", "").Inc()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := m.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr.String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"gotensor_block_height 42", `gotensor_tx_results_total{call="transfer",error=""} 1`, "go_goroutines"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %q in /metrics", want)
		}
	}
}
