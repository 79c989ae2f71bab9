package runtime

import (
	"github.com/gotensor/gotensor/chain/codec"
	"github.com/gotensor/gotensor/chain/tx"
)

// Serving (spec/chain.md §5): serve_axon, serve_axon_tls, serve_prometheus.

// AxonInfo is the stored axon endpoint (SCALE field order of subtensor's AxonInfo).
type AxonInfo struct {
	Block        uint64  `json:"block"`
	Version      uint32  `json:"version"`
	IP           tx.U128 `json:"ip"`
	Port         uint16  `json:"port"`
	IPType       uint8   `json:"ip_type"`
	Protocol     uint8   `json:"protocol"`
	Placeholder1 uint8   `json:"placeholder1"`
	Placeholder2 uint8   `json:"placeholder2"`
}

// PrometheusInfo is the stored prometheus endpoint.
type PrometheusInfo struct {
	Block   uint64  `json:"block"`
	Version uint32  `json:"version"`
	IP      tx.U128 `json:"ip"`
	Port    uint16  `json:"port"`
	IPType  uint8   `json:"ip_type"`
}

// NeuronCertificate is the stored TLS certificate: an algorithm byte and a public key of ≤ 64 bytes.
type NeuronCertificate struct {
	Algorithm uint8  `json:"algorithm"`
	PublicKey []byte `json:"public_key"`
}

func (a AxonInfo) encode() []byte {
	w := codec.NewWriter(36)
	w.U64(a.Block)
	w.U32(a.Version)
	w.U128(a.IP.Hi, a.IP.Lo)
	w.U16(a.Port)
	w.U8(a.IPType)
	w.U8(a.Protocol)
	w.U8(a.Placeholder1)
	w.U8(a.Placeholder2)
	return w.Bytes()
}

func (s st) axon(netuid uint16, hot [32]byte) (AxonInfo, bool) {
	v, ok := s.kv.Get(kNA(kAxons, netuid, hot))
	if !ok {
		return AxonInfo{}, false
	}
	r := codec.NewReader(v)
	a := AxonInfo{Block: r.U64(), Version: r.U32()}
	a.IP.Hi, a.IP.Lo = r.U128()
	a.Port, a.IPType, a.Protocol, a.Placeholder1, a.Placeholder2 = r.U16(), r.U8(), r.U8(), r.U8(), r.U8()
	return a, true
}

func (p PrometheusInfo) encode() []byte {
	w := codec.NewWriter(32)
	w.U64(p.Block)
	w.U32(p.Version)
	w.U128(p.IP.Hi, p.IP.Lo)
	w.U16(p.Port)
	w.U8(p.IPType)
	return w.Bytes()
}

func (s st) prometheus(netuid uint16, hot [32]byte) (PrometheusInfo, bool) {
	v, ok := s.kv.Get(kNA(kPrometheus, netuid, hot))
	if !ok {
		return PrometheusInfo{}, false
	}
	r := codec.NewReader(v)
	p := PrometheusInfo{Block: r.U64(), Version: r.U32()}
	p.IP.Hi, p.IP.Lo = r.U128()
	p.Port, p.IPType = r.U16(), r.U8()
	return p, true
}

func (s st) certificate(netuid uint16, hot [32]byte) (NeuronCertificate, bool) {
	v, ok := s.kv.Get(kNA(kCertificates, netuid, hot))
	if !ok || len(v) == 0 {
		return NeuronCertificate{}, false
	}
	return NeuronCertificate{Algorithm: v[0], PublicKey: append([]byte(nil), v[1:]...)}, true
}

// registeredAnywhere is CLASSIC's serving membership test: IsNetworkMember has any true entry.
func (s st) registeredAnywhere(hot [32]byte) bool {
	found := false
	iteratePrefix(s, key(kIsNetworkMember).acct(hot), func(_, v []byte) {
		found = found || (len(v) == 1 && v[0] == 1)
	})
	return found
}

// ValidIPType reports ip_type ∈ {4, 6}.
func ValidIPType(t uint8) bool { return t == 4 || t == 6 }

// ValidIP is §5.1 step 3: IPv4 rejects ≥ 2^32−1 and exactly 127.0.0.1; IPv6 rejects u128::MAX and ::1;
// zero passes only when allowZero.
func ValidIP(ip tx.U128, ipType uint8, allowZero bool) bool {
	if !allowZero && ip.Hi == 0 && ip.Lo == 0 {
		return false
	}
	switch ipType {
	case 4:
		return ip.Hi == 0 && ip.Lo < 0xFFFFFFFF && ip.Lo != 0x7F000001
	case 6:
		return !(ip.Hi == u64max && ip.Lo == u64max) && !(ip.Hi == 0 && ip.Lo == 1)
	}
	return false
}

func (c *call) servingRateOK(netuid uint16, prevBlock uint64) bool {
	limit := c.s.hp(netuid, HPServingRateLimit)
	return limit == 0 || prevBlock == 0 || c.block-prevBlock >= limit
}

// serveAxon is §5.1 (and serve_axon_tls when cert != nil): 1. the hotkey is registered on any subnet
// (HotKeyNotRegisteredInNetwork); 2. ip_type (InvalidIpType); 3. ip, zero allowed (InvalidIpAddress);
// 4. serving rate limit against the previous axon's block (ServingRateLimitExceeded); 5. port ≠ 0
// (InvalidPort). A 1..65-byte certificate is stored, any other length silently ignored.
// Event AxonServed(netuid, hotkey).
func (c *call) serveAxon(a tx.ServeAxon, cert []byte) error {
	s, hot := c.s, c.signer
	if !s.registeredAnywhere(hot) {
		return fail(ErrHotKeyNotRegisteredInNetwork, "serve axon")
	}
	if !ValidIPType(a.IPType) {
		return fail(ErrInvalidIpType, "serve axon: ip type %d", a.IPType)
	}
	if !ValidIP(a.IP, a.IPType, true) {
		return fail(ErrInvalidIpAddress, "serve axon")
	}
	prev, _ := s.axon(a.Netuid, hot)
	if !c.servingRateOK(a.Netuid, prev.Block) {
		return fail(ErrServingRateLimitExceeded, "serve axon on netuid %d: last at block %d", a.Netuid, prev.Block)
	}
	if a.Port == 0 {
		return fail(ErrInvalidPort, "serve axon")
	}
	if n := len(cert); n >= 1 && n <= 65 {
		s.kv.Set(kNA(kCertificates, a.Netuid, hot), cert)
	}
	info := AxonInfo{Block: c.block, Version: a.Version, IP: a.IP, Port: a.Port, IPType: a.IPType,
		Protocol: a.Protocol, Placeholder1: a.Placeholder1, Placeholder2: a.Placeholder2}
	s.kv.Set(kNA(kAxons, a.Netuid, hot), info.encode())
	c.emit(ev(EvAxonServed, attrU("netuid", uint64(a.Netuid)), attrA("hotkey", hot)))
	return nil
}

// servePrometheus is §5.2: 1. ip_type; 2. ip, zero not allowed; 3. registered anywhere; 4. rate limit;
// 5. port. Event PrometheusServed(netuid, hotkey).
func (c *call) servePrometheus(p tx.ServePrometheus) error {
	s, hot := c.s, c.signer
	if !ValidIPType(p.IPType) {
		return fail(ErrInvalidIpType, "serve prometheus: ip type %d", p.IPType)
	}
	if !ValidIP(p.IP, p.IPType, false) {
		return fail(ErrInvalidIpAddress, "serve prometheus")
	}
	if !s.registeredAnywhere(hot) {
		return fail(ErrHotKeyNotRegisteredInNetwork, "serve prometheus")
	}
	prev, _ := s.prometheus(p.Netuid, hot)
	if !c.servingRateOK(p.Netuid, prev.Block) {
		return fail(ErrServingRateLimitExceeded, "serve prometheus on netuid %d: last at block %d", p.Netuid, prev.Block)
	}
	if p.Port == 0 {
		return fail(ErrInvalidPort, "serve prometheus")
	}
	info := PrometheusInfo{Block: c.block, Version: p.Version, IP: p.IP, Port: p.Port, IPType: p.IPType}
	s.kv.Set(kNA(kPrometheus, p.Netuid, hot), info.encode())
	c.emit(ev(EvPrometheusServed, attrU("netuid", uint64(p.Netuid)), attrA("hotkey", hot)))
	return nil
}
