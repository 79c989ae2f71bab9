package axon

import (
	"context"

	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// ChainServer is the part of the chain client (sdk/client.Chain) that announces an axon.
type ChainServer interface {
	ServeAxon(ctx context.Context, hotkey client.Signer, netuid uint16, axon client.Axon, opts ...client.TxOption) (*client.Receipt, error)
}

// ClientAnnouncer is an Announcer over the chain client: serve_axon or serve_axon_tls, signed by Hotkey (the
// axon's own hotkey, a *keys.Keypair).
type ClientAnnouncer struct {
	Chain  ChainServer
	Hotkey client.Signer
}

// ServeAxon announces info with serve_axon.
func (c ClientAnnouncer) ServeAxon(ctx context.Context, netuid uint16, info synapse.AxonInfo) error {
	_, err := c.Chain.ServeAxon(ctx, c.Hotkey, netuid, clientAxon(info, nil))
	return err
}

// ServeAxonTLS announces info and the TLS certificate with serve_axon_tls.
func (c ClientAnnouncer) ServeAxonTLS(ctx context.Context, netuid uint16, info synapse.AxonInfo, certificate []byte) error {
	_, err := c.Chain.ServeAxon(ctx, c.Hotkey, netuid, clientAxon(info, certificate))
	return err
}

func clientAxon(info synapse.AxonInfo, cert []byte) client.Axon {
	return client.Axon{IP: info.IP, Port: info.Port, Protocol: info.Protocol, Version: info.Version, Certificate: cert}
}
