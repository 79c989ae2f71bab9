package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
)

func commit(t *testing.T, d *DB, h uint64) {
	t.Helper()
	b := &Block{Height: h, Txs: [][]byte{}, Results: []runtime.TxResult{{Included: true, TxHash: [32]byte{byte(h), byte(h >> 8), 1}}}}
	b.Hash = runtime.Hex32(b.ComputeHash())
	if err := d.CommitBlock(b); err != nil {
		t.Fatal(err)
	}
}

func TestPastStatesAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chain.db")
	d, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Block h sets k = h, deletes "gone" at block 3, adds "late" at block 5.
	for h := uint64(0); h <= 300; h++ {
		d.Set([]byte("k"), []byte(fmt.Sprint(h)))
		switch h {
		case 0:
			d.Set([]byte("gone"), []byte("x"))
		case 3:
			d.Delete([]byte("gone"))
		case 5:
			d.Set([]byte("late"), []byte("y"))
		}
		commit(t, d, h)
	}
	at := func(d *DB, h uint64, key string) (string, bool) {
		s, err := d.StateAt(h)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := s.Get([]byte(key))
		return string(v), ok
	}
	if v, _ := at(d, 300, "k"); v != "300" {
		t.Fatal(v)
	}
	if v, _ := at(d, 100, "k"); v != "100" {
		t.Fatal(v)
	}
	if v, _ := at(d, 44, "k"); v != "44" {
		t.Fatal(v)
	}
	if _, err := d.StateAt(43); !errors.Is(err, ErrPruned) {
		t.Fatalf("block 43: %v", err)
	}
	if _, err := d.StateAt(301); !errors.Is(err, ErrNotFound) {
		t.Fatalf("block 301: %v", err)
	}
	// Iterate on a past view merges correctly.
	s, _ := d.StateAt(50)
	var keys []string
	s.Iterate(nil, nil, func(k, _ []byte) bool { keys = append(keys, string(k)); return true })
	if fmt.Sprint(keys) != "[k late]" {
		t.Fatal(keys)
	}
	if loc, err := d.TxLocation([32]byte{7, 0, 1}); err != nil || loc.Height != 7 {
		t.Fatalf("%+v %v", loc, err)
	}
	// Uncommitted writes vanish on reopen (a crash before CommitBlock).
	d.Set([]byte("k"), []byte("uncommitted"))
	d.Close()
	d, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if h, _ := d.Head(); h != 300 {
		t.Fatal(h)
	}
	if v, _ := d.Get([]byte("k")); string(v) != "300" {
		t.Fatal(string(v))
	}
	if _, ok := d.Get([]byte("gone")); ok {
		t.Fatal("deleted key back")
	}
	if _, err := Open(path, Options{}); err == nil {
		t.Fatal("a second open of a locked store succeeded")
	}
}

func TestArchiveKeepsEverything(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "chain.db"), Options{Archive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for h := uint64(0); h <= 400; h++ {
		d.Set([]byte("k"), []byte(fmt.Sprint(h)))
		commit(t, d, h)
	}
	s, err := d.StateAt(1)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get([]byte("k")); string(v) != "1" {
		t.Fatal(string(v))
	}
}

func TestRollback(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "chain.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.Set([]byte("a"), []byte("1"))
	commit(t, d, 0)
	d.Set([]byte("a"), []byte("2"))
	d.Set([]byte("b"), []byte("3"))
	d.Rollback()
	if v, _ := d.Get([]byte("a")); string(v) != "1" {
		t.Fatal(string(v))
	}
	if _, ok := d.Get([]byte("b")); ok {
		t.Fatal("b survived the rollback")
	}
}
