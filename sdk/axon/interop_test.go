package axon_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/synapse"
)

type goldenWire struct {
	DendriteRequest struct {
		Case struct {
			Headers map[string]string `json:"headers"`
		} `json:"case"`
	} `json:"dendrite_request"`
	AxonSuccess struct {
		Headers map[string]string      `json:"response_headers_from_to_headers"`
		Body    map[string]interface{} `json:"response_json_body"`
	} `json:"axon_success_response"`
}

const goldenNonce = 1760000000000000000

// TestPythonDendriteBytesAgainstGoAxon replays the exact bytes a Python dendrite (aiohttp) sends for the
// golden request (//Alice to an axon owned by //Bob) and checks the Go axon's reply against the golden
// success response.
func TestPythonDendriteBytesAgainstGoAxon(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/golden/sdk_synapse.json")
	require.NoError(t, err)
	var g goldenWire
	require.NoError(t, json.Unmarshal(raw, &g))
	pyRaw, err := os.ReadFile("../synapse/testdata/python_json_bytes.json")
	require.NoError(t, err)
	var py map[string]string
	require.NoError(t, json.Unmarshal(pyRaw, &py))

	// The axon's clock: it starts before the nonce and answers 1 s after it.
	var clock atomic.Int64
	clock.Store(goldenNonce - int64(time.Second))
	ta := startAxon(t, axon.Config{Now: func() time.Time { return time.Unix(0, clock.Load()) }}, axon.Handler[*Dummy]{
		Forward: func(_ context.Context, r *axon.Request, s *Dummy) error {
			require.True(t, r.Verified)
			require.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", r.Hotkey)
			s.Output = synapse.Ptr(2)
			return nil
		},
	})
	clock.Store(goldenNonce + int64(time.Second))

	body := py["dendrite_request_body_dumps"]
	var req strings.Builder
	req.WriteString("POST /Dummy HTTP/1.1\r\nHost: 198.51.100.3:8091\r\n")
	keys := make([]string, 0, len(g.DendriteRequest.Case.Headers))
	for k := range g.DendriteRequest.Case.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		req.WriteString(k + ": " + g.DendriteRequest.Case.Headers[k] + "\r\n")
	}
	fmt.Fprintf(&req, "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: Python/3.11 aiohttp/3.10.11\r\n"+
		"Content-Length: %d\r\nContent-Type: application/json\r\n\r\n%s", len(body), body)

	conn, err := net.Dial("tcp", strings.TrimPrefix(ta.url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte(req.String()))
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	var got map[string]interface{}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))

	// Body: the golden body, except the measured process time and the CPython size artefacts.
	want := g.AxonSuccess.Body
	for _, m := range []map[string]interface{}{want, got} {
		delete(m["axon"].(map[string]interface{}), "process_time")
		delete(m, "total_size")
		delete(m, "header_size")
	}
	require.Equal(t, want, got)

	// Headers: the golden set, same values except process time and sizes.
	for k, v := range g.AxonSuccess.Headers {
		switch k {
		case "bt_header_axon_process_time", "header_size", "total_size":
			require.NotEmpty(t, resp.Header.Get(k), k)
		default:
			require.Equal(t, v, resp.Header.Get(k), k)
		}
	}
	require.EqualValues(t, 1, ta.forwards.Load())

	// The same bytes again are a replay.
	conn2, err := net.Dial("tcp", strings.TrimPrefix(ta.url, "http://"))
	require.NoError(t, err)
	defer conn2.Close()
	_, err = conn2.Write([]byte(req.String()))
	require.NoError(t, err)
	resp2, err := http.ReadResponse(bufio.NewReader(conn2), nil)
	require.NoError(t, err)
	_ = resp2.Body.Close()
	require.Equal(t, 401, resp2.StatusCode)
	require.EqualValues(t, 1, ta.forwards.Load())
}

// The golden nonce-window table (timeout 12 s, first contact): accepted iff age < 16 s.
func TestNonceWindowTable(t *testing.T) {
	for _, c := range []struct {
		age      int
		accepted bool
	}{{1, true}, {3, true}, {5, true}, {15, true}, {18, false}, {19, false}} {
		var clock atomic.Int64
		base := time.Now().UnixNano()
		clock.Store(base - 60*int64(time.Second))
		ta := startAxon(t, axon.Config{Now: func() time.Time { return time.Unix(0, clock.Load()) }}, axon.Handler[*Dummy]{})
		clock.Store(base)
		s := sign(t, mustKey(t, "//Alice"), ta.Hotkey(), base-int64(c.age)*int64(time.Second), "window", 1)
		code, _, body := s.post(t, ta.url)
		if c.accepted {
			require.Equal(t, 200, code, "age %d: %s", c.age, body)
		} else {
			require.Equal(t, 401, code, "age %d", c.age)
		}
	}
}

// Legacy dendrites (< 7.2.0) send monotonic nonces: only the increasing rule applies.
func TestLegacyMonotonicNonce(t *testing.T) {
	ta := startAxon(t, axon.Config{}, axon.Handler[*Dummy]{})
	alice := mustKey(t, "//Alice")
	for i, nonce := range []int64{1_000, 3_000_000_000} {
		s := sign(t, alice, ta.Hotkey(), nonce, "legacy", i)
		s.header.Set("bt_header_dendrite_version", "7001000")
		code, _, body := s.post(t, ta.url)
		require.Equal(t, 200, code, string(body))
	}
	// 2 s below the newest: refused (slightly out-of-order unseen nonces are tolerated, see below).
	s := sign(t, alice, ta.Hotkey(), 500_000_000, "legacy", 3)
	s.header.Set("bt_header_dendrite_version", "7001000")
	code, _, _ := s.post(t, ta.url)
	require.Equal(t, 401, code)
	// Overtaken in flight (within 2 s of the newest, never seen): accepted once, then a replay.
	s = sign(t, alice, ta.Hotkey(), 2_500_000_000, "legacy", 4)
	s.header.Set("bt_header_dendrite_version", "7001000")
	code, _, _ = s.post(t, ta.url)
	require.Equal(t, 200, code)
	code, _, _ = s.post(t, ta.url)
	require.Equal(t, 401, code)
}
