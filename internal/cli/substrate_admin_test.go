package cli

import (
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/sdk/substrate"
)

// TestSudoSetNamesOnSubstrate: every hyperparameter name `sudo set` passes to SetHyperparameter (the
// gotensor runtime's names, and the targets of btcli's aliases) has an entry in the substrate backend's
// table, with the same owner/root split as the gotensor runtime, except where subtensor differs.
func TestSudoSetNamesOnSubstrate(t *testing.T) {
	// tempo: root-only on gotensor; subtensor HEAD adds the owner call SubtensorModule.set_tempo (refused
	// by name on runtimes without it). max_weight_limit: no setter on gotensor; older subtensor runtimes
	// had sudo_set_max_weight_limit (refused by name on runtimes without it).
	differs := map[string]bool{"tempo": true, "max_weight_limit": true}
	for _, h := range runtime.Hyperparameters() {
		e, ok := substrate.LookupHyperparameterCall(h.Name)
		if !ok {
			t.Errorf("%s: no entry in substrate.HyperparameterCalls", h.Name)
			continue
		}
		if differs[h.Name] {
			continue
		}
		if owner := h.Setter == "owner/root"; e.Owner != owner {
			t.Errorf("%s: owner-settable %v on substrate, setter %q on gotensor", h.Name, e.Owner, h.Setter)
		}
		if (h.Setter == "none") != (e.Call == "") {
			t.Errorf("%s: call %q on substrate, setter %q on gotensor", h.Name, e.Call, h.Setter)
		}
	}
	for alias, name := range btcliParamNames {
		if _, ok := substrate.LookupHyperparameterCall(name); !ok {
			t.Errorf("btcli's %s → %s: no entry", alias, name)
		}
	}
}
