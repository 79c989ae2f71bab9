package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"sync"

	"github.com/coder/websocket"
)

// Recorder is a Transport that passes calls to another transport and keeps every request and answer in
// the fixture format, so anyone with network access can refresh the offline fixtures (the future
// `gotensor chain record` command writes them with Save).
type Recorder struct {
	Inner Transport
	Seed  string

	mu   sync.Mutex
	conv map[string]map[string]json.RawMessage
}

// NewRecorder records the calls made through inner under seed.
func NewRecorder(inner Transport, seed string) *Recorder {
	return &Recorder{Inner: inner, Seed: seed, conv: map[string]map[string]json.RawMessage{}}
}

// Call implements Transport.
func (r *Recorder) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	res, err := r.Inner.Call(ctx, method, params...)
	var entry any
	var re *Error
	switch {
	case err == nil:
		entry = map[string]json.RawMessage{"result": res}
	case errors.As(err, &re):
		entry = map[string]any{"error": re}
	default:
		return res, err // transport failures are not part of the conversation
	}
	p, perr := json.Marshal(normParams(params))
	b, berr := json.Marshal(entry)
	if perr == nil && berr == nil {
		r.mu.Lock()
		if r.conv[method] == nil {
			r.conv[method] = map[string]json.RawMessage{}
		}
		r.conv[method][string(p)] = b
		r.mu.Unlock()
	}
	return res, err
}

// Close implements Transport.
func (r *Recorder) Close() error { return r.Inner.Close() }

// Recording returns what was recorded, as a one-seed Recording.
func (r *Recorder) Recording() Recording {
	r.mu.Lock()
	defer r.mu.Unlock()
	conv := map[string]map[string]json.RawMessage{}
	for m, ps := range r.conv {
		conv[m] = map[string]json.RawMessage{}
		for p, v := range ps {
			conv[m][p] = v
		}
	}
	return Recording{r.Seed: conv}
}

// Save merges the recording into the fixture file at path (creating it), replacing the seed if present.
func (r *Recorder) Save(path string) error {
	all := Recording{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &all); err != nil {
			return err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for seed, conv := range r.Recording() {
		all[seed] = conv
	}
	b, err := json.MarshalIndent(all, "", " ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReplayHandler serves a Replay as a JSON-RPC node over HTTP POST and WebSocket, for end-to-end tests of
// programs that dial an endpoint (listen on 127.0.0.1 only). Subscriptions are not served.
func ReplayHandler(r *Replay) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get("Upgrade") != "" {
			c, err := websocket.Accept(w, req, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			c.SetReadLimit(DefaultReadLimit)
			for {
				_, data, err := c.Read(req.Context())
				if err != nil {
					return
				}
				if err := c.Write(req.Context(), websocket.MessageText, answer(req.Context(), r, data)); err != nil {
					return
				}
			}
		}
		body, err := io.ReadAll(io.LimitReader(req.Body, 16<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer(req.Context(), r, body))
	})
}

func answer(ctx context.Context, r *Replay, data []byte) []byte {
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params []any           `json:"params"`
	}
	out := map[string]any{"jsonrpc": "2.0"}
	if err := json.Unmarshal(data, &req); err != nil {
		out["id"] = nil
		out["error"] = &Error{Code: -32700, Message: "parse error"}
	} else {
		out["id"] = req.ID
		res, err := r.Call(ctx, req.Method, req.Params...)
		var re *Error
		switch {
		case err == nil:
			out["result"] = res
		case errors.As(err, &re):
			out["error"] = re
		default:
			out["error"] = &Error{Code: -32603, Message: err.Error()}
		}
	}
	b, _ := json.Marshal(out)
	return b
}
