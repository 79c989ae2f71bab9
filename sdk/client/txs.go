package client

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/sdk/pow"
)

func (n *Node) nonceFor(pub [32]byte) *nonceState {
	n.shared.nonceMu.Lock()
	defer n.shared.nonceMu.Unlock()
	s := n.shared.nonces[pub]
	if s == nil {
		s = &nonceState{}
		n.shared.nonces[pub] = s
	}
	return s
}

// ResetNonce forgets the cached next nonce of an account (the next transaction asks the node).
func (n *Node) ResetNonce(account AccountID) {
	s := n.nonceFor(account)
	s.mu.Lock()
	s.valid = false
	s.mu.Unlock()
}

// NextNonce is the nonce the account's next transaction should carry, as the node sees it (committed
// nonce plus its consecutive pending transactions).
func (n *Node) NextNonce(ctx context.Context, account AccountID) (uint64, error) {
	var v uint64
	err := n.call(ctx, "account_nextNonce", map[string]any{"account": account.Hex()}, &v)
	return v, err
}

func isNonceErr(err error) bool {
	switch ErrorName(err) {
	case "StaleNonce", "FutureNonce", "NonceTaken":
		return true
	}
	return false
}

// signed is a transaction ready to go: its bytes are kept so a resubmission is byte-identical.
type signed struct {
	raw  []byte
	hash Hash
	call string
}

// Submit signs call with signer, submits it and (unless WithoutWait) waits for inclusion. It is the
// gotensor-specific escape hatch under the domain methods.
func (n *Node) Submit(ctx context.Context, signer Signer, call tx.Call, opts ...TxOption) (*Receipt, error) {
	var o txOpts
	for _, f := range opts {
		f(&o)
	}
	info, err := n.chainInfo(ctx)
	if err != nil {
		return nil, err
	}
	pub := signer.PublicKey()
	ns := n.nonceFor(pub)
	var st signed
	for attempt := 0; ; attempt++ {
		ns.mu.Lock()
		nonce := uint64(0)
		if o.nonce != nil {
			nonce = *o.nonce
		} else if ns.valid {
			nonce = ns.next
		} else {
			nonce, err = n.NextNonce(ctx, pub)
			if err != nil {
				ns.mu.Unlock()
				return nil, err
			}
		}
		t, err := tx.Sign(signer, info.GenesisHash, nonce, call)
		if err != nil {
			ns.mu.Unlock()
			return nil, err
		}
		st = signed{raw: t.Encode(), hash: Hash(t.Hash()), call: call.Index().Name()}
		err = n.send(ctx, st)
		if err == nil || errors.Is(err, ErrConnectionLost) {
			// Lost: the node may have admitted it; waiting (below) resubmits the same bytes if not.
			if o.nonce == nil {
				ns.next, ns.valid = nonce+1, true
			}
			ns.mu.Unlock()
			break
		}
		ns.valid = false
		ns.mu.Unlock()
		var te *TxError
		if errors.As(err, &te) {
			te.Call, te.Hash = st.call, st.hash
		}
		if o.nonce == nil && isNonceErr(err) && attempt < 3 {
			continue
		}
		return nil, err
	}
	if o.noWait {
		return &Receipt{Hash: st.hash, Call: st.call}, nil
	}
	r, err := n.wait(ctx, st)
	if err != nil {
		var te *TxError
		if errors.As(err, &te) && !te.Included {
			n.ResetNonce(pub) // the nonce was not used: the cache ran ahead
		}
	}
	return r, err
}

func (n *Node) send(ctx context.Context, st signed) error {
	return n.call(ctx, "tx_submit", map[string]any{"tx": "0x" + hex.EncodeToString(st.raw)}, nil)
}

type inclusion struct {
	Hash      Hash     `json:"hash"`
	Height    uint64   `json:"height"`
	BlockHash Hash     `json:"block_hash"`
	Index     int      `json:"index"`
	Result    TxResult `json:"result"`
}

// wait waits for st's inclusion until ctx ends, across reconnects: it asks the node to wait, and when
// the connection drops it checks whether the transaction made it and resubmits the same bytes if the
// node no longer knows it.
func (n *Node) wait(ctx context.Context, st signed) (*Receipt, error) {
	for {
		params := map[string]any{"hash": st.hash}
		if dl, ok := ctx.Deadline(); ok {
			ms := time.Until(dl).Milliseconds()
			if ms <= 0 {
				return nil, fmt.Errorf("%s %s: %w", st.call, st.hash, ErrTimeout)
			}
			params["timeout_ms"] = ms
		} else {
			params["timeout_ms"] = 60_000
		}
		var inc inclusion
		err := n.call(ctx, "chain_waitTx", params, &inc)
		if err == nil {
			return receiptOf(st, inc)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s %s: %w (%v)", st.call, st.hash, ErrTimeout, ctx.Err())
		}
		switch {
		case errors.Is(err, ErrTimeout):
			if _, ok := ctx.Deadline(); ok {
				return nil, fmt.Errorf("%s %s: %w", st.call, st.hash, ErrTimeout)
			}
			continue // no deadline: keep waiting
		case errors.Is(err, ErrConnectionLost), errors.Is(err, ErrNoNode):
			if err := n.recover(ctx, st); err != nil {
				if errors.Is(err, errIncluded) {
					continue
				}
				return nil, err
			}
		default:
			return nil, err
		}
	}
}

var errIncluded = errors.New("included")

// WaitForInclusion waits until the transaction (a Receipt.Hash from WithoutWait) is in a committed block,
// within ctx's deadline. A transaction that fails returns its receipt and a *TxError.
func (n *Node) WaitForInclusion(ctx context.Context, hash Hash) (*Receipt, error) {
	for {
		params := map[string]any{"hash": hash, "timeout_ms": 60_000}
		if dl, ok := ctx.Deadline(); ok {
			params["timeout_ms"] = max(1, time.Until(dl).Milliseconds())
		}
		var inc inclusion
		err := n.call(ctx, "chain_waitTx", params, &inc)
		if err == nil {
			return receiptOf(signed{hash: hash, call: inc.Result.Call}, inc)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w (%v)", hash, ErrTimeout, ctx.Err())
		}
		if _, ok := ctx.Deadline(); (ok && errors.Is(err, ErrTimeout)) || !(errors.Is(err, ErrTimeout) || errors.Is(err, ErrConnectionLost) || errors.Is(err, ErrNoNode)) {
			return nil, err
		}
		if errors.Is(err, ErrConnectionLost) || errors.Is(err, ErrNoNode) {
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
}

// recover runs after a lost connection: wait for the node, then resubmit unless the transaction is
// already included or pending.
func (n *Node) recover(ctx context.Context, st signed) error {
	backoff := 100 * time.Millisecond
	for {
		var inc inclusion
		err := n.call(ctx, "chain_tx", map[string]any{"hash": st.hash}, &inc)
		if err == nil {
			return errIncluded
		}
		if errors.Is(err, ErrNotFound) {
			var pending bool
			if err := n.call(ctx, "tx_pending", map[string]any{"hash": st.hash}, &pending); err == nil && pending {
				return nil
			}
			err = n.send(ctx, st)
			if err == nil || ErrorName(err) == "StaleNonce" {
				return nil // admitted again, or the nonce was consumed (chain_waitTx tells which)
			}
			if !errors.Is(err, ErrConnectionLost) && !errors.Is(err, ErrNoNode) {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s %s: %w (%v)", st.call, st.hash, ErrTimeout, ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

func receiptOf(st signed, inc inclusion) (*Receipt, error) {
	r := &Receipt{Hash: st.hash, Block: inc.Height, BlockHash: inc.BlockHash, Index: inc.Index, Call: st.call, Events: inc.Result.Events}
	if inc.Result.Code != 0 {
		return r, &TxError{Call: st.call, Name: inc.Result.Error, Code: inc.Result.Code, Msg: inc.Result.Log,
			Included: inc.Result.Included, Hash: st.hash, Block: inc.Height}
	}
	return r, nil
}

func eventU16(r *Receipt, name, key string) (uint16, error) {
	e, ok := r.Event(name)
	if !ok {
		return 0, fmt.Errorf("%s: no %s event in block %d", r.Call, name, r.Block)
	}
	v, err := strconv.ParseUint(e.Attr(key), 10, 16)
	return uint16(v), err
}

// ---- calls ----

// Transfer implements Chain.
func (n *Node) Transfer(ctx context.Context, from Signer, to AccountID, amount Balance, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, from, tx.Transfer{Dest: to, Amount: uint64(amount)}, opts...)
}

// TransferAll implements Chain.
func (n *Node) TransferAll(ctx context.Context, from Signer, to AccountID, keepAlive bool, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, from, tx.TransferAll{Dest: to, KeepAlive: keepAlive}, opts...)
}

// headSource is the pow.BlockSource for a difficulty read at each head.
func (n *Node) headSource(difficulty func(ctx context.Context) (uint64, error)) pow.BlockSource {
	return pow.BlockSourceFunc(func(ctx context.Context) (pow.Block, error) {
		h, err := n.Head(ctx)
		if err != nil {
			return pow.Block{}, err
		}
		d, err := difficulty(ctx)
		if err != nil {
			return pow.Block{}, err
		}
		return pow.Block{Number: h.Height, Hash: h.Hash, Difficulty: d}, nil
	})
}

func (n *Node) solveAndSubmit(ctx context.Context, solver pow.Solver, key [32]byte, difficulty func(ctx context.Context) (uint64, error),
	submit func(sol pow.Solution) (*Receipt, error)) (*Receipt, error) {
	if solver == nil {
		solver = &pow.CPUSolver{}
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		sol, err := solver.Solve(ctx, pow.Problem{Key: key, Source: n.headSource(difficulty)})
		if err != nil {
			return nil, err
		}
		if h, err := n.Head(ctx); err == nil && sol.Expired(h.Height) {
			lastErr = fmt.Errorf("proof of work for block %d expired at head %d: %w", sol.Block.Number, h.Height, TxErr("InvalidWorkBlock"))
			continue // found too late for the work window: solve again on a fresh block
		}
		r, err := submit(sol)
		if err == nil || ErrorName(err) != "InvalidWorkBlock" {
			return r, err
		}
		lastErr = err // the work expired on the way in: solve again on a fresh block
	}
	return nil, lastErr
}

// Faucet implements Chain.
func (n *Node) Faucet(ctx context.Context, coldkey Signer, solver pow.Solver, opts ...TxOption) (*Receipt, error) {
	diff := func(ctx context.Context) (uint64, error) {
		g, err := n.Globals(ctx)
		if err != nil {
			return 0, err
		}
		d, ok := g.Get("faucet_difficulty")
		if !ok {
			return 0, fmt.Errorf("faucet: the chain has no faucet_difficulty: %w", ErrUnsupported)
		}
		return d, nil
	}
	return n.solveAndSubmit(ctx, solver, coldkey.PublicKey(), diff, func(sol pow.Solution) (*Receipt, error) {
		return n.Submit(ctx, coldkey, tx.Faucet{BlockNumber: sol.Block.Number, Nonce: sol.Nonce, Work: sol.Seal}, opts...)
	})
}

// RegisterNetwork implements Chain.
func (n *Node) RegisterNetwork(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (uint16, *Receipt, error) {
	r, err := n.Submit(ctx, coldkey, tx.RegisterNetwork{Hotkey: hotkey}, opts...)
	if err != nil || r.Block == 0 {
		return 0, r, err
	}
	netuid, err := eventU16(r, "NetworkAdded", "netuid")
	return netuid, r, err
}

// StartCall implements Chain.
func (n *Node) StartCall(ctx context.Context, coldkey Signer, netuid uint16, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, coldkey, tx.StartCall{Netuid: netuid}, opts...)
}

func (n *Node) registered(ctx context.Context, r *Receipt, err error, netuid uint16, hotkey AccountID) (uint16, *Receipt, error) {
	if ErrorName(err) == "HotKeyAlreadyRegisteredInSubNet" {
		uid, ok, uerr := n.UID(ctx, netuid, hotkey)
		if uerr == nil && ok {
			return uid, r, nil
		}
	}
	if err != nil || r.Block == 0 {
		return 0, r, err
	}
	uid, err := eventU16(r, "NeuronRegistered", "uid")
	return uid, r, err
}

// BurnedRegister implements Chain.
func (n *Node) BurnedRegister(ctx context.Context, coldkey Signer, netuid uint16, hotkey AccountID, opts ...TxOption) (uint16, *Receipt, error) {
	r, err := n.Submit(ctx, coldkey, tx.BurnedRegister{Netuid: netuid, Hotkey: hotkey}, opts...)
	return n.registered(ctx, r, err, netuid, hotkey)
}

// PowRegister implements Chain.
func (n *Node) PowRegister(ctx context.Context, hotkey, coldkey Signer, netuid uint16, solver pow.Solver, opts ...TxOption) (uint16, *Receipt, error) {
	hot := AccountID(hotkey.PublicKey())
	cold := AccountID(coldkey.PublicKey()) // the gotensor node (CLASSIC) wants the hotkey to sign
	if ok, err := n.IsHotkeyRegistered(ctx, netuid, hot); err != nil {
		return 0, nil, err
	} else if ok {
		uid, _, err := n.UID(ctx, netuid, hot)
		return uid, nil, err
	}
	diff := func(ctx context.Context) (uint64, error) {
		c, err := n.RegistrationCost(ctx, netuid)
		if err != nil {
			return 0, err
		}
		if !c.PowAllowed {
			return 0, fmt.Errorf("proof-of-work registration is disabled on subnet %d: %w", netuid, TxErr("SubNetRegistrationDisabled"))
		}
		return c.Difficulty, nil
	}
	r, err := n.solveAndSubmit(ctx, solver, hot, diff, func(sol pow.Solution) (*Receipt, error) {
		return n.Submit(ctx, hotkey, tx.Register{Netuid: netuid, BlockNumber: sol.Block.Number, Nonce: sol.Nonce, Work: sol.Seal,
			Hotkey: hot, Coldkey: cold}, opts...)
	})
	return n.registered(ctx, r, err, netuid, hot)
}

// RootRegister implements Chain.
func (n *Node) RootRegister(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (uint16, *Receipt, error) {
	r, err := n.Submit(ctx, coldkey, tx.RootRegister{Hotkey: hotkey}, opts...)
	return n.registered(ctx, r, err, 0, hotkey)
}

// AssociateHotkey implements Chain.
func (n *Node) AssociateHotkey(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, coldkey, tx.AssociateHotkey{Hotkey: hotkey}, opts...)
}

// SetWeights implements Chain.
func (n *Node) SetWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights []uint16, versionKey uint64, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, hotkey, tx.SetWeights{Netuid: netuid, Dests: uids, Weights: weights, VersionKey: versionKey}, opts...)
}

// CommitHash is the commit-reveal hash CommitWeights takes and RevealWeights opens.
func CommitHash(hotkey AccountID, netuid uint16, uids, weights, salt []uint16, versionKey uint64) Hash {
	return Hash(tx.CommitHash(hotkey, netuid, uids, weights, salt, versionKey))
}

// CommitWeights implements Chain.
func (n *Node) CommitWeights(ctx context.Context, hotkey Signer, netuid uint16, commit Hash, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, hotkey, tx.CommitWeights{Netuid: netuid, Hash: commit}, opts...)
}

// RevealWeights implements Chain.
func (n *Node) RevealWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights, salt []uint16, versionKey uint64, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, hotkey, tx.RevealWeights{Netuid: netuid, Uids: uids, Values: weights, Salt: salt, VersionKey: versionKey}, opts...)
}

// BatchRevealWeights implements Chain.
func (n *Node) BatchRevealWeights(ctx context.Context, hotkey Signer, netuid uint16, reveals []Reveal, opts ...TxOption) (*Receipt, error) {
	c := tx.BatchRevealWeights{Netuid: netuid}
	for _, r := range reveals {
		c.Uids = append(c.Uids, r.UIDs)
		c.Values = append(c.Values, r.Weights)
		c.Salts = append(c.Salts, r.Salt)
		c.VersionKeys = append(c.VersionKeys, r.VersionKey)
	}
	return n.Submit(ctx, hotkey, c, opts...)
}

func ipU128(a netip.Addr) (tx.U128, uint8, error) {
	if !a.IsValid() {
		return tx.U128{}, 0, fmt.Errorf("serve: no IP address given")
	}
	v, t := ipTo(a.Unmap())
	return tx.U128{Hi: v.Hi, Lo: v.Lo}, t, nil
}

// ServeAxon implements Chain.
func (n *Node) ServeAxon(ctx context.Context, hotkey Signer, netuid uint16, axon Axon, opts ...TxOption) (*Receipt, error) {
	ip, t, err := ipU128(axon.IP)
	if err != nil {
		return nil, err
	}
	c := tx.ServeAxon{Netuid: netuid, Version: axon.Version, IP: ip, Port: axon.Port, IPType: t, Protocol: axon.Protocol}
	if axon.Certificate != nil {
		return n.Submit(ctx, hotkey, tx.ServeAxonTLS{ServeAxon: c, Certificate: axon.Certificate}, opts...)
	}
	return n.Submit(ctx, hotkey, c, opts...)
}

// ServePrometheus implements Chain.
func (n *Node) ServePrometheus(ctx context.Context, hotkey Signer, netuid uint16, ip netip.Addr, port uint16, version uint32, opts ...TxOption) (*Receipt, error) {
	v, t, err := ipU128(ip)
	if err != nil {
		return nil, err
	}
	return n.Submit(ctx, hotkey, tx.ServePrometheus{Netuid: netuid, Version: version, IP: v, Port: port, IPType: t}, opts...)
}

// AddStake implements Chain.
func (n *Node) AddStake(ctx context.Context, coldkey Signer, hotkey AccountID, netuid uint16, tao Balance, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, coldkey, tx.AddStake{Hotkey: hotkey, Netuid: netuid, Amount: uint64(tao)}, opts...)
}

// RemoveStake implements Chain.
func (n *Node) RemoveStake(ctx context.Context, coldkey Signer, hotkey AccountID, netuid uint16, alpha Balance, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, coldkey, tx.RemoveStake{Hotkey: hotkey, Netuid: netuid, Amount: uint64(alpha)}, opts...)
}

// DecreaseTake implements Chain.
func (n *Node) DecreaseTake(ctx context.Context, coldkey Signer, hotkey AccountID, take uint16, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, coldkey, tx.DecreaseTake{Hotkey: hotkey, Take: take}, opts...)
}

// IncreaseTake implements Chain.
func (n *Node) IncreaseTake(ctx context.Context, coldkey Signer, hotkey AccountID, take uint16, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, coldkey, tx.IncreaseTake{Hotkey: hotkey, Take: take}, opts...)
}

// SetHyperparameter implements Chain.
func (n *Node) SetHyperparameter(ctx context.Context, owner Signer, netuid uint16, name string, value uint64, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, owner, tx.SetHyperparameter{Netuid: netuid, Name: name, Value: value}, opts...)
}

// SudoSetHyperparameter implements Chain.
func (n *Node) SudoSetHyperparameter(ctx context.Context, sudo Signer, netuid uint16, name string, value uint64, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, sudo, tx.Sudo{Call: tx.SetHyperparameter{Netuid: netuid, Name: name, Value: value}}, opts...)
}

// SudoSetGlobal implements Chain.
func (n *Node) SudoSetGlobal(ctx context.Context, sudo Signer, name string, value uint64, opts ...TxOption) (*Receipt, error) {
	return n.Submit(ctx, sudo, tx.Sudo{Call: tx.SetGlobalParameter{Name: name, Value: value}}, opts...)
}
