package kv

import (
	"bytes"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// model is the obviously-correct reference: a map, sorted on demand.
type model map[string]string

func (m model) entries(start, end string, bounded bool) []string {
	var keys []string
	for k := range m {
		if k >= start && (!bounded || k < end) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+m[k])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func collect(s Store, start, end []byte) []string {
	var out []string
	s.Iterate(start, end, func(k, v []byte) bool {
		out = append(out, string(k)+"="+string(v))
		return true
	})
	return out
}

var keyGen = rapid.StringOfN(rapid.RuneFrom([]rune("abc\x00\xff")), 0, 3, -1)

func TestStoresMatchModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := NewMemStore()
		want := model{}
		for _, k := range rapid.SliceOf(keyGen).Draw(t, "base") {
			base.Set([]byte(k), []byte("b"+k))
			want[k] = "b" + k
		}
		ov := NewOverlay(base)
		wantOv := model{}
		for k, v := range want {
			wantOv[k] = v
		}
		ops := rapid.IntRange(0, 40).Draw(t, "ops")
		for i := 0; i < ops; i++ {
			k := keyGen.Draw(t, "k")
			if rapid.Bool().Draw(t, "del") {
				ov.Delete([]byte(k))
				delete(wantOv, k)
			} else {
				v := rapid.StringN(0, 2, -1).Draw(t, "v")
				ov.Set([]byte(k), []byte(v))
				wantOv[k] = v
			}
			if got, ok := ov.Get([]byte(k)); ok != (wantOv[k] != "" || hasKey(wantOv, k)) || (ok && string(got) != wantOv[k]) {
				t.Fatalf("Get(%q) = %q,%v want %q", k, got, ok, wantOv[k])
			}
		}
		start := keyGen.Draw(t, "start")
		end := keyGen.Draw(t, "end")
		if got, exp := collect(ov, []byte(start), []byte(end)), wantOv.entries(start, end, true); !slices.Equal(got, exp) {
			t.Fatalf("overlay iterate [%q,%q): got %v want %v", start, end, got, exp)
		}
		if got, exp := collect(ov, nil, nil), wantOv.entries("", "", false); !slices.Equal(got, exp) {
			t.Fatalf("overlay iterate all: got %v want %v", got, exp)
		}
		// The parent is untouched until Commit.
		if got, exp := collect(base, nil, nil), want.entries("", "", false); !slices.Equal(got, exp) {
			t.Fatalf("parent changed before commit: %v vs %v", got, exp)
		}
		if rapid.Bool().Draw(t, "commit") {
			ov.Commit()
			want = wantOv
		} else {
			ov.Discard()
		}
		if got, exp := collect(base, nil, nil), want.entries("", "", false); !slices.Equal(got, exp) {
			t.Fatalf("after commit/discard: got %v want %v", got, exp)
		}
		if got, exp := collect(base, []byte(start), []byte(end)), want.entries(start, end, true); !slices.Equal(got, exp) {
			t.Fatalf("memstore iterate: got %v want %v", got, exp)
		}
	})
}

func hasKey(m model, k string) bool { _, ok := m[k]; return ok }

func TestPrefixEnd(t *testing.T) {
	cases := map[string][]byte{"a": []byte("b"), "a\xff": []byte("b"), "\xff\xff": nil, "": nil}
	for in, want := range cases {
		if got := PrefixEnd([]byte(in)); !bytes.Equal(got, want) {
			t.Errorf("PrefixEnd(%q) = %q want %q", in, got, want)
		}
	}
}

func TestHashAndDiff(t *testing.T) {
	a, b := NewMemStore(), NewMemStore()
	a.Set([]byte("x"), []byte("1"))
	a.Set([]byte("y"), []byte("2"))
	b.Set([]byte("y"), []byte("2"))
	b.Set([]byte("x"), []byte("1"))
	if Hash(a) != Hash(b) {
		t.Fatal("same content, different insertion order: hashes differ")
	}
	b.Set([]byte("z"), nil)
	if Hash(a) == Hash(b) {
		t.Fatal("an empty value must change the hash")
	}
	if d := Diff(a, b); !slices.Equal(d, []string{"z"}) {
		t.Fatalf("Diff = %v", d)
	}
	c := b.Clone()
	c.Set([]byte("x"), []byte("9"))
	if d := Diff(b, c); !slices.Equal(d, []string{"x"}) {
		t.Fatalf("Diff = %v", d)
	}
	if v, _ := b.Get([]byte("x")); string(v) != "1" {
		t.Fatal("Clone is not independent")
	}
}

func TestStateHasherIncrementalMatchesFull(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := NewMemStore()
		inc := NewStateHasher()
		inc.Full(s)
		keys := rapid.StringOfN(rapid.RuneFrom([]rune("ab/\x00\x01")), 0, 6, -1)
		for round := 0; round < 5; round++ {
			ov := NewOverlay(s)
			for i, n := 0, rapid.IntRange(0, 15).Draw(t, "n"); i < n; i++ {
				k := keys.Draw(t, "k")
				if rapid.Bool().Draw(t, "del") {
					ov.Delete([]byte(k))
				} else {
					ov.Set([]byte(k), []byte(rapid.StringN(0, 3, -1).Draw(t, "v")))
				}
			}
			changed, _ := ov.Writes()
			ov.Commit()
			got := inc.Update(s, changed)
			if want := NewStateHasher().Full(s); got != want {
				t.Fatalf("round %d: incremental root differs from a full recomputation", round)
			}
		}
	})
}
