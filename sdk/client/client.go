// Package client is the SDK's way to talk to a chain: typed reads (subnets, hyper-parameters, neurons,
// metagraph, balances, stake) at the latest or a given block, and every call of the chain as a
// domain-level method (set/commit/reveal weights, serve axon, register, stake, transfer, ...), signed
// with a wallet's keys, with nonce management and waiting for inclusion under the context's deadline.
//
// Chain is the interface. Node implements it against a gotensor node over WebSocket (or HTTP), or
// in-process through node/rpc's InProcess transport in tests; Substrate implements it against a subtensor
// node (finney, test, a subtensor localnet) through sdk/substrate. The interface never exposes either wire
// format. An operation one backend lacks returns an *UnsupportedError (errors.Is(err, ErrUnsupported)),
// never a silent no-op.
package client

import (
	"context"
	"net/netip"

	"github.com/gotensor/gotensor/sdk/pow"
)

// Signer signs with an sr25519 key (keys.Keypair, a wallet's coldkey or hotkey).
type Signer interface {
	PublicKey() [32]byte
	Sign(msg []byte) ([64]byte, error)
}

// Reader is the read side of a chain at one block (Chain reads at the head; Chain.At at a past block).
type Reader interface {
	Balance(ctx context.Context, account AccountID) (Balance, error)
	Account(ctx context.Context, account AccountID) (Account, error)
	TotalIssuance(ctx context.Context) (Balance, error)
	Globals(ctx context.Context) (Params, error)
	LockCost(ctx context.Context) (Balance, error)
	Subnets(ctx context.Context) ([]uint16, error)
	// SubnetInfo fails with ErrNotFound when the subnet does not exist (as do the other per-subnet reads).
	SubnetInfo(ctx context.Context, netuid uint16) (*SubnetInfo, error)
	Hyperparameters(ctx context.Context, netuid uint16) (Params, error)
	RegistrationCost(ctx context.Context, netuid uint16) (*RegistrationCost, error)
	Neuron(ctx context.Context, netuid, uid uint16) (*Neuron, error)
	NeuronByHotkey(ctx context.Context, netuid uint16, hotkey AccountID) (*Neuron, error)
	NeuronsLite(ctx context.Context, netuid uint16) ([]NeuronLite, error)
	// UID returns the hotkey's uid; ok is false when it is not registered on the subnet.
	UID(ctx context.Context, netuid uint16, hotkey AccountID) (uid uint16, ok bool, err error)
	IsHotkeyRegistered(ctx context.Context, netuid uint16, hotkey AccountID) (bool, error)
	// Owner is the coldkey that owns hotkey (ok false if none).
	Owner(ctx context.Context, hotkey AccountID) (coldkey AccountID, ok bool, err error)
	PendingCommits(ctx context.Context, netuid uint16, hotkey AccountID) ([]WeightCommit, error)
	// Metagraph reads a subnet's neurons in one round trip; lite leaves out weights and bonds.
	Metagraph(ctx context.Context, netuid uint16, lite bool) (*MetagraphInfo, error)
	// Stake is coldkey's stake on (hotkey, netuid): alpha rao on subnets, TAO rao on root.
	Stake(ctx context.Context, hotkey, coldkey AccountID, netuid uint16) (Balance, error)
	// HotkeyStake is the hotkey's whole stake on netuid.
	HotkeyStake(ctx context.Context, hotkey AccountID, netuid uint16) (Balance, error)
	// StakesOf lists a coldkey's stake positions.
	StakesOf(ctx context.Context, coldkey AccountID) ([]StakeInfo, error)
	// Emission reads the block emission and every subnet's emission figures.
	Emission(ctx context.Context) (*Emission, error)
}

// Chain is a connection to a chain: reads, blocks and events, subscriptions, and every call.
//
// Transaction methods sign with the given Signer (the coldkey or the hotkey, as each call requires),
// take the signer's next nonce, submit, and by default wait until the transaction is in a committed
// block (WithoutWait returns after admission). A call that the chain refuses or that fails returns a
// *TxError carrying the chain's error name; errors.Is(err, TxErr("NotEnoughBalanceToStake")) matches.
type Chain interface {
	Reader
	// At reads the state after a past block (ErrPruned if the node no longer keeps it).
	At(block uint64) Reader

	Info(ctx context.Context) (*ChainInfo, error)
	Head(ctx context.Context) (BlockRef, error)
	Block(ctx context.Context, height uint64) (*Block, error)
	Events(ctx context.Context, height uint64) (*BlockEvents, error)
	// WaitForInclusion waits for a transaction submitted WithoutWait.
	WaitForInclusion(ctx context.Context, hash Hash) (*Receipt, error)
	// WaitForBlock returns once a block at or above height is committed.
	WaitForBlock(ctx context.Context, height uint64) (BlockRef, error)
	// SubscribeHeads delivers every new head until ctx ends (then the channel is closed). It survives
	// reconnects; heads produced while disconnected are skipped.
	SubscribeHeads(ctx context.Context) (<-chan BlockRef, error)
	// SubscribeEvents delivers the events of every new block (only the named ones, if any names are
	// given) until ctx ends. It survives reconnects and fills the gap: no block is skipped.
	SubscribeEvents(ctx context.Context, names ...string) (<-chan BlockEvents, error)

	Transfer(ctx context.Context, from Signer, to AccountID, amount Balance, opts ...TxOption) (*Receipt, error)
	TransferAll(ctx context.Context, from Signer, to AccountID, keepAlive bool, opts ...TxOption) (*Receipt, error)
	// Faucet solves the faucet's proof of work over the signer's key and claims the faucet amount.
	Faucet(ctx context.Context, coldkey Signer, solver pow.Solver, opts ...TxOption) (*Receipt, error)

	RegisterNetwork(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (netuid uint16, r *Receipt, err error)
	StartCall(ctx context.Context, coldkey Signer, netuid uint16, opts ...TxOption) (*Receipt, error)
	BurnedRegister(ctx context.Context, coldkey Signer, netuid uint16, hotkey AccountID, opts ...TxOption) (uid uint16, r *Receipt, err error)
	// PowRegister solves the subnet's proof of work for the hotkey (refreshing the block as the chain
	// moves) and registers it for coldkey. HotKeyAlreadyRegisteredInSubNet counts as done. Who signs
	// depends on the chain: a gotensor node (CLASSIC rules) wants the hotkey; subtensor wants the coldkey,
	// as the Python SDK signs, and since 2026-01-23 ignores the seal and charges the coldkey the subnet's
	// burn instead (spec/sdk.md §6.3). So both keys are given; the coldkey is unlocked by the caller.
	PowRegister(ctx context.Context, hotkey, coldkey Signer, netuid uint16, solver pow.Solver, opts ...TxOption) (uid uint16, r *Receipt, err error)
	RootRegister(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (uid uint16, r *Receipt, err error)
	AssociateHotkey(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (*Receipt, error)

	SetWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights []uint16, versionKey uint64, opts ...TxOption) (*Receipt, error)
	CommitWeights(ctx context.Context, hotkey Signer, netuid uint16, commit Hash, opts ...TxOption) (*Receipt, error)
	RevealWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights, salt []uint16, versionKey uint64, opts ...TxOption) (*Receipt, error)
	BatchRevealWeights(ctx context.Context, hotkey Signer, netuid uint16, reveals []Reveal, opts ...TxOption) (*Receipt, error)
	// CommitTimelockedWeights encrypts the weights to a future drand round (sdk/timelock, the Python SDK's
	// get_encrypted_commit) and commits the ciphertext; the chain decrypts and applies them by itself at the
	// reveal round (subtensor's commit-reveal v3/v4). It returns the receipt and when the commit opens. The
	// gotensor node has hash commit-reveal only: it returns an *UnsupportedError and sends nothing.
	CommitTimelockedWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights []uint16, versionKey uint64, opts ...TxOption) (*Receipt, *TimelockedCommit, error)

	ServeAxon(ctx context.Context, hotkey Signer, netuid uint16, axon Axon, opts ...TxOption) (*Receipt, error)
	ServePrometheus(ctx context.Context, hotkey Signer, netuid uint16, ip netip.Addr, port uint16, version uint32, opts ...TxOption) (*Receipt, error)

	AddStake(ctx context.Context, coldkey Signer, hotkey AccountID, netuid uint16, tao Balance, opts ...TxOption) (*Receipt, error)
	RemoveStake(ctx context.Context, coldkey Signer, hotkey AccountID, netuid uint16, alpha Balance, opts ...TxOption) (*Receipt, error)
	DecreaseTake(ctx context.Context, coldkey Signer, hotkey AccountID, take uint16, opts ...TxOption) (*Receipt, error)
	IncreaseTake(ctx context.Context, coldkey Signer, hotkey AccountID, take uint16, opts ...TxOption) (*Receipt, error)

	// SetHyperparameter sets a subnet hyper-parameter as its owner (owner-settable parameters only).
	SetHyperparameter(ctx context.Context, owner Signer, netuid uint16, name string, value uint64, opts ...TxOption) (*Receipt, error)
	// SudoSetHyperparameter and SudoSetGlobal take the root path (signed by the sudo account).
	SudoSetHyperparameter(ctx context.Context, sudo Signer, netuid uint16, name string, value uint64, opts ...TxOption) (*Receipt, error)
	SudoSetGlobal(ctx context.Context, sudo Signer, name string, value uint64, opts ...TxOption) (*Receipt, error)

	Close() error
}

// Reveal is one item of a batch reveal.
type Reveal struct {
	UIDs, Weights, Salt []uint16
	VersionKey          uint64
}

// Axon is what serve_axon publishes.
type Axon struct {
	IP       netip.Addr
	Port     uint16
	Protocol uint8  // 4 by default in bittensor
	Version  uint32 // the SDK version as an int
	// Certificate, when set, is served with serve_axon_tls: an algorithm byte then the public key.
	Certificate []byte
}

// TxOption adjusts one transaction.
type TxOption func(*txOpts)

type txOpts struct {
	noWait   bool
	nonce    *uint64
	timelock *TimelockConfig // WithTimelock
}

// WithoutWait returns once the node admitted the transaction (Receipt has only Hash).
func WithoutWait() TxOption { return func(o *txOpts) { o.noWait = true } }

// WithNonce uses nonce instead of the managed next nonce.
func WithNonce(nonce uint64) TxOption { return func(o *txOpts) { o.nonce = &nonce } }
