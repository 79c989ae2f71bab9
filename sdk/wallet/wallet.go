// Package wallet reads and writes Bittensor wallets exactly as bittensor-wallet 4.x lays them out, so
// wallets made by btcli work here and wallets made here work in btcli:
//
//	<path>/<name>/coldkey                  keyfile, normally $NACL-encrypted
//	<path>/<name>/coldkeypub.txt           public keyfile (accountId, publicKey, ss58Address)
//	<path>/<name>/hotkeys/<hotkey>         keyfile, plain JSON by default
//	<path>/<name>/hotkeys/<hotkey>pub.txt  public keyfile (written since wallet 3.1.1)
//
// Keys come from package keys. Files are written atomically with mode 0600 in 0700 folders; a failed
// operation leaves the files as they were. Encrypted keyfiles use the $NACL format (Argon2i, 8 passes,
// 512 MiB, fixed salt; XSalsa20-Poly1305); the legacy Ansible Vault and Fernet formats are read, never
// written. Passwords come from an argument, the environment (BT_PW_<path> obfuscated, BT_COLD_PW_<NAME>
// plain) or an injected prompt. See docs/wallet.md.
package wallet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/keys"
)

// Defaults, as bittensor-wallet has them.
const (
	DefaultPath   = "~/.bittensor/wallets"
	DefaultName   = "default"
	DefaultHotkey = "default"
)

// File names inside a wallet folder.
const (
	ColdkeyFile    = "coldkey"
	ColdkeypubFile = "coldkeypub.txt"
	HotkeysDir     = "hotkeys"
	hotkeypubExt   = "pub.txt"
)

// Option configures a Wallet.
type Option func(*config) error

type config struct {
	prompt PromptFunc
	kdf    kdfParams
}

// WithPrompt sets the function asked for passwords when neither an argument nor the environment gives one.
func WithPrompt(p PromptFunc) Option {
	return func(c *config) error { c.prompt = p; return nil }
}

// InsecureKDFForTests makes the wallet derive $NACL keys with trivially cheap Argon2i parameters (1 pass,
// 64 KiB) so tests run fast. Files written this way open only with this option, never in btcli. The option
// is refused (New returns an error) outside a `go test` binary, so a program cannot write weak files by
// accident.
func InsecureKDFForTests() Option {
	return func(c *config) error {
		if !testing.Testing() {
			return errors.New("wallet: InsecureKDFForTests used outside a test binary")
		}
		c.kdf = insecureTestKDF
		return nil
	}
}

// Wallet is one named wallet (a coldkey and its hotkeys) under a wallet path, with one selected hotkey.
type Wallet struct {
	// Name is the wallet (folder) name; HotkeyName the selected hotkey; Path the expanded, absolute wallet
	// path holding the wallet folders.
	Name, HotkeyName, Path string
	cfg                    config
}

// New returns the wallet name with hotkey under path; empty arguments take the defaults ("default",
// "default", ~/.bittensor/wallets). `~` is expanded and the path made absolute. Nothing is read or
// written until a method asks.
func New(name, hotkey, path string, opts ...Option) (*Wallet, error) {
	if name == "" {
		name = DefaultName
	}
	if hotkey == "" {
		hotkey = DefaultHotkey
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := checkName(hotkey); err != nil {
		return nil, err
	}
	p, err := ExpandPath(path)
	if err != nil {
		return nil, err
	}
	w := &Wallet{Name: name, HotkeyName: hotkey, Path: p, cfg: config{kdf: productionKDF}}
	for _, o := range opts {
		if err := o(&w.cfg); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// WithHotkey returns a copy of the wallet with another hotkey selected.
func (w *Wallet) WithHotkey(hotkey string) (*Wallet, error) {
	if err := checkName(hotkey); err != nil {
		return nil, err
	}
	cp := *w
	cp.HotkeyName = hotkey
	return &cp, nil
}

func checkName(n string) error {
	if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\\\x00") {
		return fmt.Errorf("%w: %q", ErrInvalidName, n)
	}
	return nil
}

// ExpandPath expands a leading ~ to the home folder and makes the path absolute; "" means DefaultPath.
func ExpandPath(p string) (string, error) {
	if p == "" {
		p = DefaultPath
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("wallet path %s: %w", p, err)
		}
		p = filepath.Join(home, p[1:])
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("wallet path %s: %w", p, err)
	}
	return abs, nil
}

// Dir is the wallet's folder, <path>/<name>.
func (w *Wallet) Dir() string { return filepath.Join(w.Path, w.Name) }

// ColdkeyPath is <path>/<name>/coldkey.
func (w *Wallet) ColdkeyPath() string { return filepath.Join(w.Dir(), ColdkeyFile) }

// ColdkeypubPath is <path>/<name>/coldkeypub.txt.
func (w *Wallet) ColdkeypubPath() string { return filepath.Join(w.Dir(), ColdkeypubFile) }

// HotkeyPath is <path>/<name>/hotkeys/<hotkey>.
func (w *Wallet) HotkeyPath() string { return filepath.Join(w.Dir(), HotkeysDir, w.HotkeyName) }

// HotkeypubPath is <path>/<name>/hotkeys/<hotkey>pub.txt.
func (w *Wallet) HotkeypubPath() string {
	return filepath.Join(w.Dir(), HotkeysDir, w.HotkeyName+hotkeypubExt)
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// HasColdkey reports whether the coldkey file exists.
func (w *Wallet) HasColdkey() bool { return exists(w.ColdkeyPath()) }

// HasColdkeypub reports whether coldkeypub.txt exists.
func (w *Wallet) HasColdkeypub() bool { return exists(w.ColdkeypubPath()) }

// HasHotkey reports whether the selected hotkey's keyfile exists.
func (w *Wallet) HasHotkey() bool { return exists(w.HotkeyPath()) }

// WriteOptions controls how a secret key is written.
type WriteOptions struct {
	// Encrypt writes the secret keyfile in the $NACL format (coldkeys normally are, hotkeys normally not).
	Encrypt bool
	// Password encrypts the key when Encrypt is set; empty asks the prompt for a new password.
	Password string
	// Overwrite replaces existing keyfiles; without it an existing key gives ErrKeyExists.
	Overwrite bool
}

func (w *Wallet) secretFiles(kp *keys.Keypair, o WriteOptions, path, pubPath, what string) ([]*pendingFile, error) {
	if kp == nil || !kp.HasSecret() {
		return nil, fmt.Errorf("write %s: %w", what, keys.ErrNoSecret)
	}
	data := EncodeKeyfile(kp)
	if o.Encrypt {
		pw := o.Password
		if pw == "" {
			if w.cfg.prompt == nil {
				clear(data)
				return nil, fmt.Errorf("encrypt %s: %w", what, ErrPasswordRequired)
			}
			var err error
			pw, err = w.cfg.prompt(PasswordRequest{Wallet: w.Name, Key: what, Path: path, New: true})
			if err != nil {
				clear(data)
				return nil, fmt.Errorf("encrypt %s: %w", what, err)
			}
			if pw == "" {
				clear(data)
				return nil, fmt.Errorf("encrypt %s: %w", what, ErrPasswordRequired)
			}
		}
		enc, err := encryptNaCl(data, pw, w.cfg.kdf)
		clear(data)
		if err != nil {
			return nil, err
		}
		data = enc
	}
	pub := kp.PublicKey()
	return []*pendingFile{
		{path: path, data: data, overwrite: o.Overwrite},
		{path: pubPath, data: EncodePublicKeyfile(kp), overwrite: o.Overwrite, samePub: &pub},
	}, nil
}

func clearFiles(files []*pendingFile) {
	for _, f := range files {
		clear(f.data)
	}
}

// SetColdkey writes kp as the coldkey and its coldkeypub.txt, both or neither.
func (w *Wallet) SetColdkey(kp *keys.Keypair, o WriteOptions) error {
	files, err := w.secretFiles(kp, o, w.ColdkeyPath(), w.ColdkeypubPath(), "coldkey")
	if err != nil {
		return err
	}
	defer clearFiles(files)
	return writeFiles(files)
}

// SetHotkey writes kp as the selected hotkey and its <hotkey>pub.txt, both or neither.
func (w *Wallet) SetHotkey(kp *keys.Keypair, o WriteOptions) error {
	files, err := w.secretFiles(kp, o, w.HotkeyPath(), w.HotkeypubPath(), "hotkey")
	if err != nil {
		return err
	}
	defer clearFiles(files)
	return writeFiles(files)
}

// SetColdkeypub writes coldkeypub.txt for kp's public key (a watch-only wallet).
func (w *Wallet) SetColdkeypub(kp *keys.Keypair, overwrite bool) error {
	pub := kp.PublicKey()
	return writeFiles([]*pendingFile{{path: w.ColdkeypubPath(), data: EncodePublicKeyfile(kp), overwrite: overwrite, samePub: &pub}})
}

// SetHotkeypub writes <hotkey>pub.txt for kp's public key.
func (w *Wallet) SetHotkeypub(kp *keys.Keypair, overwrite bool) error {
	pub := kp.PublicKey()
	return writeFiles([]*pendingFile{{path: w.HotkeypubPath(), data: EncodePublicKeyfile(kp), overwrite: overwrite, samePub: &pub}})
}

// CreateColdkey makes a coldkey from a new mnemonic of the given number of words (12, 15, 18, 21, 24) and
// writes it with coldkeypub.txt. The mnemonic is returned once, for the user to write down.
func (w *Wallet) CreateColdkey(words int, o WriteOptions) (mnemonic string, kp *keys.Keypair, err error) {
	return w.create(words, o, w.SetColdkey)
}

// CreateHotkey makes the selected hotkey from a new mnemonic and writes it with its pub file.
func (w *Wallet) CreateHotkey(words int, o WriteOptions) (mnemonic string, kp *keys.Keypair, err error) {
	return w.create(words, o, w.SetHotkey)
}

func (w *Wallet) create(words int, o WriteOptions, set func(*keys.Keypair, WriteOptions) error) (string, *keys.Keypair, error) {
	m, err := keys.NewMnemonic(words)
	if err != nil {
		return "", nil, err
	}
	kp, err := keys.FromMnemonic(m, "")
	if err != nil {
		return "", nil, err
	}
	if err := set(kp, o); err != nil {
		kp.Wipe()
		return "", nil, err
	}
	return m, kp, nil
}

// DevURI turns btcli's `--uri` shorthand into a secret URI: "alice" becomes "//Alice"; anything that
// already starts with '/' or holds a phrase is returned as is.
func DevURI(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.Contains(s, "/") || strings.Contains(s, " ") || strings.HasPrefix(s, "0x") {
		return s
	}
	return "//" + strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// CreateFromURI writes the key of a secret URI (see DevURI) as both the coldkey and the selected hotkey,
// unencrypted, with both pub files, as `btcli wallet create --uri alice` does for development keys.
func (w *Wallet) CreateFromURI(uri string, overwrite bool) (*keys.Keypair, error) {
	kp, err := keys.FromURI(DevURI(uri))
	if err != nil {
		return nil, err
	}
	o := WriteOptions{Overwrite: overwrite}
	cold, err := w.secretFiles(kp, o, w.ColdkeyPath(), w.ColdkeypubPath(), "coldkey")
	if err != nil {
		return nil, err
	}
	hot, err := w.secretFiles(kp, o, w.HotkeyPath(), w.HotkeypubPath(), "hotkey")
	if err != nil {
		clearFiles(cold)
		return nil, err
	}
	files := append(cold, hot...)
	defer clearFiles(files)
	if err := writeFiles(files); err != nil {
		return nil, err
	}
	return kp, nil
}

// Source is where a regenerated key comes from; set exactly one of Mnemonic, Seed, URI or JSON.
type Source struct {
	// Mnemonic is a BIP39 phrase (the key of `regen --mnemonic`).
	Mnemonic string
	// Seed is the 32-byte mini secret as hex, with or without 0x (`--seed`).
	Seed string
	// URI is any secret URI, `//Alice` or `<phrase>//hard/soft///password` (`--uri`).
	URI string
	// JSON is a polkadot-js JSON backup, decrypted with JSONPassword (`--json`, `--json-password`).
	JSON         []byte
	JSONPassword string
}

// Keypair builds the key the source describes.
func (s Source) Keypair() (*keys.Keypair, error) {
	n := 0
	for _, set := range []bool{s.Mnemonic != "", s.Seed != "", s.URI != "", len(s.JSON) > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("regenerate: give exactly one of a mnemonic, a seed, a secret URI or a JSON backup")
	}
	switch {
	case s.Mnemonic != "":
		return keys.FromMnemonic(s.Mnemonic, "")
	case s.Seed != "":
		return keys.FromSeedHex(s.Seed)
	case s.URI != "":
		return keys.FromURI(s.URI)
	default:
		return keys.FromPolkadotJSON(s.JSON, s.JSONPassword)
	}
}

// RegenColdkey rebuilds the coldkey from src and writes it with coldkeypub.txt.
func (w *Wallet) RegenColdkey(src Source, o WriteOptions) (*keys.Keypair, error) {
	return w.regen(src, o, w.SetColdkey)
}

// RegenHotkey rebuilds the selected hotkey from src and writes it with its pub file.
func (w *Wallet) RegenHotkey(src Source, o WriteOptions) (*keys.Keypair, error) {
	return w.regen(src, o, w.SetHotkey)
}

func (w *Wallet) regen(src Source, o WriteOptions, set func(*keys.Keypair, WriteOptions) error) (*keys.Keypair, error) {
	kp, err := src.Keypair()
	if err != nil {
		return nil, err
	}
	if err := set(kp, o); err != nil {
		kp.Wipe()
		return nil, err
	}
	return kp, nil
}

// PublicFromString parses an SS58 address (any prefix) or a 0x-hex public key.
func PublicFromString(s string) (*keys.Keypair, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		return keys.FromPublicKeyHex(s)
	}
	return keys.FromSS58(s)
}

// RegenColdkeypub writes coldkeypub.txt from an SS58 address or 0x-hex public key (a watch-only wallet).
func (w *Wallet) RegenColdkeypub(addressOrHex string, overwrite bool) (*keys.Keypair, error) {
	kp, err := PublicFromString(addressOrHex)
	if err != nil {
		return nil, err
	}
	return kp, w.SetColdkeypub(kp, overwrite)
}

// RegenHotkeypub writes <hotkey>pub.txt from an SS58 address or 0x-hex public key.
func (w *Wallet) RegenHotkeypub(addressOrHex string, overwrite bool) (*keys.Keypair, error) {
	kp, err := PublicFromString(addressOrHex)
	if err != nil {
		return nil, err
	}
	return kp, w.SetHotkeypub(kp, overwrite)
}

// Coldkey loads and, if needed, decrypts the coldkey. The password comes from the environment
// (BT_PW_<path>, then BT_COLD_PW_<NAME>) or the prompt; with none, ErrPasswordRequired.
func (w *Wallet) Coldkey() (*keys.Keypair, error) {
	return w.unlock(w.ColdkeyPath(), "coldkey", "", false)
}

// ColdkeyWithPassword loads the coldkey, decrypting it with password.
func (w *Wallet) ColdkeyWithPassword(password string) (*keys.Keypair, error) {
	return w.unlock(w.ColdkeyPath(), "coldkey", password, true)
}

// Hotkey loads the selected hotkey, decrypting it (environment BT_PW_<path>, or the prompt) if it is
// encrypted.
func (w *Wallet) Hotkey() (*keys.Keypair, error) {
	return w.unlock(w.HotkeyPath(), "hotkey", "", false)
}

// HotkeyWithPassword loads the selected hotkey, decrypting it with password if it is encrypted.
func (w *Wallet) HotkeyWithPassword(password string) (*keys.Keypair, error) {
	return w.unlock(w.HotkeyPath(), "hotkey", password, true)
}

func (w *Wallet) unlock(path, what, password string, havePassword bool) (*keys.Keypair, error) {
	data, err := readKeyfile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", what, err)
	}
	if IsEncrypted(data) {
		if !havePassword {
			coldName := ""
			if what == "coldkey" {
				coldName = w.Name
			}
			pw, ok, err := envPassword(path, coldName)
			if err != nil {
				return nil, fmt.Errorf("load %s: %w", what, err)
			}
			if !ok {
				if w.cfg.prompt == nil {
					return nil, fmt.Errorf("unlock %s %s: %w", what, path, ErrPasswordRequired)
				}
				pw, err = w.cfg.prompt(PasswordRequest{Wallet: w.Name, Key: what, Path: path})
				if err != nil {
					return nil, fmt.Errorf("unlock %s: %w", what, err)
				}
			}
			password = pw
		}
		plain, err := decryptKeyfileData(data, password, w.cfg.kdf)
		if err != nil {
			return nil, fmt.Errorf("unlock %s %s: %w", what, path, err)
		}
		defer clear(plain)
		data = plain
	}
	kp, err := DecodeKeyfile(data)
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", what, path, err)
	}
	return kp, nil
}

// Coldkeypub loads the public coldkey from coldkeypub.txt; no password is needed.
func (w *Wallet) Coldkeypub() (*keys.Keypair, error) {
	return loadPublic(w.ColdkeypubPath(), "")
}

// Hotkeypub loads the selected hotkey's public key from <hotkey>pub.txt, or from the hotkey file itself
// when that is plain JSON (wallets older than 3.1.1 have no pub file); no password is needed.
func (w *Wallet) Hotkeypub() (*keys.Keypair, error) {
	return loadPublic(w.HotkeypubPath(), w.HotkeyPath())
}

func loadPublic(pubPath, fallback string) (*keys.Keypair, error) {
	data, err := readKeyfile(pubPath)
	if errors.Is(err, ErrKeyNotFound) && fallback != "" {
		data, err = readKeyfile(fallback)
		if err == nil && IsEncrypted(data) {
			return nil, fmt.Errorf("public key of %s: %w and there is no %s", fallback, ErrEncrypted, filepath.Base(pubPath))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load public key: %w", err)
	}
	kp, err := DecodeKeyfile(data)
	clear(data)
	if err != nil {
		return nil, fmt.Errorf("load public key %s: %w", pubPath, err)
	}
	pub := kp.Public()
	kp.Wipe()
	return pub, nil
}
