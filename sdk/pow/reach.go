package pow

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrUnreachable is what errors.Is finds in an *UnreachableError.
var ErrUnreachable = errors.New("pow: difficulty beyond reach")

// UnreachableError is the up-front refusal of a difficulty whose expected search time exceeds the budget.
type UnreachableError struct {
	Difficulty     uint64
	Rule           Rule
	ExpectedHashes float64
	HashRate       float64 // total hashes per second assumed
	Processors     int
	Budget         time.Duration
}

// ExpectedSeconds is ExpectedHashes / HashRate.
func (e *UnreachableError) ExpectedSeconds() float64 { return e.ExpectedHashes / e.HashRate }

// Error gives the difficulty, the expected work and time, the rate and the budget, and what to do.
func (e *UnreachableError) Error() string {
	msg := fmt.Sprintf("pow: difficulty %d is beyond reach: about %.3g hashes expected, %s at %s on %d processors (budget %s)",
		e.Difficulty, e.ExpectedHashes, HumanSeconds(e.ExpectedSeconds()), HumanRate(e.HashRate), e.Processors, e.Budget)
	if e.Difficulty == math.MaxUint64 {
		msg += "; new subnets start at the maximum difficulty u64::MAX, and the subnet owner or sudo must lower it (or register by burn)"
	} else {
		msg += "; ask the subnet owner to lower the difficulty, register by burn, or raise the budget"
	}
	return msg
}

// Is makes errors.Is(err, ErrUnreachable) true.
func (e *UnreachableError) Is(target error) bool { return target == ErrUnreachable }

// ExpectedHashes is the mean number of seals to compute for one that passes: the pass probability is
// about 1/difficulty per rule, and the two rules of RuleBoth test different bytes, so they multiply.
func ExpectedHashes(difficulty uint64, rule Rule) float64 {
	d := math.Max(1, float64(difficulty))
	if rule == RuleBoth {
		return d * d
	}
	return d
}

// CheckReach refuses a difficulty whose expected search time at hashRate (total hashes per second over
// processors) exceeds budget, with an *UnreachableError that gives the numbers and what to do.
func CheckReach(difficulty uint64, rule Rule, hashRate float64, processors int, budget time.Duration) error {
	exp := ExpectedHashes(difficulty, rule)
	if hashRate > 0 && exp/hashRate <= budget.Seconds() {
		return nil
	}
	return &UnreachableError{Difficulty: difficulty, Rule: rule, ExpectedHashes: exp, HashRate: hashRate,
		Processors: processors, Budget: budget}
}

// MeasureHashRate estimates the total hash rate of processors cores from a short single-core burst (about
// 10 ms); it is optimistic when the cores are busy, so a refusal based on it is never premature.
func MeasureHashRate(processors int) float64 {
	w := NewWork(Block{Difficulty: math.MaxUint64}, [32]byte{}, RuleChain)
	const n = 1 << 13
	best := math.Inf(1)
	for range 2 {
		t := time.Now()
		w.Search(0, n)
		best = math.Min(best, time.Since(t).Seconds())
	}
	if best <= 0 {
		best = 1e-9
	}
	return n / best * float64(max(processors, 1))
}

// HumanRate formats hashes per second ("3.21 MH/s").
func HumanRate(r float64) string {
	switch {
	case r >= 1e9:
		return fmt.Sprintf("%.2f GH/s", r/1e9)
	case r >= 1e6:
		return fmt.Sprintf("%.2f MH/s", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.2f kH/s", r/1e3)
	}
	return fmt.Sprintf("%.0f H/s", r)
}

// HumanSeconds formats a possibly astronomical duration in seconds ("42s", "3.5 h", "1.2e+05 years").
func HumanSeconds(s float64) string {
	const day, year = 86400.0, 365.25 * 86400
	switch {
	case math.IsInf(s, 0) || math.IsNaN(s):
		return "forever"
	case s < 120:
		return fmt.Sprintf("%.0fs", s)
	case s < 7200:
		return fmt.Sprintf("%.1f min", s/60)
	case s < 2*day:
		return fmt.Sprintf("%.1f h", s/3600)
	case s < year:
		return fmt.Sprintf("%.1f days", s/day)
	}
	return fmt.Sprintf("%.3g years", s/year)
}
