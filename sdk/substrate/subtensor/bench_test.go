package subtensor

import (
	"encoding/hex"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
)

// BenchmarkDecodeMetagraph decodes the recorded 1,024-uid selective mechagraph of subnet 1 from its hex
// answer (hex decoding included) into the domain Metagraph.
func BenchmarkDecodeMetagraph(b *testing.B) {
	raw := recorded(b, "metagraph", "SubnetInfoRuntimeApi_get_selective_mechagraph")
	hexAnswer := hex.EncodeToString(raw)
	r := NewRuntime(codec.New(metaV15))
	call, err := r.Metagraph(1, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		data, err := hex.DecodeString(hexAnswer)
		if err != nil {
			b.Fatal(err)
		}
		mg, err := r.DecodeMetagraph(call, 0, data)
		if err != nil || len(mg.Neurons) != 1024 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeNeuronsLite decodes the recorded get_neurons_lite answer (1,024 neurons).
func BenchmarkDecodeNeuronsLite(b *testing.B) {
	raw := recorded(b, "metagraph", "NeuronInfoRuntimeApi_get_neurons_lite")
	r := NewRuntime(codec.New(metaV15))
	call, _ := r.NeuronsLite(1)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		n, err := r.DecodeNeuronsLite(call, raw)
		if err != nil || len(n) != 1024 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSubnetState decodes the recorded get_subnet_state answer (1,024 uids).
func BenchmarkDecodeSubnetState(b *testing.B) {
	raw := recorded(b, "metagraph", "SubnetInfoRuntimeApi_get_subnet_state")
	r := NewRuntime(codec.New(metaV15))
	call, _ := r.SubnetState(1)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := r.DecodeSubnetState(call, raw)
		if err != nil || len(s.Neurons) != 1024 {
			b.Fatal(err)
		}
	}
}
