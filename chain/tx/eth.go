package tx

import (
	"errors"
	"fmt"

	"github.com/gotensor/gotensor/chain/codec"
	"golang.org/x/crypto/blake2b"
)

// Ethereum envelope. Besides the native sr25519 envelope (version 1), the chain accepts raw Ethereum
// transactions (legacy, EIP-155, EIP-2930 and EIP-1559, as Ethereum tooling signs them) wrapped in:
//
//	u8     VersionEthereum (0xEE)
//	bytes  the raw Ethereum transaction, exactly as eth_sendRawTransaction received it (the rest of the
//	       envelope: an EIP-2718 typed envelope or a legacy RLP list)
//
// The first byte keeps the two kinds apart (a native envelope starts with 1). chain/tx itself does not link
// go-ethereum (so the SDK stays small): chain/runtime installs the decoder with SetEthereumDecoder, and
// Decode of an Ethereum envelope fails ErrBadVersion in a program that does not link the runtime.
//
// A decoded Ethereum envelope is a Tx whose Call is an Ethereum value, whose Signer is the sender's mapped
// account (EVMAccount: blake2-256("evm:" ‖ H160), as subtensor's HashedAddressMapping), whose Nonce is the
// Ethereum nonce, and whose Hash is the Ethereum transaction hash (keccak-256 of the raw transaction). The
// signature is checked by the decoder (sender recovery), so Verify has nothing left to do.

// VersionEthereum is the first byte of an Ethereum envelope.
const VersionEthereum = 0xEE

// CallEthereum is the call index of Ethereum (never valid inside a native envelope).
const CallEthereum CallIndex = 250

// ErrNoEthereumDecoder is returned (wrapped with ErrBadVersion) when no Ethereum decoder is installed.
var ErrNoEthereumDecoder = errors.New("no Ethereum transaction decoder linked")

// Ethereum is a decoded Ethereum transaction. Decoded is the decoder's own representation (the runtime's
// go-ethereum transaction); chain/tx never looks inside it.
type Ethereum struct {
	Raw     []byte   // the raw Ethereum transaction (without the envelope byte)
	From    [20]byte // the recovered sender
	Nonce   uint64
	Hash    [32]byte // keccak-256 of Raw: the Ethereum transaction hash
	Decoded any
}

// Index implements Call.
func (Ethereum) Index() CallIndex { return CallEthereum }

// encode writes the raw transaction (an Ethereum call is never part of a native envelope).
func (c Ethereum) encode(w *codec.Writer) { w.Raw(c.Raw) }

// EthereumDecoder decodes and authenticates a raw Ethereum transaction (the envelope without its first
// byte): it returns the sender, nonce and hash, or an error wrapping ErrMalformed, ErrBadSignature or
// ErrUnknownCall.
type EthereumDecoder func(raw []byte) (Ethereum, error)

var ethDecoder EthereumDecoder

// SetEthereumDecoder installs the decoder Decode uses for Ethereum envelopes (chain/runtime does, in init).
func SetEthereumDecoder(d EthereumDecoder) { ethDecoder = d }

// EVMAccount maps an H160 to its account: blake2-256("evm:" ‖ h160) (spec/chain.md §8).
func EVMAccount(h160 [20]byte) [32]byte {
	var pre [24]byte
	copy(pre[:4], "evm:")
	copy(pre[4:], h160[:])
	return blake2b.Sum256(pre[:])
}

// IsEthereum reports whether b is an Ethereum envelope.
func IsEthereum(b []byte) bool { return len(b) > 0 && b[0] == VersionEthereum }

// EncodeEthereum wraps a raw Ethereum transaction in the envelope.
func EncodeEthereum(raw []byte) []byte { return append([]byte{VersionEthereum}, raw...) }

// EthereumPayload returns the raw Ethereum transaction of an envelope (ok false if b is not one).
func EthereumPayload(b []byte) ([]byte, bool) {
	if !IsEthereum(b) {
		return nil, false
	}
	return b[1:], true
}

func decodeEthereum(b []byte) (*Tx, error) {
	if ethDecoder == nil {
		return nil, fmt.Errorf("%w: %d (%v)", ErrBadVersion, b[0], ErrNoEthereumDecoder)
	}
	if len(b) < 2 {
		return nil, fmt.Errorf("%w: empty Ethereum transaction", ErrMalformed)
	}
	raw := b[1:]
	e, err := ethDecoder(raw)
	if err != nil {
		return nil, err
	}
	e.Raw = raw
	return &Tx{Signer: EVMAccount(e.From), Nonce: e.Nonce, Call: e, payload: b, eth: true}, nil
}

func init() { callNames[CallEthereum] = "ethereum_transact" }
