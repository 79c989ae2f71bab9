package cli

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/reveal"
	"github.com/gotensor/gotensor/sdk/wallet"
	"github.com/gotensor/gotensor/sdk/weightutil"
)

func init() { commandGroups = append(commandGroups, addWeightsCommands) }

func addWeightsCommands(root *cobra.Command) {
	g := findOrAddGroup(root, "weights", "Set, commit and reveal weights; the reveal scheduler", "wt", "weight")
	g.AddCommand(newWeightsSetCommand(), newWeightsCommitCommand(), newWeightsRevealCommand(), newWeightsStatusCommand(),
		newWeightsRevealPendingCommand(), newWeightsDaemonCommand())
	snakeTwins(g)
	scriptableFlagErrors(g)
}

// revealStore opens the reveal scheduler's store under the gotensor home.
func revealStore(home string) (*reveal.Store, error) {
	return reveal.Open(filepath.Join(home, "reveal"))
}

func parseU16List(s, flag string) ([]uint16, error) {
	var out []uint16
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(strings.Trim(strings.TrimSpace(p), "[]"))
		if p == "" {
			continue
		}
		v, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return nil, usageErr(fmt.Errorf("%s: %q is not a number from 0 to 65535", flag, p))
		}
		out = append(out, uint16(v))
	}
	return out, nil
}

func parseFloatList(s, flag string) ([]float64, error) {
	var out []float64
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(strings.Trim(strings.TrimSpace(p), "[]"))
		if p == "" {
			continue
		}
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, usageErr(fmt.Errorf("%s: %q is not a non-negative number", flag, p))
		}
		out = append(out, v)
	}
	return out, nil
}

// weightsInput are the uids and weights flags of set, commit and reveal.
type weightsInput struct {
	netuid     uint16
	uids       string
	weights    string
	versionKey uint64
}

func addWeightsInputFlags(cmd *cobra.Command, in *weightsInput) {
	cmd.Flags().Uint16Var(&in.netuid, "netuid", 0, "subnet")
	cmd.Flags().StringVarP(&in.uids, "uids", "u", "", "uids, comma separated: 0,1,2")
	cmd.Flags().StringVarP(&in.weights, "weights", "w", "", "weights, comma separated (any scale; max-normalised to u16): 0.2,0.3,0.5")
	cmd.Flags().Uint64Var(&in.versionKey, "version-key", 0, "weights version key (default: the subnet's weights_version_key)")
}

// values reads the flags (prompting when possible) and converts the weights to u16 as the SDK does.
func (in *weightsInput) values(cmd *cobra.Command, con *console) (uids, vals []uint16, err error) {
	if err := netuidValue(cmd, con, &in.netuid); err != nil {
		return nil, nil, err
	}
	if in.uids == "" {
		if in.uids, err = con.promptLine("UIDs (comma separated)", "", "--uids"); err != nil {
			return nil, nil, usageErr(err)
		}
	}
	if in.weights == "" {
		if in.weights, err = con.promptLine("Weights (comma separated)", "", "--weights"); err != nil {
			return nil, nil, usageErr(err)
		}
	}
	u, err := parseU16List(in.uids, "--uids")
	if err != nil {
		return nil, nil, err
	}
	w, err := parseFloatList(in.weights, "--weights")
	if err != nil {
		return nil, nil, err
	}
	if len(u) != len(w) || len(u) == 0 {
		return nil, nil, usageErr(fmt.Errorf("--uids has %d entries and --weights %d: give one weight per uid", len(u), len(w)))
	}
	uids, vals, err = weightutil.ConvertWeightsAndUidsForEmit(u, w)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	if len(uids) == 0 {
		return nil, nil, usageErr(fmt.Errorf("--weights are all zero"))
	}
	return uids, vals, nil
}

// versionKey returns --version-key or the subnet's weights_version_key.
func (in *weightsInput) version(cmd *cobra.Command, s *session) uint64 {
	if cmd.Flags().Changed("version-key") {
		return in.versionKey
	}
	if hp, err := s.chain.Hyperparameters(s.ctx, in.netuid); err == nil {
		v, _ := hp.Get("weights_version_key")
		return v
	}
	return 0
}

// weightsHint explains rate limits and reveal timing with block counts.
func weightsHint(s *session, netuid uint16, hotkey client.AccountID, err error) error {
	switch client.ErrorName(err) {
	case "SettingWeightsTooFast", "CommittingWeightsTooFast":
		if n := blocksUntilWeightsAllowed(s, netuid, hotkey); n > 0 {
			return withHint(err, fmt.Sprintf("try again in %d blocks (weights_rate_limit)", n))
		}
	case "RevealTooEarly":
		if cs, cerr := s.chain.PendingCommits(s.ctx, netuid, hotkey); cerr == nil && len(cs) > 0 {
			if head, herr := s.chain.Head(s.ctx); herr == nil && cs[0].FirstRevealBlock > head.Height {
				return withHint(err, fmt.Sprintf("try again in %d blocks (the reveal window opens at block %d)", cs[0].FirstRevealBlock-head.Height, cs[0].FirstRevealBlock))
			}
		}
	}
	return err
}

// blocksUntilWeightsAllowed is how long the hotkey must wait before its next set or commit (0: now).
func blocksUntilWeightsAllowed(s *session, netuid uint16, hotkey client.AccountID) uint64 {
	n, err := s.chain.NeuronByHotkey(s.ctx, netuid, hotkey)
	if err != nil {
		return 0
	}
	hp, err := s.chain.Hyperparameters(s.ctx, netuid)
	if err != nil {
		return 0
	}
	head, err := s.chain.Head(s.ctx)
	if err != nil {
		return 0
	}
	limit, _ := hp.Get("weights_rate_limit")
	if n.LastUpdate == 0 || head.Height-n.LastUpdate >= limit {
		return 0
	}
	// The transaction lands in the next block.
	next := n.LastUpdate + limit
	if next <= head.Height+1 {
		return 0
	}
	return next - head.Height - 1
}

func commitRevealOn(s *session, netuid uint16) (bool, error) {
	hp, err := s.chain.Hyperparameters(s.ctx, netuid)
	if err != nil {
		return false, subnetHint(err, netuid)
	}
	v, _ := hp.Get("commit_reveal_weights_enabled")
	return v != 0, nil
}

func addHomeFlag(cmd *cobra.Command, home *string) {
	cmd.Flags().StringVar(home, "home", defaultHome(), "gotensor home; the reveal scheduler keeps commits in HOME/reveal (env GOTENSOR_HOME)")
}

// commitAndSchedule commits through the reveal scheduler and reports the window. On subtensor (mode auto or
// timelocked) the commit is timelocked and the chain reveals it; on the gotensor node it is a hash commit that
// the scheduler reveals.
func commitAndSchedule(con *console, s *session, w *wallet.Wallet, home string, hot client.Signer, netuid uint16, uids, vals []uint16, version uint64, mode reveal.Mode) (reveal.Commit, error) {
	store, err := revealStore(home)
	if err != nil {
		return reveal.Commit{}, err
	}
	sched := &reveal.Scheduler{Chain: s.chain, Store: store, Mode: mode}
	var c reveal.Commit
	err = con.waiting(fmt.Sprintf("Committing weights on netuid %d", netuid), func() error {
		c, err = sched.Commit(s.ctx, hot, netuid, uids, vals, version, reveal.Meta{Wallet: w.Name, WalletPath: w.Path, HotkeyName: w.HotkeyName})
		return err
	})
	return c, err
}

func commitDoc(c reveal.Commit, scheduled bool, store string) map[string]any {
	d := map[string]any{"netuid": c.Netuid, "hotkey": c.Hotkey, "hash": c.Hash.String(), "uids": c.UIDs, "weights": c.Values,
		"salt": c.Salt, "version_key": c.VersionKey, "commit_block": c.CommitBlock, "first_reveal_block": c.FirstRevealBlock,
		"last_reveal_block": c.LastRevealBlock, "auto_reveal": scheduled, "store": store, "timelocked": c.Timelocked}
	if c.Timelocked {
		// The chain reveals a timelocked commit by itself at the drand round; nothing is scheduled here.
		d["auto_reveal"] = false
		d["reveal_round"] = c.RevealRound
		d["reveal_time"] = nil
		if c.RevealTime != nil {
			d["reveal_time"] = c.RevealTime.UTC().Format(time.RFC3339)
		}
	}
	return d
}

// printTimelocked tells what happens to a timelocked commit.
func printTimelocked(con *console, c reveal.Commit) {
	when := "at its reveal epoch"
	if c.RevealTime != nil {
		when = fmt.Sprintf("around %s (%s from now)", c.RevealTime.UTC().Format("2006-01-02 15:04 UTC"),
			time.Until(*c.RevealTime).Round(time.Minute))
	}
	con.Essentialf("Commit-reveal is on for netuid %d: weights committed timelocked in block %d (commit %s).\n", c.Netuid, c.CommitBlock, c.Hash)
	con.Essentialf("They are encrypted to drand round %d; the chain decrypts and applies them itself %s, from block %d. Nothing more to run.\n",
		c.RevealRound, when, c.FirstRevealBlock)
}

func newWeightsSetCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var in weightsInput
	var home string
	var direct, waitReveal bool
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Set weights; on a commit-reveal subnet it commits (timelocked on finney: the chain reveals) or schedules the reveal",
		Example: "  gotensor weights set --netuid 1 --uids 0,1,2 --weights 0.2,0.3,0.5 --wallet.name my --wallet.hotkey validator -y\n" +
			"  # on a gotensor commit-reveal subnet, reveal later with: gotensor weights reveal-pending (or run gotensor weights daemon);\n" +
			"  # on finney the weights are encrypted to a drand round and the chain reveals them (the reveal round is printed)",
		Args: cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		uids, vals, err := in.values(cmd, con)
		if err != nil {
			return err
		}
		w, hot, s, done, err := openSigningHotkeySession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer done()
		cr, err := commitRevealOn(s, in.netuid)
		if err != nil {
			return err
		}
		version := in.version(cmd, s)
		if err := confirmTx(con, fmt.Sprintf("Do you want to set weights: uids %v weights %v on netuid %d?", uids, vals, in.netuid)); err != nil {
			return err
		}
		if cr && !direct {
			c, err := commitAndSchedule(con, s, w, home, hot, in.netuid, uids, vals, version, reveal.ModeAuto)
			if err != nil {
				return weightsHint(s, in.netuid, hot.PublicKey(), err)
			}
			if c.Timelocked {
				printTimelocked(con, c)
				doc := commitDoc(c, false, filepath.Join(home, "reveal"))
				doc["committed"] = true
				if waitReveal {
					rc, err := waitForReveal(con, s, home, c)
					if err != nil {
						return err
					}
					doc["cleared_block"] = rc.RevealedBlock
					con.Essentialf("The chain no longer holds the commit (block %d): it has revealed it (see its TimelockedWeightsRevealed event).\n", rc.RevealedBlock)
					return con.JSON(map[string]any{"success": true, "msg": "committed timelocked; revealed by the chain", "data": doc})
				}
				return con.JSON(map[string]any{"success": true, "msg": "committed timelocked; the chain reveals", "data": doc})
			}
			con.Essentialf("Commit-reveal is on for netuid %d: weights committed in block %d (hash %s).\n", in.netuid, c.CommitBlock, c.Hash)
			con.Essentialf("The reveal is scheduled for blocks %d-%d: run `gotensor weights reveal-pending` then, or keep `gotensor weights daemon` running.\n",
				c.FirstRevealBlock, c.LastRevealBlock)
			doc := commitDoc(c, true, filepath.Join(home, "reveal"))
			doc["committed"] = true
			if waitReveal {
				rc, err := waitForReveal(con, s, home, c)
				if err != nil {
					return weightsHint(s, in.netuid, hot.PublicKey(), err)
				}
				doc["revealed_block"] = rc.RevealedBlock
				con.Essentialf("Weights revealed on netuid %d in block %d\n", in.netuid, rc.RevealedBlock)
				return con.JSON(map[string]any{"success": true, "msg": "committed and revealed", "data": doc})
			}
			return con.JSON(map[string]any{"success": true, "msg": "committed; reveal scheduled", "data": doc})
		}
		var r *client.Receipt
		if err := con.waiting(fmt.Sprintf("Setting weights on netuid %d", in.netuid), func() error {
			r, err = s.chain.SetWeights(s.ctx, hot, in.netuid, uids, vals, version)
			return err
		}); err != nil {
			return weightsHint(s, in.netuid, hot.PublicKey(), err)
		}
		if strings.HasPrefix(r.Call, "commit_") { // --direct on subtensor with commit-reveal on: SetWeights committed timelocked
			con.Essentialf("Weights committed timelocked on netuid %d in block %d (%s); the chain reveals them\n", in.netuid, r.Block, r.Call)
			return con.JSON(receiptDoc(r, "weights committed timelocked", map[string]any{"netuid": in.netuid, "uids": uids, "weights": vals,
				"version_key": version, "committed": true, "timelocked": true}))
		}
		con.Essentialf("Weights set on netuid %d in block %d\n", in.netuid, r.Block)
		return con.JSON(receiptDoc(r, "weights set", map[string]any{"netuid": in.netuid, "uids": uids, "weights": vals, "version_key": version, "committed": false}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	addWeightsInputFlags(cmd, &in)
	addHomeFlag(cmd, &home)
	cmd.Flags().BoolVar(&waitReveal, "wait-reveal", false, "on a commit-reveal subnet, stay until the weights are revealed (the commit is stored first, so an interrupted wait can be finished by `weights reveal-pending`)")
	cmd.Flags().BoolVar(&direct, "direct", false, "skip the reveal scheduler and call the chain's set weights directly (on a gotensor commit-reveal subnet it fails with CommitRevealEnabled; on subtensor it commits timelocked, as the Python SDK's set_weights)")
	return cmd
}

func newWeightsCommitCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var in weightsInput
	var home, salt string
	var auto bool
	cmd := &cobra.Command{
		Use:   "commit",
		Short: "Commit weights (commit-reveal subnets): a hash on gotensor (--auto-reveal schedules the reveal), timelocked on finney",
		Example: "  gotensor weights commit --netuid 1 --uids 0,1 --weights 0.5,0.5 --auto-reveal -y\n" +
			"  gotensor weights commit --netuid 1 --uids 0,1 --weights 0.5,0.5 --salt 163,241,7 -y",
		Args: cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		uids, vals, err := in.values(cmd, con)
		if err != nil {
			return err
		}
		var saltV []uint16
		if salt != "" {
			if auto {
				return usageErr(fmt.Errorf("--salt and --auto-reveal: the scheduler picks its own salt; give one or the other"))
			}
			if saltV, err = parseU16List(salt, "--salt"); err != nil {
				return err
			}
		}
		w, hot, s, done, err := openSigningHotkeySession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer done()
		// On subtensor a commit-reveal subnet takes timelocked commits only (commit-reveal v3/v4).
		timelocked := false
		if _, ok := s.chain.(*client.Substrate); ok {
			if timelocked, err = commitRevealOn(s, in.netuid); err != nil {
				return err
			}
			if timelocked && saltV != nil {
				return usageErr(fmt.Errorf("--salt: netuid %d takes timelocked commits (the chain reveals them), which have no salt", in.netuid))
			}
		}
		version := in.version(cmd, s)
		if err := confirmTx(con, fmt.Sprintf("Commit weights: uids %v weights %v on netuid %d?", uids, vals, in.netuid)); err != nil {
			return err
		}
		if timelocked {
			c, err := commitAndSchedule(con, s, w, home, hot, in.netuid, uids, vals, version, reveal.ModeTimelocked)
			if err != nil {
				return weightsHint(s, in.netuid, hot.PublicKey(), err)
			}
			printTimelocked(con, c)
			return con.JSON(map[string]any{"success": true, "msg": "committed timelocked; the chain reveals", "data": commitDoc(c, false, filepath.Join(home, "reveal"))})
		}
		if auto {
			c, err := commitAndSchedule(con, s, w, home, hot, in.netuid, uids, vals, version, reveal.ModeHash)
			if err != nil {
				return weightsHint(s, in.netuid, hot.PublicKey(), err)
			}
			con.Essentialf("Weights hash committed to chain in block %d; the reveal is scheduled for blocks %d-%d (stored in %s).\n",
				c.CommitBlock, c.FirstRevealBlock, c.LastRevealBlock, filepath.Join(home, "reveal"))
			con.Printf("Run `gotensor weights reveal-pending` in the window, or keep `gotensor weights daemon` running.\n")
			return con.JSON(map[string]any{"success": true, "msg": "committed; reveal scheduled", "data": commitDoc(c, true, filepath.Join(home, "reveal"))})
		}
		if saltV == nil {
			saltV = reveal.NewSalt()
		}
		c := reveal.Commit{Netuid: in.netuid, Hotkey: hot.PublicKey(), UIDs: uids, Values: vals, Salt: saltV, VersionKey: version}
		c.Hash = client.CommitHash(c.Hotkey, in.netuid, uids, vals, saltV, version)
		var r *client.Receipt
		if err := con.waiting("Committing weights", func() error { r, err = s.chain.CommitWeights(s.ctx, hot, in.netuid, c.Hash); return err }); err != nil {
			return weightsHint(s, in.netuid, hot.PublicKey(), err)
		}
		c.CommitBlock = r.Block
		if pending, err := s.chain.PendingCommits(s.ctx, in.netuid, c.Hotkey); err == nil {
			for _, p := range pending {
				if p.Hash == c.Hash {
					c.FirstRevealBlock, c.LastRevealBlock = p.FirstRevealBlock, p.LastRevealBlock
				}
			}
		}
		con.Essentialf("Weights hash committed to chain in block %d; reveal in blocks %d-%d with:\n", r.Block, c.FirstRevealBlock, c.LastRevealBlock)
		con.Essentialf("  gotensor weights reveal --netuid %d --uids %s --weights %s --salt %s --version-key %d\n", in.netuid,
			joinU16(uids), joinU16(vals), joinU16(saltV), version)
		return con.JSON(map[string]any{"success": true, "msg": "committed", "data": commitDoc(c, false, "")})
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	addWeightsInputFlags(cmd, &in)
	addHomeFlag(cmd, &home)
	cmd.Flags().StringVarP(&salt, "salt", "s", "", "salt, comma separated u16 values (default: random, printed)")
	cmd.Flags().BoolVar(&auto, "auto-reveal", false, "store the commit so `weights reveal-pending` / `weights daemon` reveal it in its window")
	return cmd
}

func joinU16(v []uint16) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(int(x))
	}
	return strings.Join(s, ",")
}

func newWeightsRevealCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var in weightsInput
	var salt string
	cmd := &cobra.Command{
		Use:   "reveal",
		Short: "Reveal committed weights (the exact uids, weights as u16, salt and version key of the commit)",
		Example: "  gotensor weights reveal --netuid 1 --uids 0,1 --weights 65535,65535 --salt 163,241,7 -y\n" +
			"  (the weights are max-normalised again, so the values `weights commit` printed reveal as they are)",
		Args: cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		uids, vals, err := in.values(cmd, con)
		if err != nil {
			return err
		}
		if salt == "" {
			if salt, err = con.promptLine("Salt (comma separated)", "", "--salt"); err != nil {
				return usageErr(err)
			}
		}
		saltV, err := parseU16List(salt, "--salt")
		if err != nil {
			return err
		}
		_, hot, s, done, err := openSigningHotkeySession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer done()
		version := in.version(cmd, s)
		if err := confirmTx(con, "Would you like to reveal weights?"); err != nil {
			return err
		}
		var r *client.Receipt
		if err := con.waiting("Revealing weights", func() error {
			r, err = s.chain.RevealWeights(s.ctx, hot, in.netuid, uids, vals, saltV, version)
			return err
		}); err != nil {
			return weightsHint(s, in.netuid, hot.PublicKey(), err)
		}
		con.Essentialf("Weights revealed on netuid %d in block %d\n", in.netuid, r.Block)
		return con.JSON(receiptDoc(r, "weights revealed", map[string]any{"netuid": in.netuid, "uids": uids, "weights": vals, "salt": saltV, "version_key": version}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	addWeightsInputFlags(cmd, &in)
	cmd.Flags().StringVarP(&salt, "salt", "s", "", "the salt used at commit, comma separated")
	return cmd
}

func newWeightsStatusCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	var home string
	cmd := &cobra.Command{
		Use:     "status",
		Short:   "Pending commits and reveal windows, blocks until the next set is allowed, and why a set would fail now",
		Example: "  gotensor weights status --netuid 1 --wallet.name my --wallet.hotkey validator",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		_, hk, s, err := openHotkeySession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		hp, err := s.chain.Hyperparameters(s.ctx, netuid)
		if err != nil {
			return subnetHint(err, netuid)
		}
		head, err := s.chain.Head(s.ctx)
		if err != nil {
			return err
		}
		cr, _ := hp.Get("commit_reveal_weights_enabled")
		var problems []string
		uid, registered, err := s.chain.UID(s.ctx, netuid, hk)
		if err != nil {
			return err
		}
		wait := uint64(0)
		var lastUpdate uint64
		var permit bool
		if !registered {
			problems = append(problems, "HotKeyNotRegisteredInSubNet: the hotkey is not registered on this subnet")
		} else {
			n, err := s.chain.Neuron(s.ctx, netuid, uid)
			if err != nil {
				return err
			}
			lastUpdate, permit = n.LastUpdate, n.ValidatorPermit
			if !permit {
				problems = append(problems, "NeuronNoValidatorPermit: no validator permit (only a self-weight would pass)")
			}
			if node, ok := s.chain.(*client.Node); !ok {
				// The substrate backend reads no stake weight: the threshold check is the chain's.
			} else if sw, _, err := node.StakeWeight(s.ctx, hk, netuid); err == nil {
				if th, _ := s.chain.Globals(s.ctx); th != nil {
					if t, _ := th.Get("stake_threshold"); uint64(sw) < t {
						problems = append(problems, fmt.Sprintf("NotEnoughStakeToSetWeights: stake weight %d below stake_threshold %d", sw, t))
					}
				}
			}
			if wait = blocksUntilWeightsAllowed(s, netuid, hk); wait > 0 {
				name := "SettingWeightsTooFast"
				if cr != 0 {
					name = "CommittingWeightsTooFast"
				}
				problems = append(problems, fmt.Sprintf("%s: next set allowed in %d blocks", name, wait))
			}
		}
		if cr != 0 {
			problems = append(problems, "CommitRevealEnabled: `weights set` commits and schedules the reveal instead of setting directly")
		}
		onChain, err := s.chain.PendingCommits(s.ctx, netuid, hk)
		if err != nil {
			return err
		}
		var local []reveal.Commit
		if store, err := revealStore(home); err == nil {
			all, _ := store.List()
			for _, c := range all {
				if c.Netuid == netuid && c.Hotkey == hk {
					local = append(local, c)
				}
			}
		}
		if local == nil {
			local = []reveal.Commit{}
		}
		type pend struct {
			client.WeightCommit
			State     string `json:"state"`
			Scheduled bool   `json:"auto_reveal"`
		}
		pending := []pend{}
		for _, c := range onChain {
			st := "waiting"
			switch {
			case head.Height > c.LastRevealBlock:
				st = "expired"
			case head.Height >= c.FirstRevealBlock:
				st = "revealable"
			}
			sched := false
			for _, l := range local {
				if l.Hash == c.Hash && l.Status == reveal.StatusPending {
					sched = true
				}
			}
			pending = append(pending, pend{c, st, sched})
		}
		if problems == nil {
			problems = []string{}
		}
		if opts.JSON {
			doc := map[string]any{"netuid": netuid, "hotkey": hk, "block": head.Height, "registered": registered,
				"validator_permit": permit, "last_update": lastUpdate, "commit_reveal_enabled": cr != 0,
				"blocks_until_next_set": wait, "can_set_now": len(problems) == 0 || (len(problems) == 1 && cr != 0),
				"problems": problems, "pending_commits": pending, "scheduled_reveals": local}
			if registered {
				doc["uid"] = uid
			}
			return con.JSON(doc)
		}
		con.Printf("Hotkey %s on netuid %d (block %d)\n", hk, netuid, head.Height)
		if registered {
			con.Printf("UID %d, validator permit %v, last update block %d, commit-reveal %v\n", uid, permit, lastUpdate, cr != 0)
		}
		if wait == 0 {
			con.Essentialf("Next weights set: allowed now\n")
		} else {
			con.Essentialf("Next weights set: in %d blocks\n", wait)
		}
		if len(problems) > 0 {
			con.Essentialf("A set now would fail or be diverted because:\n")
			for _, p := range problems {
				con.Essentialf("  - %s\n", p)
			}
		}
		if len(pending) > 0 {
			t := &table{Title: "\nPending commits", Cols: []column{{Name: "HASH"}, {Name: "COMMIT", Right: true}, {Name: "REVEAL FROM", Right: true},
				{Name: "REVEAL TO", Right: true}, {Name: "STATE"}, {Name: "AUTO-REVEAL"}}}
			for _, p := range pending {
				t.add(shortAddr(p.Hash.String()), strconv.FormatUint(p.CommitBlock, 10), strconv.FormatUint(p.FirstRevealBlock, 10),
					strconv.FormatUint(p.LastRevealBlock, 10), p.State, strconv.FormatBool(p.Scheduled))
			}
			t.render(con.stdout, terminalWidth(con.stdout))
		} else {
			con.Printf("No pending commits.\n")
		}
		return nil
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	addHomeFlag(cmd, &home)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	return cmd
}

// cliSigner opens the wallet a stored commit names, with the console's password prompt.
func cliSigner(con *console) reveal.SignerFunc {
	return func(c reveal.Commit) (client.Signer, error) {
		w, err := wallet.New(c.Wallet, c.HotkeyName, c.WalletPath, append([]wallet.Option{wallet.WithPrompt(con.passwordPrompt)}, extraWalletOptions...)...)
		if err != nil {
			return nil, err
		}
		kp, err := w.Hotkey()
		if err != nil {
			return nil, fmt.Errorf("hotkey %q of wallet %q: %w", c.HotkeyName, c.Wallet, err)
		}
		if kp.PublicKey() != c.Hotkey {
			return nil, fmt.Errorf("hotkey %q of wallet %q is no longer %s", c.HotkeyName, c.Wallet, c.Hotkey)
		}
		return kp, nil
	}
}

type resultDoc struct {
	Action        string `json:"action"`
	Netuid        uint16 `json:"netuid"`
	Hotkey        string `json:"hotkey"`
	Hash          string `json:"hash"`
	FirstReveal   uint64 `json:"first_reveal_block"`
	LastReveal    uint64 `json:"last_reveal_block"`
	RevealedBlock uint64 `json:"revealed_block,omitempty"`
	Error         string `json:"error,omitempty"`
	ErrorName     string `json:"error_name,omitempty"`
	Timelocked    bool   `json:"timelocked,omitempty"`
	RevealRound   uint64 `json:"reveal_round,omitempty"`
}

func toResultDoc(r reveal.Result) resultDoc {
	d := resultDoc{Action: r.Action, Netuid: r.Commit.Netuid, Hotkey: r.Commit.Hotkey.SS58(), Hash: r.Commit.Hash.String(),
		FirstReveal: r.Commit.FirstRevealBlock, LastReveal: r.Commit.LastRevealBlock, RevealedBlock: r.Commit.RevealedBlock,
		Timelocked: r.Commit.Timelocked, RevealRound: r.Commit.RevealRound}
	if r.Err != nil {
		d.Error, d.ErrorName = r.Err.Error(), client.ErrorName(r.Err)
	}
	return d
}

func printResult(con *console, r reveal.Result) {
	c := r.Commit
	switch r.Action {
	case "revealed":
		con.Essentialf("revealed  netuid %d hotkey %s commit %s in block %d\n", c.Netuid, shortAddr(c.Hotkey.SS58()), shortAddr(c.Hash.String()), c.RevealedBlock)
	case "waiting":
		if c.Timelocked {
			con.Essentialf("waiting   netuid %d hotkey %s commit %s: timelocked to drand round %d, the chain reveals it from block %d\n", c.Netuid,
				shortAddr(c.Hotkey.SS58()), shortAddr(c.Hash.String()), c.RevealRound, c.FirstRevealBlock)
			return
		}
		con.Essentialf("waiting   netuid %d hotkey %s commit %s: window %d-%d\n", c.Netuid, shortAddr(c.Hotkey.SS58()), shortAddr(c.Hash.String()), c.FirstRevealBlock, c.LastRevealBlock)
	case "cleared":
		con.Essentialf("cleared   netuid %d hotkey %s commit %s: the chain has taken the timelocked commit (round %d) in by block %d\n", c.Netuid,
			shortAddr(c.Hotkey.SS58()), shortAddr(c.Hash.String()), c.RevealRound, c.RevealedBlock)
	default:
		msg := ""
		if r.Err != nil {
			msg = ": " + r.Err.Error()
		} else if c.Error != "" {
			msg = ": " + c.Error
		}
		con.Essentialf("%-9s netuid %d hotkey %s commit %s%s\n", r.Action, c.Netuid, shortAddr(c.Hotkey.SS58()), shortAddr(c.Hash.String()), msg)
	}
}

func newWeightsRevealPendingCommand() *cobra.Command {
	var opts outputOptions
	var co chainOptions
	var home string
	var wait bool
	cmd := &cobra.Command{
		Use:   "reveal-pending",
		Short: "Reveal every stored commit whose reveal window is open (once); --wait waits for the windows",
		Example: "  gotensor weights reveal-pending\n" +
			"  gotensor weights reveal-pending --wait --json-output   # in a cron job or after a restart",
		Args: cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		store, err := revealStore(home)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		sched := &reveal.Scheduler{Chain: s.chain, Store: store, Signer: cliSigner(con)}
		var results []reveal.Result
		announced := false
		for {
			results, err = sched.RevealDue(s.ctx)
			if err != nil {
				return err
			}
			waiting := 0
			for _, r := range results {
				if r.Action == "waiting" {
					waiting++
				}
			}
			if !wait || waiting == 0 {
				break
			}
			head, err := s.chain.Head(s.ctx)
			if err != nil {
				return err
			}
			if !announced {
				announced = true
				if !con.stderrIsTerminal() && !opts.Quiet {
					fmt.Fprintf(con.stderr, "Waiting for %d reveal window(s) from block %d ...\n", waiting, head.Height)
				}
			}
			wait1 := func() error { _, err := s.chain.WaitForBlock(s.ctx, head.Height+1); return err }
			if con.stderrIsTerminal() {
				err = con.waiting(fmt.Sprintf("Waiting for %d reveal window(s) (block %d)", waiting, head.Height), wait1)
			} else {
				err = wait1()
			}
			if err != nil {
				return err
			}
		}
		failed := 0
		docs := []resultDoc{}
		for _, r := range results {
			printResult(con, r)
			docs = append(docs, toResultDoc(r))
			if r.Action == "failed" {
				failed++
			}
		}
		if len(results) == 0 {
			con.Essentialf("No pending commits.\n")
			if opts.Verbose {
				con.Printf("(store: %s)\n", store.Path())
			}
		}
		if opts.JSON {
			if err := con.JSON(map[string]any{"success": failed == 0, "store": store.Path(), "results": docs}); err != nil {
				return err
			}
		}
		if failed > 0 {
			fmt.Fprintf(con.stderr, "Error: %d reveal(s) failed\n", failed)
			return &ExitError{Code: exitChainRefuse}
		}
		return nil
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	addHomeFlag(cmd, &home)
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until every pending commit's window opens and reveal it")
	return cmd
}

func newWeightsDaemonCommand() *cobra.Command {
	var opts outputOptions
	var co chainOptions
	var home string
	cmd := &cobra.Command{
		Use:     "daemon",
		Short:   "Run the reveal scheduler: reveal each stored commit in its window, on every block, until stopped",
		Example: "  gotensor weights daemon --network ws://127.0.0.1:9944   # e.g. as a systemd service",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		store, err := revealStore(home)
		if err != nil {
			return err
		}
		endpoint, label, err := co.resolveNetwork()
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, sigterm)
		defer stop()
		dctx, cancel := context.WithTimeout(ctx, co.Timeout)
		c, err := client.Dial(dctx, endpoint)
		cancel()
		if err != nil {
			return fmt.Errorf("connect to %s: %w", label, err)
		}
		defer c.Close()
		con.Essentialf("Reveal scheduler running on %s; commits in %s. Ctrl-C stops it.\n", label, store.Path())
		sched := &reveal.Scheduler{Chain: c, Store: store, Signer: cliSigner(con)}
		enc := opts.JSON
		return sched.Run(ctx, func(r reveal.Result) {
			if enc {
				// One JSON document per line (a stream), since the daemon never ends on its own.
				_ = con.JSON(toResultDoc(r))
				return
			}
			printResult(con, r)
		})
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	addHomeFlag(cmd, &home)
	return cmd
}

// waitForReveal runs the reveal scheduler until the commit with hash is revealed (or its window passes),
// showing a spinner: the foreground behaviour of btcli and the Python SDK, but restart-safe, because the
// commit is stored first.
func waitForReveal(con *console, s *session, home string, c reveal.Commit) (reveal.Commit, error) {
	store, err := revealStore(home)
	if err != nil {
		return c, err
	}
	sched := &reveal.Scheduler{Chain: s.chain, Store: store, Signer: cliSigner(con)}
	var out reveal.Commit
	err = con.waiting(fmt.Sprintf("Waiting for the reveal window (blocks %d-%d)", c.FirstRevealBlock, c.LastRevealBlock), func() error {
		for {
			rs, err := sched.RevealDue(s.ctx)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.Commit.Hash != c.Hash {
					continue
				}
				switch r.Action {
				case "revealed", "cleared":
					out = r.Commit
					return nil
				case "expired", "failed":
					if r.Err != nil {
						return r.Err
					}
					return fmt.Errorf("the commit %s %s: %s", c.Hash, r.Action, r.Commit.Error)
				}
			}
			head, err := s.chain.Head(s.ctx)
			if err != nil {
				return err
			}
			if _, err := s.chain.WaitForBlock(s.ctx, head.Height+1); err != nil {
				return err
			}
		}
	})
	return out, err
}
