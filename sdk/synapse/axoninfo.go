package synapse

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"time"
)

// ProtocolVersion is the SDK version this implementation speaks, as version_as_int (10.2.0).
const ProtocolVersion = 10_002_000

// NonceWallClockVersion is the first dendrite version (7.2.0) that sends wall-clock nonces.
const NonceWallClockVersion = 7_002_000

// VersionAsInt is the SDK's major*1_000_000 + minor*1_000 + patch.
func VersionAsInt(major, minor, patch int) int64 {
	return int64(major)*1_000_000 + int64(minor)*1_000 + int64(patch)
}

// Certificate algorithms (the first byte of what serve_axon_tls publishes). The numbers follow Substrate's
// crypto type numbering (ed25519 0, sr25519 1, ecdsa 2).
const (
	CertEd25519 byte = 0
)

// MaxCertificateKey is the longest public key the chain keeps (the whole certificate is at most 65 bytes).
const MaxCertificateKey = 64

// Certificate is what an axon publishes with serve_axon_tls: the algorithm and the public key of its TLS
// certificate.
type Certificate struct {
	Algorithm byte
	PublicKey []byte
}

// Bytes is the on-chain encoding: the algorithm byte followed by the key.
func (c Certificate) Bytes() []byte { return append([]byte{c.Algorithm}, c.PublicKey...) }

// ParseCertificate decodes the on-chain certificate bytes (1 to 65 bytes).
func ParseCertificate(b []byte) (Certificate, error) {
	if len(b) < 2 || len(b) > 1+MaxCertificateKey {
		return Certificate{}, fmt.Errorf("certificate must be 2 to %d bytes, got %d", 1+MaxCertificateKey, len(b))
	}
	return Certificate{Algorithm: b[0], PublicKey: append([]byte(nil), b[1:]...)}, nil
}

// AxonInfo is what a neuron publishes on chain about its axon (Python AxonInfo), plus the TLS certificate
// from NeuronCertificates when it has one.
type AxonInfo struct {
	Version      uint32
	IP           netip.Addr
	Port         uint16
	Hotkey       string
	Coldkey      string
	Protocol     uint8
	Placeholder1 uint8
	Placeholder2 uint8
	// TLS is the published certificate key; nil means plain HTTP.
	TLS *Certificate
}

// IPType is 4 or 6.
func (a AxonInfo) IPType() uint8 {
	if a.IP.Is4() || a.IP.Is4In6() {
		return 4
	}
	return 6
}

// IPInt is the address as the chain's u128 integer (a·2^24+b·2^16+c·2^8+d for IPv4).
func (a AxonInfo) IPInt() *big.Int {
	if !a.IP.IsValid() {
		return new(big.Int)
	}
	if a.IP.Is4() || a.IP.Is4In6() {
		b := a.IP.Unmap().As4()
		return new(big.Int).SetUint64(uint64(binary.BigEndian.Uint32(b[:])))
	}
	b := a.IP.As16()
	return new(big.Int).SetBytes(b[:])
}

// IPFromInt decodes the chain integer as the Python SDK does (netaddr.IPAddress(int), ignoring ip_type):
// up to 2^32-1 is IPv4, anything larger IPv6.
func IPFromInt(n *big.Int) (netip.Addr, error) {
	if n.Sign() < 0 || n.BitLen() > 128 {
		return netip.Addr{}, errors.New("ip integer out of the u128 range")
	}
	if n.BitLen() <= 32 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(n.Uint64()))
		return netip.AddrFrom4(b), nil
	}
	var b [16]byte
	n.FillBytes(b[:])
	return netip.AddrFrom16(b), nil
}

// IsServing reports whether the axon has an address (0.0.0.0 means not serving).
func (a AxonInfo) IsServing() bool { return a.IP.IsValid() && !a.IP.IsUnspecified() }

// String is Python's ip_str(): /ipv<type>/<ip>:<port>.
func (a AxonInfo) String() string {
	return "/ipv" + strconv.Itoa(int(a.IPType())) + "/" + a.IP.String() + ":" + strconv.Itoa(int(a.Port))
}

// HostPort is the dialable address, bracketing IPv6 (which the Python dendrite forgets to do).
func (a AxonInfo) HostPort() string {
	return netip.AddrPortFrom(a.IP.Unmap(), a.Port).String()
}

// NewUUID1 makes a version-1 UUID string (time-based) with a random node id and clock sequence, like
// Python's uuid1() on a host without a readable MAC address.
func NewUUID1() string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	// 100 ns intervals since 1582-10-15.
	ts := uint64(time.Now().UnixNano()/100) + 0x01b21dd213814000
	var u [16]byte
	binary.BigEndian.PutUint32(u[0:4], uint32(ts))
	binary.BigEndian.PutUint16(u[4:6], uint16(ts>>32))
	binary.BigEndian.PutUint16(u[6:8], uint16(ts>>48)&0x0fff|0x1000)
	u[8] = r[0]&0x3f | 0x80
	u[9] = r[1]
	copy(u[10:], r[2:8])
	u[10] |= 0x01 // multicast bit: a random node id, as RFC 4122 §4.5 asks
	return formatUUID(u)
}

// NewUUID4 makes a random UUID string (Python uuid4), used to tag internal errors.
func NewUUID4() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u)
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
