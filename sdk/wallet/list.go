package wallet

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Info describes one wallet folder for `wallet list`.
type Info struct {
	// Name is the wallet name; Dir its folder.
	Name, Dir string
	// ColdkeySS58 is the coldkey address from coldkeypub.txt (or a plain coldkey file), "" when unknown.
	ColdkeySS58 string
	// ColdkeyErr says why ColdkeySS58 is empty (missing, encrypted without a pub file, corrupt).
	ColdkeyErr error
	// Hotkeys are the wallet's hotkeys in name order.
	Hotkeys []HotkeyInfo
}

// HotkeyInfo describes one hotkey of a wallet.
type HotkeyInfo struct {
	// Name is the hotkey name; SS58 its address, "" when unknown (Err says why).
	Name, SS58 string
	// PubOnly is true when only <name>pub.txt exists (btcli marks it "(hotkeypub only)").
	PubOnly bool
	// Encrypted is true when the hotkey keyfile is encrypted.
	Encrypted bool
	// Err says why SS58 is empty.
	Err error
}

// List describes every wallet folder under path ("" means DefaultPath) without decrypting anything, in
// name order. A missing path gives an empty list.
func List(path string) ([]Info, error) {
	root, err := ExpandPath(path)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list wallets in %s: %w", root, err)
	}
	var out []Info
	for _, e := range entries {
		if !e.IsDir() || checkName(e.Name()) != nil {
			continue
		}
		out = append(out, walletInfo(root, e.Name()))
	}
	return out, nil
}

func walletInfo(root, name string) Info {
	w := &Wallet{Name: name, HotkeyName: DefaultHotkey, Path: root}
	info := Info{Name: name, Dir: w.Dir()}
	if kp, err := loadPublic(w.ColdkeypubPath(), w.ColdkeyPath()); err == nil {
		info.ColdkeySS58 = kp.SS58()
	} else {
		info.ColdkeyErr = err
	}
	entries, err := os.ReadDir(filepath.Join(w.Dir(), HotkeysDir))
	if err != nil {
		return info
	}
	names := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names[e.Name()] = true
	}
	seen := map[string]bool{}
	for n := range names {
		hk := n
		pubOnly := false
		if base, ok := strings.CutSuffix(n, hotkeypubExt); ok && base != "" {
			if names[base] {
				continue // the pub file of a hotkey listed under its own name
			}
			hk, pubOnly = base, true
		}
		if seen[hk] || checkName(hk) != nil {
			continue
		}
		seen[hk] = true
		hw := &Wallet{Name: name, HotkeyName: hk, Path: root}
		h := HotkeyInfo{Name: hk, PubOnly: pubOnly}
		if !pubOnly {
			if data, err := readKeyfile(hw.HotkeyPath()); err == nil {
				h.Encrypted = IsEncrypted(data)
				clear(data)
			}
		}
		if kp, err := hw.Hotkeypub(); err == nil {
			h.SS58 = kp.SS58()
		} else {
			h.Err = err
		}
		info.Hotkeys = append(info.Hotkeys, h)
	}
	sort.Slice(info.Hotkeys, func(i, j int) bool { return info.Hotkeys[i].Name < info.Hotkeys[j].Name })
	return info
}
