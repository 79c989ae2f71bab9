package extrinsic

import (
	"fmt"
	"math/bits"
)

// DefaultPeriod is the mortality period (in blocks) the Bittensor SDK uses.
const DefaultPeriod = 128

// Era is a transaction's validity window. The zero value is immortal.
type Era struct {
	Period uint64 // a power of two in [4, 65536]; 0 means immortal
	Phase  uint64 // position of the birth block within the period
}

// Immortal reports whether the era never expires.
func (e Era) Immortal() bool { return e.Period == 0 }

// MortalEra returns the era valid for period blocks from block current (Substrate's Era::mortal: the
// period is rounded up to a power of two and clamped to [4, 65536], the phase is quantised).
func MortalEra(current, period uint64) Era {
	if period < 4 {
		period = 4
	}
	if period > 1<<16 {
		period = 1 << 16
	}
	if period&(period-1) != 0 {
		period = 1 << bits.Len64(period)
		if period > 1<<16 {
			period = 1 << 16
		}
	}
	phase := current % period
	q := period >> 12
	if q < 1 {
		q = 1
	}
	return Era{Period: period, Phase: phase / q * q}
}

// Birth is the first block of the era's window that contains current: the block whose hash is signed.
func (e Era) Birth(current uint64) uint64 {
	if e.Immortal() {
		return 0
	}
	if current < e.Phase {
		return e.Phase
	}
	return (current-e.Phase)/e.Period*e.Period + e.Phase
}

// Death is the first block at which the transaction is no longer valid.
func (e Era) Death(current uint64) uint64 {
	if e.Immortal() {
		return ^uint64(0)
	}
	return e.Birth(current) + e.Period
}

// Encode returns the era's SCALE bytes: 0x00 when immortal, else two bytes.
func (e Era) Encode() []byte {
	if e.Immortal() {
		return []byte{0}
	}
	q := e.Period >> 12
	if q < 1 {
		q = 1
	}
	tz := uint64(bits.TrailingZeros64(e.Period))
	low := tz - 1
	if low < 1 {
		low = 1
	}
	if low > 15 {
		low = 15
	}
	v := low | (e.Phase/q)<<4
	return []byte{byte(v), byte(v >> 8)}
}

// DecodeEra reads an era from the front of b, returning it and the bytes it took.
func DecodeEra(b []byte) (Era, int, error) {
	if len(b) == 0 {
		return Era{}, 0, fmt.Errorf("era: empty input")
	}
	if b[0] == 0 {
		return Era{}, 1, nil
	}
	if len(b) < 2 {
		return Era{}, 0, fmt.Errorf("era: mortal era needs two bytes")
	}
	v := uint64(b[0]) | uint64(b[1])<<8
	period := uint64(2) << (v % 16)
	q := period >> 12
	if q < 1 {
		q = 1
	}
	phase := (v >> 4) * q
	if period < 4 || phase >= period {
		return Era{}, 0, fmt.Errorf("era: invalid mortal era 0x%04x", v)
	}
	return Era{Period: period, Phase: phase}, 2, nil
}
