// Package weightutil turns a validator's float scores into the u16 weights the chain stores, and back, as
// the Python SDK's bittensor/utils/weight_utils.py does (spec/sdk.md §5), bit for bit where the golden
// vectors pin it.
//
// The functions are off-chain, so they use floats, reproducing NumPy's precision rules: float32 input stays
// float32 (with NumPy 2's promotion of Python scalars, NEP 50), sums are NumPy's pairwise sums, and the
// u16 conversion rounds half to even like Python's round. Products that NumPy rounds are rounded here
// with explicit conversions, so no platform fuses them into FMA.
//
//   - NormalizeMaxWeight: normalise to sum 1 with no entry above a limit.
//   - ConvertWeightsAndUidsForEmit (float64, as .tolist() gives) and ConvertWeightsAndUidsForEmit32 (the
//     float32 path set_weights and reveal_weights take for Python lists): max-upscale to 65535, round half
//     to even, drop zeros.
//   - ProcessWeights: process_weights_for_netuid with the chain values passed in (Limits).
//   - WeightRow, RootWeightRow, BondRow, U16NormalizedFloat: chain → float.
//   - GenerateWeightHash: the commit-reveal v2 commit hash, computed by tx.CommitHash exactly as the
//     chain recomputes it.
package weightutil
