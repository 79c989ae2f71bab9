// Package fixed implements the fixed-point number types of substrate-fixed 0.6.0 that subtensor's epoch and
// coinbase use, with exactly the chain's semantics (spec/yuma.md §1):
//
//   - I32F32: signed, 64-bit two's-complement raw value, 32 fraction bits (value = raw / 2^32).
//   - I64F64: signed, 128-bit raw, 64 fraction bits.
//   - I96F32: signed, 128-bit raw, 32 fraction bits.
//   - U96F32: unsigned, 128-bit raw, 32 fraction bits.
//   - U64F64: unsigned, 128-bit raw, 64 fraction bits.
//
// Semantics shared by every type:
//
//   - Mul: raw = (a·b) >> F on the exact double-width product with an arithmetic shift, i.e. floored toward
//     −∞. Div: raw = trunc((a << F) / b), truncated toward zero.
//   - Plain Add, Sub, Mul, Div wrap on overflow, which is what the chain's release (wasm) build does; the
//     caller guarantees no overflow. Div panics on a zero divisor, like Rust.
//   - Saturating* clamp to the type's range (for Mul and Div: MAX if the operands' signs agree, else MIN).
//     Checked* return ok = false on overflow or division by zero. SafeDiv is subtensor's safe_div:
//     checked_div(..).unwrap_or(0), i.e. 0 on a zero divisor AND on overflow.
//   - Conversions: integer → fixed is exact and saturating; fixed → fixed drops the surplus fraction bits
//     (floor) and saturates; fixed → integer (SaturatingTo*) floors, then clamps to the target range.
//   - Round: nearest, ties away from zero. Parse: nearest, ties to even (like from_num on a literal).
//
// I32F32 is a named int64 holding the raw value, so that the epoch's inner loops can compare and sum with
// the native operators and every hot method (Mul, Div, SafeDiv, Saturating*, Checked*Mul) inlines; never
// use * or / on it, and build values with I32F32FromInt, not I32F32(n). The 128-bit types are small
// comparable structs (== and != compare values exactly; use Cmp, Lt, ... for order). All arithmetic is
// integer-only (math/bits, hand-written 128/256-bit helpers); nothing here uses floats or math/big.
package fixed

// The four 128-bit types are generated from internal/gen/tmpl128.txt.
//go:generate sh -c "cd internal/gen && sh gen.sh"
