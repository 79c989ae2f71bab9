package axon_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/synapse"
)

func TestConfigEnvAndFlags(t *testing.T) {
	env := map[string]string{"BT_AXON_PORT": "9000", "BT_AXON_EXTERNAL_IP": "198.51.100.9", "BT_AXON_MAX_WORKERS": "4",
		"BT_AXON_EXTERNAL_PORT": "9001", "BT_AXON_IP": "127.0.0.1"}
	var c axon.Config
	require.NoError(t, c.ApplyEnv(func(k string) string { return env[k] }))
	require.Equal(t, axon.Config{Port: 9000, ExternalIP: "198.51.100.9", MaxWorkers: 4, ExternalPort: 9001, IP: "127.0.0.1"}, c)
	require.Error(t, c.ApplyEnv(func(k string) string {
		if k == "BT_AXON_PORT" {
			return "x"
		}
		return ""
	}))

	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	c = axon.Config{Port: axon.DefaultPort}
	c.BindFlags(fs)
	require.NoError(t, fs.Parse([]string{"--axon.port", "8092", "--axon.tls", "--axon.external_ip", "127.0.0.2", "--axon.metrics_addr", ":9091"}))
	require.Equal(t, 8092, c.Port)
	require.True(t, c.TLS)
	require.Equal(t, "127.0.0.2", c.ExternalIP)
	require.Equal(t, ":9091", c.MetricsAddr)
}

type fakeChain struct {
	hotkey [32]byte
	netuid uint16
	axon   client.Axon
}

func (f *fakeChain) ServeAxon(_ context.Context, hotkey client.Signer, netuid uint16, a client.Axon, _ ...client.TxOption) (*client.Receipt, error) {
	f.hotkey, f.netuid, f.axon = hotkey.PublicKey(), netuid, a
	return &client.Receipt{}, nil
}

func TestClientAnnouncer(t *testing.T) {
	bob := mustKey(t, "//Bob")
	a, err := axon.New(bob, axon.Config{ExternalIP: "127.0.0.2", ExternalPort: 8091, TLS: true})
	require.NoError(t, err)
	var fc fakeChain
	require.NoError(t, a.ServeOnChain(context.Background(), axon.ClientAnnouncer{Chain: &fc, Hotkey: bob}, 7))
	require.Equal(t, bob.PublicKey(), fc.hotkey)
	require.Equal(t, uint16(7), fc.netuid)
	require.Equal(t, netip.MustParseAddr("127.0.0.2"), fc.axon.IP)
	require.Equal(t, uint16(8091), fc.axon.Port)
	require.Equal(t, uint8(4), fc.axon.Protocol)
	require.Equal(t, uint32(synapse.ProtocolVersion), fc.axon.Version)
	require.Equal(t, a.Certificate(), fc.axon.Certificate)
}
