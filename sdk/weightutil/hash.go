package weightutil

import (
	"encoding/hex"

	"github.com/gotensor/gotensor/chain/tx"
)

// MechanismStride is the netuid-index stride of sub-subnet mechanisms: index = mechid·4096 + netuid.
const MechanismStride = 4096

// NetuidIndex is the storage index the commit hash uses for mechanism mechid of netuid (netuid itself
// for the main mechanism, mechid 0), as spec/chain.md §4 gives it (netuid + mecid × 4096). mechid must be
// below 16 for the index to fit a u16; subtensor allows 2 mechanisms.
func NetuidIndex(netuid uint16, mechid uint8) uint16 {
	return uint16(uint32(mechid)*MechanismStride + uint32(netuid))
}

// GenerateWeightHash is the commit-reveal v2 commit hash (generate_weight_hash, spec/sdk.md §5.5):
// BLAKE2b-256 of the SCALE encoding of (hotkey, netuidIndex u16, uids Vec<u16>, values Vec<u16>,
// salt Vec<u16>, versionKey u64) — salt before version key. It is tx.CommitHash, the function the chain
// recomputes at reveal, so a commit made with it always matches. Note the argument order differs from
// Python's (address, netuid, uids, values, version_key, salt): here it follows the hashed order.
//
// Commit the u16 values ConvertWeightsAndUidsForEmit32 produces: the SDK's reveal converts its floats
// that way, and the hash covers the values exactly as given.
func GenerateWeightHash(hotkey [32]byte, netuidIndex uint16, uids, values, salt []uint16, versionKey uint64) [32]byte {
	return tx.CommitHash(hotkey, netuidIndex, uids, values, salt, versionKey)
}

// HashHex formats a hash as the SDK prints it: "0x" and 64 lower-case hex digits.
func HashHex(h [32]byte) string { return "0x" + hex.EncodeToString(h[:]) }
