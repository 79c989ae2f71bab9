package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
)

// HTTPTransport sends each call as one HTTP POST. It has no subscriptions.
type HTTPTransport struct {
	url    string
	client *http.Client
	id     atomic.Uint64
	// MaxResponse bounds a response body (default 64 MiB).
	MaxResponse int64
}

// NewHTTP returns a transport for an http(s):// endpoint; client nil means http.DefaultClient.
func NewHTTP(url string, client *http.Client) *HTTPTransport {
	if client == nil {
		client = http.DefaultClient
	}
	return &HTTPTransport{url: url, client: client, MaxResponse: 64 << 20}
}

// Call implements Transport.
func (h *HTTPTransport) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	body, err := json.Marshal(request{JSONRPC: "2.0", ID: h.id.Add(1), Method: method, Params: normParams(params)})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, h.MaxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read response: %w", method, err)
	}
	if int64(len(data)) > h.MaxResponse {
		return nil, fmt.Errorf("%s: response larger than %d bytes", method, h.MaxResponse)
	}
	if resp.StatusCode != http.StatusOK && len(data) == 0 {
		return nil, fmt.Errorf("%s: http status %s", method, resp.Status)
	}
	var r response
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: http status %s, bad JSON-RPC response: %w", method, resp.Status, err)
	}
	if r.Error != nil {
		return nil, r.Error
	}
	return r.Result, nil
}

// Close implements Transport.
func (h *HTTPTransport) Close() error { return nil }
