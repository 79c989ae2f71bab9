package tx

import "github.com/gotensor/gotensor/keys"

// verify checks an sr25519 signature made with the "substrate" signing context (keys.Keypair.Sign,
// polkadot-js and subkey all produce it).
func verify(pub [32]byte, msg, sig []byte) bool { return keys.Verify(pub, msg, sig) }
