package validator

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/gotensor/gotensor/sdk/client"
)

// StateVersion is the state file's format version.
const StateVersion = 1

// State is what a validator keeps across restarts.
type State struct {
	Version int    `json:"version"`
	Step    uint64 `json:"step"`
	// Scores are the moving-average scores by uid; Hotkeys the hotkey each score belongs to.
	Scores  []float64          `json:"scores"`
	Hotkeys []client.AccountID `json:"hotkeys"`
	// LastWeights is the block of the last weights set or committed.
	LastWeights uint64 `json:"last_weights_block"`
	// Pending are the commits not yet revealed.
	Pending []Commit `json:"pending_commits,omitempty"`
}

// Commit is a weights commit waiting for its reveal epoch.
type Commit struct {
	Block       uint64   `json:"block"`
	RevealEpoch uint64   `json:"reveal_epoch"`
	UIDs        []uint16 `json:"uids"`
	Weights     []uint16 `json:"weights"`
	Salt        []uint16 `json:"salt"`
	VersionKey  uint64   `json:"version_key"`
}

// LoadState reads a state file; a missing file is an empty state.
func LoadState(path string) (State, error) {
	var st State
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return State{Version: StateVersion}, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("validator state %s: %w", path, err)
	}
	if st.Version != StateVersion {
		return st, fmt.Errorf("validator state %s: format version %d, want %d", path, st.Version, StateVersion)
	}
	if len(st.Scores) != len(st.Hotkeys) {
		return st, fmt.Errorf("validator state %s: %d scores for %d hotkeys", path, len(st.Scores), len(st.Hotkeys))
	}
	return st, nil
}

// Save writes the state atomically (temp file, fsync, rename), 0600.
func (s State) Save(path string) error {
	s.Version = StateVersion
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr, os.Chmod(tmp, 0o600)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func (s State) clone() State {
	c := s
	c.Scores = append([]float64(nil), s.Scores...)
	c.Hotkeys = append([]client.AccountID(nil), s.Hotkeys...)
	c.Pending = append([]Commit(nil), s.Pending...)
	return c
}

// resize follows the metagraph: a uid whose hotkey changed (a new neuron took the slot) starts from 0; the
// vectors grow or shrink with the subnet.
func (s *State) resize(hotkeys []client.AccountID, log *slog.Logger) {
	for uid := range hotkeys {
		if uid < len(s.Hotkeys) && s.Hotkeys[uid] != hotkeys[uid] {
			if s.Scores[uid] != 0 && log != nil {
				log.Info("uid changed hotkey: score reset", "uid", uid)
			}
			s.Scores[uid] = 0
		}
	}
	scores := make([]float64, len(hotkeys))
	copy(scores, s.Scores)
	s.Scores = scores
	s.Hotkeys = append(s.Hotkeys[:0:0], hotkeys...)
}

// update applies the moving average to the queried uids only.
func (s *State) update(uids []uint16, rewards []float64, alpha float64) {
	for i, uid := range uids {
		if int(uid) >= len(s.Scores) {
			continue
		}
		r := rewards[i]
		if r != r { // NaN
			r = 0
		}
		s.Scores[uid] = alpha*r + (1-alpha)*s.Scores[uid]
	}
}
