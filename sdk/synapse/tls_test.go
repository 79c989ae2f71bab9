package synapse_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/sdk/synapse"
)

func tlsServer(t *testing.T, key ed25519.PrivateKey) string {
	t.Helper()
	cert, err := synapse.NewTLSCertificate(key)
	require.NoError(t, err)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13})
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = c.Write([]byte("ok"))
			}()
		}
	}()
	return ln.Addr().String()
}

func TestTLSPinning(t *testing.T) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	addr := tlsServer(t, key)
	pub := key.Public().(ed25519.PublicKey)
	published := synapse.CertificateFor(pub).Bytes()
	require.Len(t, published, 33)
	require.LessOrEqual(t, len(published), 65)
	c, err := synapse.ParseCertificate(published)
	require.NoError(t, err)

	cfg, err := synapse.PinnedTLSConfig(c)
	require.NoError(t, err)
	require.False(t, cfg.InsecureSkipVerify)
	conn, err := tls.Dial("tcp", addr, cfg)
	require.NoError(t, err)
	b, err := io.ReadAll(conn)
	require.NoError(t, err)
	require.Equal(t, "ok", string(b))
	_ = conn.Close()

	// Another key (an impostor, or a stale metagraph entry) is refused.
	otherPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	cfg2, err := synapse.PinnedTLSConfig(synapse.CertificateFor(otherPub))
	require.NoError(t, err)
	_, err = tls.Dial("tcp", addr, cfg2)
	require.Error(t, err)

	// An impostor server with its own key but the victim's name is refused too.
	_, impostor, _ := ed25519.GenerateKey(rand.Reader)
	addr2 := tlsServer(t, impostor)
	_, err = tls.Dial("tcp", addr2, cfg)
	require.Error(t, err)
	_ = net.IPv4len
}
