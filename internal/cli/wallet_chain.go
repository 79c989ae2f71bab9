package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/pow"
	"github.com/gotensor/gotensor/sdk/pow/powbar"
	"github.com/gotensor/gotensor/sdk/wallet"
)

func init() { commandGroups = append(commandGroups, addWalletChainCommands) }

func addWalletChainCommands(root *cobra.Command) {
	w := findOrAddGroup(root, "wallet", "Wallets", "w", "wallets")
	cmds := []*cobra.Command{
		newWalletOverviewCommand("overview", false),
		newWalletBalanceCommand(),
		newWalletTransferCommand(),
		newWalletFaucetCommand(),
		newWalletInspectCommand(),
		newWalletAssociateCommand(),
	}
	w.AddCommand(cmds...)
	snakeTwins(w)
	scriptableFlagErrors(cmds...)
}

// parseNetuids reads a comma list of netuids ("1,2,3").
func parseNetuids(s string) ([]uint16, error) {
	if s = strings.TrimSpace(s); s == "" || s == "all" {
		return nil, nil
	}
	var out []uint16
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(p), 10, 16)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--netuids: %q is not a netuid", p))
		}
		out = append(out, uint16(n))
	}
	return out, nil
}

// overviewRow is one registered hotkey of the wallet on one subnet (JSON keys as `subnets show`).
type overviewRow struct {
	Coldkey         string  `json:"coldkey_name"`
	ColdkeySS58     string  `json:"coldkey"`
	Hotkey          string  `json:"hotkey_name"`
	HotkeySS58      string  `json:"hotkey"`
	Netuid          uint16  `json:"netuid"`
	UID             uint16  `json:"uid"`
	Active          bool    `json:"active"`
	Stake           taoJSON `json:"stake"`
	Rank            float64 `json:"rank"`
	Trust           float64 `json:"trust"`
	Consensus       float64 `json:"consensus"`
	Incentive       float64 `json:"incentive"`
	Dividends       float64 `json:"dividends"`
	Emission        uint64  `json:"emission"`
	ValidatorTrust  float64 `json:"validator_trust"`
	ValidatorPermit bool    `json:"validator_permit"`
	LastUpdate      uint64  `json:"last_update"`
	Updated         uint64  `json:"updated"`
	Axon            string  `json:"axon"`
}

func newWalletOverviewCommand(use string, hidden bool) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var so sortOptions
	var all bool
	var netuids string
	var include, exclude []string
	cmd := &cobra.Command{
		Use:     use,
		Hidden:  hidden,
		Short:   "Show the wallet's registered hotkeys on every subnet: uid, stake, rank, trust, incentive, ...",
		Example: "  gotensor wallet overview --wallet.name my\n  gotensor wallet overview --all --netuids 1 --sort-by STAKE --sort-order desc --json-output",
		// `--netuid 1` (a bare --netuid takes no value, so the 1 arrives as an argument).
		Args: cobra.ArbitraryArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, args []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		if len(args) > 0 {
			if !cmd.Flags().Changed("netuid") {
				return usageErr(fmt.Errorf("unexpected arguments %q", args))
			}
			netuids = strings.Join(append([]string{strings.TrimSpace(netuids)}, args...), ",")
			netuids = strings.TrimPrefix(netuids, ",")
		}
		wo.resolve()
		infos, err := wallet.List(wo.Path)
		if err != nil {
			return err
		}
		name := orDefault(wo.Name, wallet.DefaultName)
		var selected []wallet.Info
		for _, in := range infos {
			if all || in.Name == name {
				selected = append(selected, in)
			}
		}
		if len(selected) == 0 {
			return usageErr(fmt.Errorf("wallet %q does not exist under %s: create it with `gotensor wallet create`", name, orDefault(wo.Path, wallet.DefaultPath)))
		}
		nets, err := parseNetuids(netuids)
		if err != nil {
			return err
		}
		if err := (&table{Cols: overviewColumns()}).sortRows(so); err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		if nets == nil {
			if nets, err = s.chain.Subnets(s.ctx); err != nil {
				return err
			}
		}
		head, err := s.chain.Head(s.ctx)
		if err != nil {
			return err
		}
		// hotkey address -> (wallet, hotkey name)
		type owner struct{ wallet, coldkey, hotkey string }
		mine := map[client.AccountID]owner{}
		for _, in := range selected {
			for _, hk := range in.Hotkeys {
				if hk.SS58 == "" || (len(include) > 0 && !containsStr(include, hk.Name, hk.SS58)) || containsStr(exclude, hk.Name, hk.SS58) {
					continue
				}
				if a, err := client.ParseAccount(hk.SS58); err == nil {
					mine[a] = owner{in.Name, in.ColdkeySS58, hk.Name}
				}
			}
		}
		var rows []overviewRow
		for _, netuid := range nets {
			mg, err := s.chain.Metagraph(s.ctx, netuid, true)
			if err != nil {
				return err
			}
			for uid, hk := range mg.Hotkeys {
				o, ok := mine[hk]
				if !ok {
					continue
				}
				r := overviewRow{Coldkey: o.wallet, ColdkeySS58: mg.Coldkeys[uid].SS58(), Hotkey: o.hotkey, HotkeySS58: hk.SS58(),
					Netuid: netuid, UID: uint16(uid), Active: mg.Active[uid], Stake: amountJSON(mg.TotalStake[uid]),
					Rank: u16FracF(mg.Rank[uid]), Trust: u16FracF(mg.Trust[uid]), Consensus: u16FracF(mg.Consensus[uid]),
					Incentive: u16FracF(mg.Incentive[uid]), Dividends: u16FracF(mg.Dividends[uid]), Emission: uint64(mg.Emission[uid]),
					ValidatorTrust: u16FracF(mg.ValidatorTrust[uid]), ValidatorPermit: mg.ValidatorPermit[uid],
					LastUpdate: mg.LastUpdate[uid], Axon: axonString(mg.Axons[uid])}
				if head.Height >= r.LastUpdate {
					r.Updated = head.Height - r.LastUpdate
				}
				rows = append(rows, r)
			}
		}
		var free client.Balance
		for _, in := range selected {
			if a, err := client.ParseAccount(in.ColdkeySS58); err == nil {
				b, err := s.chain.Balance(s.ctx, a)
				if err != nil {
					return err
				}
				free += b
			}
		}
		if opts.JSON {
			if rows == nil {
				rows = []overviewRow{}
			}
			doc := map[string]any{"network": s.network, "block": head.Height, "free_balance": amountJSON(free), "neurons": rows}
			if len(selected) == 1 {
				doc["wallet"], doc["coldkey"] = selected[0].Name, selected[0].ColdkeySS58
			}
			return con.JSON(doc)
		}
		for _, in := range selected {
			con.Printf("Wallet %s : %s\n", in.Name, in.ColdkeySS58)
		}
		con.Printf("Network: %s  block %d\n", s.network, head.Height)
		byNet := map[uint16][]overviewRow{}
		for _, r := range rows {
			byNet[r.Netuid] = append(byNet[r.Netuid], r)
		}
		if len(rows) == 0 {
			con.Essentialf("No hotkey of this wallet is registered on %s. Register with `gotensor subnets register --netuid N`.\n",
				netList(nets))
		}
		for _, netuid := range nets {
			rs := byNet[netuid]
			if len(rs) == 0 {
				continue
			}
			t := &table{Title: fmt.Sprintf("\nSubnet: %d", netuid), Cols: overviewColumns()}
			var stake client.Balance
			var emission uint64
			for _, r := range rs {
				vp := ""
				if r.ValidatorPermit {
					vp = "*"
				}
				st, _ := strconv.ParseUint(strconv.FormatUint(r.Stake.Rao, 10), 10, 64)
				stake += client.Balance(st)
				emission += r.Emission
				ss58 := r.HotkeySS58
				if !opts.Verbose {
					ss58 = shortAddr(ss58)
				}
				t.add(r.Coldkey, r.Hotkey, strconv.Itoa(int(r.UID)), strconv.FormatBool(r.Active), taoShort(r.Stake.Rao, opts.Verbose),
					frac(r.Rank), frac(r.Trust), frac(r.Consensus), frac(r.Incentive), frac(r.Dividends),
					abbrev(float64(r.Emission), opts.Verbose), frac(r.ValidatorTrust), vp, strconv.FormatUint(r.Updated, 10), r.Axon, ss58)
			}
			if err := t.sortRows(so); err != nil {
				return err
			}
			t.Footer = []string{"", strconv.Itoa(len(rs)), "", "", taoShort(uint64(stake), opts.Verbose), "", "", "", "", "", abbrev(float64(emission), opts.Verbose)}
			t.render(con.stdout, terminalWidth(con.stdout))
		}
		con.Essentialf("Wallet free balance: %s\n", free)
		return nil
	})
	addWalletFlags(cmd, &wo, false)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	cmd.Flags().BoolVarP(&all, "all", "a", false, "every wallet under the wallet path")
	cmd.Flags().StringVar(&netuids, "netuids", "", "only these subnets (comma list)")
	cmd.Flags().StringVar(&netuids, "netuid", "", "same as --netuids; a bare --netuid (as the seed documents write it) means every subnet")
	cmd.Flags().Lookup("netuid").NoOptDefVal = " "
	cmd.Flags().StringVar(&so.By, "sort-by", "", "sort by a column (e.g. UID, STAKE, INCENTIVE)")
	cmd.Flags().StringVar(&so.Order, "sort-order", "asc", "asc or desc")
	cmd.Flags().StringSliceVar(&include, "include-hotkeys", nil, "only these hotkeys (names or ss58)")
	cmd.Flags().StringSliceVar(&exclude, "exclude-hotkeys", nil, "leave out these hotkeys (names or ss58)")
	return cmd
}

func netList(n []uint16) string {
	if len(n) == 0 {
		return "any subnet"
	}
	s := make([]string, len(n))
	for i, x := range n {
		s[i] = strconv.Itoa(int(x))
	}
	return "netuid(s) " + strings.Join(s, ",")
}

func frac(x float64) string { return strconv.FormatFloat(x, 'f', 5, 64) }

func containsStr(list []string, vals ...string) bool {
	for _, l := range list {
		for _, v := range vals {
			if l == v {
				return true
			}
		}
	}
	return false
}

func axonString(a client.AxonInfo) string {
	if !a.Served() {
		return "none"
	}
	return fmt.Sprintf("%s", a.IP) + ":" + strconv.Itoa(int(a.Port))
}

// balanceRow is one wallet of `wallet balance`.
type balanceRow struct {
	Coldkey string  `json:"coldkey"`
	Free    taoJSON `json:"free"`
	Staked  taoJSON `json:"staked"`
	Total   taoJSON `json:"total"`
}

func newWalletBalanceCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var all bool
	var ss58s []string
	var sortBy string
	cmd := &cobra.Command{
		Use:     "balance",
		Short:   "Show free, staked and total balance of a wallet (or --all, or any --ss58 address)",
		Example: "  gotensor wallet balance --wallet.name my\n  gotensor wallet balance --ss58 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		type entry struct{ name, ss58 string }
		var entries []entry
		for _, a := range ss58s {
			acc, err := parseAccountFlag(a, "--ss58")
			if err != nil {
				return err
			}
			entries = append(entries, entry{shortAddr(acc.SS58()), acc.SS58()})
		}
		if len(entries) == 0 {
			wo.resolve()
			infos, err := wallet.List(wo.Path)
			if err != nil {
				return err
			}
			name := orDefault(wo.Name, wallet.DefaultName)
			for _, in := range infos {
				if (all || in.Name == name) && in.ColdkeySS58 != "" {
					entries = append(entries, entry{in.Name, in.ColdkeySS58})
				}
			}
			if len(entries) == 0 {
				return usageErr(fmt.Errorf("wallet %q does not exist (or has no coldkeypub.txt): create it with `gotensor wallet create`, or pass --ss58", name))
			}
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		balances := map[string]balanceRow{}
		t := &table{Title: "Wallet Coldkey Balance\nNetwork: " + s.network, Cols: []column{{Name: "Wallet Name"}, {Name: "Coldkey Address", Drop: 1},
			{Name: "Free Balance", Right: true}, {Name: "Staked Value", Right: true}, {Name: "Total Balance", Right: true}}}
		var tf, ts client.Balance
		for _, e := range entries {
			acc, _ := client.ParseAccount(e.ss58)
			free, err := s.chain.Balance(s.ctx, acc)
			if err != nil {
				return err
			}
			stakes, err := s.chain.StakesOf(s.ctx, acc)
			if err != nil {
				return err
			}
			var staked client.Balance
			for _, st := range stakes {
				staked += st.Stake
			}
			balances[e.name] = balanceRow{e.ss58, amountJSON(free), amountJSON(staked), amountJSON(free + staked)}
			tf, ts = tf+free, ts+staked
			t.add(e.name, e.ss58, free.String(), staked.String(), (free + staked).String())
		}
		if opts.JSON {
			return con.JSON(map[string]any{"balances": balances, "totals": map[string]taoJSON{
				"free": amountJSON(tf), "staked": amountJSON(ts), "total": amountJSON(tf + ts)}})
		}
		so := sortOptions{By: map[string]string{"name": "Wallet Name", "free": "Free Balance", "staked": "Staked Value", "total": "Total Balance", "": ""}[sortBy], Order: "asc"}
		if sortBy != "" && so.By == "" {
			return usageErr(fmt.Errorf("--sort %q: use name, free, staked or total", sortBy))
		}
		if sortBy != "" && sortBy != "name" {
			so.Order = "desc"
		}
		if err := t.sortRows(so); err != nil {
			return err
		}
		t.Footer = []string{"Total Balance", "", tf.String(), ts.String(), (tf + ts).String()}
		t.render(con.stdout, terminalWidth(con.stdout))
		return nil
	})
	addWalletFlags(cmd, &wo, false)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	cmd.Flags().BoolVarP(&all, "all", "a", false, "every wallet under the wallet path")
	cmd.Flags().StringArrayVar(&ss58s, "ss58", nil, "an address to show (repeatable); replaces the wallet")
	cmd.Flags().StringVar(&sortBy, "sort", "", "sort by name, free, staked or total")
	return cmd
}

// txDoc is the JSON document of a transaction command.
type txDoc struct {
	Success bool   `json:"success"`
	Message string `json:"msg"`
	Block   uint64 `json:"block,omitempty"`
	TxHash  string `json:"extrinsic_identifier,omitempty"`
	Data    any    `json:"data,omitempty"`
}

func receiptDoc(r *client.Receipt, msg string, data any) txDoc {
	d := txDoc{Success: true, Message: msg, Data: data}
	if r != nil {
		d.Block, d.TxHash = r.Block, fmt.Sprintf("%d-%d", r.Block, r.Index)
	}
	return d
}

func newWalletTransferCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var dest, amount string
	var all, allowDeath bool
	cmd := &cobra.Command{
		Use:     "transfer",
		Short:   "Send TAO from the wallet's coldkey to an address",
		Example: "  gotensor wallet transfer --wallet.name my --dest 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty --amount 1.5 -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		if dest == "" {
			if dest, err = con.promptLine("Destination address", "", "--dest"); err != nil {
				return usageErr(err)
			}
		}
		to, err := parseAccountFlag(dest, "--dest")
		if err != nil {
			return err
		}
		amt, err := amountValue(con, &amount, all, "Amount (TAO)")
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		from, err := coldkeypub(w)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		before, err := s.chain.Balance(s.ctx, from)
		if err != nil {
			return err
		}
		what := amt.String()
		if all {
			what = "the whole balance (" + before.String() + ")"
		}
		con.Printf("Transfer %s\n  from %s\n  to   %s\n  on   %s\n", what, from, to, s.network)
		if err := confirmTx(con, "Proceed with transfer?"); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var r *client.Receipt
		err = con.waiting("Transferring", func() error {
			if all {
				r, err = s.chain.TransferAll(s.ctx, cold, to, !allowDeath)
			} else {
				r, err = s.chain.Transfer(s.ctx, cold, to, amt)
			}
			return err
		})
		if err != nil {
			return err
		}
		after, _ := s.chain.Balance(s.ctx, from)
		con.Essentialf("Transferred %s to %s in block %d\n", what, to, r.Block)
		con.Printf("Balance: %s → %s\n", before, after)
		return con.JSON(receiptDoc(r, "transferred", map[string]any{"from": from, "to": to, "amount": amountJSON(amt),
			"balance_before": amountJSON(before), "balance_after": amountJSON(after)}))
	})
	addWalletFlags(cmd, &wo, false)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().StringVarP(&dest, "dest", "d", "", "destination SS58 address")
	cmd.Flags().StringVarP(&amount, "amount", "a", "", "amount in TAO, e.g. 1.5")
	cmd.Flags().BoolVar(&all, "all", false, "transfer the whole free balance")
	cmd.Flags().BoolVar(&allowDeath, "allow-death", false, "with --all, also send the existential deposit")
	return cmd
}

func newWalletFaucetCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var processors int
	cmd := &cobra.Command{
		Use:     "faucet",
		Short:   "Claim test TAO on a dev chain (solves the faucet's proof of work)",
		Example: "  gotensor wallet faucet --wallet.name my -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		w, s, err := openWalletSession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		before, err := s.chain.Balance(s.ctx, cold.PublicKey())
		if err != nil {
			return err
		}
		solver := &pow.CPUSolver{Processors: processors}
		if con.stderrIsTerminal() && !opts.JSON && !opts.Quiet {
			solver.Progress = powbar.New(con.stderr).Update
		}
		var r *client.Receipt
		err = con.waiting("Solving the faucet's proof of work", func() error {
			r, err = s.chain.Faucet(s.ctx, cold, solver)
			return err
		})
		if err != nil {
			return err
		}
		after, _ := s.chain.Balance(s.ctx, cold.PublicKey())
		con.Essentialf("Faucet paid %s in block %d\n", after-before, r.Block)
		con.Printf("Balance: %s → %s\n", before, after)
		return con.JSON(receiptDoc(r, "faucet", map[string]any{"balance_before": amountJSON(before), "balance_after": amountJSON(after)}))
	})
	addWalletFlags(cmd, &wo, false)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().IntVar(&processors, "processors", 0, "PoW worker count (default: all cores)")
	return cmd
}

func newWalletInspectCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var all bool
	var netuids string
	cmd := &cobra.Command{
		Use:     "inspect",
		Short:   "Show the coldkey's balance and every stake position with its subnet and emission",
		Example: "  gotensor wallet inspect --wallet.name my --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		nets, err := parseNetuids(netuids)
		if err != nil {
			return err
		}
		wo.resolve()
		infos, err := wallet.List(wo.Path)
		if err != nil {
			return err
		}
		name := orDefault(wo.Name, wallet.DefaultName)
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		type pos struct {
			Netuid   uint16  `json:"netuid"`
			Hotkey   string  `json:"hotkey"`
			Name     string  `json:"hotkey_name,omitempty"`
			Stake    taoJSON `json:"stake"`
			UID      *uint16 `json:"uid"`
			Emission uint64  `json:"emission"`
		}
		type wdoc struct {
			Name    string  `json:"name"`
			Coldkey string  `json:"coldkey"`
			Balance taoJSON `json:"balance"`
			Stake   taoJSON `json:"stake"`
			Stakes  []pos   `json:"stakes"`
		}
		var docs []wdoc
		found := false
		for _, in := range infos {
			if !(all || in.Name == name) || in.ColdkeySS58 == "" {
				continue
			}
			found = true
			acc, _ := client.ParseAccount(in.ColdkeySS58)
			bal, err := s.chain.Balance(s.ctx, acc)
			if err != nil {
				return err
			}
			stakes, err := s.chain.StakesOf(s.ctx, acc)
			if err != nil {
				return err
			}
			names := map[string]string{}
			for _, hk := range in.Hotkeys {
				names[hk.SS58] = hk.Name
			}
			d := wdoc{Name: in.Name, Coldkey: in.ColdkeySS58, Balance: amountJSON(bal), Stakes: []pos{}}
			var total client.Balance
			sort.Slice(stakes, func(i, j int) bool { return stakes[i].Netuid < stakes[j].Netuid })
			for _, st := range stakes {
				if nets != nil && !containsU16(nets, st.Netuid) {
					continue
				}
				p := pos{Netuid: st.Netuid, Hotkey: st.Hotkey.SS58(), Name: names[st.Hotkey.SS58()], Stake: amountJSON(st.Stake)}
				if uid, ok, err := s.chain.UID(s.ctx, st.Netuid, st.Hotkey); err == nil && ok {
					p.UID = &uid
					if n, err := s.chain.Neuron(s.ctx, st.Netuid, uid); err == nil {
						p.Emission = uint64(n.Emission)
					}
				}
				total += st.Stake
				d.Stakes = append(d.Stakes, p)
			}
			d.Stake = amountJSON(total)
			docs = append(docs, d)
		}
		if !found {
			return usageErr(fmt.Errorf("wallet %q does not exist: create it with `gotensor wallet create`", name))
		}
		if opts.JSON {
			return con.JSON(map[string]any{"network": s.network, "wallets": docs})
		}
		ct := &table{Title: "Network: " + s.network, Cols: []column{{Name: "Coldkey"}, {Name: "Address", Drop: 1}, {Name: "Balance", Right: true}, {Name: "Stake", Right: true}}}
		ht := &table{Title: "\nStake", Cols: []column{{Name: "Coldkey"}, {Name: "Netuid", Right: true}, {Name: "Hotkey"}, {Name: "UID", Right: true}, {Name: "Stake", Right: true}, {Name: "Emission(ρ)", Right: true}}}
		for _, d := range docs {
			ct.add(d.Name, d.Coldkey, "τ"+d.Balance.TAO.String(), "τ"+d.Stake.TAO.String())
			for _, p := range d.Stakes {
				uid := "-"
				if p.UID != nil {
					uid = strconv.Itoa(int(*p.UID))
				}
				hk := orDefault(p.Name, shortAddr(p.Hotkey))
				ht.add(d.Name, strconv.Itoa(int(p.Netuid)), hk, uid, "τ"+p.Stake.TAO.String(), strconv.FormatUint(p.Emission, 10))
			}
		}
		w := terminalWidth(con.stdout)
		ct.render(con.stdout, w)
		if len(ht.Rows) > 0 {
			ht.render(con.stdout, w)
		}
		return nil
	})
	addWalletFlags(cmd, &wo, false)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	cmd.Flags().BoolVarP(&all, "all", "a", false, "every wallet under the wallet path")
	cmd.Flags().StringVar(&netuids, "netuids", "", "only these subnets (comma list)")
	return cmd
}

func containsU16(l []uint16, v uint16) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

func newWalletAssociateCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var hotkeySS58 string
	cmd := &cobra.Command{
		Use:     "associate-hotkey",
		Short:   "Make a hotkey the coldkey's on chain (needed before staking to it unregistered)",
		Example: "  gotensor wallet associate-hotkey --wallet.name my --hotkey validator -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		var hk client.AccountID
		if hotkeySS58 != "" {
			if hk, err = parseAccountFlag(hotkeySS58, "--hotkey-ss58"); err != nil {
				return err
			}
		} else if hk, err = hotkeypub(w); err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		if err := confirmTx(con, fmt.Sprintf("Associate hotkey %s with the coldkey of wallet %q?", hk, w.Name)); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var r *client.Receipt
		if err := con.waiting("Associating hotkey", func() error { r, err = s.chain.AssociateHotkey(s.ctx, cold, hk); return err }); err != nil {
			return err
		}
		con.Essentialf("Hotkey %s is associated with coldkey %s (block %d)\n", hk, cold.SS58(), r.Block)
		return con.JSON(receiptDoc(r, "associated", map[string]any{"hotkey": hk, "coldkey": cold.SS58()}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().StringVar(&hotkeySS58, "hotkey-ss58", "", "the hotkey's address instead of a wallet hotkey")
	return cmd
}

// overviewColumns are the seed documents' columns of `wallet overview`, with the order in which they are
// hidden to fit the terminal.
func overviewColumns() []column {
	return []column{
		{Name: "COLDKEY", Drop: 3}, {Name: "HOTKEY"}, {Name: "UID", Right: true}, {Name: "ACTIVE", Drop: 4},
		{Name: "STAKE(τ)", Right: true}, {Name: "RANK", Right: true, Drop: 7}, {Name: "TRUST", Right: true, Drop: 6},
		{Name: "CONSENSUS", Right: true, Drop: 8}, {Name: "INCENTIVE", Right: true}, {Name: "DIVIDENDS", Right: true},
		{Name: "EMISSION(ρ)", Right: true, Drop: 2}, {Name: "VTRUST", Right: true, Drop: 5}, {Name: "VPERMIT"},
		{Name: "UPDATED", Right: true, Drop: 1}, {Name: "AXON", Drop: 9}, {Name: "HOTKEY_SS58", Drop: 10}}
}
