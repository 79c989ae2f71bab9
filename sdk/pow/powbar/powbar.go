// Package powbar renders the PoW solver's progress reports on a terminal with schollz/progressbar: a
// spinner, the work block, the difficulty, the hash rate, the elapsed time and the expected time per
// solution. It is the only terminal code of the solver; package pow reports through a callback, and a
// program without a terminal can log Line instead.
//
//	bar := powbar.New(os.Stderr)
//	solver := &pow.CPUSolver{Progress: bar.Update}
package powbar

import (
	"fmt"
	"io"
	"time"

	"github.com/gotensor/gotensor/sdk/pow"
	"github.com/schollz/progressbar/v3"
)

// Bar is a progress line fed by pow.Progress reports.
type Bar struct {
	bar *progressbar.ProgressBar
}

// New returns a Bar writing to w (normally os.Stderr, when it is a terminal).
func New(w io.Writer) *Bar {
	return &Bar{bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSpinnerType(14),
		// No background spinner goroutine (progressbar's reads its state unlocked); the spinner
		// advances with each report instead.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("hashes"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetDescription("solving"),
	)}
}

// Update renders a report; use it as CPUSolver.Progress. The last report (Done) finishes the line.
func (b *Bar) Update(p pow.Progress) {
	b.bar.Describe(Line(p))
	_ = b.bar.Set64(int64(min(p.Hashes, 1<<62)))
	if p.Done {
		_ = b.bar.Finish()
	}
}

// Line is a one-line plain-text summary of a report, for logs and non-terminal output.
func Line(p pow.Progress) string {
	s := fmt.Sprintf("block %d · difficulty %d · %s on %d cores · %s elapsed", p.Block, p.Difficulty,
		pow.HumanRate(p.HashRate), p.Processors, p.Elapsed.Round(time.Second))
	if p.HashRate > 0 && !p.Done {
		s += " · ~" + pow.HumanSeconds(p.ExpectedHashes/p.HashRate) + " per solution"
	}
	if p.Refreshes > 0 {
		s += fmt.Sprintf(" · %d block refreshes", p.Refreshes)
	}
	if p.SourceErr != nil {
		s += " · chain: " + p.SourceErr.Error()
	}
	return s
}
