package rpc

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// Recording is the fixture format of recorded conversations: seed name → method → JSON-encoded params →
// the raw response ({"result": …} or {"error": …}). A response written as {"__cycle__": [r1, r2, …]}
// answers with its items in turn, round and round.
type Recording map[string]map[string]map[string]json.RawMessage

// LoadRecording reads a recording file.
func LoadRecording(path string) (Recording, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Recording
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("recording %s: %w", path, err)
	}
	return r, nil
}

// Replay is an offline Transport that answers from one seed of a Recording. Requests are matched by method
// and canonical params: parsed JSON, hex strings compared without 0x and case-insensitively, trailing
// nulls (an absent block hash) dropped. Any request with no recording fails with -32601 and is listed by
// Unrecorded; OnUnrecorded (if set) is called too, so a test can fail at once.
type Replay struct {
	mu         sync.Mutex
	answers    map[string][]json.RawMessage // method + "\x00" + canonical params → responses
	next       map[string]int
	calls      []string
	unrecorded []string
	// Static answers any params of a method (e.g. state_getMetadata) with one result.
	static map[string]json.RawMessage
	subs   map[string][]json.RawMessage
	// OnUnrecorded is called with each request that has no recording.
	OnUnrecorded func(method string, params []any)
}

// NewReplay returns a replay of seed.
func NewReplay(rec Recording, seed string) (*Replay, error) {
	conv, ok := rec[seed]
	if !ok {
		return nil, fmt.Errorf("replay: no seed %q", seed)
	}
	r := &Replay{answers: map[string][]json.RawMessage{}, next: map[string]int{}, static: map[string]json.RawMessage{},
		subs: map[string][]json.RawMessage{}}
	for method, byParams := range conv {
		for p, resp := range byParams {
			var params []any
			if err := json.Unmarshal([]byte(p), &params); err != nil {
				return nil, fmt.Errorf("replay: %s params %q: %w", method, p, err)
			}
			if err := r.Add(method, params, resp); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// Add records one more answer: resp is a raw response object ({"result": …}, {"error": …} or a cycle).
func (r *Replay) Add(method string, params []any, resp json.RawMessage) error {
	var cyc struct {
		Cycle []json.RawMessage `json:"__cycle__"`
	}
	list := []json.RawMessage{resp}
	if json.Unmarshal(resp, &cyc) == nil && len(cyc.Cycle) > 0 {
		list = cyc.Cycle
	}
	key, err := canonicalKey(method, params)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.answers[key] = append(r.answers[key], list...)
	r.mu.Unlock()
	return nil
}

// AddResult records a result for method and params.
func (r *Replay) AddResult(method string, params []any, result any) error {
	b, err := json.Marshal(map[string]any{"result": result})
	if err != nil {
		return err
	}
	return r.Add(method, params, b)
}

// SetStatic answers every call of method, whatever its params, with result — the way the recorded
// fixtures' own replay serves metadata to every seed.
func (r *Replay) SetStatic(method string, result any) error {
	b, err := json.Marshal(result)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.static[method] = b
	r.mu.Unlock()
	return nil
}

// SetStaticCall answers state_call of the runtime API function fn (e.g. Metadata_metadata_at_version)
// with result, whatever its data and block.
func (r *Replay) SetStaticCall(fn string, result any) error {
	return r.SetStatic("state_call\x00"+fn, result)
}

// Calls lists the requests served, in order, as "method params".
func (r *Replay) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// Unrecorded lists the requests that had no recording.
func (r *Replay) Unrecorded() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.unrecorded...)
}

// Call implements Transport.
func (r *Replay) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params = roundTrip(params)
	key, err := canonicalKey(method, params)
	if err != nil {
		return nil, err
	}
	desc := method + " " + strings.TrimPrefix(key, method+"\x00")
	r.mu.Lock()
	r.calls = append(r.calls, desc)
	if res, ok := r.static[method]; ok {
		r.mu.Unlock()
		return res, nil
	}
	if method == "state_call" && len(params) > 0 {
		if fn, ok := params[0].(string); ok {
			if res, ok := r.static["state_call\x00"+fn]; ok {
				r.mu.Unlock()
				return res, nil
			}
		}
	}
	list, ok := r.answers[key]
	if !ok {
		r.unrecorded = append(r.unrecorded, desc)
		hook := r.OnUnrecorded
		r.mu.Unlock()
		if hook != nil {
			hook(method, params)
		}
		return nil, &Error{Code: CodeMethodNotFound, Message: "replay: no recording for " + desc}
	}
	i := r.next[key] % len(list)
	r.next[key]++
	r.mu.Unlock()
	var resp struct {
		Result json.RawMessage `json:"result"`
		Error  *Error          `json:"error"`
	}
	if err := json.Unmarshal(list[i], &resp); err != nil {
		return nil, fmt.Errorf("replay: recorded answer for %s: %w", desc, err)
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	if resp.Result == nil {
		return json.RawMessage("null"), nil
	}
	return resp.Result, nil
}

// Close implements Transport.
func (r *Replay) Close() error { return nil }

// roundTrip turns Go values into their JSON forms (numbers become float64), as a node would see them.
func roundTrip(params []any) []any {
	b, err := json.Marshal(normParams(params))
	if err != nil {
		return params
	}
	var out []any
	if json.Unmarshal(b, &out) != nil {
		return params
	}
	return out
}

func canonicalKey(method string, params []any) (string, error) {
	p := make([]any, len(params))
	for i, v := range params {
		p[i] = canonical(v)
	}
	for len(p) > 0 && p[len(p)-1] == nil {
		p = p[:len(p)-1]
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("replay: params of %s: %w", method, err)
	}
	return method + "\x00" + string(b), nil
}

func canonical(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" || x == "0x" { // empty call data: Python sends "", Go "0x"
			return "0x"
		}
		s := strings.TrimPrefix(strings.TrimPrefix(x, "0x"), "0X")
		if len(s)%2 == 0 && (s != x || isHex(s)) {
			if _, err := hex.DecodeString(s); err == nil {
				return "0x" + strings.ToLower(s)
			}
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = canonical(x[i])
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(x))
		for _, k := range keys {
			out[k] = canonical(x[k])
		}
		return out
	}
	return v
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// AddSubscription records the notifications a subscription call (e.g. author_submitAndWatchExtrinsic or
// chain_subscribeFinalizedHeads) delivers; the subscription then ends.
func (r *Replay) AddSubscription(method string, params []any, notifications ...any) error {
	key, err := canonicalKey(method, roundTrip(params))
	if err != nil {
		return err
	}
	list := make([]json.RawMessage, len(notifications))
	for i, n := range notifications {
		if list[i], err = json.Marshal(n); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.subs[key] = list
	r.mu.Unlock()
	return nil
}

// Subscribe implements Subscriber for recorded subscriptions; an unrecorded one fails like an unrecorded
// call.
func (r *Replay) Subscribe(ctx context.Context, method, unsubscribe string, params ...any) (*Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params = roundTrip(params)
	key, err := canonicalKey(method, params)
	if err != nil {
		return nil, err
	}
	desc := method + " " + strings.TrimPrefix(key, method+"\x00")
	r.mu.Lock()
	r.calls = append(r.calls, desc)
	list, ok := r.subs[key]
	if !ok {
		r.unrecorded = append(r.unrecorded, desc)
		hook := r.OnUnrecorded
		r.mu.Unlock()
		if hook != nil {
			hook(method, params)
		}
		return nil, &Error{Code: CodeMethodNotFound, Message: "replay: no recording for " + desc}
	}
	r.mu.Unlock()
	ch := make(chan json.RawMessage, len(list))
	for _, n := range list {
		ch <- n
	}
	close(ch)
	errc := make(chan error)
	close(errc)
	return &Subscription{C: ch, err: errc, cancel: func() {}}, nil
}
