package axon_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/synapse"
)

func message(t *testing.T, body []byte) string {
	t.Helper()
	var m struct {
		Message string `json:"message"`
	}
	require.NoError(t, json.Unmarshal(body, &m), string(body))
	return m.Message
}

func TestSignedRequestAccepted(t *testing.T) {
	ta := startAxon(t, axon.Config{}, axon.Handler[*Dummy]{})
	alice := mustKey(t, "//Alice")
	code, hdr, body := sign(t, alice, ta.Hotkey(), now(), "u-1", 21).post(t, ta.url)
	require.Equal(t, 200, code, string(body))
	var d Dummy
	require.NoError(t, synapse.Unmarshal(body, &d))
	require.Equal(t, 42, *d.Output)
	require.Equal(t, 200, *d.Axon.StatusCode)
	require.Equal(t, "Success", *d.Axon.StatusMessage)
	require.Equal(t, "200", hdr.Get("bt_header_axon_status_code"))
	require.Equal(t, "application/json", hdr.Get("Content-Type"))
	require.EqualValues(t, 1, ta.forwards.Load())
}

// Each attack is refused with its documented status, and forward is never called.
func TestAttacksRefused(t *testing.T) {
	alice := mustKey(t, "//Alice")
	charlie := mustKey(t, "//Charlie")
	blacklisted := mustKey(t, "//Eve")
	ta := startAxon(t, axon.Config{MaxBodyBytes: 4096}, axon.Handler[*Dummy]{
		Blacklist: func(_ context.Context, r *axon.Request, _ *Dummy) (bool, string) {
			if r.Hotkey == blacklisted.SS58() {
				return true, "hotkey not registered"
			}
			return false, ""
		},
	})
	bob := ta.Hotkey()
	cases := []struct {
		name   string
		req    func() *signed
		status int
		msg    string // prefix of the message
	}{
		{"forged signature", func() *signed {
			s := sign(t, alice, bob, now(), "forged", 1)
			other := sign(t, charlie, bob, now(), "forged", 1) // a real signature, by someone else
			s.header.Set("bt_header_dendrite_signature", other.header.Get("bt_header_dendrite_signature"))
			return s
		}, 401, "Not Verified with error: Signature mismatch with "},
		{"empty signature", func() *signed {
			s := sign(t, alice, bob, now(), "empty", 1)
			s.header.Set("bt_header_dendrite_signature", "")
			return s
		}, 401, "Not Verified with error: Missing Signature"},
		{"missing signature", func() *signed {
			s := sign(t, alice, bob, now(), "missing", 1)
			s.header.Del("bt_header_dendrite_signature")
			return s
		}, 401, "Not Verified with error: Missing Signature"},
		{"signature not hex", func() *signed {
			s := sign(t, alice, bob, now(), "nothex", 1)
			s.header.Set("bt_header_dendrite_signature", "0xzz")
			return s
		}, 401, "Not Verified with error: Invalid signature format. Expected hex string."},
		{"stale nonce", func() *signed {
			return sign(t, alice, bob, now()-20*int64(time.Second), "stale", 1)
		}, 401, "Not Verified with error: Nonce is too old: acceptable delta is 16.00 seconds but request was 20."},
		{"nonce from the future", func() *signed {
			return sign(t, alice, bob, now()+60*int64(time.Second), "future", 1)
		}, 401, "Not Verified with error: Nonce is too far in the future"},
		{"stale nonce with the version header stripped (downgrade)", func() *signed {
			s := sign(t, alice, bob, now()-20*int64(time.Second), "downgrade", 1)
			s.header.Del("bt_header_dendrite_version")
			return s
		}, 401, "Not Verified with error: Nonce is too old: acceptable delta is 16.00 seconds"},
		{"stale nonce claiming a legacy version", func() *signed {
			s := sign(t, alice, bob, now()-20*int64(time.Second), "downgrade2", 1)
			s.header.Set("bt_header_dendrite_version", "6000000")
			return s
		}, 401, "Not Verified with error: Nonce is too old: acceptable delta is 16.00 seconds"},
		{"wrong axon hotkey", func() *signed {
			return sign(t, alice, charlie.SS58(), now(), "wrongaxon", 1)
		}, 401, "Not Verified with error: Signature mismatch with "},
		{"invalid hotkey", func() *signed {
			s := sign(t, alice, bob, now(), "badkey", 1)
			s.header.Set("bt_header_dendrite_hotkey", "5notanaddress")
			return s
		}, 401, "Not Verified with error: Invalid SS58 address: 5notanaddress"},
		{"hotkey at infinity (the all-zero key)", func() *signed {
			s := sign(t, alice, bob, now(), "infinity", 1)
			s.header.Set("bt_header_dendrite_hotkey", keys.EncodeSS58(make([]byte, 32), 42))
			return s
		}, 401, "Not Verified with error: Signature mismatch with "},
		{"missing nonce", func() *signed {
			s := sign(t, alice, bob, now(), "nononce", 1)
			s.header.Del("bt_header_dendrite_nonce")
			return s
		}, 401, "Not Verified with error: Missing Nonce"},
		{"body tampered after signing", func() *signed {
			s := sign(t, alice, bob, now(), "tamper", 1)
			s.body = []byte(strings.Replace(string(s.body), `"input": 1`, `"input": 2`, 1))
			return s
		}, 500, "Internal Server Error #"},
		{"oversized body", func() *signed {
			s := sign(t, alice, bob, now(), "big", 1)
			s.body = append(s.body[:len(s.body)-1], []byte(`, "pad": "`+strings.Repeat("x", 8000)+`"}`)...)
			return s
		}, 413, "Payload Too Large"},
		{"malformed nonce header", func() *signed {
			s := sign(t, alice, bob, now(), "badnonce", 1)
			s.header.Set("bt_header_dendrite_nonce", "1.7e18")
			return s
		}, 500, "Internal Server Error #"},
		{"missing required input object", func() *signed {
			s := sign(t, alice, bob, now(), "noinput", 1)
			s.header.Del("bt_header_input_obj_input")
			return s
		}, 500, "Internal Server Error #"},
		{"undecodable base64 input object", func() *signed {
			s := sign(t, alice, bob, now(), "b64", 1)
			s.header.Set("bt_header_input_obj_input", "%%%")
			return s
		}, 500, "Internal Server Error #"},
		{"blacklisted hotkey", func() *signed {
			return sign(t, blacklisted, bob, now(), "black", 1)
		}, 403, "Forbidden. Key is blacklisted: hotkey not registered."},
		{"no identity at all", func() *signed {
			s := sign(t, alice, bob, now(), "anon", 1)
			for k := range s.header {
				if strings.HasPrefix(strings.ToLower(k), "bt_header_dendrite_") {
					s.header.Del(k)
				}
			}
			return s
		}, 401, "Not Verified with error: No SS58 formatted address or public key provided."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, hdr, body := c.req().post(t, ta.url)
			require.Equal(t, c.status, code, string(body))
			require.True(t, strings.HasPrefix(message(t, body), c.msg), "message %q", message(t, body))
			require.Equal(t, fmt.Sprint(c.status), hdr.Get("bt_header_axon_status_code"))
			require.EqualValues(t, 0, ta.forwards.Load(), "forward must not run")
		})
	}

	t.Run("replayed nonce", func(t *testing.T) {
		s := sign(t, alice, bob, now(), "replay", 5)
		code, _, body := s.post(t, ta.url)
		require.Equal(t, 200, code, string(body))
		require.EqualValues(t, 1, ta.forwards.Load())
		code, _, body = s.post(t, ta.url)
		require.Equal(t, 401, code)
		require.Equal(t, "Not Verified with error: Nonce is too old, a newer one was last processed", message(t, body))
		require.EqualValues(t, 1, ta.forwards.Load(), "the replay must not reach forward")
	})

	t.Run("malformed JSON body", func(t *testing.T) {
		s := sign(t, alice, bob, now(), "json", 1)
		s.body = []byte(`{"input": 1,`)
		before := ta.forwards.Load()
		code, hdr, body := s.post(t, ta.url)
		require.Equal(t, 422, code)
		require.Contains(t, string(body), `"detail"`)
		require.Empty(t, hdr.Get("bt_header_axon_status_code"))
		require.Equal(t, before, ta.forwards.Load())
	})

	t.Run("non-JSON content type", func(t *testing.T) {
		s := sign(t, alice, bob, now(), "ctype", 1)
		s.header.Set("Content-Type", "text/plain")
		code, _, _ := s.post(t, ta.url)
		require.Equal(t, 422, code)
	})

	t.Run("chunked oversized body", func(t *testing.T) {
		s := sign(t, alice, bob, now(), "chunked", 1)
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write(s.body[:len(s.body)-1])
			_, _ = pw.Write([]byte(`, "pad": "` + strings.Repeat("y", 9000) + `"}`))
			_ = pw.Close()
		}()
		req, err := http.NewRequest(http.MethodPost, ta.url+"/Dummy", pr)
		require.NoError(t, err)
		req.Header = s.header.Clone()
		before := ta.forwards.Load()
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		require.Equal(t, 413, resp.StatusCode)
		require.Equal(t, before, ta.forwards.Load())
	})
}

func TestSlowlorisDisconnected(t *testing.T) {
	ta := startAxon(t, axon.Config{ReadHeaderTimeout: 200 * time.Millisecond}, axon.Handler[*Dummy]{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(ta.url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /Dummy HTTP/1.1\r\nHost: x\r\n"))
	require.NoError(t, err)
	start := time.Now()
	// Trickle one header byte at a time; the server must hang up after ReadHeaderTimeout.
	var werr, rerr error
	for i := 0; i < 50 && werr == nil; i++ {
		time.Sleep(20 * time.Millisecond)
		_, werr = conn.Write([]byte("X"))
	}
	_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, rerr = io.ReadAll(conn)
	require.NoError(t, rerr, "the server must hang up (EOF), not leave the connection open")
	require.Less(t, time.Since(start), 2*time.Second)
	require.EqualValues(t, 0, ta.forwards.Load())
}

func TestFullQueueAnswers503(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 4)
	ta := startAxon(t, axon.Config{MaxWorkers: 1, QueueSize: 1}, axon.Handler[*Dummy]{
		Forward: func(ctx context.Context, _ *axon.Request, s *Dummy) error {
			started <- struct{}{}
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil
		},
	})
	alice := mustKey(t, "//Alice")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		s := sign(t, alice, ta.Hotkey(), now(), fmt.Sprintf("q-%d", i), i)
		go func() {
			defer wg.Done()
			codes[i], _, _ = s.post(t, ta.url)
		}()
		if i == 0 {
			<-started // the only worker is busy
		}
	}
	require.Eventually(t, func() bool { return queueDepth(t, ta) == 1 }, 5*time.Second, 10*time.Millisecond)
	code, _, body := sign(t, alice, ta.Hotkey(), now(), "q-full", 9).post(t, ta.url)
	require.Equal(t, 503, code)
	require.Contains(t, message(t, body), "queue is full")
	close(release)
	wg.Wait()
	require.Equal(t, []int{200, 200}, codes)
	require.EqualValues(t, 2, ta.forwards.Load(), "the refused request never reached forward")
}

func queueDepth(t *testing.T, ta *testAxon) int {
	t.Helper()
	return axon.QueueDepth(ta.Axon)
}

func TestPriorityOrdersTheQueue(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var order []int
	ta := startAxon(t, axon.Config{MaxWorkers: 1, QueueSize: 10}, axon.Handler[*Dummy]{
		Priority: func(_ context.Context, r *axon.Request, s *Dummy) float64 {
			// header synapse: required fields are dummies, so the priority comes from the verified caller
			return float64(len(r.UUID))
		},
		Forward: func(_ context.Context, r *axon.Request, s *Dummy) error {
			if s.Input == 0 {
				<-release
			}
			mu.Lock()
			order = append(order, s.Input)
			mu.Unlock()
			return nil
		},
	})
	alice := mustKey(t, "//Alice")
	var wg sync.WaitGroup
	post := func(uuid string, input int) {
		wg.Add(1)
		s := sign(t, alice, ta.Hotkey(), now(), uuid, input)
		go func() { defer wg.Done(); s.post(t, ta.url) }()
	}
	post("b", 0) // occupies the worker
	require.Eventually(t, func() bool { return ta.forwards.Load() == 1 }, 5*time.Second, 5*time.Millisecond)
	post("ccc", 1)
	require.Eventually(t, func() bool { return axon.QueueDepth(ta.Axon) == 1 }, 5*time.Second, 5*time.Millisecond)
	post("ccccc", 2)
	require.Eventually(t, func() bool { return axon.QueueDepth(ta.Axon) == 2 }, 5*time.Second, 5*time.Millisecond)
	post("cc", 3)
	require.Eventually(t, func() bool { return axon.QueueDepth(ta.Axon) == 3 }, 5*time.Second, 5*time.Millisecond)
	close(release)
	wg.Wait()
	require.Equal(t, []int{0, 2, 1, 3}, order)
}

func TestQueueWaitTimesOut(t *testing.T) {
	release := make(chan struct{})
	ta := startAxon(t, axon.Config{MaxWorkers: 1, QueueSize: 4}, axon.Handler[*Dummy]{
		Forward: func(ctx context.Context, _ *axon.Request, s *Dummy) error {
			if s.Input == 0 {
				<-release
			}
			return nil
		},
	})
	alice := mustKey(t, "//Alice")
	done := make(chan struct{})
	first := sign(t, alice, ta.Hotkey(), now(), "t0", 0)
	go func() { first.post(t, ta.url); close(done) }()
	require.Eventually(t, func() bool { return ta.forwards.Load() == 1 }, 5*time.Second, 5*time.Millisecond)
	s := sign(t, alice, ta.Hotkey(), now(), "t1", 1)
	s.header.Set("timeout", "0.3")
	code, _, body := s.post(t, ta.url)
	require.Equal(t, 408, code)
	require.Equal(t, "Response timeout after: 0.3s", message(t, body))
	close(release)
	<-done
	require.EqualValues(t, 1, ta.forwards.Load())
}

func TestForwardOutcomes(t *testing.T) {
	ta := startAxon(t, axon.Config{}, axon.Handler[*Dummy]{
		Forward: func(_ context.Context, _ *axon.Request, s *Dummy) error {
			switch s.Input {
			case 1:
				s.Axon.StatusCode = synapse.Ptr(404)
				s.Axon.StatusMessage = synapse.Ptr("Essential resource for CustomSynapse not found")
			case 2:
				return &synapse.StatusError{Code: 409, Message: "Conflicting request"}
			case 3:
				return fmt.Errorf("boom")
			case 4:
				panic("forward bug")
			}
			return nil
		},
	})
	alice := mustKey(t, "//Alice")
	code, _, body := sign(t, alice, ta.Hotkey(), now(), "f1", 1).post(t, ta.url)
	require.Equal(t, 404, code)
	var d Dummy
	require.NoError(t, synapse.Unmarshal(body, &d))
	require.Equal(t, "Essential resource for CustomSynapse not found", *d.Axon.StatusMessage)

	code, _, body = sign(t, alice, ta.Hotkey(), now(), "f2", 2).post(t, ta.url)
	require.Equal(t, 409, code)
	require.Equal(t, `{"message":"Conflicting request"}`, string(body))

	code, _, body = sign(t, alice, ta.Hotkey(), now(), "f3", 3).post(t, ta.url)
	require.Equal(t, 500, code)
	require.Regexp(t, `^Internal Server Error #[0-9a-f-]+$`, message(t, body))

	code, _, body = sign(t, alice, ta.Hotkey(), now(), "f4", 4).post(t, ta.url)
	require.Equal(t, 500, code)
	require.Regexp(t, `^Internal Server Error #[0-9a-f-]+$`, message(t, body))

	// Still serving after the panic.
	code, _, _ = sign(t, alice, ta.Hotkey(), now(), "f5", 5).post(t, ta.url)
	require.Equal(t, 200, code)
}

func TestRepoHTTPExamples(t *testing.T) {
	ta := startAxon(t, axon.Config{}, axon.Handler[*Dummy]{})
	resp, err := http.Get(ta.url + "/no_such_path")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Equal(t, 404, resp.StatusCode)
	require.Equal(t, "Synapse name 'no_such_path' not found. Available synapses ['Synapse', 'Dummy']", message(t, body))

	resp, err = http.Post(ta.url+"/Synapse", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Equal(t, 401, resp.StatusCode)
	require.Equal(t, "Not Verified with error: No SS58 formatted address or public key provided.", message(t, body))
}

// The reply's bt headers reach the wire in lower case (the Python dendrite matches them case-sensitively).
func TestLowerCaseHeadersOnTheWire(t *testing.T) {
	ta := startAxon(t, axon.Config{}, axon.Handler[*Dummy]{})
	s := sign(t, mustKey(t, "//Alice"), ta.Hotkey(), now(), "wire", 2)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ta.url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	var sb strings.Builder
	sb.WriteString("POST /Dummy HTTP/1.1\r\nHost: axon\r\nConnection: close\r\n")
	for k, v := range s.header {
		sb.WriteString(strings.ToLower(k) + ": " + v[0] + "\r\n")
	}
	fmt.Fprintf(&sb, "Content-Length: %d\r\n\r\n", len(s.body))
	sb.Write(s.body)
	_, err = conn.Write([]byte(sb.String()))
	require.NoError(t, err)
	raw, err := io.ReadAll(bufio.NewReader(conn))
	require.NoError(t, err)
	require.Contains(t, string(raw), "\r\nbt_header_axon_status_code: 200\r\n")
	require.Contains(t, string(raw), "\r\nbt_header_axon_status_message: Success\r\n")
	require.Contains(t, string(raw), "\r\ncomputed_body_hash: ")
	require.NotContains(t, string(raw), "Bt_header")
}

func TestInfoAndMetrics(t *testing.T) {
	ta := startAxon(t, axon.Config{MetricsAddr: "127.0.0.1:0"}, axon.Handler[*Dummy]{})
	resp, err := http.Get(ta.url + "/info")
	require.NoError(t, err)
	var info struct {
		Hotkey   string `json:"hotkey"`
		Synapses []struct {
			Name       string   `json:"name"`
			HashFields []string `json:"required_hash_fields"`
		} `json:"synapses"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&info))
	_ = resp.Body.Close()
	require.Equal(t, ta.Hotkey(), info.Hotkey)
	require.Len(t, info.Synapses, 2)
	require.Equal(t, "Dummy", info.Synapses[1].Name)
	require.Equal(t, []string{"input"}, info.Synapses[1].HashFields)

	sign(t, mustKey(t, "//Alice"), ta.Hotkey(), now(), "m", 1).post(t, ta.url)
	resp, err = http.Get("http://" + ta.MetricsAddr().String() + "/metrics")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Contains(t, string(b), `gotensor_axon_requests_total{code="200",synapse="Dummy"} 1`)
	require.Contains(t, string(b), `gotensor_axon_request_duration_seconds_bucket{synapse="Dummy"`)
	require.Contains(t, string(b), `gotensor_axon_queue_depth 0`)
}

func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	bob := mustKey(t, "//Bob")
	a, err := axon.New(bob, axon.Config{IP: "127.0.0.1"})
	require.NoError(t, err)
	entered := make(chan struct{})
	require.NoError(t, axon.Attach(a, axon.Handler[*Dummy]{Forward: func(context.Context, *axon.Request, *Dummy) error {
		close(entered)
		time.Sleep(200 * time.Millisecond)
		return nil
	}}))
	require.NoError(t, a.Start())
	url := "http://" + a.Addr().String()
	done := make(chan int)
	s := sign(t, mustKey(t, "//Alice"), a.Hotkey(), now(), "g", 1)
	go func() { c, _, _ := s.post(t, url); done <- c }()
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, a.Shutdown(ctx))
	require.Equal(t, 200, <-done)
	require.NoError(t, a.Shutdown(ctx), "a second Shutdown is a no-op")
}

type fakeAnnouncer struct {
	info    synapse.AxonInfo
	cert    []byte
	netuid  uint16
	withTLS bool
}

func (f *fakeAnnouncer) ServeAxon(_ context.Context, netuid uint16, info synapse.AxonInfo) error {
	f.netuid, f.info = netuid, info
	return nil
}

func (f *fakeAnnouncer) ServeAxonTLS(_ context.Context, netuid uint16, info synapse.AxonInfo, cert []byte) error {
	f.netuid, f.info, f.cert, f.withTLS = netuid, info, cert, true
	return nil
}

func TestServeOnChain(t *testing.T) {
	bob := mustKey(t, "//Bob")
	a, err := axon.New(bob, axon.Config{ExternalIP: "127.0.0.1", ExternalPort: 8091})
	require.NoError(t, err)
	var f fakeAnnouncer
	require.ErrorIs(t, a.ServeOnChain(context.Background(), &f, 1), axon.ErrBadExternalIP)
	a, err = axon.New(bob, axon.Config{})
	require.NoError(t, err)
	require.ErrorIs(t, a.ServeOnChain(context.Background(), &f, 1), axon.ErrBadExternalIP, "no web look-up: the IP must be given")

	a, err = axon.New(bob, axon.Config{ExternalIP: "127.0.0.2", ExternalPort: 8091})
	require.NoError(t, err)
	require.NoError(t, a.ServeOnChain(context.Background(), &f, 3))
	require.Equal(t, uint16(3), f.netuid)
	require.Equal(t, "/ipv4/127.0.0.2:8091", f.info.String())
	require.Equal(t, bob.SS58(), f.info.Hotkey)
	require.EqualValues(t, synapse.ProtocolVersion, f.info.Version)
	require.False(t, f.withTLS)

	a, err = axon.New(bob, axon.Config{ExternalIP: "127.0.0.2", ExternalPort: 8091, TLS: true})
	require.NoError(t, err)
	require.NoError(t, a.ServeOnChain(context.Background(), &f, 3))
	require.True(t, f.withTLS)
	require.Len(t, f.cert, 33)
	require.Equal(t, byte(synapse.CertEd25519), f.cert[0])

	a, err = axon.New(bob, axon.Config{ExternalIP: "127.0.0.2", ExternalPort: 80})
	require.NoError(t, err)
	require.Error(t, a.ServeOnChain(context.Background(), &f, 3))
}

func TestHookPanicAndMethod(t *testing.T) {
	ta := startAxon(t, axon.Config{}, axon.Handler[*Dummy]{
		Blacklist: func(context.Context, *axon.Request, *Dummy) (bool, string) { panic("blacklist bug") },
	})
	code, _, body := sign(t, mustKey(t, "//Alice"), ta.Hotkey(), now(), "hp", 1).post(t, ta.url)
	require.Equal(t, 500, code)
	require.Regexp(t, `^Internal Server Error #`, message(t, body))
	require.EqualValues(t, 0, ta.forwards.Load())

	req, err := http.NewRequest(http.MethodPut, ta.url+"/Dummy", strings.NewReader("{}"))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, 405, resp.StatusCode)
}
