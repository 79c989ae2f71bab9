// Package keys implements Substrate-compatible sr25519 keypairs as Bittensor uses them: BIP39 mnemonics with
// substrate-bip39 seed derivation, secret URIs (`phrase//hard/soft///password`, `//Alice`), hard and soft
// derivation, SS58 addresses, signing and verification with the `substrate` signing context, and the
// 64-byte `privateKey` form that bittensor-wallet stores in keyfiles.
//
// The curve arithmetic, Schnorr signatures and HDKD come from github.com/ChainSafe/go-schnorrkel; mnemonics
// from github.com/tyler-smith/go-bip39. Only the secret-URI parser and the SS58 codec are written here.
//
// Secret material never appears in errors or in the fmt output of a [Keypair]: its String, GoString and
// Format methods print only the public address.
package keys
