package ethrpc_test

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	gethrpc "github.com/ethereum/go-ethereum/rpc"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/ethrpc"
)

const tao = 1_000_000_000

type env struct {
	t   *testing.T
	e   *dev.Engine
	c   *gethrpc.Client
	abi abi.ABI
}

func newEnv(t *testing.T) *env {
	g, err := dev.DevGenesis(true)
	if err != nil {
		t.Fatal(err)
	}
	e, err := dev.Open(dev.Config{Home: t.TempDir(), NoSync: true, Genesis: g})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	addr, err := ethrpc.Start(ctx, e, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := gethrpc.DialContext(ctx, "http://"+addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	a, err := abi.JSON(strings.NewReader(runtime.NeuronABI))
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, e: e, c: c, abi: a}
}

func (v *env) call(out any, method string, args ...any) error {
	return v.c.CallContext(context.Background(), out, method, args...)
}

func (v *env) must(out any, method string, args ...any) {
	v.t.Helper()
	if err := v.call(out, method, args...); err != nil {
		v.t.Fatalf("%s: %v", method, err)
	}
}

func (v *env) block() {
	v.t.Helper()
	if _, err := v.e.ProduceBlock(); err != nil {
		v.t.Fatal(err)
	}
}

func (v *env) native(uri string, call tx.Call) {
	v.t.Helper()
	kp, err := keys.FromURI(uri)
	if err != nil {
		v.t.Fatal(err)
	}
	signed, err := tx.Sign(kp, v.e.GenesisHash(), v.e.NextNonce(kp.PublicKey()), call)
	if err != nil {
		v.t.Fatal(err)
	}
	if _, err := v.e.Submit(signed.Encode()); err != nil {
		v.t.Fatal(err)
	}
}

func TestEndpoint(t *testing.T) {
	v := newEnv(t)
	key, _ := crypto.HexToECDSA("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
	from := crypto.PubkeyToAddress(key.PublicKey)
	mapped := runtime.EVMAccount(from)

	var chainID hexutil.Uint64
	v.must(&chainID, "eth_chainId")
	if chainID != runtime.DefaultEVMChainID {
		t.Fatalf("chain id %d", chainID)
	}
	var netVersion string
	v.must(&netVersion, "net_version")
	if netVersion != "42" {
		t.Fatalf("net_version %q", netVersion)
	}
	// Unknown methods get the standard error.
	err := v.call(nil, "eth_mining")
	var rerr gethrpc.Error
	if err == nil || !asRPCError(err, &rerr) || rerr.ErrorCode() != -32601 {
		t.Fatalf("unknown method: %v", err)
	}

	// Fund the mapped account with a native transfer from //Alice.
	v.native("//Alice", tx.Transfer{Dest: mapped, Amount: 100 * tao})
	v.native("//Alice", tx.RegisterNetwork{Hotkey: [32]byte{9}})
	v.block()
	var bal hexutil.Big
	v.must(&bal, "eth_getBalance", from, "latest")
	if want := new(big.Int).Mul(big.NewInt(100*tao), big.NewInt(1e9)); bal.ToInt().Cmp(want) != 0 {
		t.Fatalf("balance %s, want %s", bal.ToInt(), want)
	}
	var head hexutil.Uint64
	v.must(&head, "eth_blockNumber")
	if head != 1 {
		t.Fatalf("block number %d", head)
	}
	var gp, tip hexutil.Big
	v.must(&gp, "eth_gasPrice")
	v.must(&tip, "eth_maxPriorityFeePerGas")
	if gp.ToInt().Int64() != ethrpc.GasPrice || tip.ToInt().Int64() != 0 {
		t.Fatal("fee values")
	}
	var fh ethrpc.FeeHistoryResult
	v.must(&fh, "eth_feeHistory", "0x2", "latest", []float64{50})
	if len(fh.BaseFee) != 3 || len(fh.Reward) != 2 {
		t.Fatalf("fee history %+v", fh)
	}

	pre := common.Address(runtime.NeuronPrecompileAddress)
	data, _ := v.abi.Pack("serveAxon", uint16(1), uint32(1), big.NewInt(0x7f000001), uint16(8080), uint8(4), uint8(0), uint8(0), uint8(0))
	// burnedRegister through eth_sendRawTransaction (EIP-1559), then the receipt and the lookups.
	reg, _ := v.abi.Pack("burnedRegister", uint16(1), [32]byte(mapped))
	var gas hexutil.Uint64
	v.must(&gas, "eth_estimateGas", map[string]any{"from": from, "to": pre, "data": hexutil.Bytes(reg)})
	if uint64(gas) != runtime.IntrinsicGas(reg, nil)+runtime.EVMPrecompileGas {
		t.Fatalf("estimate %d", gas)
	}
	send := func(data []byte, gas uint64) common.Hash {
		t.Helper()
		var nonce hexutil.Uint64
		v.must(&nonce, "eth_getTransactionCount", from, "pending")
		signed := types.MustSignNewTx(key, types.LatestSignerForChainID(big.NewInt(int64(chainID))), &types.DynamicFeeTx{
			ChainID: big.NewInt(int64(chainID)), Nonce: uint64(nonce), GasTipCap: big.NewInt(0), GasFeeCap: big.NewInt(2e9), Gas: gas, To: &pre, Data: data})
		raw, _ := signed.MarshalBinary()
		var h common.Hash
		v.must(&h, "eth_sendRawTransaction", hexutil.Bytes(raw))
		if h != signed.Hash() {
			t.Fatalf("hash %s, want %s", h, signed.Hash())
		}
		return h
	}
	h := send(reg, uint64(gas))
	var pending map[string]any
	v.must(&pending, "eth_getTransactionByHash", h)
	if pending == nil || pending["blockNumber"] != nil {
		t.Fatalf("pending tx %v", pending)
	}
	// A resubmission of the same nonce is refused the Ethereum way.
	v.block()
	var rc ethrpc.RPCReceipt
	v.must(&rc, "eth_getTransactionReceipt", h)
	if rc.Status != 1 || rc.From != from || uint64(rc.GasUsed) != uint64(gas) || rc.BlockNumber.ToInt().Uint64() != 2 {
		t.Fatalf("receipt %+v", rc)
	}
	var got ethrpc.RPCTransaction
	v.must(&got, "eth_getTransactionByHash", h)
	if got.From != from || got.Hash != h || got.BlockNumber == nil {
		t.Fatalf("tx %+v", got)
	}
	var blk map[string]json.RawMessage
	v.must(&blk, "eth_getBlockByNumber", "latest", false)
	if !strings.Contains(string(blk["transactions"]), h.Hex()) {
		t.Fatalf("block transactions %s", blk["transactions"])
	}
	var count hexutil.Uint64
	v.must(&count, "eth_getTransactionCount", from, "latest")
	if count != 1 {
		t.Fatalf("nonce %d", count)
	}
	var old hexutil.Uint64
	v.must(&old, "eth_getTransactionCount", from, "0x1")
	if old != 0 {
		t.Fatalf("nonce at block 1: %d", old)
	}

	// A dry run of serveAxon with 127.0.0.1 reverts with the error name in Error(string) data.
	args := map[string]any{"from": from, "to": pre, "data": hexutil.Bytes(data)}
	err = v.call(nil, "eth_call", args, "latest")
	var de gethrpc.DataError
	if err == nil || !asDataError(err, &de) || !strings.Contains(err.Error(), "InvalidIpAddress") ||
		!strings.HasPrefix(de.ErrorData().(string), "0x08c379a0") {
		t.Fatalf("eth_call: %v", err)
	}
	if err := v.call(nil, "eth_estimateGas", args); err == nil || !strings.Contains(err.Error(), "InvalidIpAddress") {
		t.Fatalf("estimateGas: %v", err)
	}

	// A failing call (fixed gas, so no estimate): status 0 and the reason in revertReason.
	h = send(data, 200_000)
	v.block()
	rc = ethrpc.RPCReceipt{}
	v.must(&rc, "eth_getTransactionReceipt", h)
	if rc.Status != 0 || !strings.Contains(string(rc.RevertReason), "dispatch execution failed: InvalidIpAddress") {
		t.Fatalf("failed receipt %+v (%q)", rc, rc.RevertReason)
	}
	// Stale nonce and bad bytes are refused at submission.
	signed := types.MustSignNewTx(key, types.LatestSignerForChainID(big.NewInt(int64(chainID))), &types.DynamicFeeTx{
		ChainID: big.NewInt(int64(chainID)), Nonce: 0, GasFeeCap: big.NewInt(2e9), Gas: 200_000, To: &pre, Data: data})
	raw, _ := signed.MarshalBinary()
	if err := v.call(nil, "eth_sendRawTransaction", hexutil.Bytes(raw)); err == nil || !strings.Contains(err.Error(), "nonce too low") {
		t.Fatalf("stale nonce: %v", err)
	}
	if err := v.call(nil, "eth_sendRawTransaction", hexutil.Bytes{1, 2, 3}); err == nil {
		t.Fatal("garbage accepted")
	}
	var none map[string]any
	v.must(&none, "eth_getTransactionReceipt", common.Hash{1})
	if none != nil {
		t.Fatal("receipt of an unknown hash")
	}
}

func asRPCError(err error, out *gethrpc.Error) bool {
	e, ok := err.(gethrpc.Error)
	if ok {
		*out = e
	}
	return ok
}

func asDataError(err error, out *gethrpc.DataError) bool {
	e, ok := err.(gethrpc.DataError)
	if ok {
		*out = e
	}
	return ok
}
