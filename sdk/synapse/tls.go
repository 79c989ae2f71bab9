package synapse

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base32"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// An axon's TLS certificate is self-signed with an ed25519 key whose public half it publishes on chain
// (serve_axon_tls: algorithm byte 0 + 32-byte key). A dendrite trusts exactly that key: it builds a trust
// anchor holding the published key and lets crypto/tls verify the chain and the name as usual — no
// InsecureSkipVerify anywhere. The certificate's subject is a fixed name and its DNS name is derived from the
// key, so a certificate for another key fails both the signature check and the name check.

const tlsSubject = "gotensor axon"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// TLSServerName is the DNS name an axon certificate for pub carries and a dendrite asks for.
func TLSServerName(pub ed25519.PublicKey) string {
	return strings.ToLower(b32.EncodeToString(pub)) + ".axon.gotensor.invalid"
}

// NewTLSCertificate makes the self-signed certificate of an axon TLS key.
func NewTLSCertificate(key ed25519.PrivateKey) (tls.Certificate, error) {
	pub := key.Public().(ed25519.PublicKey)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: tlsSubject},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{TLSServerName(pub)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create axon certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// CertificateFor is what an axon with TLS key pub publishes.
func CertificateFor(pub ed25519.PublicKey) Certificate {
	return Certificate{Algorithm: CertEd25519, PublicKey: append([]byte(nil), pub...)}
}

// PinnedTLSConfig is a client TLS configuration that accepts only a server proving possession of the
// published key c. Verification is crypto/tls's own (chain, validity, name) against a trust anchor made of
// that key.
func PinnedTLSConfig(c Certificate) (*tls.Config, error) {
	if c.Algorithm != CertEd25519 || len(c.PublicKey) != ed25519.PublicKeySize {
		return nil, errors.New("unsupported axon certificate: want algorithm 0 (ed25519) and a 32-byte key")
	}
	pub := ed25519.PublicKey(append([]byte(nil), c.PublicKey...))
	rawSubject, err := asn1.Marshal((&pkix.Name{CommonName: tlsSubject}).ToRDNSequence())
	if err != nil {
		return nil, err
	}
	anchor := &x509.Certificate{
		RawSubject:            rawSubject,
		Subject:               pkix.Name{CommonName: tlsSubject},
		PublicKey:             pub,
		PublicKeyAlgorithm:    x509.Ed25519,
		BasicConstraintsValid: true,
		IsCA:                  true,
		NotBefore:             time.Unix(0, 0),
		NotAfter:              time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	pool := x509.NewCertPool()
	pool.AddCert(anchor)
	return &tls.Config{
		RootCAs:    pool,
		ServerName: TLSServerName(pub),
		MinVersion: tls.VersionTLS13,
	}, nil
}
