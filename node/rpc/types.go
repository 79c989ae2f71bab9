package rpc

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/store"
)

// Error codes (JSON-RPC 2.0 reserves −32768…−32000; the −320xx range below is gotensor's).
const (
	CodeParse          = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeInternal       = -32603
	CodeTxRejected     = -32010 // admission refused the transaction; data: {code, name}
	CodeNotFound       = -32011 // block, transaction or object not found
	CodePruned         = -32012 // state at that block is no longer kept
	CodeTimeout        = -32013 // waiting for inclusion timed out; the transaction may still be included
	CodeRateLimited    = -32029 // too many requests
	CodeTooLarge       = -32030 // request larger than the limit
	CodeUnavailable    = -32050 // the node stopped producing blocks
)

// Error is a JSON-RPC error object.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }

// RPCCode and RPCData let clients that do not import this package read the error (sdk/client does).
func (e *Error) RPCCode() int             { return e.Code }
func (e *Error) RPCData() json.RawMessage { return e.Data }
func (e *Error) RPCMessage() string       { return e.Message }
func errf(code int, f string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(f, a...)}
}

// TxErrorData is the data of a CodeTxRejected error.
type TxErrorData struct {
	Code uint32 `json:"code"`
	Name string `json:"name"`
}

// Bytes is a byte string as 0x-prefixed hex.
type Bytes []byte

// MarshalText implements encoding.TextMarshaler.
func (b Bytes) MarshalText() ([]byte, error) { return []byte("0x" + hex.EncodeToString(b)), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Bytes) UnmarshalText(t []byte) error {
	v, err := hex.DecodeString(strings.TrimPrefix(string(t), "0x"))
	if err != nil {
		return fmt.Errorf("bad hex: %v", err)
	}
	*b = v
	return nil
}

// Info is system_info's result.
type Info struct {
	ChainID     string        `json:"chain_id"`
	GenesisHash runtime.Hex32 `json:"genesis_hash"`
	BlockTimeMs int64         `json:"block_time_ms"`
	Archive     bool          `json:"archive"`
	OldestState uint64        `json:"oldest_state"`
	Head        dev.Head      `json:"head"`
	Version     string        `json:"version"`
}

// TxResult is a transaction's outcome (runtime.TxResult with the hash as hex).
type TxResult struct {
	Code     uint32          `json:"code"`
	Error    string          `json:"error,omitempty"`
	Log      string          `json:"log,omitempty"`
	Included bool            `json:"included"`
	Call     string          `json:"call,omitempty"`
	Events   []runtime.Event `json:"events,omitempty"`
	TxHash   runtime.Hex32   `json:"tx_hash"`
}

func toResult(r runtime.TxResult) TxResult {
	return TxResult{Code: r.Code, Error: r.Error, Log: r.Log, Included: r.Included, Call: r.Call, Events: r.Events, TxHash: r.TxHash}
}

// Block is chain_block's result.
type Block struct {
	Height     uint64          `json:"height"`
	Hash       runtime.Hex32   `json:"hash"`
	ParentHash runtime.Hex32   `json:"parent_hash"`
	Time       uint64          `json:"time"`
	StateHash  runtime.Hex32   `json:"state_hash"`
	Txs        []Bytes         `json:"txs,omitempty"`
	Results    []TxResult      `json:"results"`
	Events     []runtime.Event `json:"events"`
}

func toBlock(b *store.Block, withTxs bool) Block {
	out := Block{Height: b.Height, Hash: b.Hash, ParentHash: b.ParentHash, Time: b.Time, StateHash: b.StateHash,
		Results: make([]TxResult, len(b.Results)), Events: b.Events}
	for i, r := range b.Results {
		out.Results[i] = toResult(r)
	}
	if out.Events == nil {
		out.Events = []runtime.Event{}
	}
	if withTxs {
		out.Txs = make([]Bytes, len(b.Txs))
		for i, t := range b.Txs {
			out.Txs[i] = t
		}
	}
	return out
}

// TxInclusion is where and how a transaction was included (chain_tx, tx_submit with wait).
type TxInclusion struct {
	Hash      runtime.Hex32 `json:"hash"`
	Height    uint64        `json:"height"`
	BlockHash runtime.Hex32 `json:"block_hash"`
	Index     int           `json:"index"`
	Result    TxResult      `json:"result"`
}

// SubmitResult is tx_submit's result: the hash, and with wait the inclusion.
type SubmitResult struct {
	Hash     runtime.Hex32 `json:"hash"`
	Included *TxInclusion  `json:"included,omitempty"`
}

// BlockEvent is one event of a block as chain_events and the events subscription give it.
type BlockEvent struct {
	Phase   string         `json:"phase"` // "block" (BeginBlock/EndBlock) or "tx"
	TxIndex int            `json:"tx_index"`
	TxHash  *runtime.Hex32 `json:"tx_hash,omitempty"`
	Call    string         `json:"call,omitempty"`
	runtime.Event
}

// BlockEvents is chain_events' result and the events subscription's notification.
type BlockEvents struct {
	Height uint64        `json:"height"`
	Hash   runtime.Hex32 `json:"hash"`
	Events []BlockEvent  `json:"events"`
}

func eventsOf(b *store.Block, names map[string]bool) BlockEvents {
	out := BlockEvents{Height: b.Height, Hash: b.Hash, Events: []BlockEvent{}}
	keep := func(n string) bool { return len(names) == 0 || names[n] }
	for _, e := range b.Events {
		if keep(e.Name) {
			out.Events = append(out.Events, BlockEvent{Phase: "block", TxIndex: -1, Event: e})
		}
	}
	for i, r := range b.Results {
		h := r.TxHash
		hh := runtime.Hex32(h)
		for _, e := range r.Events {
			if keep(e.Name) {
				out.Events = append(out.Events, BlockEvent{Phase: "tx", TxIndex: i, TxHash: &hh, Call: r.Call, Event: e})
			}
		}
	}
	return out
}

// QueryResult is state_query's result.
type QueryResult struct {
	Height uint64          `json:"height"`
	Result json.RawMessage `json:"result"`
}

// Metagraph is state_metagraph's result: the runtime's metagraph (columns indexed by uid) with the
// subnet's info and hyper-parameters, everything a metagraph sync needs in one round trip.
//
// The weights and bonds rows travel packed: "weights_packed" and "bonds_packed" hold one base64 string
// per uid, the row's (uid u16, value u16) pairs little-endian, zeros left out (runtime.Metagraph's
// "weights" and "bonds" are omitted). A 4096 × 4096 row set decodes an order of magnitude faster so.
type Metagraph struct {
	*runtime.Metagraph
	WeightsPacked   [][]byte           `json:"weights_packed,omitempty"`
	BondsPacked     [][]byte           `json:"bonds_packed,omitempty"`
	Height          uint64             `json:"height"`
	Lite            bool               `json:"lite"`
	Subnet          runtime.SubnetInfo `json:"subnet"`
	Hyperparameters []runtime.Param    `json:"hyperparameters"`
}

// PackRows packs weight rows as Metagraph's wire form.
func PackRows(rows [][]runtime.WeightEntry) [][]byte {
	if rows == nil {
		return nil
	}
	out := make([][]byte, len(rows))
	for i, r := range rows {
		b := make([]byte, 4*len(r))
		for j, e := range r {
			binary.LittleEndian.PutUint16(b[4*j:], e.Uid)
			binary.LittleEndian.PutUint16(b[4*j+2:], e.Value)
		}
		out[i] = b
	}
	return out
}
