package runtime

import (
	"encoding/hex"
	"strconv"
)

// Event is what a call or a block step reports: a name from spec/chain.md §10 and its arguments in the
// order given there, rendered as strings (accounts as 0x-hex, numbers in decimal).
type Event struct {
	Name  string `json:"name"`
	Attrs []Attr `json:"attrs,omitempty"`
}

// Attr is one named event argument.
type Attr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Attr returns the value of the named argument ("" if absent).
func (e Event) Attr(key string) string {
	for _, a := range e.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

func hexAcct(a [32]byte) string { return "0x" + hex.EncodeToString(a[:]) }
func u64s(v uint64) string      { return strconv.FormatUint(v, 10) }

func attrU(k string, v uint64) Attr       { return Attr{k, u64s(v)} }
func attrA(k string, a [32]byte) Attr     { return Attr{k, hexAcct(a)} }
func ev(name string, attrs ...Attr) Event { return Event{Name: name, Attrs: attrs} }

// Event names.
const (
	EvTransfer                    = "Transfer"
	EvDustLost                    = "DustLost"
	EvFaucet                      = "Faucet"
	EvFeePaid                     = "TransactionFeePaid"
	EvNeuronRegistered            = "NeuronRegistered"
	EvHotkeyAssociated            = "HotkeyAssociated"
	EvNetworkAdded                = "NetworkAdded"
	EvFirstEmissionBlockNumberSet = "FirstEmissionBlockNumberSet"
	EvHyperparameterSet           = "HyperparameterSet"
	EvGlobalParameterSet          = "GlobalParameterSet"
	EvWeightsSet                  = "WeightsSet"
	EvWeightsCommitted            = "WeightsCommitted"
	EvWeightsRevealed             = "WeightsRevealed"
	EvWeightsBatchRevealed        = "WeightsBatchRevealed"
	EvAxonServed                  = "AxonServed"
	EvPrometheusServed            = "PrometheusServed"
	EvStakeAdded                  = "StakeAdded"
	EvStakeRemoved                = "StakeRemoved"
	EvTakeIncreased               = "TakeIncreased"
	EvTakeDecreased               = "TakeDecreased"
)

// Block-level events of the coinbase and the epoch.
const (
	// EvSubnetEmission(netuid, tao_in, alpha_in, alpha_out, excess_tao, owner_cut, server, validator,
	// root_alpha, recycled_alpha, burned_alpha): one emitting subnet's injection in this block (§7.3).
	EvSubnetEmission = "SubnetEmission"
	// EvEpochDistributed(netuid, emission, incentive, dividends, root_dividends, owner_cut, burned,
	// recycled, undistributed): what an epoch paid out (§7.4).
	EvEpochDistributed = "EpochDistributed"
	// EvEpochSkipped(netuid, block, reason): the epoch slot was consumed without running (duplicate
	// hotkeys); pending emission keeps accumulating.
	EvEpochSkipped = "EpochSkipped"
)

// EvEpochRun is a block-level event: subnet netuid's epoch ran at block.
const EvEpochRun = "EpochRun"
