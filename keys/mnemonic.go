package keys

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"errors"
	"fmt"
	"strings"

	"github.com/tyler-smith/go-bip39"
)

// Mnemonic errors (wrapped with context; test with errors.Is). Their messages never contain the phrase.
var (
	// ErrMnemonicWordCount means the phrase does not have 12, 15, 18, 21 or 24 words.
	ErrMnemonicWordCount = errors.New("invalid mnemonic: it must have 12, 15, 18, 21 or 24 words")
	// ErrMnemonicWord means a word is not in the English BIP39 word list.
	ErrMnemonicWord = errors.New("invalid mnemonic: word not in the English BIP39 word list")
	// ErrMnemonicChecksum means every word is valid but the BIP39 checksum does not match (a wrong or
	// swapped word).
	ErrMnemonicChecksum = errors.New("invalid mnemonic: checksum mismatch (a word is wrong or out of order)")
)

// ValidWordCounts are the mnemonic lengths that NewMnemonic and FromMnemonic accept.
var ValidWordCounts = []int{12, 15, 18, 21, 24}

// NewMnemonic returns a new English BIP39 mnemonic of the given number of words (12, 15, 18, 21 or 24),
// drawn from crypto/rand.
func NewMnemonic(words int) (string, error) {
	switch words {
	case 12, 15, 18, 21, 24:
	default:
		return "", fmt.Errorf("%w (asked for %d)", ErrMnemonicWordCount, words)
	}
	entropy := make([]byte, words/3*4)
	defer clear(entropy)
	if _, err := rand.Read(entropy); err != nil {
		return "", fmt.Errorf("new mnemonic: %w", err)
	}
	return bip39.NewMnemonic(entropy)
}

// ValidateMnemonic checks the word count, that every word is in the English BIP39 list and the checksum.
// The error names the position of a bad word, never the word itself.
func ValidateMnemonic(phrase string) error {
	entropy, err := mnemonicEntropy(phrase)
	clear(entropy)
	return err
}

// mnemonicEntropy parses an English BIP39 phrase into its entropy with errors that carry no key material.
func mnemonicEntropy(phrase string) ([]byte, error) {
	words := strings.Fields(phrase)
	switch len(words) {
	case 12, 15, 18, 21, 24:
	default:
		return nil, fmt.Errorf("%w (got %d)", ErrMnemonicWordCount, len(words))
	}
	for i, w := range words {
		if _, ok := bip39.GetWordIndex(w); !ok {
			return nil, fmt.Errorf("%w (word %d of %d)", ErrMnemonicWord, i+1, len(words))
		}
	}
	entropy, err := bip39.EntropyFromMnemonic(strings.Join(words, " "))
	if err != nil {
		if errors.Is(err, bip39.ErrChecksumIncorrect) {
			return nil, ErrMnemonicChecksum
		}
		return nil, errors.New("invalid mnemonic") // the library's other errors may quote a word
	}
	return entropy, nil
}

// MiniSecretFromMnemonic derives the 32-byte substrate mini secret of a mnemonic and BIP39 passphrase as
// substrate-bip39 does: PBKDF2-HMAC-SHA512 over the *entropy* (not the sentence), salt "mnemonic"+password,
// 2048 rounds, first 32 of 64 bytes. This is the keyfile's `secretSeed`.
func MiniSecretFromMnemonic(phrase, password string) ([32]byte, error) {
	var mini [32]byte
	entropy, err := mnemonicEntropy(phrase)
	if err != nil {
		return mini, err
	}
	defer clear(entropy)
	seed, err := pbkdf2.Key(sha512.New, string(entropy), []byte("mnemonic"+password), 2048, 64)
	if err != nil {
		return mini, fmt.Errorf("mnemonic seed: %w", err)
	}
	copy(mini[:], seed[:32])
	clear(seed)
	return mini, nil
}
