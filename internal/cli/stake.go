package cli

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/wallet"
)

func init() {
	commandGroups = append(commandGroups, addStakeCommands, addSudoCommands, addAxonCommands)
}

func addStakeCommands(root *cobra.Command) {
	g := findOrAddGroup(root, "stake", "Stake: add, remove, list", "st")
	g.AddCommand(newStakeAddCommand(), newStakeRemoveCommand(), newStakeListCommand("list", []string{"show"}))
	scriptableFlagErrors(g)
}

// stakeTarget resolves the hotkey to stake to: --hotkey-ss58 / --include-hotkeys (address or hotkey name),
// else the wallet's hotkey.
func stakeTarget(con *console, wo *walletOptions, hotkeyArg string) (*wallet.Wallet, client.AccountID, error) {
	w, err := wo.open(con)
	if err != nil {
		return nil, client.AccountID{}, err
	}
	if hotkeyArg != "" {
		hk, err := addressOrHotkey(w, hotkeyArg, "--hotkey-ss58")
		return w, hk, err
	}
	hk, err := hotkeypub(w)
	return w, hk, err
}

func newStakeAddCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	var amount, hotkeyArg string
	var all bool
	cmd := &cobra.Command{
		Use:     "add",
		Short:   "Stake TAO from the coldkey to a hotkey on a subnet",
		Example: "  gotensor stake add --netuid 1 --amount 100 --wallet.name my --wallet.hotkey validator -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		amt, err := amountValue(con, &amount, all, "Amount to stake (TAO)")
		if err != nil {
			return err
		}
		w, hk, ck, s, err := openStakeSession(cmd, con, &wo, &co, hotkeyArg)
		if err != nil {
			return err
		}
		defer s.Close()
		bal, err := s.chain.Balance(s.ctx, ck)
		if err != nil {
			return err
		}
		if all {
			amt = bal
		}
		before, _ := s.chain.Stake(s.ctx, hk, ck, netuid)
		t := &table{Title: fmt.Sprintf("Staking to: Wallet %s, Coldkey %s, Network %s", w.Name, shortAddr(ck.SS58()), s.network),
			Cols: []column{{Name: "Netuid", Right: true}, {Name: "Hotkey"}, {Name: "Amount (τ)", Right: true}, {Name: "Est. Received", Right: true}}}
		t.add(strconv.Itoa(int(netuid)), shortAddr(hk.SS58()), amt.String(), amt.String())
		if !opts.JSON && !opts.Quiet {
			t.render(con.stdout, terminalWidth(con.stdout))
		}
		if err := confirmTx(con, "Would you like to continue?"); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var r *client.Receipt
		if err := con.waiting(fmt.Sprintf("Staking on netuid %d", netuid), func() error { r, err = s.chain.AddStake(s.ctx, cold, hk, netuid, amt); return err }); err != nil {
			return err
		}
		after, _ := s.chain.Stake(s.ctx, hk, ck, netuid)
		balAfter, _ := s.chain.Balance(s.ctx, ck)
		con.Essentialf("Staked %s to %s on netuid %d (block %d)\n", amt, hk, netuid, r.Block)
		con.Printf("Balance: %s → %s\nStake:   %s → %s\n", bal, balAfter, before, after)
		return con.JSON(receiptDoc(r, "staked", map[string]any{"netuid": netuid, "hotkey": hk, "amount": amountJSON(amt),
			"stake_before": amountJSON(before), "stake_after": amountJSON(after), "balance_before": amountJSON(bal), "balance_after": amountJSON(balAfter)}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	cmd.Flags().StringVarP(&amount, "amount", "a", "", "TAO to stake, e.g. 1.5")
	cmd.Flags().BoolVar(&all, "all-tokens", false, "stake the whole free balance")
	cmd.Flags().StringVar(&hotkeyArg, "hotkey-ss58", "", "stake to this hotkey (SS58 or a hotkey name of the wallet)")
	addIgnoredStakeFlags(cmd)
	return cmd
}

// addIgnoredStakeFlags accepts btcli's price-protection flags: the stable pool of this chain has no
// slippage, so they change nothing.
func addIgnoredStakeFlags(cmd *cobra.Command) {
	cmd.Flags().Float64("tolerance", 0, "accepted for btcli compatibility (the stable pool has no slippage)")
	cmd.Flags().Bool("safe-staking", false, "accepted for btcli compatibility")
	cmd.Flags().Bool("unsafe", false, "accepted for btcli compatibility")
	cmd.Flags().Bool("allow-partial-stake", false, "accepted for btcli compatibility")
	cmd.Flags().Bool("no-mev-protection", false, "accepted for btcli compatibility")
}

func newStakeRemoveCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	var amount, hotkeyArg string
	var all bool
	cmd := &cobra.Command{
		Use:     "remove",
		Short:   "Unstake from a hotkey on a subnet back to the coldkey",
		Example: "  gotensor stake remove --netuid 1 --amount 10 --wallet.name my --wallet.hotkey validator -y\n  gotensor stake remove --netuid 1 --all -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		amt, err := amountValue(con, &amount, all, "Amount to unstake (alpha, in TAO units)")
		if err != nil {
			return err
		}
		w, hk, ck, s, err := openStakeSession(cmd, con, &wo, &co, hotkeyArg)
		if err != nil {
			return err
		}
		defer s.Close()
		before, err := s.chain.Stake(s.ctx, hk, ck, netuid)
		if err != nil {
			return subnetHint(err, netuid)
		}
		if all {
			amt = before
		}
		con.Printf("Unstake %s from %s on netuid %d (current stake %s)\n", amt, hk, netuid, before)
		if err := confirmTx(con, "Would you like to continue?"); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		bal, _ := s.chain.Balance(s.ctx, ck)
		var r *client.Receipt
		if err := con.waiting(fmt.Sprintf("Unstaking from netuid %d", netuid), func() error { r, err = s.chain.RemoveStake(s.ctx, cold, hk, netuid, amt); return err }); err != nil {
			return err
		}
		after, _ := s.chain.Stake(s.ctx, hk, ck, netuid)
		balAfter, _ := s.chain.Balance(s.ctx, ck)
		con.Essentialf("Unstaked %s from %s on netuid %d (block %d)\n", amt, hk, netuid, r.Block)
		con.Printf("Balance: %s → %s\nStake:   %s → %s\n", bal, balAfter, before, after)
		return con.JSON(receiptDoc(r, "unstaked", map[string]any{"netuid": netuid, "hotkey": hk, "amount": amountJSON(amt),
			"stake_before": amountJSON(before), "stake_after": amountJSON(after), "balance_before": amountJSON(bal), "balance_after": amountJSON(balAfter)}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	cmd.Flags().StringVarP(&amount, "amount", "a", "", "alpha to unstake (in TAO units, 1:1 on this chain's stable pools)")
	cmd.Flags().BoolVar(&all, "all", false, "unstake everything from this hotkey on this subnet")
	cmd.Flags().StringVar(&hotkeyArg, "hotkey-ss58", "", "unstake from this hotkey (SS58 or a hotkey name of the wallet)")
	addIgnoredStakeFlags(cmd)
	return cmd
}

func newStakeListCommand(use string, aliases []string) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var so sortOptions
	var ss58 string
	cmd := &cobra.Command{
		Use:     use,
		Aliases: aliases,
		Short:   "List the coldkey's stake positions (hotkey, netuid, stake, uid, emission)",
		Example: "  gotensor stake list --wallet.name my\n  gotensor stake list --ss58 5Grwva... --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		var ck client.AccountID
		if ss58 != "" {
			if ck, err = parseAccountFlag(ss58, "--ss58"); err != nil {
				return err
			}
		} else {
			w, err := wo.open(con)
			if err != nil {
				return err
			}
			if ck, err = coldkeypub(w); err != nil {
				return err
			}
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		stakes, err := s.chain.StakesOf(s.ctx, ck)
		if err != nil {
			return err
		}
		free, err := s.chain.Balance(s.ctx, ck)
		if err != nil {
			return err
		}
		sort.Slice(stakes, func(i, j int) bool {
			if stakes[i].Netuid != stakes[j].Netuid {
				return stakes[i].Netuid < stakes[j].Netuid
			}
			return stakes[i].Hotkey.SS58() < stakes[j].Hotkey.SS58()
		})
		type pos struct {
			Netuid     uint16  `json:"netuid"`
			Hotkey     string  `json:"hotkey"`
			Stake      taoJSON `json:"stake"`
			Registered bool    `json:"registered"`
			UID        *uint16 `json:"uid"`
			Emission   uint64  `json:"emission"`
		}
		rows := []pos{}
		var total client.Balance
		t := &table{Title: fmt.Sprintf("Coldkey %s\nNetwork: %s", ck, s.network), Cols: []column{{Name: "Netuid", Right: true}, {Name: "Hotkey"},
			{Name: "Stake", Right: true}, {Name: "Registered"}, {Name: "UID", Right: true, Drop: 1}, {Name: "Emission (ρ/block)", Right: true, Drop: 2}}}
		for _, st := range stakes {
			p := pos{Netuid: st.Netuid, Hotkey: st.Hotkey.SS58(), Stake: amountJSON(st.Stake)}
			if uid, ok, err := s.chain.UID(s.ctx, st.Netuid, st.Hotkey); err == nil && ok {
				p.Registered, p.UID = true, &uid
				if n, err := s.chain.Neuron(s.ctx, st.Netuid, uid); err == nil {
					p.Emission = uint64(n.Emission)
				}
			}
			total += st.Stake
			rows = append(rows, p)
			uid := "-"
			if p.UID != nil {
				uid = strconv.Itoa(int(*p.UID))
			}
			hk := shortAddr(p.Hotkey)
			if opts.Verbose {
				hk = p.Hotkey
			}
			t.add(strconv.Itoa(int(p.Netuid)), hk, st.Stake.String(), strconv.FormatBool(p.Registered), uid, strconv.FormatUint(p.Emission, 10))
		}
		if opts.JSON {
			return con.JSON(map[string]any{"coldkey": ck, "network": s.network, "free_balance": amountJSON(free), "total_stake": amountJSON(total),
				"total_value": amountJSON(total + free), "stakes": rows})
		}
		if len(rows) == 0 {
			con.Essentialf("No stake for coldkey %s. Add some with `gotensor stake add`.\n", ck)
		} else {
			if err := t.sortRows(so); err != nil {
				return err
			}
			t.render(con.stdout, terminalWidth(con.stdout))
		}
		con.Essentialf("Total stake: %s\nTotal value (including free balance %s): %s\n", total, free, total+free)
		return nil
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	addSortFlags(cmd, &so)
	cmd.Flags().StringVarP(&ss58, "ss58", "k", "", "a coldkey address instead of the wallet")
	return cmd
}

func addSudoCommands(root *cobra.Command) {
	g := findOrAddGroup(root, "sudo", "Subnet owner and governance: hyperparameters, delegate take", "su")
	g.AddCommand(newSudoSetCommand(), newSubnetsHyperparametersCommand("get"), newSudoSetTakeCommand(), newSudoGetTakeCommand())
	snakeTwins(g)
	scriptableFlagErrors(g)
}

// freezeHint explains AdminActionProhibitedDuringWeightsWindow and rate limits with the number of blocks to wait.
func freezeHint(s *session, netuid uint16, err error) error {
	switch client.ErrorName(err) {
	case "AdminActionProhibitedDuringWeightsWindow":
		if info, ierr := s.chain.SubnetInfo(s.ctx, netuid); ierr == nil {
			return withHint(err, fmt.Sprintf("the subnet is in its admin freeze window before the epoch: try again in %d blocks", info.BlocksUntilNextEpoch+1))
		}
	case "TxRateLimitExceeded":
		return withHint(err, "the owner may change this parameter only once per owner_hyperparam_rate_limit tempos: try again later")
	}
	return err
}

func newSudoSetCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	var param, value string
	var asSudo, global bool
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Set a subnet hyperparameter (as the subnet owner, or with --sudo as the chain's sudo key)",
		Example: "  gotensor sudo set --netuid 1 --param commit_reveal_weights_enabled --value false --wallet.name owner -y\n" +
			"  gotensor sudo set --netuid 1 --param tempo --value 20 --sudo --wallet.name alice -y",
		Args: cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		if !global {
			if err := netuidValue(cmd, con, &netuid); err != nil {
				return err
			}
		}
		if param == "" {
			if param, err = con.promptLine("Hyperparameter", "", "--param"); err != nil {
				return usageErr(err)
			}
		}
		if value == "" {
			if value, err = con.promptLine("Value", "", "--value"); err != nil {
				return usageErr(err)
			}
		}
		if alias, ok := btcliParamNames[param]; ok {
			param = alias
		}
		v, err := parseParamValue(param, value)
		if err != nil {
			return err
		}
		w, s, err := openWalletSession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		where := fmt.Sprintf("on subnet %d", netuid)
		if global {
			where = "chain-wide"
		}
		if err := confirmTx(con, fmt.Sprintf("Set %s = %d %s?", param, v, where)); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var r *client.Receipt
		err = con.waiting("Setting "+param, func() error {
			if global {
				r, err = s.chain.SudoSetGlobal(s.ctx, cold, param, v)
				return err
			}
			if asSudo {
				r, err = s.chain.SudoSetHyperparameter(s.ctx, cold, netuid, param, v)
			} else {
				r, err = s.chain.SetHyperparameter(s.ctx, cold, netuid, param, v)
			}
			return err
		})
		if err != nil {
			return freezeHint(s, netuid, err)
		}
		con.Essentialf("Set %s = %d %s (block %d)\n", param, v, where, r.Block)
		return con.JSON(receiptDoc(r, "hyperparameter set", map[string]any{"netuid": netuid, "hyperparameter": param, "value": v}))
	})
	addWalletFlags(cmd, &wo, false)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	cmd.Flags().StringVar(&param, "param", "", "hyperparameter name (gotensor's or btcli's, e.g. max_weights_limit)")
	cmd.Flags().StringVar(&value, "value", "", "value: an integer, true/false, or TAO for burns (e.g. 0.5)")
	cmd.Flags().BoolVar(&asSudo, "sudo", false, "sign as the chain's sudo account (root path)")
	cmd.Flags().BoolVar(&global, "global", false, "set a chain-wide parameter (sudo only; --netuid is ignored), e.g. admin_freeze_window")
	return cmd
}

// btcliParamNames maps btcli's hyperparameter names to this chain's.
var btcliParamNames = map[string]string{
	"max_weights_limit":                "max_weight_limit",
	"target_regs_per_interval":         "target_registrations_per_interval",
	"max_regs_per_block":               "max_registrations_per_block",
	"bonds_moving_avg":                 "bonds_moving_average",
	"max_validators":                   "max_allowed_validators",
	"weights_version":                  "weights_version_key",
	"network_pow_registration_allowed": "pow_registration_allowed",
	"bonds_reset_enabled":              "bonds_reset",
	"min_allowed_uids":                 "min_allowed_uids",
}

func parseParamValue(param, value string) (uint64, error) {
	switch strings.ToLower(value) {
	case "true", "yes", "on":
		return 1, nil
	case "false", "no", "off":
		return 0, nil
	}
	if taoParams[param] {
		b, err := parseTAO(value, "--value")
		return uint64(b), err
	}
	v, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return 0, usageErr(fmt.Errorf("--value %q: an integer or true/false", value))
	}
	return v, nil
}

func newSudoSetTakeCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var take float64
	cmd := &cobra.Command{
		Use: "set-take",

		Short:   "Set the hotkey's delegate take (a fraction, at most 0.18)",
		Example: "  gotensor sudo set-take --take 0.09 --wallet.name my --wallet.hotkey validator -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		if !cmd.Flags().Changed("take") {
			s, err := con.promptLine("Take (0 to 0.18)", "", "--take")
			if err != nil {
				return usageErr(err)
			}
			if take, err = strconv.ParseFloat(s, 64); err != nil {
				return usageErr(fmt.Errorf("--take %q: %v", s, err))
			}
		}
		if take < 0 || take > 1 {
			return usageErr(fmt.Errorf("--take %v: a fraction between 0 and 0.18", take))
		}
		u := uint16(take*65535 + 0.5)
		w, hk, s, err := openHotkeySession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		cur, err := delegateTake(s, hk)
		if err != nil {
			return err
		}
		if err := confirmTx(con, fmt.Sprintf("Set the take of %s from %.4f to %.4f?", hk, u16FracF(cur), u16FracF(u))); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var r *client.Receipt
		err = con.waiting("Setting take", func() error {
			if u < cur {
				r, err = s.chain.DecreaseTake(s.ctx, cold, hk, u)
			} else {
				r, err = s.chain.IncreaseTake(s.ctx, cold, hk, u)
			}
			return err
		})
		if err != nil {
			return err
		}
		con.Essentialf("Take of %s set to %.4f (block %d)\n", hk, u16FracF(u), r.Block)
		return con.JSON(receiptDoc(r, "take set", map[string]any{"hotkey": hk, "take": u16FracF(u), "take_u16": u}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Float64Var(&take, "take", 0, "the take as a fraction (0.18 = 18%)")
	return cmd
}

func delegateTake(s *session, hk client.AccountID) (uint16, error) {
	var take uint16
	if sub, ok := s.chain.(*client.Substrate); ok {
		return sub.DelegateTake(s.ctx, hk)
	}
	node, ok := s.chain.(*client.Node)
	if !ok {
		return 0, &client.UnsupportedError{Op: "delegate take", Backend: fmt.Sprintf("%T", s.chain)}
	}
	if _, err := node.Query(s.ctx, "delegate_take/"+hk.Hex(), &take); err != nil {
		return 0, err
	}
	return take, nil
}

func newSudoGetTakeCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	cmd := &cobra.Command{
		Use: "get-take",

		Short:   "Show the hotkey's delegate take",
		Example: "  gotensor sudo get-take --wallet.name my --wallet.hotkey validator",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, _, hk, s, err := openHotkeyCommand(cmd, &opts, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		take, err := delegateTake(s, hk)
		if err != nil {
			return err
		}
		con.Essentialf("Take of %s: %.4f (%d/65535)\n", hk, u16FracF(take), take)
		return con.JSON(map[string]any{"hotkey": hk, "take": u16FracF(take), "take_u16": take})
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	return cmd
}

func addAxonCommands(root *cobra.Command) {
	g := findOrAddGroup(root, "axon", "Publish (serve_axon) or reset the hotkey's axon endpoint")
	g.AddCommand(newAxonCommand(false), newAxonCommand(true))
	scriptableFlagErrors(g)
}

func newAxonCommand(reset bool) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	var ip string
	var port uint16
	var ipType, protocol uint8
	use, short, example := "set", "Publish the hotkey's axon IP and port on a subnet (serve_axon)",
		"  gotensor axon set --netuid 1 --ip 203.0.113.7 --port 8091 --wallet.name my --hotkey miner -y"
	if reset {
		use, short, example = "reset", "Reset the hotkey's axon on a subnet to 0.0.0.0 (serve_axon)",
			"  gotensor axon reset --netuid 1 --wallet.name my --hotkey miner -y"
	}
	cmd := &cobra.Command{Use: use, Short: short, Example: example, Args: cobra.NoArgs}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		ax := client.Axon{Protocol: protocol, Port: 1}
		if reset {
			ax.IP = netip.IPv4Unspecified()
			if ipType == 6 {
				ax.IP = netip.IPv6Unspecified()
			}
		} else {
			if ip == "" {
				if ip, err = con.promptLine("IP address", "", "--ip"); err != nil {
					return usageErr(err)
				}
			}
			if ax.IP, err = netip.ParseAddr(ip); err != nil {
				return usageErr(fmt.Errorf("--ip %q: %v", ip, err))
			}
			if port == 0 {
				return usageErr(fmt.Errorf("--port is required (1-65535)"))
			}
			ax.Port = port
		}
		_, hot, s, done, err := openSigningHotkeySession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer done()
		if err := confirmTx(con, fmt.Sprintf("Serve axon %s:%d for %s on netuid %d?", ax.IP, ax.Port, hot.SS58(), netuid)); err != nil {
			return err
		}
		var r *client.Receipt
		if err := con.waiting("Serving axon", func() error { r, err = s.chain.ServeAxon(s.ctx, hot, netuid, ax); return err }); err != nil {
			return err
		}
		con.Essentialf("Axon of %s on netuid %d is now %s (block %d)\n", hot.SS58(), netuid, netip.AddrPortFrom(ax.IP, ax.Port), r.Block)
		return con.JSON(receiptDoc(r, "axon served", map[string]any{"netuid": netuid, "hotkey": hot.SS58(), "ip": ax.IP.String(), "port": ax.Port}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	cmd.Flags().Uint8Var(&ipType, "ip-type", 4, "4 or 6")
	cmd.Flags().Uint8Var(&protocol, "protocol", 4, "axon protocol")
	if !reset {
		cmd.Flags().StringVar(&ip, "ip", "", "public IP address")
		cmd.Flags().Uint16Var(&port, "port", 0, "port")
	}
	return cmd
}

// amountValue parses --amount as TAO, prompting for it first when it is empty; with all set it
// reads nothing and returns zero (the caller fills in the whole amount).
func amountValue(con *console, amount *string, all bool, prompt string) (client.Balance, error) {
	var amt client.Balance
	if all {
		return amt, nil
	}
	if *amount == "" {
		v, err := con.promptLine(prompt, "", "--amount")
		*amount = v
		if err != nil {
			return amt, usageErr(err)
		}
	}
	return parseTAO(*amount, "--amount")
}

// openStakeSession resolves the stake target (stakeTarget), the wallet's coldkey, then connects to
// the chain. The caller closes the session.
func openStakeSession(cmd *cobra.Command, con *console, wo *walletOptions, co *chainOptions, hotkeyArg string) (*wallet.Wallet, client.AccountID, client.AccountID, *session, error) {
	w, hk, err := stakeTarget(con, wo, hotkeyArg)
	if err != nil {
		return nil, client.AccountID{}, client.AccountID{}, nil, err
	}
	ck, err := coldkeypub(w)
	if err != nil {
		return nil, client.AccountID{}, client.AccountID{}, nil, err
	}
	s, err := co.connect(cmd)
	if err != nil {
		return nil, client.AccountID{}, client.AccountID{}, nil, err
	}
	return w, hk, ck, s, nil
}
