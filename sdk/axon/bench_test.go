package axon

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// benchSyn is a tiny synapse: one int in, one int out.
type benchSyn struct {
	synapse.Base
	Input  int  `json:"input" synapse:"required,hash"`
	Output *int `json:"output"`
}

// presign builds n complete HTTP/1.1 requests (headers + json.dumps body), signed by signer for the axon
// hotkey, spread over conns dendrite uuids with increasing nonces per uuid. Signing happens here, before
// any timing, so it does not compete with the axon for the cores.
func presign(tb testing.TB, signer *keys.Keypair, axonHotkey string, n, conns int) [][][]byte {
	tb.Helper()
	out := make([][][]byte, conns)
	base := time.Now().UnixNano()
	lastBase.Store(base)
	var wg sync.WaitGroup
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			uuid := fmt.Sprintf("bench-%d-%d", base, c)
			for i := c; i < n; i += conns {
				nonce := base + int64(i)
				s := &benchSyn{Input: i}
				_ = synapse.ApplyDefaults(s)
				s.Dendrite = synapse.TerminalInfo{IP: synapse.Ptr("127.0.0.1"), Version: synapse.Ptr(int64(synapse.ProtocolVersion)),
					Nonce: &nonce, UUID: &uuid, Hotkey: synapse.Ptr(signer.SS58())}
				s.Axon = synapse.TerminalInfo{IP: synapse.Ptr("127.0.0.1"), Port: synapse.Ptr(8091), Hotkey: &axonHotkey}
				hash, _ := synapse.BodyHash(s)
				sig, err := signer.Sign([]byte(synapse.SignatureMessage(nonce, signer.SS58(), axonHotkey, uuid, hash)))
				if err != nil {
					panic(err)
				}
				s.Dendrite.Signature = synapse.Ptr("0x" + hex.EncodeToString(sig[:]))
				h, _ := synapse.ToHeaders(s)
				body, _ := synapse.Marshal(s, synapse.StyleDumps)
				var b bytes.Buffer
				b.WriteString("POST /benchSyn HTTP/1.1\r\nHost: axon\r\nContent-Type: application/json\r\n")
				for _, kv := range h {
					b.WriteString(kv.Key + ": " + kv.Value + "\r\n")
				}
				b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
				b.Write(body)
				out[c] = append(out[c], b.Bytes())
			}
		}()
	}
	wg.Wait()
	return out
}

// lastBase is the nonce base of the latest presign. Signing many requests can take longer than the 16 s
// first-contact window on a busy machine, so the bench axon's clock is frozen just after that base once
// signing is done (benchClock): the requests are then exactly as fresh as a live dendrite's.
var (
	lastBase   atomic.Int64
	benchClock atomic.Int64
)

func benchNow() time.Time {
	if c := benchClock.Load(); c != 0 {
		return time.Unix(0, c)
	}
	return time.Now()
}

// freezeClock sets the bench axon's clock to 1 s after the latest presign base.
func freezeClock() { benchClock.Store(lastBase.Load() + int64(time.Second)) }

// readReply reads one HTTP/1.1 reply with a Content-Length and returns its status.
func readReply(br *bufio.Reader) (int, error) {
	status, clen := 0, -1
	for first := true; ; first = false {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if first {
			if len(line) < 12 {
				return 0, fmt.Errorf("bad status line %q", line)
			}
			status, _ = strconv.Atoi(string(line[9:12]))
			continue
		}
		if len(line) <= 2 {
			break
		}
		if len(line) > 16 && (line[0] == 'C' || line[0] == 'c') && bytes.EqualFold(line[:15], []byte("content-length:")) {
			clen, _ = strconv.Atoi(string(bytes.TrimSpace(line[15:])))
		}
	}
	if clen < 0 {
		return 0, fmt.Errorf("no content-length")
	}
	_, err := br.Discard(clen)
	return status, err
}

func startBenchAxon(tb testing.TB, workers int) (*Axon, string) {
	tb.Helper()
	bob, _ := keys.FromURI("//Bob")
	benchClock.Store(0)
	a, err := New(bob, Config{IP: "127.0.0.1", MaxWorkers: workers, QueueSize: 1 << 14, Logger: discardLogger(), Now: benchNow})
	if err != nil {
		tb.Fatal(err)
	}
	if err := Attach(a, Handler[*benchSyn]{Forward: func(_ context.Context, _ *Request, s *benchSyn) error {
		s.Output = synapse.Ptr(s.Input + 1)
		return nil
	}}); err != nil {
		tb.Fatal(err)
	}
	if err := a.Start(); err != nil {
		tb.Fatal(err)
	}
	return a, a.Addr().String()
}

// closedLoop sends every pre-signed request over its connection, one at a time per connection, and returns
// the elapsed time.
func closedLoop(tb testing.TB, addr string, reqs [][][]byte) time.Duration {
	tb.Helper()
	var wg sync.WaitGroup
	var failed atomic.Int64
	start := time.Now()
	for _, rs := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				failed.Add(int64(len(rs)))
				return
			}
			defer c.Close()
			br := bufio.NewReaderSize(c, 8192)
			for _, r := range rs {
				if _, err := c.Write(r); err != nil {
					failed.Add(1)
					return
				}
				st, err := readReply(br)
				if err != nil || st != 200 {
					failed.Add(1)
					if err != nil {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	if f := failed.Load(); f > 0 {
		tb.Fatalf("%d requests failed", f)
	}
	return d
}

// verifyRate measures the axon's own verifier (SS58 decode cache, nonce memory, sr25519 verify) with one
// goroutine per core for about dur.
func verifyRate(tb testing.TB, n int, dur time.Duration) float64 {
	tb.Helper()
	alice, _ := keys.FromURI("//Alice")
	bob, _ := keys.FromURI("//Bob")
	base := time.Now().UnixNano()
	var clock atomic.Int64
	clock.Store(base - int64(time.Second))
	v := newVerifier(bob.SS58(), func() time.Time { return time.Unix(0, clock.Load()) }, time.Minute, 1<<16)
	cs := make([]claims, n)
	for i := range cs {
		nonce := base + int64(i)
		uuid := "v-" + strconv.Itoa(i)
		hash := synapse.EmptyBodyHash
		sig, _ := alice.Sign([]byte(synapse.SignatureMessage(nonce, alice.SS58(), bob.SS58(), uuid, hash)))
		cs[i] = claims{hotkey: alice.SS58(), uuid: uuid, nonce: &nonce, version: synapse.Ptr(int64(synapse.ProtocolVersion)),
			signature: "0x" + hex.EncodeToString(sig[:]), hasSig: true, bodyHash: hash, timeoutSecs: 12}
	}
	clock.Store(base + int64(time.Second))
	return parallelRate(n, dur, func(i int) {
		if _, err := v.verify(&cs[i]); err != nil {
			panic(err)
		}
	})
}

// parallelRate runs check(i) for i = 0, 1, … on one goroutine per core until n are done or dur has passed,
// and returns the checks per second.
func parallelRate(n int, dur time.Duration, check func(i int)) float64 {
	var next, done atomic.Int64
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				check(int(i))
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds()
}

// schnorrkelRate is verifyRate's signature check done with go-schnorrkel (the axon's verifier before it
// moved to curve25519-voi), one goroutine per core for about dur: the old reference, reported for
// comparison.
func schnorrkelRate(tb testing.TB, n int, dur time.Duration) float64 {
	tb.Helper()
	alice, _ := keys.FromURI("//Alice")
	bob, _ := keys.FromURI("//Bob")
	pub, _ := keys.FromSS58(alice.SS58())
	base := time.Now().UnixNano()
	msgs := make([][]byte, n)
	sigs := make([][]byte, n)
	for i := range msgs {
		msgs[i] = []byte(synapse.SignatureMessage(base+int64(i), alice.SS58(), bob.SS58(), "v-"+strconv.Itoa(i), synapse.EmptyBodyHash))
		sig, _ := alice.Sign(msgs[i])
		sigs[i] = sig[:]
	}
	return parallelRate(n, dur, func(i int) {
		if !pub.Verify(msgs[i], sigs[i]) {
			panic("bad signature")
		}
	})
}

// rounds alternates a 1 s verify-rate measurement of the axon's verifier, a 0.5 s one of go-schnorrkel and a
// load round against addr, rounds times, and returns the median req/s, the median verify/s, the median of
// their per-round ratio and the median go-schnorrkel verify/s.
func rounds(b *testing.B, addr, axonHotkey string, rounds, perRound int) (rps, vrs, ratio, oldVrs, cpuPerReq float64) {
	const conns = 32
	alice, _ := keys.FromURI("//Alice")
	all := presign(b, alice, axonHotkey, perRound*rounds, conns)
	freezeClock()
	var rs, vs, qs, olds []float64
	var cpu time.Duration
	total := 0
	b.ResetTimer()
	for r := range rounds {
		part := make([][][]byte, conns)
		n := 0
		for c := range conns {
			k := len(all[c]) / rounds
			part[c] = all[c][r*k : (r+1)*k]
			n += k
		}
		b.StopTimer()
		vr := verifyRate(b, 40000, time.Second)
		olds = append(olds, schnorrkelRate(b, 20000, time.Second/2))
		b.StartTimer()
		c0 := cpuTime()
		d := closedLoop(b, addr, part)
		cpu += cpuTime() - c0
		total += n
		rate := float64(n) / d.Seconds()
		rs, vs, qs = append(rs, rate), append(vs, vr), append(qs, rate/vr)
	}
	b.StopTimer()
	med := func(x []float64) float64 { y := slices.Clone(x); slices.Sort(y); return y[len(y)/2] }
	return med(rs), med(vs), med(qs), med(olds), float64(cpu.Microseconds()) / float64(total)
}

// cpuTime is the CPU time (user + system, all threads) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAxonThroughput: requests/s of one axon on loopback under pre-signed load (signing done before
// timing), against the parallel verify rate of its own verifier (curve25519-voi) measured in the same run
// (verify/s, %verify). The machine is shared, so the two are measured in alternating rounds (verify for
// 1 s, then load) and medians reported. schnorrkel-verify/s is the parallel rate of go-schnorrkel, the
// axon's verifier before curve25519-voi, measured in the same rounds: %schnorrkel-verify compares with the
// figures recorded before the switch.
//
// The load generator is wrk-like, so that the measurement is of the server: every request is pre-serialised
// HTTP/1.1 bytes (headers and json.dumps body, already signed, one per nonce; presign), written over 32
// persistent keep-alive TCP connections one at a time per connection (closedLoop), and each reply is read
// with a minimal parser (status line and Content-Length; readReply).
func BenchmarkAxonThroughput(b *testing.B) {
	a, addr := startBenchAxon(b, 16)
	defer func() { _ = a.Shutdown(context.Background()) }()
	rps, vrs, ratio, old, cpu := rounds(b, addr, a.Hotkey(), 5, max(b.N/5, 4000))
	b.ReportMetric(cpu, "cpu-µs/req")
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(vrs, "verify/s")
	b.ReportMetric(100*ratio, "%verify")
	b.ReportMetric(old, "schnorrkel-verify/s")
	b.ReportMetric(100*rps/old, "%schnorrkel-verify")
}

// BenchmarkAxonLatencyHalfLoad: open-loop load (64 connections, requests on a fixed schedule) at half the
// throughput measured just before on the same axon (median of three closed-loop rounds); p50/p90/p99/p99.9
// latency, and the process CPU per request during the open-loop phase (server and generator together).
func BenchmarkAxonLatencyHalfLoad(b *testing.B) {
	const conns = 64
	a, addr := startBenchAxon(b, 16)
	defer func() { _ = a.Shutdown(context.Background()) }()
	alice, _ := keys.FromURI("//Alice")

	// Throughput first, with its own requests: a warm-up round (new connections, caches), then the median
	// of three closed-loop rounds, halved.
	const perRound = 8000
	warm := presign(b, alice, a.Hotkey(), 4*perRound, 32)
	freezeClock()
	var rates []float64
	for r := range 4 {
		part := make([][][]byte, len(warm))
		for c := range warm {
			k := len(warm[c]) / 4
			part[c] = warm[c][r*k : (r+1)*k]
		}
		d := closedLoop(b, addr, part)
		if r > 0 {
			rates = append(rates, float64(perRound)/d.Seconds())
		}
	}
	slices.Sort(rates)
	rate := rates[1] / 2
	total := max(b.N, int(rate*3)) // about 3 s of load
	reqs := presign(b, alice, a.Hotkey(), total, conns)
	freezeClock()

	// The open-loop load, paced like wrk2: one writer sends request i at start + i·interval on connection
	// i mod conns, and one reader per connection reads the replies in order (HTTP/1.1 answers a connection's
	// requests in order) and times each from its send. The writer sleeps only when it is more than a
	// millisecond early and otherwise sends what is due, so the generator costs about one wake-up per reply
	// and the cores measure the server, not the timers. A request sent while its connection still waits for
	// an earlier reply queues behind it and is charged for that wait. sched times each reply from the
	// request's scheduled time instead, charging the writer's own lateness to the server too.
	interval := time.Duration(float64(time.Second) / rate)
	conn := make([]net.Conn, conns)
	for c := range conns {
		var err error
		if conn[c], err = net.Dial("tcp", addr); err != nil {
			b.Fatal(err)
		}
	}
	sent := make([][]time.Time, conns)
	due := make([][]time.Time, conns)
	for c := range conns {
		sent[c] = make([]time.Time, len(reqs[c]))
		due[c] = make([]time.Time, len(reqs[c]))
	}
	published := make([]atomic.Int64, conns) // per connection: requests whose send times are written
	lat := make([][]time.Duration, conns)
	sched := make([][]time.Duration, conns)
	var wg sync.WaitGroup
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			br := bufio.NewReader(conn[c])
			for i := range reqs[c] {
				if st, err := readReply(br); err != nil || st != 200 {
					panic(fmt.Sprint(st, err))
				}
				now := time.Now()
				for published[c].Load() <= int64(i) { // the reply can beat the writer's bookkeeping
					runtime.Gosched()
				}
				lat[c] = append(lat[c], now.Sub(sent[c][i]))
				sched[c] = append(sched[c], now.Sub(due[c][i]))
			}
		}()
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	start := time.Now().Add(10 * time.Millisecond)
	next := make([]int, conns)
	for i := range total {
		c := i % conns
		k := next[c]
		if k >= len(reqs[c]) {
			continue
		}
		next[c]++
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > time.Millisecond {
			time.Sleep(d - time.Millisecond)
		}
		due[c][k], sent[c][k] = at, time.Now()
		published[c].Store(int64(k + 1))
		if _, err := conn[c].Write(reqs[c][k]); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
	b.StopTimer()
	for _, cn := range conn {
		_ = cn.Close()
	}
	all, allSched := slices.Concat(lat...), slices.Concat(sched...)
	lat, sched = nil, nil
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(len(all)), "cpu-µs/req")
	slices.Sort(all)
	slices.Sort(allSched)
	p := func(x []time.Duration, q float64) float64 {
		return float64(x[int(q*float64(len(x)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(rate, "req/s-offered")
	b.ReportMetric(p(all, 0.50), "p50-ms")
	b.ReportMetric(p(all, 0.90), "p90-ms")
	b.ReportMetric(p(all, 0.99), "p99-ms")
	b.ReportMetric(p(all, 0.999), "p99.9-ms")
	b.ReportMetric(p(allSched, 0.99), "p99-sched-ms")
}

// BenchmarkNetHTTPBaseline is the ceiling the axon works under: a bare net/http server that reads the
// same pre-signed requests and writes a reply of the same size and header count, with no verification,
// parsing or hashing, driven by the same load generator on the same cores. Its req/s against the verify
// rate bounds what any net/http axon can reach.
func BenchmarkNetHTTPBaseline(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	reply := make([]byte, 700)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for i := range 20 {
			w.Header()["bt_header_"+strconv.Itoa(i)] = []string{"1760000000000000000"}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(reply)))
		_, _ = w.Write(reply)
	})}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Shutdown(context.Background()) }()
	bob, _ := keys.FromURI("//Bob")
	rps, vrs, ratio, _, cpu := rounds(b, ln.Addr().String(), bob.SS58(), 5, max(b.N/5, 4000))
	b.ReportMetric(cpu, "cpu-µs/req")
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(vrs, "verify/s")
	b.ReportMetric(100*ratio, "%verify")
	// With verification added on the same cores, throughput could reach at most br·vr/(br+vr).
	b.ReportMetric(100*rps/(rps+vrs), "%verify-ceiling")
}

// nopWriter is a minimal http.ResponseWriter for BenchmarkAxonPipeline.
type nopWriter struct {
	h    http.Header
	code int
}

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) WriteHeader(code int)        { w.code = code }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkAxonPipeline: the axon's request path alone (ServeHTTP on parsed requests, no sockets), with
// real signature verification; ns/op minus the verify cost is the pipeline's own overhead.
func BenchmarkAxonPipeline(b *testing.B) {
	bob, _ := keys.FromURI("//Bob")
	alice, _ := keys.FromURI("//Alice")
	benchClock.Store(0)
	a, err := New(bob, Config{IP: "127.0.0.1", Logger: discardLogger(), Now: benchNow})
	if err != nil {
		b.Fatal(err)
	}
	if err := Attach(a, Handler[*benchSyn]{Forward: func(_ context.Context, _ *Request, s *benchSyn) error {
		s.Output = synapse.Ptr(s.Input + 1)
		return nil
	}}); err != nil {
		b.Fatal(err)
	}
	raw := presign(b, alice, a.Hotkey(), b.N, 1)[0]
	freezeClock()
	reqs := make([]*http.Request, len(raw))
	for i, r := range raw {
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(r)))
		if err != nil {
			b.Fatal(err)
		}
		req.RemoteAddr = "127.0.0.1:40000"
		reqs[i] = req
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		w := &nopWriter{h: http.Header{}}
		a.ServeHTTP(w, reqs[i])
		if w.code != 200 {
			b.Fatalf("status %d", w.code)
		}
	}
}
