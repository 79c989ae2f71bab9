package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/pow"
	"github.com/gotensor/gotensor/sdk/pow/powbar"
	"github.com/gotensor/gotensor/sdk/wallet"
)

func init() { commandGroups = append(commandGroups, addSubnetsCommands) }

func addSubnetsCommands(root *cobra.Command) {
	g := findOrAddGroup(root, "subnets", "Subnets: list, show (metagraph), create, start, register, hyperparameters", "s", "subnet")
	g.AddCommand(
		newSubnetsListCommand("list", false),
		newSubnetsShowCommand(),
		newSubnetsHyperparametersCommand("hyperparameters"),
		newSubnetsCreateCommand(),
		newSubnetsStartCommand(),
		newSubnetsCheckStartCommand(),
		newSubnetsRegisterCommand("register", false),
		newSubnetsPowRegisterCommand("pow-register", false),
		newSubnetsBurnCostCommand(),
		newSubnetsRootRegisterCommand(),
	)
	snakeTwins(g)
	scriptableFlagErrors(g)
	// `gotensor subnet register` (bittensor v6 docs) works and names the current spelling.
	for _, c := range g.Commands() {
		if run := c.RunE; run != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if firstWord(os.Args[1:]) == "subnet" {
					noteRenamed(cmd, "subnet "+cmd.Name(), "subnets "+cmd.Name())
				}
				return run(cmd, args)
			}
		}
	}
}

// subnetRow is one subnet of `subnets list`.
type subnetRow struct {
	Netuid     uint16  `json:"netuid"`
	Neurons    uint16  `json:"neurons"`
	MaxN       uint64  `json:"max_n"`
	Difficulty uint64  `json:"difficulty"`
	Tempo      uint16  `json:"tempo"`
	Emission   taoJSON `json:"emission"`
	Burn       taoJSON `json:"burn"`
	Stake      taoJSON `json:"stake"`
	TaoIn      taoJSON `json:"tao_in"`
	Owner      string  `json:"owner"`
	Started    bool    `json:"started"`
}

func newSubnetsListCommand(use string, hidden bool) *cobra.Command {
	var opts outputOptions
	var co chainOptions
	var so sortOptions
	cmd := &cobra.Command{
		Use:     use,
		Hidden:  hidden,
		Short:   "List the subnets: neurons, max, difficulty, tempo, emission, burn, stake",
		Example: "  gotensor subnets list\n  gotensor subnets list --sort-by EMISSION --sort-order desc --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		nets, err := s.chain.Subnets(s.ctx)
		if err != nil {
			return err
		}
		em, err := s.chain.Emission(s.ctx)
		if err != nil {
			return err
		}
		emission := map[uint16]client.Balance{}
		for _, e := range em.Subnets {
			emission[e.Netuid] = e.TaoInEmission
		}
		head, err := s.chain.Head(s.ctx)
		if err != nil {
			return err
		}
		// A backend that reads every subnet at once (the substrate one: two runtime calls) is asked once.
		infos := map[uint16]*client.SubnetInfo{}
		if all, ok := s.chain.(interface {
			AllSubnetInfo(context.Context) ([]client.SubnetInfo, error)
		}); ok {
			list, err := all.AllSubnetInfo(s.ctx)
			if err != nil {
				return err
			}
			for i := range list {
				infos[list[i].Netuid] = &list[i]
			}
		}
		rows := []subnetRow{}
		for _, n := range nets {
			info, ok := infos[n]
			if !ok {
				if info, err = s.chain.SubnetInfo(s.ctx, n); err != nil {
					return err
				}
			}
			rows = append(rows, subnetRow{Netuid: n, Neurons: info.N, MaxN: info.MaxUids, Difficulty: info.Difficulty, Tempo: info.Tempo,
				Emission: amountJSON(emission[n]), Burn: amountJSON(info.Burn), Stake: amountJSON(info.AlphaOut), TaoIn: amountJSON(info.TAOIn),
				Owner: info.Owner.SS58(), Started: info.SubtokenEnabled || n == 0})
		}
		t := &table{Title: fmt.Sprintf("Subnets\nNetwork: %s  block %d", s.network, head.Height), Cols: []column{
			{Name: "NETUID", Right: true}, {Name: "NEURONS", Right: true}, {Name: "MAX_N", Right: true}, {Name: "DIFFICULTY", Right: true, Drop: 2},
			{Name: "TEMPO", Right: true}, {Name: "EMISSION", Right: true}, {Name: "BURN", Right: true}, {Name: "STAKE", Right: true, Drop: 1},
			{Name: "STARTED", Drop: 3}}}
		for _, r := range rows {
			t.add(strconv.Itoa(int(r.Netuid)), strconv.Itoa(int(r.Neurons)), strconv.FormatUint(r.MaxN, 10), abbrev(float64(r.Difficulty), opts.Verbose),
				strconv.Itoa(int(r.Tempo)), taoShort(r.Emission.Rao, opts.Verbose), taoShort(r.Burn.Rao, opts.Verbose), taoShort(r.Stake.Rao, opts.Verbose),
				strconv.FormatBool(r.Started))
		}
		if err := t.sortRows(so); err != nil {
			return err
		}
		if opts.JSON {
			return con.JSON(map[string]any{"network": s.network, "block": head.Height, "total_netuids": len(rows), "subnets": rows})
		}
		t.Caption = "EMISSION: TAO per block. BURN: cost of `subnets register`. STAKE: alpha staked."
		t.render(con.stdout, terminalWidth(con.stdout))
		return nil
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	addSortFlags(cmd, &so)
	return cmd
}

func addSortFlags(cmd *cobra.Command, so *sortOptions) {
	cmd.Flags().StringVar(&so.By, "sort-by", "", "sort the table by this column")
	cmd.Flags().StringVar(&so.Order, "sort-order", "asc", "asc or desc")
}

// neuronDoc is one uid of `subnets show` (the JSON keys of the issue and bittensor's metagraph).
type neuronDoc struct {
	UID             uint16   `json:"uid"`
	Hotkey          string   `json:"hotkey"`
	Coldkey         string   `json:"coldkey"`
	Stake           taoJSON  `json:"stake"`
	Rank            float64  `json:"rank"`
	Trust           float64  `json:"trust"`
	Consensus       float64  `json:"consensus"`
	Incentive       float64  `json:"incentive"`
	Dividends       float64  `json:"dividends"`
	Emission        uint64   `json:"emission"`
	ValidatorTrust  *float64 `json:"validator_trust"` // null when the chain's metagraph has no such column
	ValidatorPermit bool     `json:"validator_permit"`
	Active          bool     `json:"active"`
	LastUpdate      uint64   `json:"last_update"`
	Axon            string   `json:"axon"`
	Identity        string   `json:"identity,omitempty"` // the coldkey's declared name, when the chain has one
}

func newSubnetsShowCommand() *cobra.Command {
	var opts outputOptions
	var co chainOptions
	var so sortOptions
	var netuid uint16
	var block uint64
	cmd := &cobra.Command{
		Use:     "show",
		Aliases: []string{"metagraph"},
		Short:   "Show a subnet's metagraph: every uid's stake, rank, trust, consensus, incentive, dividends, ...",
		Example: "  gotensor subnets show --netuid 1\n  gotensor subnets metagraph --netuid 1 --sort-by STAKE --sort-order desc --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		var reader client.Reader = s.chain
		if block > 0 {
			reader = s.chain.At(block)
		}
		mg, err := reader.Metagraph(s.ctx, netuid, true)
		if err != nil {
			return subnetHint(err, netuid)
		}
		uids := make([]neuronDoc, len(mg.Hotkeys))
		for i := range mg.Hotkeys {
			uids[i] = neuronDoc{UID: uint16(i), Hotkey: mg.Hotkeys[i].SS58(), Coldkey: mg.Coldkeys[i].SS58(), Stake: amountJSON(mg.TotalStake[i]),
				Rank: u16FracF(mg.Rank[i]), Trust: u16FracF(mg.Trust[i]), Consensus: u16FracF(mg.Consensus[i]), Incentive: u16FracF(mg.Incentive[i]),
				Dividends: u16FracF(mg.Dividends[i]), Emission: uint64(mg.Emission[i]),
				ValidatorPermit: mg.ValidatorPermit[i], Active: mg.Active[i], LastUpdate: mg.LastUpdate[i], Axon: axonString(mg.Axons[i])}
			if i < len(mg.Identities) {
				uids[i].Identity = mg.Identities[i]
			}
			if i < len(mg.ValidatorTrust) {
				vt := u16FracF(mg.ValidatorTrust[i])
				uids[i].ValidatorTrust = &vt
			}
		}
		t := &table{Title: fmt.Sprintf("Subnet %d  (block %d, network %s)", netuid, mg.Block, s.network), Cols: []column{
			{Name: "UID", Right: true}, {Name: "STAKE(τ)", Right: true}, {Name: "RANK", Right: true, Drop: 9}, {Name: "TRUST", Right: true, Drop: 8},
			{Name: "CONSENSUS", Right: true, Drop: 7}, {Name: "INCENTIVE", Right: true}, {Name: "DIVIDENDS", Right: true},
			{Name: "EMISSION(ρ)", Right: true, Drop: 4}, {Name: "VTRUST", Right: true, Drop: 6}, {Name: "VAL"}, {Name: "UPDATED", Right: true, Drop: 3},
			{Name: "ACTIVE", Drop: 5}, {Name: "AXON", Drop: 10}, {Name: "HOTKEY"}, {Name: "COLDKEY", Drop: 11}}}
		var total client.Balance
		for i, u := range uids {
			val := ""
			if u.ValidatorPermit {
				val = "*"
			}
			hk, ck := shortAddr(u.Hotkey), shortAddr(u.Coldkey)
			if opts.Verbose {
				hk, ck = u.Hotkey, u.Coldkey
			}
			updated := uint64(0)
			if mg.Block >= u.LastUpdate {
				updated = mg.Block - u.LastUpdate
			}
			total += mg.TotalStake[i]
			t.add(strconv.Itoa(int(u.UID)), taoShort(u.Stake.Rao, opts.Verbose), frac(u.Rank), frac(u.Trust), frac(u.Consensus), frac(u.Incentive),
				frac(u.Dividends), abbrev(float64(u.Emission), opts.Verbose), fracOrAbsent(u.ValidatorTrust), val, strconv.FormatUint(updated, 10),
				strconv.FormatBool(u.Active), u.Axon, hk, ck)
		}
		if err := t.sortRows(so); err != nil {
			return err
		}
		info := mg.Subnet
		// Extras the chain may not have: shown as absent (null, "none"), never fatal.
		var name, price any
		if info.Name != "" {
			name = info.Name
		}
		if info.AlphaIn > 0 {
			price = float64(info.TAOIn) / float64(info.AlphaIn)
		}
		if opts.JSON {
			return con.JSON(map[string]any{"netuid": netuid, "block": mg.Block, "network": s.network, "owner": info.Owner.SS58(),
				"owner_hotkey": info.OwnerHotkey.SS58(), "n": mg.N, "max_n": info.MaxUids, "tempo": map[string]any{
					"block_since_last_step": info.BlocksSinceLastStep, "tempo": info.Tempo}, "registration_cost": amountJSON(info.Burn),
				"tao_pool": amountJSON(info.TAOIn), "alpha_pool": amountJSON(info.AlphaIn), "subnet_name": name, "price": price, "uids": uids})
		}
		t.Footer = []string{strconv.Itoa(len(uids)), taoShort(uint64(total), opts.Verbose)}
		t.Caption = fmt.Sprintf("Owner %s  tempo %d (%d blocks to the next epoch)  registration cost %s", info.Owner, info.Tempo,
			info.BlocksUntilNextEpoch, info.Burn)
		nameText, priceText := "none", "none"
		if name != nil {
			nameText = info.Name
		}
		if price != nil {
			priceText = strconv.FormatFloat(price.(float64), 'f', 6, 64) + " τ/α"
		}
		t.Caption += fmt.Sprintf("\nName %s  price %s", nameText, priceText)
		t.render(con.stdout, terminalWidth(con.stdout))
		return nil
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	addSortFlags(cmd, &so)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	cmd.Flags().Uint64Var(&block, "block", 0, "read at this past block (0: the head)")
	return cmd
}

// subnetHint adds advice when a subnet does not exist.
func subnetHint(err error, netuid uint16) error {
	if errors.Is(err, client.ErrNotFound) {
		return usageErr(withHint(fmt.Errorf("subnet %d: %w", netuid, err), "see `gotensor subnets list` for the subnets"))
	}
	return err
}

// hyperparameter normalisation (spec/cli.md §3.5): u16 fractions, u64 fractions and TAO amounts.
var (
	u16Fractions = map[string]bool{"kappa": true, "max_weight_limit": true, "alpha_low": true, "alpha_high": true, "bonds_penalty": true}
	u64Fractions = map[string]bool{"adjustment_alpha": true}
	taoParams    = map[string]bool{"burn": true, "min_burn": true, "max_burn": true}
)

func normalizedParam(name string, v uint64) string {
	switch {
	case u16Fractions[name]:
		return strconv.FormatFloat(float64(v)/65535, 'f', 6, 64)
	case u64Fractions[name]:
		return strconv.FormatFloat(float64(v)/math.MaxUint64, 'f', 6, 64)
	case taoParams[name]:
		return client.Balance(v).String()
	case name == "bonds_moving_average":
		return strconv.FormatFloat(float64(v)/1e6, 'f', 6, 64)
	}
	return strconv.FormatUint(v, 10)
}

func newSubnetsHyperparametersCommand(use string) *cobra.Command {
	var opts outputOptions
	var co chainOptions
	var netuid uint16
	cmd := &cobra.Command{
		Use:     use,
		Short:   "Show a subnet's hyperparameters (value and normalized value)",
		Example: "  gotensor subnets hyperparameters --netuid 1\n  gotensor sudo get --netuid 1 --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		ps, err := s.chain.Hyperparameters(s.ctx, netuid)
		if err != nil {
			return subnetHint(err, netuid)
		}
		type row struct {
			Name       string `json:"hyperparameter"`
			Value      uint64 `json:"value"`
			Normalized string `json:"normalized_value"`
		}
		rows := make([]row, len(ps))
		t := &table{Title: fmt.Sprintf("Subnet Hyperparameters NETUID: %d - Network: %s", netuid, s.network),
			Cols: []column{{Name: "HYPERPARAMETER"}, {Name: "VALUE", Right: true}, {Name: "NORMALIZED", Right: true}}}
		for i, p := range ps {
			rows[i] = row{p.Name, p.Value, normalizedParam(p.Name, p.Value)}
			t.add(p.Name, strconv.FormatUint(p.Value, 10), rows[i].Normalized)
		}
		if opts.JSON {
			return con.JSON(map[string]any{"netuid": netuid, "network": s.network, "hyperparameters": rows})
		}
		t.render(con.stdout, terminalWidth(con.stdout))
		return nil
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	return cmd
}

// isDevChain reports whether the node runs a dev genesis (faucet on), where `subnets create` also starts
// the subnet.
func isDevChain(s *session) bool {
	g, err := s.chain.Globals(s.ctx)
	if err != nil {
		return false
	}
	v, _ := g.Get("faucet_enabled")
	return v == 1
}

func newSubnetsCreateCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var noStart bool
	cmd := &cobra.Command{
		Use:     "create",
		Short:   "Create a subnet (pays the lock cost); on dev chains it also starts it",
		Example: "  gotensor subnets create --wallet.name owner --hotkey default -y",
		Args:    cobra.NoArgs,
	}
	for _, f := range []string{"subnet-name", "github-repo", "subnet-contact", "subnet-url", "discord-handle", "description", "logo-url", "additional-info"} {
		cmd.Flags().String(f, "", "subnet identity (accepted for btcli compatibility; not stored by this chain yet)")
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, w, hk, s, err := openHotkeyCommand(cmd, &opts, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		cost, err := s.chain.LockCost(s.ctx)
		if err != nil {
			return err
		}
		con.Printf("Creating a subnet costs %s (locked). Owner hotkey %s\n", cost, hk)
		if err := confirmTx(con, fmt.Sprintf("Create a subnet for %s?", cost)); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var netuid uint16
		var r *client.Receipt
		if err := con.waiting("Registering subnet", func() error { netuid, r, err = s.chain.RegisterNetwork(s.ctx, cold, hk); return err }); err != nil {
			return err
		}
		con.Essentialf("Created subnet %d (block %d)\n", netuid, r.Block)
		started := false
		if !noStart && isDevChain(s) {
			if err := con.waiting("Starting the subnet (start_call)", func() error { _, err = s.chain.StartCall(s.ctx, cold, netuid); return err }); err != nil {
				return fmt.Errorf("subnet %d was created but start_call failed: %w", netuid, err)
			}
			started = true
			con.Essentialf("Dev chain: also sent start_call, so subnet %d is started (staking and emission are on)\n", netuid)
		} else {
			con.Printf("Start it with `gotensor subnets start --netuid %d` when ready.\n", netuid)
		}
		return con.JSON(receiptDoc(r, "subnet created", map[string]any{"netuid": netuid, "lock_cost": amountJSON(cost), "started": started}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().BoolVar(&noStart, "no-start", false, "on a dev chain, do not send start_call")
	return cmd
}

func newSubnetsStartCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	cmd := &cobra.Command{
		Use:     "start",
		Short:   "Start a subnet's emission (start_call, by the owner coldkey)",
		Example: "  gotensor subnets start --netuid 2 --wallet.name owner -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		w, s, err := openWalletSession(cmd, con, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		if err := confirmTx(con, fmt.Sprintf("Start subnet %d?", netuid)); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var r *client.Receipt
		if err := con.waiting("Starting subnet", func() error { r, err = s.chain.StartCall(s.ctx, cold, netuid); return err }); err != nil {
			return err
		}
		con.Essentialf("Subnet %d started (block %d)\n", netuid, r.Block)
		return con.JSON(receiptDoc(r, "started", map[string]any{"netuid": netuid}))
	})
	addWalletFlags(cmd, &wo, false)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	return cmd
}

func newSubnetsCheckStartCommand() *cobra.Command {
	var opts outputOptions
	var co chainOptions
	var netuid uint16
	cmd := &cobra.Command{
		Use:     "check-start",
		Short:   "Tell whether a subnet is started, or when it can be",
		Example: "  gotensor subnets check-start --netuid 2",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		info, err := s.chain.SubnetInfo(s.ctx, netuid)
		if err != nil {
			return subnetHint(err, netuid)
		}
		head, err := s.chain.Head(s.ctx)
		if err != nil {
			return err
		}
		g, err := s.chain.Globals(s.ctx)
		if err != nil {
			return err
		}
		delay, _ := g.Get("start_call_delay")
		started := info.SubtokenEnabled || info.FirstEmissionBlock > 0 || netuid == 0
		canAt := info.RegisteredAt + delay
		wait := uint64(0)
		if canAt > head.Height {
			wait = canAt - head.Height
		}
		switch {
		case started:
			con.Essentialf("Subnet %d is started (first emission block %d)\n", netuid, info.FirstEmissionBlock)
		case wait == 0:
			con.Essentialf("Subnet %d is not started; its owner can start it now: `gotensor subnets start --netuid %d`\n", netuid, netuid)
		default:
			con.Essentialf("Subnet %d is not started; it can be started in %d blocks (block %d)\n", netuid, wait, canAt)
		}
		return con.JSON(map[string]any{"netuid": netuid, "started": started, "first_emission_block": info.FirstEmissionBlock,
			"can_start_at": canAt, "blocks_until_start_allowed": wait, "block": head.Height})
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	return cmd
}

// registrationHint turns a registration failure into advice, reading the subnet's limits.
func registrationHint(s *session, netuid uint16, err error) error {
	name := client.ErrorName(err)
	switch name {
	case "TooManyRegistrationsThisBlock":
		return withHint(err, "try again in 1 block")
	case "TooManyRegistrationsThisInterval":
		info, ierr := s.chain.SubnetInfo(s.ctx, netuid)
		hp, herr := s.chain.Hyperparameters(s.ctx, netuid)
		head, hderr := s.chain.Head(s.ctx)
		if ierr == nil && herr == nil && hderr == nil {
			if iv, _ := hp.Get("adjustment_interval"); iv > 0 && head.Height >= info.RegisteredAt {
				n := blocksUntilAdjustment(info.RegisteredAt, iv, head.Height)
				return withHint(err, fmt.Sprintf("try again in %d blocks (the registration interval of %d blocks is full)", n, iv))
			}
		}
		return withHint(err, "the subnet is full for this interval: try again later")
	case "SubNetRegistrationDisabled":
		return withHint(err, fmt.Sprintf("registration to subnet %d is not allowed (registration_allowed is off): ask its owner or pick another subnet", netuid))
	case "NotEnoughBalanceToStake":
		if rc, rerr := s.chain.RegistrationCost(s.ctx, netuid); rerr == nil {
			return withHint(err, fmt.Sprintf("the coldkey's balance does not cover the registration cost of %s", rc.Burn))
		}
	}
	return err
}

func newSubnetsRegisterCommand(use string, hidden bool) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	cmd := &cobra.Command{
		Use:     use,
		Hidden:  hidden,
		Short:   "Register the hotkey on a subnet by burning (recycling) TAO",
		Example: "  gotensor subnets register --netuid 1 --wallet.name my --wallet.hotkey miner -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		hk, err := hotkeypub(w)
		if err != nil {
			return err
		}
		ck, err := coldkeypub(w)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		if netuid == 0 {
			return rootRegister(con, s, w, hk)
		}
		if uid, ok, err := s.chain.UID(s.ctx, netuid, hk); err != nil {
			return subnetHint(err, netuid)
		} else if ok {
			con.Essentialf("Already Registered on netuid %d with UID %d (hotkey %s)\n", netuid, uid, hk)
			return con.JSON(txDoc{Success: true, Message: "already registered", Data: map[string]any{"netuid": netuid, "uid": uid, "hotkey": hk}})
		}
		rc, err := s.chain.RegistrationCost(s.ctx, netuid)
		if err != nil {
			return subnetHint(err, netuid)
		}
		bal, err := s.chain.Balance(s.ctx, ck)
		if err != nil {
			return err
		}
		t := &table{Cols: []column{{Name: "Netuid", Right: true}, {Name: "Cost (τ)", Right: true}, {Name: "Hotkey"}, {Name: "Coldkey"}}}
		t.add(strconv.Itoa(int(netuid)), rc.Burn.String(), shortAddr(hk.SS58()), shortAddr(ck.SS58()))
		if !opts.JSON && !opts.Quiet {
			t.render(con.stdout, terminalWidth(con.stdout))
		}
		con.Printf("Your balance is %s. The cost to register by recycle is %s.\n", bal, rc.Burn)
		if err := confirmTx(con, "Do you want to continue?"); err != nil {
			return err
		}
		cold, err := unlockColdkey(w)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		var uid uint16
		var r *client.Receipt
		err = con.waiting("Recycling TAO for Registration", func() error { uid, r, err = s.chain.BurnedRegister(s.ctx, cold, netuid, hk); return err })
		if err != nil {
			return registrationHint(s, netuid, err)
		}
		after, _ := s.chain.Balance(s.ctx, ck)
		con.Essentialf("Registered on netuid %d with UID %d\n", netuid, uid)
		con.Printf("Balance: %s → %s\n", bal, after)
		return con.JSON(receiptDoc(r, fmt.Sprintf("Registered on netuid %d with UID %d", netuid, uid),
			map[string]any{"netuid": netuid, "uid": uid, "hotkey": hk, "cost": amountJSON(rc.Burn)}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	return cmd
}

func rootRegister(con *console, s *session, w *wallet.Wallet, hk client.AccountID) error {
	if uid, ok, err := s.chain.UID(s.ctx, 0, hk); err != nil {
		return err
	} else if ok {
		con.Essentialf("Already Registered on the root network (netuid 0) with UID %d\n", uid)
		return con.JSON(txDoc{Success: true, Message: "already registered", Data: map[string]any{"netuid": 0, "uid": uid, "hotkey": hk}})
	}
	if err := confirmTx(con, fmt.Sprintf("Register hotkey %s on the root network?", hk)); err != nil {
		return err
	}
	cold, err := unlockColdkey(w)
	if err != nil {
		return err
	}
	defer cold.Wipe()
	var uid uint16
	var r *client.Receipt
	if err := con.waiting("Registering on root", func() error { uid, r, err = s.chain.RootRegister(s.ctx, cold, hk); return err }); err != nil {
		return registrationHint(s, 0, err)
	}
	con.Essentialf("Registered on netuid 0 with UID %d\n", uid)
	return con.JSON(receiptDoc(r, fmt.Sprintf("Registered on netuid 0 with UID %d", uid), map[string]any{"netuid": 0, "uid": uid, "hotkey": hk}))
}

func newSubnetsRootRegisterCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	cmd := &cobra.Command{
		Use:     "root-register",
		Short:   "Register the hotkey on the root network (netuid 0)",
		Example: "  gotensor subnets root-register --wallet.name my --hotkey validator -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, w, hk, s, err := openHotkeyCommand(cmd, &opts, &wo, &co)
		if err != nil {
			return err
		}
		defer s.Close()
		return rootRegister(con, s, w, hk)
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	return cmd
}

func newSubnetsPowRegisterCommand(use string, hidden bool) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var co chainOptions
	var netuid uint16
	var processors int
	cmd := &cobra.Command{
		Use:    use,
		Hidden: hidden,
		Short:  "Register the hotkey on a subnet by solving its proof of work (on current finney/test the chain burns TAO instead)",
		Long: "Solves the subnet's proof of work for the hotkey and submits `register` (signed by the hotkey on a gotensor chain, by the coldkey on subtensor, as btcli does).\n\n" +
			"On a gotensor chain the seal is checked and no TAO is spent. On subtensor since 2026-01-23 (finney, test) " +
			"the chain ignores the seal and performs a burned registration paid by the coldkey (the subnet's current burn, " +
			"as `subnets register` does); older subtensor runtimes check the seal (little-endian difficulty rule).",
		Example: "  gotensor subnets pow-register --netuid 1 --wallet.name my --hotkey miner --processors 4 -y",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newNetuidConsole(cmd, &opts, &netuid)
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		hot, err := unlockHotkey(w)
		if err != nil {
			return err
		}
		defer hot.Wipe()
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		if uid, ok, err := s.chain.UID(s.ctx, netuid, hot.PublicKey()); err != nil {
			return subnetHint(err, netuid)
		} else if ok {
			con.Essentialf("Already Registered on netuid %d with UID %d (hotkey %s)\n", netuid, uid, hot.SS58())
			return con.JSON(txDoc{Success: true, Message: "already registered", Data: map[string]any{"netuid": netuid, "uid": uid, "hotkey": hot.SS58()}})
		}
		rc, err := s.chain.RegistrationCost(s.ctx, netuid)
		if err != nil {
			return subnetHint(err, netuid)
		}
		if !rc.PowAllowed {
			return withHint(&client.TxError{Call: "register", Name: "SubNetRegistrationDisabled", Msg: "proof-of-work registration is disabled on this subnet"},
				fmt.Sprintf("use `gotensor subnets register --netuid %d` (burned registration) instead", netuid))
		}
		procs := processors
		if procs <= 0 {
			procs = runtime.GOMAXPROCS(0)
		}
		con.Printf("Solving the proof of work for netuid %d (difficulty %d) on %d processors\n", netuid, rc.Difficulty, procs)
		question := "Do you want to continue?"
		if _, ok := s.chain.(*client.Substrate); ok {
			// spec/sdk.md §6.3: subtensor since 2026-01-23 ignores the seal of register and burns instead.
			con.Warnf("Warning: on current subtensor (finney, test; since 2026-01-23) `register` ignores the proof of work and "+
				"performs a burned registration: the coldkey pays the subnet's current burn (%s), as with `gotensor subnets register`\n", rc.Burn)
			question = fmt.Sprintf("Continue and pay the burn (%s) from the coldkey if the chain charges it?", rc.Burn)
		}
		if err := confirmTx(con, question); err != nil {
			return err
		}
		cold, err := unlockColdkey(w) // subtensor wants register signed by the coldkey (spec/sdk.md §6.6)
		if err != nil {
			return err
		}
		defer cold.Wipe()
		solver := &pow.CPUSolver{Processors: procs}
		if !opts.JSON && !opts.Quiet {
			if con.stderrIsTerminal() {
				solver.Progress = powbar.New(con.stderr).Update
			} else {
				solver.Progress = func(p pow.Progress) {
					if p.Done {
						fmt.Fprintln(con.stderr, powbar.Line(p))
					}
				}
			}
		}
		uid, r, err := s.chain.PowRegister(s.ctx, hot, cold, netuid, solver)
		if err != nil {
			return registrationHint(s, netuid, err)
		}
		con.Essentialf("Registered on netuid %d with UID %d\n", netuid, uid)
		return con.JSON(receiptDoc(r, fmt.Sprintf("Registered on netuid %d with UID %d", netuid, uid), map[string]any{"netuid": netuid, "uid": uid, "hotkey": hot.SS58()}))
	})
	addWalletFlags(cmd, &wo, true)
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().Uint16Var(&netuid, "netuid", 0, "subnet")
	cmd.Flags().IntVar(&processors, "processors", 0, "PoW worker count (default: all cores)")
	for _, f := range []string{"update-interval", "threads-per-block", "dev-id"} {
		cmd.Flags().Int(f, 0, "accepted for btcli compatibility (ignored)")
	}
	cmd.Flags().Bool("output-in-place", true, "accepted for btcli compatibility")
	cmd.Flags().Bool("use-cuda", false, "accepted for btcli compatibility (CPU only)")
	return cmd
}

func newSubnetsBurnCostCommand() *cobra.Command {
	var opts outputOptions
	var co chainOptions
	cmd := &cobra.Command{
		Use:     "burn-cost",
		Aliases: []string{"lock-cost", "lock_cost"},
		Short:   "Show what creating a subnet costs now",
		Example: "  gotensor subnets burn-cost --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		s, err := co.connect(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		cost, err := s.chain.LockCost(s.ctx)
		if err != nil {
			return err
		}
		con.Essentialf("Subnet burn cost: %s\n", cost)
		return con.JSON(map[string]any{"burn_cost": amountJSON(cost), "error": ""})
	})
	addChainFlags(cmd, &co)
	addOutputFlags(cmd, &opts, false)
	return cmd
}

// firstWord is the first argument that is not a flag.
func firstWord(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// blocksUntilAdjustment is how many blocks after head a registration can next land once the interval
// counters reset. The chain resets them in the first block at which now − LastAdjustmentBlock ≥ interval;
// LastAdjustmentBlock starts at 0, so the first reset of a subnet registered in block R is in block
// max(R+1, interval) and the next ones follow every interval blocks (assuming adjustment_interval has not
// changed since; the chain does not expose LastAdjustmentBlock).
func blocksUntilAdjustment(registeredAt, interval, head uint64) uint64 {
	base := max(registeredAt+1, interval)
	if head+1 <= base {
		return base - head
	}
	m := (head + 1 - base) % interval
	if m == 0 {
		return 1
	}
	return interval - m + 1
}

// fracOrAbsent renders a fraction the chain may not provide ("-" when absent).
func fracOrAbsent(x *float64) string {
	if x == nil {
		return "-"
	}
	return frac(*x)
}
