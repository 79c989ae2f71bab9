package ethrpc

import (
	"errors"
	"fmt"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/store"
)

// Backend is what the Ethereum endpoint needs from a node. Heights are gotensor block heights (the
// Ethereum block number); at nil means the head.
type Backend interface {
	// ChainID is the EIP-155 chain id (the genesis `evm_chain_id`).
	ChainID() uint64
	// Head is the last committed height.
	Head() uint64
	// Account is an account's free balance (rao) and committed nonce at a block.
	Account(acct [32]byte, at *uint64) (runtime.AccountInfo, error)
	// NextNonce is the account's next nonce counting its pooled transactions.
	NextNonce(acct [32]byte) uint64
	// Submit admits an envelope (tx.EncodeEthereum) to the mempool; a refusal names the runtime error.
	Submit(envelope []byte) ([32]byte, error)
	// Simulate dry-runs a message on the head state as if it were in the next block.
	Simulate(m runtime.EthMessage) (runtime.EthCallResult, error)
	// Block is a committed block (store.ErrNotFound if there is none).
	Block(height uint64) (*store.Block, error)
	// TxLocation finds an included transaction by its hash (the Ethereum hash for Ethereum ones).
	TxLocation(hash [32]byte) (store.TxLocation, error)
}

// Engine is the part of the node's engine the adapter uses (*dev.Engine has it, for the dev engine and
// for the comet engine, which runs a *dev.Engine in external mode).
type Engine interface {
	Head() dev.Head
	Submit(raw []byte) ([32]byte, error)
	NextNonce(account [32]byte) uint64
	Read(at *uint64, fn func(r *runtime.Runtime) error) (uint64, error)
	Block(height uint64) (*store.Block, error)
	TxLocation(hash [32]byte) (store.TxLocation, error)
}

// EngineBackend adapts a node engine to Backend.
func EngineBackend(e Engine) Backend { return engineBackend{e} }

type engineBackend struct{ e Engine }

func (b engineBackend) ChainID() uint64 {
	var id uint64
	b.e.Read(nil, func(r *runtime.Runtime) error { id = r.EVMChainID(); return nil })
	return id
}

func (b engineBackend) Head() uint64 { return b.e.Head().Height }

func (b engineBackend) Account(a [32]byte, at *uint64) (runtime.AccountInfo, error) {
	var info runtime.AccountInfo
	_, err := b.e.Read(at, func(r *runtime.Runtime) error { info = r.Account(a); return nil })
	return info, err
}

func (b engineBackend) NextNonce(a [32]byte) uint64 { return b.e.NextNonce(a) }

func (b engineBackend) Submit(env []byte) ([32]byte, error) {
	h, err := b.e.Submit(env)
	var se *dev.SubmitError
	if errors.As(err, &se) {
		return h, &SubmitError{Name: se.Name, Msg: se.Msg}
	}
	return h, err
}

func (b engineBackend) Simulate(m runtime.EthMessage) (runtime.EthCallResult, error) {
	var res runtime.EthCallResult
	_, err := b.e.Read(nil, func(r *runtime.Runtime) error { res = r.SimulateEthereum(m); return nil })
	return res, err
}

func (b engineBackend) Block(h uint64) (*store.Block, error) { return b.e.Block(h) }

func (b engineBackend) TxLocation(hash [32]byte) (store.TxLocation, error) {
	return b.e.TxLocation(hash)
}

// SubmitError is a transaction the node refused: Name is the runtime (or mempool) error name.
type SubmitError struct {
	Name string
	Msg  string
}

func (e *SubmitError) Error() string {
	if e.Msg == "" {
		return e.Name
	}
	return fmt.Sprintf("%s: %s", e.Name, e.Msg)
}
