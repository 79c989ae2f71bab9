package sim

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// OutputFields are the per-epoch output names, in printing order (the derived_reference names).
var OutputFields = []string{
	"emission", "server_emission", "validator_emission", "incentive", "dividends", "consensus",
	"validator_trust", "stake_weight", "validator_permit", "active", "rank", "trust", "bonds_u16",
}

// ParseOutputFields parses a comma-separated --outputs list; empty means all.
func ParseOutputFields(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return OutputFields, nil
	}
	known := map[string]bool{}
	for _, f := range OutputFields {
		known[f] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !known[f] {
			return nil, fmt.Errorf("unknown output %q (known: %s)", f, strings.Join(OutputFields, ","))
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	// Print in the canonical order.
	var ordered []string
	for _, f := range OutputFields {
		if seen[f] {
			ordered = append(ordered, f)
		}
	}
	return ordered, nil
}

// WriteJSON writes the results as one JSON document:
// {"files":[{"file":F,"cases":[{"case":name,"epochs":[{"step":i,"block":b,"outputs":{...}}]}]}]}
// with only the given output fields (each a per-uid array; bonds_u16 a dense n×n matrix).
func WriteJSON(w io.Writer, results []*FileResult, fields []string) error {
	j := &jsonWriter{w: w, buf: make([]byte, 0, 1<<16)}
	j.buf = append(j.buf, `{"files":[`...)
	for fi, fr := range results {
		if fi > 0 {
			j.buf = append(j.buf, ',')
		}
		j.buf = append(j.buf, `{"file":`...)
		j.buf = appendString(j.buf, fr.File)
		j.buf = append(j.buf, `,"cases":[`...)
		for ci, cr := range fr.Cases {
			if ci > 0 {
				j.buf = append(j.buf, ',')
			}
			j.buf = append(j.buf, `{"case":`...)
			j.buf = appendString(j.buf, cr.Case)
			j.buf = append(j.buf, `,"epochs":[`...)
			for ei := range cr.Epochs {
				e := &cr.Epochs[ei]
				if ei > 0 {
					j.buf = append(j.buf, ',')
				}
				j.buf = append(j.buf, `{"step":`...)
				j.buf = strconv.AppendInt(j.buf, int64(e.Step), 10)
				j.buf = append(j.buf, `,"block":`...)
				j.buf = strconv.AppendUint(j.buf, e.Block, 10)
				j.buf = append(j.buf, `,"outputs":{`...)
				for k, f := range fields {
					if k > 0 {
						j.buf = append(j.buf, ',')
					}
					j.buf = append(j.buf, '"')
					j.buf = append(j.buf, f...)
					j.buf = append(j.buf, `":`...)
					if err := j.field(e, f); err != nil {
						return err
					}
				}
				j.buf = append(j.buf, "}}"...)
				if err := j.maybeFlush(); err != nil {
					return err
				}
			}
			j.buf = append(j.buf, "]}"...)
		}
		j.buf = append(j.buf, "]}"...)
	}
	j.buf = append(j.buf, "]}\n"...)
	return j.flush()
}

type jsonWriter struct {
	w   io.Writer
	buf []byte
}

func (j *jsonWriter) flush() error {
	_, err := j.w.Write(j.buf)
	j.buf = j.buf[:0]
	return err
}

func (j *jsonWriter) maybeFlush() error {
	if len(j.buf) < 1<<15 {
		return nil
	}
	return j.flush()
}

func (j *jsonWriter) u64s(v []uint64) {
	j.buf = append(j.buf, '[')
	for i, x := range v {
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		j.buf = strconv.AppendUint(j.buf, x, 10)
	}
	j.buf = append(j.buf, ']')
}

func (j *jsonWriter) u16s(v []uint16) {
	j.buf = append(j.buf, '[')
	for i, x := range v {
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		j.buf = strconv.AppendUint(j.buf, uint64(x), 10)
	}
	j.buf = append(j.buf, ']')
}

func (j *jsonWriter) bools(v []bool) {
	j.buf = append(j.buf, '[')
	for i, x := range v {
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		j.buf = strconv.AppendBool(j.buf, x)
	}
	j.buf = append(j.buf, ']')
}

func (j *jsonWriter) field(e *EpochRecord, f string) error {
	o, n := e.Out, e.N
	switch f {
	case "emission":
		j.u64s(o.Emission[:n])
	case "server_emission":
		j.u64s(o.ServerEmission[:n])
	case "validator_emission":
		j.u64s(o.ValidatorEmission[:n])
	case "incentive":
		j.u16s(o.Incentive[:n])
	case "dividends":
		j.u16s(o.Dividends[:n])
	case "consensus":
		j.u16s(o.Consensus[:n])
	case "validator_trust":
		j.u16s(o.ValidatorTrust[:n])
	case "stake_weight":
		j.u16s(o.StakeWeight[:n])
	case "validator_permit":
		j.bools(o.ValidatorPermit[:n])
	case "active":
		j.bools(o.Active[:n])
	case "rank":
		j.u16s(o.Rank[:n])
	case "trust":
		j.u16s(o.Trust[:n])
	case "bonds_u16":
		row := make([]uint16, n)
		j.buf = append(j.buf, '[')
		for i := 0; i < n; i++ {
			if i > 0 {
				j.buf = append(j.buf, ',')
			}
			clear(row)
			cols, vals := e.Bonds.Row(i)
			for k, c := range cols {
				if int(c) < n {
					row[c] = vals[k]
				}
			}
			j.u16s(row)
			if err := j.maybeFlush(); err != nil {
				return err
			}
		}
		j.buf = append(j.buf, ']')
	default:
		return fmt.Errorf("unknown output %q", f)
	}
	return nil
}

// appendString appends s as a JSON string.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
