// Package scenario is the runtime's test harness: a chain in memory driven through the public runtime API
// with domain verbs (create a subnet, register, set weights, step blocks), so tests read like the story
// they check. Keys are txtest keys named by strings; every named key is endowed at genesis.
//
// A block is always open: New starts block 1, Step commits it and opens the next. Transactions submitted
// with Do run in the open block, in order.
package scenario

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gotensor/gotensor/chain/kv"
	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/tx/txtest"
	"golang.org/x/crypto/blake2b"
)

// Endowment is what each named genesis account holds (1M TAO).
const Endowment = 1_000_000 * 1_000_000_000

// Chain is an in-memory chain under test.
type Chain struct {
	T      testing.TB
	R      *runtime.Runtime
	Store  *kv.MemStore
	Hashes []([32]byte) // state hash after each committed block (index = height)
	Events []runtime.Event
}

// Options configure New.
type Options struct {
	Genesis      *runtime.Genesis // default: the dev profile with sudo "sudo" and the Accounts endowed
	Accounts     []string         // extra names to endow (sudo, alice, bob, ... are always endowed)
	Hooks        runtime.Hooks
	GrantPermits bool // install an epoch hook giving every registered uid a validator permit
}

// DefaultAccounts are endowed in every scenario.
var DefaultAccounts = []string{"sudo", "alice", "bob", "charlie", "dave", "eve", "ferdie", "owner", "owner2"}

// Key returns the test keypair for name.
func Key(name string) *txtest.Keypair { return txtest.Key(name) }

// Pub is name's public key.
func Pub(name string) runtime.Hex32 { return txtest.Key(name).PublicKey() }

// Genesis returns the dev genesis with the default and extra accounts endowed.
func Genesis(extra ...string) runtime.Genesis {
	var accts []runtime.GenesisAccount
	for _, n := range append(append([]string{}, DefaultAccounts...), extra...) {
		accts = append(accts, runtime.GenesisAccount{Account: Pub(n), Balance: Endowment})
	}
	return runtime.DevGenesis("gotensor-test", Pub("sudo"), accts...)
}

// New starts a chain at genesis and opens block 1.
func New(t testing.TB, opts Options) *Chain {
	t.Helper()
	g := Genesis(opts.Accounts...)
	if opts.Genesis != nil {
		g = *opts.Genesis
	}
	c := &Chain{T: t, Store: kv.NewMemStore()}
	c.R = runtime.New(c.Store)
	hooks := opts.Hooks
	if opts.GrantPermits {
		inner := hooks.Epoch
		hooks.Epoch = func(e *runtime.EpochState) error {
			for uid := uint16(0); uid < e.N(); uid++ {
				e.SetValidatorPermit(uid, true)
			}
			if inner != nil {
				return inner(e)
			}
			return nil
		}
	}
	c.R.SetHooks(hooks)
	h, err := c.R.InitChain(g)
	if err != nil {
		t.Fatalf("init chain: %v", err)
	}
	c.Hashes = append(c.Hashes, h)
	c.begin()
	return c
}

// Height is the open block.
func (c *Chain) Height() uint64 { return c.R.Height() }

func blockHash(height uint64, state [32]byte) [32]byte {
	var b [40]byte
	copy(b[:32], state[:])
	for i := 0; i < 8; i++ {
		b[32+i] = byte(height >> (8 * i))
	}
	return blake2b.Sum256(b[:])
}

func (c *Chain) begin() {
	c.T.Helper()
	next := c.R.Height() + 1
	parent := blockHash(next-1, c.Hashes[len(c.Hashes)-1])
	evs, err := c.R.BeginBlock(runtime.Header{Height: next, Time: next * 12_000, ParentHash: parent})
	if err != nil {
		c.T.Fatalf("begin block %d: %v", next, err)
	}
	c.Events = append(c.Events, evs...)
}

// BlockHash is the hash the harness gives block h (the ParentHash of block h+1).
func (c *Chain) BlockHash(h uint64) [32]byte { return blockHash(h, c.Hashes[h]) }

// Step commits the open block and opens the next, n times. It returns the last state hash.
func (c *Chain) Step(n int) [32]byte {
	c.T.Helper()
	var h [32]byte
	for i := 0; i < n; i++ {
		if _, err := c.R.EndBlock(); err != nil {
			c.T.Fatal(err)
		}
		var err error
		h, err = c.R.Commit()
		if err != nil {
			c.T.Fatal(err)
		}
		c.Hashes = append(c.Hashes, h)
		c.begin()
	}
	return h
}

// StepTo steps until the open block is height.
func (c *Chain) StepTo(height uint64) {
	c.T.Helper()
	if height < c.Height() {
		c.T.Fatalf("step to %d: already at %d", height, c.Height())
	}
	c.Step(int(height - c.Height()))
}

// StepToEpoch steps until the open block is netuid's next epoch block (its epoch has run in BeginBlock).
func (c *Chain) StepToEpoch(netuid uint16) {
	c.T.Helper()
	info, ok := c.R.SubnetInfo(netuid)
	if !ok {
		c.T.Fatalf("step to epoch: no subnet %d", netuid)
	}
	left := runtime.BlocksUntilNextEpoch(netuid, info.Tempo, c.Height())
	if left == 0 {
		left = uint64(info.Tempo) + 1
	}
	c.Step(int(left))
}

// Sign builds signer's next transaction for call.
func (c *Chain) Sign(signer string, call tx.Call) []byte {
	c.T.Helper()
	nonce := c.R.Account(Pub(signer)).Nonce
	t, err := tx.Sign(Key(signer), c.R.GenesisHash(), nonce, call)
	if err != nil {
		c.T.Fatal(err)
	}
	return t.Encode()
}

// Do signs and delivers call from signer in the open block.
func (c *Chain) Do(signer string, call tx.Call) runtime.TxResult {
	c.T.Helper()
	return c.R.DeliverTx(c.Sign(signer, call))
}

// Must delivers call and fails the test unless it succeeds.
func (c *Chain) Must(signer string, call tx.Call) runtime.TxResult {
	c.T.Helper()
	res := c.Do(signer, call)
	if !res.OK() {
		c.T.Fatalf("%s by %s: %s (%s)", call.Index().Name(), signer, res.Error, res.Log)
	}
	return res
}

// Sudo runs an admin call as root.
func (c *Chain) Sudo(call tx.Call) runtime.TxResult { return c.Must("sudo", tx.Sudo{Call: call}) }

// SetHyper sets a subnet hyper-parameter as root.
func (c *Chain) SetHyper(netuid uint16, name string, v uint64) {
	c.T.Helper()
	c.Sudo(tx.SetHyperparameter{Netuid: netuid, Name: name, Value: v})
}

// SetGlobal sets a chain-wide parameter as root.
func (c *Chain) SetGlobal(name string, v uint64) {
	c.T.Helper()
	c.Sudo(tx.SetGlobalParameter{Name: name, Value: v})
}

// CreateSubnet registers a subnet owned by coldkey owner with owner hotkey hot, starts it, and returns
// its netuid.
func (c *Chain) CreateSubnet(owner, hot string) uint16 {
	c.T.Helper()
	res := c.Must(owner, tx.RegisterNetwork{Hotkey: Pub(hot)})
	for _, e := range res.Events {
		if e.Name == runtime.EvNetworkAdded {
			var n uint16
			fmt.Sscan(e.Attr("netuid"), &n)
			c.Must(owner, tx.StartCall{Netuid: n})
			return n
		}
	}
	c.T.Fatal("register network: no NetworkAdded event")
	return 0
}

// BurnedRegister registers hot (owned by cold) on netuid by burn and returns its uid.
func (c *Chain) BurnedRegister(cold, hot string, netuid uint16) uint16 {
	c.T.Helper()
	c.Must(cold, tx.BurnedRegister{Netuid: netuid, Hotkey: Pub(hot)})
	uid, ok := c.R.Uid(netuid, Pub(hot))
	if !ok {
		c.T.Fatalf("burned register: %s has no uid on %d", hot, netuid)
	}
	return uid
}

// Work solves the PoW for hot on netuid at the open block (block hash zero) with the subnet's difficulty.
func (c *Chain) Work(hot string, netuid uint16) tx.Register {
	c.T.Helper()
	diff := uint64(1)
	if rc, ok := c.R.RegistrationCost(netuid); ok {
		diff = rc.Difficulty
	}
	nonce, seal, ok := tx.SolvePoW([32]byte{}, Pub(hot), diff, 0, 1<<26)
	if !ok {
		c.T.Fatalf("no PoW solution at difficulty %d", diff)
	}
	return tx.Register{Netuid: netuid, BlockNumber: c.Height(), Nonce: nonce, Work: seal, Hotkey: Pub(hot)}
}

// PowRegister registers hot (owned by cold) on netuid with proof of work and returns its uid.
func (c *Chain) PowRegister(cold, hot string, netuid uint16) uint16 {
	c.T.Helper()
	w := c.Work(hot, netuid)
	w.Coldkey = Pub(cold)
	c.Must(hot, w)
	uid, _ := c.R.Uid(netuid, Pub(hot))
	return uid
}

// Stake adds amount rao of TAO as stake from cold to hot on netuid.
func (c *Chain) Stake(cold, hot string, netuid uint16, amount uint64) {
	c.T.Helper()
	c.Must(cold, tx.AddStake{Hotkey: Pub(hot), Netuid: netuid, Amount: amount})
}

// Unstake removes amount alpha of cold's stake on (hot, netuid).
func (c *Chain) Unstake(cold, hot string, netuid uint16, amount uint64) {
	c.T.Helper()
	c.Must(cold, tx.RemoveStake{Hotkey: Pub(hot), Netuid: netuid, Amount: amount})
}

// StakeOf is cold's stake on (hot, netuid).
func (c *Chain) StakeOf(cold, hot string, netuid uint16) uint64 {
	return c.R.Stake(Pub(hot), Pub(cold), netuid)
}

// Snapshot copies the visible state (the open block included).
func (c *Chain) Snapshot() *kv.MemStore {
	m := kv.NewMemStore()
	c.R.View().Iterate(nil, nil, func(k, v []byte) bool {
		m.Set(k, v)
		return true
	})
	return m
}

// ExpectFail delivers call from signer, checks that it fails with want, and that the only state change
// is the signer's account entry (nonce + 1, balance unchanged: dev chains charge no fee).
func (c *Chain) ExpectFail(signer string, call tx.Call, want *runtime.Error) runtime.TxResult {
	c.T.Helper()
	before := c.Snapshot()
	acct := c.R.Account(Pub(signer))
	res := c.Do(signer, call)
	if res.Error != want.Name || res.Code != want.Code {
		c.T.Fatalf("%s by %s: got %q (%s), want %s", call.Index().Name(), signer, res.Error, res.Log, want.Name)
	}
	diff := kv.Diff(before, c.R.View())
	pub := Pub(signer)
	acctKey := append([]byte("Account/"), pub[:]...)
	for _, k := range diff {
		if !bytes.Equal([]byte(k), acctKey) {
			c.T.Fatalf("%s failed with %s but changed %q", call.Index().Name(), want.Name, k)
		}
	}
	after := c.R.Account(Pub(signer))
	if res.Included && (after.Nonce != acct.Nonce+1 || after.Free != acct.Free) {
		c.T.Fatalf("%s: account went from %+v to %+v", call.Index().Name(), acct, after)
	}
	return res
}

// ExpectReject delivers raw bytes and checks a rejection before execution that changes nothing.
func (c *Chain) ExpectReject(raw []byte, want *runtime.Error) {
	c.T.Helper()
	before := c.Snapshot()
	res := c.R.DeliverTx(raw)
	if res.Error != want.Name || res.Included {
		c.T.Fatalf("got %q included=%v (%s), want rejection %s", res.Error, res.Included, res.Log, want.Name)
	}
	if d := kv.Diff(before, c.R.View()); len(d) != 0 {
		c.T.Fatalf("rejected transaction changed %q", d)
	}
}

// Changed lists the keys that differ between a snapshot and the visible state.
func (c *Chain) Changed(before *kv.MemStore) []string { return kv.Diff(before, c.R.View()) }
