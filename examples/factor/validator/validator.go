// Package validator is the factor subnet's validator, built only on the public SDK: it syncs the
// metagraph, samples serving miners, sends each a fresh semiprime through the dendrite, scores the
// answers by correctness and latency, keeps a moving average per uid (reset when a uid changes hotkey),
// and every WeightsInterval blocks turns the scores into weights, through commit-reveal when the subnet
// has it on (revealing automatically in the reveal epoch). Its state survives restarts.
//
// The validator knows nothing of how a miner was configured: quality shows only through the answers and
// their latency.
package validator

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gotensor/gotensor/examples/factor/protocol"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/dendrite"
	"github.com/gotensor/gotensor/sdk/metagraph"
	"github.com/gotensor/gotensor/sdk/synapse"
	"github.com/gotensor/gotensor/sdk/weightutil"
)

// SpecVersion is the weights version key this validator sends (1000 × major + 10 × minor + patch, as the
// Python template derives it from its version 1.0.0).
const SpecVersion = 1000

// Config configures a validator. The defaults are the Python template's.
type Config struct {
	Netuid uint16
	// SampleSize is how many miners one step queries (default 50).
	SampleSize int
	// Timeout is the dendrite timeout of one query (default 10 s).
	Timeout time.Duration
	// Alpha is the moving-average factor (default 0.1): score = α·reward + (1−α)·score, for queried uids
	// only (unqueried uids keep their score rather than decaying by sampling luck).
	Alpha float64
	// StepInterval is the pause between two query steps (default 5 s).
	StepInterval time.Duration
	// WeightsInterval is how many blocks pass between two weight settings (default 100).
	WeightsInterval uint64
	// VpermitTaoLimit: uids holding a validator permit with more stake than this (in tokens) are not
	// sampled, as in the template (default 4096).
	VpermitTaoLimit float64
	// ResyncBlocks is how many blocks pass between metagraph syncs (default 5).
	ResyncBlocks uint64
	// VersionKey is the weights version key (default SpecVersion).
	VersionKey uint64
	// Bits is the size of each prime of a challenge (default protocol.DefaultBits).
	Bits int
	// StatePath is where the state (step, scores, hotkeys, pending commits) is kept; "" keeps none.
	StatePath string
	// DisableSetWeights scores without ever setting weights.
	DisableSetWeights bool
	Logger            *slog.Logger
}

func (c *Config) defaults() {
	if c.SampleSize <= 0 {
		c.SampleSize = 50
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Alpha <= 0 || c.Alpha > 1 {
		c.Alpha = 0.1
	}
	if c.StepInterval <= 0 {
		c.StepInterval = 5 * time.Second
	}
	if c.WeightsInterval == 0 {
		c.WeightsInterval = 100
	}
	if c.ResyncBlocks == 0 {
		c.ResyncBlocks = 5
	}
	if c.VpermitTaoLimit <= 0 {
		c.VpermitTaoLimit = 4096
	}
	if c.VersionKey == 0 {
		c.VersionKey = SpecVersion
	}
	if c.Bits == 0 {
		c.Bits = protocol.DefaultBits
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Validator is a running factor validator.
type Validator struct {
	cfg    Config
	chain  client.Chain
	hotkey *keys.Keypair
	me     client.AccountID
	log    *slog.Logger
	rng    *rand.Rand
	den    *dendrite.Dendrite

	mu     sync.Mutex
	mg     *metagraph.Metagraph
	synced uint64
	st     State
}

// New makes a validator and loads its saved state (before anything can write it).
func New(c client.Chain, hotkey *keys.Keypair, cfg Config) (*Validator, error) {
	if c == nil || hotkey == nil {
		return nil, errors.New("validator: a chain client and a hotkey are required")
	}
	cfg.defaults()
	var seed [16]byte
	_, _ = crand.Read(seed[:])
	v := &Validator{cfg: cfg, chain: c, hotkey: hotkey, me: client.AccountID(hotkey.PublicKey()), log: cfg.Logger,
		rng: rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))}
	if cfg.StatePath != "" {
		st, err := LoadState(cfg.StatePath)
		if err != nil {
			return nil, err
		}
		v.st = st
		if st.Step > 0 {
			v.log.Info("validator state loaded", "path", cfg.StatePath, "step", st.Step, "uids", len(st.Scores))
		}
	}
	return v, nil
}

// Scores returns a copy of the moving-average scores by uid.
func (v *Validator) Scores() []float64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]float64(nil), v.st.Scores...)
}

// State returns a copy of the validator's state.
func (v *Validator) State() State {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.st.clone()
}

// Run checks registration, then queries, scores and sets weights until ctx ends.
func (v *Validator) Run(ctx context.Context) error {
	if err := v.Sync(ctx); err != nil {
		return err
	}
	v.mu.Lock()
	uid, ok := v.mg.UIDOf(v.me)
	v.mu.Unlock()
	if !ok {
		return fmt.Errorf("hotkey %s is not registered on netuid %d: register it first (gotensor subnets register --netuid %d)",
			v.me, v.cfg.Netuid, v.cfg.Netuid)
	}
	d, err := dendrite.New(v.hotkey, dendrite.WithLogger(v.log))
	if err != nil {
		return err
	}
	defer d.Close()
	v.den = d
	v.log.Info("validator running", "uid", uid, "hotkey", v.me.String(), "netuid", v.cfg.Netuid)

	done := make(chan struct{})
	go func() { defer close(done); v.weightsLoop(ctx) }()
	defer func() { <-done }()
	for {
		if err := v.Step(ctx); err != nil && ctx.Err() == nil {
			v.log.Warn("validator step failed", "err", err) // logged and retried: one bad step never ends the run
		}
		select {
		case <-ctx.Done():
			v.save()
			v.log.Info("validator stopping", "step", v.State().Step)
			return nil
		case <-time.After(v.cfg.StepInterval):
		}
	}
}

// Sync refreshes the metagraph and resets the score of every uid whose hotkey changed.
func (v *Validator) Sync(ctx context.Context) error {
	mg, err := metagraph.Sync(ctx, v.chain, v.cfg.Netuid, metagraph.Lite())
	if err != nil {
		return fmt.Errorf("sync metagraph of netuid %d: %w", v.cfg.Netuid, err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.mg, v.synced = mg, mg.Block
	v.st.resize(mg.Hotkeys, v.log)
	return nil
}

// Step runs one forward step: sync when due, sample, query, score.
func (v *Validator) Step(ctx context.Context) error {
	head, err := v.chain.Head(ctx)
	if err != nil {
		return err
	}
	v.mu.Lock()
	due := v.mg == nil || head.Height >= v.synced+v.cfg.ResyncBlocks
	v.mu.Unlock()
	if due {
		if err := v.Sync(ctx); err != nil {
			return err
		}
	}
	uids, targets := v.sample()
	if len(uids) == 0 {
		v.mu.Lock()
		v.st.Step++
		v.mu.Unlock()
		return nil
	}
	n := protocol.NewChallenge(v.rng, v.cfg.Bits)
	answers := dendrite.Query(ctx, v.den, targets, &protocol.Factor{N: n}, v.cfg.Timeout)
	if ctx.Err() != nil {
		return nil
	}
	rewards := make([]float64, len(answers))
	for i, a := range answers {
		rewards[i] = Reward(n, a, v.cfg.Timeout)
	}
	v.mu.Lock()
	v.st.update(uids, rewards, v.cfg.Alpha)
	v.st.Step++
	step := v.st.Step
	v.mu.Unlock()
	v.log.Debug("step", "step", step, "n", n, "uids", uids, "rewards", rewards)
	if step%10 == 0 {
		v.save()
	}
	return nil
}

// sample picks up to SampleSize serving uids other than our own, at random.
func (v *Validator) sample() ([]uint16, []synapse.AxonInfo) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var cand []uint16
	for i := 0; i < v.mg.N; i++ {
		if v.mg.Hotkeys[i] == v.me || !v.mg.Axons[i].Served() {
			continue
		}
		if v.mg.ValidatorPermit[i] && float64(v.mg.Stake[i]) > v.cfg.VpermitTaoLimit {
			continue // a big validator, not a miner
		}
		cand = append(cand, uint16(i))
	}
	v.rng.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
	if len(cand) > v.cfg.SampleSize {
		cand = cand[:v.cfg.SampleSize]
	}
	targets := make([]synapse.AxonInfo, len(cand))
	for i, uid := range cand {
		a := v.mg.Axons[uid]
		targets[i] = synapse.AxonInfo{IP: a.IP, Port: a.Port, Version: a.Version, Protocol: a.Protocol,
			Hotkey: v.mg.Hotkeys[uid].SS58(), Coldkey: v.mg.Coldkeys[uid].SS58()}
	}
	return cand, targets
}

// Reward scores one answer: 0 unless it is a correct factorisation of n; a correct answer earns 0.5 plus
// up to 0.5 more the faster it came (nothing extra at the timeout).
func Reward(n uint64, a *protocol.Factor, timeout time.Duration) float64 {
	if a == nil || !a.Success() || a.P == nil || a.Q == nil || !protocol.Check(n, *a.P, *a.Q) {
		return 0
	}
	latency := timeout.Seconds()
	if a.Dendrite.ProcessTime != nil {
		latency = *a.Dendrite.ProcessTime
	}
	speed := 1 - latency/timeout.Seconds()
	if speed < 0 || math.IsNaN(speed) {
		speed = 0
	}
	return 0.5 + 0.5*speed
}

// weightsLoop sets (or commits) weights every WeightsInterval blocks and reveals commits in their reveal
// epoch. It runs apart from the query steps so that slow miners cannot make it miss a reveal window.
func (v *Validator) weightsLoop(ctx context.Context) {
	heads, err := v.chain.SubscribeHeads(ctx)
	if err != nil {
		v.log.Error("subscribe to new heads: weights will not be set", "err", err)
		return
	}
	for head := range heads {
		if err := v.revealDue(ctx, head.Height); err != nil && ctx.Err() == nil {
			v.log.Warn("reveal weights", "err", err)
		}
		if v.cfg.DisableSetWeights {
			continue
		}
		if err := v.maybeSetWeights(ctx, head.Height); err != nil && ctx.Err() == nil {
			v.log.Warn("set weights", "err", err, "name", client.ErrorName(err))
		}
	}
}

func epochIndex(block uint64, netuid, tempo uint16) uint64 {
	return (block + uint64(netuid) + 1) / (uint64(tempo) + 1)
}

func (v *Validator) params() (tempo uint16, period uint64, crOn bool, minW, maxW uint16, n int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	hp := v.mg.Hyperparameters
	t, _ := hp.Get("tempo")
	p, _ := hp.Get("commit_reveal_period")
	cr, _ := hp.Get("commit_reveal_weights_enabled")
	mi, _ := hp.Get("min_allowed_weights")
	ma, ok := hp.Get("max_weight_limit")
	if !ok {
		ma = 65535
	}
	if p == 0 {
		p = 1
	}
	return uint16(t), p, cr == 1, uint16(mi), uint16(ma), v.mg.N
}

func (v *Validator) revealDue(ctx context.Context, height uint64) error {
	v.mu.Lock()
	pending := append([]Commit(nil), v.st.Pending...)
	v.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	tempo, _, _, _, _, _ := v.params()
	now := epochIndex(height, v.cfg.Netuid, tempo)
	var keep []Commit
	var firstErr error
	for _, c := range pending {
		switch {
		case now < c.RevealEpoch:
			keep = append(keep, c)
		case now > c.RevealEpoch:
			v.log.Warn("weight commit expired before it could be revealed", "commit_block", c.Block)
		default:
			_, err := v.chain.RevealWeights(ctx, v.hotkey, v.cfg.Netuid, c.UIDs, c.Weights, c.Salt, c.VersionKey)
			if err != nil {
				if errors.Is(err, client.TxErr("RevealTooEarly")) {
					keep = append(keep, c)
					continue
				}
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			v.log.Info("weights revealed", "commit_block", c.Block, "uids", len(c.UIDs))
		}
	}
	v.mu.Lock()
	v.st.Pending = keep
	v.mu.Unlock()
	v.save()
	return firstErr
}

func (v *Validator) maybeSetWeights(ctx context.Context, height uint64) error {
	v.mu.Lock()
	if v.mg == nil || v.st.Step == 0 || (v.st.LastWeights != 0 && height < v.st.LastWeights+v.cfg.WeightsInterval) {
		v.mu.Unlock()
		return nil
	}
	uid, ok := v.mg.UIDOf(v.me)
	permit := ok && v.mg.ValidatorPermit[uid]
	scores := append([]float64(nil), v.st.Scores...)
	v.mu.Unlock()
	if !ok {
		return fmt.Errorf("hotkey %s is no longer registered on netuid %d", v.me, v.cfg.Netuid)
	}
	if !permit {
		v.log.Debug("no validator permit yet: not setting weights", "uid", uid)
		return nil
	}
	tempo, period, crOn, minW, maxW, n := v.params()
	v.mu.Lock()
	limit, _ := v.mg.Hyperparameters.Get("weights_rate_limit")
	last := v.mg.LastUpdate[uid]
	v.mu.Unlock()
	if last != 0 && height < last+limit {
		return nil // the chain would refuse it (SettingWeightsTooFast / CommittingWeightsTooFast)
	}
	if len(scores) > n {
		scores = scores[:n]
	}
	var sum float64
	for _, s := range scores {
		if s > 0 && !math.IsNaN(s) {
			sum += s
		}
	}
	if sum == 0 {
		return nil
	}
	uids := make([]uint16, len(scores))
	norm := make([]float64, len(scores))
	for i, s := range scores {
		uids[i] = uint16(i)
		if s > 0 && !math.IsNaN(s) {
			norm[i] = s / sum
		}
	}
	pu, pw, err := weightutil.ProcessWeights(uids, norm, weightutil.ChainLimits(n, minW, maxW), 0)
	if err != nil {
		return err
	}
	wu, wv, err := weightutil.ConvertWeightsAndUidsForEmit(pu, pw)
	if err != nil {
		return err
	}
	if len(wu) == 0 {
		return nil
	}
	if !crOn {
		r, err := v.chain.SetWeights(ctx, v.hotkey, v.cfg.Netuid, wu, wv, v.cfg.VersionKey)
		if err != nil {
			return err
		}
		v.mu.Lock()
		v.st.LastWeights = r.Block
		v.mu.Unlock()
		v.log.Info("weights set", "block", r.Block, "uids", wu, "weights", wv)
		v.save()
		return nil
	}
	salt := make([]uint16, 8)
	for i := range salt {
		salt[i] = uint16(v.rng.Uint32())
	}
	hash := client.CommitHash(v.me, v.cfg.Netuid, wu, wv, salt, v.cfg.VersionKey)
	r, err := v.chain.CommitWeights(ctx, v.hotkey, v.cfg.Netuid, hash)
	if err != nil {
		return err
	}
	c := Commit{Block: r.Block, RevealEpoch: epochIndex(r.Block, v.cfg.Netuid, tempo) + period, UIDs: wu, Weights: wv,
		Salt: salt, VersionKey: v.cfg.VersionKey}
	v.mu.Lock()
	v.st.LastWeights = r.Block
	v.st.Pending = append(v.st.Pending, c)
	v.mu.Unlock()
	v.log.Info("weights committed", "block", r.Block, "reveal_epoch", c.RevealEpoch, "uids", wu, "weights", wv)
	v.save()
	return nil
}

func (v *Validator) save() {
	if v.cfg.StatePath == "" {
		return
	}
	st := v.State()
	if err := st.Save(v.cfg.StatePath); err != nil {
		v.log.Warn("save validator state", "path", v.cfg.StatePath, "err", err)
	}
}
