package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
)

// RunScript runs a scenario script against the chain: one command per line, '#' starts a comment.
// A transaction command may end with "=> ok" (the default) or "=> ErrorName"; an expected failure is also
// checked to change nothing but the signer's nonce. Commands:
//
//	subnet <owner> <hotkey>                      register and start a subnet (its netuid is printed in errors)
//	burn <coldkey> <hotkey> <netuid>             burned_register
//	pow <coldkey> <hotkey> <netuid>              PoW register at the open block
//	root <coldkey> <hotkey>                      root_register
//	hyper <netuid> <name> <value>                sudo set_hyperparameter
//	owner-hyper <owner> <netuid> <name> <value>  the owner's set_hyperparameter
//	global <name> <value>                        sudo set_global_parameter
//	transfer <from> <to> <rao>
//	weights <hotkey> <netuid> <uids> <values> [version]          uids/values comma-separated ("-" = empty)
//	commit <hotkey> <netuid> <uids> <values> <salt> [version]
//	reveal <hotkey> <netuid> <uids> <values> <salt> [version]
//	axon <hotkey> <netuid> <a.b.c.d> <port>
//	prometheus <hotkey> <netuid> <a.b.c.d> <port>
//	stake <coldkey> <hotkey> <netuid> <rao>      add_stake (TAO in)
//	unstake <coldkey> <hotkey> <netuid> <alpha>  remove_stake
//	take-inc <coldkey> <hotkey> <take> | take-dec <coldkey> <hotkey> <take>
//	associate <coldkey> <hotkey>
//	step <n> | step-to <height> | epoch <netuid>
//	expect <what> ... <value>: balance <name> | uid <netuid> <hotkey> | n <netuid> | hyper <netuid> <name> |
//	    weights <netuid> <uid> (as uid:value,...) | commits <netuid> <hotkey> | height | permit <netuid> <uid> |
//	    stake <coldkey> <hotkey> <netuid> | hotkey-stake <hotkey> <netuid> | take <hotkey> |
//	    incentive|dividends|emission|consensus|vtrust|active <netuid> <uid> | issuance |
//	    stake>0 <coldkey> <hotkey> <netuid> (true/false) | pending <netuid> (server+validator+root+owner)
func (c *Chain) RunScript(script string) {
	c.T.Helper()
	for lineNo, line := range strings.Split(script, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		want := "ok"
		if i := strings.Index(line, "=>"); i >= 0 {
			want = strings.TrimSpace(line[i+2:])
			line = strings.TrimSpace(line[:i])
		}
		c.T.Logf("script line %d: %s => %s", lineNo+1, line, want)
		if err := c.runLine(strings.Fields(line), want); err != nil {
			c.T.Fatalf("line %d %q: %v", lineNo+1, line, err)
		}
	}
}

func u16list(s string) ([]uint16, error) {
	if s == "-" || s == "" {
		return []uint16{}, nil
	}
	var out []uint16
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(f, 10, 16)
		if err != nil {
			return nil, err
		}
		out = append(out, uint16(v))
	}
	return out, nil
}

func ipv4(s string) (tx.U128, error) {
	var a, b, c, d byte
	if _, err := fmt.Sscanf(s, "%d.%d.%d.%d", &a, &b, &c, &d); err != nil {
		return tx.U128{}, fmt.Errorf("bad ip %q", s)
	}
	return tx.IPv4(a, b, c, d), nil
}

func (c *Chain) runLine(f []string, want string) error {
	num := func(i int) uint64 {
		if i >= len(f) {
			return 0
		}
		v, _ := strconv.ParseUint(f[i], 10, 64)
		return v
	}
	need := func(n int) error {
		if len(f) < n {
			return fmt.Errorf("%s needs %d arguments", f[0], n-1)
		}
		return nil
	}
	var signer string
	var call tx.Call
	switch f[0] {
	case "step":
		c.Step(int(num(1)))
		return nil
	case "step-to":
		c.StepTo(num(1))
		return nil
	case "epoch":
		c.StepToEpoch(uint16(num(1)))
		return nil
	case "expect":
		return c.expect(f[1:])
	case "subnet":
		if err := need(3); err != nil {
			return err
		}
		c.CreateSubnet(f[1], f[2])
		return nil
	case "burn":
		if err := need(4); err != nil {
			return err
		}
		signer, call = f[1], tx.BurnedRegister{Netuid: uint16(num(3)), Hotkey: Pub(f[2])}
	case "pow":
		if err := need(4); err != nil {
			return err
		}
		w := c.Work(f[2], uint16(num(3)))
		w.Coldkey = Pub(f[1])
		signer, call = f[2], w
	case "root":
		signer, call = f[1], tx.RootRegister{Hotkey: Pub(f[2])}
	case "hyper":
		signer, call = "sudo", tx.Sudo{Call: tx.SetHyperparameter{Netuid: uint16(num(1)), Name: f[2], Value: num(3)}}
	case "owner-hyper":
		signer, call = f[1], tx.SetHyperparameter{Netuid: uint16(num(2)), Name: f[3], Value: num(4)}
	case "global":
		signer, call = "sudo", tx.Sudo{Call: tx.SetGlobalParameter{Name: f[1], Value: num(2)}}
	case "transfer":
		signer, call = f[1], tx.Transfer{Dest: Pub(f[2]), Amount: num(3)}
	case "stake", "unstake":
		if err := need(5); err != nil {
			return err
		}
		if f[0] == "stake" {
			signer, call = f[1], tx.AddStake{Hotkey: Pub(f[2]), Netuid: uint16(num(3)), Amount: num(4)}
		} else {
			signer, call = f[1], tx.RemoveStake{Hotkey: Pub(f[2]), Netuid: uint16(num(3)), Amount: num(4)}
		}
	case "take-inc", "take-dec":
		if err := need(4); err != nil {
			return err
		}
		if f[0] == "take-inc" {
			signer, call = f[1], tx.IncreaseTake{Hotkey: Pub(f[2]), Take: uint16(num(3))}
		} else {
			signer, call = f[1], tx.DecreaseTake{Hotkey: Pub(f[2]), Take: uint16(num(3))}
		}
	case "associate":
		signer, call = f[1], tx.AssociateHotkey{Hotkey: Pub(f[2])}
	case "weights", "commit", "reveal":
		if err := need(5); err != nil {
			return err
		}
		uids, err1 := u16list(f[3])
		vals, err2 := u16list(f[4])
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bad uid/value list")
		}
		net := uint16(num(2))
		switch f[0] {
		case "weights":
			signer, call = f[1], tx.SetWeights{Netuid: net, Dests: uids, Weights: vals, VersionKey: num(5)}
		default:
			if err := need(6); err != nil {
				return err
			}
			salt, err := u16list(f[5])
			if err != nil {
				return err
			}
			if f[0] == "commit" {
				signer, call = f[1], tx.CommitWeights{Netuid: net, Hash: tx.CommitHash(Pub(f[1]), net, uids, vals, salt, num(6))}
			} else {
				signer, call = f[1], tx.RevealWeights{Netuid: net, Uids: uids, Values: vals, Salt: salt, VersionKey: num(6)}
			}
		}
	case "axon", "prometheus":
		if err := need(5); err != nil {
			return err
		}
		ip, err := ipv4(f[3])
		if err != nil {
			return err
		}
		if f[0] == "axon" {
			signer, call = f[1], tx.ServeAxon{Netuid: uint16(num(2)), IP: ip, Port: uint16(num(4)), IPType: 4, Protocol: 4}
		} else {
			signer, call = f[1], tx.ServePrometheus{Netuid: uint16(num(2)), IP: ip, Port: uint16(num(4)), IPType: 4}
		}
	default:
		return fmt.Errorf("unknown command %q", f[0])
	}
	if want == "ok" {
		res := c.Do(signer, call)
		if !res.OK() {
			return fmt.Errorf("failed: %s (%s)", res.Error, res.Log)
		}
		return nil
	}
	for _, e := range runtime.Errors() {
		if e.Name == want {
			c.ExpectFail(signer, call, e)
			return nil
		}
	}
	return fmt.Errorf("unknown error name %q", want)
}

func (c *Chain) expect(f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("expect what?")
	}
	wantStr := f[len(f)-1]
	args := f[1 : len(f)-1]
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	n16 := func(i int) uint16 { v, _ := strconv.ParseUint(arg(i), 10, 16); return uint16(v) }
	var got string
	switch f[0] {
	case "balance":
		got = strconv.FormatUint(c.R.Balance(Pub(arg(0))), 10)
	case "uid":
		if uid, ok := c.R.Uid(n16(0), Pub(arg(1))); ok {
			got = strconv.Itoa(int(uid))
		} else {
			got = "none"
		}
	case "n":
		info, _ := c.R.SubnetInfo(n16(0))
		got = strconv.Itoa(int(info.N))
	case "hyper":
		v, _ := c.R.Hyperparameter(n16(0), arg(1))
		got = strconv.FormatUint(v, 10)
	case "weights":
		var parts []string
		for _, e := range c.R.WeightsRow(n16(0), n16(1)) {
			parts = append(parts, fmt.Sprintf("%d:%d", e.Uid, e.Value))
		}
		got = strings.Join(parts, ",")
		if got == "" {
			got = "-"
		}
	case "commits":
		got = strconv.Itoa(len(c.R.PendingCommits(n16(0), Pub(arg(1)))))
	case "height":
		got = strconv.FormatUint(c.Height(), 10)
	case "permit":
		n, _ := c.R.Neuron(n16(0), n16(1))
		got = strconv.FormatBool(n.ValidatorPermit)
	case "stake":
		got = strconv.FormatUint(c.StakeOf(arg(0), arg(1), n16(2)), 10)
	case "stake>0":
		got = strconv.FormatBool(c.StakeOf(arg(0), arg(1), n16(2)) > 0)
	case "hotkey-stake":
		got = strconv.FormatUint(c.R.HotkeyStake(Pub(arg(0)), n16(1)), 10)
	case "take":
		got = strconv.FormatUint(uint64(c.R.DelegateTake(Pub(arg(0)))), 10)
	case "issuance":
		got = strconv.FormatUint(c.R.TotalIssuance(), 10)
	case "pending":
		p := c.R.Pending(n16(0))
		got = strconv.FormatUint(p.Server+p.Validator+p.Root+p.OwnerCut, 10)
	case "incentive", "dividends", "emission", "consensus", "vtrust", "active":
		n, ok := c.R.Neuron(n16(0), n16(1))
		if !ok {
			return fmt.Errorf("no uid %d on netuid %d", n16(1), n16(0))
		}
		got = map[string]string{
			"incentive": strconv.Itoa(int(n.Incentive)), "dividends": strconv.Itoa(int(n.Dividends)),
			"emission": strconv.FormatUint(n.Emission, 10), "consensus": strconv.Itoa(int(n.Consensus)),
			"vtrust": strconv.Itoa(int(n.ValidatorTrust)), "active": strconv.FormatBool(n.Active),
		}[f[0]]
	default:
		return fmt.Errorf("unknown expectation %q", f[0])
	}
	if got != wantStr {
		return fmt.Errorf("expect %s: got %s, want %s", strings.Join(f[:len(f)-1], " "), got, wantStr)
	}
	return nil
}
