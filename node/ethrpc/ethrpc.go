// Package ethrpc is the node's Ethereum JSON-RPC endpoint (`gotensor node --eth.addr`): the methods
// Ethereum tooling (ethers v6, MetaMask-style wallets) needs to reach the neuron precompile at 0x…0804.
// It runs go-ethereum's rpc server over a small Backend; the transactions it accepts are executed by the
// runtime (chain/runtime/evm.go), never here. docs/evm.md describes it.
//
// Methods: eth_chainId, net_version, eth_blockNumber, eth_getBalance (rao × 10^9 wei),
// eth_getTransactionCount (the mapped account's nonce), eth_gasPrice, eth_maxPriorityFeePerGas,
// eth_feeHistory (fixed values), eth_estimateGas, eth_call, eth_sendRawTransaction,
// eth_getTransactionByHash, eth_getTransactionReceipt, eth_getBlockByNumber. Any other method gets the
// standard -32601 error.
package ethrpc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	gethrpc "github.com/ethereum/go-ethereum/rpc"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/node/store"
)

// Fixed fee values (nothing is charged per gas: the only fee is the native flat tx_fee of paying calls).
const (
	GasPrice             = 1_000_000_000 // eth_gasPrice and every block's baseFeePerGas: 1 gwei = 1 rao per gas
	MaxPriorityFeePerGas = 0             // eth_maxPriorityFeePerGas and feeHistory rewards
)

// Config configures a Server.
type Config struct {
	Logger *slog.Logger
	// MaxPending bounds the cache of submitted, not yet included transactions (for eth_getTransactionByHash).
	MaxPending int
}

// Server is the Ethereum JSON-RPC endpoint.
type Server struct {
	b   Backend
	rpc *gethrpc.Server
	log *slog.Logger

	mu       sync.Mutex
	pending  map[common.Hash][]byte
	order    []common.Hash
	maxPend  int
	chainID  uint64
	chainErr error
	once     sync.Once
}

// New builds the endpoint over b.
func New(b Backend, cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = 10_000
	}
	s := &Server{b: b, rpc: gethrpc.NewServer(), log: cfg.Logger, pending: map[common.Hash][]byte{}, maxPend: cfg.MaxPending}
	s.rpc.SetBatchLimits(100, 16<<20)
	s.rpc.SetHTTPBodyLimit(4 << 20)
	if err := s.rpc.RegisterName("eth", &ethAPI{s}); err != nil {
		panic(err)
	}
	if err := s.rpc.RegisterName("net", &netAPI{s}); err != nil {
		panic(err)
	}
	return s
}

// Handler serves JSON-RPC over HTTP POST and WebSocket on the same path.
func (s *Server) Handler() http.Handler {
	ws := s.rpc.WebsocketHandler([]string{"*"})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "websocket" {
			ws.ServeHTTP(w, r)
			return
		}
		s.rpc.ServeHTTP(w, r)
	})
}

// Listen serves on addr until ctx ends and returns the bound address (port 0 picks a free one).
func (s *Server) Listen(ctx context.Context, addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("eth rpc: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		s.rpc.Stop()
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("eth rpc server stopped", "err", err)
		}
	}()
	return ln.Addr(), nil
}

// Start is New + Listen: what `gotensor node --eth.addr ADDR` runs.
func Start(ctx context.Context, e Engine, addr string, log *slog.Logger) (net.Addr, error) {
	return New(EngineBackend(e), Config{Logger: log}).Listen(ctx, addr)
}

func (s *Server) remember(h common.Hash, raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pending[h]; ok {
		return
	}
	for len(s.order) >= s.maxPend {
		delete(s.pending, s.order[0])
		s.order = s.order[1:]
	}
	s.pending[h] = raw
	s.order = append(s.order, h)
}

func (s *Server) pendingRaw(h common.Hash) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending[h]
}

func (s *Server) forget(h common.Hash) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pending[h]; !ok {
		return
	}
	delete(s.pending, h)
	for i, x := range s.order {
		if x == h {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

// rpcError is a JSON-RPC error with a code and optional data (go-ethereum's rpc.Error / rpc.DataError).
type rpcError struct {
	code int
	msg  string
	data any
}

func (e *rpcError) Error() string          { return e.msg }
func (e *rpcError) ErrorCode() int         { return e.code }
func (e *rpcError) ErrorData() interface{} { return e.data }

// Error codes.
const (
	codeServer   = -32000 // a refused transaction or request
	codeInvalid  = -32602 // bad parameters
	codeReverted = 3      // execution reverted (geth's code; data holds the revert data)
)

// RevertData is the Solidity Error(string) encoding of a revert reason (what ethers decodes as `reason`).
func RevertData(reason string) []byte {
	out := []byte{0x08, 0xc3, 0x79, 0xa0}
	word := func(v uint64) []byte { return common.LeftPadBytes(new(big.Int).SetUint64(v).Bytes(), 32) }
	out = append(out, word(32)...)
	out = append(out, word(uint64(len(reason)))...)
	padded := make([]byte, (len(reason)+31)/32*32)
	copy(padded, reason)
	return append(out, padded...)
}

func revertError(reason string) error {
	return &rpcError{code: codeReverted, msg: "execution reverted: " + reason, data: hexutil.Encode(RevertData(reason))}
}

// submitError words a refusal the way Ethereum tooling recognises (ethers maps "nonce too low" to
// NONCE_EXPIRED and "insufficient funds" to INSUFFICIENT_FUNDS).
func submitError(err error) error {
	var se *SubmitError
	if !errors.As(err, &se) {
		return &rpcError{code: codeServer, msg: err.Error()}
	}
	prefix := ""
	switch se.Name {
	case runtime.ErrStaleNonce.Name:
		prefix = "nonce too low: "
	case runtime.ErrFutureNonce.Name:
		prefix = "nonce too high: "
	case runtime.ErrCannotPayFee.Name, runtime.ErrInsufficientBalance.Name:
		prefix = "insufficient funds for transfer: "
	case runtime.ErrIntrinsicGasTooLow.Name:
		prefix = "intrinsic gas too low: "
	case runtime.ErrWrongChain.Name:
		prefix = "invalid chain id: "
	case "NonceTaken":
		prefix = "replacement transaction underpriced: "
	case "MempoolFull", "AccountMempoolFull":
		prefix = "txpool is full: "
	}
	return &rpcError{code: codeServer, msg: prefix + se.Error()}
}

// ---- net_ -------------------------------------------------------------------------------------------

type netAPI struct{ s *Server }

// Version is net_version: the chain id in decimal.
func (n *netAPI) Version() string { return strconv.FormatUint(n.s.b.ChainID(), 10) }

// ---- eth_ -------------------------------------------------------------------------------------------

type ethAPI struct{ s *Server }

// ChainId is eth_chainId.
func (a *ethAPI) ChainId() hexutil.Uint64 { return hexutil.Uint64(a.s.b.ChainID()) }

// BlockNumber is eth_blockNumber.
func (a *ethAPI) BlockNumber() hexutil.Uint64 { return hexutil.Uint64(a.s.b.Head()) }

// GasPrice is eth_gasPrice.
func (a *ethAPI) GasPrice() *hexutil.Big { return (*hexutil.Big)(big.NewInt(GasPrice)) }

// MaxPriorityFeePerGas is eth_maxPriorityFeePerGas.
func (a *ethAPI) MaxPriorityFeePerGas() *hexutil.Big {
	return (*hexutil.Big)(big.NewInt(MaxPriorityFeePerGas))
}

// FeeHistoryResult is eth_feeHistory's answer.
type FeeHistoryResult struct {
	OldestBlock  *hexutil.Big     `json:"oldestBlock"`
	Reward       [][]*hexutil.Big `json:"reward,omitempty"`
	BaseFee      []*hexutil.Big   `json:"baseFeePerGas"`
	GasUsedRatio []float64        `json:"gasUsedRatio"`
}

// FeeHistory is eth_feeHistory: constant base fee and zero rewards.
func (a *ethAPI) FeeHistory(count hexutil.Uint64, last gethrpc.BlockNumber, percentiles []float64) (*FeeHistoryResult, error) {
	head := a.s.b.Head()
	newest, err := a.s.height(last, head)
	if err != nil {
		return nil, err
	}
	n := min(uint64(count), 1024, newest+1)
	res := &FeeHistoryResult{OldestBlock: (*hexutil.Big)(new(big.Int).SetUint64(newest + 1 - n))}
	for i := uint64(0); i <= n; i++ {
		res.BaseFee = append(res.BaseFee, (*hexutil.Big)(big.NewInt(GasPrice)))
	}
	for i := uint64(0); i < n; i++ {
		res.GasUsedRatio = append(res.GasUsedRatio, 0)
		if len(percentiles) > 0 {
			row := make([]*hexutil.Big, len(percentiles))
			for j := range row {
				row[j] = (*hexutil.Big)(big.NewInt(MaxPriorityFeePerGas))
			}
			res.Reward = append(res.Reward, row)
		}
	}
	return res, nil
}

// height resolves a block tag to a committed height ("pending" and "latest" are the head).
func (s *Server) height(n gethrpc.BlockNumber, head uint64) (uint64, error) {
	switch {
	case n == gethrpc.EarliestBlockNumber:
		return 0, nil
	case n < 0:
		return head, nil
	case uint64(n) > head:
		return 0, &rpcError{code: codeInvalid, msg: fmt.Sprintf("block %d is beyond the head %d", n, head)}
	}
	return uint64(n), nil
}

func (s *Server) at(bnh *gethrpc.BlockNumberOrHash) (*uint64, error) {
	if bnh == nil {
		return nil, nil
	}
	if h, ok := bnh.Hash(); ok {
		return nil, &rpcError{code: codeInvalid, msg: fmt.Sprintf("queries by block hash (%s) are not supported; use a number or tag", h)}
	}
	n, _ := bnh.Number()
	head := s.b.Head()
	h, err := s.height(n, head)
	if err != nil || h == head {
		return nil, err
	}
	return &h, nil
}

// GetBalance is eth_getBalance: the mapped account's free balance, rao × 10^9 wei.
func (a *ethAPI) GetBalance(addr common.Address, block *gethrpc.BlockNumberOrHash) (*hexutil.Big, error) {
	at, err := a.s.at(block)
	if err != nil {
		return nil, err
	}
	info, err := a.s.b.Account(runtime.EVMAccount(addr), at)
	if err != nil {
		return nil, &rpcError{code: codeServer, msg: err.Error()}
	}
	wei := new(big.Int).Mul(new(big.Int).SetUint64(info.Free), big.NewInt(runtime.WeiPerRao))
	return (*hexutil.Big)(wei), nil
}

// GetTransactionCount is eth_getTransactionCount: the mapped account's nonce ("pending" counts pooled
// transactions).
func (a *ethAPI) GetTransactionCount(addr common.Address, block *gethrpc.BlockNumberOrHash) (hexutil.Uint64, error) {
	acct := runtime.EVMAccount(addr)
	if block != nil {
		if n, ok := block.Number(); ok && n == gethrpc.PendingBlockNumber {
			return hexutil.Uint64(a.s.b.NextNonce(acct)), nil
		}
	}
	at, err := a.s.at(block)
	if err != nil {
		return 0, err
	}
	info, err := a.s.b.Account(acct, at)
	if err != nil {
		return 0, &rpcError{code: codeServer, msg: err.Error()}
	}
	return hexutil.Uint64(info.Nonce), nil
}

// CallArgs are eth_call / eth_estimateGas arguments.
type CallArgs struct {
	From                 *common.Address   `json:"from"`
	To                   *common.Address   `json:"to"`
	Gas                  *hexutil.Uint64   `json:"gas"`
	GasPrice             *hexutil.Big      `json:"gasPrice"`
	MaxFeePerGas         *hexutil.Big      `json:"maxFeePerGas"`
	MaxPriorityFeePerGas *hexutil.Big      `json:"maxPriorityFeePerGas"`
	Value                *hexutil.Big      `json:"value"`
	Nonce                *hexutil.Uint64   `json:"nonce"`
	Data                 *hexutil.Bytes    `json:"data"`
	Input                *hexutil.Bytes    `json:"input"`
	AccessList           *types.AccessList `json:"accessList"`
	ChainID              *hexutil.Big      `json:"chainId"`
	Type                 *hexutil.Uint64   `json:"type"`
}

func (c CallArgs) message() runtime.EthMessage {
	var m runtime.EthMessage
	if c.From != nil {
		m.From = *c.From
	}
	if c.To != nil {
		to := [20]byte(*c.To)
		m.To = &to
	}
	if c.Input != nil {
		m.Data = *c.Input
	} else if c.Data != nil {
		m.Data = *c.Data
	}
	if c.Value != nil {
		m.Value = c.Value.ToInt()
	}
	if c.Gas != nil {
		m.Gas = uint64(*c.Gas)
	}
	if c.AccessList != nil {
		m.AccessList = *c.AccessList
	}
	return m
}

func (s *Server) simulate(args CallArgs, block *gethrpc.BlockNumberOrHash) (runtime.EthCallResult, error) {
	if block != nil {
		if n, ok := block.Number(); ok && n >= 0 && uint64(n) != s.b.Head() {
			return runtime.EthCallResult{}, &rpcError{code: codeInvalid, msg: "eth_call and eth_estimateGas run on the latest block only"}
		}
	}
	res, err := s.b.Simulate(args.message())
	if err != nil {
		return res, &rpcError{code: codeServer, msg: err.Error()}
	}
	if res.Err != nil {
		if res.Reason != "" {
			return res, revertError(res.Reason)
		}
		return res, &rpcError{code: codeServer, msg: res.Err.Error()}
	}
	return res, nil
}

// Call is eth_call: a dry run on the latest state. The neuron precompile has no view functions, so a
// successful call returns 0x; a failing one returns the revert error (code 3, data = Error(string)).
func (a *ethAPI) Call(args CallArgs, block *gethrpc.BlockNumberOrHash, _ *map[string]any) (hexutil.Bytes, error) {
	_, err := a.s.simulate(args, block)
	if err != nil {
		return nil, err
	}
	return hexutil.Bytes{}, nil
}

// EstimateGas is eth_estimateGas: the fixed gas schedule of a successful dry run.
func (a *ethAPI) EstimateGas(args CallArgs, block *gethrpc.BlockNumberOrHash, _ *map[string]any) (hexutil.Uint64, error) {
	args.Gas = nil
	res, err := a.s.simulate(args, block)
	if err != nil {
		return 0, err
	}
	return hexutil.Uint64(res.GasUsed), nil
}

// SendRawTransaction is eth_sendRawTransaction: the raw transaction goes to the mempool as an Ethereum
// envelope; the runtime checks it (CheckTx) and executes it in a block.
func (a *ethAPI) SendRawTransaction(raw hexutil.Bytes) (common.Hash, error) {
	var t types.Transaction
	if err := t.UnmarshalBinary(raw); err != nil {
		return common.Hash{}, &rpcError{code: codeInvalid, msg: "rlp: " + err.Error()}
	}
	h, err := a.s.b.Submit(tx.EncodeEthereum(raw))
	if err != nil {
		return common.Hash{}, submitError(err)
	}
	a.s.remember(h, append([]byte(nil), raw...))
	return h, nil
}

// ---- transactions, receipts, blocks ----------------------------------------------------------------

// RPCTransaction is a transaction as eth_getTransactionByHash returns it.
type RPCTransaction struct {
	BlockHash        *common.Hash      `json:"blockHash"`
	BlockNumber      *hexutil.Big      `json:"blockNumber"`
	From             common.Address    `json:"from"`
	Gas              hexutil.Uint64    `json:"gas"`
	GasPrice         *hexutil.Big      `json:"gasPrice"`
	GasFeeCap        *hexutil.Big      `json:"maxFeePerGas,omitempty"`
	GasTipCap        *hexutil.Big      `json:"maxPriorityFeePerGas,omitempty"`
	Hash             common.Hash       `json:"hash"`
	Input            hexutil.Bytes     `json:"input"`
	Nonce            hexutil.Uint64    `json:"nonce"`
	To               *common.Address   `json:"to"`
	TransactionIndex *hexutil.Uint64   `json:"transactionIndex"`
	Value            *hexutil.Big      `json:"value"`
	Type             hexutil.Uint64    `json:"type"`
	Accesses         *types.AccessList `json:"accessList,omitempty"`
	ChainID          *hexutil.Big      `json:"chainId,omitempty"`
	V                *hexutil.Big      `json:"v"`
	R                *hexutil.Big      `json:"r"`
	S                *hexutil.Big      `json:"s"`
	YParity          *hexutil.Uint64   `json:"yParity,omitempty"`
}

func newRPCTransaction(t *types.Transaction, from common.Address, b *store.Block, index int) *RPCTransaction {
	v, r, s := t.RawSignatureValues()
	out := &RPCTransaction{From: from, Gas: hexutil.Uint64(t.Gas()), Hash: t.Hash(), Input: t.Data(), Nonce: hexutil.Uint64(t.Nonce()),
		To: t.To(), Value: (*hexutil.Big)(t.Value()), Type: hexutil.Uint64(t.Type()), V: (*hexutil.Big)(v), R: (*hexutil.Big)(r), S: (*hexutil.Big)(s)}
	if b != nil {
		bh := common.Hash(b.Hash)
		idx := hexutil.Uint64(index)
		out.BlockHash, out.BlockNumber, out.TransactionIndex = &bh, (*hexutil.Big)(new(big.Int).SetUint64(b.Height)), &idx
	}
	switch t.Type() {
	case types.LegacyTxType:
		out.GasPrice = (*hexutil.Big)(t.GasPrice())
		if t.Protected() {
			out.ChainID = (*hexutil.Big)(t.ChainId())
		}
	default:
		al := t.AccessList()
		yp := hexutil.Uint64(v.Uint64())
		out.Accesses, out.ChainID, out.YParity = &al, (*hexutil.Big)(t.ChainId()), &yp
		out.GasPrice = (*hexutil.Big)(t.GasPrice())
		if t.Type() == types.DynamicFeeTxType {
			out.GasFeeCap, out.GasTipCap = (*hexutil.Big)(t.GasFeeCap()), (*hexutil.Big)(t.GasTipCap())
			out.GasPrice = (*hexutil.Big)(effectiveGasPrice(t))
		}
	}
	return out
}

// effectiveGasPrice is what a transaction would pay per gas against the fixed base fee.
func effectiveGasPrice(t *types.Transaction) *big.Int {
	if t.Type() != types.DynamicFeeTxType {
		return t.GasPrice()
	}
	p := new(big.Int).Add(big.NewInt(GasPrice), t.GasTipCap())
	if p.Cmp(t.GasFeeCap()) > 0 {
		p = t.GasFeeCap()
	}
	return p
}

// included is an Ethereum transaction found in a block.
type included struct {
	b     *store.Block
	index int
	tx    *types.Transaction
	res   runtime.TxResult
	exec  runtime.Event
}

func executed(res runtime.TxResult) (runtime.Event, bool) {
	for i := len(res.Events) - 1; i >= 0; i-- {
		if res.Events[i].Name == runtime.EvEthereumExecuted {
			return res.Events[i], true
		}
	}
	return runtime.Event{}, false
}

func ethTxAt(b *store.Block, i int) (*included, bool) {
	raw, ok := tx.EthereumPayload(b.Txs[i])
	if !ok || i >= len(b.Results) {
		return nil, false
	}
	var t types.Transaction
	if err := t.UnmarshalBinary(raw); err != nil {
		return nil, false
	}
	ex, ok := executed(b.Results[i])
	if !ok {
		return nil, false
	}
	return &included{b: b, index: i, tx: &t, res: b.Results[i], exec: ex}, true
}

func (s *Server) lookup(h common.Hash) (*included, error) {
	loc, err := s.b.TxLocation(h)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, &rpcError{code: codeServer, msg: err.Error()}
	}
	b, err := s.b.Block(loc.Height)
	if err != nil {
		return nil, &rpcError{code: codeServer, msg: err.Error()}
	}
	inc, ok := ethTxAt(b, int(loc.Index))
	if !ok {
		return nil, nil // a native transaction
	}
	s.forget(h)
	return inc, nil
}

// GetTransactionByHash is eth_getTransactionByHash (also for a transaction this endpoint submitted that
// is still pending).
func (a *ethAPI) GetTransactionByHash(h common.Hash) (*RPCTransaction, error) {
	inc, err := a.s.lookup(h)
	if err != nil {
		return nil, err
	}
	if inc != nil {
		return newRPCTransaction(inc.tx, common.HexToAddress(inc.exec.Attr("from")), inc.b, inc.index), nil
	}
	raw := a.s.pendingRaw(h)
	if raw == nil {
		return nil, nil
	}
	var t types.Transaction
	if err := t.UnmarshalBinary(raw); err != nil {
		return nil, nil
	}
	var signer types.Signer = types.HomesteadSigner{}
	if t.Protected() {
		signer = types.LatestSignerForChainID(t.ChainId())
	}
	from, _ := types.Sender(signer, &t)
	return newRPCTransaction(&t, from, nil, 0), nil
}

// RPCReceipt is eth_getTransactionReceipt's answer. RevertReason (as Hyperledger Besu reports it) is the
// Error(string) revert data of a failed call, so tooling can read the error name from the receipt.
type RPCReceipt struct {
	TransactionHash   common.Hash     `json:"transactionHash"`
	TransactionIndex  hexutil.Uint64  `json:"transactionIndex"`
	BlockHash         common.Hash     `json:"blockHash"`
	BlockNumber       *hexutil.Big    `json:"blockNumber"`
	From              common.Address  `json:"from"`
	To                *common.Address `json:"to"`
	CumulativeGasUsed hexutil.Uint64  `json:"cumulativeGasUsed"`
	GasUsed           hexutil.Uint64  `json:"gasUsed"`
	EffectiveGasPrice *hexutil.Big    `json:"effectiveGasPrice"`
	ContractAddress   *common.Address `json:"contractAddress"`
	Logs              []*types.Log    `json:"logs"`
	LogsBloom         hexutil.Bytes   `json:"logsBloom"`
	Type              hexutil.Uint64  `json:"type"`
	Status            hexutil.Uint64  `json:"status"`
	RevertReason      hexutil.Bytes   `json:"revertReason,omitempty"`
}

func gasUsedOf(ex runtime.Event) uint64 {
	g, _ := strconv.ParseUint(ex.Attr("gas_used"), 10, 64)
	return g
}

// GetTransactionReceipt is eth_getTransactionReceipt: status 1 or 0, no logs (the precompile emits none).
func (a *ethAPI) GetTransactionReceipt(h common.Hash) (*RPCReceipt, error) {
	inc, err := a.s.lookup(h)
	if err != nil || inc == nil {
		return nil, err
	}
	var cumulative uint64
	for i := 0; i <= inc.index; i++ {
		if ex, ok := executed(inc.b.Results[i]); ok && tx.IsEthereum(inc.b.Txs[i]) {
			cumulative += gasUsedOf(ex)
		}
	}
	rc := &RPCReceipt{TransactionHash: h, TransactionIndex: hexutil.Uint64(inc.index), BlockHash: common.Hash(inc.b.Hash),
		BlockNumber: (*hexutil.Big)(new(big.Int).SetUint64(inc.b.Height)), From: common.HexToAddress(inc.exec.Attr("from")),
		To: inc.tx.To(), CumulativeGasUsed: hexutil.Uint64(cumulative), GasUsed: hexutil.Uint64(gasUsedOf(inc.exec)),
		EffectiveGasPrice: (*hexutil.Big)(effectiveGasPrice(inc.tx)), Logs: []*types.Log{}, LogsBloom: make([]byte, 256),
		Type: hexutil.Uint64(inc.tx.Type())}
	if inc.exec.Attr("status") == "1" {
		rc.Status = 1
	} else {
		rc.RevertReason = RevertData(inc.exec.Attr("reason"))
	}
	return rc, nil
}

// RPCBlock is a block as eth_getBlockByNumber returns it. Only Ethereum transactions are listed (native
// sr25519 transactions have no Ethereum form); their indices are their positions in the gotensor block.
type RPCBlock struct {
	Number          *hexutil.Big   `json:"number"`
	Hash            common.Hash    `json:"hash"`
	ParentHash      common.Hash    `json:"parentHash"`
	Nonce           hexutil.Bytes  `json:"nonce"`
	MixHash         common.Hash    `json:"mixHash"`
	Sha3Uncles      common.Hash    `json:"sha3Uncles"`
	LogsBloom       hexutil.Bytes  `json:"logsBloom"`
	StateRoot       common.Hash    `json:"stateRoot"`
	TransactionRoot common.Hash    `json:"transactionsRoot"`
	ReceiptsRoot    common.Hash    `json:"receiptsRoot"`
	Miner           common.Address `json:"miner"`
	Difficulty      *hexutil.Big   `json:"difficulty"`
	TotalDifficulty *hexutil.Big   `json:"totalDifficulty"`
	ExtraData       hexutil.Bytes  `json:"extraData"`
	Size            hexutil.Uint64 `json:"size"`
	GasLimit        hexutil.Uint64 `json:"gasLimit"`
	GasUsed         hexutil.Uint64 `json:"gasUsed"`
	Timestamp       hexutil.Uint64 `json:"timestamp"`
	BaseFeePerGas   *hexutil.Big   `json:"baseFeePerGas"`
	Transactions    []any          `json:"transactions"`
	Uncles          []common.Hash  `json:"uncles"`
}

// GetBlockByNumber is eth_getBlockByNumber.
func (a *ethAPI) GetBlockByNumber(n gethrpc.BlockNumber, full bool) (*RPCBlock, error) {
	h, err := a.s.height(n, a.s.b.Head())
	if err != nil {
		return nil, nil
	}
	b, err := a.s.b.Block(h)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, &rpcError{code: codeServer, msg: err.Error()}
	}
	out := &RPCBlock{Number: (*hexutil.Big)(new(big.Int).SetUint64(b.Height)), Hash: common.Hash(b.Hash), ParentHash: common.Hash(b.ParentHash),
		Nonce: make([]byte, 8), Sha3Uncles: types.EmptyUncleHash, LogsBloom: make([]byte, 256), StateRoot: common.Hash(b.StateHash),
		TransactionRoot: types.EmptyTxsHash, ReceiptsRoot: types.EmptyReceiptsHash, Difficulty: (*hexutil.Big)(new(big.Int)),
		TotalDifficulty: (*hexutil.Big)(new(big.Int)), ExtraData: []byte{}, GasLimit: hexutil.Uint64(runtime.EVMBlockGasLimit),
		Timestamp: hexutil.Uint64(b.Time / 1000), BaseFeePerGas: (*hexutil.Big)(big.NewInt(GasPrice)), Transactions: []any{}, Uncles: []common.Hash{}}
	var size int
	for i := range b.Txs {
		size += len(b.Txs[i])
		inc, ok := ethTxAt(b, i)
		if !ok {
			continue
		}
		out.GasUsed += hexutil.Uint64(gasUsedOf(inc.exec))
		if full {
			out.Transactions = append(out.Transactions, newRPCTransaction(inc.tx, common.HexToAddress(inc.exec.Attr("from")), b, i))
		} else {
			out.Transactions = append(out.Transactions, inc.tx.Hash())
		}
	}
	out.Size = hexutil.Uint64(size)
	return out, nil
}
