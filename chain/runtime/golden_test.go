package runtime_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
)

func loadGolden(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestGoldenRegistrationAdjustment(t *testing.T) {
	type vec struct {
		Source   string `json:"source"`
		Current  uint64 `json:"current"`
		Regs     uint16 `json:"regs"`
		Target   uint16 `json:"target"`
		Alpha    uint64 `json:"alpha"`
		Min      uint64 `json:"min"`
		Max      uint64 `json:"max"`
		Expected uint64 `json:"expected"`
	}
	var f struct {
		Test     []vec `json:"test_vectors"`
		Computed []vec `json:"computed_vectors"`
	}
	loadGolden(t, "chain_registration_adjustment.json", &f)
	all := append(f.Test, f.Computed...)
	if len(all) != 16 {
		t.Fatalf("%d vectors, want 16", len(all))
	}
	for _, v := range all {
		got := runtime.AdjustedValue(v.Current, v.Regs, v.Target, v.Alpha, v.Min, v.Max)
		// The upstream burn test asserts within ±1000 of 1.5x; every other vector is exact.
		if got != v.Expected {
			t.Errorf("%s: U(%d, r=%d, t=%d, α=%d, [%d,%d]) = %d, want %d", v.Source, v.Current, v.Regs, v.Target, v.Alpha, v.Min, v.Max, got, v.Expected)
		}
	}
}

func TestGoldenWeightsUpscale(t *testing.T) {
	type vec struct {
		Input    []uint16 `json:"input"`
		Expected []uint16 `json:"expected"`
	}
	var f struct {
		Test     []vec `json:"test_vectors"`
		Computed []vec `json:"computed_vectors"`
	}
	loadGolden(t, "chain_weights_upscale.json", &f)
	for _, v := range append(f.Test, f.Computed...) {
		if got := runtime.MaxUpscaleU16(v.Input); !slices.Equal(got, v.Expected) && !(len(got) == 0 && len(v.Expected) == 0) {
			t.Errorf("upscale(%v) = %v, want %v", v.Input, got, v.Expected)
		}
	}
}

func TestGoldenPruneSelection(t *testing.T) {
	var f struct {
		Scenarios []struct {
			Scenario     string                   `json:"scenario"`
			MinNonImmune uint64                   `json:"min_non_immune_uids"`
			Candidates   []runtime.PruneCandidate `json:"candidates"`
			Expected     *uint16                  `json:"expected_uid"`
		} `json:"scenarios"`
	}
	loadGolden(t, "chain_prune_selection.json", &f)
	if len(f.Scenarios) != 13 {
		t.Fatalf("%d scenarios, want 13", len(f.Scenarios))
	}
	for _, s := range f.Scenarios {
		uid, ok := runtime.SelectPrune(s.Candidates, s.MinNonImmune)
		switch {
		case s.Expected == nil && ok:
			t.Errorf("%s: got uid %d, want none", s.Scenario, uid)
		case s.Expected != nil && (!ok || uid != *s.Expected):
			t.Errorf("%s: got %d (%v), want %d", s.Scenario, uid, ok, *s.Expected)
		}
	}
}

func TestGoldenEpochSchedule(t *testing.T) {
	var f struct {
		Test []struct {
			Tempo, Netuid uint16
			First         uint64 `json:"first_epoch_block"`
		} `json:"test_vectors"`
		Computed []struct {
			Tempo, Netuid uint16
			Block         uint64
			Until         uint64 `json:"blocks_until_next_epoch"`
			Index         uint64 `json:"epoch_index"`
		} `json:"computed_vectors"`
	}
	loadGolden(t, "chain_epoch_schedule.json", &f)
	for _, v := range f.Test {
		b := uint64(0)
		for runtime.BlocksUntilNextEpoch(v.Netuid, v.Tempo, b) != 0 {
			b++
		}
		if b != v.First {
			t.Errorf("tempo %d netuid %d: first epoch at %d, want %d", v.Tempo, v.Netuid, b, v.First)
		}
	}
	for _, v := range f.Computed {
		if got := runtime.BlocksUntilNextEpoch(v.Netuid, v.Tempo, v.Block); got != v.Until {
			t.Errorf("until(tempo %d, netuid %d, block %d) = %d, want %d", v.Tempo, v.Netuid, v.Block, got, v.Until)
		}
		if got := runtime.EpochIndex(v.Netuid, v.Tempo, v.Block); got != v.Index {
			t.Errorf("index(tempo %d, netuid %d, block %d) = %d, want %d", v.Tempo, v.Netuid, v.Block, got, v.Index)
		}
	}
}
