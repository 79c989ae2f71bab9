package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gotensor/gotensor/chain/kv"
	"github.com/gotensor/gotensor/chain/tx"
)

// EVM: the neuron precompile at 0x…0804 (spec/chain.md §8), reached by raw Ethereum transactions.
//
// One handler, two entry points: an Ethereum transaction (tx.VersionEthereum envelope) is decoded with
// go-ethereum, its sender recovered with the signer of its own type (legacy, EIP-155, EIP-2930, EIP-1559),
// and the sender H160 mapped to its account blake2-256("evm:" ‖ h160). Its calldata is ABI-decoded into the
// same tx.Call a native transaction carries and dispatched to the same handler, in the same kind of
// overlay, as the mapped account (the hotkey for weights and serving, the coldkey for burnedRegister).
// Ethereum nonce = the mapped account's nonce; a failed call keeps only the nonce bump and the native fee.
//
// Rejected before execution (not included, nothing changes; eth_sendRawTransaction returns the error):
// undecodable or badly signed transactions, a chain id other than the genesis `evm_chain_id`, stale or
// future nonces, contract creation, blob and set-code types, a gas limit below the intrinsic gas or above
// EVMBlockGasLimit, a value that is not a whole number of rao (10^9 wei), and a fee the sender cannot pay.
//
// Executed (included; status 1, or 0 with the revert reason): a call to 0x…0804 (value, if any, moves to
// the precompile's own mapped account first; it is never refunded, as on subtensor), or a plain value
// transfer to any other address with empty calldata. Bad calldata (short, unknown selector, non-canonical
// ABI, oversized arrays), calldata to an address other than the precompile, or a gas limit below the call's
// gas (OutOfGas) fail with status 0 and no effect but the nonce (and fee).
//
// Every executed Ethereum transaction ends its events with EvEthereumExecuted, which carries what a
// receipt needs (from, to, hash, gas_used, status, reason, function).

// NeuronPrecompileAddress is H160::from_low_u64_be(2052).
var NeuronPrecompileAddress = [20]byte{18: 0x08, 19: 0x04}

// Fixed gas schedule (documented in docs/evm.md). gotensor charges no gas: the only fee is the native
// flat tx_fee of a paying call (burnedRegister, value transfers), exactly as for a native transaction.
const (
	EVMTxGas            = 21_000     // intrinsic gas of every transaction
	EVMTxDataZeroGas    = 4          // per zero calldata byte
	EVMTxDataNonZeroGas = 16         // per non-zero calldata byte
	EVMAccessListAddr   = 2_400      // per access-list address
	EVMAccessListKey    = 1_900      // per access-list storage key
	EVMPrecompileGas    = 100_000    // the neuron precompile's cost of any call
	EVMBlockGasLimit    = 30_000_000 // the most gas one transaction may ask for
	// WeiPerRao converts rao (9 decimals) to the EVM's 18-decimal wei.
	WeiPerRao = 1_000_000_000
	// DefaultEVMChainID is the default `evm_chain_id` (subtensor's localnet value).
	DefaultEVMChainID = 42
)

// GEVMChainID is the global parameter holding the EIP-155 chain id (genesis only).
const GEVMChainID = "evm_chain_id"

// EVM errors (pallet_evm's index in subtensor's runtime, 22, as the module).
var (
	ErrUnsupportedTxType   = newErr(22, 1, "UnsupportedTransactionType")
	ErrContractCreation    = newErr(22, 2, "ContractCreationNotSupported")
	ErrIntrinsicGasTooLow  = newErr(22, 3, "IntrinsicGasTooLow")
	ErrGasLimitTooHigh     = newErr(22, 4, "GasLimitTooHigh")
	ErrInvalidValue        = newErr(22, 5, "InvalidValue")
	ErrInvalidCalldata     = newErr(22, 6, "InvalidCalldata")
	ErrOutOfGas            = newErr(22, 7, "OutOfGas")
	ErrNoPrecompileAtAddrs = newErr(22, 8, "NoPrecompileAtAddress")
)

// EvEthereumExecuted(from, to, hash, gas_used, status, reason, function): the outcome of an Ethereum
// transaction (from/to as 0x H160, hash as 0x keccak-256, status 1 or 0, reason the revert message when
// status is 0, function the precompile function's name when the calldata named one).
const EvEthereumExecuted = "EthereumExecuted"

func init() {
	globalParams = append(globalParams, globalParam{GEVMChainID, DefaultEVMChainID, false,
		"EIP-155 chain id of Ethereum transactions (genesis only; docs/evm.md)"})
	for i := range globalParams {
		globalByName[globalParams[i].name] = &globalParams[i]
	}
	tx.SetEthereumDecoder(decodeEthereum)
}

// NeuronABI is the neuron precompile's ABI (the seed's INeuronABI).
const NeuronABI = `[
{"type":"function","name":"setWeights","stateMutability":"payable","outputs":[],"inputs":[{"name":"netuid","type":"uint16"},{"name":"dests","type":"uint16[]"},{"name":"weights","type":"uint16[]"},{"name":"versionKey","type":"uint64"}]},
{"type":"function","name":"commitWeights","stateMutability":"payable","outputs":[],"inputs":[{"name":"netuid","type":"uint16"},{"name":"commitHash","type":"bytes32"}]},
{"type":"function","name":"revealWeights","stateMutability":"payable","outputs":[],"inputs":[{"name":"netuid","type":"uint16"},{"name":"uids","type":"uint16[]"},{"name":"values","type":"uint16[]"},{"name":"salt","type":"uint16[]"},{"name":"versionKey","type":"uint64"}]},
{"type":"function","name":"burnedRegister","stateMutability":"payable","outputs":[],"inputs":[{"name":"netuid","type":"uint16"},{"name":"hotkey","type":"bytes32"}]},
{"type":"function","name":"serveAxon","stateMutability":"payable","outputs":[],"inputs":[{"name":"netuid","type":"uint16"},{"name":"version","type":"uint32"},{"name":"ip","type":"uint128"},{"name":"port","type":"uint16"},{"name":"ipType","type":"uint8"},{"name":"protocol","type":"uint8"},{"name":"placeholder1","type":"uint8"},{"name":"placeholder2","type":"uint8"}]},
{"type":"function","name":"serveAxonTls","stateMutability":"payable","outputs":[],"inputs":[{"name":"netuid","type":"uint16"},{"name":"version","type":"uint32"},{"name":"ip","type":"uint128"},{"name":"port","type":"uint16"},{"name":"ipType","type":"uint8"},{"name":"protocol","type":"uint8"},{"name":"placeholder1","type":"uint8"},{"name":"placeholder2","type":"uint8"},{"name":"certificate","type":"bytes"}]},
{"type":"function","name":"servePrometheus","stateMutability":"payable","outputs":[],"inputs":[{"name":"netuid","type":"uint16"},{"name":"version","type":"uint32"},{"name":"ip","type":"uint128"},{"name":"port","type":"uint16"},{"name":"ipType","type":"uint8"}]}
]`

var neuronABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(NeuronABI))
	if err != nil {
		panic(err)
	}
	return a
}()

// NeuronSelectors maps each precompile function's signature to its 4-byte selector.
func NeuronSelectors() map[string][4]byte {
	out := map[string][4]byte{}
	for _, m := range neuronABI.Methods {
		out[m.Sig] = [4]byte(m.ID)
	}
	return out
}

// EVMAccount is the account an H160 maps to: blake2-256("evm:" ‖ h160).
func EVMAccount(h160 [20]byte) [32]byte { return tx.EVMAccount(h160) }

// DecodeNeuronCalldata decodes calldata of the neuron precompile into the runtime call it dispatches (the
// Solidity function's name is the second result). Every failure wraps ErrInvalidCalldata.
func DecodeNeuronCalldata(data []byte) (tx.Call, string, error) {
	if len(data) < 4 {
		return nil, "", fail(ErrInvalidCalldata, "calldata of %d bytes has no selector", len(data))
	}
	m, err := neuronABI.MethodById(data[:4])
	if err != nil {
		return nil, "", fail(ErrInvalidCalldata, "unknown selector 0x%x", data[:4])
	}
	args, err := m.Inputs.Unpack(data[4:])
	if err != nil {
		return nil, m.Name, fail(ErrInvalidCalldata, "%s: %v", m.Name, err)
	}
	// Only the canonical encoding is accepted (no dirty high bits, no trailing bytes): re-encoding the
	// decoded arguments must give the calldata back.
	if again, err := m.Inputs.Pack(args...); err != nil || !bytes.Equal(again, data[4:]) {
		return nil, m.Name, fail(ErrInvalidCalldata, "%s: non-canonical ABI encoding", m.Name)
	}
	c, err := neuronCall(m.Name, args)
	if err != nil {
		return nil, m.Name, fail(ErrInvalidCalldata, "%s: %v", m.Name, err)
	}
	return c, m.Name, nil
}

func u128(v *big.Int) (tx.U128, error) {
	if v.Sign() < 0 || v.BitLen() > 128 {
		return tx.U128{}, errors.New("ip out of uint128 range")
	}
	var b [16]byte
	v.FillBytes(b[:])
	var u tx.U128
	for i := 0; i < 8; i++ {
		u.Hi = u.Hi<<8 | uint64(b[i])
		u.Lo = u.Lo<<8 | uint64(b[8+i])
	}
	return u, nil
}

func checkLen(name string, v []uint16, max int) error {
	if len(v) > max {
		return fmt.Errorf("%s has %d entries, at most %d", name, len(v), max)
	}
	return nil
}

func neuronCall(name string, a []any) (tx.Call, error) {
	switch name {
	case "setWeights":
		c := tx.SetWeights{Netuid: a[0].(uint16), Dests: a[1].([]uint16), Weights: a[2].([]uint16), VersionKey: a[3].(uint64)}
		return c, errors.Join(checkLen("dests", c.Dests, tx.MaxWeightsLen), checkLen("weights", c.Weights, tx.MaxWeightsLen))
	case "commitWeights":
		return tx.CommitWeights{Netuid: a[0].(uint16), Hash: a[1].([32]byte)}, nil
	case "revealWeights":
		c := tx.RevealWeights{Netuid: a[0].(uint16), Uids: a[1].([]uint16), Values: a[2].([]uint16), Salt: a[3].([]uint16), VersionKey: a[4].(uint64)}
		return c, errors.Join(checkLen("uids", c.Uids, tx.MaxWeightsLen), checkLen("values", c.Values, tx.MaxWeightsLen),
			checkLen("salt", c.Salt, tx.MaxSaltLen))
	case "burnedRegister":
		return tx.BurnedRegister{Netuid: a[0].(uint16), Hotkey: a[1].([32]byte)}, nil
	case "serveAxon", "serveAxonTls":
		ip, err := u128(a[2].(*big.Int))
		if err != nil {
			return nil, err
		}
		ax := tx.ServeAxon{Netuid: a[0].(uint16), Version: a[1].(uint32), IP: ip, Port: a[3].(uint16), IPType: a[4].(uint8),
			Protocol: a[5].(uint8), Placeholder1: a[6].(uint8), Placeholder2: a[7].(uint8)}
		if name == "serveAxon" {
			return ax, nil
		}
		cert := a[8].([]byte)
		if len(cert) > tx.MaxCertificateLen {
			return nil, fmt.Errorf("certificate of %d bytes, at most %d", len(cert), tx.MaxCertificateLen)
		}
		return tx.ServeAxonTLS{ServeAxon: ax, Certificate: cert}, nil
	case "servePrometheus":
		ip, err := u128(a[2].(*big.Int))
		if err != nil {
			return nil, err
		}
		return tx.ServePrometheus{Netuid: a[0].(uint16), Version: a[1].(uint32), IP: ip, Port: a[3].(uint16), IPType: a[4].(uint8)}, nil
	}
	return nil, fmt.Errorf("unsupported function %s", name)
}

// decodeEthereum is chain/tx's Ethereum decoder: go-ethereum decoding and sender recovery.
func decodeEthereum(raw []byte) (tx.Ethereum, error) {
	var t types.Transaction
	if err := t.UnmarshalBinary(raw); err != nil {
		return tx.Ethereum{}, fmt.Errorf("%w: ethereum transaction: %v", tx.ErrMalformed, err)
	}
	switch t.Type() {
	case types.LegacyTxType, types.AccessListTxType, types.DynamicFeeTxType:
	default:
		return tx.Ethereum{}, fmt.Errorf("%w: ethereum transaction type %d is not supported", tx.ErrUnknownCall, t.Type())
	}
	var signer types.Signer = types.HomesteadSigner{}
	if t.Protected() {
		signer = types.LatestSignerForChainID(t.ChainId())
	}
	from, err := types.Sender(signer, &t)
	if err != nil {
		return tx.Ethereum{}, fmt.Errorf("%w: ethereum transaction: %v", tx.ErrBadSignature, err)
	}
	return tx.Ethereum{From: from, Nonce: t.Nonce(), Hash: t.Hash(), Decoded: &t}, nil
}

// EthMessage is what an Ethereum transaction (or an eth_call / eth_estimateGas request) asks for.
type EthMessage struct {
	From       [20]byte
	To         *[20]byte // nil: contract creation
	Data       []byte
	Value      *big.Int // wei; nil = 0
	Gas        uint64   // 0 in a dry run: no limit
	AccessList types.AccessList
}

// ethPlan is an Ethereum message resolved against the rules: the call it dispatches (nil for a plain
// transfer or bad calldata), the value in rao, the gas it uses, and the failure it will end in, if known.
type ethPlan struct {
	msg     EthMessage
	call    tx.Call
	fn      string // Solidity function name, when known
	rao     uint64
	gasUsed uint64
	fail    error // execution failure known before executing (bad calldata, no precompile, out of gas)
}

// IntrinsicGas is the gas of a transaction before execution.
func IntrinsicGas(data []byte, al types.AccessList) uint64 {
	g := uint64(EVMTxGas)
	for _, b := range data {
		if b == 0 {
			g += EVMTxDataZeroGas
		} else {
			g += EVMTxDataNonZeroGas
		}
	}
	for _, t := range al {
		g += EVMAccessListAddr + uint64(len(t.StorageKeys))*EVMAccessListKey
	}
	return g
}

// planEth checks what can be checked without state (the rejections) and resolves the call.
func planEth(m EthMessage) (ethPlan, error) {
	p := ethPlan{msg: m}
	if m.To == nil {
		return p, fail(ErrContractCreation, "contract creation")
	}
	if m.Value != nil && m.Value.Sign() != 0 {
		q, r := new(big.Int).QuoRem(m.Value, big.NewInt(WeiPerRao), new(big.Int))
		if m.Value.Sign() < 0 || r.Sign() != 0 || !q.IsUint64() {
			return p, fail(ErrInvalidValue, "value %s wei is not a whole number of rao (10^9 wei)", m.Value)
		}
		p.rao = q.Uint64()
	}
	intrinsic := IntrinsicGas(m.Data, m.AccessList)
	if m.Gas != 0 && m.Gas < intrinsic {
		return p, fail(ErrIntrinsicGasTooLow, "gas %d, intrinsic gas %d", m.Gas, intrinsic)
	}
	if m.Gas > EVMBlockGasLimit {
		return p, fail(ErrGasLimitTooHigh, "gas %d, block gas limit %d", m.Gas, EVMBlockGasLimit)
	}
	p.gasUsed = intrinsic
	switch {
	case *m.To == NeuronPrecompileAddress:
		p.gasUsed += EVMPrecompileGas
		p.call, p.fn, p.fail = DecodeNeuronCalldata(m.Data)
	case len(m.Data) > 0:
		p.fail = fail(ErrNoPrecompileAtAddrs, "calldata to 0x%x: only the neuron precompile 0x…0804 executes calls", m.To[:])
	default:
		p.call = tx.Transfer{Dest: EVMAccount(*m.To), Amount: p.rao}
	}
	if p.fail == nil && m.Gas != 0 && m.Gas < p.gasUsed {
		p.fail = fail(ErrOutOfGas, "gas %d, the call needs %d", m.Gas, p.gasUsed)
		p.gasUsed = m.Gas
	}
	return p, nil
}

// pays reports whether the native flat fee applies: a paying call, a plain transfer, or failed calldata.
func (p ethPlan) pays() bool { return p.call == nil || tx.Pays(p.call) }

// exec runs the plan in c (an overlay): the value moves to the precompile first, then the call runs.
func (p ethPlan) exec(c *call) error {
	if p.fail != nil {
		return p.fail
	}
	if t, ok := p.call.(tx.Transfer); ok {
		if t.Amount == 0 {
			return nil // a zero-value transfer (e.g. a nonce "cancel") succeeds and moves nothing
		}
		return c.dispatch(p.call)
	}
	if p.rao > 0 {
		if err := c.move(EVMAccount(NeuronPrecompileAddress), p.rao); err != nil {
			return err
		}
	}
	return c.dispatch(p.call)
}

func messageOf(e tx.Ethereum) (EthMessage, *types.Transaction) {
	t := e.Decoded.(*types.Transaction)
	m := EthMessage{From: e.From, Data: t.Data(), Value: t.Value(), Gas: t.Gas(), AccessList: t.AccessList()}
	if to := t.To(); to != nil {
		a := [20]byte(*to)
		m.To = &a
	}
	return m, t
}

// precheckEthereum is precheck for an Ethereum envelope.
func (r *Runtime) precheckEthereum(s st, t *tx.Tx, e tx.Ethereum, allowFuture bool) (ethPlan, error) {
	m, et := messageOf(e)
	if et.Protected() {
		if want := s.global(GEVMChainID); et.ChainId().Cmp(new(big.Int).SetUint64(want)) != 0 {
			return ethPlan{}, fail(ErrWrongChain, "ethereum chain id %s, this chain is %d", et.ChainId(), want)
		}
	}
	p, err := planEth(m)
	if err != nil {
		return p, err
	}
	acct := s.account(t.Signer)
	switch {
	case t.Nonce < acct.Nonce:
		return p, fail(ErrStaleNonce, "nonce %d, account nonce %d", t.Nonce, acct.Nonce)
	case t.Nonce > acct.Nonce && !allowFuture:
		return p, fail(ErrFutureNonce, "nonce %d, account nonce %d", t.Nonce, acct.Nonce)
	}
	if fee := s.global(GTxFee); fee > 0 && p.pays() && acct.Free < fee {
		return p, fail(ErrCannotPayFee, "fee %d, free balance %d", fee, acct.Free)
	}
	return p, nil
}

// RevertReason is the message a failed Ethereum call reverts with, as subtensor's precompile words it.
func RevertReason(err error) string {
	e := ErrorOf(err)
	switch {
	case e == nil:
		return "dispatch execution failed: " + err.Error()
	case e == ErrInvalidCalldata, e == ErrOutOfGas, e == ErrNoPrecompileAtAddrs:
		return e.Name + ": " + strings.TrimSuffix(err.Error(), ": "+e.Name)
	}
	return "dispatch execution failed: " + e.Name
}

func hexH160(a [20]byte) string { return "0x" + common.Bytes2Hex(a[:]) }

func executedEvent(p ethPlan, hash [32]byte, err error) Event {
	to := ""
	if p.msg.To != nil {
		to = hexH160(*p.msg.To)
	}
	status, reason := "1", ""
	if err != nil {
		status, reason = "0", RevertReason(err)
	}
	return ev(EvEthereumExecuted, Attr{"from", hexH160(p.msg.From)}, Attr{"to", to}, Attr{"hash", hexAcct(hash)},
		attrU("gas_used", p.gasUsed), Attr{"status", status}, Attr{"reason", reason}, Attr{"function", p.fn})
}

// applyEthereum runs a decoded Ethereum transaction in the block in progress.
func (r *Runtime) applyEthereum(t *tx.Tx, e tx.Ethereum) TxResult {
	s := st{r.block}
	p, err := r.precheckEthereum(s, t, e, false)
	if err != nil {
		return rejected(err, t)
	}
	res := TxResult{Included: true, Call: tx.CallEthereum.Name(), TxHash: e.Hash}
	if p.call != nil {
		res.Call = p.call.Index().Name()
	}
	acct := s.account(t.Signer)
	acct.Nonce++
	if fee := s.global(GTxFee); fee > 0 && p.pays() {
		acct.Free -= fee
		s.setU64(key(kTotalIssuance), s.u64(key(kTotalIssuance))-fee)
		res.Events = append(res.Events, ev(EvFeePaid, attrA("who", t.Signer), attrU("fee", fee)))
	}
	s.setAccount(t.Signer, acct)

	ov := kv.NewOverlay(r.block)
	c := &call{s: st{ov}, r: r, block: r.header.Height, signer: t.Signer}
	if err := p.exec(c); err != nil {
		ov.Discard()
		ne := ErrorOf(err)
		if ne == nil {
			ne = ErrMalformed
		}
		res.Code, res.Error, res.Log = ne.Code, ne.Name, err.Error()
		res.Events = append(res.Events, executedEvent(p, e.Hash, err))
		return res
	}
	ov.Commit()
	res.Events = append(res.Events, c.events...)
	res.Events = append(res.Events, executedEvent(p, e.Hash, nil))
	return res
}

// EthCallResult is the outcome of a dry run (eth_call, eth_estimateGas).
type EthCallResult struct {
	GasUsed uint64
	Err     error  // nil on success; the rejection or the failure
	Reason  string // the revert reason when Err is an execution failure
	Events  []Event
}

// SimulateEthereum executes m against the current state as if it were included in the next block, and
// discards every write: the dry run behind eth_call and eth_estimateGas. Nonce and fee are not checked.
// It writes nothing to the runtime, so it may run concurrently with the query functions between blocks.
func (r *Runtime) SimulateEthereum(m EthMessage) EthCallResult {
	p, err := planEth(m)
	if err != nil {
		return EthCallResult{Err: err}
	}
	view := r.view()
	block := r.Height() + 1
	if r.block != nil {
		block = r.header.Height
	}
	ov := kv.NewOverlay(view.kv)
	c := &call{s: st{ov}, r: r, block: block, signer: EVMAccount(m.From)}
	err = p.exec(c)
	ov.Discard()
	if err != nil {
		return EthCallResult{GasUsed: p.gasUsed, Err: err, Reason: RevertReason(err)}
	}
	return EthCallResult{GasUsed: p.gasUsed, Events: c.events}
}

// EVMChainID is the chain's EIP-155 chain id.
func (r *Runtime) EVMChainID() uint64 { return r.view().global(GEVMChainID) }
