package substrate

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// Options configures a Backend.
type Options struct {
	// Genesis, when known, saves asking the node (chain_getBlockHash(0)) at connect time.
	Genesis *[32]byte
	// Cache keeps metadata per runtime; nil gives a private in-memory cache.
	Cache *metadata.Cache
	// Client tunes timeouts, retries and the archive fallback.
	Client rpc.ClientOptions
}

// Backend reads and writes a Substrate-based Bittensor chain in domain terms. It is safe for concurrent
// use.
type Backend struct {
	cl      *rpc.Client
	genesis [32]byte
	cache   *metadata.Cache

	mu       sync.Mutex
	runtimes map[uint32]*runtime
}

// runtime is everything derived from one runtime's metadata.
type runtime struct {
	md  *metadata.Metadata
	c   *codec.Codec
	api *subtensor.Runtime
	ext *extrinsic.Builder
}

// Dial connects to a network (lazily for WebSocket endpoints: the first call dials).
func Dial(ctx context.Context, n Network, opts Options) (*Backend, error) {
	t, err := transportFor(n.URL)
	if err != nil {
		return nil, err
	}
	if n.Archive != "" && opts.Client.Archive == nil && n.Archive != n.URL {
		if opts.Client.Archive, err = transportFor(n.Archive); err != nil {
			return nil, err
		}
	}
	if opts.Genesis == nil {
		opts.Genesis = n.Genesis
	}
	return New(ctx, t, opts)
}

func transportFor(url string) (rpc.Transport, error) {
	switch {
	case strings.HasPrefix(url, "ws://"), strings.HasPrefix(url, "wss://"):
		return rpc.NewWS(url), nil
	case strings.HasPrefix(url, "http://"), strings.HasPrefix(url, "https://"):
		return rpc.NewHTTP(url, http.DefaultClient), nil
	}
	return nil, fmt.Errorf("substrate: endpoint %q is not a ws(s):// or http(s):// URL", url)
}

// New builds a backend over a transport (a replay in tests). Only the genesis hash is read, and only when
// opts.Genesis is nil.
func New(ctx context.Context, t rpc.Transport, opts Options) (*Backend, error) {
	b := &Backend{cl: rpc.NewClient(t, opts.Client), cache: opts.Cache, runtimes: map[uint32]*runtime{}}
	if b.cache == nil {
		b.cache = metadata.NewCache("")
	}
	if opts.Genesis != nil {
		b.genesis = *opts.Genesis
		return b, nil
	}
	var h string
	if err := b.cl.CallInto(ctx, &h, "chain_getBlockHash", 0); err != nil {
		return nil, fmt.Errorf("substrate: genesis hash: %w", err)
	}
	g, err := parseHash(h)
	if err != nil {
		return nil, err
	}
	b.genesis = g
	return b, nil
}

// Close closes the connections.
func (b *Backend) Close() error { return b.cl.Close() }

// Genesis is the chain's genesis hash.
func (b *Backend) Genesis() [32]byte { return b.genesis }

// At selects the state a read sees; the zero value is the best block.
type At struct {
	Block *uint64
}

// AtBlock reads the state at a past block (an archive node is needed for old blocks).
func AtBlock(n uint64) At { return At{Block: &n} }

type header struct {
	ParentHash string `json:"parentHash"`
	Number     string `json:"number"`
}

// view is a resolved block with the runtime that describes its state.
type view struct {
	hash, parent [32]byte
	number       uint64
	rt           *runtime
}

func parseNumber(s string) (uint64, error) {
	return strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
}

// BlockNumber is the number of the best block.
func (b *Backend) BlockNumber(ctx context.Context) (uint64, error) {
	var h header
	if err := b.cl.CallInto(ctx, &h, "chain_getHeader"); err != nil {
		return 0, fmt.Errorf("substrate: block number: %w", err)
	}
	return parseNumber(h.Number)
}

// view resolves at to a block hash, number and runtime.
func (b *Backend) view(ctx context.Context, at At) (*view, error) {
	var hs string
	var err error
	if at.Block == nil {
		err = b.cl.CallInto(ctx, &hs, "chain_getHead")
	} else {
		var raw json.RawMessage
		raw, err = b.cl.Call(ctx, "chain_getBlockHash", *at.Block)
		if err == nil && string(raw) == "null" {
			return nil, fmt.Errorf("%w: block %d", ErrNotFound, *at.Block)
		}
		if err == nil {
			err = json.Unmarshal(raw, &hs)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("substrate: block hash: %w", err)
	}
	v := &view{}
	if v.hash, err = parseHash(hs); err != nil {
		return nil, err
	}
	var h header
	if err := b.cl.CallInto(ctx, &h, "chain_getHeader", hs); err != nil {
		return nil, fmt.Errorf("substrate: header: %w", err)
	}
	if v.number, err = parseNumber(h.Number); err != nil {
		return nil, fmt.Errorf("substrate: header number %q: %w", h.Number, err)
	}
	if v.parent, err = parseHash(h.ParentHash); err != nil {
		return nil, err
	}
	// The runtime is read at the parent, as the Bittensor SDK does: it is the runtime that built the block.
	if v.rt, err = b.runtimeAt(ctx, v.parent); err != nil {
		return nil, err
	}
	return v, nil
}

type runtimeVersion struct {
	SpecName           string `json:"specName"`
	SpecVersion        uint32 `json:"specVersion"`
	TransactionVersion uint32 `json:"transactionVersion"`
}

// runtimeAt returns the runtime of the state at block hash h, fetching its metadata once per spec.
func (b *Backend) runtimeAt(ctx context.Context, h [32]byte) (*runtime, error) {
	var rv runtimeVersion
	if err := b.cl.CallInto(ctx, &rv, "state_getRuntimeVersion", hexHash(h)); err != nil {
		return nil, fmt.Errorf("substrate: runtime version: %w", err)
	}
	b.mu.Lock()
	rt := b.runtimes[rv.SpecVersion]
	b.mu.Unlock()
	if rt != nil {
		return rt, nil
	}
	md, err := b.cache.Get(metadata.CacheKey{Genesis: b.genesis, SpecVersion: rv.SpecVersion}, func() ([]byte, error) {
		return b.fetchMetadata(ctx, h)
	})
	if err != nil {
		return nil, fmt.Errorf("substrate: metadata of spec %d: %w", rv.SpecVersion, err)
	}
	c := codec.New(md)
	rt = &runtime{md: md, c: c, api: subtensor.NewRuntime(c), ext: extrinsic.NewBuilder(c)}
	b.mu.Lock()
	b.runtimes[rv.SpecVersion] = rt
	b.mu.Unlock()
	return rt, nil
}

// fetchMetadata asks for metadata v15 (the first version with runtime-API types), then falls back to the
// node's default (v14).
func (b *Backend) fetchMetadata(ctx context.Context, h [32]byte) ([]byte, error) {
	var s string
	err := b.cl.CallInto(ctx, &s, "state_call", "Metadata_metadata_at_version", "0x0f000000", hexHash(h))
	if err == nil {
		if raw, err := decodeHex(s); err == nil && len(raw) > 1 && raw[0] == 1 {
			return raw, nil
		}
	}
	if err := b.cl.CallInto(ctx, &s, "state_getMetadata", hexHash(h)); err != nil {
		return nil, err
	}
	return decodeHex(s)
}

// stateCall runs a prepared runtime-API call at v.
func (b *Backend) stateCall(ctx context.Context, v *view, call subtensor.APICall) ([]byte, error) {
	var s string
	if err := b.cl.CallInto(ctx, &s, "state_call", call.Method, "0x"+hex.EncodeToString(call.Data), hexHash(v.hash)); err != nil {
		return nil, fmt.Errorf("substrate: %s: %w", call.Method, err)
	}
	return decodeHex(s)
}

func unsupported(err error) error {
	if errors.Is(err, metadata.ErrNotFound) {
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return err
}

// Metagraph reads a whole subnet (mechanism 0) in one runtime call.
func (b *Backend) Metagraph(ctx context.Context, netuid uint16, at At) (*subtensor.Metagraph, error) {
	return b.MechanismMetagraph(ctx, netuid, 0, at)
}

// MechanismMetagraph reads one mechanism of a subnet in one runtime call.
func (b *Backend) MechanismMetagraph(ctx context.Context, netuid uint16, mech uint8, at At) (*subtensor.Metagraph, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.Metagraph(netuid, mech)
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	mg, err := v.rt.api.DecodeMetagraph(call, mech, data)
	if err != nil {
		return nil, err
	}
	if mg == nil {
		return nil, fmt.Errorf("%w: subnet %d", ErrNotFound, netuid)
	}
	if mg.Block == 0 {
		mg.Block = v.number
	}
	return mg, nil
}

// NeuronsLite reads every uid of a subnet without weights and bonds, in one runtime call.
func (b *Backend) NeuronsLite(ctx context.Context, netuid uint16, at At) ([]subtensor.NeuronLite, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.NeuronsLite(netuid)
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	return v.rt.api.DecodeNeuronsLite(call, data)
}

// Neuron reads one uid with its weight and bond rows.
func (b *Backend) Neuron(ctx context.Context, netuid, uid uint16, at At) (*subtensor.Neuron, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.Neuron(netuid, uid)
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	n, err := v.rt.api.DecodeNeuron(call, data)
	if err == nil && n == nil {
		err = fmt.Errorf("%w: uid %d on subnet %d", ErrNotFound, uid, netuid)
	}
	return n, err
}

// SubnetState reads every uid's state of a subnet in one runtime call.
func (b *Backend) SubnetState(ctx context.Context, netuid uint16, at At) (*subtensor.SubnetState, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.SubnetState(netuid)
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	s, err := v.rt.api.DecodeSubnetState(call, data)
	if err == nil && s == nil {
		err = fmt.Errorf("%w: subnet %d", ErrNotFound, netuid)
	}
	return s, err
}

// Hyperparameters reads a subnet's hyperparameters.
func (b *Backend) Hyperparameters(ctx context.Context, netuid uint16, at At) (*subtensor.Hyperparameters, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.Hyperparameters(netuid)
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	h, err := v.rt.api.DecodeHyperparameters(call, data)
	if err == nil && h == nil {
		err = fmt.Errorf("%w: subnet %d", ErrNotFound, netuid)
	}
	return h, err
}

// storage reads pallet.item with the given map keys (Go values, encoded by the metadata's key types) into
// out. It reports false when the entry is absent and has no default.
func (b *Backend) storage(ctx context.Context, v *view, pallet, item string, out any, mapKeys ...any) (bool, error) {
	raw, entry, found, err := b.storageRaw(ctx, v, pallet, item, mapKeys...)
	if err != nil || !found {
		return false, err
	}
	if err := v.rt.c.Decode(entry.Value, raw, out); err != nil {
		return false, fmt.Errorf("substrate: %s.%s: %w", pallet, item, err)
	}
	return true, nil
}

// storageRaw reads the encoded value of pallet.item (its default when absent, unless the item is
// optional, then found is false).
func (b *Backend) storageRaw(ctx context.Context, v *view, pallet, item string, mapKeys ...any) ([]byte, *metadata.StorageEntry, bool, error) {
	md := v.rt.md
	_, entry, err := md.Storage(pallet, item)
	if err != nil {
		return nil, nil, false, unsupported(err)
	}
	kt := md.KeyTypes(entry)
	if len(mapKeys) != len(kt) {
		return nil, nil, false, fmt.Errorf("substrate: %s.%s takes %d keys at spec %d, got %d", pallet, item, len(kt), md.SpecVersion, len(mapKeys))
	}
	enc := make([][]byte, len(mapKeys))
	for i, k := range mapKeys {
		if enc[i], err = v.rt.c.Encode(kt[i], k); err != nil {
			return nil, nil, false, fmt.Errorf("substrate: %s.%s key %d: %w", pallet, item, i, err)
		}
	}
	key, _, err := md.StorageKey(pallet, item, enc...)
	if err != nil {
		return nil, nil, false, err
	}
	var s *string
	if err := b.cl.CallInto(ctx, &s, "state_getStorageAt", "0x"+hex.EncodeToString(key), hexHash(v.hash)); err != nil {
		return nil, nil, false, fmt.Errorf("substrate: %s.%s: %w", pallet, item, err)
	}
	switch {
	case s != nil:
		raw, err := decodeHex(*s)
		return raw, entry, err == nil, err
	case entry.Optional:
		return nil, entry, false, nil
	}
	return entry.Default, entry, true, nil
}

// Balance is an account's TAO balance, in rao.
type Balance struct {
	Free, Reserved, Frozen uint64
}

type wireAccount struct {
	Nonce uint32 `scale:"nonce"`
	Data  struct {
		Free     uint64 `scale:"free"`
		Reserved uint64 `scale:"reserved"`
		Frozen   uint64 `scale:"frozen,optional"`
	} `scale:"data"`
}

// Balance reads an account's balance (zero for an account the chain has never seen).
func (b *Backend) Balance(ctx context.Context, account subtensor.AccountID, at At) (Balance, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return Balance{}, err
	}
	var a wireAccount
	if _, err := b.storage(ctx, v, "System", "Account", &a, [32]byte(account)); err != nil {
		return Balance{}, err
	}
	return Balance{Free: a.Data.Free, Reserved: a.Data.Reserved, Frozen: a.Data.Frozen}, nil
}

// UIDForHotkey returns the hotkey's uid on a subnet; ok is false when it is not registered there.
func (b *Backend) UIDForHotkey(ctx context.Context, netuid uint16, hotkey subtensor.AccountID, at At) (uid uint16, ok bool, err error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return 0, false, err
	}
	ok, err = b.storage(ctx, v, "SubtensorModule", "Uids", &uid, netuid, [32]byte(hotkey))
	return uid, ok, err
}

// Nonce is the account's next transaction index, counting transactions in the node's pool.
func (b *Backend) Nonce(ctx context.Context, account subtensor.AccountID) (uint64, error) {
	var n uint64
	if err := b.cl.CallInto(ctx, &n, "system_accountNextIndex", keys.EncodeSS58(account[:], keys.DefaultSS58Prefix)); err != nil {
		return 0, fmt.Errorf("substrate: nonce: %w", err)
	}
	return n, nil
}

func codecVariant(name string, fields ...any) codec.Variant {
	return codec.Variant{Name: name, Fields: fields}
}

// RuntimeInfo describes the runtime of the best block.
type RuntimeInfo struct {
	SpecName           string
	SpecVersion        uint32
	TransactionVersion uint32
	MetadataVersion    int      // 14, 15 or 16
	Extensions         []string // transaction extensions, in signing order
}

// Runtime describes the runtime at the best block.
func (b *Backend) Runtime(ctx context.Context) (RuntimeInfo, error) {
	v, err := b.view(ctx, At{})
	if err != nil {
		return RuntimeInfo{}, err
	}
	md := v.rt.md
	return RuntimeInfo{SpecName: md.SpecName, SpecVersion: md.SpecVersion, TransactionVersion: md.TransactionVersion,
		MetadataVersion: md.Version, Extensions: md.ExtensionNames()}, nil
}

// CheckLayouts verifies, without reading chain state, that the runtime at the best block still has every
// field gotensor decodes and that gotensor can sign for it (every transaction extension known or empty).
// A failure names the field or extension and the spec version.
func (b *Backend) CheckLayouts(ctx context.Context) error {
	v, err := b.view(ctx, At{})
	if err != nil {
		return err
	}
	errs := []error{v.rt.api.Check()}
	if _, _, err := v.rt.ext.Extensions(extrinsic.Params{Genesis: b.genesis}); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Subnets lists every subnet, in one runtime call.
func (b *Backend) Subnets(ctx context.Context, at At) ([]subtensor.SubnetInfo, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.Subnets()
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	return v.rt.api.DecodeSubnets(call, data)
}

// StakeForColdkey lists the coldkey's stake positions, in one runtime call.
func (b *Backend) StakeForColdkey(ctx context.Context, coldkey subtensor.AccountID, at At) ([]subtensor.StakeInfo, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.StakeForColdkey(coldkey)
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	return v.rt.api.DecodeStake(call, data)
}

// AllDynamicInfo reads every subnet's pool and emission state in one runtime call.
func (b *Backend) AllDynamicInfo(ctx context.Context, at At) ([]subtensor.DynamicInfo, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return nil, err
	}
	call, err := v.rt.api.AllDynamicInfo()
	if err != nil {
		return nil, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return nil, err
	}
	return v.rt.api.DecodeAllDynamicInfo(call, data)
}

// ExistentialDeposit is the smallest balance an account may hold (rao), from the runtime's constants.
func (b *Backend) ExistentialDeposit(ctx context.Context) (uint64, error) {
	v, err := b.view(ctx, At{})
	if err != nil {
		return 0, err
	}
	c, err := v.rt.md.Constant("Balances", "ExistentialDeposit")
	if err != nil {
		return 0, unsupported(err)
	}
	var ed uint64
	if err := v.rt.c.Decode(c.Type, c.Value, &ed); err != nil {
		return 0, err
	}
	return ed, nil
}

// Probe asks an endpoint for its runtime and reports whether it is a subtensor node (spec name
// "node-subtensor"), as opposed to the gotensor node, which shares the localnet port.
func Probe(ctx context.Context, t rpc.Transport) (specName string, subtensorNode bool, err error) {
	var rv runtimeVersion
	raw, err := t.Call(ctx, "state_getRuntimeVersion")
	if err != nil {
		return "", false, err
	}
	if err := json.Unmarshal(raw, &rv); err != nil {
		return "", false, fmt.Errorf("substrate: probe: %w", err)
	}
	return rv.SpecName, rv.SpecName == "node-subtensor", nil
}

// Stake is coldkey's stake position on (hotkey, netuid); a zero position when there is none.
func (b *Backend) Stake(ctx context.Context, hotkey, coldkey subtensor.AccountID, netuid uint16, at At) (subtensor.StakeInfo, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return subtensor.StakeInfo{}, err
	}
	call, err := v.rt.api.Stake(hotkey, coldkey, netuid)
	if err != nil {
		return subtensor.StakeInfo{}, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return subtensor.StakeInfo{}, err
	}
	s, err := v.rt.api.DecodeStakeOne(call, data)
	if err != nil || s == nil {
		return subtensor.StakeInfo{Hotkey: hotkey, Coldkey: coldkey, NetUID: netuid}, err
	}
	return *s, nil
}

// Owner is the coldkey that owns hotkey; ok is false when the hotkey is unknown.
func (b *Backend) Owner(ctx context.Context, hotkey subtensor.AccountID, at At) (coldkey subtensor.AccountID, ok bool, err error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return coldkey, false, err
	}
	var raw [32]byte
	ok, err = b.storage(ctx, v, "SubtensorModule", "Owner", &raw, [32]byte(hotkey))
	coldkey = raw
	if coldkey.IsZero() { // the item has a default: an all-zero account means no owner
		ok = false
	}
	return coldkey, ok, err
}

// TotalIssuance is the TAO in existence, in rao.
func (b *Backend) TotalIssuance(ctx context.Context, at At) (uint64, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return 0, err
	}
	var n uint64
	_, err = b.storage(ctx, v, "Balances", "TotalIssuance", &n)
	return n, err
}

// Events reads the events of a block (by number), reduced to pallet, name, extrinsic index and failures.
func (b *Backend) Events(ctx context.Context, block uint64) ([]extrinsic.Event, error) {
	v, err := b.view(ctx, AtBlock(block))
	if err != nil {
		return nil, err
	}
	// The runtime that wrote the events is the one at the block itself, not its parent.
	if v.rt, err = b.runtimeAt(ctx, v.hash); err != nil {
		return nil, err
	}
	raw, _, _, err := b.storageRaw(ctx, v, "System", "Events")
	if err != nil {
		return nil, err
	}
	return extrinsic.DecodeEvents(v.rt.c, raw)
}

// BestHead is the best block's number and hash (chain_getHead, chain_getHeader).
func (b *Backend) BestHead(ctx context.Context) (Head, error) {
	var hs string
	if err := b.cl.CallInto(ctx, &hs, "chain_getHead"); err != nil {
		return Head{}, fmt.Errorf("substrate: block hash: %w", err)
	}
	hash, err := parseHash(hs)
	if err != nil {
		return Head{}, err
	}
	var h header
	if err := b.cl.CallInto(ctx, &h, "chain_getHeader", hs); err != nil {
		return Head{}, fmt.Errorf("substrate: header: %w", err)
	}
	n, err := parseNumber(h.Number)
	return Head{Number: n, Hash: hash}, err
}

// DelegateTake is the hotkey's delegate take (a u16 fraction of 65535; the runtime's default when the hotkey
// never set one), from storage SubtensorModule.Delegates.
func (b *Backend) DelegateTake(ctx context.Context, hotkey subtensor.AccountID, at At) (uint16, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return 0, err
	}
	var take uint16
	if _, err := b.storage(ctx, v, "SubtensorModule", "Delegates", &take, [32]byte(hotkey)); err != nil {
		return 0, unsupported(err)
	}
	return take, nil
}

// NetworkRegistrationCost is what registering a new subnet costs now (rao), in one runtime call.
func (b *Backend) NetworkRegistrationCost(ctx context.Context, at At) (uint64, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return 0, err
	}
	call, err := v.rt.api.Prepare("SubnetRegistrationRuntimeApi", "get_network_registration_cost")
	if err != nil {
		return 0, unsupported(err)
	}
	data, err := b.stateCall(ctx, v, call)
	if err != nil {
		return 0, err
	}
	var cost uint64
	if err := v.rt.api.Decode(call, data, &cost); err != nil {
		return 0, err
	}
	return cost, nil
}

// SubnetStart says whether a subnet's owner has started it (SubtensorModule.SubtokenEnabled) and the
// block of its first emission (FirstEmissionBlockNumber; ok false before it), read at one block.
func (b *Backend) SubnetStart(ctx context.Context, netuid uint16, at At) (enabled bool, firstEmission uint64, ok bool, err error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return false, 0, false, err
	}
	if _, err = b.storage(ctx, v, "SubtensorModule", "SubtokenEnabled", &enabled, netuid); err != nil {
		return false, 0, false, unsupported(err)
	}
	ok, err = b.storage(ctx, v, "SubtensorModule", "FirstEmissionBlockNumber", &firstEmission, netuid)
	return enabled, firstEmission, ok, unsupported(err)
}

// StartCallDelay is how many blocks after registration a subnet's owner may start it: storage
// SubtensorModule.StartCallDelay where the runtime has it, else the constant DurationOfStartCall.
func (b *Backend) StartCallDelay(ctx context.Context, at At) (uint64, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return 0, err
	}
	var d uint64
	if _, err := b.storage(ctx, v, "SubtensorModule", "StartCallDelay", &d); err == nil {
		return d, nil
	} else if !errors.Is(err, ErrUnsupported) {
		return 0, err
	}
	c, err := v.rt.md.Constant("SubtensorModule", "DurationOfStartCall")
	if err != nil {
		return 0, unsupported(err)
	}
	if err := v.rt.c.Decode(c.Type, c.Value, &d); err != nil {
		return 0, err
	}
	return d, nil
}

// StakeThreshold is the stake a hotkey needs to set weights (storage SubtensorModule.StakeThreshold).
func (b *Backend) StakeThreshold(ctx context.Context, at At) (uint64, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return 0, err
	}
	var n uint64
	_, err = b.storage(ctx, v, "SubtensorModule", "StakeThreshold", &n)
	return n, unsupported(err)
}

// HotkeyAlpha is the hotkey's whole stake on a subnet (alpha rao; TAO rao on root), from storage
// SubtensorModule.TotalHotkeyAlpha.
func (b *Backend) HotkeyAlpha(ctx context.Context, hotkey subtensor.AccountID, netuid uint16, at At) (uint64, error) {
	v, err := b.view(ctx, at)
	if err != nil {
		return 0, err
	}
	var n uint64
	_, err = b.storage(ctx, v, "SubtensorModule", "TotalHotkeyAlpha", &n, [32]byte(hotkey), netuid)
	return n, unsupported(err)
}
