package store

import (
	"encoding/binary"

	"golang.org/x/crypto/blake2b"
)

// blockHash is BLAKE2b-256 of "gotensor-block-v1" ‖ height ‖ time ‖ parent ‖ proposer ‖ state hash ‖
// the number of transactions ‖ each transaction's BLAKE2b-256.
func blockHash(b *Block) [32]byte {
	h, _ := blake2b.New256(nil)
	h.Write([]byte("gotensor-block-v1"))
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], b.Height)
	h.Write(n[:])
	binary.LittleEndian.PutUint64(n[:], b.Time)
	h.Write(n[:])
	h.Write(b.ParentHash[:])
	h.Write(b.Proposer[:])
	h.Write(b.StateHash[:])
	binary.LittleEndian.PutUint64(n[:], uint64(len(b.Txs)))
	h.Write(n[:])
	for _, t := range b.Txs {
		th := blake2b.Sum256(t)
		h.Write(th[:])
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}
