package dendrite

import (
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// TargetOf turns a neuron's on-chain axon (as sdk/client and sdk/metagraph return it) into a dendrite
// target. cert is the neuron's published TLS certificate (NeuronLite.Certificate), nil for plain HTTP.
func TargetOf(info client.AxonInfo, hotkey, coldkey client.AccountID, cert *client.Certificate) synapse.AxonInfo {
	t := synapse.AxonInfo{Version: info.Version, IP: info.IP, Port: info.Port, Hotkey: hotkey.SS58(),
		Coldkey: coldkey.SS58(), Protocol: info.Protocol, Placeholder1: info.Placeholder1, Placeholder2: info.Placeholder2}
	if cert != nil {
		t.TLS = &synapse.Certificate{Algorithm: cert.Algorithm, PublicKey: append([]byte(nil), cert.PublicKey...)}
	}
	return t
}
