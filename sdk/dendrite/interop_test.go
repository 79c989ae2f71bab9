package dendrite_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/dendrite"
	"github.com/gotensor/gotensor/sdk/synapse"
)

type goldenWire struct {
	DendriteRequest struct {
		Case struct {
			SignatureMessage string            `json:"signature_message"`
			Headers          map[string]string `json:"headers"`
		} `json:"case"`
	} `json:"dendrite_request"`
	AxonSuccess struct {
		Headers map[string]string `json:"response_headers_from_to_headers"`
	} `json:"axon_success_response"`
}

// TestGoDendriteAgainstPythonAxonBytes: the Go dendrite's request must be the golden Python request (headers
// and json.dumps body byte for byte, except the CPython sizes and the randomised signature, which must
// verify), and the Python axon's golden reply bytes must merge into the typed synapse.
func TestGoDendriteAgainstPythonAxonBytes(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/golden/sdk_synapse.json")
	require.NoError(t, err)
	var g goldenWire
	require.NoError(t, json.Unmarshal(raw, &g))
	pyRaw, err := os.ReadFile("../synapse/testdata/python_json_bytes.json")
	require.NoError(t, err)
	var py map[string]string
	require.NoError(t, json.Unmarshal(pyRaw, &py))

	// The Python axon's reply: Starlette's compact JSON, bt headers in lower case, uvicorn's own headers.
	replyBody := py["axon_success_body_compact"]
	hk := make([]string, 0, len(g.AxonSuccess.Headers))
	for k := range g.AxonSuccess.Headers {
		hk = append(hk, k)
	}
	sort.Strings(hk)
	var extra strings.Builder
	extra.WriteString("date: Sun, 22 Nov 2026 00:00:00 GMT\r\nserver: uvicorn\r\n")
	for _, k := range hk {
		extra.WriteString(k + ": " + g.AxonSuccess.Headers[k] + "\r\n")
	}
	var gotReq *http.Request
	var gotBody []byte
	addr := fakeServer(t, func(req *http.Request, body []byte) string {
		gotReq, gotBody = req, body
		return rawReply("200 OK", "application/json", replyBody, extra.String())
	})

	d := newDendrite(t,
		dendrite.WithClock(func() time.Time { return time.Unix(0, 1760000000000000000) }),
		dendrite.WithUUID("5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a"),
		dendrite.WithExternalIP("203.0.113.7"),
		dendrite.WithDialContext(func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr) // 198.51.100.3:8091 is this fake axon
		}))
	target := synapse.AxonInfo{IP: netip.MustParseAddr("198.51.100.3"), Port: 8091,
		Hotkey: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"}
	got := dendrite.Call(context.Background(), d, target, &Dummy{Input: 1}, 12*time.Second)

	// The request.
	require.NotNil(t, gotReq)
	require.Equal(t, "/Dummy", gotReq.URL.Path)
	require.Equal(t, "application/json", gotReq.Header.Get("Content-Type"))
	for k, v := range g.DendriteRequest.Case.Headers {
		switch k {
		case "header_size", "total_size":
			require.Equal(t, "0", gotReq.Header.Get(k), k)
		case "bt_header_dendrite_signature":
			sig, err := hex.DecodeString(strings.TrimPrefix(gotReq.Header.Get(k), "0x"))
			require.NoError(t, err)
			alice, _ := keys.FromURI("//Alice")
			require.True(t, alice.Verify([]byte(g.DendriteRequest.Case.SignatureMessage), sig))
		default:
			require.Equal(t, v, gotReq.Header.Get(k), k)
		}
	}
	wantBody := strings.Replace(py["dendrite_request_body_dumps"], `"total_size": 3004`, `"total_size": 0`, 1)
	wantBody = strings.Replace(wantBody, g.DendriteRequest.Case.Headers["bt_header_dendrite_signature"], gotReq.Header.Get("bt_header_dendrite_signature"), 1)
	require.Equal(t, wantBody, string(gotBody), "json.dumps bytes")

	// The merged answer.
	require.Equal(t, 200, *got.Dendrite.StatusCode, deref(got.Dendrite.StatusMessage))
	require.Equal(t, "Success", *got.Dendrite.StatusMessage)
	require.Equal(t, 2, *got.Output)
	require.Equal(t, 0.000123, *got.Axon.ProcessTime)
	require.Equal(t, "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", *got.Axon.Hotkey)
	require.NotNil(t, got.Dendrite.ProcessTime)
	require.Equal(t, fmt.Sprint(int64(1760000000000000000)), fmt.Sprint(*got.Dendrite.Nonce))
}
