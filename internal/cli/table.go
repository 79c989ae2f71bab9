package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
	"golang.org/x/term"
)

// column is one table column. Drop is the order in which columns are hidden when the table is wider than
// the terminal (0: never hidden; higher values go first).
type column struct {
	Name  string
	Right bool
	Drop  int
}

// table is a plain text table (header, rule, rows, optional footer) that fits the terminal width by
// hiding its least important columns, with --sort-by / --sort-order.
type table struct {
	Title   string
	Cols    []column
	Rows    [][]string
	Footer  []string
	Caption string
}

func (t *table) add(cells ...string) { t.Rows = append(t.Rows, cells) }

// sortOptions are --sort-by and --sort-order.
type sortOptions struct {
	By, Order string
}

// sortRows orders the rows by the named column (case-insensitive; numbers compare as numbers).
func (t *table) sortRows(o sortOptions) error {
	if o.By == "" {
		return nil
	}
	idx := -1
	want := normCol(o.By)
	for i, c := range t.Cols {
		if normCol(c.Name) == want {
			idx = i
		}
	}
	if idx < 0 {
		names := make([]string, len(t.Cols))
		for i, c := range t.Cols {
			names[i] = c.Name
		}
		return usageErr(fmt.Errorf("--sort-by %q: no such column (one of %s)", o.By, strings.Join(names, ", ")))
	}
	desc := false
	switch strings.ToLower(o.Order) {
	case "", "asc", "ascending":
	case "desc", "descending", "reverse":
		desc = true
	default:
		return usageErr(fmt.Errorf("--sort-order %q: use asc or desc", o.Order))
	}
	sort.SliceStable(t.Rows, func(i, j int) bool {
		a, b := t.Rows[i][idx], t.Rows[j][idx]
		if desc {
			a, b = b, a
		}
		fa, ea := cellNumber(a)
		fb, eb := cellNumber(b)
		if ea == nil && eb == nil {
			return fa < fb
		}
		return a < b
	})
	return nil
}

func normCol(s string) string {
	s = strings.ToLower(s)
	if i := strings.IndexAny(s, "( "); i > 0 {
		s = s[:i]
	}
	return strings.NewReplacer("_", "", "-", "").Replace(s)
}

func cellNumber(s string) (float64, error) {
	s = strings.TrimSpace(strings.NewReplacer("τ", "", ",", "", "_", "").Replace(s))
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1e3, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "m"):
		mult, s = 1e6, strings.TrimSuffix(s, "m")
	case strings.HasSuffix(s, "b"):
		mult, s = 1e9, strings.TrimSuffix(s, "b")
	}
	f, err := strconv.ParseFloat(s, 64)
	return f * mult, err
}

// terminalWidth is $COLUMNS, else the width of stdout when it is a terminal, else 80.
func terminalWidth(w io.Writer) int {
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 20 {
		return c
	}
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 20 {
			return width
		}
	}
	return 80
}

// render writes the table within width columns (0: no limit).
func (t *table) render(w io.Writer, width int) {
	keep := make([]bool, len(t.Cols))
	for i := range keep {
		keep[i] = true
	}
	widths := make([]int, len(t.Cols))
	measure := func(cells []string) {
		for i, c := range cells {
			if i < len(widths) {
				widths[i] = max(widths[i], runewidth.StringWidth(c))
			}
		}
	}
	for i, c := range t.Cols {
		widths[i] = runewidth.StringWidth(c.Name)
	}
	for _, r := range t.Rows {
		measure(r)
	}
	if t.Footer != nil {
		measure(t.Footer)
	}
	total := func() int {
		n := 0
		for i := range t.Cols {
			if keep[i] {
				n += widths[i] + 2
			}
		}
		return n - 2
	}
	hidden := []string{}
	for width > 0 && total() > width {
		// Hide the column with the highest Drop value still shown.
		best := -1
		for i, c := range t.Cols {
			if keep[i] && c.Drop > 0 && (best < 0 || c.Drop > t.Cols[best].Drop) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		keep[best] = false
		hidden = append(hidden, t.Cols[best].Name)
	}
	if t.Title != "" {
		fmt.Fprintln(w, wrapLines(t.Title, width))
	}
	line := func(cells []string) {
		var b strings.Builder
		first := true
		for i, c := range t.Cols {
			if !keep[i] {
				continue
			}
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			if !first {
				b.WriteString("  ")
			}
			first = false
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(cell))
			if c.Right {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	names := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		names[i] = c.Name
	}
	line(names)
	fmt.Fprintln(w, strings.Repeat("─", max(total(), 1)))
	for _, r := range t.Rows {
		line(r)
	}
	if t.Footer != nil {
		fmt.Fprintln(w, strings.Repeat("─", max(total(), 1)))
		line(t.Footer)
	}
	if len(hidden) > 0 {
		note := fmt.Sprintf("(hidden to fit %d columns: %s; widen the terminal, set COLUMNS, or use --json-output)", width, strings.Join(hidden, ", "))
		fmt.Fprintln(w, wrapText(note, width))
	}
	if t.Caption != "" {
		fmt.Fprintln(w, wrapLines(t.Caption, width))
	}
}

// shortAddr abbreviates an SS58 address to its first and last characters.
func shortAddr(s string) string {
	if len(s) <= 12 {
		return s
	}
	return s[:6] + "…" + s[len(s)-4:]
}

// abbrev abbreviates a number with k/m/b unless verbose.
func abbrev(x float64, verbose bool) string {
	if verbose {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	switch {
	case x >= 1e9:
		return strconv.FormatFloat(x/1e9, 'f', 2, 64) + "b"
	case x >= 1e6:
		return strconv.FormatFloat(x/1e6, 'f', 2, 64) + "m"
	case x >= 1e4:
		return strconv.FormatFloat(x/1e3, 'f', 2, 64) + "k"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// taoShort renders an amount in TAO for tables: τ and four decimals unless verbose (nine).
func taoShort(rao uint64, verbose bool) string {
	if verbose {
		return fmt.Sprintf("τ%d.%09d", rao/1e9, rao%1e9)
	}
	return "τ" + strconv.FormatFloat(float64(rao)/1e9, 'f', 4, 64)
}

// wrapText breaks s into lines of at most width columns at spaces.
func wrapText(s string, width int) string {
	if width <= 0 {
		return s
	}
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		wl := runewidth.StringWidth(word)
		if i > 0 {
			if n+1+wl > width {
				b.WriteString("\n")
				n = 0
			} else {
				b.WriteString(" ")
				n++
			}
		}
		b.WriteString(word)
		n += wl
	}
	return b.String()
}

// wrapLines wraps each line of s (keeping empty lines).
func wrapLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if runewidth.StringWidth(l) > width && width > 0 {
			lines[i] = wrapText(l, width)
		}
	}
	return strings.Join(lines, "\n")
}
