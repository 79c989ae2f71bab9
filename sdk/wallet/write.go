package wallet

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

const (
	fileMode = 0o600
	dirMode  = 0o700
)

// pendingFile is one file of a write that must land completely or not at all.
type pendingFile struct {
	path      string
	data      []byte
	overwrite bool
	// samePub, for a public keyfile, lets an existing file that already names the same key be replaced
	// without overwrite (rewriting coldkeypub.txt next to a regenerated coldkey is not a conflict).
	samePub *[32]byte
	tmp     string
	created bool
}

// writeFiles writes every file atomically: existing keys are checked first, then each file goes to a temp
// file in its own folder (0600, fsynced) and is renamed into place, and the folders are fsynced. On any
// failure the temp files are removed and files created by this call are taken back, so a failed write
// leaves the wallet as it was. New folders are created 0700.
func writeFiles(files []*pendingFile) (err error) {
	for _, f := range files {
		if f.overwrite {
			continue
		}
		if _, statErr := os.Lstat(f.path); statErr == nil {
			if f.samePub != nil && existingPubIs(f.path, *f.samePub) {
				f.overwrite = true
				continue
			}
			return fmt.Errorf("%w: %s", ErrKeyExists, f.path)
		} else if !errors.Is(statErr, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s: %w", ErrNotWritable, f.path, statErr)
		}
	}
	var dirs []string
	for _, f := range files {
		dir := filepath.Dir(f.path)
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return fmt.Errorf("%w: cannot create folder %s: %w", ErrNotWritable, dir, err)
		}
		if !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	defer func() {
		for _, f := range files {
			if f.tmp != "" {
				_ = os.Remove(f.tmp)
			}
		}
		if err != nil {
			for _, f := range files {
				if f.created {
					_ = os.Remove(f.path)
				}
			}
		}
	}()
	for _, f := range files {
		if err := writeTemp(f); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := commit(f); err != nil {
			return err
		}
	}
	for _, dir := range dirs {
		if err := syncDir(dir); err != nil {
			return fmt.Errorf("%w: sync folder %s: %w", ErrNotWritable, dir, err)
		}
	}
	return nil
}

func writeTemp(f *pendingFile) error {
	dir, base := filepath.Split(f.path)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("%w: cannot create a file in %s: %w", ErrNotWritable, dir, err)
	}
	f.tmp = tmp.Name()
	if err := tmp.Chmod(fileMode); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: chmod %s: %w", ErrNotWritable, f.tmp, err)
	}
	if _, err := tmp.Write(f.data); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: write %s: %w", ErrNotWritable, f.tmp, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: sync %s: %w", ErrNotWritable, f.tmp, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%w: close %s: %w", ErrNotWritable, f.tmp, err)
	}
	return nil
}

// commit moves the temp file into place: rename when replacing is allowed, otherwise a hard link, which
// fails rather than replace a file that appeared since the check.
func commit(f *pendingFile) error {
	if f.overwrite {
		if err := os.Rename(f.tmp, f.path); err != nil {
			return fmt.Errorf("%w: rename to %s: %w", ErrNotWritable, f.path, err)
		}
		f.tmp = ""
		return nil
	}
	err := os.Link(f.tmp, f.path)
	switch {
	case err == nil:
		f.created = true
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%w: %s", ErrKeyExists, f.path)
	}
	// The filesystem may not support hard links: fall back to a checked rename.
	if _, statErr := os.Lstat(f.path); statErr == nil {
		return fmt.Errorf("%w: %s", ErrKeyExists, f.path)
	}
	if err := os.Rename(f.tmp, f.path); err != nil {
		return fmt.Errorf("%w: rename to %s: %w", ErrNotWritable, f.path, err)
	}
	f.tmp, f.created = "", true
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func existingPubIs(path string, pub [32]byte) bool {
	data, err := readKeyfile(path)
	if err != nil || IsEncrypted(data) {
		return false
	}
	kp, err := DecodeKeyfile(data)
	if err != nil {
		return false
	}
	return !kp.HasSecret() && kp.PublicKey() == pub
}

// readKeyfile reads a keyfile, refusing anything too large to be one.
func readKeyfile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrKeyNotFound, path)
		}
		return nil, fmt.Errorf("read keyfile: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read keyfile: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%w: %s is a folder", ErrCorruptKeyfile, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyfileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read keyfile: %w", err)
	}
	if len(data) > maxKeyfileSize {
		return nil, fmt.Errorf("%w: %s is too large for a keyfile", ErrCorruptKeyfile, path)
	}
	return data, nil
}
