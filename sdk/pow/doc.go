// Package pow is the SDK's proof-of-work solver for CLASSIC registration and the dev faucet
// (spec/sdk.md §6, spec/chain.md §1.2).
//
// The seal is keccak256(sha256(nonce LE ‖ keccak256(block hash ‖ key))), exactly tx.SealHash, and the
// chain accepts it when the seal read as a little-endian 256-bit integer times the difficulty does not
// overflow (RuleChain, tx.MeetsDifficulty). The Python SDK's big-endian pre-check is RuleSDK.
//
// CPUSolver runs one worker per core over disjoint chunks of the nonce space, with the per-block part of
// the seal computed once and an allocation-free inner loop. It refuses up front a difficulty it cannot
// reach in its time budget (new CLASSIC subnets start at u64::MAX), polls a BlockSource so the work
// follows the chain head and never leaves the three-block window, stops when its context ends, and
// reports progress through a callback so the package itself has no terminal code. Solver is the
// interface a GPU implementation would also satisfy.
package pow
