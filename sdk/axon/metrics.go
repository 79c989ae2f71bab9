package axon

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the axon's Prometheus series, on a private registry.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	queue    prometheus.Gauge
	busy     prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gotensor", Subsystem: "axon", Name: "requests_total",
			Help: "Requests answered, by synapse and HTTP status code.",
		}, []string{"synapse", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "gotensor", Subsystem: "axon", Name: "request_duration_seconds",
			Help:    "Time from reading the request headers to the reply, by synapse.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 12, 30},
		}, []string{"synapse"}),
		queue: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "gotensor", Subsystem: "axon", Name: "queue_depth",
			Help: "Verified requests waiting for a worker.",
		}),
		busy: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "gotensor", Subsystem: "axon", Name: "workers_busy",
			Help: "Workers running a forward function.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.queue, m.busy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records one reply. name is a known synapse name or "unknown" (never caller-chosen text, which
// would let a client create unbounded series).
func (m *metrics) observe(name string, code int, seconds float64) {
	m.requests.WithLabelValues(name, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(name).Observe(seconds)
}
