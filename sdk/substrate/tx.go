package substrate

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// Wait says how long a write waits.
type Wait int

// Wait modes.
const (
	// WaitNone returns once the node accepted the transaction into its pool.
	WaitNone Wait = iota
	// WaitInclusion returns once the transaction is in a block and its outcome is known.
	WaitInclusion
	// WaitFinalization returns once that block is finalized.
	WaitFinalization
)

// TxOptions tunes one write.
type TxOptions struct {
	Wait   Wait
	Tip    uint64  // rao
	Nonce  *uint64 // nil: ask the node
	Period uint64  // mortality in blocks; 0 means extrinsic.DefaultPeriod
	// Immortal signs without an era (not recommended: a lost transaction stays valid forever).
	Immortal bool
	// PollInterval paces block scanning when the endpoint has no subscriptions (default 2 s).
	PollInterval time.Duration
}

// Receipt describes a submitted transaction.
type Receipt struct {
	Hash        [32]byte // the extrinsic hash
	BlockHash   [32]byte // zero with WaitNone
	BlockNumber uint64
	Index       int // position in the block
	Events      []extrinsic.Event
}

// Submit signs and submits pallet.call(args...) (arguments in metadata order, as Go values) and waits as
// opts says. A call the runtime lacks gives ErrUnsupported; a refused transaction a *PoolError; an included
// but failed one a *extrinsic.DispatchError naming the pallet error.
func (b *Backend) Submit(ctx context.Context, s extrinsic.Signer, pallet, call string, args []any, opts TxOptions) (*Receipt, error) {
	v, err := b.view(ctx, At{})
	if err != nil {
		return nil, err
	}
	data, err := v.rt.ext.Call(pallet, call, args...)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", pallet, call, unsupported(err))
	}
	p := extrinsic.Params{Genesis: b.genesis, Tip: opts.Tip, SpecVersion: v.rt.md.SpecVersion, TransactionVersion: v.rt.md.TransactionVersion}
	if opts.Nonce != nil {
		p.Nonce = *opts.Nonce
	} else if p.Nonce, err = b.Nonce(ctx, subtensor.AccountID(s.PublicKey())); err != nil {
		return nil, err
	}
	if !opts.Immortal {
		period := opts.Period
		if period == 0 {
			period = extrinsic.DefaultPeriod
		}
		p.Era = extrinsic.MortalEra(v.number, period)
		birth := p.Era.Birth(v.number)
		if birth == v.number {
			p.EraHash = v.hash
		} else {
			var hs string
			if err := b.cl.CallInto(ctx, &hs, "chain_getBlockHash", birth); err != nil {
				return nil, fmt.Errorf("substrate: era birth block: %w", err)
			}
			if p.EraHash, err = parseHash(hs); err != nil {
				return nil, err
			}
		}
	}
	signed, err := v.rt.ext.Sign(data, p, s)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", pallet, call, err)
	}
	return b.submitSigned(ctx, signed, v.number, opts)
}

func (b *Backend) submitSigned(ctx context.Context, signed *extrinsic.Signed, current uint64, opts TxOptions) (*Receipt, error) {
	xt := "0x" + hex.EncodeToString(signed.Bytes)
	rc := &Receipt{Hash: signed.Hash, Index: -1}
	if opts.Wait == WaitNone {
		var hs string
		if err := b.cl.CallInto(ctx, &hs, "author_submitExtrinsic", xt); err != nil && !alreadyImported(err) {
			return nil, poolError(err)
		}
		return rc, nil
	}
	sub, err := b.cl.Subscribe(ctx, "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", xt)
	if err != nil {
		var re *rpc.Error
		if errors.As(err, &re) {
			return nil, poolError(err)
		}
		return b.submitAndPoll(ctx, xt, signed, current, opts)
	}
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case msg, ok := <-sub.C:
			if !ok {
				return nil, fmt.Errorf("%w: watch ended: %v", ErrNotIncluded, sub.Err())
			}
			st, block := parseStatus(msg)
			switch st {
			case "inBlock":
				if opts.Wait == WaitInclusion {
					return b.outcome(ctx, rc, block)
				}
			case "finalized":
				return b.outcome(ctx, rc, block)
			case "dropped", "invalid", "usurped", "finalityTimeout", "retracted":
				if st == "retracted" && opts.Wait == WaitInclusion {
					continue
				}
				return nil, fmt.Errorf("%w: status %s", ErrNotIncluded, st)
			}
		}
	}
}

// parseStatus reads a transaction status notification: "ready", {"inBlock": "0x…"}, {"finalized": …}, ...
func parseStatus(msg json.RawMessage) (string, string) {
	var s string
	if json.Unmarshal(msg, &s) == nil {
		return s, ""
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(msg, &m) != nil {
		return "", ""
	}
	for k, v := range m {
		var h string
		_ = json.Unmarshal(v, &h)
		return k, h
	}
	return "", ""
}

type block struct {
	Block struct {
		Header     header   `json:"header"`
		Extrinsics []string `json:"extrinsics"`
	} `json:"block"`
}

// outcome finds the extrinsic in block hs and reads its events.
func (b *Backend) outcome(ctx context.Context, rc *Receipt, hs string) (*Receipt, error) {
	h, err := parseHash(hs)
	if err != nil {
		return nil, err
	}
	var blk block
	if err := b.cl.CallInto(ctx, &blk, "chain_getBlock", hs); err != nil {
		return nil, fmt.Errorf("substrate: block %s: %w", hs, err)
	}
	rc.BlockHash = h
	rc.BlockNumber, _ = parseNumber(blk.Block.Header.Number)
	for i, x := range blk.Block.Extrinsics {
		raw, err := decodeHex(x)
		if err != nil {
			return nil, err
		}
		if blake2b.Sum256(raw) == rc.Hash {
			rc.Index = i
			break
		}
	}
	if rc.Index < 0 {
		return nil, fmt.Errorf("%w: extrinsic %x not in block %s", ErrNotIncluded, rc.Hash, hs)
	}
	rt, err := b.runtimeAt(ctx, h)
	if err != nil {
		return nil, err
	}
	v := &view{hash: h, number: rc.BlockNumber, rt: rt}
	raw, _, _, err := b.storageRaw(ctx, v, "System", "Events")
	if err != nil {
		return nil, err
	}
	if rc.Events, err = extrinsic.DecodeEvents(rt.c, raw); err != nil {
		return nil, fmt.Errorf("substrate: events of block %s: %w", hs, err)
	}
	return rc, extrinsic.Outcome(rc.Events, rc.Index)
}

// submitAndPoll submits over an endpoint without subscriptions and scans new blocks for the extrinsic
// until its era ends.
func (b *Backend) submitAndPoll(ctx context.Context, xt string, signed *extrinsic.Signed, current uint64, opts TxOptions) (*Receipt, error) {
	var hs string
	if err := b.cl.CallInto(ctx, &hs, "author_submitExtrinsic", xt); err != nil && !alreadyImported(err) {
		return nil, poolError(err)
	}
	rc := &Receipt{Hash: signed.Hash, Index: -1}
	interval := opts.PollInterval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	death := signed.Era.Death(current)
	next := current
	for {
		method := "chain_getHeader"
		var head header
		if opts.Wait == WaitFinalization {
			var fh string
			if err := b.cl.CallInto(ctx, &fh, "chain_getFinalizedHead"); err != nil {
				return nil, err
			}
			if err := b.cl.CallInto(ctx, &head, method, fh); err != nil {
				return nil, err
			}
		} else if err := b.cl.CallInto(ctx, &head, method); err != nil {
			return nil, err
		}
		top, err := parseNumber(head.Number)
		if err != nil {
			return nil, err
		}
		for ; next <= top; next++ {
			var bh string
			if err := b.cl.CallInto(ctx, &bh, "chain_getBlockHash", next); err != nil {
				return nil, err
			}
			var blk block
			if err := b.cl.CallInto(ctx, &blk, "chain_getBlock", bh); err != nil {
				return nil, err
			}
			for _, x := range blk.Block.Extrinsics {
				raw, err := decodeHex(x)
				if err == nil && blake2b.Sum256(raw) == rc.Hash {
					return b.outcome(ctx, rc, bh)
				}
			}
		}
		if next >= death {
			return nil, fmt.Errorf("%w: era ended at block %d", ErrNotIncluded, death)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(interval):
		}
	}
}

// SetWeights sets the signer hotkey's weights on a subnet (uids and u16 weights, already normalised).
func (b *Backend) SetWeights(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, uids, weights []uint16, versionKey uint64, opts TxOptions) (*Receipt, error) {
	if len(uids) != len(weights) {
		return nil, fmt.Errorf("substrate: set weights: %d uids but %d weights", len(uids), len(weights))
	}
	return b.Submit(ctx, hotkey, "SubtensorModule", "set_weights", []any{netuid, uids, weights, versionKey}, opts)
}

// CommitWeights commits the hash of a later reveal (commit-reveal v2).
func (b *Backend) CommitWeights(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, commitHash [32]byte, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, hotkey, "SubtensorModule", "commit_weights", []any{netuid, commitHash}, opts)
}

// RevealWeights reveals weights committed with CommitWeights.
func (b *Backend) RevealWeights(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, uids, values, salt []uint16, versionKey uint64, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, hotkey, "SubtensorModule", "reveal_weights", []any{netuid, uids, values, salt, versionKey}, opts)
}

// ServeAxon announces the hotkey's axon address.
func (b *Backend) ServeAxon(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, version uint32, addr netip.AddrPort, protocol uint8, opts TxOptions) (*Receipt, error) {
	ip, ipType := subtensor.EncodeIP(addr.Addr())
	return b.Submit(ctx, hotkey, "SubtensorModule", "serve_axon",
		[]any{netuid, version, ip, addr.Port(), ipType, protocol, uint8(0), uint8(0)}, opts)
}

// BurnedRegister registers hotkey on a subnet, paying the burn from the signing coldkey.
func (b *Backend) BurnedRegister(ctx context.Context, coldkey extrinsic.Signer, netuid uint16, hotkey subtensor.AccountID, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "burned_register", []any{netuid, [32]byte(hotkey)}, opts)
}

// AddStake stakes amount rao from the signing coldkey to hotkey on a subnet.
func (b *Backend) AddStake(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, netuid uint16, amount uint64, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "add_stake", []any{[32]byte(hotkey), netuid, amount}, opts)
}

// RemoveStake unstakes amount (alpha, in rao units) from hotkey on a subnet back to the signing coldkey.
func (b *Backend) RemoveStake(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, netuid uint16, amount uint64, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "remove_stake", []any{[32]byte(hotkey), netuid, amount}, opts)
}

// Transfer sends amount rao; keepAlive refuses to drop the sender below the existential deposit.
func (b *Backend) Transfer(ctx context.Context, from extrinsic.Signer, to subtensor.AccountID, amount uint64, keepAlive bool, opts TxOptions) (*Receipt, error) {
	call := "transfer_allow_death"
	if keepAlive {
		call = "transfer_keep_alive"
	}
	dest := idAddress([32]byte(to))
	return b.Submit(ctx, from, "Balances", call, []any{dest, amount}, opts)
}

func idAddress(a [32]byte) any { return codecVariant("Id", a) }

// Head is a block announced by a subscription.
type Head struct {
	Number uint64
	Hash   [32]byte
}

// WatchFinalized delivers each newly finalized block until ctx ends or the connection drops (the channel
// is then closed; call again to resubscribe). It needs a WebSocket endpoint.
func (b *Backend) WatchFinalized(ctx context.Context) (<-chan Head, error) {
	sub, err := b.cl.Subscribe(ctx, "chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads")
	if err != nil {
		return nil, err
	}
	out := make(chan Head, 16)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case msg, ok := <-sub.C:
				if !ok {
					return
				}
				var h header
				if json.Unmarshal(msg, &h) != nil {
					continue
				}
				n, err := parseNumber(h.Number)
				if err != nil {
					continue
				}
				head := Head{Number: n}
				// The notification carries the header, not its hash; the hash is asked for by number.
				var hs string
				if b.cl.CallInto(ctx, &hs, "chain_getBlockHash", n) == nil {
					head.Hash, _ = parseHash(hs)
				}
				select {
				case out <- head:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// ServeAxonTLS announces the axon address with its TLS certificate.
func (b *Backend) ServeAxonTLS(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, version uint32, addr netip.AddrPort, protocol uint8, certificate []byte, opts TxOptions) (*Receipt, error) {
	ip, ipType := subtensor.EncodeIP(addr.Addr())
	return b.Submit(ctx, hotkey, "SubtensorModule", "serve_axon_tls",
		[]any{netuid, version, ip, addr.Port(), ipType, protocol, uint8(0), uint8(0), certificate}, opts)
}

// Register registers hotkey by proof of work: work is the seal found for (blockNumber, nonce). The signer
// may be the hotkey or the coldkey.
func (b *Backend) Register(ctx context.Context, signer extrinsic.Signer, netuid uint16, blockNumber, nonce uint64, work []byte, hotkey, coldkey subtensor.AccountID, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, signer, "SubtensorModule", "register",
		[]any{netuid, blockNumber, nonce, work, [32]byte(hotkey), [32]byte(coldkey)}, opts)
}

// AddStakeLimit stakes at most amount rao while the price stays at or under limitPrice (rao per alpha);
// allowPartial stakes what fits instead of failing.
func (b *Backend) AddStakeLimit(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, netuid uint16, amount, limitPrice uint64, allowPartial bool, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "add_stake_limit", []any{[32]byte(hotkey), netuid, amount, limitPrice, allowPartial}, opts)
}

// RemoveStakeLimit unstakes at most amount while the price stays at or above limitPrice.
func (b *Backend) RemoveStakeLimit(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, netuid uint16, amount, limitPrice uint64, allowPartial bool, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "remove_stake_limit", []any{[32]byte(hotkey), netuid, amount, limitPrice, allowPartial}, opts)
}

// SetMechanismWeights sets weights on one mechanism of a subnet (mechanism 0 is the subnet itself).
func (b *Backend) SetMechanismWeights(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, mech uint8, uids, weights []uint16, versionKey uint64, opts TxOptions) (*Receipt, error) {
	if len(uids) != len(weights) {
		return nil, fmt.Errorf("substrate: set weights: %d uids but %d weights", len(uids), len(weights))
	}
	return b.Submit(ctx, hotkey, "SubtensorModule", "set_mechanism_weights", []any{netuid, mech, uids, weights, versionKey}, opts)
}

// alreadyImported reports the node's answer to a resubmission of bytes it already holds (after a retried
// submission whose first answer was lost): the transaction is in the pool, which is what was wanted.
func alreadyImported(err error) bool {
	var re *rpc.Error
	return errors.As(err, &re) && re.Code == 1013
}

// ServePrometheus announces the hotkey's Prometheus endpoint.
func (b *Backend) ServePrometheus(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, version uint32, addr netip.AddrPort, opts TxOptions) (*Receipt, error) {
	ip, ipType := subtensor.EncodeIP(addr.Addr())
	return b.Submit(ctx, hotkey, "SubtensorModule", "serve_prometheus", []any{netuid, version, ip, addr.Port(), ipType}, opts)
}

// BatchRevealWeights reveals several commits at once.
func (b *Backend) BatchRevealWeights(ctx context.Context, hotkey extrinsic.Signer, netuid uint16, uids, values, salts [][]uint16, versionKeys []uint64, opts TxOptions) (*Receipt, error) {
	if len(uids) != len(values) || len(uids) != len(salts) || len(uids) != len(versionKeys) {
		return nil, fmt.Errorf("substrate: batch reveal: unequal list lengths")
	}
	return b.Submit(ctx, hotkey, "SubtensorModule", "batch_reveal_weights", []any{netuid, uids, values, salts, versionKeys}, opts)
}

// RootRegister registers hotkey on the root subnet, signed by its coldkey.
func (b *Backend) RootRegister(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "root_register", []any{[32]byte(hotkey)}, opts)
}

// RegisterNetwork creates a subnet owned by the signing coldkey, with hotkey as its owner hotkey.
func (b *Backend) RegisterNetwork(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "register_network", []any{[32]byte(hotkey)}, opts)
}

// StartCall starts emissions on a subnet the signer owns.
func (b *Backend) StartCall(ctx context.Context, coldkey extrinsic.Signer, netuid uint16, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "start_call", []any{netuid}, opts)
}

// AssociateHotkey associates hotkey with the signing coldkey (try_associate_hotkey).
func (b *Backend) AssociateHotkey(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "try_associate_hotkey", []any{[32]byte(hotkey)}, opts)
}

// DecreaseTake lowers a delegate hotkey's take (u16 fraction of 65535).
func (b *Backend) DecreaseTake(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, take uint16, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "decrease_take", []any{[32]byte(hotkey), take}, opts)
}

// IncreaseTake raises a delegate hotkey's take (u16 fraction of 65535).
func (b *Backend) IncreaseTake(ctx context.Context, coldkey extrinsic.Signer, hotkey subtensor.AccountID, take uint16, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, coldkey, "SubtensorModule", "increase_take", []any{[32]byte(hotkey), take}, opts)
}

// TransferAll sends the whole free balance; keepAlive leaves the existential deposit.
func (b *Backend) TransferAll(ctx context.Context, from extrinsic.Signer, to subtensor.AccountID, keepAlive bool, opts TxOptions) (*Receipt, error) {
	return b.Submit(ctx, from, "Balances", "transfer_all", []any{idAddress([32]byte(to)), keepAlive}, opts)
}
