package dendrite

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gotensor/gotensor/sdk/synapse"
)

// Ptr is the constraint of a synapse pointer type *T.
type Ptr[T any] interface {
	*T
	synapse.Message
}

// Call sends syn to one axon and returns the answered copy (syn itself is not modified).
func Call[T any, PT Ptr[T]](ctx context.Context, d *Dendrite, target synapse.AxonInfo, syn PT, timeout time.Duration) PT {
	clone := PT(new(T))
	if syn != nil {
		*clone = *syn
	}
	d.call(ctx, target, clone, func() synapse.Message { return PT(new(T)) }, timeout)
	return clone
}

// Query sends syn to every target concurrently (bounded by the connection limit) and returns the answers in
// target order. A nil or empty list returns nil.
func Query[T any, PT Ptr[T]](ctx context.Context, d *Dendrite, targets []synapse.AxonInfo, syn PT, timeout time.Duration) []PT {
	out := make([]PT, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		out[i] = PT(new(T))
		if syn != nil {
			*out[i] = *syn
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.call(ctx, t, out[i], func() synapse.Message { return PT(new(T)) }, timeout)
		}()
	}
	wg.Wait()
	return out
}

// Deserialize applies each answer's Deserialize hook (synapse.Deserialize).
func Deserialize[PT synapse.Message](answers []PT) []any {
	out := make([]any, len(answers))
	for i, a := range answers {
		out[i] = synapse.Deserialize(a)
	}
	return out
}

func (d *Dendrite) call(ctx context.Context, target synapse.AxonInfo, clone synapse.Message, fresh func() synapse.Message, timeout time.Duration) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := d.send(ctx, target, clone, timeout)
	if err != nil {
		d.fail(clone, target, timeout, err)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := readLimited(resp.Body, d.maxResp)
	if err != nil {
		d.fail(clone, target, timeout, err)
		return
	}
	if err := merge(clone, fresh, resp, body); err != nil {
		d.fail(clone, target, timeout, err)
		return
	}
	b := synapse.BaseOf(clone)
	pt := time.Since(start).Seconds()
	b.Dendrite.ProcessTime = &pt
}

// send signs clone for target and posts it, waiting for a connection slot within ctx.
func (d *Dendrite) send(ctx context.Context, target synapse.AxonInfo, clone synapse.Message, timeout time.Duration) (*http.Response, error) {
	select {
	case d.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-d.sem }
	p, err := d.prepare(clone, target, timeout)
	if err != nil {
		release()
		return nil, &prepareError{err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(p.body))
	if err != nil {
		release()
		return nil, &prepareError{err}
	}
	p.headers.WriteTo(req.Header)
	req.Header.Set("Content-Type", "application/json")
	resp, err := d.client.Do(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (r *releasingBody) Close() error {
	err := r.ReadCloser.Close()
	r.once.Do(r.release)
	return err
}

type prepareError struct{ err error }

func (e *prepareError) Error() string { return e.err.Error() }
func (e *prepareError) Unwrap() error { return e.err }

type payloadError struct{ err error }

func (e *payloadError) Error() string { return e.err.Error() }
func (e *payloadError) Unwrap() error { return e.err }

type parseError struct{ err error }

func (e *parseError) Error() string { return e.err.Error() }
func (e *parseError) Unwrap() error { return e.err }

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &payloadError{err}
	}
	if int64(len(b)) > limit {
		return nil, &payloadError{fmt.Errorf("response body exceeds %d bytes", limit)}
	}
	return b, nil
}

// statusFor maps a failure to the Python dendrite's status code and message (spec/sdk.md §3.6).
func statusFor(err error, target synapse.AxonInfo, name string, timeout time.Duration) (int, string) {
	var (
		pe   *payloadError
		pre  *parseError
		te   *tlsError
		cve  *tls.CertificateVerificationError
		uae  x509.UnknownAuthorityError
		hne  x509.HostnameError
		prep *prepareError
		op   *net.OpError
	)
	switch {
	case errors.As(err, &prep):
		return 422, "Failed to parse response: " + err.Error()
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || isTimeout(err):
		return 408, "Request timeout after " + formatSeconds(timeout) + " seconds"
	case errors.As(err, &pe):
		return 400, "Payload error: " + err.Error()
	case errors.As(err, &pre):
		return 422, "Failed to parse response: " + err.Error()
	case errors.As(err, &te), errors.As(err, &cve), errors.As(err, &uae), errors.As(err, &hne):
		return 422, "Failed to parse response: " + err.Error() // aiohttp's certificate errors fall through to 422
	case errors.As(err, &op) && op.Op == "dial":
		return 503, fmt.Sprintf("Service unavailable at %s:%d/%s", target.IP.Unmap(), target.Port, name)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return 503, "Service disconnected: " + err.Error()
	default:
		return 422, "Failed to parse response: " + err.Error()
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (d *Dendrite) fail(clone synapse.Message, target synapse.AxonInfo, timeout time.Duration, err error) {
	b := synapse.BaseOf(clone)
	s, _ := synapse.SchemaOf(clone)
	name := ""
	if s != nil {
		name = s.Name
	}
	code, msg := statusFor(err, target, name, timeout)
	b.Dendrite.StatusCode = &code
	b.Dendrite.StatusMessage = &msg
	if d.logger.Enabled(context.Background(), -4) {
		d.logger.Debug("dendrite: call failed", "synapse", name, "axon", target.HostPort(), "status", code, "err", err)
	}
}

// merge folds a response into clone as the Python dendrite's process_server_response does.
func merge(clone synapse.Message, fresh func() synapse.Message, resp *http.Response, body []byte) error {
	if !isJSON(resp.Header.Get("Content-Type")) {
		return &parseError{fmt.Errorf("Attempt to decode JSON with unexpected mimetype: %s", resp.Header.Get("Content-Type"))}
	}
	b := synapse.BaseOf(clone)
	if resp.StatusCode == http.StatusOK {
		server := fresh()
		if err := synapse.Unmarshal(body, server); err != nil {
			return &parseError{err}
		}
		keep := b.ComputedBodyHash // frozen in Python: the assignment fails silently
		copyMessage(clone, server)
		b.ComputedBodyHash = keep
	} else {
		msg, err := errorMessage(body)
		if err != nil {
			return &parseError{err}
		}
		code := resp.StatusCode
		b.Axon.StatusCode = &code
		b.Axon.StatusMessage = msg
	}
	return mergeHeaders(b, resp.Header)
}

func mergeHeaders(b *synapse.Base, h http.Header) error {
	ax, de, err := synapse.TerminalsFromHeaders(h)
	if err != nil {
		return &parseError{err}
	}
	overlay(&b.Axon, &ax)
	overlay(&b.Dendrite, &de)
	b.Dendrite.StatusCode = b.Axon.StatusCode
	b.Dendrite.StatusMessage = b.Axon.StatusMessage
	return nil
}

// overlay keeps dst's fields and overwrites them with src's non-null ones.
func overlay(dst, src *synapse.TerminalInfo) {
	if src.StatusCode != nil {
		dst.StatusCode = src.StatusCode
	}
	if src.StatusMessage != nil {
		dst.StatusMessage = src.StatusMessage
	}
	if src.ProcessTime != nil {
		dst.ProcessTime = src.ProcessTime
	}
	if src.IP != nil {
		dst.IP = src.IP
	}
	if src.Port != nil {
		dst.Port = src.Port
	}
	if src.Version != nil {
		dst.Version = src.Version
	}
	if src.Nonce != nil {
		dst.Nonce = src.Nonce
	}
	if src.UUID != nil {
		dst.UUID = src.UUID
	}
	if src.Hotkey != nil {
		dst.Hotkey = src.Hotkey
	}
	if src.Signature != nil {
		dst.Signature = src.Signature
	}
}

// errorMessage reads json["message"] of an error body (nil when absent, as for FastAPI's 422).
func errorMessage(body []byte) (*string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	raw, ok := m["message"]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var msg string
	if err := json.Unmarshal(raw, &msg); err != nil {
		return nil, fmt.Errorf("status_message: Input should be a valid string")
	}
	return &msg, nil
}

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}
