package dendrite

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gotensor/gotensor/sdk/synapse"
)

// StreamResponse is a streaming call in progress. Read the raw chunks from Body (nil when the call failed
// or the axon answered with an error, which Synapse then carries), then Close: it merges the reply headers
// into Synapse (status, axon terminal, process time) and releases the connection.
type StreamResponse[PT synapse.Message] struct {
	Synapse PT
	Header  http.Header
	Body    io.Reader

	resp   *http.Response
	cancel context.CancelFunc
	start  time.Time
	target synapse.AxonInfo
	to     time.Duration
	d      *Dendrite
	once   sync.Once
}

// Stream sends syn to a streaming synapse route. The timeout covers the whole stream, as in Python.
func Stream[T any, PT Ptr[T]](ctx context.Context, d *Dendrite, target synapse.AxonInfo, syn PT, timeout time.Duration) *StreamResponse[PT] {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	clone := PT(new(T))
	if syn != nil {
		*clone = *syn
	}
	sr := &StreamResponse[PT]{Synapse: clone, start: time.Now(), target: target, to: timeout, d: d}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	resp, err := d.send(ctx, target, clone, timeout)
	if err != nil {
		cancel()
		d.fail(clone, target, timeout, err)
		return sr
	}
	sr.Header = resp.Header
	if resp.StatusCode != http.StatusOK || isJSON(resp.Header.Get("Content-Type")) {
		// An error reply (or a non-streaming answer): handle it like a normal call.
		defer cancel()
		defer func() { _ = resp.Body.Close() }()
		body, err := readLimited(resp.Body, d.maxResp)
		if err == nil {
			err = merge(clone, func() synapse.Message { return PT(new(T)) }, resp, body)
		}
		if err != nil {
			d.fail(clone, target, timeout, err)
			return sr
		}
		pt := time.Since(sr.start).Seconds()
		synapse.BaseOf(clone).Dendrite.ProcessTime = &pt
		return sr
	}
	sr.resp, sr.cancel = resp, cancel
	sr.Body = &limitedStream{r: resp.Body, left: d.maxResp}
	return sr
}

// Close finishes the call: headers merged, status set, connection released. It returns the synapse.
func (s *StreamResponse[PT]) Close() PT {
	s.once.Do(func() {
		if s.resp == nil {
			return
		}
		defer s.cancel()
		_, rerr := io.Copy(io.Discard, io.LimitReader(s.resp.Body, 1)) // a short drain: was the stream complete?
		_ = s.resp.Body.Close()
		b := synapse.BaseOf(s.Synapse)
		if err := mergeHeaders(b, s.resp.Header); err != nil {
			s.d.fail(s.Synapse, s.target, s.to, err)
			return
		}
		if rerr != nil {
			s.d.fail(s.Synapse, s.target, s.to, &payloadError{rerr})
			return
		}
		pt := time.Since(s.start).Seconds()
		b.Dendrite.ProcessTime = &pt
	})
	return s.Synapse
}

// limitedStream bounds the bytes a streaming reply may send.
type limitedStream struct {
	r    io.Reader
	left int64
}

func (l *limitedStream) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, &payloadError{io.ErrShortBuffer}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF { //nolint:errorlint // io.EOF is returned unwrapped by contract
		return n, mapStreamErr(err)
	}
	return n, err
}

func mapStreamErr(err error) error { return &payloadError{err} }
