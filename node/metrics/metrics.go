// Package metrics is the node's Prometheus instrumentation, on a private registry served at
// --metrics.addr (/metrics).
package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the node's collectors. A nil *Metrics is valid and records nothing.
type Metrics struct {
	Registry      *prometheus.Registry
	Height        prometheus.Gauge
	BlockTime     prometheus.Histogram // time to execute and commit a block
	BlockInterval prometheus.Histogram // wall time between consecutive committed blocks
	BlockTxs      prometheus.Histogram
	MempoolTxs    prometheus.Gauge
	MempoolBytes  prometheus.Gauge
	TxResults     *prometheus.CounterVec // by call and error ("" = success)
	Admission     *prometheus.CounterVec // mempool admission outcomes by error ("" = admitted)
	EpochDuration prometheus.Histogram   // BeginBlock time of blocks in which epochs ran
	Epochs        prometheus.Counter
	RPCRequests   *prometheus.CounterVec // by method and outcome
}

// New builds the collectors on a fresh registry (with the Go and process collectors).
func New() *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Registry: r,
		Height:   prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "gotensor", Name: "block_height", Help: "Height of the last committed block."}),
		BlockTime: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "gotensor", Name: "block_execution_seconds",
			Help: "Time to execute and commit a block.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
		BlockInterval: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "gotensor", Name: "block_interval_seconds",
			Help: "Wall time between consecutive committed blocks.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}),
		BlockTxs: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "gotensor", Name: "block_transactions",
			Help: "Transactions per block.", Buckets: prometheus.ExponentialBuckets(1, 4, 9)}),
		MempoolTxs:   prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "gotensor", Name: "mempool_transactions", Help: "Transactions in the mempool."}),
		MempoolBytes: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "gotensor", Name: "mempool_bytes", Help: "Encoded bytes in the mempool."}),
		TxResults: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "gotensor", Name: "tx_results_total",
			Help: "Delivered transactions by call and error (empty error = success)."}, []string{"call", "error"}),
		Admission: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "gotensor", Name: "mempool_admission_total",
			Help: "Submitted transactions by admission outcome (empty error = admitted)."}, []string{"error"}),
		EpochDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "gotensor", Name: "epoch_duration_seconds",
			Help: "BeginBlock time of blocks in which at least one subnet epoch ran.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
		Epochs: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "gotensor", Name: "epochs_total", Help: "Subnet epochs run."}),
		RPCRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "gotensor", Name: "rpc_requests_total",
			Help: "JSON-RPC requests by method and outcome."}, []string{"method", "outcome"}),
	}
	r.MustRegister(m.Height, m.BlockTime, m.BlockInterval, m.BlockTxs, m.MempoolTxs, m.MempoolBytes, m.TxResults,
		m.Admission, m.EpochDuration, m.Epochs, m.RPCRequests)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Serve listens on addr and serves /metrics until ctx ends. It returns the bound address.
func (m *Metrics) Serve(ctx context.Context, addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err
		}
	}()
	return ln.Addr(), nil
}
