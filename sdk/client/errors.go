package client

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrNoNode: nothing answers at the endpoint.
	ErrNoNode = errors.New("no node")
	// ErrConnectionLost: the connection dropped while a call was in flight (the call may or may not
	// have run; transactions are safe to resubmit).
	ErrConnectionLost = errors.New("connection lost")
	// ErrNotFound: the block, transaction, subnet, neuron or account does not exist.
	ErrNotFound = errors.New("not found")
	// ErrPruned: the node no longer keeps the state at the requested block (use an archive node).
	ErrPruned = errors.New("state pruned")
	// ErrTimeout: the transaction was not included before the deadline; it may still be.
	ErrTimeout = errors.New("timed out waiting for inclusion")
	// ErrRateLimited: the node refused the request for its rate limit.
	ErrRateLimited = errors.New("rate limited")
	// ErrTooLarge: the request is larger than the node accepts.
	ErrTooLarge = errors.New("request too large")
	// ErrClosed: the client was closed.
	ErrClosed = errors.New("client closed")
	// ErrUnsupported: the backend cannot do this.
	ErrUnsupported = errors.New("not supported by this backend")
)

// RPCError is a JSON-RPC error from the node that maps to none of the sentinels.
type RPCError struct {
	Code    int
	Message string
	Data    json.RawMessage
}

func (e *RPCError) Error() string { return fmt.Sprintf("node: %s (rpc code %d)", e.Message, e.Code) }

// TxError is a transaction that the chain refused (Included false: rejected before execution, nothing
// changed) or that failed when executed (Included true: the nonce and fee were taken, the call's writes
// were dropped). Name is the chain's error name (docs/chain.md §8), e.g. "CommitRevealEnabled".
type TxError struct {
	Call     string
	Name     string
	Code     uint32
	Msg      string
	Included bool
	Hash     Hash
	Block    uint64
}

func (e *TxError) Error() string {
	where := "rejected"
	if e.Included {
		where = fmt.Sprintf("failed in block %d", e.Block)
	}
	msg := e.Msg
	if msg == "" {
		msg = e.Name
	}
	return fmt.Sprintf("%s %s: %s", e.Call, where, msg)
}

// Is matches another *TxError by Name (so errors.Is(err, client.TxErr("CommitRevealEnabled")) works).
func (e *TxError) Is(target error) bool {
	t, ok := target.(*TxError)
	return ok && t.Name != "" && t.Name == e.Name && (t.Call == "" || t.Call == e.Call)
}

// TxErr is a matcher for errors.Is: errors.Is(err, TxErr("NotEnoughBalanceToStake")).
func TxErr(name string) error { return &TxError{Name: name} }

// ErrorName returns the chain error name carried by err ("" if none).
func ErrorName(err error) string {
	var te *TxError
	if errors.As(err, &te) {
		return te.Name
	}
	return ""
}

// rpcCoder is what transports' errors implement (node/rpc.Error does, without this package importing it).
type rpcCoder interface {
	RPCCode() int
	RPCMessage() string
	RPCData() json.RawMessage
}

// Error codes of docs/rpc.md.
const (
	codeTxRejected  = -32010
	codeNotFound    = -32011
	codePruned      = -32012
	codeTimeout     = -32013
	codeRateLimited = -32029
	codeTooLarge    = -32030
)

// mapErr turns a transport error into the client's typed errors.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var rc rpcCoder
	if !errors.As(err, &rc) {
		return err
	}
	msg := rc.RPCMessage()
	switch rc.RPCCode() {
	case codeNotFound:
		return fmt.Errorf("%s: %w", msg, ErrNotFound)
	case codePruned:
		return fmt.Errorf("%s: %w", msg, ErrPruned)
	case codeTimeout:
		return fmt.Errorf("%s: %w", msg, ErrTimeout)
	case codeRateLimited:
		return fmt.Errorf("%s: %w", msg, ErrRateLimited)
	case codeTooLarge:
		return fmt.Errorf("%s: %w", msg, ErrTooLarge)
	case codeTxRejected:
		var d struct {
			Code uint32 `json:"code"`
			Name string `json:"name"`
		}
		json.Unmarshal(rc.RPCData(), &d)
		return &TxError{Name: d.Name, Code: d.Code, Msg: msg}
	}
	return &RPCError{Code: rc.RPCCode(), Message: msg, Data: rc.RPCData()}
}
