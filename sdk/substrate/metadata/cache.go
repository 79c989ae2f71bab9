package metadata

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// CacheKey identifies a runtime: metadata only changes with a runtime upgrade, so (genesis, spec version)
// names it for good.
type CacheKey struct {
	Genesis     [32]byte
	SpecVersion uint32
}

func (k CacheKey) fileName() string {
	return fmt.Sprintf("%s-%d.scale", hex.EncodeToString(k.Genesis[:]), k.SpecVersion)
}

// Cache keeps parsed metadata per runtime, in memory and optionally on disk (the raw bytes, so a restart
// re-parses in about a millisecond instead of downloading 300 KB). It is safe for concurrent use.
type Cache struct {
	dir string
	mu  sync.Mutex
	mem map[CacheKey]*Metadata
}

// NewCache returns a cache; dir "" keeps it in memory only.
func NewCache(dir string) *Cache {
	return &Cache{dir: dir, mem: map[CacheKey]*Metadata{}}
}

// Get returns the metadata of key, loading it with fetch (and storing it) when neither memory nor disk has
// it. A disk entry that no longer parses, or whose spec version disagrees with the key, is fetched again.
func (c *Cache) Get(key CacheKey, fetch func() ([]byte, error)) (*Metadata, error) {
	c.mu.Lock()
	m, ok := c.mem[key]
	c.mu.Unlock()
	if ok {
		return m, nil
	}
	if c.dir != "" {
		if b, err := os.ReadFile(filepath.Join(c.dir, key.fileName())); err == nil {
			if m, err := Parse(b); err == nil && m.SpecVersion == key.SpecVersion {
				c.put(key, m)
				return m, nil
			}
		}
	}
	b, err := fetch()
	if err != nil {
		return nil, err
	}
	m, err = Parse(b)
	if err != nil {
		return nil, err
	}
	if m.SpecVersion != key.SpecVersion {
		return nil, fmt.Errorf("metadata: fetched spec %d, expected %d", m.SpecVersion, key.SpecVersion)
	}
	c.put(key, m)
	if c.dir != "" {
		_ = writeFileAtomic(filepath.Join(c.dir, key.fileName()), b) // the cache is an optimisation
	}
	return m, nil
}

// Put stores parsed metadata under key.
func (c *Cache) Put(key CacheKey, m *Metadata) { c.put(key, m) }

func (c *Cache) put(key CacheKey, m *Metadata) {
	c.mu.Lock()
	c.mem[key] = m
	c.mu.Unlock()
}

func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".meta-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
