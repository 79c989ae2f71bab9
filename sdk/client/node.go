package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// Node is the Chain backend for a gotensor node.
type Node struct {
	t   Transport
	log *slog.Logger
	at  *uint64

	shared *nodeShared
}

type nodeShared struct {
	infoMu  sync.Mutex
	info    *ChainInfo
	nonceMu sync.Mutex
	nonces  map[[32]byte]*nonceState
}

type nonceState struct {
	mu    sync.Mutex
	next  uint64
	valid bool
}

// Option configures a Node.
type Option func(*Node)

// WithLogger sets the logger (reconnects are logged at warn/info).
func WithLogger(l *slog.Logger) Option { return func(n *Node) { n.log = l } }

var _ Chain = (*Node)(nil)

// New returns a Node over a transport (for example node/rpc's InProcess in tests).
func New(t Transport, opts ...Option) *Node {
	n := &Node{t: t, shared: &nodeShared{nonces: map[[32]byte]*nonceState{}}}
	for _, o := range opts {
		o(n)
	}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	return n
}

// Dial connects to a gotensor node at endpoint ("local", "ws://host:port", "http://host:port", or
// host:port) and checks that it answers. With nothing listening the error says so:
// "no node at 127.0.0.1:9944: is `gotensor node` running?".
func Dial(ctx context.Context, endpoint string, opts ...Option) (*Node, error) {
	n := New(nil, opts...)
	t, err := DialTransport(endpoint, n.log)
	if err != nil {
		return nil, err
	}
	n.t = t
	if _, err := n.Info(ctx); err != nil {
		t.Close()
		return nil, err
	}
	return n, nil
}

// Close closes the transport.
func (n *Node) Close() error { return n.t.Close() }

// Transport is the underlying transport.
func (n *Node) Transport() Transport { return n.t }

// call runs one RPC; a rate-limited request is retried with backoff while ctx allows.
func (n *Node) call(ctx context.Context, method string, params any, out any) error {
	backoff := 25 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := mapErr(n.t.Call(ctx, method, params, out))
		if !errors.Is(err, ErrRateLimited) || attempt >= 8 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

// At implements Chain.
func (n *Node) At(block uint64) Reader {
	c := *n
	c.at = &block
	return &c
}

// ---- reads ----

// Query runs a runtime query path (docs/chain.md §6) and decodes its JSON; found is false for null.
func (n *Node) Query(ctx context.Context, path string, out any) (found bool, err error) {
	var res struct {
		Height uint64          `json:"height"`
		Result json.RawMessage `json:"result"`
	}
	if err := n.call(ctx, "state_query", map[string]any{"path": path, "at": n.at}, &res); err != nil {
		return false, err
	}
	if bytes.Equal(res.Result, []byte("null")) {
		return false, nil
	}
	if out == nil {
		return true, nil
	}
	return true, json.Unmarshal(res.Result, out)
}

func (n *Node) must(ctx context.Context, path, what string, out any) error {
	found, err := n.Query(ctx, path, out)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

func subnetErr(netuid uint16) error {
	return fmt.Errorf("subnet %d does not exist: %w", netuid, ErrNotFound)
}

// Balance implements Reader.
func (n *Node) Balance(ctx context.Context, a AccountID) (Balance, error) {
	var b Balance
	_, err := n.Query(ctx, "balance/"+a.Hex(), &b)
	return b, err
}

// Account implements Reader.
func (n *Node) Account(ctx context.Context, a AccountID) (Account, error) {
	var v Account
	_, err := n.Query(ctx, "account/"+a.Hex(), &v)
	return v, err
}

// TotalIssuance implements Reader.
func (n *Node) TotalIssuance(ctx context.Context) (Balance, error) {
	var b Balance
	_, err := n.Query(ctx, "issuance", &b)
	return b, err
}

// Globals implements Reader.
func (n *Node) Globals(ctx context.Context) (Params, error) {
	var p Params
	_, err := n.Query(ctx, "globals", &p)
	return p, err
}

// LockCost implements Reader.
func (n *Node) LockCost(ctx context.Context) (Balance, error) {
	var b Balance
	_, err := n.Query(ctx, "lock_cost", &b)
	return b, err
}

// Subnets implements Reader.
func (n *Node) Subnets(ctx context.Context) ([]uint16, error) {
	var s []uint16
	_, err := n.Query(ctx, "subnets", &s)
	return s, err
}

// SubnetInfo implements Reader.
func (n *Node) SubnetInfo(ctx context.Context, netuid uint16) (*SubnetInfo, error) {
	var s SubnetInfo
	found, err := n.Query(ctx, "subnet/"+strconv.Itoa(int(netuid)), &s)
	if err == nil && !found {
		err = subnetErr(netuid)
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// Hyperparameters implements Reader.
func (n *Node) Hyperparameters(ctx context.Context, netuid uint16) (Params, error) {
	var p Params
	found, err := n.Query(ctx, "hyperparameters/"+strconv.Itoa(int(netuid)), &p)
	if err == nil && !found {
		err = subnetErr(netuid)
	}
	return p, err
}

// RegistrationCost implements Reader.
func (n *Node) RegistrationCost(ctx context.Context, netuid uint16) (*RegistrationCost, error) {
	var r RegistrationCost
	found, err := n.Query(ctx, "registration/"+strconv.Itoa(int(netuid)), &r)
	if err == nil && !found {
		err = subnetErr(netuid)
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Neuron implements Reader.
func (n *Node) Neuron(ctx context.Context, netuid, uid uint16) (*Neuron, error) {
	var v Neuron
	if err := n.must(ctx, fmt.Sprintf("neuron/%d/%d", netuid, uid), fmt.Sprintf("uid %d on subnet %d", uid, netuid), &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// NeuronByHotkey implements Reader.
func (n *Node) NeuronByHotkey(ctx context.Context, netuid uint16, hotkey AccountID) (*Neuron, error) {
	var v Neuron
	if err := n.must(ctx, fmt.Sprintf("neuron_by_hotkey/%d/%s", netuid, hotkey.Hex()),
		fmt.Sprintf("hotkey %s on subnet %d", hotkey, netuid), &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// NeuronsLite implements Reader.
func (n *Node) NeuronsLite(ctx context.Context, netuid uint16) ([]NeuronLite, error) {
	var v []NeuronLite
	_, err := n.Query(ctx, "neurons_lite/"+strconv.Itoa(int(netuid)), &v)
	return v, err
}

// UID implements Reader.
func (n *Node) UID(ctx context.Context, netuid uint16, hotkey AccountID) (uint16, bool, error) {
	nr, err := n.NeuronByHotkey(ctx, netuid, hotkey)
	if errors.Is(err, ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return nr.UID, true, nil
}

// IsHotkeyRegistered implements Reader.
func (n *Node) IsHotkeyRegistered(ctx context.Context, netuid uint16, hotkey AccountID) (bool, error) {
	_, ok, err := n.UID(ctx, netuid, hotkey)
	return ok, err
}

// Owner implements Reader.
func (n *Node) Owner(ctx context.Context, hotkey AccountID) (AccountID, bool, error) {
	var a AccountID
	found, err := n.Query(ctx, "owner/"+hotkey.Hex(), &a)
	return a, found, err
}

// PendingCommits implements Reader.
func (n *Node) PendingCommits(ctx context.Context, netuid uint16, hotkey AccountID) ([]WeightCommit, error) {
	var v []WeightCommit
	_, err := n.Query(ctx, fmt.Sprintf("commits/%d/%s", netuid, hotkey.Hex()), &v)
	return v, err
}

// Metagraph implements Reader.
func (n *Node) Metagraph(ctx context.Context, netuid uint16, lite bool) (*MetagraphInfo, error) {
	var w metagraphWire
	if err := n.call(ctx, "state_metagraph", map[string]any{"netuid": netuid, "lite": lite, "at": n.at}, &w); err != nil {
		return nil, err
	}
	return w.info(), nil
}

type stakeResult struct {
	Stake       *Balance `json:"stake"`
	HotkeyStake Balance  `json:"hotkey_stake"`
}

// Stake implements Reader.
func (n *Node) Stake(ctx context.Context, hotkey, coldkey AccountID, netuid uint16) (Balance, error) {
	var r stakeResult
	err := n.call(ctx, "state_stake", map[string]any{"hotkey": hotkey.Hex(), "coldkey": coldkey.Hex(), "netuid": netuid, "at": n.at}, &r)
	if err != nil || r.Stake == nil {
		return 0, err
	}
	return *r.Stake, nil
}

// HotkeyStake implements Reader.
func (n *Node) HotkeyStake(ctx context.Context, hotkey AccountID, netuid uint16) (Balance, error) {
	var r stakeResult
	err := n.call(ctx, "state_stake", map[string]any{"hotkey": hotkey.Hex(), "netuid": netuid, "at": n.at}, &r)
	return r.HotkeyStake, err
}

// StakeWeight is the hotkey's stake weight on netuid (alpha + tao_weight × root stake; what the weights
// calls check against stake_threshold) and its delegate take (u16 proportion).
func (n *Node) StakeWeight(ctx context.Context, hotkey AccountID, netuid uint16) (weight Balance, take uint16, err error) {
	var r struct {
		StakeWeight Balance `json:"stake_weight"`
		Take        uint16  `json:"take"`
	}
	err = n.call(ctx, "state_stake", map[string]any{"hotkey": hotkey.Hex(), "netuid": netuid, "at": n.at}, &r)
	return r.StakeWeight, r.Take, err
}

// StakesOf implements Reader.
func (n *Node) StakesOf(ctx context.Context, coldkey AccountID) ([]StakeInfo, error) {
	var v []StakeInfo
	err := n.call(ctx, "state_stakes", map[string]any{"coldkey": coldkey.Hex(), "at": n.at}, &v)
	return v, err
}

// Emission is the chain's emission state at one block.
type Emission struct {
	BlockEmission Balance          `json:"block_emission"`
	TotalStake    Balance          `json:"total_stake"`
	TotalIssuance Balance          `json:"total_issuance"`
	Subnets       []SubnetEmission `json:"subnets"`
}

// SubnetEmission is one subnet's emission figures (rao; alpha amounts in alpha rao).
type SubnetEmission struct {
	Netuid         uint16  `json:"netuid"`
	N              uint16  `json:"num_uids"`
	Tempo          uint16  `json:"tempo"`
	Emitting       bool    `json:"emitting"`
	TaoInEmission  Balance `json:"tao_in_emission"`
	AlphaIn        Balance `json:"alpha_in_emission"`
	AlphaOut       Balance `json:"alpha_out_emission"`
	TaoReserve     Balance `json:"tao_in"`
	AlphaReserve   Balance `json:"alpha_in"`
	AlphaOutstand  Balance `json:"alpha_out"`
	MovingPriceRaw uint64  `json:"moving_price_raw"`
	AlphaBurned    Balance `json:"alpha_burned"`
}

// Emission reads the block emission and every subnet's emission figures.
func (n *Node) Emission(ctx context.Context) (*Emission, error) {
	var e Emission
	if err := n.call(ctx, "state_emission", map[string]any{"at": n.at}, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// ---- blocks ----

// Info implements Chain (the chain id and genesis are cached after the first call).
func (n *Node) Info(ctx context.Context) (*ChainInfo, error) {
	var i ChainInfo
	if err := n.call(ctx, "system_info", nil, &i); err != nil {
		return nil, err
	}
	i.BlockTime = time.Duration(i.BlockTimeMs) * time.Millisecond
	n.shared.infoMu.Lock()
	n.shared.info = &i
	n.shared.infoMu.Unlock()
	return &i, nil
}

func (n *Node) chainInfo(ctx context.Context) (*ChainInfo, error) {
	n.shared.infoMu.Lock()
	i := n.shared.info
	n.shared.infoMu.Unlock()
	if i != nil {
		return i, nil
	}
	return n.Info(ctx)
}

// Head implements Chain.
func (n *Node) Head(ctx context.Context) (BlockRef, error) {
	var h BlockRef
	err := n.call(ctx, "chain_head", nil, &h)
	return h, err
}

// Block implements Chain.
func (n *Node) Block(ctx context.Context, height uint64) (*Block, error) {
	var b Block
	if err := n.call(ctx, "chain_block", map[string]any{"height": height}, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// Events implements Chain.
func (n *Node) Events(ctx context.Context, height uint64) (*BlockEvents, error) {
	var e BlockEvents
	if err := n.call(ctx, "chain_events", map[string]any{"height": height}, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

func (n *Node) pollInterval(ctx context.Context) time.Duration {
	i, err := n.chainInfo(ctx)
	if err != nil || i.BlockTime <= 0 {
		return 250 * time.Millisecond
	}
	return min(max(i.BlockTime/4, 20*time.Millisecond), time.Second)
}

// WaitForBlock implements Chain.
func (n *Node) WaitForBlock(ctx context.Context, height uint64) (BlockRef, error) {
	every := n.pollInterval(ctx)
	for {
		h, err := n.Head(ctx)
		if err == nil && h.Height >= height {
			return h, nil
		}
		if err != nil && !errors.Is(err, ErrConnectionLost) && !errors.Is(err, ErrNoNode) {
			return BlockRef{}, err
		}
		select {
		case <-ctx.Done():
			return BlockRef{}, ctx.Err()
		case <-time.After(every):
		}
	}
}

// SubscribeHeads implements Chain.
func (n *Node) SubscribeHeads(ctx context.Context) (<-chan BlockRef, error) {
	out := make(chan BlockRef, 64)
	var mu sync.Mutex
	closed := false
	cancel, err := n.t.Subscribe(ctx, "chain_subscribeHeads", nil, func(raw json.RawMessage) {
		if raw == nil {
			return
		}
		var h BlockRef
		if json.Unmarshal(raw, &h) != nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return
		}
		select {
		case out <- h:
		default: // the consumer is behind: heads are a "latest" signal, dropping is fine
		}
	})
	if err != nil {
		return nil, mapErr(err)
	}
	go func() {
		<-ctx.Done()
		cancel()
		mu.Lock()
		closed = true
		close(out)
		mu.Unlock()
	}()
	return out, nil
}

// SubscribeEvents implements Chain.
func (n *Node) SubscribeEvents(ctx context.Context, names ...string) (<-chan BlockEvents, error) {
	out := make(chan BlockEvents, 16)
	in := make(chan BlockEvents, 1024)
	var params any
	if len(names) > 0 {
		params = map[string]any{"names": names}
	}
	var mu sync.Mutex
	closed := false
	cancel, err := n.t.Subscribe(ctx, "chain_subscribeEvents", params, func(raw json.RawMessage) {
		if raw == nil {
			return
		}
		var e BlockEvents
		if json.Unmarshal(raw, &e) != nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if !closed {
			select {
			case in <- e:
			default: // far behind: the gap is filled from chain_events below
			}
		}
	})
	if err != nil {
		return nil, mapErr(err)
	}
	keep := map[string]bool{}
	for _, nm := range names {
		keep[nm] = true
	}
	go func() {
		defer close(out)
		defer func() {
			cancel()
			mu.Lock()
			closed = true
			mu.Unlock()
		}()
		var last uint64
		started := false
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-in:
				if started && e.Height <= last {
					continue
				}
				// Fill any gap (a reconnect, or a burst the buffer dropped) from the node.
				for started && last+1 < e.Height {
					ev, err := n.Events(ctx, last+1)
					if err != nil {
						if ctx.Err() != nil {
							return
						}
						time.Sleep(100 * time.Millisecond)
						continue
					}
					ev.Events = filterEvents(ev.Events, keep)
					select {
					case out <- *ev:
					case <-ctx.Done():
						return
					}
					last++
				}
				select {
				case out <- e:
				case <-ctx.Done():
					return
				}
				last, started = e.Height, true
			}
		}
	}()
	return out, nil
}

func filterEvents(evs []BlockEvent, keep map[string]bool) []BlockEvent {
	if len(keep) == 0 {
		return evs
	}
	out := []BlockEvent{}
	for _, e := range evs {
		if keep[e.Name] {
			out = append(out, e)
		}
	}
	return out
}
