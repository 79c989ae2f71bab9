package dendrite_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/dendrite"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// Tokens is a streaming synapse: the reply body is the subnet's own chunk format (here: words).
type Tokens struct {
	synapse.Base
	Prompt string `json:"prompt" synapse:"required,hash"`
	Words  int    `json:"words"`
}

func TestStreaming(t *testing.T) {
	a, err := axon.New(key(t, "//Bob"), axon.Config{IP: "127.0.0.1", Logger: quietLogger()})
	require.NoError(t, err)
	require.NoError(t, axon.AttachStream(a, axon.StreamHandler[*Tokens]{
		Forward: func(_ context.Context, r *axon.Request, s *Tokens) (axon.StreamFunc, error) {
			s.Words = 3 // set before streaming: carried by the reply headers' hash and body-less merge
			return func(ctx context.Context, w *axon.StreamWriter) error {
				for i := range s.Words {
					if _, err := fmt.Fprintf(w, "%s-%d\n", s.Prompt, i); err != nil {
						return err
					}
					time.Sleep(5 * time.Millisecond)
				}
				return nil
			}, nil
		},
	}))
	require.NoError(t, a.Start())
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = a.Shutdown(ctx)
	}()
	target := synapse.AxonInfo{IP: netip.MustParseAddr("127.0.0.1"), Port: uint16(a.Addr().(*net.TCPAddr).Port), Hotkey: a.Hotkey()}
	d := newDendrite(t)

	sr := dendrite.Stream(context.Background(), d, target, &Tokens{Prompt: "tok"}, 5*time.Second)
	require.NotNil(t, sr.Body, deref(sr.Synapse.Dendrite.StatusMessage))
	require.Equal(t, "text/event-stream", sr.Header.Get("Content-Type"))
	var chunks []string
	sc := bufio.NewScanner(sr.Body)
	for sc.Scan() {
		chunks = append(chunks, sc.Text())
	}
	require.NoError(t, sc.Err())
	require.Equal(t, []string{"tok-0", "tok-1", "tok-2"}, chunks)
	got := sr.Close()
	require.Equal(t, 200, *got.Dendrite.StatusCode)
	require.Equal(t, "Success", *got.Dendrite.StatusMessage)
	require.NotNil(t, got.Axon.ProcessTime)
	require.NotNil(t, got.Dendrite.ProcessTime)

	// Refused before streaming (wrong axon hotkey): no body, the status says why.
	bad := target
	bad.Hotkey = key(t, "//Charlie").SS58()
	sr = dendrite.Stream(context.Background(), d, bad, &Tokens{Prompt: "x"}, 5*time.Second)
	require.Nil(t, sr.Body)
	require.Equal(t, 401, *sr.Close().Dendrite.StatusCode)

	// A stream that outlives its timeout.
	sr = dendrite.Stream(context.Background(), d, target, &Tokens{Prompt: strings.Repeat("y", 3)}, 8*time.Millisecond)
	if sr.Body != nil {
		_, _ = io.Copy(io.Discard, sr.Body)
	}
	require.NotEqual(t, 200, *sr.Close().Dendrite.StatusCode)
}
