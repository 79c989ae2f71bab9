package axon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gotensor/gotensor/sdk/synapse"
)

// reply is a complete non-streaming answer.
type reply struct {
	status  int
	headers synapse.Headers
	ctype   string
	body    []byte
}

// pipe is one request going through the pipeline.
type pipe struct {
	a     *Axon
	rt    *route
	w     http.ResponseWriter
	r     *http.Request
	start time.Time
	hs    synapse.Message // header-built synapse
	req   *Request
	wrote bool
}

// ServeHTTP runs the pipeline: route, headers, blacklist, verify, priority (queue), body hash, forward.
func (a *Axon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name := strings.TrimPrefix(r.URL.Path, "/")
	name, _, _ = strings.Cut(name, "/")
	if name == infoPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		b, _ := json.Marshal(a.info())
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
		return
	}
	a.mu.RLock()
	rt := a.routes[name]
	names := a.names
	a.mu.RUnlock()
	p := &pipe{a: a, rt: rt, w: w, r: r, start: start}
	label := "unknown"
	if rt != nil {
		label = rt.name
	}
	status := 0
	defer func() {
		if rec := recover(); rec != nil {
			if rec == http.ErrAbortHandler { //nolint:errorlint // sentinel compared by identity, as net/http does
				panic(rec)
			}
			a.cfg.Logger.Error("axon: panic in request pipeline", "synapse", label, "panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
			if !p.wrote {
				status = p.internalSigned(fmt.Errorf("panic: %v", rec), false)
			}
		}
		if status != 0 {
			a.metrics.observe(label, status, time.Since(start).Seconds())
		}
	}()
	if rt == nil {
		hs := &synapse.Ping{}
		_ = synapse.ApplyDefaults(hs)
		p.hs = hs
		status = p.fail(http.StatusNotFound, fmt.Sprintf("Synapse name '%s' not found. Available synapses %s", name, pyList(names)), false)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		p.writeRaw(http.StatusMethodNotAllowed, nil, "application/json", []byte(`{"detail":"Method Not Allowed"}`))
		status = http.StatusMethodNotAllowed
		return
	}
	status = p.run()
}

func (p *pipe) run() int {
	a, rt, r := p.a, p.rt, p.r
	hs := rt.newMsg()
	p.hs = hs
	if err := synapse.FromHeaders(r.Header, hs); err != nil {
		return p.internalSigned(fmt.Errorf("headers do not build %s: %w", rt.name, err), false) // anyone can send junk: do not sign
	}
	b := synapse.BaseOf(hs)
	b.Name = rt.name
	b.Axon.Version = synapse.Ptr(int64(synapse.ProtocolVersion))
	b.Axon.UUID = synapse.Ptr(a.uuid)
	b.Axon.Nonce = synapse.Ptr(a.cfg.Now().UnixNano())
	b.Axon.StatusCode = synapse.Ptr(100)
	peer, _ := netip.ParseAddrPort(r.RemoteAddr)
	b.Dendrite.IP = synapse.Ptr(peer.Addr().Unmap().String())
	b.Dendrite.Port = synapse.Ptr(int(peer.Port()))

	req := &Request{Name: rt.name, Hotkey: deref(b.Dendrite.Hotkey), UUID: deref(b.Dendrite.UUID),
		Nonce: deref(b.Dendrite.Nonce), Version: deref(b.Dendrite.Version), Timeout: b.Timeout, Remote: peer}
	p.req = req
	ctx := r.Context()

	if r.ContentLength > a.cfg.MaxBodyBytes {
		return p.fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("Payload Too Large: the body exceeds %d bytes", a.cfg.MaxBodyBytes), false)
	}
	if rt.blacklist != nil {
		if blocked, reason := rt.blacklist(ctx, req, hs); blocked {
			return p.fail(http.StatusForbidden, fmt.Sprintf("Forbidden. Key is blacklisted: %s.", reason), false)
		}
	}

	c := claims{hotkey: req.Hotkey, uuid: pyNone(b.Dendrite.UUID), nonce: b.Dendrite.Nonce, version: b.Dendrite.Version,
		bodyHash: b.ComputedBodyHash}
	if b.Dendrite.Signature != nil {
		c.signature, c.hasSig = *b.Dendrite.Signature, true
	}
	if r.Header.Get(synapse.HeaderTimeout) != "" {
		c.timeoutSecs = b.Timeout
	}
	pub, err := a.verify.verify(&c)
	if err != nil {
		return p.fail(http.StatusUnauthorized, "Not Verified with error: "+err.Error(), false)
	}
	req.PublicKey, req.Verified = pub, true
	if rt.verify != nil {
		if err := rt.verify(ctx, req, hs); err != nil {
			return p.fail(http.StatusUnauthorized, "Not Verified with error: "+err.Error(), false)
		}
	}
	priority := 0.0
	if rt.priority != nil {
		priority = rt.priority(ctx, req, hs)
	}

	body, err := readBody(http.MaxBytesReader(p.w, r.Body, a.cfg.MaxBodyBytes), r.ContentLength)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return p.fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("Payload Too Large: the body exceeds %d bytes", a.cfg.MaxBodyBytes), false)
		}
		return p.fail(http.StatusBadRequest, "Bad Request: the body could not be read", false)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSONType(ct) {
		return p.detail(`{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from"}]}`)
	}

	timeout := time.Duration(b.Timeout * float64(time.Second))
	if timeout <= 0 || b.Timeout != b.Timeout {
		timeout = time.Duration(synapse.DefaultTimeout * float64(time.Second))
	}
	deadline := p.start.Add(timeout)
	j, ok := a.pool.acquire(priority)
	if !ok {
		return p.fail(http.StatusServiceUnavailable, "Service Unavailable: the axon's request queue is full, retry later", false)
	}
	if j != nil {
		timer := time.NewTimer(time.Until(deadline))
		select {
		case <-j.start:
			timer.Stop()
		case <-timer.C:
			if a.pool.withdraw(j) {
				return p.timeoutReply()
			}
			<-j.start
		case <-ctx.Done():
			timer.Stop()
			if a.pool.withdraw(j) {
				return 499 // the caller left; nothing is written
			}
			<-j.start
		}
	}
	defer a.pool.release()
	if time.Now().After(deadline) {
		return p.timeoutReply()
	}
	return p.runForward(ctx, body)
}

// runForward runs process, turning a panic in user code into a 500.
func (p *pipe) runForward(ctx context.Context, body []byte) (status int) {
	defer func() {
		if rec := recover(); rec != nil {
			p.a.cfg.Logger.Error("axon: panic in forward", "synapse", p.rt.name, "panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
			if !p.wrote {
				status = p.internal(fmt.Errorf("panic: %v", rec))
			} else {
				status = http.StatusInternalServerError
			}
		}
	}()
	return p.process(ctx, body)
}

func (p *pipe) timeoutReply() int {
	return p.fail(http.StatusRequestTimeout, "Response timeout after: "+synapse.FormatFloat(synapse.BaseOf(p.hs).Timeout)+"s", true)
}

// process runs in a worker: body, body hash, forward, reply.
func (p *pipe) process(ctx context.Context, body []byte) int {
	rt := p.rt
	if len(body) == 0 {
		return p.internal(errors.New("empty body"))
	}
	bs := rt.newMsg()
	if err := synapse.Unmarshal(body, bs); err != nil {
		if errors.Is(err, synapse.ErrJSON) {
			msg := jsonString(strings.TrimPrefix(err.Error(), synapse.ErrJSON.Error()+": "))
			return p.detail(`{"detail":[{"type":"json_invalid","loc":["body",0],"msg":"JSON decode error","input":{},"ctx":{"error":` + string(msg) + `}}]}`)
		}
		return p.internal(fmt.Errorf("body does not validate as %s: %w", rt.name, err))
	}
	hs := synapse.BaseOf(p.hs)
	hash, err := synapse.BodyHash(bs)
	if err != nil {
		return p.internal(fmt.Errorf("body hash: %w", err))
	}
	if hash != hs.ComputedBodyHash {
		return p.internal(errors.New("body hash mismatch: the body is not the one that was signed"))
	}
	// The identity forward sees is the verified one from the headers, never the body's claims.
	bb := synapse.BaseOf(bs)
	bb.Name = rt.name
	bb.Dendrite.Hotkey = synapse.Ptr(p.req.Hotkey)
	bb.Dendrite.UUID = hs.Dendrite.UUID
	bb.Dendrite.Nonce = hs.Dendrite.Nonce
	bb.Dendrite.Version = hs.Dendrite.Version
	bb.Dendrite.Signature = hs.Dendrite.Signature

	fstart := time.Now()
	if rt.stream != nil {
		return p.processStream(ctx, bs, fstart)
	}
	err = rt.forward(ctx, p.req, bs)
	if err != nil {
		return p.forwardError(err)
	}
	pt := time.Since(fstart).Seconds()
	if bb.Axon.StatusCode == nil {
		bb.Axon.StatusCode = synapse.Ptr(http.StatusOK)
		bb.Axon.StatusMessage = synapse.Ptr("Success")
	}
	code := *bb.Axon.StatusCode
	if code < 100 || code > 999 {
		return p.internal(fmt.Errorf("forward set an invalid status code %d", code))
	}
	bb.Axon.ProcessTime = &pt
	out, err := synapse.Marshal(bs, synapse.StyleCompact)
	if err != nil {
		return p.internal(fmt.Errorf("response body: %w", err))
	}
	h, err := synapse.ToHeaders(bs)
	if err != nil {
		return p.internal(fmt.Errorf("response headers: %w", err))
	}
	p.writeRaw(code, h, "application/json", out)
	return code
}

func (p *pipe) processStream(ctx context.Context, bs synapse.Message, fstart time.Time) int {
	fn, err := p.rt.stream(ctx, p.req, bs)
	if err != nil {
		return p.forwardError(err)
	}
	if fn == nil {
		return p.internal(errors.New("stream forward returned no stream function"))
	}
	bb := synapse.BaseOf(bs)
	pt := time.Since(fstart).Seconds()
	bb.Axon.StatusCode = synapse.Ptr(http.StatusOK)
	bb.Axon.StatusMessage = synapse.Ptr("Success")
	bb.Axon.ProcessTime = &pt
	h, err := synapse.ToHeaders(bs)
	if err != nil {
		return p.internal(fmt.Errorf("response headers: %w", err))
	}
	hdr := p.w.Header()
	h.WriteTo(hdr)
	hdr.Set("Content-Type", "text/event-stream")
	p.wrote = true
	p.w.WriteHeader(http.StatusOK)
	sw := &StreamWriter{w: p.w, rc: http.NewResponseController(p.w)}
	if err := fn(ctx, sw); err != nil {
		p.a.cfg.Logger.Debug("axon: stream ended with an error", "synapse", p.rt.name, "err", err)
	}
	return http.StatusOK
}

func (p *pipe) forwardError(err error) int {
	var se *synapse.StatusError
	if errors.As(err, &se) && se.Code >= 100 && se.Code <= 999 {
		return p.fail(se.Code, se.Message, true)
	}
	return p.internal(fmt.Errorf("forward: %w", err))
}

// internal answers 500 "Internal Server Error #<uuid4>" and logs the cause under that id.
func (p *pipe) internal(err error) int { return p.internalSigned(err, true) }

func (p *pipe) internalSigned(err error, sign bool) int {
	id := synapse.NewUUID4()
	level := slog.LevelWarn
	if !sign {
		level = slog.LevelDebug // unauthenticated junk: do not let strangers flood the log
	}
	p.a.cfg.Logger.Log(context.Background(), level, "axon: internal error", "id", id, "synapse", p.nameOrUnknown(), "err", err)
	return p.fail(http.StatusInternalServerError, "Internal Server Error #"+id, sign)
}

func (p *pipe) nameOrUnknown() string {
	if p.rt == nil {
		return "unknown"
	}
	return p.rt.name
}

// fail answers {"message": msg} with the header synapse's headers (Python's create_error_response).
func (p *pipe) fail(code int, msg string, sign bool) int {
	if p.wrote {
		return code
	}
	var h synapse.Headers
	if p.hs != nil {
		b := synapse.BaseOf(p.hs)
		b.Axon.StatusCode = &code
		b.Axon.StatusMessage = &msg
		pt := time.Since(p.start).Seconds()
		b.Axon.ProcessTime = &pt
		if b.Axon.Nonce == nil {
			b.Axon.Nonce = synapse.Ptr(p.a.cfg.Now().UnixNano())
		}
		if b.Axon.UUID == nil {
			b.Axon.UUID = synapse.Ptr(p.a.uuid)
		}
		if sign {
			text := strconv.FormatInt(*b.Axon.Nonce, 10) + "." + pyNone(b.Dendrite.Hotkey) + "." + pyNone(b.Axon.Hotkey) + "." + *b.Axon.UUID
			if sig, err := p.a.hotkey.Sign([]byte(text)); err == nil {
				b.Axon.Signature = synapse.Ptr("0x" + fmt.Sprintf("%x", sig[:]))
			}
		}
		h, _ = synapse.ToHeaders(p.hs) // on failure the reply still carries its JSON message
	}
	body := append(append([]byte(`{"message":`), jsonString(msg)...), '}')
	p.writeRaw(code, h, "application/json", body)
	return code
}

// detail answers FastAPI's 422 validation shape (no bt headers).
func (p *pipe) detail(body string) int {
	p.writeRaw(http.StatusUnprocessableEntity, nil, "application/json", []byte(body))
	return http.StatusUnprocessableEntity
}

func (p *pipe) writeRaw(code int, h synapse.Headers, ctype string, body []byte) {
	if p.wrote {
		return
	}
	p.wrote = true
	hdr := p.w.Header()
	h.WriteTo(hdr)
	hdr.Set("Content-Type", ctype)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	p.w.WriteHeader(code)
	if p.r.Method != http.MethodHead {
		_, _ = p.w.Write(body)
	}
}

// StreamWriter writes a streaming reply; each Write reaches the caller at once (flushed as a chunk).
type StreamWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// Write sends p as one chunk.
func (s *StreamWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil {
		return n, err
	}
	return n, s.rc.Flush()
}

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

func jsonString(s string) []byte { return synapse.AppendJSONString(nil, s, synapse.StyleCompact) }

func deref[T any](p *T) T {
	if p == nil {
		var z T
		return z
	}
	return *p
}

// pyNone is Python's f-string rendering of an optional string: the value, or "None".
func pyNone(p *string) string {
	if p == nil {
		return "None"
	}
	return *p
}

// readBody reads the whole body, sized up front when the length is declared (already checked against the
// limit, which the MaxBytesReader enforces anyway).
func readBody(r io.Reader, declared int64) ([]byte, error) {
	if declared <= 0 {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, declared+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // more than declared: grow (net/http stops at the length anyway)
		}
	}
}
