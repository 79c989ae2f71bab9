package runtime_test

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

// hardhatKey0 is the well-known first hardhat/anvil key; its address 0xf39f…2266 is in the golden mapping.
const hardhatKey0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

var neuronABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(runtime.NeuronABI))
	if err != nil {
		panic(err)
	}
	return a
}()

var precompile = common.Address(runtime.NeuronPrecompileAddress)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoldenEVMMappingAndSelectors(t *testing.T) {
	var g struct {
		Mapping []struct {
			H160    string `json:"h160"`
			Account string `json:"account_id32"`
		} `json:"address_mapping"`
		Selectors map[string]string `json:"neuron_precompile_selectors"`
	}
	loadGolden(t, "chain_evm_mapping_selectors.json", &g)
	if len(g.Mapping) == 0 || len(g.Selectors) == 0 {
		t.Fatal("empty golden file")
	}
	for _, m := range g.Mapping {
		got := runtime.EVMAccount([20]byte(unhex(t, m.H160)))
		if hex.EncodeToString(got[:]) != strings.TrimPrefix(m.Account, "0x") {
			t.Errorf("mapping of %s = %x, want %s", m.H160, got, m.Account)
		}
	}
	if runtime.EVMAccount(runtime.NeuronPrecompileAddress) != [32]byte(unhex(t, g.Mapping[0].Account)) {
		t.Error("precompile address mapping")
	}
	ours := runtime.NeuronSelectors()
	for sig, want := range g.Selectors {
		// Every selector is keccak256(signature)[:4]; registerLimit is HEAD-only (spec/chain.md §8) and
		// gotensor follows CLASSIC, so the precompile does not implement it.
		if k := crypto.Keccak256([]byte(sig))[:4]; "0x"+hex.EncodeToString(k) != want {
			t.Errorf("keccak selector of %s = %x, want %s", sig, k, want)
		}
		sel, ok := ours[sig]
		if strings.HasPrefix(sig, "registerLimit(") {
			if ok {
				t.Error("registerLimit is implemented but the runtime has no register_limit")
			}
			continue
		}
		if !ok || "0x"+hex.EncodeToString(sel[:]) != want {
			t.Errorf("selector of %s = %x (present %v), want %s", sig, sel, ok, want)
		}
	}
	if len(ours) != 7 {
		t.Errorf("%d functions, want the seed's 7", len(ours))
	}
}

func TestGoldenCommitHashOfMappedAccount(t *testing.T) {
	var g struct {
		Vectors []struct {
			Case    string   `json:"case"`
			Hotkey  string   `json:"hotkey"`
			Netuid  uint16   `json:"netuid_index"`
			Uids    []uint16 `json:"uids"`
			Values  []uint16 `json:"values"`
			Salt    []uint16 `json:"salt"`
			Version uint64   `json:"version_key"`
			Hash    string   `json:"hash"`
		} `json:"computed_vectors"`
	}
	loadGolden(t, "chain_commit_hash.json", &g)
	found := false
	for _, v := range g.Vectors {
		if v.Case != "evm_0x1234_mapped" {
			continue
		}
		found = true
		var h160 [20]byte
		h160[18], h160[19] = 0x12, 0x34
		acct := runtime.EVMAccount(h160)
		if "0x"+hex.EncodeToString(acct[:]) != v.Hotkey {
			t.Fatalf("mapped 0x…1234 = %x, want %s", acct, v.Hotkey)
		}
		h := tx.CommitHash(acct, v.Netuid, v.Uids, v.Values, v.Salt, v.Version)
		if "0x"+hex.EncodeToString(h[:]) != v.Hash {
			t.Fatalf("commit hash %x, want %s", h, v.Hash)
		}
	}
	if !found {
		t.Fatal("no evm_0x1234_mapped vector")
	}
}

// ethUser signs Ethereum transactions for a chain under test.
type ethUser struct {
	key  *ecdsa.PrivateKey
	addr common.Address
	c    *sc.Chain
}

func newEthUser(t testing.TB, c *sc.Chain, hexKey string) *ethUser {
	k, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	return &ethUser{key: k, addr: crypto.PubkeyToAddress(k.PublicKey), c: c}
}

func (u *ethUser) account() [32]byte { return runtime.EVMAccount(u.addr) }
func (u *ethUser) nonce() uint64     { return u.c.R.Account(u.account()).Nonce }

// Transaction kinds.
const (
	kind1559 = iota
	kindLegacy155
	kindHomestead
	kindAccessList
)

type ethOpts struct {
	kind    int
	to      *common.Address
	value   *big.Int
	gas     uint64
	nonce   *uint64
	chainID *big.Int
}

func (u *ethUser) sign(t testing.TB, data []byte, o ethOpts) []byte {
	t.Helper()
	nonce := u.nonce()
	if o.nonce != nil {
		nonce = *o.nonce
	}
	to := o.to
	if to == nil {
		to = &precompile
	}
	if o.gas == 0 {
		o.gas = 1_000_000
	}
	if o.value == nil {
		o.value = new(big.Int)
	}
	chainID := o.chainID
	if chainID == nil {
		chainID = new(big.Int).SetUint64(u.c.R.EVMChainID())
	}
	var inner types.TxData
	var signer types.Signer
	switch o.kind {
	case kind1559:
		inner = &types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(0), GasFeeCap: big.NewInt(2e9), Gas: o.gas, To: to, Value: o.value, Data: data}
		signer = types.LatestSignerForChainID(chainID)
	case kindAccessList:
		inner = &types.AccessListTx{ChainID: chainID, Nonce: nonce, GasPrice: big.NewInt(1e9), Gas: o.gas, To: to, Value: o.value, Data: data,
			AccessList: types.AccessList{{Address: precompile}}}
		signer = types.LatestSignerForChainID(chainID)
	case kindLegacy155:
		inner = &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(1e9), Gas: o.gas, To: to, Value: o.value, Data: data}
		signer = types.NewEIP155Signer(chainID)
	case kindHomestead:
		inner = &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(1e9), Gas: o.gas, To: to, Value: o.value, Data: data}
		signer = types.HomesteadSigner{}
	}
	signed, err := types.SignNewTx(u.key, signer, inner)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := signed.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return tx.EncodeEthereum(raw)
}

func pack(t testing.TB, fn string, args ...any) []byte {
	t.Helper()
	b, err := neuronABI.Pack(fn, args...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// send delivers an Ethereum call to the precompile and checks its status (and revert error name).
func (u *ethUser) send(t testing.TB, data []byte, o ethOpts, want *runtime.Error) runtime.TxResult {
	t.Helper()
	res := u.c.R.DeliverTx(u.sign(t, data, o))
	if !res.Included {
		t.Fatalf("not included: %s (%s)", res.Error, res.Log)
	}
	ex := res.Events[len(res.Events)-1]
	if ex.Name != runtime.EvEthereumExecuted {
		t.Fatalf("last event %+v", ex)
	}
	switch {
	case want == nil && !res.OK():
		t.Fatalf("failed: %s (%s)", res.Error, res.Log)
	case want == nil && ex.Attr("status") != "1":
		t.Fatalf("status %s", ex.Attr("status"))
	case want != nil && (res.Error != want.Name || ex.Attr("status") != "0" || !strings.Contains(ex.Attr("reason"), want.Name) && want != runtime.ErrInvalidCalldata):
		t.Fatalf("got %q (%s) status %s reason %q, want %s", res.Error, res.Log, ex.Attr("status"), ex.Attr("reason"), want.Name)
	}
	return res
}

// expectNoEffect runs fn and checks that only the caller's account entry (its nonce) changed.
func expectNoEffect(t *testing.T, u *ethUser, fn func()) {
	t.Helper()
	before := u.c.Snapshot()
	acct := u.c.R.Account(u.account())
	fn()
	a := u.account()
	acctKey := string(append([]byte("Account/"), a[:]...))
	for _, k := range u.c.Changed(before) {
		if k != acctKey {
			t.Fatalf("a failed Ethereum call changed %q", k)
		}
	}
	if after := u.c.R.Account(u.account()); after.Nonce != acct.Nonce+1 || after.Free != acct.Free {
		t.Fatalf("account went from %+v to %+v", acct, after)
	}
}

func TestEVMNeuronFlow(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	crNet := c.CreateSubnet("owner2", "owner2-hot")
	c.SetHyper(crNet, "tempo", 10)
	c.SetHyper(crNet, "weights_rate_limit", 0)
	c.Step(1)
	u := newEthUser(t, c, hardhatKey0)
	if u.addr != common.HexToAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266") {
		t.Fatal(u.addr)
	}
	me := u.account()

	// Fund the mapped account with a native transfer.
	c.Must("alice", tx.Transfer{Dest: me, Amount: 1000 * tao})
	c.Step(1)

	// burnedRegister(netuid, own mapped key): the mapped account is coldkey and hotkey.
	burn, _ := c.R.Hyperparameter(net, "burn")
	u.send(t, pack(t, "burnedRegister", net, me), ethOpts{}, nil)
	uid, ok := c.R.Uid(net, me)
	if !ok {
		t.Fatal("not registered")
	}
	if owner, _ := c.R.Owner(me); owner != me {
		t.Fatal("owner is not the mapped account")
	}
	if got := c.R.Balance(me); got != 1000*tao-burn {
		t.Fatalf("balance %d, want %d", got, 1000*tao-burn)
	}
	c.Step(1)

	// serveAxon with the seed's 127.0.0.1 reverts InvalidIpAddress; 127.0.0.2 succeeds.
	ip := func(a, b, c, d int64) *big.Int { return big.NewInt(a<<24 | b<<16 | c<<8 | d) }
	expectNoEffect(t, u, func() {
		u.send(t, pack(t, "serveAxon", net, uint32(1), ip(127, 0, 0, 1), uint16(8080), uint8(4), uint8(0), uint8(0), uint8(0)), ethOpts{kind: kindLegacy155},
			runtime.ErrInvalidIpAddress)
	})
	// The dry run says the same.
	if r := c.R.SimulateEthereum(runtime.EthMessage{From: u.addr, To: &runtime.NeuronPrecompileAddress,
		Data: pack(t, "serveAxon", net, uint32(1), ip(127, 0, 0, 1), uint16(8080), uint8(4), uint8(0), uint8(0), uint8(0))}); runtime.ErrorOf(r.Err) != runtime.ErrInvalidIpAddress ||
		r.Reason != "dispatch execution failed: InvalidIpAddress" {
		t.Fatalf("simulate: %+v", r)
	}
	u.send(t, pack(t, "serveAxon", net, uint32(1), ip(127, 0, 0, 2), uint16(8080), uint8(4), uint8(0), uint8(0), uint8(0)), ethOpts{}, nil)
	n, _ := c.R.Neuron(net, uid)
	if n.Axon.IP != tx.IPv4(127, 0, 0, 2) || n.Axon.Port != 8080 || n.Axon.IPType != 4 || n.Axon.Version != 1 || n.Axon.Block != c.Height() {
		t.Fatalf("axon %+v", n.Axon)
	}
	c.SetHyper(net, "serving_rate_limit", 0)
	cert := make([]byte, 65)
	for i := range cert {
		cert[i] = byte(i + 1)
	}
	u.send(t, pack(t, "serveAxonTls", net, uint32(1), ip(10, 0, 0, 1), uint16(8443), uint8(4), uint8(0), uint8(0), uint8(0), cert), ethOpts{kind: kindAccessList}, nil)
	u.send(t, pack(t, "servePrometheus", net, uint32(1), ip(10, 0, 0, 1), uint16(9090), uint8(4)), ethOpts{kind: kindHomestead}, nil)
	n, _ = c.R.Neuron(net, uid)
	if n.Axon.Port != 8443 || n.Prometheus.Port != 9090 || n.Prometheus.IP != tx.IPv4(10, 0, 0, 1) {
		t.Fatalf("axon %+v prometheus %+v", n.Axon, n.Prometheus)
	}

	// setWeights: a self-weight needs no permit; stored max-upscaled.
	u.send(t, pack(t, "setWeights", net, []uint16{uid}, []uint16{2}, uint64(0)), ethOpts{}, nil)
	if row := c.R.WeightsRow(net, uid); len(row) != 1 || row[0].Uid != uid || row[0].Value != 65535 {
		t.Fatalf("weights %+v", row)
	}
	// Weights on a commit-reveal subnet fail as natively.
	u.send(t, pack(t, "burnedRegister", crNet, me), ethOpts{}, nil)
	crUID, _ := c.R.Uid(crNet, me)
	u.send(t, pack(t, "setWeights", crNet, []uint16{crUID}, []uint16{2}, uint64(0)), ethOpts{}, runtime.ErrCommitRevealEnabled)
	c.Step(1)

	// commit / reveal too early / reveal in the window.
	uids, values, salt := []uint16{crUID}, []uint16{5}, []uint16{9}
	hash := tx.CommitHash(me, crNet, uids, values, salt, 0)
	u.send(t, pack(t, "commitWeights", crNet, hash), ethOpts{}, nil)
	if len(c.R.PendingCommits(crNet, me)) != 1 {
		t.Fatal("no commit stored")
	}
	reveal := pack(t, "revealWeights", crNet, uids, values, salt, uint64(0))
	expectNoEffect(t, u, func() { u.send(t, reveal, ethOpts{}, runtime.ErrRevealTooEarly) })
	for i := 0; ; i++ {
		if i > 30 {
			t.Fatal("reveal window never opened")
		}
		c.Step(1)
		r := c.R.SimulateEthereum(runtime.EthMessage{From: u.addr, To: &runtime.NeuronPrecompileAddress, Data: reveal})
		if r.Err == nil {
			break
		}
		if runtime.ErrorOf(r.Err) != runtime.ErrRevealTooEarly {
			t.Fatalf("simulated reveal: %v", r.Err)
		}
	}
	u.send(t, reveal, ethOpts{}, nil)
	if row := c.R.WeightsRow(crNet, crUID); len(row) != 1 || row[0].Value != 65535 || len(c.R.PendingCommits(crNet, me)) != 0 {
		t.Fatalf("after reveal: %+v", row)
	}
	c.Step(1)
}

func TestEVMValueAndTransfers(t *testing.T) {
	c := sc.New(t, sc.Options{})
	u := newEthUser(t, c, hardhatKey0)
	c.Must("alice", tx.Transfer{Dest: u.account(), Amount: 10 * tao})
	c.Step(1)
	// A plain value transfer to another H160 moves rao between mapped accounts.
	other := common.HexToAddress("0x0000000000000000000000000000000000001234")
	res := c.R.DeliverTx(u.sign(t, nil, ethOpts{to: &other, value: new(big.Int).Mul(big.NewInt(2*tao), big.NewInt(runtime.WeiPerRao)), gas: 21_000}))
	if !res.OK() || c.R.Balance(runtime.EVMAccount(other)) != 2*tao {
		t.Fatalf("transfer: %+v balance %d", res, c.R.Balance(runtime.EVMAccount(other)))
	}
	// A zero-value transfer (a "cancel") succeeds and moves nothing.
	before := c.R.Balance(runtime.EVMAccount(other))
	if res := c.R.DeliverTx(u.sign(t, nil, ethOpts{to: &other, gas: 21_000})); !res.OK() || c.R.Balance(runtime.EVMAccount(other)) != before {
		t.Fatalf("zero transfer: %+v", res)
	}
	// msg.value sent with a precompile call goes to the precompile's mapped account (no refund) ...
	net := c.CreateSubnet("owner", "owner-hot")
	data := pack(t, "burnedRegister", net, u.account())
	res = c.R.DeliverTx(u.sign(t, data, ethOpts{value: big.NewInt(tao * runtime.WeiPerRao)}))
	if !res.OK() || c.R.Balance(runtime.EVMAccount(runtime.NeuronPrecompileAddress)) != tao {
		t.Fatalf("payable: %+v", res)
	}
	// ... and stays with the caller when the call fails.
	expectNoEffect(t, u, func() {
		res = c.R.DeliverTx(u.sign(t, data, ethOpts{value: big.NewInt(tao * runtime.WeiPerRao)}))
	})
	if res.Error != runtime.ErrHotKeyAlreadyRegisteredInSubNet.Name {
		t.Fatalf("second register: %s", res.Error)
	}
	// Rejections change nothing, the nonce included.
	n := u.nonce()
	stale := n - 1
	for _, r := range []struct {
		raw  []byte
		want *runtime.Error
	}{
		{u.sign(t, data, ethOpts{chainID: big.NewInt(1)}), runtime.ErrWrongChain},
		{u.sign(t, data, ethOpts{nonce: &stale}), runtime.ErrStaleNonce},
		{u.sign(t, data, ethOpts{value: big.NewInt(1)}), runtime.ErrInvalidValue},
		{u.sign(t, data, ethOpts{gas: 21_000}), runtime.ErrIntrinsicGasTooLow},
		{u.sign(t, data, ethOpts{gas: runtime.EVMBlockGasLimit + 1}), runtime.ErrGasLimitTooHigh},
		{tx.EncodeEthereum([]byte{0x02, 0xc0}), runtime.ErrMalformed},
		{tx.EncodeEthereum(nil), runtime.ErrMalformed},
	} {
		c.ExpectReject(r.raw, r.want)
	}
	future := n + 1
	c.ExpectReject(u.sign(t, data, ethOpts{nonce: &future}), runtime.ErrFutureNonce)
	if chk := c.R.CheckTx(u.sign(t, data, ethOpts{nonce: &future})); !chk.OK() {
		t.Fatalf("CheckTx of a future nonce: %+v", chk)
	}
	// The transaction hash is the Ethereum hash.
	raw := u.sign(t, data, ethOpts{})
	var et types.Transaction
	if err := et.UnmarshalBinary(raw[1:]); err != nil {
		t.Fatal(err)
	}
	if chk := c.R.CheckTx(raw); chk.TxHash != [32]byte(et.Hash()) {
		t.Fatalf("hash %x, want %x", chk.TxHash, et.Hash())
	}
	// A decoded envelope re-encodes to itself and carries the mapped signer and the nonce.
	d, err := tx.Decode(raw)
	if err != nil || !bytes.Equal(d.Encode(), raw) || d.Signer != u.account() || d.Nonce != n || d.Verify() != nil {
		t.Fatalf("decode: %v", err)
	}
}

func TestEVMBadCalldata(t *testing.T) {
	c := sc.New(t, sc.Options{})
	u := newEthUser(t, c, hardhatKey0)
	c.Must("alice", tx.Transfer{Dest: u.account(), Amount: 10 * tao})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	c.Step(1)
	good := pack(t, "setWeights", uint16(1), []uint16{0, 1}, []uint16{1, 2}, uint64(0))
	lying := bytes.Clone(good)
	lying[4+5*32-1] = 200 // the dests array claims 200 entries
	dirty := bytes.Clone(good)
	dirty[4+29] = 1 // high bits of the uint16 netuid
	other := common.HexToAddress("0x0000000000000000000000000000000000000805")
	cases := []struct {
		name string
		data []byte
		to   *common.Address
		gas  uint64
		want *runtime.Error
	}{
		{"empty", nil, nil, 0, runtime.ErrInvalidCalldata},
		{"short", []byte{0x34, 0xaf}, nil, 0, runtime.ErrInvalidCalldata},
		{"unknown selector", append([]byte{1, 2, 3, 4}, good[4:]...), nil, 0, runtime.ErrInvalidCalldata},
		{"registerLimit (HEAD only)", append(crypto.Keccak256([]byte("registerLimit(uint16,bytes32,uint64)"))[:4], make([]byte, 96)...), nil, 0, runtime.ErrInvalidCalldata},
		{"truncated arguments", good[:len(good)-5], nil, 0, runtime.ErrInvalidCalldata},
		{"array length beyond the data", lying, nil, 0, runtime.ErrInvalidCalldata},
		{"dirty high bits", dirty, nil, 0, runtime.ErrInvalidCalldata},
		{"trailing bytes", append(bytes.Clone(good), 0), nil, 0, runtime.ErrInvalidCalldata},
		{"unequal arrays", pack(t, "setWeights", uint16(1), []uint16{0, 1}, []uint16{1}, uint64(0)), nil, 0, runtime.ErrWeightVecNotEqualSize},
		{"oversized salt", pack(t, "revealWeights", uint16(1), []uint16{0}, []uint16{1}, make([]uint16, tx.MaxSaltLen+1), uint64(0)), nil, 2_000_000, runtime.ErrInvalidCalldata},
		{"calldata to another address", good, &other, 0, runtime.ErrNoPrecompileAtAddrs},
		{"out of gas", good, nil, 25_000, runtime.ErrOutOfGas},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectNoEffect(t, u, func() { u.send(t, tc.data, ethOpts{to: tc.to, gas: tc.gas}, tc.want) })
		})
	}
}

func FuzzNeuronCalldata(f *testing.F) {
	a := neuronABI
	seeds := [][]byte{}
	for _, args := range []struct {
		fn   string
		args []any
	}{
		{"setWeights", []any{uint16(1), []uint16{1, 2, 3}, []uint16{100, 200, 150}, uint64(0)}},
		{"commitWeights", []any{uint16(1), [32]byte{1}}},
		{"revealWeights", []any{uint16(1), []uint16{1}, []uint16{5}, []uint16{9}, uint64(0)}},
		{"burnedRegister", []any{uint16(1), [32]byte{0x12, 0x34}}},
		{"serveAxon", []any{uint16(1), uint32(1), big.NewInt(0x7f000001), uint16(8080), uint8(4), uint8(0), uint8(0), uint8(0)}},
		{"serveAxonTls", []any{uint16(1), uint32(1), big.NewInt(0x7f000001), uint16(8443), uint8(4), uint8(0), uint8(0), uint8(0), []byte{1, 2, 3}}},
		{"servePrometheus", []any{uint16(1), uint32(1), big.NewInt(0x7f000001), uint16(9090), uint8(4)}},
	} {
		b, err := a.Pack(args.fn, args.args...)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Add([]byte{})
	f.Add([]byte{0x34, 0xaf, 0x16, 0xd6})
	f.Fuzz(func(t *testing.T, data []byte) {
		call, fn, err := runtime.DecodeNeuronCalldata(data)
		if err != nil {
			if runtime.ErrorOf(err) != runtime.ErrInvalidCalldata {
				t.Fatalf("error %v is not InvalidCalldata", err)
			}
			return
		}
		// What decodes is canonical: packing the function's arguments again gives the calldata back.
		m := a.Methods[fn]
		args, err := m.Inputs.Unpack(data[4:])
		if err != nil {
			t.Fatal(err)
		}
		again, err := a.Pack(fn, args...)
		if err != nil || !bytes.Equal(again, data) || call == nil {
			t.Fatalf("%s: not canonical", fn)
		}
	})
}

// FuzzEthereumEnvelope feeds arbitrary bytes as a raw Ethereum transaction: the runtime never panics, and
// whatever it rejects changes nothing.
func FuzzEthereumEnvelope(f *testing.F) {
	c := sc.New(f, sc.Options{})
	u := newEthUser(f, c, hardhatKey0)
	c.Must("alice", tx.Transfer{Dest: u.account(), Amount: 10 * tao})
	for i, kind := range []int{kind1559, kindLegacy155, kindHomestead, kindAccessList} {
		data := pack(f, "commitWeights", uint16(i), [32]byte{byte(i)})
		f.Add(u.sign(f, data, ethOpts{kind: kind})[1:])
	}
	f.Add([]byte{})
	f.Add([]byte{0x02})
	f.Fuzz(func(t *testing.T, raw []byte) {
		before := c.Snapshot()
		res := c.R.DeliverTx(tx.EncodeEthereum(raw))
		if !res.Included {
			if d := c.Changed(before); len(d) != 0 {
				t.Fatalf("rejected %s changed %q", res.Error, d)
			}
		}
		c.R.CheckTx(tx.EncodeEthereum(raw))
	})
}
